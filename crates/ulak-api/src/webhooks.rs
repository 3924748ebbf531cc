//! Bildirimler → Webhook'lar: the user's endpoints, and Ulak's events queued to them.
//! Sent and failed messages become `message.sent` / `message.failed` events as the
//! worker records them (`ulak_channels::webhook::events`, in the recording transaction);
//! each endpoint that wants one gets it through the outbox.

use chrono::Utc;
use secrecy::ExposeSecret;
use serde::Serialize;
use sqlx::SqlitePool;
use ulak_channels::webhook::{endpoints, Endpoint, EndpointInput, Event, EventType, WebhookError};
use ulak_outbox::{queue, OutboxError};

pub use endpoints::Delivery;

/// A new endpoint and its signing secret, shown this once.
#[derive(Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Added {
    pub endpoint: Endpoint,
    /// `whsec_…`: the receiver verifies signatures with it. Not shown again.
    pub secret: String,
}

impl std::fmt::Debug for Added {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Added")
            .field("endpoint", &self.endpoint)
            .field("secret", &ulak_core::secret::MASK)
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum HooksError {
    #[error(transparent)]
    Webhook(#[from] WebhookError),
    #[error(transparent)]
    Outbox(#[from] OutboxError),
}

impl ulak_core::UserFacing for HooksError {
    fn code(&self) -> ulak_core::ErrorCode {
        match self {
            HooksError::Webhook(e) => e.code(),
            HooksError::Outbox(e) => e.code(),
        }
    }
    fn hint(&self) -> Option<String> {
        match self {
            HooksError::Webhook(e) => e.hint(),
            HooksError::Outbox(e) => e.hint(),
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            HooksError::Webhook(e) => e.field(),
            HooksError::Outbox(e) => e.field(),
        }
    }
    fn detail(&self) -> Option<String> {
        match self {
            HooksError::Webhook(e) => e.detail(),
            HooksError::Outbox(e) => e.detail(),
        }
    }
}

pub async fn add(
    pool: &SqlitePool,
    workspace_id: i64,
    input: &EndpointInput,
) -> Result<Added, HooksError> {
    let (endpoint, secret) = endpoints::add(pool, workspace_id, input, Utc::now()).await?;
    tracing::info!(endpoint_id = endpoint.id, "webhook endpoint added");
    Ok(Added {
        endpoint,
        secret: secret.expose_secret().to_string(),
    })
}

pub async fn list(pool: &SqlitePool, workspace_id: i64) -> Result<Vec<Endpoint>, HooksError> {
    Ok(endpoints::list(pool, workspace_id).await?)
}

pub async fn remove(pool: &SqlitePool, workspace_id: i64, id: i64) -> Result<(), HooksError> {
    Ok(endpoints::remove(pool, workspace_id, id).await?)
}

/// A new secret, shown this once; the old one keeps signing beside it for a day.
pub async fn rotate_secret(
    pool: &SqlitePool,
    workspace_id: i64,
    id: i64,
) -> Result<String, HooksError> {
    let s = endpoints::rotate(pool, workspace_id, id, Utc::now()).await?;
    Ok(s.expose_secret().to_string())
}

/// "Test olayı gönder": a `webhook.test` event queued to this endpoint alone. Returns
/// the delivery's outbox message.
pub async fn send_test(pool: &SqlitePool, workspace_id: i64, id: i64) -> Result<i64, HooksError> {
    let e = endpoints::get(pool, workspace_id, id).await?;
    let now = Utc::now();
    let event = Event::new(
        EventType::Test,
        serde_json::json!({ "endpointId": e.id, "message": "Ulak test olayı / test event" }),
        now,
    );
    Ok(queue::enqueue(pool, workspace_id, &event.to(&e), now).await?)
}

pub async fn deliveries(
    pool: &SqlitePool,
    workspace_id: i64,
    id: i64,
    limit: i64,
) -> Result<Vec<Delivery>, HooksError> {
    Ok(endpoints::deliveries(pool, workspace_id, id, limit).await?)
}
