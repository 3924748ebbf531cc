//! Why a send failed, in words a salesperson understands. The outbox records the
//! server's own reply ("permanent error (550): 5.1.1 <x@y>: Recipient address
//! rejected") or what broke; this reads it into a kind the UI and the notifications
//! explain in Turkish or English, with what to do about it. The server's words stay
//! beside it for whoever needs them.

use serde::Serialize;
use ulak_core::settings::Language;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum Why {
    /// 5.1.1 and friends: the address does not exist at the recipient's server.
    NoSuchRecipient,
    /// 4.2.2 / 5.2.2: the recipient's mailbox is full.
    MailboxFull,
    /// 5.3.4 / 552: the message (with its attachments) is too large for the server.
    TooLarge,
    /// 5.7.1 relaying denied: the server will not pass mail on for this sender.
    RelayDenied,
    /// Other 5.7.x: refused by the server's policy (spam filter, sender not allowed).
    Refused,
    /// The sign-in was not accepted (535, 5.7.8).
    SignIn,
    /// 4xx: the server is busy or limiting; the outbox tries again by itself.
    ServerBusy,
    /// The connection failed, timed out or was closed.
    Unreachable,
    /// The TLS handshake or the certificate failed.
    Tls,
    /// Anything else: the server's words are all there is.
    Other,
}

/// The three-digit reply code and the enhanced status code (RFC 3463), if present.
fn codes(reason: &str) -> (Option<u16>, Option<(u8, u16, u16)>) {
    let basic = reason
        .find('(')
        .and_then(|i| reason.get(i + 1..i + 4))
        .and_then(|c| c.parse::<u16>().ok())
        .filter(|c| (200..600).contains(c));
    let enhanced = reason
        .split(|c: char| c.is_whitespace() || c == ':')
        .find_map(|w| {
            let mut p = w.split('.');
            let class = p
                .next()?
                .parse::<u8>()
                .ok()
                .filter(|c| [2, 4, 5].contains(c))?;
            let subject = p.next()?.parse::<u16>().ok()?;
            let detail = p.next()?.parse::<u16>().ok()?;
            p.next().is_none().then_some((class, subject, detail))
        });
    (basic, enhanced)
}

/// Reads a recorded failure reason.
pub fn why(reason: &str) -> Why {
    let lower = reason.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    let (basic, enhanced) = codes(reason);
    match enhanced {
        Some((_, 1, 1 | 2 | 3 | 10)) => return Why::NoSuchRecipient,
        Some((_, 2, 2)) => return Why::MailboxFull,
        Some((_, 3, 4)) | Some((5, 2, 3)) => return Why::TooLarge,
        Some((5, 7, 8)) => return Why::SignIn,
        Some((5, 7, 1)) if has(&["relay"]) => return Why::RelayDenied,
        Some((5, 7, _)) => return Why::Refused,
        _ => {}
    }
    if has(&["sign-in", "authentication", "auth "]) || basic == Some(535) {
        return Why::SignIn;
    }
    if has(&[
        "user unknown",
        "no such user",
        "does not exist",
        "recipient address rejected",
    ]) {
        return Why::NoSuchRecipient;
    }
    if has(&["relay"]) {
        return Why::RelayDenied;
    }
    if basic == Some(552) || has(&["too large", "size exceeds"]) {
        return Why::TooLarge;
    }
    if has(&["certificate", "tls", "handshake"]) {
        return Why::Tls;
    }
    if has(&[
        "connection refused",
        "no answer from",
        "did not answer in time",
        "closed the connection",
        "connection reset",
        "broken pipe",
        "failed to lookup",
        "network",
        "timed out",
    ]) {
        return Why::Unreachable;
    }
    match basic {
        Some(400..=499) => Why::ServerBusy,
        _ => Why::Other,
    }
}

