//! Slack (spec: `specs/chat/slack.toml`), two ways:
//!
//! - a bot token and a channel: `POST {base}/chat.postMessage`, JSON `{channel,
//!   text}`, `Authorization: Bearer xoxb-…`; Slack answers 200 with `{ok: true, ts}` or
//!   `{ok: false, error}` (its Web API errors), 429 with `Retry-After` when limiting.
//!   The connection test is `POST {base}/auth.test`, which sends nothing.
//! - an incoming webhook: `POST {webhook URL}`, JSON `{text}`; Slack answers 200 `ok`,
//!   or an HTTP error with a short reason (`invalid_payload`, `no_service`,
//!   `channel_is_archived`, `action_prohibited`…). A webhook has no call that sends
//!   nothing: its address is checked when saved, and the test says so.
//!
//! The webhook URL is a secret (it alone lets anyone post); it never appears in errors.

use std::collections::BTreeMap;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use ulak_outbox::failure::{Failure, FailureCode, Kind};

use super::{ChatMessage, ChatProvider, Receipt};

pub const PROVIDER: &str = "slack";

pub enum Mode {
    Bot {
        token: SecretString,
        channel: String,
    },
    Webhook {
        url: SecretString,
    },
}

pub struct Settings {
    /// The Web API's base (for the bot token).
    pub base_url: String,
    pub mode: Mode,
}

impl Settings {
    pub fn from_fields(
        base_url: &str,
        values: &BTreeMap<String, String>,
        token: Option<SecretString>,
        webhook: Option<SecretString>,
    ) -> Result<Settings, String> {
        let channel = values
            .get("channel")
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty());
        let mode = match (token, webhook, channel) {
            (Some(token), _, Some(channel)) => Mode::Bot { token, channel },
            (Some(_), None, None) => {
                return Err("with a bot token, Slack needs the channel (#satis or its id)".into())
            }
            (_, Some(url), _) => {
                let u = reqwest::Url::parse(url.expose_secret())
                    .map_err(|_| "the webhook address is not a web address".to_string())?;
                let local = matches!(u.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
                if u.scheme() != "https" && !(u.scheme() == "http" && local) {
                    return Err("the webhook address starts with https://hooks.slack.com/".into());
                }
                Mode::Webhook { url }
            }
            (None, None, _) => {
                return Err("Slack needs a bot token and a channel, or an incoming webhook".into())
            }
        };
        Ok(Settings {
            base_url: base_url.trim_end_matches('/').to_string(),
            mode,
        })
    }
}

/// The settings as saved: a bot token and a channel, or an incoming webhook (given now
/// or stored before: `stored` names the secrets already saved). The form has no
/// either/or rule, so it is checked here, before anything is saved.
pub fn check_setup(
    values: &BTreeMap<&'static str, String>,
    stored: &[String],
) -> Result<(), crate::spec::SpecError> {
    let given = |k: &str| values.get(k).is_some_and(|v| !v.trim().is_empty());
    let has = |k: &str| given(k) || stored.iter().any(|s| s == k);
    if let Some(url) = values.get("webhookUrl").filter(|v| !v.trim().is_empty()) {
        ulak_core::validate::url("webhookUrl", url.trim(), true)?;
    }
    match (has("botToken"), given("channel"), has("webhookUrl")) {
        (true, true, _) | (false, _, true) => Ok(()),
        (true, false, _) => Err(crate::spec::SpecError::Missing(vec!["channel"])),
        (false, _, false) => Err(crate::spec::SpecError::Missing(vec![
            "botToken",
            "channel",
            "webhookUrl",
        ])),
    }
}

pub struct Slack {
    http: reqwest::Client,
    s: Settings,
}

#[derive(Deserialize, Default)]
struct Answer {
    #[serde(default)]
    ok: bool,
    error: Option<String>,
    ts: Option<String>,
}

impl Slack {
    pub fn new(s: Settings) -> Slack {
        Slack {
            http: crate::http::client(),
            s,
        }
    }

    /// The connection test: `auth.test` for a bot token; nothing for a webhook, whose
    /// only call posts a message.
    pub async fn check(&self) -> Result<(), Failure> {
        let Mode::Bot { token, .. } = &self.s.mode else {
            return Ok(());
        };
        let r = self
            .http
            .post(format!("{}/auth.test", self.s.base_url))
            .bearer_auth(token.expose_secret())
            .send()
            .await
            .map_err(unreachable)?;
        web_api(r).await.map(|_| ())
    }
}

