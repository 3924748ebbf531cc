//! Zoom through its API with a Server-to-Server OAuth app (the account ID, client ID and
//! client secret shown on the app's page in the Zoom App Marketplace):
//! - a token from `POST {oauth}/oauth/token?grant_type=account_credentials&account_id=…`
//!   with HTTP Basic client ID and secret (it lives an hour and has no refresh token, so
//!   one is asked for each use: meetings are made a few a day);
//! - a scheduled meeting (type 2) by `POST {api}/v2/users/{host}/meetings`, its start as
//!   the event's local time with the zone's name, its length in minutes; the account's
//!   own meeting settings (passcode, waiting room) apply;
//! - `DELETE {api}/v2/meetings/{id}` when the calendar refuses the event, so no meeting
//!   is left without its event.
//!
//! Zoom's tokens come from zoom.us and its API is api.zoom.us; a base URL other than
//! the default (a test server, a proxy) serves both.

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::{json, Value};
use ulak_outbox::failure::{Failure, FailureCode, Kind};

use super::{MeetingKind, MeetingLink, MeetingRequest};
use crate::integrations::{self, Integration};
use crate::provider::ClientError;

pub const PROVIDER: &str = "zoom";
/// Zoom's API, the spec's default base URL.
pub const API_BASE: &str = "https://api.zoom.us";
/// Where Zoom's tokens come from when the API is Zoom's own.
const OAUTH_BASE: &str = "https://zoom.us";
/// Zoom keeps a topic to 200 characters and an agenda to 2,000.
const MAX_TOPIC: usize = 200;
const MAX_AGENDA: usize = 2000;

pub struct Zoom {
    http: reqwest::Client,
    api: String,
    oauth: String,
    account_id: String,
    client_id: String,
    secret: SecretString,
    /// The Zoom user the meetings are made for: an address, or `me` (the app's owner).
    host: String,
}

/// Zoom's error body: `{"code", "message"}` from the API, `{"error", "reason"}` from
/// the token endpoint.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Answer {
    code: Option<i64>,
    message: Option<String>,
    error: Option<String>,
    reason: Option<String>,
}

impl Answer {
    fn words(&self) -> String {
        let w = self
            .message
            .as_deref()
            .or(self.reason.as_deref())
            .or(self.error.as_deref())
            .unwrap_or("no reason given");
        w.chars().take(300).collect()
    }
}

fn unreachable(e: reqwest::Error) -> Failure {
    crate::http::unreachable("Zoom", e)
}

