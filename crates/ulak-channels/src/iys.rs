//! Turkish commercial electronic messages (Law 6563, its regulation of 15 July 2015 and
//! İYS, the İleti Yönetim Sistemi): what a commercial message is sent as, and what its
//! content must hold.
//!
//! - A message is commercial or informational; a commercial one goes to a recipient
//!   who is an individual (BIREYSEL: their İYS consent is required) or a merchant
//!   (TACIR). Providers with İYS filtering check consent themselves: Netgsm by
//!   `iysfilter` ("0" informational, "11" commercial to individuals, "12" to
//!   merchants), İleti Merkezi by `iys` and `iysList`. The others cannot: a
//!   commercial send to individuals through them is warned about first.
//! - Before a commercial send the content is checked (regulation, art. 9): the trade
//!   name or MERSİS number, a way to reach the sender, how to refuse (for SMS, `RET`
//!   and the brand to 3338; e-mail campaigns carry an unsubscribe link), and a marker
//!   that it is commercial — in an e-mail's subject, at the start of an SMS.
//!
//! Whether a recipient is BIREYSEL or TACIR is the contact's (`ulak_crm::contacts`).

use serde::{Deserialize, Serialize};
use ulak_core::validate::fold;

/// How a message goes with respect to İYS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
#[serde(rename = "IysKind")]
pub enum Kind {
    /// Not commercial (an order, a reminder, a delivery notice).
    Informational,
    /// Commercial, to an individual (BIREYSEL).
    Individual,
    /// Commercial, to a merchant (TACIR).
    Merchant,
}

impl Kind {
    /// Netgsm's `iysfilter`.
    pub fn netgsm_filter(self) -> &'static str {
        match self {
            Kind::Informational => "0",
            Kind::Individual => "11",
            Kind::Merchant => "12",
        }
    }

    /// İleti Merkezi's `iys` and `iysList`.
    pub fn iletimerkezi(self) -> (&'static str, Option<&'static str>) {
        match self {
            Kind::Informational => ("0", None),
            Kind::Individual => ("1", Some("BIREYSEL")),
            Kind::Merchant => ("1", Some("TACIR")),
        }
    }
}

/// What a commercial message must hold and does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
#[serde(rename = "IysMissing")]
pub enum Missing {
    /// The trade name ("… A.Ş.", "… Ltd. Şti.") or the MERSİS number.
    TradeName,
    /// A telephone number, e-mail or web address to reach the sender.
    Contact,
    /// How to refuse: for SMS "RET <marka>" to 3338; for e-mail an unsubscribe link.
    Refusal,
    /// That it is commercial ("Kampanya", "Tanıtım", "Reklam", "Bilgilendirme"…): in an
    /// e-mail's subject, at the start of an SMS.
    Marker,
}

/// Words that make a message recognisable as commercial communication.
const MARKERS: [&str; 10] = [
    "kampanya",
    "tanitim",
    "reklam",
    "bilgilendirme",
    "duyuru",
    "indirim",
    "firsat",
    "promosyon",
    "kampanyali",
    "tanıtım",
];

/// Turkish letters folded to ASCII, lower case, for matching words.
fn ascii(s: &str) -> String {
    fold(s)
        .chars()
        .map(|c| match c {
            'ç' => 'c',
            'ğ' => 'g',
            'ı' => 'i',
            'ö' => 'o',
            'ş' => 's',
            'ü' => 'u',
            c => c,
        })
        .collect()
}

fn has_trade_name(text: &str) -> bool {
    let a = ascii(text);
    let suffix = [
        "a.s.",
        "a.s ",
        "ltd. sti",
        "ltd.sti",
        "ltd sti",
        "limited sirketi",
        "anonim sirketi",
    ]
    .iter()
    .any(|s| a.contains(s) || a.ends_with(s.trim_end()));
    // MERSİS numbers are sixteen digits.
    let digits_run = a
        .split(|c: char| !c.is_ascii_digit())
        .any(|run| run.len() == 16);
    suffix || digits_run
}

