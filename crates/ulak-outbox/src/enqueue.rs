//! Writing messages to the outbox: one, or many in one transaction (all or none), each
//! with its payload, before any network call; a repeated idempotency key is refused
//! (one) or answered with the message queued under it (many).

use chrono::{DateTime, Utc};
use sqlx::SqlitePool;

use crate::queue::{ts, NewMessage, OutboxError};

const INSERT: &str = "INSERT INTO messages (workspace_id, channel, provider, account_id, company_id, reference,
        idempotency_key, sender, recipients, to_display, attachment_count, subject, state, next_attempt_at,
        created_at, updated_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'queued', ?13, ?13, ?13)";

/// The message row and its payload, inside the caller's transaction.
async fn insert_one(
    tx: &mut sqlx::SqliteConnection,
    workspace_id: i64,
    m: &NewMessage,
    now: &str,
) -> Result<i64, sqlx::Error> {
    let id = sqlx::query(INSERT)
        .bind(workspace_id)
        .bind(m.channel.as_str())
        .bind(&m.provider)
        .bind(m.account_id)
        .bind(m.company_id)
        .bind(&m.reference)
        .bind(&m.idempotency_key)
        .bind(&m.sender)
        .bind(serde_json::to_string(&m.recipients).expect("strings"))
        .bind(&m.to_display)
        .bind(m.attachment_count)
        .bind(&m.subject)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .last_insert_rowid();
    sqlx::query("INSERT INTO message_payloads (message_id, payload) VALUES (?1, ?2)")
        .bind(id)
        .bind(&m.payload)
        .execute(&mut *tx)
        .await?;
    Ok(id)
}

/// Stores one message; nothing goes on the network here. The same idempotency key
/// twice is refused as a duplicate.
pub async fn enqueue(
    pool: &SqlitePool,
    workspace_id: i64,
    m: &NewMessage,
    now: DateTime<Utc>,
) -> Result<i64, OutboxError> {
    let now = ts(now);
    let mut tx = pool.begin().await?;
    match insert_one(&mut tx, workspace_id, m, &now).await {
        Ok(id) => {
            tx.commit().await?;
            Ok(id)
        }
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(OutboxError::Duplicate),
        Err(e) => Err(e.into()),
    }
}

/// Stores many messages in one transaction: all of them or none. A message whose
/// idempotency key is queued already is not queued again; its existing id is
/// returned, so a repeated bulk send is safe.
pub async fn enqueue_many(
    pool: &SqlitePool,
    workspace_id: i64,
    messages: &[NewMessage],
    now: DateTime<Utc>,
) -> Result<Vec<i64>, OutboxError> {
    let mut tx = pool.begin().await?;
    let ids = enqueue_counted(&mut tx, workspace_id, messages, now).await?;
    tx.commit().await?;
    Ok(ids.into_iter().map(|(id, _)| id).collect())
}

/// Each message's id, and whether this call queued it (false: queued before).
pub async fn enqueue_counted(
    tx: &mut sqlx::SqliteConnection,
    workspace_id: i64,
    messages: &[NewMessage],
    now: DateTime<Utc>,
) -> Result<Vec<(i64, bool)>, OutboxError> {
    let now = ts(now);
    let mut ids = Vec::with_capacity(messages.len());
    for m in messages {
        match insert_one(&mut *tx, workspace_id, m, &now).await {
            Ok(id) => ids.push((id, true)),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                let (id,): (i64,) =
                    sqlx::query_as("SELECT id FROM messages WHERE idempotency_key = ?1")
                        .bind(&m.idempotency_key)
                        .fetch_one(&mut *tx)
                        .await?;
                ids.push((id, false));
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(ids)
}
