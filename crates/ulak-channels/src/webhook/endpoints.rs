//! A workspace's webhook endpoints (table `webhook_endpoints`, migration 0014): the
//! URL, the events it wants, whether private addresses are allowed, and how its
//! deliveries have gone. The signing secret lives in `secrets`; it leaves here once,
//! when made (`add`, `rotate`), and afterwards only to sign.

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;
use ulak_core::store::StoreError;
use ulak_core::{secret, ErrorCode, UserFacing};

use super::address::{self, UrlProblem};
use super::sign;
use super::EventType;

/// How long a rotated-out secret still signs.
pub const ROTATION_GRACE: chrono::Duration = chrono::Duration::hours(24);

/// Every event type, in an endpoint's list.
pub const ALL_EVENTS: &str = "*";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    pub id: i64,
    pub url: String,
    /// The event types it gets; `["*"]` for all.
    pub events: Vec<String>,
    pub allow_private: bool,
    /// Until when the previous secret still signs too (after a rotation).
    pub previous_until: Option<String>,
    /// Since when deliveries are given up (a day of failures); None when fine.
    pub failing_since: Option<String>,
    /// The last delivery's HTTP status (None: no answer came).
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub last_delivery_at: Option<String>,
    pub created_at: String,
}

impl Endpoint {
    pub fn wants(&self, kind: EventType) -> bool {
        kind == EventType::Test
            || self
                .events
                .iter()
                .any(|e| e == ALL_EVENTS || e == kind.as_str())
    }
}

/// What the form or `ulak webhooks add` gives.
#[derive(Debug, Clone, Default, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EndpointInput {
    pub url: String,
    pub events: Vec<String>,
    #[serde(default)]
    pub allow_private: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error("{0}")]
    Url(UrlProblem),
    #[error("unknown event type {0:?}")]
    UnknownEvent(String),
    #[error("choose at least one event")]
    NoEvents,
    #[error("no webhook endpoint {0}")]
    NotFound(i64),
    #[error("a stored webhook endpoint is unreadable: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for WebhookError {
    fn from(e: sqlx::Error) -> Self {
        WebhookError::Store(StoreError::Database(e))
    }
}

impl UserFacing for WebhookError {
    fn code(&self) -> ErrorCode {
        match self {
            WebhookError::Url(UrlProblem::Malformed) => ErrorCode::ValidationUrl,
            WebhookError::Url(UrlProblem::Insecure) => ErrorCode::WebhookInsecure,
            WebhookError::Url(UrlProblem::Private(_)) => ErrorCode::WebhookPrivateAddress,
            WebhookError::UnknownEvent(_) | WebhookError::NoEvents => ErrorCode::WebhookEvents,
            WebhookError::NotFound(_) => ErrorCode::WebhookNotFound,
            WebhookError::Corrupt(_) => ErrorCode::StoreCorrupt,
            WebhookError::Store(s) => s.code(),
        }
    }
    fn hint(&self) -> Option<String> {
        match self {
            WebhookError::Url(UrlProblem::Malformed) => {
                Some("Write the full address, e.g. https://crm.example.com/ulak-hooks.".into())
            }
            WebhookError::Url(UrlProblem::Insecure) => {
                Some("Use https://; plain http:// is for testing on this computer only.".into())
            }
            WebhookError::Url(UrlProblem::Private(_)) => Some(
                "Allow private addresses for this endpoint if it is on your own network.".into(),
            ),
            WebhookError::UnknownEvent(_) | WebhookError::NoEvents => Some(format!(
                "Events: {} (or * for all).",
                EventType::ALL.map(EventType::as_str).join(", ")
            )),
            WebhookError::NotFound(_) => Some("See `ulak webhooks list`.".into()),
            WebhookError::Corrupt(_) => Some("Remove the endpoint and add it again.".into()),
            WebhookError::Store(s) => s.hint(),
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            WebhookError::Url(_) => Some("url"),
            WebhookError::UnknownEvent(_) | WebhookError::NoEvents => Some("events"),
            _ => None,
        }
    }
    fn detail(&self) -> Option<String> {
        match self {
            WebhookError::Url(UrlProblem::Private(ip)) => Some(ip.to_string()),
            WebhookError::UnknownEvent(e) => Some(e.clone()),
            _ => None,
        }
    }
}

fn owner(id: i64) -> String {
    format!("webhook:{id}")
}

const CURRENT: &str = "secret";
const PREVIOUS: &str = "previous";

type Row = (
    i64,
    String,
    String,
    bool,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
    String,
);

const SELECT: &str =
    "SELECT id, url, events, allow_private, previous_until, failing_since, last_status,
        last_error, last_delivery_at, created_at FROM webhook_endpoints";

