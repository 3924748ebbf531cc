//! Chat: a text to the team's Slack channel or Telegram chat, through the outbox like
//! any message (the integration says where it goes). Bildirimler's Slack and Telegram
//! columns send through here. One file per provider; `client` picks it.

pub mod client;
pub mod slack;
pub mod telegram;

use std::future::Future;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ulak_core::validate::LIMITS;
use ulak_outbox::failure::{Failure, FailureCode};
use ulak_outbox::{Channel, NewMessage};

pub use crate::provider::Receipt;
pub use crate::sms::SmsError as ChatError;

/// What the outbox stores for a chat message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    pub text: String,
}

/// A chat provider: sends one message to the place its integration names.
pub trait ChatProvider {
    fn send(&self, msg: &ChatMessage) -> impl Future<Output = Result<Receipt, Failure>> + Send;
}

pub fn read(payload: &[u8]) -> Result<ChatMessage, Failure> {
    serde_json::from_slice(payload).map_err(|e| {
        Failure::permanent(FailureCode::Unsendable, format!("not a chat message: {e}"))
    })
}

/// A chat message through the integration `via` (provider, id), to where it points
/// (`to`: "#satis", a chat id), under `key` or its own reference. Pure.
pub fn build(
    via: (&str, i64),
    to: &str,
    text: &str,
    key: Option<String>,
    now: DateTime<Utc>,
) -> Result<NewMessage, ChatError> {
    let text = crate::sms::text_within(text, LIMITS.chat_text)?;
    let subject: String = text.replace('\n', " ").chars().take(80).collect();
    let payload = serde_json::to_vec(&ChatMessage { text }).expect("plain struct");
    let mut m = crate::provider::to_number(
        Channel::Chat,
        "chat",
        Some(&(via.0.to_string(), via.1)),
        None,
        to.to_string(),
        subject,
        payload,
        key,
        now,
    );
    m.sender = "Ulak".into();
    Ok(m)
}

/// Where an integration's chat messages go, as the history shows it.
pub fn destination(i: &crate::integrations::Integration) -> String {
    let get = |k: &str| {
        i.settings
            .get(k)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    };
    match i.provider.as_str() {
        slack::PROVIDER => match get("channel") {
            Some(c)
                if !i.secrets_set.iter().any(|s| s == "webhookUrl")
                    || i.secrets_set.iter().any(|s| s == "botToken") =>
            {
                format!("Slack {c}")
            }
            _ => "Slack (webhook)".into(),
        },
        telegram::PROVIDER => format!("Telegram {}", get("chatId").unwrap_or("?")),
        other => other.to_string(),
    }
}
