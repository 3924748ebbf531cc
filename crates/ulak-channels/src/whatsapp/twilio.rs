//! Twilio's WhatsApp: the same Messages resource as Twilio SMS (`crate::sms::twilio`,
//! its auth, its error map), with both numbers prefixed `whatsapp:` (spec:
//! `specs/whatsapp/twilio.toml`).
//!
//! - Free text: `Body`.
//! - A template: `ContentSid` (the approved content template, `HX…`) and
//!   `ContentVariables`, a JSON object `{"1": "…", "2": "…"}`; the template carries its
//!   language, so the stored one is not sent.

use ulak_outbox::failure::Failure;

use super::{Content, Receipt, WhatsApp, WhatsappProvider};
pub use crate::sms::twilio::{Settings, Twilio, PROVIDER};

pub const PREFIX: &str = "whatsapp:";

/// The form fields for one message, the sender aside.
pub fn fields(msg: &WhatsApp) -> Vec<(&'static str, String)> {
    let mut f = vec![("To", format!("{PREFIX}{}", msg.to))];
    match &msg.content {
        Content::Text { body } => f.push(("Body", body.clone())),
        Content::Template { name, params, .. } => {
            f.push(("ContentSid", name.clone()));
            if !params.is_empty() {
                let vars: serde_json::Map<String, serde_json::Value> = params
                    .iter()
                    .enumerate()
                    .map(|(i, p)| ((i + 1).to_string(), p.clone().into()))
                    .collect();
                f.push((
                    "ContentVariables",
                    serde_json::Value::Object(vars).to_string(),
                ));
            }
        }
    }
    f
}

impl WhatsappProvider for Twilio {
    async fn send(&self, _id: i64, _reference: &str, msg: &WhatsApp) -> Result<Receipt, Failure> {
        self.create(fields(msg), PREFIX).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_prefixed_and_templates_carry_numbered_variables() {
        let msg = WhatsApp {
            to: "+905321234567".into(),
            content: Content::Template {
                name: "HX0123456789abcdef0123456789abcdef".into(),
                language: "tr".into(),
                params: vec!["Işıl Hanım".into(), "12.12.2026".into()],
            },
        };
        let f = fields(&msg);
        assert_eq!(f[0], ("To", "whatsapp:+905321234567".to_string()));
        assert_eq!(f[1].0, "ContentSid");
        let vars: serde_json::Value = serde_json::from_str(&f[2].1).unwrap();
        assert_eq!(
            vars,
            serde_json::json!({"1": "Işıl Hanım", "2": "12.12.2026"})
        );
        let text = WhatsApp {
            content: Content::Text {
                body: "Merhaba".into(),
            },
            ..msg
        };
        assert_eq!(fields(&text)[1], ("Body", "Merhaba".to_string()));
    }
}