impl Zoom {
    pub async fn for_integration(
        pool: &sqlx::SqlitePool,
        i: &Integration,
    ) -> Result<Zoom, ClientError> {
        let field = |k: &str| {
            i.settings
                .get(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let account_id = field("accountId")
            .ok_or_else(|| ClientError::Setup("Zoom needs the account ID".into()))?;
        let client_id = field("clientId")
            .ok_or_else(|| ClientError::Setup("Zoom needs the client ID".into()))?;
        let secret = integrations::secret(pool, i, "clientSecret")
            .await?
            .ok_or_else(|| ClientError::Setup("Zoom needs the client secret".into()))?;
        let base = integrations::base_url(i).unwrap_or_else(|| API_BASE.to_string());
        Ok(Zoom::new(
            &base,
            &account_id,
            &client_id,
            secret,
            field("host").as_deref(),
        ))
    }

    pub fn new(
        base_url: &str,
        account_id: &str,
        client_id: &str,
        secret: SecretString,
        host: Option<&str>,
    ) -> Zoom {
        let api = base_url.trim_end_matches('/').to_string();
        let oauth = if api == API_BASE {
            OAUTH_BASE.to_string()
        } else {
            api.clone()
        };
        Zoom {
            http: crate::http::client(),
            api,
            oauth,
            account_id: account_id.to_string(),
            client_id: client_id.to_string(),
            secret,
            host: host.unwrap_or("me").to_string(),
        }
    }

    /// A fresh token and the scopes Zoom says it carries.
    async fn token(&self) -> Result<(SecretString, Vec<String>), Failure> {
        let r = self
            .http
            .post(format!("{}/oauth/token", self.oauth))
            .query(&[
                ("grant_type", "account_credentials"),
                ("account_id", self.account_id.as_str()),
            ])
            .basic_auth(&self.client_id, Some(self.secret.expose_secret()))
            .send()
            .await
            .map_err(unreachable)?;
        let status = r.status().as_u16();
        let (_, wait, text) = crate::http::refusal(r).await;
        if !(200..300).contains(&status) {
            let a: Answer = serde_json::from_str(&text).unwrap_or_default();
            return Err(match status {
                429 => Failure::new(
                    Kind::RateLimited,
                    FailureCode::ServerBusy,
                    format!("Zoom asks to slow down: {}", a.words()),
                )
                .retry_after(wait),
                500..=599 => Failure::transient(
                    FailureCode::ServerBusy,
                    format!("Zoom's sign-in answered {status}: {}", a.words()),
                ),
                _ => Failure::new(
                    Kind::SignIn,
                    FailureCode::SignIn,
                    format!(
                        "Zoom refused the app's credentials ({}): {}",
                        a.error.as_deref().unwrap_or("no error code"),
                        a.words()
                    ),
                ),
            });
        }
        let v: Value = serde_json::from_str(&text).unwrap_or_default();
        let token = v["access_token"]
            .as_str()
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                Failure::transient(FailureCode::Other, "Zoom's sign-in answer held no token")
            })?;
        let scopes = v["scope"]
            .as_str()
            .map(|s| s.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default();
        Ok((SecretString::from(token.to_string()), scopes))
    }

    /// The connection test: a token, and the app allowed to make meetings
    /// (`meeting:write…` among its scopes). Makes nothing.
    pub async fn check(&self) -> Result<(), Failure> {
        let (_, scopes) = self.token().await?;
        may_make_meetings(&scopes)
    }

    /// Makes the meeting; where to join it.
    pub async fn create(&self, m: &MeetingRequest) -> Result<MeetingLink, Failure> {
        let (token, _) = self.token().await?;
        let host: String = url::form_urlencoded::byte_serialize(self.host.as_bytes()).collect();
        let r = self
            .http
            .post(format!("{}/v2/users/{host}/meetings", self.api))
            .bearer_auth(token.expose_secret())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body(m).to_string())
            .send()
            .await
            .map_err(unreachable)?;
        let status = r.status().as_u16();
        let (_, wait, text) = crate::http::refusal(r).await;
        if !(200..300).contains(&status) {
            return Err(refusal(status, wait, &text, &self.host));
        }
        let v: Value = serde_json::from_str(&text).unwrap_or_default();
        let url = v["join_url"].as_str().unwrap_or_default().to_string();
        if !url.starts_with("https://") {
            return Err(Failure::transient(
                FailureCode::Other,
                "Zoom's answer held no join link",
            ));
        }
        let id = match &v["id"] {
            Value::Number(n) => Some(n.to_string()),
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            _ => None,
        };
        Ok(MeetingLink {
            kind: MeetingKind::Zoom,
            url,
            service_id: id.clone(),
            id,
            passcode: v["password"]
                .as_str()
                .filter(|p| !p.is_empty())
                .map(str::to_string),
        })
    }

    /// Deletes a meeting made for an event the calendar then refused.
    pub async fn delete(&self, id: &str) -> Result<(), Failure> {
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_digit()) {
            return Err(Failure::permanent(
                FailureCode::Unsendable,
                "not a Zoom meeting id",
            ));
        }
        let (token, _) = self.token().await?;
        let r = self
            .http
            .delete(format!("{}/v2/meetings/{id}", self.api))
            .bearer_auth(token.expose_secret())
            .send()
            .await
            .map_err(unreachable)?;
        let status = r.status().as_u16();
        if (200..300).contains(&status) || status == 404 {
            return Ok(());
        }
        let (_, wait, text) = crate::http::refusal(r).await;
        Err(refusal(status, wait, &text, &self.host))
    }
}

/// Whether the token's scopes let the app make meetings: classic (`meeting:write`,
/// `meeting:write:admin`) or granular (`meeting:write:meeting[:admin]`). A token
/// that names no scopes is taken at its word.
fn may_make_meetings(scopes: &[String]) -> Result<(), Failure> {
    if scopes.is_empty() || scopes.iter().any(|s| s.starts_with("meeting:write")) {
        return Ok(());
    }
    Err(Failure::new(
        Kind::Policy,
        FailureCode::Refused,
        format!(
            "the Zoom app may not make meetings: add the scope meeting:write:meeting (or meeting:write:admin) on its Scopes page and activate it again (it has: {})",
            scopes.join(", ")
        ),
    ))
}

/// The request body of "Create a meeting".
pub fn body(m: &MeetingRequest) -> Value {
    let mut b = json!({
        "topic": m.topic.chars().take(MAX_TOPIC).collect::<String>(),
        "type": 2,
        "start_time": m.start.format("%Y-%m-%dT%H:%M:%S").to_string(),
        "timezone": m.time_zone,
        "duration": m.minutes,
    });
    if !m.agenda.trim().is_empty() {
        b["agenda"] = json!(m.agenda.chars().take(MAX_AGENDA).collect::<String>());
    }
    b
}

