//! The SMTP provider's error map: a server's reply, a broken connection or a failed
//! sign-in becomes the outbox's typed `Failure` (kind for the retry policy, code for
//! the window's words, the server's own text beside). Read from the live reply's
//! codes (RFC 5321 basic, RFC 3463 enhanced) as it arrives; nothing stored is parsed.

use ulak_outbox::failure::{Failure, FailureCode, Kind};

use crate::email::connection::{Broken, Reply, Sent};
use crate::email::send::SendError;

/// The enhanced status code (class.subject.detail) a reply starts its text with.
fn enhanced(r: &Reply) -> Option<(u8, u16, u16)> {
    let first = r.lines.first()?.split_ascii_whitespace().next()?;
    let mut p = first.split('.');
    let class = p
        .next()?
        .parse::<u8>()
        .ok()
        .filter(|c| [2, 4, 5].contains(c))?;
    let subject = p.next()?.parse::<u16>().ok()?;
    let detail = p.next()?.parse::<u16>().ok()?;
    p.next().is_none().then_some((class, subject, detail))
}

/// A refusal (4xx or 5xx) as the outbox records it.
pub fn refused(r: &Reply) -> Failure {
    use FailureCode as C;
    let text = r.describe();
    let lower = r.text().to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    let permanent = r.code >= 500;
    let code = match (enhanced(r), r.code) {
        (Some((_, 1, 1 | 2 | 3 | 10)), _) => C::NoSuchRecipient,
        (Some((_, 2, 2)), _) => C::MailboxFull,
        (Some((_, 3, 4)), _) | (Some((5, 2, 3)), _) | (_, 552) => C::TooLarge,
        (Some((5, 7, 8)), _) | (_, 535) => C::SignIn,
        (Some((5, 7, 1)), _) if has(&["relay"]) => C::RelayDenied,
        (Some((5, 7, _)), _) => C::Refused,
        // Servers without enhanced codes say it in words.
        (None, _) if has(&["user unknown", "no such user", "does not exist"]) => C::NoSuchRecipient,
        (None, _) if has(&["relay"]) => C::RelayDenied,
        (_, 400..=499) => C::ServerBusy,
        _ => C::Other,
    };
    let kind = match code {
        C::SignIn => Kind::SignIn,
        C::Refused | C::RelayDenied if permanent => Kind::Policy,
        _ if permanent => Kind::Permanent,
        _ => Kind::Transient,
    };
    Failure::new(kind, code, text)
}

/// A connection that broke mid-dialogue: tried again on a new one later.
pub fn broken(b: &Broken) -> Failure {
    let kind = match b.code {
        FailureCode::Unreachable => Kind::Unreachable,
        _ => Kind::Transient,
    };
    Failure::new(kind, b.code, b.text.clone())
}

/// A connection that could not be opened (connect, TLS, greeting, sign-in).
pub fn opening(e: &SendError) -> Failure {
    let text = e.to_string();
    match e {
        // A wrong password will not mend itself by retrying.
        SendError::Auth(_) => Failure::new(Kind::SignIn, FailureCode::SignIn, text),
        SendError::Tls(_) => Failure::new(Kind::Tls, FailureCode::Tls, text),
        SendError::Account(_) => Failure::permanent(FailureCode::AccountMissing, text),
        SendError::Build(_) => Failure::permanent(FailureCode::Unsendable, text),
        SendError::Permanent(_) => Failure::permanent(FailureCode::Other, text),
        SendError::Transient(_) => Failure::transient(FailureCode::ServerBusy, text),
        SendError::Network(_) => Failure::new(Kind::Unreachable, FailureCode::Unreachable, text),
        SendError::OAuth(o) => oauth(o),
    }
}

/// An OAuth account that could not get a token: withdrawn grants wait for the user to
/// connect again; an unreachable provider is tried again later.
pub fn oauth(e: &crate::oauth::OAuthError) -> Failure {
    use crate::oauth::OAuthError;
    let text = e.to_string();
    match e {
        OAuthError::Reconnect { .. } => Failure::new(Kind::SignIn, FailureCode::Reconnect, text),
        OAuthError::Unreachable(_) => {
            Failure::new(Kind::Unreachable, FailureCode::Unreachable, text)
        }
        OAuthError::Store(_) => Failure::transient(FailureCode::Other, text),
        _ => Failure::new(Kind::SignIn, FailureCode::SignIn, text),
    }
}

/// A message the connection could not put on the wire (bad envelope, 8-bit to a 7-bit
/// server): it will not go this way, however often tried.
pub fn unsendable(reason: String) -> Failure {
    Failure::permanent(FailureCode::Unsendable, reason)
}

