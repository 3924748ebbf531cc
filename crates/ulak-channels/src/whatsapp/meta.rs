//! Meta's WhatsApp Cloud API (spec: `specs/whatsapp/meta.toml`).
//!
//! - Send: `POST {base}/{phone-number-id}/messages`, JSON, `Authorization: Bearer
//!   {access token}`. The body is `{messaging_product: "whatsapp", recipient_type:
//!   "individual", to, type, …}` with `text: {preview_url, body}` for free text or
//!   `template: {name, language: {code}, components: [{type: "body", parameters:
//!   [{type: "text", text}…]}]}` for a template. `to` is the number's digits with the
//!   country code, no `+`. The base URL carries the Graph API version
//!   (`https://graph.facebook.com/v21.0`).
//! - Meta answers 200 with `{messages: [{id: "wamid…"}]}`.
//! - Connection test: `GET {base}/{phone-number-id}?fields=display_phone_number,
//!   verified_name`, which reads the number and sends nothing.
//! - Errors are `{error: {message, type, code, error_subcode, error_data: {details},
//!   fbtrace_id}}`; [`failure`] is the error map.

use std::collections::BTreeMap;
use std::time::Duration;

use reqwest::StatusCode;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::{json, Value};
use ulak_outbox::failure::{Failure, FailureCode, Kind};

use super::{Content, Receipt, WhatsApp, WhatsappProvider};

pub const PROVIDER: &str = "meta";

/// What a Cloud API integration holds.
pub struct Settings {
    /// With the Graph API version, no trailing slash.
    pub base_url: String,
    pub phone_number_id: String,
    pub access_token: SecretString,
}

impl Settings {
    pub fn from_fields(
        base_url: &str,
        values: &BTreeMap<String, String>,
        access_token: Option<SecretString>,
    ) -> Result<Settings, String> {
        let phone_number_id = values
            .get("phoneNumberId")
            .filter(|v| !v.is_empty())
            .cloned()
            .ok_or("the Cloud API needs the phone number ID")?;
        if !phone_number_id.chars().all(|c| c.is_ascii_digit()) {
            return Err("the phone number ID is digits only (WhatsApp Manager → API Setup)".into());
        }
        Ok(Settings {
            base_url: base_url.trim_end_matches('/').to_string(),
            phone_number_id,
            access_token: access_token.ok_or("the Cloud API needs the access token")?,
        })
    }
}

pub struct Meta {
    http: reqwest::Client,
    s: Settings,
}

#[derive(Deserialize)]
struct Sent {
    messages: Vec<SentMessage>,
}

#[derive(Deserialize)]
struct SentMessage {
    id: String,
}

#[derive(Deserialize, Default)]
struct ErrorBody {
    #[serde(default)]
    error: GraphError,
}

#[derive(Deserialize, Default)]
struct GraphError {
    message: Option<String>,
    code: Option<i64>,
    error_data: Option<ErrorData>,
}

#[derive(Deserialize, Default)]
struct ErrorData {
    details: Option<String>,
}

/// The request body for one message.
pub fn body(msg: &WhatsApp) -> Value {
    let to = msg.to.trim_start_matches('+');
    match &msg.content {
        Content::Text { body } => json!({
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": to,
            "type": "text",
            "text": { "preview_url": false, "body": body },
        }),
        Content::Template {
            name,
            language,
            params,
        } => {
            let mut template = json!({ "name": name, "language": { "code": language } });
            if !params.is_empty() {
                let parameters: Vec<Value> = params
                    .iter()
                    .map(|p| json!({ "type": "text", "text": p }))
                    .collect();
                template["components"] = json!([{ "type": "body", "parameters": parameters }]);
            }
            json!({
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": to,
                "type": "template",
                "template": template,
            })
        }
    }
}

impl Meta {
    pub fn new(s: Settings) -> Meta {
        Meta {
            http: crate::http::client(),
            s,
        }
    }

    /// The connection test: reads the phone number's display name, sends nothing.
    pub async fn check(&self) -> Result<(), Failure> {
        let r = self
            .http
            .get(format!("{}/{}", self.s.base_url, self.s.phone_number_id))
            .query(&[("fields", "display_phone_number,verified_name")])
            .bearer_auth(self.s.access_token.expose_secret())
            .send()
            .await
            .map_err(unreachable)?;
        if r.status().is_success() {
            return Ok(());
        }
        Err(from_response(r).await)
    }
}