impl ChatProvider for Slack {
    async fn send(&self, msg: &ChatMessage) -> Result<Receipt, Failure> {
        match &self.s.mode {
            Mode::Bot { token, channel } => {
                let body = serde_json::json!({ "channel": channel, "text": msg.text });
                let r = self
                    .http
                    .post(format!("{}/chat.postMessage", self.s.base_url))
                    .bearer_auth(token.expose_secret())
                    .header(
                        reqwest::header::CONTENT_TYPE,
                        "application/json; charset=utf-8",
                    )
                    .body(serde_json::to_vec(&body).expect("plain JSON"))
                    .send()
                    .await
                    .map_err(unreachable)?;
                let a = web_api(r).await?;
                Ok(Receipt {
                    provider_id: a.ts.unwrap_or_default(),
                })
            }
            Mode::Webhook { url } => {
                let body = serde_json::json!({ "text": msg.text });
                let r = self
                    .http
                    .post(url.expose_secret())
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(serde_json::to_vec(&body).expect("plain JSON"))
                    .send()
                    .await
                    .map_err(unreachable)?;
                let status = r.status().as_u16();
                let wait = crate::http::retry_after(&r);
                let said = r.text().await.unwrap_or_default();
                if (200..300).contains(&status) {
                    return Ok(Receipt {
                        provider_id: String::new(),
                    });
                }
                let said = said.trim().chars().take(200).collect::<String>();
                Err(match (status, said.as_str()) {
                    (429, _) => Failure::new(
                        Kind::RateLimited,
                        FailureCode::ServerBusy,
                        format!("Slack 429: {said}"),
                    )
                    .retry_after(wait),
                    (s, _) if s >= 500 => {
                        Failure::transient(FailureCode::ServerBusy, format!("Slack {s}: {said}"))
                    }
                    // The webhook was removed, or its app uninstalled: set it up again.
                    (403 | 404, _) => Failure::new(
                        Kind::SignIn,
                        FailureCode::SignIn,
                        format!("Slack {status}: {said}"),
                    ),
                    (410, _) => {
                        Failure::permanent(FailureCode::Refused, format!("Slack 410: {said}"))
                    }
                    (_, _) => Failure::permanent(
                        FailureCode::Unsendable,
                        format!("Slack {status}: {said}"),
                    ),
                })
            }
        }
    }
}

fn unreachable(e: reqwest::Error) -> Failure {
    crate::http::unreachable("Slack", e)
}

/// A Web API answer: `ok`, or Slack's error → a typed failure.
async fn web_api(r: reqwest::Response) -> Result<Answer, Failure> {
    let status = r.status().as_u16();
    let wait = crate::http::retry_after(&r);
    let a: Answer = serde_json::from_str(&r.text().await.unwrap_or_default()).unwrap_or_default();
    if (200..300).contains(&status) && a.ok {
        return Ok(a);
    }
    let error = a.error.unwrap_or_else(|| format!("HTTP {status}"));
    let text = format!("Slack: {error}");
    Err(match (status, error.as_str()) {
        (429, _) | (_, "ratelimited") => {
            Failure::new(Kind::RateLimited, FailureCode::ServerBusy, text).retry_after(wait)
        }
        (
            _,
            "invalid_auth" | "not_authed" | "account_inactive" | "token_revoked" | "token_expired"
            | "missing_scope" | "no_permission",
        ) => Failure::new(Kind::SignIn, FailureCode::SignIn, text),
        (_, "channel_not_found") => Failure::new(Kind::SignIn, FailureCode::NoSuchRecipient, text),
        (_, "not_in_channel" | "is_archived" | "restricted_action") => {
            Failure::permanent(FailureCode::Refused, text)
        }
        (_, "msg_too_long") => Failure::permanent(FailureCode::TooLarge, text),
        (_, "no_text" | "invalid_arguments" | "invalid_blocks") => {
            Failure::permanent(FailureCode::Unsendable, text)
        }
        (s, _) if s >= 500 => Failure::transient(FailureCode::ServerBusy, text),
        (_, "internal_error" | "fatal_error" | "service_unavailable" | "request_timeout") => {
            Failure::transient(FailureCode::ServerBusy, text)
        }
        _ => Failure::permanent(FailureCode::Other, text),
    })
}