/// A connection's word on a message, as the outbox records it.
pub fn outcome(r: Result<Sent, Broken>) -> ulak_outbox::Outcome {
    use ulak_outbox::Outcome;
    match r {
        Ok(Sent::Accepted(reply)) => Outcome::Sent { reply },
        Ok(Sent::Refused(r)) => Outcome::Failed(refused(&r)),
        Ok(Sent::Unsendable(reason)) => Outcome::Failed(unsendable(reason)),
        Err(b) => Outcome::Failed(broken(&b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(code: u16, text: &str) -> Reply {
        Reply {
            code,
            lines: vec![text.to_string()],
        }
    }

    fn map(code: u16, text: &str) -> (Kind, FailureCode) {
        let f = refused(&reply(code, text));
        assert!(
            f.text.contains(text),
            "the server's words are kept: {}",
            f.text
        );
        (f.kind, f.code)
    }

    #[test]
    fn unknown_recipient_by_enhanced_code_is_permanent() {
        use FailureCode::NoSuchRecipient as N;
        let want = (Kind::Permanent, N);
        assert_eq!(
            map(550, "5.1.1 <x@y.test>: Recipient address rejected"),
            want
        );
        assert_eq!(map(550, "5.1.2 bad destination system"), want);
        assert_eq!(map(553, "5.1.3 bad address syntax"), want);
        assert_eq!(map(550, "5.1.10 null MX"), want);
    }

    #[test]
    fn unknown_recipient_in_words_without_an_enhanced_code() {
        assert_eq!(
            map(550, "no such user here"),
            (Kind::Permanent, FailureCode::NoSuchRecipient)
        );
        assert_eq!(
            map(550, "User unknown in local recipient table"),
            (Kind::Permanent, FailureCode::NoSuchRecipient)
        );
    }

    #[test]
    fn a_full_mailbox_is_retried_when_4xx_and_final_when_5xx() {
        assert_eq!(
            map(452, "4.2.2 Mailbox full"),
            (Kind::Transient, FailureCode::MailboxFull)
        );
        assert_eq!(
            map(552, "5.2.2 Mailbox full"),
            (Kind::Permanent, FailureCode::MailboxFull)
        );
    }

    #[test]
    fn too_large_by_enhanced_code_or_552() {
        assert_eq!(
            map(552, "5.3.4 Message size exceeds fixed limit"),
            (Kind::Permanent, FailureCode::TooLarge)
        );
        assert_eq!(
            map(554, "5.2.3 message length exceeds administrative limit"),
            (Kind::Permanent, FailureCode::TooLarge)
        );
        assert_eq!(
            map(552, "too much mail data"),
            (Kind::Permanent, FailureCode::TooLarge)
        );
    }

    #[test]
    fn relay_denied_is_a_policy_refusal() {
        assert_eq!(
            map(554, "5.7.1 <x@y.test>: Relay access denied"),
            (Kind::Policy, FailureCode::RelayDenied)
        );
        assert_eq!(
            map(550, "relaying not permitted"),
            (Kind::Policy, FailureCode::RelayDenied)
        );
    }

    #[test]
    fn other_5_7_refusals_are_policy() {
        assert_eq!(
            map(550, "5.7.1 Message rejected as spam"),
            (Kind::Policy, FailureCode::Refused)
        );
        assert_eq!(
            map(550, "5.7.26 DMARC policy violation"),
            (Kind::Policy, FailureCode::Refused)
        );
    }

    #[test]
    fn sign_in_refusals_are_never_retried() {
        assert_eq!(
            map(535, "5.7.8 Error: authentication failed"),
            (Kind::SignIn, FailureCode::SignIn)
        );
        assert_eq!(
            map(535, "Authentication credentials invalid"),
            (Kind::SignIn, FailureCode::SignIn)
        );
        assert!(!Kind::SignIn.retries());
    }

    #[test]
    fn other_4xx_is_a_busy_server_tried_again() {
        assert_eq!(
            map(451, "4.3.0 mailbox busy, try later"),
            (Kind::Transient, FailureCode::ServerBusy)
        );
        assert_eq!(
            map(421, "4.7.0 too many connections"),
            (Kind::Transient, FailureCode::ServerBusy)
        );
        assert_eq!(
            map(450, "try again"),
            (Kind::Transient, FailureCode::ServerBusy)
        );
    }

    #[test]
    fn anything_else_5xx_is_other_and_permanent() {
        assert_eq!(
            map(554, "transaction failed"),
            (Kind::Permanent, FailureCode::Other)
        );
    }

    #[test]
    fn breaks_and_openings_have_their_kinds() {
        let lost = Broken {
            code: FailureCode::Unreachable,
            text: "the server closed the connection".into(),
        };
        let f = broken(&lost);
        assert_eq!(
            (f.kind, f.code),
            (Kind::Unreachable, FailureCode::Unreachable)
        );
        assert!(f.kind.retries());
        let cases = [
            (
                SendError::Auth("535".into()),
                Kind::SignIn,
                FailureCode::SignIn,
            ),
            (
                SendError::Tls("UnknownIssuer".into()),
                Kind::Tls,
                FailureCode::Tls,
            ),
            (
                SendError::Network("Connection refused (os error 111)".into()),
                Kind::Unreachable,
                FailureCode::Unreachable,
            ),
        ];
        for (e, kind, code) in cases {
            let f = opening(&e);
            assert_eq!((f.kind, f.code), (kind, code), "{e}");
        }
        assert_eq!(
            unsendable("8-bit to a 7-bit server".into()).kind,
            Kind::Permanent
        );
    }
}