fn endpoint(r: Row) -> Result<Endpoint, WebhookError> {
    let events: Vec<String> =
        serde_json::from_str(&r.2).map_err(|e| WebhookError::Corrupt(e.to_string()))?;
    Ok(Endpoint {
        id: r.0,
        url: r.1,
        events,
        allow_private: r.3,
        previous_until: r.4,
        failing_since: r.5,
        last_status: r.6,
        last_error: r.7,
        last_delivery_at: r.8,
        created_at: r.9,
    })
}

/// The event list as stored: each known, each once, `*` alone when present.
fn events(input: &[String]) -> Result<Vec<String>, WebhookError> {
    let mut out: Vec<String> = Vec::new();
    for e in input.iter().flat_map(|e| e.split(',')).map(str::trim) {
        if e.is_empty() {
            continue;
        }
        if e != ALL_EVENTS && EventType::parse(e).is_none() {
            return Err(WebhookError::UnknownEvent(e.to_string()));
        }
        if !out.iter().any(|o| o == e) {
            out.push(e.to_string());
        }
    }
    if out.iter().any(|e| e == ALL_EVENTS) {
        out = vec![ALL_EVENTS.to_string()];
    }
    if out.is_empty() {
        return Err(WebhookError::NoEvents);
    }
    Ok(out)
}

fn ts(t: DateTime<Utc>) -> String {
    ulak_outbox::queue::timestamp(t)
}

/// Saves a new endpoint and makes its secret, returned this once.
pub async fn add(
    pool: &SqlitePool,
    workspace_id: i64,
    input: &EndpointInput,
    now: DateTime<Utc>,
) -> Result<(Endpoint, SecretString), WebhookError> {
    let url = address::check_url(&input.url, input.allow_private).map_err(WebhookError::Url)?;
    let events = events(&input.events)?;
    let secret = sign::new_secret();
    let mut tx = pool.begin().await?;
    let id = sqlx::query(
        "INSERT INTO webhook_endpoints (workspace_id, url, events, allow_private, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
    )
    .bind(workspace_id)
    .bind(url.as_str())
    .bind(serde_json::to_string(&events).expect("strings"))
    .bind(input.allow_private)
    .bind(ts(now))
    .execute(&mut *tx)
    .await?
    .last_insert_rowid();
    secret::set(&mut *tx, workspace_id, &owner(id), CURRENT, &secret).await?;
    tx.commit().await?;
    Ok((get(pool, workspace_id, id).await?, secret))
}

pub async fn list(pool: &SqlitePool, workspace_id: i64) -> Result<Vec<Endpoint>, WebhookError> {
    let rows: Vec<Row> = sqlx::query_as(&format!("{SELECT} WHERE workspace_id = ?1 ORDER BY id"))
        .bind(workspace_id)
        .fetch_all(pool)
        .await?;
    rows.into_iter().map(endpoint).collect()
}

/// `list` inside a transaction; an unreadable endpoint is left out (and logged), so
/// one bad row does not hold up the events of the others.
pub async fn list_on(
    c: &mut sqlx::SqliteConnection,
    workspace_id: i64,
) -> Result<Vec<Endpoint>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(&format!("{SELECT} WHERE workspace_id = ?1 ORDER BY id"))
        .bind(workspace_id)
        .fetch_all(&mut *c)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let id = r.0;
            endpoint(r)
                .inspect_err(|e| tracing::warn!(endpoint_id = id, "webhook endpoint skipped: {e}"))
                .ok()
        })
        .collect())
}

pub async fn find(
    pool: &SqlitePool,
    workspace_id: i64,
    id: i64,
) -> Result<Option<Endpoint>, WebhookError> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE workspace_id = ?1 AND id = ?2"))
        .bind(workspace_id)
        .bind(id)
        .fetch_optional(pool)
        .await?;
    row.map(endpoint).transpose()
}

pub async fn get(pool: &SqlitePool, workspace_id: i64, id: i64) -> Result<Endpoint, WebhookError> {
    find(pool, workspace_id, id)
        .await?
        .ok_or(WebhookError::NotFound(id))
}

/// Removes the endpoint and its secrets; its deliveries still waiting are given up
/// with it (one being sent now finds the endpoint gone).
pub async fn remove(pool: &SqlitePool, workspace_id: i64, id: i64) -> Result<(), WebhookError> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "UPDATE messages SET state = 'failed', last_code = 'accountMissing',
            last_error = 'the webhook endpoint was removed', updated_at = ?3
         WHERE workspace_id = ?1 AND channel = 'webhook' AND account_id = ?2
           AND state IN ('queued', 'retry')",
    )
    .bind(workspace_id)
    .bind(id)
    .bind(ts(Utc::now()))
    .execute(&mut *tx)
    .await?;
    let gone = sqlx::query("DELETE FROM webhook_endpoints WHERE workspace_id = ?1 AND id = ?2")
        .bind(workspace_id)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if gone == 0 {
        return Err(WebhookError::NotFound(id));
    }
    secret::delete_owner(&mut *tx, workspace_id, &owner(id)).await?;
    tx.commit().await?;
    Ok(())
}

