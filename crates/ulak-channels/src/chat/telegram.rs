//! Telegram's Bot API (spec: `specs/chat/telegram.toml`).
//!
//! - Send: `POST {base}/bot{token}/sendMessage`, JSON `{chat_id, text}`; the answer is
//!   `{ok: true, result: {message_id, …}}`.
//! - Connection test: `GET {base}/bot{token}/getMe`, which sends nothing.
//! - Errors are `{ok: false, error_code, description, parameters: {retry_after}}`.
//!
//! The token is part of the URL, so no error text here ever carries the URL.

use std::collections::BTreeMap;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use ulak_outbox::failure::{Failure, FailureCode, Kind};

use super::{ChatMessage, ChatProvider, Receipt};

pub const PROVIDER: &str = "telegram";

pub struct Settings {
    pub base_url: String,
    pub token: SecretString,
    /// A group's or channel's id (-100…), a user's id, or @channelname.
    pub chat_id: String,
}

impl Settings {
    pub fn from_fields(
        base_url: &str,
        values: &BTreeMap<String, String>,
        token: Option<SecretString>,
    ) -> Result<Settings, String> {
        let chat_id = values
            .get("chatId")
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .ok_or("Telegram needs the chat id to send to")?;
        let numeric = chat_id
            .strip_prefix('-')
            .unwrap_or(&chat_id)
            .chars()
            .all(|c| c.is_ascii_digit());
        if !numeric && !chat_id.starts_with('@') {
            return Err("the chat id is a number (-100… for groups) or @channelname".into());
        }
        Ok(Settings {
            base_url: base_url.trim_end_matches('/').to_string(),
            token: token.ok_or("Telegram needs the bot token")?,
            chat_id,
        })
    }
}

pub struct Telegram {
    http: reqwest::Client,
    s: Settings,
}

#[derive(Deserialize, Default)]
struct Answer {
    #[serde(default)]
    ok: bool,
    /// sendMessage's message, getMe's bot: read only for the message id.
    result: Option<serde_json::Value>,
    error_code: Option<u16>,
    description: Option<String>,
    parameters: Option<Parameters>,
}

#[derive(Deserialize)]
struct Parameters {
    retry_after: Option<u64>,
}

impl Telegram {
    pub fn new(s: Settings) -> Telegram {
        Telegram {
            http: crate::http::client(),
            s,
        }
    }

    fn url(&self, method: &str) -> String {
        format!(
            "{}/bot{}/{method}",
            self.s.base_url,
            self.s.token.expose_secret()
        )
    }

    /// The connection test: reads the bot's name, sends nothing.
    pub async fn check(&self) -> Result<(), Failure> {
        let r = self
            .http
            .get(self.url("getMe"))
            .send()
            .await
            .map_err(unreachable)?;
        let status = r.status();
        let a: Answer =
            serde_json::from_str(&r.text().await.unwrap_or_default()).unwrap_or_default();
        if status.is_success() && a.ok {
            return Ok(());
        }
        Err(failure(status.as_u16(), &a))
    }
}

impl ChatProvider for Telegram {
    async fn send(&self, msg: &ChatMessage) -> Result<Receipt, Failure> {
        let body = serde_json::json!({ "chat_id": self.s.chat_id, "text": msg.text });
        let r = self
            .http
            .post(self.url("sendMessage"))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(serde_json::to_vec(&body).expect("plain JSON"))
            .send()
            .await
            .map_err(unreachable)?;
        let status = r.status();
        let text = r.text().await.unwrap_or_default();
        let a: Answer = serde_json::from_str(&text).unwrap_or_default();
        if status.is_success() {
            // Taken (2xx): never sent twice, even if the answer is odd.
            return Ok(Receipt {
                provider_id: a
                    .result
                    .and_then(|r| r.get("message_id").and_then(|id| id.as_i64()))
                    .map(|id| id.to_string())
                    .unwrap_or_default(),
            });
        }
        Err(failure(status.as_u16(), &a))
    }
}

fn unreachable(e: reqwest::Error) -> Failure {
    crate::http::unreachable("Telegram", e)
}

/// Telegram's error map: the error code and description → a typed failure.
fn failure(status: u16, a: &Answer) -> Failure {
    let code = a.error_code.unwrap_or(status);
    let said = a
        .description
        .clone()
        .unwrap_or_else(|| format!("HTTP {status}"));
    let text = format!("Telegram {code}: {said}");
    let lower = said.to_lowercase();
    match code {
        401 | 404 => Failure::new(Kind::SignIn, FailureCode::SignIn, text),
        429 => Failure::new(Kind::RateLimited, FailureCode::ServerBusy, text).retry_after(
            a.parameters
                .as_ref()
                .and_then(|p| p.retry_after)
                .map(Duration::from_secs),
        ),
        400 if lower.contains("chat not found") => {
            Failure::permanent(FailureCode::NoSuchRecipient, text)
        }
        400 if lower.contains("too long") => Failure::permanent(FailureCode::TooLarge, text),
        // The bot was blocked, kicked, or may not write there.
        403 => Failure::permanent(FailureCode::Refused, text),
        c if c >= 500 => Failure::transient(FailureCode::ServerBusy, text),
        _ => Failure::permanent(FailureCode::Other, text),
    }
}
