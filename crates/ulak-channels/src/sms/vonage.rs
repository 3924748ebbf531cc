//! Vonage (Nexmo) SMS API (spec: `specs/sms/vonage.toml`).
//!
//! - Send: `POST {base}/sms/json`, form-encoded `api_key`, `api_secret`, `from`, `to`
//!   (international format, digits only: `905321234567`), `text`, and `type=unicode`
//!   when the text does not fit GSM-7 (Turkish ş, ğ, ı…). Vonage answers 200 with
//!   `messages[0].status` "0" and its `message-id`; any other status is the failure, with
//!   its `error-text`.
//! - Connection test: `GET {base}/account/get-balance?api_key=…&api_secret=…`.

use std::collections::BTreeMap;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use ulak_outbox::failure::{Failure, FailureCode, Kind};

use super::{gsm7, Receipt, Sms, SmsProvider};

pub const PROVIDER: &str = "vonage";

pub struct Settings {
    pub base_url: String,
    pub api_key: String,
    pub api_secret: SecretString,
    pub from: String,
}

impl Settings {
    pub fn from_fields(
        base_url: &str,
        values: &BTreeMap<String, String>,
        api_secret: Option<SecretString>,
    ) -> Result<Settings, String> {
        let get = |k: &str| values.get(k).filter(|v| !v.is_empty()).cloned();
        Ok(Settings {
            base_url: base_url.trim_end_matches('/').to_string(),
            api_key: get("apiKey").ok_or("Vonage needs the API key")?,
            api_secret: api_secret.ok_or("Vonage needs the API secret")?,
            from: get("from").ok_or("Vonage needs a sender (from)")?,
        })
    }
}

pub struct Vonage {
    http: reqwest::Client,
    s: Settings,
}

#[derive(Deserialize)]
struct Answer {
    messages: Vec<Part>,
}

#[derive(Deserialize)]
struct Part {
    status: String,
    #[serde(rename = "message-id")]
    message_id: Option<String>,
    #[serde(rename = "error-text")]
    error_text: Option<String>,
}

impl Vonage {
    pub fn new(s: Settings) -> Vonage {
        Vonage {
            http: crate::http::client(),
            s,
        }
    }

    /// The connection test: reads the balance, sends nothing.
    pub async fn check(&self) -> Result<(), Failure> {
        let r = self
            .http
            .get(format!("{}/account/get-balance", self.s.base_url))
            .query(&[
                ("api_key", self.s.api_key.as_str()),
                ("api_secret", self.s.api_secret.expose_secret()),
            ])
            .send()
            .await
            .map_err(unreachable)?;
        match r.status().as_u16() {
            200..=299 => Ok(()),
            401 => Err(Failure::new(
                Kind::SignIn,
                FailureCode::SignIn,
                "Vonage did not accept the API key and secret",
            )),
            s => Err(status_failure(s, &r.text().await.unwrap_or_default())),
        }
    }
}

impl SmsProvider for Vonage {
    async fn send(&self, _id: i64, _reference: &str, sms: &Sms) -> Result<Receipt, Failure> {
        // Vonage wants the international number without its "+".
        let to = sms.to.trim_start_matches('+');
        let mut form = vec![
            ("api_key", self.s.api_key.as_str()),
            ("api_secret", self.s.api_secret.expose_secret()),
            ("from", self.s.from.as_str()),
            ("to", to),
            ("text", sms.text.as_str()),
        ];
        if !gsm7(&sms.text) {
            form.push(("type", "unicode"));
        }
        let r = self
            .http
            .post(format!("{}/sms/json", self.s.base_url))
            .form(&form)
            .send()
            .await
            .map_err(unreachable)?;
        let status = r.status().as_u16();
        let body = r.text().await.unwrap_or_default();
        if !(200..300).contains(&status) {
            return Err(status_failure(status, &body));
        }
        let answer: Answer = serde_json::from_str(&body).map_err(|e| {
            Failure::permanent(
                FailureCode::Other,
                format!("Vonage's answer was unreadable: {e}"),
            )
        })?;
        let Some(first) = answer.messages.first() else {
            return Err(Failure::permanent(
                FailureCode::Other,
                "Vonage answered no message",
            ));
        };
        if first.status == "0" {
            return Ok(Receipt {
                provider_id: first.message_id.clone().unwrap_or_default(),
            });
        }
        Err(failure(
            &first.status,
            first.error_text.as_deref().unwrap_or(""),
        ))
    }
}

