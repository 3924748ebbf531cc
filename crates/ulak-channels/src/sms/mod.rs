//! SMS: a text to a phone number. A provider implements `SmsProvider` in a module of
//! its own; the sandbox is the first. What is queued is `Sms` as JSON, the number
//! already in E.164, so a provider sends exactly what was stored.

pub mod client;
pub mod iletimerkezi;
pub mod netgsm;
pub mod sandbox;
pub mod twilio;
pub mod vonage;

use std::future::Future;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ulak_core::validate::{self, ValidationError};
use ulak_core::{ErrorCode, UserFacing};
use ulak_outbox::failure::{Failure, FailureCode};
use ulak_outbox::queue::{Channel, NewMessage};

/// Characters in one SMS at most (see `validate::Limits::sms_text`).
pub const TEXT_MAX: usize = validate::LIMITS.sms_text;

/// The stored payload of an SMS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sms {
    /// E.164, e.g. `+905321234567`.
    pub to: String,
    pub text: String,
    /// How it goes with respect to İYS; None: as the integration is set up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iys: Option<crate::iys::Kind>,
}

pub use crate::provider::Receipt;

/// One SMS provider: sends one stored SMS, or says why not.
pub trait SmsProvider: Sync {
    fn send(
        &self,
        id: i64,
        reference: &str,
        sms: &Sms,
    ) -> impl Future<Output = Result<Receipt, Failure>> + Send;
}

#[derive(Debug, thiserror::Error)]
pub enum SmsError {
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error("the text is empty")]
    EmptyText,
    #[error("the text is longer than {max} characters")]
    TooLong { max: usize },
    #[error("the text contains a control character")]
    ControlChars,
}

impl UserFacing for SmsError {
    fn code(&self) -> ErrorCode {
        match self {
            SmsError::Invalid(v) => v.code(),
            SmsError::EmptyText => ErrorCode::ValidationRequired,
            SmsError::TooLong { .. } => ErrorCode::ValidationTooLong,
            SmsError::ControlChars => ErrorCode::ValidationControlChars,
        }
    }
    fn hint(&self) -> Option<String> {
        match self {
            SmsError::Invalid(v) => v.hint(),
            SmsError::EmptyText => Some("Write the message.".into()),
            SmsError::TooLong { max } => Some(format!("Shorten it to {max} characters.")),
            SmsError::ControlChars => Some("Remove tabs and other invisible characters.".into()),
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            SmsError::Invalid(v) => v.field(),
            _ => Some("text"),
        }
    }
    fn detail(&self) -> Option<String> {
        match self {
            SmsError::Invalid(v) => v.detail(),
            _ => None,
        }
    }
}

// GSM 03.38's basic set and its extension table (an extension character takes two).
const GSM7: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM7_EXT: &str = "^{}\\[~]|€\u{c}";

/// Whether the text fits GSM-7. Turkish ş, ğ, ı, İ, ç (but not Ç, ö, ü) do not: such a
/// text goes as UCS-2, 70 characters a part (the window's counter says the same).
pub fn gsm7(text: &str) -> bool {
    text.chars()
        .all(|c| GSM7.contains(c) || GSM7_EXT.contains(c))
}

/// A stored payload read back; one that is not an SMS (a corrupt row) will not become
/// one by retrying.
pub fn read(payload: &[u8]) -> Result<Sms, Failure> {
    serde_json::from_slice(payload)
        .map_err(|e| Failure::permanent(FailureCode::Unsendable, format!("not an SMS: {e}")))
}

/// What the SMS composer (or `ulak sms send`) hands over.
#[derive(Debug, Clone, Default)]
pub struct SmsDraft {
    /// The provider (`twilio`, …) and its integration's id; None: the sandbox ("Test
    /// kutusu"), which writes a JSON file and sends nothing.
    pub via: Option<(String, i64)>,
    pub company_id: Option<i64>,
    /// Any way a salesperson writes a number; stored as E.164.
    pub to: String,
    pub text: String,
    pub idempotency_key: Option<String>,
    /// Commercial (to an individual or a merchant) or informational; None: as the
    /// integration is set up.
    pub iys: Option<crate::iys::Kind>,
}

