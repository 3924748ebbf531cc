//! Gönderim Geçmişi: every message of a workspace, of every channel, with its state,
//! its tries, the exact payload that was sent, a retry for failed ones and a daily
//! count per account. Failures are codes (the window words them), never parsed text.

use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

use crate::queue::{Attempt, Channel, LastCode, MessageState, OutboxError, State};

#[derive(Debug, Clone, Default, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Filter {
    pub company_id: Option<i64>,
    pub channel: Option<Channel>,
    pub state: Option<State>,
    /// First day shown, `YYYY-MM-DD` (local time), inclusive.
    pub since: Option<String>,
    /// Last day shown, `YYYY-MM-DD` (local time), inclusive.
    pub until: Option<String>,
    /// At most this many, newest first (default 500).
    pub limit: Option<i64>,
    /// One campaign's messages only.
    #[serde(default)]
    #[specta(optional)]
    pub campaign_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub channel: Channel,
    /// `sandbox` (Test kutusu: nothing left the machine) or the account's provider.
    pub provider: String,
    pub company_id: Option<i64>,
    pub company_name: Option<String>,
    pub to: String,
    pub subject: String,
    /// None: the sandbox ("Test kutusu"); nothing left the machine.
    pub account_id: Option<i64>,
    pub account_email: Option<String>,
    pub sender: String,
    #[sqlx(try_from = "String")]
    pub state: State,
    pub attempts: i64,
    /// The provider's words on the last failed try.
    pub last_error: Option<String>,
    /// Why the last try failed; the window words it (`history.why.<code>`).
    #[sqlx(try_from = "Option<String>")]
    pub last_code: LastCode,
    pub server_reply: Option<String>,
    /// A sent SMS or WhatsApp message: `delivered` or `undelivered` once its provider
    /// says so (None: unknown, or a channel that cannot tell).
    pub delivery: Option<String>,
    /// Why it was not delivered, in the provider's words.
    pub delivery_error: Option<String>,
    pub attachment_count: i64,
    pub created_at: String,
    pub updated_at: String,
    pub sent_at: Option<String>,
    pub next_attempt_at: String,
    /// A scheduled send: when the user asked it to go (it waits queued until then).
    pub scheduled_at: Option<String>,
}

const SELECT: &str = "SELECT m.id, m.channel, m.provider, m.company_id, c.name AS company_name, m.to_display AS \"to\", m.subject,
        m.account_id, a.email AS account_email, m.sender, m.state, m.attempts, m.last_error, m.last_code, m.server_reply,
        m.delivery, m.delivery_error, m.attachment_count, m.created_at, m.updated_at, m.sent_at, m.next_attempt_at,
        m.scheduled_at
    FROM messages m
    LEFT JOIN companies c ON c.id = m.company_id AND c.workspace_id = m.workspace_id
    LEFT JOIN smtp_accounts a ON a.id = m.account_id AND a.workspace_id = m.workspace_id
        AND m.channel = 'email' AND m.provider = 'smtp'";

fn day(field: &'static str, v: &Option<String>) -> Result<Option<String>, OutboxError> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(d) => chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map(|d| Some(d.format("%Y-%m-%d").to_string()))
            .map_err(|_| OutboxError::BadDate { field }),
    }
}

/// The workspace's messages, newest first, narrowed by the filter.
pub async fn list(
    pool: &SqlitePool,
    workspace_id: i64,
    f: &Filter,
) -> Result<Vec<Entry>, OutboxError> {
    let since = day("since", &f.since)?;
    let until = day("until", &f.until)?;
    Ok(sqlx::query_as(&format!(
        "{SELECT}
         WHERE m.workspace_id = ?1
           AND (?2 IS NULL OR m.company_id = ?2)
           AND (?3 IS NULL OR m.state = ?3)
           AND (?4 IS NULL OR date(m.created_at, 'localtime') >= ?4)
           AND (?5 IS NULL OR date(m.created_at, 'localtime') <= ?5)
           -- Webhook deliveries are listed only when asked for (their endpoint's log);
           -- automations' Google Sheets rows are, as the user's own sends.
           AND ((?7 IS NULL AND (m.channel <> 'webhook' OR m.provider = 'google_sheets'))
                OR m.channel = ?7)
           AND (?8 IS NULL OR m.campaign_id = ?8)
         ORDER BY m.created_at DESC, m.id DESC LIMIT ?6"
    ))
    .bind(workspace_id)
    .bind(f.company_id)
    .bind(f.state.map(State::as_str))
    .bind(since)
    .bind(until)
    .bind(f.limit.unwrap_or(500).clamp(1, 10_000))
    .bind(f.channel.map(Channel::as_str))
    .bind(f.campaign_id)
    .fetch_all(pool)
    .await?)
}

pub async fn entry(pool: &SqlitePool, workspace_id: i64, id: i64) -> Result<Entry, OutboxError> {
    sqlx::query_as(&format!("{SELECT} WHERE m.workspace_id = ?1 AND m.id = ?2"))
        .bind(workspace_id)
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or(OutboxError::NotFound)
}

/// One message as it was sent: the list entry, the exact payload and every try.
#[derive(Debug, Clone)]
pub struct Stored {
    pub entry: Entry,
    /// The exact bytes handed to the provider.
    pub payload: Vec<u8>,
    pub attempts: Vec<Attempt>,
}

pub async fn stored(pool: &SqlitePool, workspace_id: i64, id: i64) -> Result<Stored, OutboxError> {
    let entry = entry(pool, workspace_id, id).await?;
    let (payload,): (Vec<u8>,) = sqlx::query_as(
        "SELECT p.payload FROM message_payloads p JOIN messages m ON m.id = p.message_id
         WHERE m.workspace_id = ?1 AND m.id = ?2",
    )
    .bind(workspace_id)
    .bind(id)
    .fetch_one(pool)
    .await?;
    let attempts = crate::queue::attempts(pool, workspace_id, id).await?;
    Ok(Stored {
        entry,
        payload,
        attempts,
    })
}

/// The states of the given messages of a workspace, for a window that follows them
/// (read once when it starts following; the worker's events tell it the rest).
pub async fn states(
    pool: &SqlitePool,
    workspace_id: i64,
    ids: &[i64],
) -> Result<Vec<MessageState>, OutboxError> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, state FROM messages
         WHERE workspace_id = ?1 AND id IN (SELECT value FROM json_each(?2)) ORDER BY id",
    )
    .bind(workspace_id)
    .bind(serde_json::to_string(ids).expect("ints"))
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|(id, state)| {
            Ok(MessageState {
                id,
                state: State::try_from(state)?,
            })
        })
        .collect()
}

