//! WhatsApp: a text or an approved template to a phone number. A provider implements
//! `WhatsappProvider` in a module of its own (Meta's Cloud API, Twilio); the sandbox
//! writes JSON files. What is queued is `WhatsApp` as JSON, the number in E.164.
//!
//! WhatsApp lets free text reach a customer only inside the 24-hour customer-service
//! window (the customer wrote last within a day); outside it only an approved template
//! goes. Ulak cannot see the customer's messages yet, so the composer explains both and
//! a provider's "outside the window" answer becomes `FailureCode::OutsideWindow`.

pub mod client;
pub mod meta;
pub mod sandbox;
pub mod twilio;

use std::future::Future;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ulak_core::validate::{self, ValidationError, LIMITS};
use ulak_core::{ErrorCode, UserFacing};
use ulak_outbox::failure::{Failure, FailureCode};
use ulak_outbox::queue::{Channel, NewMessage};

pub use crate::provider::Receipt;

/// The stored payload of a WhatsApp message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhatsApp {
    /// E.164, e.g. `+905321234567`.
    pub to: String,
    #[serde(flatten)]
    pub content: Content,
}

/// What a WhatsApp message carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Content {
    /// Free text: goes only inside the 24-hour window.
    Text { body: String },
    /// An approved template: Meta's template name (or Twilio's Content SID), its
    /// language, and the values of its `{{1}}`, `{{2}}`… in order.
    Template {
        name: String,
        language: String,
        params: Vec<String>,
    },
}

/// One WhatsApp provider: sends one stored message, or says why not.
pub trait WhatsappProvider: Sync {
    fn send(
        &self,
        id: i64,
        reference: &str,
        msg: &WhatsApp,
    ) -> impl Future<Output = Result<Receipt, Failure>> + Send;
}

#[derive(Debug, thiserror::Error)]
pub enum WhatsappError {
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error("the template name {0:?} is not one the provider knows the form of")]
    TemplateName(String),
    #[error("the language {0:?} is not a language code like tr or en_US")]
    Language(String),
    #[error("a template takes at most {max} parameters")]
    TooManyParams { max: usize },
}

impl UserFacing for WhatsappError {
    fn code(&self) -> ErrorCode {
        match self {
            WhatsappError::Invalid(v) => v.code(),
            WhatsappError::TemplateName(_) => ErrorCode::WhatsappTemplateName,
            WhatsappError::Language(_) => ErrorCode::WhatsappLanguage,
            WhatsappError::TooManyParams { .. } => ErrorCode::WhatsappTooManyParams,
        }
    }
    fn hint(&self) -> Option<String> {
        match self {
            WhatsappError::Invalid(v) => v.hint(),
            WhatsappError::TemplateName(_) => Some(
                "Meta: the template's name in lower-case letters, digits and _; Twilio: its \
                 Content SID (HX…)."
                    .into(),
            ),
            WhatsappError::Language(_) => {
                Some("Use the code the template was approved in: tr, en, en_US.".into())
            }
            WhatsappError::TooManyParams { max } => Some(format!("Give at most {max}.")),
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            WhatsappError::Invalid(v) => v.field(),
            WhatsappError::TemplateName(_) => Some("template"),
            WhatsappError::Language(_) => Some("language"),
            WhatsappError::TooManyParams { .. } => Some("params"),
        }
    }
    fn detail(&self) -> Option<String> {
        match self {
            WhatsappError::Invalid(v) => v.detail(),
            _ => None,
        }
    }
}

/// What the composer (or `ulak whatsapp send`) hands over.
#[derive(Debug, Clone, Default)]
pub struct WhatsappDraft {
    /// The provider (`meta`, `twilio`) and its integration's id; None: the sandbox.
    pub via: Option<(String, i64)>,
    pub company_id: Option<i64>,
    /// Any way a salesperson writes a number; stored as E.164.
    pub to: String,
    pub content: Content,
    pub idempotency_key: Option<String>,
}

impl Default for Content {
    fn default() -> Self {
        Content::Text {
            body: String::new(),
        }
    }
}

/// The longest free text Twilio sends (its Messages resource's Body).
pub const TWILIO_BODY_MAX: usize = LIMITS.whatsapp_twilio_text;