fn unreachable(e: reqwest::Error) -> Failure {
    crate::http::unreachable("Vonage", e)
}

fn status_failure(status: u16, body: &str) -> Failure {
    let text = format!("Vonage answered HTTP {status}: {body:.200}");
    match status {
        401 | 403 => Failure::new(Kind::SignIn, FailureCode::SignIn, text),
        429 => Failure::new(Kind::RateLimited, FailureCode::ServerBusy, text),
        500..=599 => Failure::transient(FailureCode::ServerBusy, text),
        _ => Failure::permanent(FailureCode::Other, text),
    }
}

/// Vonage's error map: a message's `status` → a typed failure, with its `error-text`.
/// Codes: <https://developer.vonage.com/en/messaging/sms/guides/troubleshooting-sms>.
pub fn failure(status: &str, error_text: &str) -> Failure {
    let text = format!("Vonage status {status}: {error_text}");
    let (kind, code) = match status {
        // Throttled: faster than the account's rate.
        "1" => (Kind::RateLimited, FailureCode::ServerBusy),
        // Missing or invalid parameters: the message cannot be put in Vonage's form.
        "2" | "3" => (Kind::Permanent, FailureCode::Unsendable),
        // Invalid credentials.
        "4" => (Kind::SignIn, FailureCode::SignIn),
        // Internal error; communication failure.
        "5" | "13" => (Kind::Transient, FailureCode::ServerBusy),
        // Invalid message: unroutable number; number unreachable.
        "6" | "17" => (Kind::Permanent, FailureCode::NoSuchRecipient),
        // Number barred; account barred; out of credit; sender not allowed; illegal
        // sender for the destination; non-whitelisted destination (demo account).
        "7" | "8" | "9" | "15" | "22" | "29" => (Kind::Policy, FailureCode::Refused),
        // Message too long.
        "12" => (Kind::Permanent, FailureCode::TooLarge),
        _ => (Kind::Permanent, FailureCode::Other),
    };
    Failure::new(kind, code, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mapped_status_has_its_kind_and_code() {
        let cases = [
            ("1", Kind::RateLimited, FailureCode::ServerBusy),
            ("2", Kind::Permanent, FailureCode::Unsendable),
            ("3", Kind::Permanent, FailureCode::Unsendable),
            ("4", Kind::SignIn, FailureCode::SignIn),
            ("5", Kind::Transient, FailureCode::ServerBusy),
            ("13", Kind::Transient, FailureCode::ServerBusy),
            ("6", Kind::Permanent, FailureCode::NoSuchRecipient),
            ("17", Kind::Permanent, FailureCode::NoSuchRecipient),
            ("7", Kind::Policy, FailureCode::Refused),
            ("8", Kind::Policy, FailureCode::Refused),
            ("9", Kind::Policy, FailureCode::Refused),
            ("15", Kind::Policy, FailureCode::Refused),
            ("22", Kind::Policy, FailureCode::Refused),
            ("29", Kind::Policy, FailureCode::Refused),
            ("12", Kind::Permanent, FailureCode::TooLarge),
            ("99", Kind::Permanent, FailureCode::Other),
        ];
        for (status, kind, code) in cases {
            let f = failure(status, "words");
            assert_eq!((f.kind, f.code), (kind, code), "{status}");
            assert!(f.text.contains("words"));
        }
        assert_eq!(status_failure(503, "").kind, Kind::Transient);
        assert_eq!(status_failure(401, "").kind, Kind::SignIn);
    }
}