impl WhatsappProvider for Meta {
    async fn send(&self, _id: i64, _reference: &str, msg: &WhatsApp) -> Result<Receipt, Failure> {
        let r = self
            .http
            .post(format!(
                "{}/{}/messages",
                self.s.base_url, self.s.phone_number_id
            ))
            .bearer_auth(self.s.access_token.expose_secret())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(serde_json::to_vec(&body(msg)).expect("plain JSON"))
            .send()
            .await
            .map_err(unreachable)?;
        if !r.status().is_success() {
            return Err(from_response(r).await);
        }
        let text = r.text().await.unwrap_or_default();
        let sent: Sent = serde_json::from_str(&text).map_err(|e| {
            // Taken (2xx) but unreadable: never send it twice.
            Failure::permanent(
                FailureCode::Other,
                format!("WhatsApp took the message but its answer was unreadable: {e}"),
            )
        })?;
        let id = sent
            .messages
            .into_iter()
            .next()
            .map(|m| m.id)
            .ok_or_else(|| {
                Failure::permanent(
                    FailureCode::Other,
                    "WhatsApp took the message but named no message id",
                )
            })?;
        Ok(Receipt { provider_id: id })
    }
}

fn unreachable(e: reqwest::Error) -> Failure {
    crate::http::unreachable("WhatsApp (Meta)", e)
}

async fn from_response(r: reqwest::Response) -> Failure {
    let (status, retry_after, body) = crate::http::refusal(r).await;
    failure(status, retry_after, &body)
}