/// Puts a failed (or waiting) message back in the queue for an attempt now, with a
/// fresh set of attempts. A sent or sending message is left alone.
pub async fn retry(pool: &SqlitePool, workspace_id: i64, id: i64) -> Result<Entry, OutboxError> {
    let now = crate::queue::timestamp(chrono::Utc::now());
    let r = sqlx::query(
        "UPDATE messages SET state = 'queued', attempts = 0, next_attempt_at = ?3, updated_at = ?3,
            stuck_told_at = NULL
         WHERE workspace_id = ?1 AND id = ?2 AND state IN ('failed', 'retry')",
    )
    .bind(workspace_id)
    .bind(id)
    .bind(&now)
    .execute(pool)
    .await?;
    let e = entry(pool, workspace_id, id).await?;
    if r.rows_affected() == 0 {
        return Err(OutboxError::NotRetryable(e.state));
    }
    Ok(e)
}

/// The reason a message cancelled by the user carries.
pub const CANCELLED_BY_USER: &str = "cancelled before it was sent";

/// Takes a queued or waiting (retry) message out of the queue before it goes, whether
/// sending is paused or not: it stays in the history as failed, `cancelled`. A message
/// being sent at this moment, or already sent or failed, is left alone and the error
/// says its state.
pub async fn cancel(pool: &SqlitePool, workspace_id: i64, id: i64) -> Result<Entry, OutboxError> {
    let now = crate::queue::timestamp(chrono::Utc::now());
    let r = sqlx::query(
        "UPDATE messages SET state = 'failed', last_code = 'cancelled', last_error = ?4,
            updated_at = ?3, lease_owner = NULL, lease_until = NULL
         WHERE workspace_id = ?1 AND id = ?2 AND state IN ('queued', 'retry')",
    )
    .bind(workspace_id)
    .bind(id)
    .bind(&now)
    .bind(CANCELLED_BY_USER)
    .execute(pool)
    .await?;
    let e = entry(pool, workspace_id, id).await?;
    if r.rows_affected() == 0 {
        return Err(OutboxError::NotCancellable(e.state));
    }
    Ok(e)
}

/// Deletes a message that is not going out (queued, waiting or failed) with its
/// content and tries. Sent messages stay in the history; one being sent now cannot be
/// deleted.
pub async fn delete(pool: &SqlitePool, workspace_id: i64, id: i64) -> Result<(), OutboxError> {
    let r = sqlx::query(
        "DELETE FROM messages WHERE workspace_id = ?1 AND id = ?2
           AND state IN ('queued', 'retry', 'failed')",
    )
    .bind(workspace_id)
    .bind(id)
    .execute(pool)
    .await?;
    if r.rows_affected() == 0 {
        let e = entry(pool, workspace_id, id).await?;
        return Err(OutboxError::NotCancellable(e.state));
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DailyCount {
    /// `YYYY-MM-DD`, local time.
    pub day: String,
    pub account_id: Option<i64>,
    pub account_email: Option<String>,
    pub sent: i64,
    pub failed: i64,
}

/// Messages sent and failed per day and account over the last `days` days (local time).
pub async fn daily(
    pool: &SqlitePool,
    workspace_id: i64,
    days: i64,
) -> Result<Vec<DailyCount>, OutboxError> {
    Ok(sqlx::query_as(
        "SELECT date(m.updated_at, 'localtime') AS day, m.account_id, a.email AS account_email,
                sum(m.state = 'sent') AS sent, sum(m.state = 'failed') AS failed
         FROM messages m
         LEFT JOIN smtp_accounts a ON m.channel = 'email' AND a.id = m.account_id AND a.workspace_id = m.workspace_id
         WHERE m.workspace_id = ?1 AND m.state IN ('sent', 'failed') AND m.channel <> 'webhook'
           AND date(m.updated_at, 'localtime') >= date('now', 'localtime', ?2)
         GROUP BY day, m.account_id ORDER BY day DESC, account_email",
    )
    .bind(workspace_id)
    .bind(format!("-{} days", days.clamp(1, 3660) - 1))
    .fetch_all(pool)
    .await?)
}