/// Meta's template names: lower-case letters, digits and underscores.
fn meta_template(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Twilio's Content SIDs: `HX` and 32 hex digits.
fn twilio_content_sid(name: &str) -> bool {
    name.len() == 34 && name.starts_with("HX") && name[2..].chars().all(|c| c.is_ascii_hexdigit())
}

/// `tr`, `en`, `en_US`, `pt_BR`: the codes WhatsApp templates are approved in.
fn language(code: &str) -> bool {
    let (lang, region) = code.split_once('_').unwrap_or((code, ""));
    (2..=3).contains(&lang.len())
        && lang.chars().all(|c| c.is_ascii_lowercase())
        && (region.is_empty()
            || (region.len() == 2 && region.chars().all(|c| c.is_ascii_uppercase())))
}

/// A text that goes as it is: line breaks kept, nothing else invisible.
fn body(t: &str) -> Result<String, ValidationError> {
    let t = t.replace("\r\n", "\n");
    if t.chars().any(|c| c.is_control() && c != '\n') {
        return Err(ValidationError::ControlChars { field: "text" });
    }
    let t = t.trim();
    if t.is_empty() {
        return Err(ValidationError::Required { field: "text" });
    }
    if t.chars().count() > LIMITS.whatsapp_text {
        return Err(ValidationError::TooLong {
            field: "text",
            max: LIMITS.whatsapp_text,
        });
    }
    Ok(t.to_string())
}

/// The content checked for the provider it goes through (`None`: the sandbox, which
/// takes either form of template name).
fn content(provider: Option<&str>, c: &Content) -> Result<Content, WhatsappError> {
    Ok(match c {
        Content::Text { body: b } => {
            let body = body(b)?;
            // Twilio's Messages resource takes at most 1,600 characters of Body.
            if provider == Some(twilio::PROVIDER) && body.chars().count() > TWILIO_BODY_MAX {
                return Err(ValidationError::TooLong {
                    field: "text",
                    max: TWILIO_BODY_MAX,
                }
                .into());
            }
            Content::Text { body }
        }
        Content::Template {
            name,
            language: lang,
            params,
        } => {
            let name = validate::text("template", name, LIMITS.whatsapp_template, true)?;
            let fits = match provider {
                Some(twilio::PROVIDER) => twilio_content_sid(&name),
                Some(_) => meta_template(&name),
                None => meta_template(&name) || twilio_content_sid(&name),
            };
            if !fits {
                return Err(WhatsappError::TemplateName(name));
            }
            let lang = validate::text("language", lang, 16, true)?;
            if !language(&lang) {
                return Err(WhatsappError::Language(lang));
            }
            if params.len() > LIMITS.whatsapp_params {
                return Err(WhatsappError::TooManyParams {
                    max: LIMITS.whatsapp_params,
                });
            }
            // A parameter is one line: WhatsApp refuses line breaks and tabs in them.
            let params = params
                .iter()
                .map(|p| validate::text("params", p, LIMITS.whatsapp_param, true))
                .collect::<Result<Vec<_>, _>>()?;
            Content::Template {
                name,
                language: lang,
                params,
            }
        }
    })
}

/// What the history shows as the message's subject.
fn subject(c: &Content) -> String {
    match c {
        Content::Text { body } => body.replace('\n', " ").chars().take(80).collect(),
        Content::Template {
            name,
            language,
            params,
        } => {
            let mut s = format!("{name} ({language})");
            if !params.is_empty() {
                s.push_str(": ");
                s.push_str(&params.join(", "));
            }
            s.chars().take(80).collect()
        }
    }
}

/// Validates a draft into the message the outbox stores. Pure: no store, no network.
pub fn build(d: &WhatsappDraft, now: DateTime<Utc>) -> Result<NewMessage, WhatsappError> {
    let to = validate::phone("to", &d.to, true)?;
    let content = content(d.via.as_ref().map(|(p, _)| p.as_str()), &d.content)?;
    let subject = subject(&content);
    let payload = serde_json::to_vec(&WhatsApp {
        to: to.clone(),
        content,
    })
    .expect("plain struct");
    Ok(crate::provider::to_number(
        Channel::Whatsapp,
        "wa",
        d.via.as_ref(),
        d.company_id,
        to,
        subject,
        payload,
        d.idempotency_key.clone(),
        now,
    ))
}

/// A stored payload read back; one that is not a WhatsApp message (a corrupt row) will
/// not become one by retrying.
pub fn read(payload: &[u8]) -> Result<WhatsApp, Failure> {
    serde_json::from_slice(payload).map_err(|e| {
        Failure::permanent(
            FailureCode::Unsendable,
            format!("not a WhatsApp message: {e}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(name: &str, language: &str, params: &[&str]) -> Content {
        Content::Template {
            name: name.into(),
            language: language.into(),
            params: params.iter().map(|p| p.to_string()).collect(),
        }
    }

    #[test]
    fn a_template_draft_is_stored_as_e164_with_its_parameters() {
        let d = WhatsappDraft {
            via: Some(("meta".into(), 3)),
            to: "0532 123 45 67".into(),
            content: template("teklif_hatirlatma", "tr", &["Işıl Hanım", "ÖZTÜRK GIDA"]),
            ..Default::default()
        };
        let m = build(&d, Utc::now()).unwrap();
        assert_eq!(
            (m.channel, m.provider.as_str()),
            (Channel::Whatsapp, "meta")
        );
        assert_eq!(m.account_id, Some(3));
        let stored = read(&m.payload).unwrap();
        assert_eq!(stored.to, "+905321234567");
        assert_eq!(stored.content, d.content);
        assert_eq!(m.subject, "teklif_hatirlatma (tr): Işıl Hanım, ÖZTÜRK GIDA");
        let json: serde_json::Value = serde_json::from_slice(&m.payload).unwrap();
        assert_eq!(json["type"], "template");
    }

    #[test]
    fn a_text_keeps_its_line_breaks() {
        let d = WhatsappDraft {
            to: "+90 532 123 45 67".into(),
            content: Content::Text {
                body: "Merhaba Şükrü Bey,\r\nkatalog ekte.".into(),
            },
            ..Default::default()
        };
        let stored = read(&build(&d, Utc::now()).unwrap().payload).unwrap();
        assert_eq!(
            stored.content,
            Content::Text {
                body: "Merhaba Şükrü Bey,\nkatalog ekte.".into()
            }
        );
    }

    #[test]
    fn template_names_follow_the_provider() {
        let sid = "HX0123456789abcdef0123456789abcdef";
        let case = |provider: Option<&str>, name: &str| {
            let d = WhatsappDraft {
                via: provider.map(|p| (p.to_string(), 1)),
                to: "05321234567".into(),
                content: template(name, "tr", &[]),
                ..Default::default()
            };
            build(&d, Utc::now()).map(|_| ()).map_err(|e| e.code())
        };
        assert_eq!(case(Some("meta"), "teklif_1"), Ok(()));
        assert_eq!(
            case(Some("meta"), sid),
            Err(ErrorCode::WhatsappTemplateName)
        );
        assert_eq!(
            case(Some("meta"), "Teklif Şablonu"),
            Err(ErrorCode::WhatsappTemplateName)
        );
        assert_eq!(case(Some("twilio"), sid), Ok(()));
        assert_eq!(
            case(Some("twilio"), "teklif_1"),
            Err(ErrorCode::WhatsappTemplateName)
        );
        assert_eq!(case(None, sid), Ok(()));
        assert_eq!(case(None, "teklif_1"), Ok(()));
    }

    #[test]
    fn twilio_takes_shorter_free_text_than_meta() {
        let long = "ş".repeat(TWILIO_BODY_MAX + 1);
        let draft = |provider: &str| WhatsappDraft {
            via: Some((provider.to_string(), 1)),
            to: "05321234567".into(),
            content: Content::Text { body: long.clone() },
            ..Default::default()
        };
        assert!(build(&draft("meta"), Utc::now()).is_ok());
        let e = build(&draft("twilio"), Utc::now()).unwrap_err();
        assert_eq!(e.code(), ErrorCode::ValidationTooLong);
        assert_eq!(e.hint().unwrap(), "Shorten it to 1600 characters.");
    }

    #[test]
    fn bad_drafts_are_refused_with_their_codes() {
        let ok = WhatsappDraft {
            to: "05321234567".into(),
            content: template("teklif", "tr", &["a"]),
            ..Default::default()
        };
        let many: Vec<&str> = vec!["x"; LIMITS.whatsapp_params + 1];
        let cases = [
            (
                WhatsappDraft {
                    to: "12".into(),
                    ..ok.clone()
                },
                ErrorCode::ValidationPhone,
            ),
            (
                WhatsappDraft {
                    to: "".into(),
                    ..ok.clone()
                },
                ErrorCode::ValidationRequired,
            ),
            (
                WhatsappDraft {
                    content: template("teklif", "türkçe", &[]),
                    ..ok.clone()
                },
                ErrorCode::WhatsappLanguage,
            ),
            (
                WhatsappDraft {
                    content: template("teklif", "tr", &many),
                    ..ok.clone()
                },
                ErrorCode::WhatsappTooManyParams,
            ),
            (
                WhatsappDraft {
                    content: template("teklif", "tr", &["iki\nsatır"]),
                    ..ok.clone()
                },
                ErrorCode::ValidationControlChars,
            ),
            (
                WhatsappDraft {
                    content: template("teklif", "tr", &[" "]),
                    ..ok.clone()
                },
                ErrorCode::ValidationRequired,
            ),
            (
                WhatsappDraft {
                    content: Content::Text { body: " ".into() },
                    ..ok.clone()
                },
                ErrorCode::ValidationRequired,
            ),
            (
                WhatsappDraft {
                    content: Content::Text {
                        body: "a\tb".into(),
                    },
                    ..ok.clone()
                },
                ErrorCode::ValidationControlChars,
            ),
            (
                WhatsappDraft {
                    content: Content::Text {
                        body: "ş".repeat(LIMITS.whatsapp_text + 1),
                    },
                    ..ok.clone()
                },
                ErrorCode::ValidationTooLong,
            ),
        ];
        for (d, code) in cases {
            assert_eq!(build(&d, Utc::now()).unwrap_err().code(), code, "{d:?}");
        }
    }

    #[test]
    fn a_corrupt_payload_is_final() {
        let f = read(b"{\"to\":1}").unwrap_err();
        assert_eq!(f.code, FailureCode::Unsendable);
        assert!(!f.kind.retries());
    }
}