/// The Cloud API's error map: the HTTP status and Meta's code → a typed failure, with
/// Meta's words kept beside it. Codes: WhatsApp Cloud API "Error codes".
pub fn failure(status: StatusCode, retry_after: Option<Duration>, body: &str) -> Failure {
    let e: ErrorBody = serde_json::from_str(body).unwrap_or_default();
    let e = e.error;
    let code = e.code.unwrap_or(-1);
    let details = e.error_data.and_then(|d| d.details);
    let text = match (&e.message, e.code) {
        (Some(m), Some(c)) => match &details {
            Some(d) => format!("WhatsApp {c}: {m} ({d})"),
            None => format!("WhatsApp {c}: {m}"),
        },
        _ => format!("WhatsApp answered {status}"),
    };
    let (kind, failure_code) = match (status.as_u16(), code) {
        // The access token expired or is wrong, or lacks the permission.
        (_, 0 | 190 | 10 | 200..=299) | (401, _) => (Kind::SignIn, FailureCode::SignIn),
        // Throughput, spam and per-recipient pair limits: wait and try again.
        (_, 4 | 80007 | 130429 | 131048 | 131056) | (429, _) => {
            (Kind::RateLimited, FailureCode::ServerBusy)
        }
        // Free text outside the 24-hour customer-service window.
        (_, 131047) => (Kind::Policy, FailureCode::OutsideWindow),
        // The number is not on WhatsApp (or cannot get this message).
        (_, 131026) => (Kind::Permanent, FailureCode::NoSuchRecipient),
        // A template that does not exist in that language, is not approved, or whose
        // parameters do not fit it.
        (_, 132000 | 132001 | 132005 | 132007 | 132012 | 132015 | 132016) => {
            (Kind::Permanent, FailureCode::TemplateInvalid)
        }
        // Policy: a test number not on the allowed list, an account locked or blocked,
        // a payment problem, a number not registered, Meta keeping the ecosystem safe.
        (_, 131030 | 131031 | 131042 | 131049 | 133010 | 368) => {
            (Kind::Policy, FailureCode::Refused)
        }
        // The request itself (a parameter Meta would not take).
        (_, 100 | 131008 | 131009 | 131051) => (Kind::Permanent, FailureCode::Unsendable),
        // Meta's side: unknown, temporary, service unavailable.
        (_, 1 | 2 | 131000 | 131016) | (500..=599, _) => (Kind::Transient, FailureCode::ServerBusy),
        _ => (Kind::Permanent, FailureCode::Other),
    };
    let mut f = Failure::new(kind, failure_code, text);
    if kind.retries() {
        f.retry_after = retry_after;
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body_of(code: i64) -> String {
        format!(
            r#"{{"error":{{"message":"m","type":"OAuthException","code":{code},"error_data":{{"messaging_product":"whatsapp","details":"d"}},"fbtrace_id":"A1"}}}}"#
        )
    }

    /// One line per entry of the map: (HTTP status, Meta code) → (kind, code).
    #[test]
    fn every_mapped_error_has_its_kind_and_code() {
        use FailureCode as C;
        let cases = [
            (401, 190, Kind::SignIn, C::SignIn),
            (400, 0, Kind::SignIn, C::SignIn),
            (403, 10, Kind::SignIn, C::SignIn),
            (403, 200, Kind::SignIn, C::SignIn),
            (400, 4, Kind::RateLimited, C::ServerBusy),
            (400, 80007, Kind::RateLimited, C::ServerBusy),
            (429, 130429, Kind::RateLimited, C::ServerBusy),
            (400, 131048, Kind::RateLimited, C::ServerBusy),
            (400, 131056, Kind::RateLimited, C::ServerBusy),
            (400, 131047, Kind::Policy, C::OutsideWindow),
            (400, 131026, Kind::Permanent, C::NoSuchRecipient),
            (400, 132000, Kind::Permanent, C::TemplateInvalid),
            (404, 132001, Kind::Permanent, C::TemplateInvalid),
            (400, 132012, Kind::Permanent, C::TemplateInvalid),
            (400, 131030, Kind::Policy, C::Refused),
            (400, 131031, Kind::Policy, C::Refused),
            (400, 368, Kind::Policy, C::Refused),
            (400, 133010, Kind::Policy, C::Refused),
            (400, 100, Kind::Permanent, C::Unsendable),
            (400, 131009, Kind::Permanent, C::Unsendable),
            (500, 131000, Kind::Transient, C::ServerBusy),
            (503, 131016, Kind::Transient, C::ServerBusy),
            (400, 135000, Kind::Permanent, C::Other),
        ];
        for (status, code, kind, fc) in cases {
            let f = failure(StatusCode::from_u16(status).unwrap(), None, &body_of(code));
            assert_eq!((f.kind, f.code), (kind, fc), "{status} {code}");
            assert_eq!(f.text, format!("WhatsApp {code}: m (d)"));
        }
    }

    #[test]
    fn retry_after_is_kept_only_where_a_retry_follows() {
        let wait = Some(Duration::from_secs(3));
        let f = failure(StatusCode::TOO_MANY_REQUESTS, wait, &body_of(130429));
        assert_eq!(f.retry_after, wait);
        let f = failure(StatusCode::BAD_GATEWAY, wait, "<html>");
        assert_eq!((f.kind, f.retry_after), (Kind::Transient, wait));
        assert_eq!(f.text, "WhatsApp answered 502 Bad Gateway");
        let f = failure(StatusCode::BAD_REQUEST, wait, &body_of(131047));
        assert_eq!(f.retry_after, None);
    }

    #[test]
    fn bodies_follow_the_documented_shape() {
        let text = WhatsApp {
            to: "+905321234567".into(),
            content: Content::Text {
                body: "Merhaba Işıl Hanım".into(),
            },
        };
        assert_eq!(
            body(&text),
            json!({"messaging_product": "whatsapp", "recipient_type": "individual",
                   "to": "905321234567", "type": "text",
                   "text": {"preview_url": false, "body": "Merhaba Işıl Hanım"}})
        );
        let t = WhatsApp {
            to: "+905321234567".into(),
            content: Content::Template {
                name: "teklif".into(),
                language: "tr".into(),
                params: vec!["Işıl".into()],
            },
        };
        assert_eq!(
            body(&t)["template"],
            json!({"name": "teklif", "language": {"code": "tr"},
                   "components": [{"type": "body",
                                   "parameters": [{"type": "text", "text": "Işıl"}]}]})
        );
        let bare = WhatsApp {
            content: Content::Template {
                name: "hello_world".into(),
                language: "en_US".into(),
                params: vec![],
            },
            ..t
        };
        assert!(body(&bare)["template"].get("components").is_none());
    }

    #[test]
    fn settings_need_a_numeric_phone_number_id_and_a_token() {
        let mut v = BTreeMap::new();
        let token = || Some(SecretString::from("EAAG".to_string()));
        assert!(Settings::from_fields("https://graph.facebook.com/v21.0", &v, token()).is_err());
        v.insert("phoneNumberId".to_string(), "10645".to_string());
        assert!(Settings::from_fields("https://graph.facebook.com/v21.0", &v, None).is_err());
        let s = Settings::from_fields("https://graph.facebook.com/v21.0/", &v, token()).unwrap();
        assert_eq!(s.base_url, "https://graph.facebook.com/v21.0");
        v.insert("phoneNumberId".to_string(), "+90 532".to_string());
        assert!(Settings::from_fields("https://graph.facebook.com/v21.0", &v, token()).is_err());
    }
}
