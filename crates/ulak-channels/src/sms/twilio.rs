//! Twilio Programmable Messaging (spec: `specs/sms/twilio.toml`).
//!
//! - Send: `POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded
//!   `To` (E.164), `Body`, and `From` or `MessagingServiceSid`; HTTP Basic auth with the
//!   Account SID (or an API key's SID) and the Auth Token (or the key's secret). Twilio
//!   answers 201 with the message's `sid`.
//! - Connection test: `GET {base}/2010-04-01/Accounts/{AccountSid}.json`, which sends
//!   nothing.
//! - Errors are JSON `{code, message, more_info, status}`; [`failure`] is the error map.

use std::collections::BTreeMap;
use std::time::Duration;

use reqwest::StatusCode;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use ulak_outbox::failure::{Failure, FailureCode, Kind};

use super::{Receipt, Sms, SmsProvider};
use crate::provider::Delivery;

pub const PROVIDER: &str = "twilio";

/// What a Twilio integration holds: the spec's fields and its secret.
pub struct Settings {
    /// No trailing slash (`validate::url` trims it).
    pub base_url: String,
    pub account_sid: String,
    /// Set when an API key signs the requests instead of the Account SID.
    pub api_key_sid: Option<String>,
    pub auth_token: SecretString,
    pub from: Option<String>,
    pub messaging_service_sid: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SetupError {
    #[error("Twilio needs a sender: a From number or a Messaging Service SID")]
    NoSender,
    #[error("Twilio needs {0}")]
    Missing(&'static str),
}

impl Settings {
    /// From an integration's values (spec keys) and its secret.
    pub fn from_fields(
        base_url: &str,
        values: &BTreeMap<String, String>,
        auth_token: Option<SecretString>,
    ) -> Result<Settings, SetupError> {
        let get = |k: &str| values.get(k).filter(|v| !v.is_empty()).cloned();
        let s = Settings {
            base_url: base_url.trim_end_matches('/').to_string(),
            account_sid: get("accountSid").ok_or(SetupError::Missing("accountSid"))?,
            api_key_sid: get("apiKeySid"),
            auth_token: auth_token.ok_or(SetupError::Missing("authToken"))?,
            from: get("from"),
            messaging_service_sid: get("messagingServiceSid"),
        };
        if s.from.is_none() && s.messaging_service_sid.is_none() {
            return Err(SetupError::NoSender);
        }
        Ok(s)
    }
}

pub struct Twilio {
    http: reqwest::Client,
    s: Settings,
}

#[derive(Deserialize)]
struct Created {
    sid: String,
}

/// A message resource as fetched: its status and, when it failed, why.
#[derive(Deserialize)]
struct Fetched {
    status: String,
    error_code: Option<i64>,
    error_message: Option<String>,
}

#[derive(Deserialize, Default)]
struct ErrorBody {
    code: Option<i64>,
    message: Option<String>,
}

impl Twilio {
    pub fn new(s: Settings) -> Twilio {
        Twilio {
            http: crate::http::client(),
            s,
        }
    }

    fn user(&self) -> &str {
        self.s.api_key_sid.as_deref().unwrap_or(&self.s.account_sid)
    }

    fn account_url(&self, rest: &str) -> String {
        format!(
            "{}/2010-04-01/Accounts/{}{rest}",
            self.s.base_url, self.s.account_sid
        )
    }

    /// The connection test: reads the account, sends nothing.
    pub async fn check(&self) -> Result<(), Failure> {
        let r = self
            .http
            .get(self.account_url(".json"))
            .basic_auth(self.user(), Some(self.s.auth_token.expose_secret()))
            .send()
            .await
            .map_err(unreachable)?;
        if r.status().is_success() {
            return Ok(());
        }
        Err(from_response(r).await)
    }
}

impl Twilio {
    /// Whether message `sid` reached the handset: `GET …/Messages/{sid}.json`; None while
    /// Twilio does not know yet (queued, sending, sent).
    pub async fn delivery(&self, sid: &str) -> Result<Option<Delivery>, Failure> {
        let r = self
            .http
            .get(self.account_url(&format!("/Messages/{sid}.json")))
            .basic_auth(self.user(), Some(self.s.auth_token.expose_secret()))
            .send()
            .await
            .map_err(unreachable)?;
        if !r.status().is_success() {
            return Err(from_response(r).await);
        }
        let text = r.text().await.unwrap_or_default();
        let m: Fetched = serde_json::from_str(&text).map_err(|e| {
            Failure::permanent(
                FailureCode::Other,
                format!("Twilio's message unreadable: {e}"),
            )
        })?;
        Ok(match m.status.as_str() {
            "delivered" | "read" => Some(Delivery::Delivered),
            "undelivered" | "failed" => Some(Delivery::Undelivered(
                match (m.error_code, m.error_message) {
                    (Some(c), Some(t)) => format!("Twilio {c}: {t}"),
                    (Some(c), None) => format!("Twilio {c}"),
                    (None, _) => format!("Twilio: {}", m.status),
                },
            )),
            _ => None,
        })
    }

    /// Creates one Message resource: `fields` (To, Body or ContentSid…) and the
    /// integration's sender, `From` prefixed with `prefix` (`whatsapp:` for WhatsApp) or
    /// the Messaging Service. Answers with the message's sid.
    pub(crate) async fn create(
        &self,
        mut fields: Vec<(&'static str, String)>,
        prefix: &str,
    ) -> Result<Receipt, Failure> {
        match (&self.s.messaging_service_sid, &self.s.from) {
            (Some(service), _) => fields.push(("MessagingServiceSid", service.clone())),
            (None, Some(from)) if from.starts_with(prefix) => fields.push(("From", from.clone())),
            (None, Some(from)) => fields.push(("From", format!("{prefix}{from}"))),
            (None, None) => unreachable!("Settings::from_fields demands a sender"),
        }
        let r = self
            .http
            .post(self.account_url("/Messages.json"))
            .basic_auth(self.user(), Some(self.s.auth_token.expose_secret()))
            .form(&fields)
            .send()
            .await
            .map_err(unreachable)?;
        if !r.status().is_success() {
            return Err(from_response(r).await);
        }
        let text = r.text().await.unwrap_or_default();
        let created: Created = serde_json::from_str(&text).map_err(|e| {
            // It was taken (2xx) but the answer is unreadable: never send it twice.
            Failure::permanent(
                FailureCode::Other,
                format!("Twilio took the message but its answer was unreadable: {e}"),
            )
        })?;
        Ok(Receipt {
            provider_id: created.sid,
        })
    }
}

impl SmsProvider for Twilio {
    async fn send(&self, _id: i64, _reference: &str, sms: &Sms) -> Result<Receipt, Failure> {
        self.create(vec![("To", sms.to.clone()), ("Body", sms.text.clone())], "")
            .await
    }
}

fn unreachable(e: reqwest::Error) -> Failure {
    crate::http::unreachable("Twilio", e)
}

async fn from_response(r: reqwest::Response) -> Failure {
    let (status, retry_after, body) = crate::http::refusal(r).await;
    failure(status, retry_after, &body)
}

/// Twilio's error map: the HTTP status and Twilio's own code → a typed failure, with
/// Twilio's words kept beside it. Codes: <https://www.twilio.com/docs/api/errors>.
pub fn failure(status: StatusCode, retry_after: Option<Duration>, body: &str) -> Failure {
    let e: ErrorBody = serde_json::from_str(body).unwrap_or_default();
    let code = e.code.unwrap_or(0);
    let text = match (&e.message, e.code) {
        (Some(m), Some(c)) => format!("Twilio {c}: {m}"),
        (Some(m), None) => format!("Twilio: {m}"),
        _ => format!("Twilio answered {status}"),
    };
    let (kind, failure_code) = match (status.as_u16(), code) {
        // Authenticate: the SID or the token is wrong.
        (_, 20003) | (401, _) => (Kind::SignIn, FailureCode::SignIn),
        // Too many requests: wait as told.
        (_, 20429) | (429, _) => (Kind::RateLimited, FailureCode::ServerBusy),
        // The number cannot get SMS: invalid, or not a mobile.
        (_, 21211 | 21614 | 21217 | 21407) => (Kind::Permanent, FailureCode::NoSuchRecipient),
        // Policy: recipient unsubscribed (STOP), trial account to an unverified number,
        // a region not enabled, a sender that is not the account's.
        (_, 21610 | 21608 | 21408 | 21612 | 21606 | 21212 | 21659) => {
            (Kind::Policy, FailureCode::Refused)
        }
        // The message itself: too long.
        (_, 21617) => (Kind::Permanent, FailureCode::TooLarge),
        // WhatsApp: free text outside the 24-hour window; a number not on WhatsApp; a
        // From that is not a WhatsApp sender of the account; a content template (its
        // SID or its variables) that does not fit; the sender's rate limit.
        (_, 63016) => (Kind::Policy, FailureCode::OutsideWindow),
        (_, 63003 | 63024) => (Kind::Permanent, FailureCode::NoSuchRecipient),
        (_, 63007) => (Kind::Policy, FailureCode::Refused),
        (_, 21655 | 21656) => (Kind::Permanent, FailureCode::TemplateInvalid),
        (_, 63018) => (Kind::RateLimited, FailureCode::ServerBusy),
        (500..=599, _) => (Kind::Transient, FailureCode::ServerBusy),
        _ => (Kind::Permanent, FailureCode::Other),
    };
    let mut f = Failure::new(kind, failure_code, text);
    if kind == Kind::RateLimited || kind == Kind::Transient {
        f.retry_after = retry_after;
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(code: i64, status: u16) -> String {
        format!(
            r#"{{"code":{code},"message":"m","more_info":"https://www.twilio.com/docs/errors/{code}","status":{status}}}"#
        )
    }

    /// One line per entry of the map: (HTTP status, Twilio code) → (kind, code).
    #[test]
    fn every_mapped_error_has_its_kind_and_code() {
        let cases = [
            (401, 20003, Kind::SignIn, FailureCode::SignIn),
            (429, 20429, Kind::RateLimited, FailureCode::ServerBusy),
            (400, 21211, Kind::Permanent, FailureCode::NoSuchRecipient),
            (400, 21614, Kind::Permanent, FailureCode::NoSuchRecipient),
            (400, 21217, Kind::Permanent, FailureCode::NoSuchRecipient),
            (400, 21407, Kind::Permanent, FailureCode::NoSuchRecipient),
            (400, 21610, Kind::Policy, FailureCode::Refused),
            (400, 21608, Kind::Policy, FailureCode::Refused),
            (400, 21408, Kind::Policy, FailureCode::Refused),
            (400, 21612, Kind::Policy, FailureCode::Refused),
            (400, 21606, Kind::Policy, FailureCode::Refused),
            (400, 21212, Kind::Policy, FailureCode::Refused),
            (400, 21659, Kind::Policy, FailureCode::Refused),
            (400, 21617, Kind::Permanent, FailureCode::TooLarge),
            (400, 63016, Kind::Policy, FailureCode::OutsideWindow),
            (400, 63003, Kind::Permanent, FailureCode::NoSuchRecipient),
            (400, 63024, Kind::Permanent, FailureCode::NoSuchRecipient),
            (400, 63007, Kind::Policy, FailureCode::Refused),
            (400, 21655, Kind::Permanent, FailureCode::TemplateInvalid),
            (400, 21656, Kind::Permanent, FailureCode::TemplateInvalid),
            (429, 63018, Kind::RateLimited, FailureCode::ServerBusy),
            (503, 20500, Kind::Transient, FailureCode::ServerBusy),
            (400, 21000, Kind::Permanent, FailureCode::Other),
        ];
        for (status, code, kind, fc) in cases {
            let f = failure(
                StatusCode::from_u16(status).unwrap(),
                None,
                &body(code, status),
            );
            assert_eq!((f.kind, f.code), (kind, fc), "{status} {code}");
            assert!(f.text.contains(&code.to_string()), "{}", f.text);
        }
    }

    #[test]
    fn retry_after_is_kept_only_where_a_retry_follows() {
        let wait = Some(Duration::from_secs(7));
        let f = failure(StatusCode::TOO_MANY_REQUESTS, wait, &body(20429, 429));
        assert_eq!(f.retry_after, wait);
        assert!(f.kind.retries());
        let f = failure(StatusCode::SERVICE_UNAVAILABLE, wait, "<html>busy</html>");
        assert_eq!((f.kind, f.retry_after), (Kind::Transient, wait));
        assert_eq!(f.text, "Twilio answered 503 Service Unavailable");
        let f = failure(StatusCode::BAD_REQUEST, wait, &body(21211, 400));
        assert_eq!(f.retry_after, None);
        assert!(!f.kind.retries());
    }

    #[test]
    fn settings_need_an_account_a_token_and_a_sender() {
        let mut v = BTreeMap::new();
        v.insert("accountSid".to_string(), "AC1".to_string());
        let token = || Some(SecretString::from("t".to_string()));
        assert_eq!(
            Settings::from_fields("https://api.twilio.com", &v, token()).err(),
            Some(SetupError::NoSender)
        );
        assert_eq!(
            Settings::from_fields("https://api.twilio.com", &v, None).err(),
            Some(SetupError::Missing("authToken"))
        );
        v.insert("from".to_string(), "+15005550006".to_string());
        let s = Settings::from_fields("https://api.twilio.com/", &v, token()).unwrap();
        assert_eq!(s.base_url, "https://api.twilio.com");
        assert_eq!(s.messaging_service_sid, None);
    }
}