/// The text as it is sent: line breaks kept (as `\n`), nothing else invisible.
fn text(t: &str) -> Result<String, SmsError> {
    text_within(t, TEXT_MAX)
}

/// A message's text as SMS and chat take it: line breaks kept (as `\n`), nothing else
/// invisible, not empty, at most `max` characters.
pub(crate) fn text_within(t: &str, max: usize) -> Result<String, SmsError> {
    let t = t.replace("\r\n", "\n");
    if t.chars().any(|c| c.is_control() && c != '\n') {
        return Err(SmsError::ControlChars);
    }
    let t = t.trim();
    if t.is_empty() {
        return Err(SmsError::EmptyText);
    }
    if t.chars().count() > max {
        return Err(SmsError::TooLong { max });
    }
    Ok(t.to_string())
}

/// Validates a draft into the message the outbox stores. Pure: no store, no network.
pub fn build(d: &SmsDraft, now: DateTime<Utc>) -> Result<NewMessage, SmsError> {
    let to = validate::phone("to", &d.to, true)?;
    let text = text(&d.text)?;
    let subject: String = text.replace('\n', " ").chars().take(80).collect();
    let payload = serde_json::to_vec(&Sms {
        to: to.clone(),
        text,
        iys: d.iys,
    })
    .expect("plain struct");
    Ok(crate::provider::to_number(
        Channel::Sms,
        "sms",
        d.via.as_ref(),
        d.company_id,
        to,
        subject,
        payload,
        d.idempotency_key.clone(),
        now,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turkish_letters_outside_gsm7_are_told_apart() {
        assert!(gsm7("Merhaba Ömer, Ürün ÇOK iyi! {fiyat} 100€"));
        for c in ["ş", "ğ", "ı", "İ", "Ş", "Ğ", "ç", "😀"] {
            assert!(!gsm7(&format!("Merhaba {c}")), "{c}");
        }
    }

    #[test]
    fn a_draft_becomes_an_e164_sms_with_its_text() {
        let d = SmsDraft {
            to: "0532 123 45 67".into(),
            text: "Merhaba Işıl Hanım,\r\nteklifimiz hazır.".into(),
            ..Default::default()
        };
        let m = build(&d, Utc::now()).unwrap();
        assert_eq!(m.channel, Channel::Sms);
        assert_eq!(m.provider, ulak_outbox::queue::SANDBOX);
        let sms: Sms = serde_json::from_slice(&m.payload).unwrap();
        assert_eq!(sms.to, "+905321234567");
        assert_eq!(sms.text, "Merhaba Işıl Hanım,\nteklifimiz hazır.");
        assert_eq!(m.subject, "Merhaba Işıl Hanım, teklifimiz hazır.");
        assert_eq!(m.recipients, ["+905321234567"]);
    }

    #[test]
    fn bad_numbers_and_texts_are_refused_with_their_codes() {
        let ok = SmsDraft {
            to: "+90 532 123 45 67".into(),
            text: "x".into(),
            ..Default::default()
        };
        let cases = [
            (
                SmsDraft {
                    to: "12".into(),
                    ..ok.clone()
                },
                "validation.phone",
            ),
            (
                SmsDraft {
                    to: "".into(),
                    ..ok.clone()
                },
                "validation.required",
            ),
            (
                SmsDraft {
                    text: "  ".into(),
                    ..ok.clone()
                },
                "validation.required",
            ),
            (
                SmsDraft {
                    text: "a\tb".into(),
                    ..ok.clone()
                },
                "validation.control_chars",
            ),
            (
                SmsDraft {
                    text: "ş".repeat(TEXT_MAX + 1),
                    ..ok.clone()
                },
                "validation.too_long",
            ),
        ];
        for (d, code) in cases {
            assert_eq!(build(&d, Utc::now()).unwrap_err().code(), code, "{d:?}");
        }
    }
}
