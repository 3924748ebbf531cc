//! Bildirimler → Webhook'lar: the user's endpoints, and Ulak's events queued to them.
//! Sent and failed messages become `message.sent` / `message.failed` events as the
//! worker records them; each endpoint that wants one gets it through the outbox.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use secrecy::ExposeSecret;
use serde::Serialize;
use sqlx::SqlitePool;
use ulak_channels::webhook::{endpoints, Endpoint, EndpointInput, Event, EventType, WebhookError};
use ulak_outbox::{queue, MessageState, OutboxError, State};

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

/// Queues `event` to every endpoint of the workspace that wants it, in one
/// transaction; the same event noticed twice is queued once. Returns how many.
pub async fn emit(
    pool: &SqlitePool,
    workspace_id: i64,
    event: &Event,
) -> Result<usize, HooksError> {
    let to = endpoints::subscribers(pool, workspace_id, event.kind).await?;
    if to.is_empty() {
        return Ok(0);
    }
    let messages: Vec<_> = to.iter().map(|e| event.to(e)).collect();
    queue::enqueue_many(pool, workspace_id, &messages, event_time(event)).await?;
    Ok(messages.len())
}

fn event_time(e: &Event) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&e.timestamp)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|_| Utc::now())
}

/// What a batch of recorded outcomes means for webhooks: a `message.sent` or
/// `message.failed` event for each message finished (not the webhook deliveries
/// themselves), and the endpoints whose deliveries were given up marked failing.
pub async fn after_batch(
    pool: &SqlitePool,
    states: &[MessageState],
    now: DateTime<Utc>,
) -> Result<AfterBatch, HooksError> {
    let mut out = AfterBatch::default();
    let finished: Vec<i64> = states
        .iter()
        .filter(|s| matches!(s.state, State::Sent | State::Failed))
        .map(|s| s.id)
        .collect();
    if finished.is_empty() {
        return Ok(out);
    }
    let any: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM webhook_endpoints)")
        .fetch_one(pool)
        .await
        .map_err(OutboxError::from)?;
    if !any {
        return Ok(out);
    }
    if states.iter().any(|s| s.state == State::Failed) {
        let failed: Vec<i64> = states
            .iter()
            .filter(|s| s.state == State::Failed)
            .map(|s| s.id)
            .collect();
        out.failing = endpoints::mark_failing(pool, &failed, now)
            .await?
            .into_iter()
            .map(|(_, e)| e.url)
            .collect();
    }
    {
        for (ws, events) in message_events(pool, &finished).await? {
            let mut messages = Vec::new();
            for kind in [EventType::MessageSent, EventType::MessageFailed] {
                let to = endpoints::subscribers(pool, ws, kind).await?;
                for ev in events.iter().filter(|e| e.kind == kind) {
                    messages.extend(to.iter().map(|e| ev.to(e)));
                }
            }
            if !messages.is_empty() {
                queue::enqueue_many(pool, ws, &messages, now).await?;
                out.queued += messages.len();
            }
        }
    }
    Ok(out)
}

/// What `after_batch` did.
#[derive(Debug, Default)]
pub struct AfterBatch {
    /// URLs of the endpoints that started failing now, to tell the user once.
    pub failing: Vec<String>,
    /// Event deliveries queued.
    pub queued: usize,
}

type Finished = (
    i64,
    i64,
    String,
    String,
    String,
    Option<i64>,
    String,
    String,
    i64,
    Option<String>,
    Option<String>,
    String,
);

/// The events of finished messages, by workspace. An event's id names the message,
/// its state and when it finished, so the same finish noticed twice is queued once and
/// a message retried by hand that fails again is told again.
async fn message_events(
    pool: &SqlitePool,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<Event>>, HooksError> {
    let rows: Vec<Finished> = sqlx::query_as(
        "SELECT id, workspace_id, channel, provider, state, company_id, to_display, subject,
                attempts, last_code, last_error, updated_at
         FROM messages
         WHERE id IN (SELECT value FROM json_each(?1)) AND channel <> 'webhook'
           AND state IN ('sent', 'failed')",
    )
    .bind(serde_json::to_string(ids).expect("numbers"))
    .fetch_all(pool)
    .await
    .map_err(OutboxError::from)?;
    let mut out: HashMap<i64, Vec<Event>> = HashMap::new();
    for (id, ws, channel, provider, state, company, to, subject, attempts, code, error, at) in rows
    {
        let kind = if state == "sent" {
            EventType::MessageSent
        } else {
            EventType::MessageFailed
        };
        let at = DateTime::parse_from_rfc3339(&at)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|_| Utc::now());
        let mut data = serde_json::json!({
            "messageId": id,
            "channel": channel,
            "provider": provider,
            "companyId": company,
            "to": to,
            "subject": subject,
            "attempts": attempts,
        });
        if kind == EventType::MessageFailed {
            data["code"] = serde_json::json!(code);
            data["error"] = serde_json::json!(error);
        }
        out.entry(ws).or_default().push(Event::with_id(
            format!("msg_{ws}_{id}_{state}_{}", at.timestamp_millis()),
            kind,
            data,
            at,
        ));
    }
    Ok(out)
}