impl Why {
    /// What happened and what to do, for a notification: (what, fix).
    pub fn words(self, lang: Language) -> (&'static str, &'static str) {
        let tr = lang == Language::Tr;
        match (self, tr) {
            (Why::NoSuchRecipient, true) => ("Alıcı adresi bulunamadı", "Adresi kontrol edin; yazım hatası olabilir."),
            (Why::NoSuchRecipient, false) => ("The recipient's address does not exist", "Check the address for a typo."),
            (Why::MailboxFull, true) => ("Alıcının posta kutusu dolu", "Daha sonra yeniden deneyin ya da alıcıya başka yoldan ulaşın."),
            (Why::MailboxFull, false) => ("The recipient's mailbox is full", "Try again later or reach them another way."),
            (Why::TooLarge, true) => ("İleti sunucu için fazla büyük", "Ekleri küçültün ya da bir bağlantı olarak paylaşın."),
            (Why::TooLarge, false) => ("The message is too large for the server", "Make the attachments smaller or share a link instead."),
            (Why::RelayDenied, true) => ("Sunucu bu gönderene aracılık etmiyor", "Hesabın kullanıcı adı ve gönderen adresi aynı mı, kontrol edin."),
            (Why::RelayDenied, false) => ("The server will not relay for this sender", "Check that the account's user name and sender address match."),
            (Why::Refused, true) => ("Sunucu iletiyi kuralları gereği reddetti", "İçeriği ve gönderen adresini kontrol edin; sürerse BT ekibinize danışın."),
            (Why::Refused, false) => ("The server's policy refused the message", "Check the content and sender address; ask your IT team if it persists."),
            (Why::SignIn, true) => ("Sunucu girişi kabul etmedi", "Parolayı kontrol edin; Gmail ve Outlook için Uygulama Şifresi gerekir."),
            (Why::SignIn, false) => ("The server did not accept the sign-in", "Check the password; Gmail and Outlook need an App Password."),
            (Why::ServerBusy, true) => ("Sunucu şu an iletiyi alamadı", "Ulak kendisi yeniden deneyecek; bir şey yapmanız gerekmez."),
            (Why::ServerBusy, false) => ("The server could not take the message now", "Ulak will try again by itself; nothing to do."),
            (Why::Unreachable, true) => ("Sunucuya ulaşılamadı", "İnternet bağlantısını, sunucu adını ve portu (465 ya da 587) kontrol edin; güvenlik duvarı engelliyor olabilir."),
            (Why::Unreachable, false) => ("The server could not be reached", "Check the connection, host and port (465 or 587); a firewall may block it."),
            (Why::Tls, true) => ("Güvenli bağlantı kurulamadı", "E-posta Ayarları'nda bağlantıyı test edin; şirket sertifikası gerekebilir."),
            (Why::Tls, false) => ("A secure connection could not be made", "Test the connection in E-mail settings; a company certificate may be needed."),
            (Why::Other, true) => ("Sunucu iletiyi kabul etmedi", "Sunucunun yanıtı ayrıntılarda."),
            (Why::Other, false) => ("The server did not accept the message", "The server's reply is in the details."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_replies_and_breaks_are_read_into_kinds() {
        let cases = [
            (
                "permanent error (550): 5.1.1 <x@y.test>: Recipient address rejected: User unknown",
                Why::NoSuchRecipient,
            ),
            (
                "permanent error (550): no such user here",
                Why::NoSuchRecipient,
            ),
            (
                "transient error (452): 4.2.2 Mailbox full",
                Why::MailboxFull,
            ),
            (
                "permanent error (552): 5.3.4 Message size exceeds fixed limit",
                Why::TooLarge,
            ),
            (
                "permanent error (554): 5.7.1 <x@y.test>: Relay access denied",
                Why::RelayDenied,
            ),
            (
                "permanent error (550): 5.7.1 Message rejected as spam",
                Why::Refused,
            ),
            (
                "permanent error (535): 5.7.8 Error: authentication failed",
                Why::SignIn,
            ),
            (
                "transient error (451): 4.3.0 mailbox busy, try later",
                Why::ServerBusy,
            ),
            (
                "transient error (421): 4.7.0 too many connections",
                Why::ServerBusy,
            ),
            (
                "sending failed: Connection refused (os error 111)",
                Why::Unreachable,
            ),
            ("the server closed the connection", Why::Unreachable),
            (
                "sending failed: invalid peer certificate: UnknownIssuer",
                Why::Tls,
            ),
            ("permanent error (554): transaction failed", Why::Other),
        ];
        for (reason, want) in cases {
            assert_eq!(why(reason), want, "{reason}");
        }
    }

    #[test]
    fn every_kind_has_words_in_both_languages() {
        for w in [
            Why::NoSuchRecipient,
            Why::MailboxFull,
            Why::TooLarge,
            Why::RelayDenied,
            Why::Refused,
            Why::SignIn,
            Why::ServerBusy,
            Why::Unreachable,
            Why::Tls,
            Why::Other,
        ] {
            let (tr, tr_fix) = w.words(Language::Tr);
            let (en, en_fix) = w.words(Language::En);
            assert!(!tr.is_empty() && !tr_fix.is_empty() && !en.is_empty() && !en_fix.is_empty());
            assert_ne!(tr, en, "{w:?}");
        }
    }
}