/// A new secret, returned this once; the old one keeps signing beside it for
/// `ROTATION_GRACE`, so receivers can switch without losing a delivery.
pub async fn rotate(
    pool: &SqlitePool,
    workspace_id: i64,
    id: i64,
    now: DateTime<Utc>,
) -> Result<SecretString, WebhookError> {
    get(pool, workspace_id, id).await?;
    let fresh = sign::new_secret();
    let mut tx = pool.begin().await?;
    let old = secret::get(&mut *tx, workspace_id, &owner(id), CURRENT).await?;
    if let Some(old) = old {
        secret::set(&mut *tx, workspace_id, &owner(id), PREVIOUS, &old).await?;
    }
    secret::set(&mut *tx, workspace_id, &owner(id), CURRENT, &fresh).await?;
    sqlx::query(
        "UPDATE webhook_endpoints SET previous_until = ?3, updated_at = ?4
         WHERE workspace_id = ?1 AND id = ?2",
    )
    .bind(workspace_id)
    .bind(id)
    .bind(ts(now + ROTATION_GRACE))
    .bind(ts(now))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(fresh)
}

/// The secrets a delivery at `now` signs with: the current one, and the previous one
/// while its grace lasts.
pub async fn signing_secrets(
    pool: &SqlitePool,
    workspace_id: i64,
    e: &Endpoint,
    now: DateTime<Utc>,
) -> Result<Vec<SecretString>, WebhookError> {
    let owner = owner(e.id);
    let mut out: Vec<SecretString> = secret::get(pool, workspace_id, &owner, CURRENT)
        .await?
        .into_iter()
        .collect();
    if out.is_empty() {
        return Err(WebhookError::Corrupt("no signing secret".into()));
    }
    match e.previous_until.as_deref() {
        Some(until) if until > ts(now).as_str() => {
            out.extend(secret::get(pool, workspace_id, &owner, PREVIOUS).await?);
        }
        // Its day is over: the old secret is deleted, not kept unused.
        Some(_) => {
            let mut tx = pool.begin().await?;
            secret::delete(&mut *tx, workspace_id, &owner, PREVIOUS).await?;
            sqlx::query(
                "UPDATE webhook_endpoints SET previous_until = NULL WHERE workspace_id = ?1 AND id = ?2",
            )
            .bind(workspace_id)
            .bind(e.id)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        }
        None => {}
    }
    Ok(out)
}

/// How one delivery went: its status (None: no answer), and what was wrong. A success
/// ends a failing spell.
pub async fn record(
    pool: &SqlitePool,
    id: i64,
    status: Option<u16>,
    error: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), WebhookError> {
    sqlx::query(
        "UPDATE webhook_endpoints SET last_status = ?2, last_error = ?3, last_delivery_at = ?4,
            failing_since = CASE WHEN ?3 IS NULL THEN NULL ELSE failing_since END
         WHERE id = ?1",
    )
    .bind(id)
    .bind(status.map(i64::from))
    .bind(error)
    .bind(ts(now))
    .execute(pool)
    .await?;
    Ok(())
}

/// One event's delivery to an endpoint, as its log lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    /// The outbox message.
    pub id: i64,
    /// The `webhook-id`.
    pub event_id: String,
    pub event: String,
    /// queued, sending, sent, retry or failed.
    pub state: String,
    pub attempts: i64,
    /// The receiver's answer to the try that went through ("HTTP 200 …").
    pub answer: Option<String>,
    /// Why the last try failed ("HTTP 500 …", "did not answer").
    pub last_error: Option<String>,
    pub next_attempt_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// The endpoint's latest deliveries, newest first.
pub async fn deliveries(
    pool: &SqlitePool,
    workspace_id: i64,
    id: i64,
    limit: i64,
) -> Result<Vec<Delivery>, WebhookError> {
    get(pool, workspace_id, id).await?;
    Ok(sqlx::query_as(
        "SELECT id, reference AS event_id, subject AS event, state, attempts,
                server_reply AS answer, last_error,
                CASE WHEN state = 'retry' THEN next_attempt_at END AS next_attempt_at,
                created_at, updated_at
         FROM messages
         WHERE workspace_id = ?1 AND channel = 'webhook' AND account_id = ?2
         ORDER BY id DESC LIMIT ?3",
    )
    .bind(workspace_id)
    .bind(id)
    .bind(limit.clamp(1, 1000))
    .fetch_all(pool)
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_checked_deduplicated_and_star_stands_alone() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            events(&s(&["message.failed, message.sent", "message.failed"])).unwrap(),
            s(&["message.failed", "message.sent"])
        );
        assert_eq!(events(&s(&["message.sent", "*"])).unwrap(), s(&["*"]));
        assert!(matches!(events(&s(&[" , "])), Err(WebhookError::NoEvents)));
        assert!(matches!(
            events(&s(&["deal.won"])),
            Err(WebhookError::UnknownEvent(e)) if e == "deal.won"
        ));
    }
}