/// Zoom's no to a meeting call, in Ulak's terms.
fn refusal(status: u16, wait: Option<std::time::Duration>, text: &str, host: &str) -> Failure {
    let a: Answer = serde_json::from_str(text).unwrap_or_default();
    let words = a.words();
    match (status, a.code) {
        (401, _) | (_, Some(124)) => Failure::new(
            Kind::SignIn,
            FailureCode::SignIn,
            format!("Zoom refused the token: {words}"),
        ),
        // "Invalid access token, does not contain scopes".
        (_, Some(4711 | 4700)) => Failure::new(
            Kind::Policy,
            FailureCode::Refused,
            format!("the Zoom app lacks a scope: {words}; add meeting:write:meeting on its Scopes page"),
        ),
        (404, _) | (_, Some(1001)) => Failure::permanent(
            FailureCode::Refused,
            format!("Zoom has no user {host}: {words}; name a user of the Zoom account on Entegrasyonlar › Toplantı"),
        ),
        (429, _) => Failure::new(
            Kind::RateLimited,
            FailureCode::ServerBusy,
            format!("Zoom asks to slow down: {words}"),
        )
        .retry_after(wait),
        (500..=599, _) => Failure::transient(
            FailureCode::ServerBusy,
            format!("Zoom answered {status}: {words}"),
        ),
        _ => Failure::permanent(
            FailureCode::Refused,
            format!("Zoom refused the meeting ({status}): {words}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_is_zooms_shape_with_the_events_local_time() {
        let m = MeetingRequest {
            topic: "Öztürk Gıda — teklif".repeat(20),
            agenda: "Fiyatlar ve teslim".into(),
            start: chrono::NaiveDate::from_ymd_opt(2026, 12, 10)
                .unwrap()
                .and_hms_opt(14, 30, 0)
                .unwrap(),
            minutes: 45,
            time_zone: "Europe/Istanbul".into(),
        };
        let b = body(&m);
        assert_eq!(b["type"], 2);
        assert_eq!(b["start_time"], "2026-12-10T14:30:00");
        assert_eq!(b["timezone"], "Europe/Istanbul");
        assert_eq!(b["duration"], 45);
        assert_eq!(b["topic"].as_str().unwrap().chars().count(), MAX_TOPIC);
        assert_eq!(b["agenda"], "Fiyatlar ve teslim");
    }

    #[test]
    fn answers_become_failures_a_salesperson_can_act_on() {
        let f = refusal(
            401,
            None,
            r#"{"code":124,"message":"Invalid access token."}"#,
            "me",
        );
        assert_eq!(f.kind, Kind::SignIn);
        let f = refusal(
            400,
            None,
            r#"{"code":4711,"message":"Invalid access token, does not contain scopes:[meeting:write:meeting]."}"#,
            "me",
        );
        assert_eq!(f.code, FailureCode::Refused);
        assert!(f.text.contains("meeting:write:meeting"), "{}", f.text);
        let f = refusal(
            404,
            None,
            r#"{"code":1001,"message":"User does not exist: x@y.com."}"#,
            "x@y.com",
        );
        assert!(f.text.contains("x@y.com"));
        let f = refusal(429, Some(std::time::Duration::from_secs(2)), "{}", "me");
        assert_eq!(f.kind, Kind::RateLimited);
        let f = refusal(503, None, "", "me");
        assert!(f.kind.retries());
        assert!(may_make_meetings(&["meeting:write:meeting:admin".into()]).is_ok());
        assert!(may_make_meetings(&[]).is_ok());
        let f = may_make_meetings(&["user:read:admin".into()]).unwrap_err();
        assert!(f.text.contains("user:read:admin"));
    }

    #[test]
    fn the_token_comes_from_zoom_us_unless_a_base_url_serves_both() {
        let z = Zoom::new(
            API_BASE,
            "a",
            "c",
            SecretString::from("s".to_string()),
            None,
        );
        assert_eq!(z.oauth, "https://zoom.us");
        assert_eq!(z.host, "me");
        let z = Zoom::new(
            "http://127.0.0.1:9/",
            "a",
            "c",
            SecretString::from("s".to_string()),
            Some("x@y.com"),
        );
        assert_eq!(
            (z.api.as_str(), z.oauth.as_str()),
            ("http://127.0.0.1:9", "http://127.0.0.1:9")
        );
    }
}