fn has_contact(text: &str) -> bool {
    let a = ascii(text);
    let words: Vec<&str> = a.split_whitespace().collect();
    let email = words
        .iter()
        .any(|w| w.contains('@') && w.rsplit('@').next().is_some_and(|d| d.contains('.')));
    let web = a.contains("http://") || a.contains("https://") || a.contains("www.");
    // A phone number: ten or more digits in a row, spaces and separators allowed,
    // or a short number after "tel"/"ara".
    let digits: String = a
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                c
            } else if " -()+.".contains(c) {
                '_'
            } else {
                ' '
            }
        })
        .collect();
    let phone = digits
        .split(' ')
        .any(|run| run.chars().filter(char::is_ascii_digit).count() >= 10);
    let short = ["tel", "ara", "444", "0850"].iter().any(|w| a.contains(w))
        && a.chars().filter(char::is_ascii_digit).count() >= 7;
    email || web || phone || short
}

fn has_sms_refusal(text: &str) -> bool {
    let a = ascii(text);
    let words: Vec<&str> = a.split(|c: char| !c.is_alphanumeric()).collect();
    words.contains(&"ret") && words.contains(&"3338")
}

fn has_marker(s: &str) -> bool {
    let a = ascii(s);
    MARKERS.iter().any(|m| a.contains(&ascii(m)))
}

/// An SMS's content, commercial: what is missing. The marker must be at the start (the
/// first 40 characters).
pub fn check_sms(text: &str) -> Vec<Missing> {
    let mut out = Vec::new();
    if !has_trade_name(text) {
        out.push(Missing::TradeName);
    }
    if !has_contact(text) {
        out.push(Missing::Contact);
    }
    if !has_sms_refusal(text) {
        out.push(Missing::Refusal);
    }
    let start: String = text.chars().take(40).collect();
    if !has_marker(&start) {
        out.push(Missing::Marker);
    }
    out
}

/// An e-mail's content, commercial: what is missing. `unsubscribe`: the message will
/// carry an unsubscribe link (every campaign message does).
pub fn check_email(subject: &str, body_text: &str, unsubscribe: bool) -> Vec<Missing> {
    let mut out = Vec::new();
    if !has_trade_name(body_text) {
        out.push(Missing::TradeName);
    }
    if !has_contact(body_text) {
        out.push(Missing::Contact);
    }
    if !unsubscribe {
        out.push(Missing::Refusal);
    }
    if !has_marker(subject) {
        out.push(Missing::Marker);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_complete_commercial_sms_passes_and_each_gap_is_named() {
        let good = "KAMPANYA: Kışa özel %20 indirim! Öztürk Gıda A.Ş. 0212 555 12 34. \
                    Ret için RET OZTURK yazıp 3338'e gönderin.";
        assert_eq!(check_sms(good), Vec::<Missing>::new());
        // "ücretsiz" holds "ret" but is no refusal.
        let bare = "Merhaba, yeni ürünlerimiz geldi; kargo ücretsiz.";
        assert_eq!(
            check_sms(bare),
            vec![
                Missing::TradeName,
                Missing::Contact,
                Missing::Refusal,
                Missing::Marker
            ]
        );
        // The marker counts only at the start.
        let late = format!("Merhaba, {}", "x".repeat(40)) + " kampanya";
        assert!(check_sms(&late).contains(&Missing::Marker));
        // A MERSİS number stands for the trade name; www. for contact.
        let mersis = "Tanıtım: MERSİS 0123456789012345 www.ozturk.com.tr RET OZTURK 3338";
        assert_eq!(check_sms(mersis), Vec::<Missing>::new());
    }

    #[test]
    fn an_email_needs_its_marker_in_the_subject_and_a_link_to_refuse() {
        let body = "Sayın Işıl Hanım, yeni kataloğumuz ektedir.\n\nÖztürk Gıda Ltd. Şti. — satis@ozturk.com.tr";
        assert_eq!(check_email("Kampanya: yeni katalog", body, true), vec![]);
        assert_eq!(
            check_email("Yeni katalog", body, false),
            vec![Missing::Refusal, Missing::Marker]
        );
        assert_eq!(
            check_email("Tanıtım", "Merhaba", true),
            vec![Missing::TradeName, Missing::Contact]
        );
    }

    #[test]
    fn kinds_map_to_each_providers_fields() {
        assert_eq!(Kind::Informational.netgsm_filter(), "0");
        assert_eq!(Kind::Individual.netgsm_filter(), "11");
        assert_eq!(Kind::Merchant.netgsm_filter(), "12");
        assert_eq!(Kind::Individual.iletimerkezi(), ("1", Some("BIREYSEL")));
        assert_eq!(Kind::Merchant.iletimerkezi(), ("1", Some("TACIR")));
        assert_eq!(Kind::Informational.iletimerkezi(), ("0", None));
    }
}
