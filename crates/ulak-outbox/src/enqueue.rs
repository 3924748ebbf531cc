//! Writing messages to the outbox: one, or many in one transaction (all or none), each
//! with its payload, before any network call; a repeated idempotency key is refused
//! (one) or answered with the message queued under it (many).

use chrono::{DateTime, Utc};
use sqlx::pool::PoolConnection;
use sqlx::{Sqlite, SqlitePool};

use crate::queue::{ts, NewMessage, OutboxError};

const INSERT: &str = "INSERT INTO messages (workspace_id, channel, provider, account_id, company_id, reference,
        idempotency_key, sender, recipients, to_display, attachment_count, subject, state, next_attempt_at,
        created_at, updated_at, scheduled_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'queued', coalesce(?14, ?13), ?13, ?13, ?14)";

/// The message row and its payload, inside the caller's transaction.
async fn insert_one(
    tx: &mut sqlx::SqliteConnection,
    workspace_id: i64,
    m: &NewMessage,
    now: &str,
    at: Option<&str>,
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
        .bind(at)
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
    let mut conn = durable(pool).await?;
    let r = async {
        let mut tx = begin_write(&mut conn).await?;
        match insert_one(&mut tx, workspace_id, m, &now, None).await {
            Ok(id) => {
                tx.commit().await?;
                Ok(id)
            }
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(OutboxError::Duplicate),
            Err(e) => Err(e.into()),
        }
    }
    .await;
    relax(&mut conn).await;
    r
}

/// A connection whose commits reach the disk before they return (`synchronous =
/// FULL`): a message the window reports as queued survives a power cut. The drain's
/// outcome writes keep WAL's `NORMAL` (a lost outcome repeats at most a batch), so
/// only queueing pays for the sync.
async fn durable(pool: &SqlitePool) -> Result<PoolConnection<Sqlite>, OutboxError> {
    let mut conn = pool.acquire().await?;
    sqlx::query("PRAGMA synchronous = FULL")
        .execute(&mut *conn)
        .await?;
    Ok(conn)
}

/// Back to the pool's `NORMAL` (a connection left at FULL is only slower).
async fn relax(conn: &mut PoolConnection<Sqlite>) {
    let _ = sqlx::query("PRAGMA synchronous = NORMAL")
        .execute(&mut **conn)
        .await;
}

/// The write lock from the start, so a long queueing never meets another writer
/// half-way (waits out the busy timeout instead).
async fn begin_write(
    conn: &mut PoolConnection<Sqlite>,
) -> Result<sqlx::Transaction<'_, Sqlite>, OutboxError> {
    Ok(sqlx::Connection::begin_with(&mut **conn, "BEGIN IMMEDIATE").await?)
}

/// Stores many messages in one transaction: all of them or none. A message whose
/// idempotency key is queued already is not queued again; its existing id is
/// returned, so a repeated bulk send is safe. A key that queued a different message
/// (another recipient or subject) is refused: `OutboxError::KeyReused`.
pub async fn enqueue_many(
    pool: &SqlitePool,
    workspace_id: i64,
    messages: &[NewMessage],
    now: DateTime<Utc>,
) -> Result<Vec<i64>, OutboxError> {
    enqueue_many_at(pool, workspace_id, messages, now, None).await
}

/// `enqueue_many` for a scheduled send: the messages wait queued until `at` (None: they
/// go at once), and the outbox's lifetime counts from then.
pub async fn enqueue_many_at(
    pool: &SqlitePool,
    workspace_id: i64,
    messages: &[NewMessage],
    now: DateTime<Utc>,
    at: Option<DateTime<Utc>>,
) -> Result<Vec<i64>, OutboxError> {
    let mut conn = durable(pool).await?;
    let r = async {
        let mut tx = begin_write(&mut conn).await?;
        let ids = enqueue_counted_at(&mut tx, workspace_id, messages, now, at).await?;
        tx.commit().await?;
        Ok(ids.into_iter().map(|(id, _)| id).collect())
    }
    .await;
    relax(&mut conn).await;
    r
}

/// Each message's id, and whether this call queued it (false: queued before).
pub async fn enqueue_counted(
    tx: &mut sqlx::SqliteConnection,
    workspace_id: i64,
    messages: &[NewMessage],
    now: DateTime<Utc>,
) -> Result<Vec<(i64, bool)>, OutboxError> {
    enqueue_counted_at(tx, workspace_id, messages, now, None).await
}

async fn enqueue_counted_at(
    tx: &mut sqlx::SqliteConnection,
    workspace_id: i64,
    messages: &[NewMessage],
    now: DateTime<Utc>,
    at: Option<DateTime<Utc>>,
) -> Result<Vec<(i64, bool)>, OutboxError> {
    let now = ts(now);
    let at = at.map(ts);
    let mut ids = Vec::with_capacity(messages.len());
    for m in messages {
        match insert_one(&mut *tx, workspace_id, m, &now, at.as_deref()).await {
            Ok(id) => ids.push((id, true)),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                // The same key answers with the message it queued, but only for the
                // same message: another recipient, subject, channel or workspace under
                // a reused key is refused, never silently dropped.
                let (id, ws, channel, recipients, subject): (i64, i64, String, String, String) =
                    sqlx::query_as(
                        "SELECT id, workspace_id, channel, recipients, subject FROM messages
                         WHERE idempotency_key = ?1",
                    )
                    .bind(&m.idempotency_key)
                    .fetch_one(&mut *tx)
                    .await?;
                let same_recipients = serde_json::from_str::<Vec<String>>(&recipients)
                    .is_ok_and(|r| r == m.recipients);
                if ws != workspace_id
                    || channel != m.channel.as_str()
                    || subject != m.subject
                    || !same_recipients
                {
                    return Err(OutboxError::KeyReused {
                        key: m.idempotency_key.clone(),
                    });
                }
                ids.push((id, false));
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn queueing_commits_with_a_full_sync_and_gives_the_connection_back_as_it_was() {
        let d = tempfile::tempdir().unwrap();
        let s = ulak_core::testing::temp_store(d.path()).await;
        let mut c = durable(s.pool()).await.unwrap();
        let level: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(&mut *c)
            .await
            .unwrap();
        assert_eq!(level, 2, "FULL while queueing");
        relax(&mut c).await;
        let level: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(&mut *c)
            .await
            .unwrap();
        assert_eq!(level, 1, "NORMAL again for the pool");
    }
}
