//! A message to the team's Slack channel or Telegram chat (`ulak chat send`, and
//! notifications): queued through the outbox like any message, to where the
//! integration points.

use chrono::{DateTime, Utc};
use sqlx::SqlitePool;
use ulak_channels::chat::{self, ChatError};
use ulak_channels::integrations::{self, IntegrationError};
use ulak_core::{ErrorCode, UserFacing};
use ulak_outbox::{queue, Channel, OutboxError};

#[derive(Debug, thiserror::Error)]
pub enum ChatSendError {
    #[error(transparent)]
    Text(#[from] ChatError),
    #[error(transparent)]
    Integration(#[from] IntegrationError),
    #[error(transparent)]
    Outbox(#[from] OutboxError),
}

impl UserFacing for ChatSendError {
    fn code(&self) -> ErrorCode {
        match self {
            ChatSendError::Text(e) => e.code(),
            ChatSendError::Integration(e) => e.code(),
            ChatSendError::Outbox(e) => e.code(),
        }
    }
    fn hint(&self) -> Option<String> {
        match self {
            ChatSendError::Text(e) => e.hint(),
            ChatSendError::Integration(e) => e.hint(),
            ChatSendError::Outbox(e) => e.hint(),
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            ChatSendError::Text(e) => e.field(),
            ChatSendError::Integration(e) => e.field(),
            ChatSendError::Outbox(e) => e.field(),
        }
    }
    fn detail(&self) -> Option<String> {
        match self {
            ChatSendError::Text(e) => e.detail(),
            ChatSendError::Integration(e) => e.detail(),
            ChatSendError::Outbox(e) => e.detail(),
        }
    }
}

/// Queues `text` through the workspace's `provider` (slack, telegram); returns the
/// message's id. A repeated `key` answers with the message queued under it.
pub async fn send(
    pool: &SqlitePool,
    workspace_id: i64,
    provider: &str,
    text: &str,
    key: Option<String>,
    now: DateTime<Utc>,
) -> Result<i64, ChatSendError> {
    let i = integrations::get(pool, workspace_id, Channel::Chat, provider)
        .await?
        .filter(|i| i.active)
        .ok_or_else(|| IntegrationError::NotSetUp {
            channel: Channel::Chat.as_str().into(),
            provider: provider.into(),
        })?;
    let m = chat::build((&i.provider, i.id), &chat::destination(&i), text, key, now)?;
    Ok(queue::enqueue_many(pool, workspace_id, std::slice::from_ref(&m), now).await?[0])
}
