//! WhatsApp from the window or `ulak whatsapp send`: a text or an approved template to
//! one number, stored before any network call and sent by the outbox's worker, through
//! a provider set up under Entegrasyonlar (Meta's Cloud API, Twilio) or the sandbox.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use sqlx::SqlitePool;
use ulak_channels::integrations::IntegrationError;
use ulak_channels::whatsapp::{self, Content, WhatsappDraft, WhatsappError};
use ulak_core::{ErrorCode, UserFacing};
use ulak_crm::CrmError;
use ulak_outbox::{queue, Channel, OutboxError};

#[derive(Debug, Clone, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct WhatsappInput {
    pub company_id: Option<i64>,
    /// As typed: `0532 123 45 67`, `+90 532 …`; stored in E.164.
    pub to: String,
    pub content: Content,
    pub idempotency_key: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum WhatsappSendError {
    #[error(transparent)]
    Whatsapp(#[from] WhatsappError),
    #[error(transparent)]
    Crm(#[from] CrmError),
    #[error(transparent)]
    Integration(#[from] IntegrationError),
    #[error(transparent)]
    Outbox(#[from] OutboxError),
}

impl UserFacing for WhatsappSendError {
    fn code(&self) -> ErrorCode {
        match self {
            WhatsappSendError::Whatsapp(e) => e.code(),
            WhatsappSendError::Crm(e) => e.code(),
            WhatsappSendError::Integration(e) => e.code(),
            WhatsappSendError::Outbox(e) => e.code(),
        }
    }
    fn hint(&self) -> Option<String> {
        match self {
            WhatsappSendError::Whatsapp(e) => e.hint(),
            WhatsappSendError::Crm(e) => e.hint(),
            WhatsappSendError::Integration(e) => e.hint(),
            WhatsappSendError::Outbox(e) => e.hint(),
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            WhatsappSendError::Whatsapp(e) => e.field(),
            WhatsappSendError::Crm(CrmError::CompanyNotFound(_)) => Some("company"),
            WhatsappSendError::Crm(e) => e.field(),
            WhatsappSendError::Integration(e) => e.field(),
            WhatsappSendError::Outbox(e) => e.field(),
        }
    }
    fn detail(&self) -> Option<String> {
        match self {
            WhatsappSendError::Whatsapp(e) => e.detail(),
            WhatsappSendError::Outbox(e) => e.detail(),
            _ => None,
        }
    }
}

/// Validates and queues one WhatsApp message through `provider` (`meta`, `twilio`; None:
/// the sandbox); returns its id (an idempotency key queued already answers with that
/// message's id). Nothing goes on the network here.
pub async fn send(
    pool: &SqlitePool,
    workspace_id: i64,
    provider: Option<&str>,
    input: &WhatsappInput,
    now: DateTime<Utc>,
) -> Result<i64, WhatsappSendError> {
    send_at(pool, workspace_id, provider, input, now, None).await
}

/// As `send`, queued to go at `at` (None: now) — an automation's reminder before a
/// meeting.
pub async fn send_at(
    pool: &SqlitePool,
    workspace_id: i64,
    provider: Option<&str>,
    input: &WhatsappInput,
    now: DateTime<Utc>,
    at: Option<DateTime<Utc>>,
) -> Result<i64, WhatsappSendError> {
    let via = crate::bulk::sender::<WhatsappSendError>(
        pool,
        workspace_id,
        Channel::Whatsapp,
        provider,
        input.company_id,
    )
    .await?;
    let m = whatsapp::build(
        &WhatsappDraft {
            via,
            company_id: input.company_id,
            to: input.to.clone(),
            content: input.content.clone(),
            idempotency_key: input.idempotency_key.clone(),
        },
        now,
    )?;
    let ids = queue::enqueue_many_at(pool, workspace_id, std::slice::from_ref(&m), now, at).await?;
    Ok(ids[0])
}

/// One WhatsApp message to several numbers (a company's contacts, a pasted list).
#[derive(Debug, Clone, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct WhatsappBulkInput {
    pub company_id: Option<i64>,
    /// As typed, one number each; the same number twice is sent once.
    pub to: Vec<String>,
    pub content: Content,
    /// Each number's message is queued under `<key>:whatsapp:<E.164>`, so repeating the
    /// send (or part of it) queues nothing twice.
    pub idempotency_key: Option<String>,
}

/// Validates every number and the content, then queues one message per distinct number
/// in one transaction (all or nothing); returns their ids. Nothing goes on the network.
pub async fn send_many(
    pool: &SqlitePool,
    workspace_id: i64,
    provider: Option<&str>,
    input: &WhatsappBulkInput,
    now: DateTime<Utc>,
) -> Result<Vec<i64>, WhatsappSendError> {
    let via = crate::bulk::sender::<WhatsappSendError>(
        pool,
        workspace_id,
        Channel::Whatsapp,
        provider,
        input.company_id,
    )
    .await?;
    let messages = crate::bulk::messages(&input.to, input.idempotency_key.as_deref(), |to| {
        whatsapp::build(
            &WhatsappDraft {
                via: via.clone(),
                company_id: input.company_id,
                to: to.to_string(),
                content: input.content.clone(),
                idempotency_key: None,
            },
            now,
        )
    })?;
    Ok(queue::enqueue_many(pool, workspace_id, &messages, now).await?)
}
