//! The `messages` table's state machine: queued → sending → sent | failed | retry.

use std::time::Duration;

use chrono::{DateTime, Utc};
use lettre::message::{
    header::ContentType, Attachment as LettreAttachment, Mailbox, MultiPart, SinglePart,
};
use lettre::Message;
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;
use ulak_core::validate::{self, ValidationError};
use ulak_core::{StoreError, UserFacing};

pub const MAX_ATTEMPTS: i64 = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Queued,
    Sending,
    Sent,
    Failed,
    Retry,
}

#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error("a message needs at least one recipient")]
    NoRecipients,
    #[error("the message could not be built: {0}")]
    Build(String),
    #[error("the attachments are {bytes} bytes together; the limit is {limit}")]
    AttachmentsTooLarge { bytes: usize, limit: usize },
    #[error("this message was already queued (same idempotency key)")]
    Duplicate,
    #[error("no such message")]
    NotFound,
    #[error("only a failed or waiting message can be retried; this one is {0:?}")]
    NotRetryable(State),
    #[error("{field} is not a date (YYYY-MM-DD)")]
    BadDate { field: &'static str },
    #[error(transparent)]
    Template(#[from] crate::template::TemplateError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for OutboxError {
    fn from(e: sqlx::Error) -> Self {
        OutboxError::Store(StoreError::Database(e))
    }
}

impl UserFacing for OutboxError {
    fn code(&self) -> &'static str {
        match self {
            OutboxError::Invalid(v) => v.code(),
            OutboxError::NoRecipients => "outbox.no_recipients",
            OutboxError::Build(_) => "outbox.build_failed",
            OutboxError::AttachmentsTooLarge { .. } => "outbox.attachments_too_large",
            OutboxError::Duplicate => "outbox.duplicate",
            OutboxError::NotFound => "outbox.not_found",
            OutboxError::NotRetryable(_) => "outbox.not_retryable",
            OutboxError::BadDate { .. } => "outbox.bad_date",
            OutboxError::Template(t) => t.code(),
            OutboxError::Store(s) => s.code(),
        }
    }
    fn hint(&self) -> Option<String> {
        match self {
            OutboxError::Invalid(v) => v.hint(),
            OutboxError::NoRecipients => Some("Add an address in To.".into()),
            OutboxError::Build(_) => Some("Check the addresses and the subject.".into()),
            OutboxError::AttachmentsTooLarge { limit, .. } => Some(format!(
                "Attach at most {} MB in all; share larger files by link.",
                limit / (1024 * 1024)
            )),
            OutboxError::Duplicate => Some("It is in the send history already.".into()),
            OutboxError::NotFound => Some("Reload the send history.".into()),
            OutboxError::NotRetryable(_) => {
                Some("Sent messages are not sent again; write a new one instead.".into())
            }
            OutboxError::BadDate { .. } => Some("Pick the day from the calendar.".into()),
            OutboxError::Template(t) => t.hint(),
            OutboxError::Store(s) => s.hint(),
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            OutboxError::Invalid(v) => v.field(),
            OutboxError::NoRecipients => Some("to"),
            OutboxError::AttachmentsTooLarge { .. } => Some("attachments"),
            OutboxError::BadDate { field } => Some(field),
            OutboxError::Template(t) => t.field(),
            _ => None,
        }
    }
    fn detail(&self) -> Option<String> {
        match self {
            OutboxError::Template(t) => t.detail(),
            OutboxError::AttachmentsTooLarge { limit, .. } => {
                Some(format!("{} MB", limit / (1024 * 1024)))
            }
            _ => None,
        }
    }
}

/// The default limit on all attachments of one message together.
pub const ATTACHMENTS_MAX_BYTES: usize = 25 * 1024 * 1024;

/// A file sent with a message.
#[derive(Clone, Default)]
pub struct Attachment {
    pub filename: String,
    /// A MIME type; empty or unparsable means application/octet-stream.
    pub content_type: String,
    pub data: Vec<u8>,
}

impl std::fmt::Debug for Attachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachment")
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .field("bytes", &self.data.len())
            .finish()
    }
}

/// What the composer (or `ulak send`) hands over.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    /// None: the sandbox ("Test kutusu"), which writes .eml files and sends nothing.
    pub account_id: Option<i64>,
    pub company_id: Option<i64>,
    pub from: String,
    pub from_name: String,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub bcc: Vec<String>,
    pub subject: String,
    /// The plain-text body; with `html` set and this empty, it is made from the HTML.
    pub text: String,
    /// A rich-text body; it is cleaned (no scripts, no remote forms) before it is stored.
    pub html: Option<String>,
    pub attachments: Vec<Attachment>,
    /// The same key twice queues one message (a double click, a retried command).
    pub idempotency_key: Option<String>,
}

fn addresses(field: &'static str, list: &[String]) -> Result<Vec<String>, OutboxError> {
    list.iter()
        .map(|a| Ok(validate::email(field, a, true)?))
        .collect()
}

fn mailbox(name: &str, addr: &str) -> Result<Mailbox, OutboxError> {
    let addr = addr
        .parse()
        .map_err(|e: lettre::address::AddressError| OutboxError::Build(e.to_string()))?;
    let name = name.trim();
    Ok(Mailbox::new(
        (!name.is_empty()).then(|| name.to_string()),
        addr,
    ))
}

/// How times are stored: RFC 3339 UTC with milliseconds, so they sort as text.
pub fn timestamp(t: DateTime<Utc>) -> String {
    ts(t)
}

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The HTML that is stored and sent: what a mail client shows safely (no scripts,
/// event handlers or forms; links get rel="noopener noreferrer").
pub fn clean_html(html: &str) -> String {
    ammonia::clean(html)
}

/// The plain-text alternative of an HTML body, wrapped at 78 columns.
pub fn html_to_text(html: &str) -> String {
    html2text::from_read(html.as_bytes(), 78)
        .unwrap_or_default()
        .trim_end()
        .to_string()
}

/// A message ready to be written: validated, its .eml rendered.
#[derive(Debug, Clone)]
pub struct Built {
    pub account_id: Option<i64>,
    pub company_id: Option<i64>,
    pub message_id: String,
    pub idempotency_key: String,
    pub sender: String,
    pub recipients: Vec<String>,
    pub to_display: String,
    pub subject: String,
    pub attachment_count: i64,
    pub raw: Vec<u8>,
}

/// Validates a draft and renders its exact .eml. Pure: no store, no network.
pub fn build(d: &Draft, now: DateTime<Utc>) -> Result<Built, OutboxError> {
    let from = validate::email("from", &d.from, true)?;
    let from_name = validate::text("fromName", &d.from_name, 200, false)?;
    let to = addresses("to", &d.to)?;
    let cc = addresses("cc", &d.cc)?;
    let bcc = addresses("bcc", &d.bcc)?;
    if to.is_empty() {
        return Err(OutboxError::NoRecipients);
    }
    // One line, as a header must be; RFC 5322 allows 998 octets per line.
    let subject = validate::text("subject", &d.subject, 900, false)?;
    let total: usize = d.attachments.iter().map(|a| a.data.len()).sum();
    if total > ATTACHMENTS_MAX_BYTES {
        return Err(OutboxError::AttachmentsTooLarge {
            bytes: total,
            limit: ATTACHMENTS_MAX_BYTES,
        });
    }
    let domain = from.rsplit('@').next().unwrap_or("localhost").to_string();
    let message_id = format!(
        "<{:016x}{:08x}@{domain}>",
        rand::random::<u64>(),
        rand::random::<u32>()
    );

    let mut b = Message::builder()
        .from(mailbox(&from_name, &from)?)
        .subject(subject.clone())
        .message_id(Some(message_id.clone()))
        .date(now.into());
    for a in &to {
        b = b.to(mailbox("", a)?);
    }
    for a in &cc {
        b = b.cc(mailbox("", a)?);
    }
    // Bcc addresses go only into the envelope, never into the stored headers.
    let build_err = |e: lettre::error::Error| OutboxError::Build(e.to_string());
    let text_body = match &d.html {
        Some(html) if d.text.trim().is_empty() => html_to_text(&clean_html(html)),
        _ => d.text.clone(),
    };
    let mut parts = Vec::new();
    for a in &d.attachments {
        let name = validate::text("attachments", &a.filename, 255, true)?;
        let ct = ContentType::parse(&a.content_type)
            .unwrap_or_else(|_| ContentType::parse("application/octet-stream").expect("valid"));
        parts.push(LettreAttachment::new(name).body(a.data.clone(), ct));
    }
    let msg = match (&d.html, parts.is_empty()) {
        (None, true) => b
            .header(ContentType::TEXT_PLAIN)
            .body(text_body)
            .map_err(build_err)?,
        (html, _) => {
            let main = match html {
                Some(h) => MultiPart::alternative_plain_html(text_body, clean_html(h)),
                None => MultiPart::mixed().singlepart(SinglePart::plain(text_body)),
            };
            let body = if parts.is_empty() {
                main
            } else {
                let mut mixed = match html {
                    Some(_) => MultiPart::mixed().multipart(main),
                    None => main,
                };
                for p in parts {
                    mixed = mixed.singlepart(p);
                }
                mixed
            };
            b.multipart(body).map_err(build_err)?
        }
    };
    let recipients: Vec<String> = to.iter().chain(&cc).chain(&bcc).cloned().collect();
    Ok(Built {
        account_id: d.account_id,
        company_id: d.company_id,
        idempotency_key: d
            .idempotency_key
            .clone()
            .unwrap_or_else(|| message_id.clone()),
        message_id,
        sender: from,
        to_display: to.join(", "),
        recipients,
        subject,
        attachment_count: d.attachments.len() as i64,
        raw: msg.formatted(),
    })
}

const INSERT: &str = "INSERT INTO messages (workspace_id, account_id, company_id, message_id, idempotency_key, sender,
        recipients, to_display, attachment_count, subject, state, next_attempt_at, created_at, updated_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'queued', ?11, ?11, ?11)";

/// The message row and its body, inside the caller's transaction.
async fn insert_one(
    tx: &mut sqlx::SqliteConnection,
    workspace_id: i64,
    m: &Built,
    now: &str,
) -> Result<i64, sqlx::Error> {
    let id = sqlx::query(INSERT)
        .bind(workspace_id)
        .bind(m.account_id)
        .bind(m.company_id)
        .bind(&m.message_id)
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
    sqlx::query("INSERT INTO message_bodies (message_id, raw) VALUES (?1, ?2)")
        .bind(id)
        .bind(&m.raw)
        .execute(&mut *tx)
        .await?;
    Ok(id)
}

/// Validates and stores the message; nothing goes on the network here.
pub async fn enqueue(
    pool: &SqlitePool,
    workspace_id: i64,
    d: &Draft,
    now: DateTime<Utc>,
) -> Result<i64, OutboxError> {
    let m = build(d, now)?;
    let now = ts(now);
    let mut tx = pool.begin().await?;
    match insert_one(&mut tx, workspace_id, &m, &now).await {
        Ok(id) => {
            tx.commit().await?;
            Ok(id)
        }
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(OutboxError::Duplicate),
        Err(e) => Err(e.into()),
    }
}

/// Queues many messages in one transaction: all of them or, on any invalid draft,
/// none. A draft whose idempotency key is queued already is not queued again; its
/// existing id is returned, so a repeated bulk send is safe.
pub async fn enqueue_many(
    pool: &SqlitePool,
    workspace_id: i64,
    drafts: &[Draft],
    now: DateTime<Utc>,
) -> Result<Vec<i64>, OutboxError> {
    let built = drafts
        .iter()
        .map(|d| build(d, now))
        .collect::<Result<Vec<_>, _>>()?;
    insert_built(pool, workspace_id, &built, now).await
}

/// Writes already built messages in one transaction (see `enqueue_many`).
pub async fn insert_built(
    pool: &SqlitePool,
    workspace_id: i64,
    built: &[Built],
    now: DateTime<Utc>,
) -> Result<Vec<i64>, OutboxError> {
    let now = ts(now);
    let mut tx = pool.begin().await?;
    let mut ids = Vec::with_capacity(built.len());
    for m in built {
        match insert_one(&mut tx, workspace_id, m, &now).await {
            Ok(id) => ids.push(id),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                let (id,): (i64,) =
                    sqlx::query_as("SELECT id FROM messages WHERE idempotency_key = ?1")
                        .bind(&m.idempotency_key)
                        .fetch_one(&mut *tx)
                        .await?;
                ids.push(id);
            }
            Err(e) => return Err(e.into()),
        }
    }
    tx.commit().await?;
    Ok(ids)
}

/// A message a worker holds the lease on.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub workspace_id: i64,
    pub account_id: Option<i64>,
    pub message_id: String,
    pub subject: String,
    pub sender: String,
    pub recipients: Vec<String>,
    pub raw: Vec<u8>,
    pub attempts: i64,
}

#[derive(sqlx::FromRow)]
struct ClaimRow {
    id: i64,
    workspace_id: i64,
    account_id: Option<i64>,
    message_id: String,
    subject: String,
    sender: String,
    recipients: String,
    attempts: i64,
    raw: Option<Vec<u8>>,
}

/// The ids a claim takes: due queued and retry messages and expired leases, oldest
/// first. ?3 is now, ?4 the limit.
pub const DUE_IDS: &str = "
-- Each arm walks the pending index (messages_pending, whose WHERE each arm
-- repeats so SQLite may use it) in order and stops at the limit; one OR over
-- the three would read every row of the table.
SELECT id FROM (
    SELECT * FROM (SELECT id, next_attempt_at AS t FROM messages
        WHERE state IN ('queued', 'retry', 'sending') AND state = 'queued'
          AND next_attempt_at <= ?3 ORDER BY next_attempt_at, id LIMIT ?4)
    UNION ALL
    SELECT * FROM (SELECT id, next_attempt_at AS t FROM messages
        WHERE state IN ('queued', 'retry', 'sending') AND state = 'retry'
          AND next_attempt_at <= ?3 ORDER BY next_attempt_at, id LIMIT ?4)
    UNION ALL
    SELECT * FROM (SELECT id, next_attempt_at AS t FROM messages
        WHERE state IN ('queued', 'retry', 'sending') AND state = 'sending'
          AND lease_until < ?3 ORDER BY next_attempt_at, id LIMIT ?4))
ORDER BY t, id LIMIT ?4";

/// Claims up to `limit` due messages (and any whose lease ran out) for `owner`, in one
/// statement, so two workers — the app and a CLI run — never get the same message.
pub async fn claim_due(
    pool: &SqlitePool,
    owner: &str,
    now: DateTime<Utc>,
    lease: Duration,
    limit: i64,
) -> Result<Vec<Claimed>, OutboxError> {
    claim_due_on(&mut *pool.acquire().await?, owner, now, lease, limit).await
}

/// As `claim_due`, on a given connection (a drain keeps one, and its page cache).
pub async fn claim_due_on(
    c: &mut sqlx::SqliteConnection,
    owner: &str,
    now: DateTime<Utc>,
    lease: Duration,
    limit: i64,
) -> Result<Vec<Claimed>, OutboxError> {
    let until = now + chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::seconds(60));
    let rows: Vec<ClaimRow> = sqlx::query_as(&format!(
        "UPDATE messages SET state = 'sending', lease_owner = ?1, lease_until = ?2, attempts = attempts + 1, updated_at = ?3
         WHERE id IN (
            {DUE_IDS})
         RETURNING id, workspace_id, account_id, message_id, subject, sender, recipients, attempts,
            (SELECT raw FROM message_bodies WHERE message_id = messages.id) AS raw"
    ))
    .bind(owner)
    .bind(ts(until))
    .bind(ts(now))
    .bind(limit)
    .fetch_all(&mut *c)
    .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut out: Vec<Claimed> = rows
        .into_iter()
        .map(|r| Claimed {
            id: r.id,
            workspace_id: r.workspace_id,
            account_id: r.account_id,
            message_id: r.message_id,
            subject: r.subject,
            sender: r.sender,
            recipients: serde_json::from_str(&r.recipients).unwrap_or_default(),
            raw: r.raw.unwrap_or_default(),
            attempts: r.attempts,
        })
        .collect();
    out.sort_by_key(|c| c.id);
    Ok(out)
}

/// Gives claimed messages back unsent (sending was paused after the claim): due now,
/// the claim's attempt not counted.
pub async fn release(
    pool: &SqlitePool,
    owner: &str,
    ids: &[i64],
    now: DateTime<Utc>,
) -> Result<u64, OutboxError> {
    release_on(&mut *pool.acquire().await?, owner, ids, now).await
}

pub async fn release_on(
    c: &mut sqlx::SqliteConnection,
    owner: &str,
    ids: &[i64],
    now: DateTime<Utc>,
) -> Result<u64, OutboxError> {
    if ids.is_empty() {
        return Ok(0);
    }
    let r = sqlx::query(
        "UPDATE messages SET state = CASE WHEN attempts > 1 THEN 'retry' ELSE 'queued' END,
            attempts = attempts - 1, next_attempt_at = ?3, updated_at = ?3,
            lease_owner = NULL, lease_until = NULL
         WHERE id IN (SELECT value FROM json_each(?1)) AND state = 'sending' AND lease_owner = ?2",
    )
    .bind(serde_json::to_string(ids).expect("ints"))
    .bind(owner)
    .bind(ts(now))
    .execute(&mut *c)
    .await?;
    Ok(r.rows_affected())
}

/// Gives back at once the claims of earlier runs of a worker that can only run once
/// (the app is single-instance): their owner names start with `prefix` and are not
/// `current`. Those messages are due again now instead of after their lease.
pub async fn release_stale(
    pool: &SqlitePool,
    prefix: &str,
    current: &str,
    now: DateTime<Utc>,
) -> Result<u64, OutboxError> {
    let r = sqlx::query(
        "UPDATE messages SET state = 'retry', next_attempt_at = ?3, updated_at = ?3,
            lease_owner = NULL, lease_until = NULL
         WHERE state = 'sending' AND substr(lease_owner, 1, length(?1)) = ?1 AND lease_owner <> ?2",
    )
    .bind(prefix)
    .bind(current)
    .bind(ts(now))
    .execute(pool)
    .await?;
    Ok(r.rows_affected())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Sent {
        reply: String,
    },
    /// 5xx and other failures that another attempt will not mend.
    Failed {
        reason: String,
    },
    /// 4xx, timeouts, dropped connections.
    Transient {
        reason: String,
    },
}

/// The wait before attempt `attempts + 1`: 30 s doubling to at most an hour, times a
/// jitter factor in [0.5, 1.0] the caller draws.
pub fn backoff(attempts: i64, jitter: f64) -> chrono::Duration {
    let base = 30_i64
        .saturating_mul(1_i64 << (attempts.clamp(1, 20) - 1))
        .min(3600);
    chrono::Duration::milliseconds((base as f64 * 1000.0 * jitter.clamp(0.5, 1.0)) as i64)
}

/// Records a batch of outcomes in one transaction. Only the lease holder can: a worker
/// whose lease expired and was taken over changes nothing. Returns how many were applied.
pub async fn complete(
    pool: &SqlitePool,
    owner: &str,
    outcomes: &[(i64, Outcome)],
    now: DateTime<Utc>,
    jitter: f64,
) -> Result<u64, OutboxError> {
    complete_on(&mut *pool.acquire().await?, owner, outcomes, now, jitter).await
}

pub async fn complete_on(
    c: &mut sqlx::SqliteConnection,
    owner: &str,
    outcomes: &[(i64, Outcome)],
    now: DateTime<Utc>,
    jitter: f64,
) -> Result<u64, OutboxError> {
    let mut tx = sqlx::Connection::begin(c).await?;
    // Successes, the bulk of any batch, in one statement: a statement per row costs a
    // round trip to sqlx's database thread each. The CTE is parsed once and looked up
    // by key, not re-read per row.
    let sent: Vec<serde_json::Value> = outcomes
        .iter()
        .filter_map(|(id, o)| match o {
            Outcome::Sent { reply } => Some(serde_json::json!([id, reply])),
            _ => None,
        })
        .collect();
    let mut applied = 0;
    if !sent.is_empty() {
        applied += sqlx::query(
            "WITH j(i, r) AS MATERIALIZED (SELECT value ->> 0, value ->> 1 FROM json_each(?1))
             UPDATE messages SET state = 'sent', sent_at = ?3, updated_at = ?3,
                server_reply = (SELECT r FROM j WHERE j.i = messages.id),
                lease_owner = NULL, lease_until = NULL, last_error = NULL
             WHERE id IN (SELECT i FROM j) AND state = 'sending' AND lease_owner = ?2",
        )
        .bind(serde_json::Value::Array(sent).to_string())
        .bind(owner)
        .bind(ts(now))
        .execute(&mut *tx)
        .await?
        .rows_affected();
    }
    for (id, o) in outcomes {
        let guard = "WHERE id = ?1 AND state = 'sending' AND lease_owner = ?2";
        let r = match o {
            Outcome::Sent { .. } => continue,
            Outcome::Failed { reason } => {
                sqlx::query(&format!(
                    "UPDATE messages SET state = 'failed', last_error = ?3, updated_at = ?4,
                        lease_owner = NULL, lease_until = NULL {guard}"
                ))
                .bind(id)
                .bind(owner)
                .bind(reason)
                .bind(ts(now))
                .execute(&mut *tx)
                .await?
            }
            Outcome::Transient { reason } => {
                let attempts =
                    sqlx::query_as::<_, (i64,)>("SELECT attempts FROM messages WHERE id = ?1")
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?
                        .map_or(1, |(a,)| a);
                sqlx::query(&format!(
                    "UPDATE messages SET
                        state = CASE WHEN attempts >= {MAX_ATTEMPTS} THEN 'failed' ELSE 'retry' END,
                        next_attempt_at = ?4, last_error = ?3, updated_at = ?5,
                        lease_owner = NULL, lease_until = NULL {guard}"
                ))
                .bind(id)
                .bind(owner)
                .bind(reason)
                .bind(ts(now + backoff(attempts, jitter)))
                .bind(ts(now))
                .execute(&mut *tx)
                .await?
            }
        };
        applied += r.rows_affected();
    }
    tx.commit().await?;
    Ok(applied)
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Row {
    pub id: i64,
    pub state: State,
    pub attempts: i64,
    pub subject: String,
    pub last_error: Option<String>,
    pub next_attempt_at: String,
}

pub async fn get(
    pool: &SqlitePool,
    workspace_id: i64,
    id: i64,
) -> Result<Option<Row>, OutboxError> {
    let r: Option<(i64, String, i64, String, Option<String>, String)> = sqlx::query_as(
        "SELECT id, state, attempts, subject, last_error, next_attempt_at FROM messages WHERE workspace_id = ?1 AND id = ?2",
    )
    .bind(workspace_id)
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(r.map(
        |(id, state, attempts, subject, last_error, next_attempt_at)| Row {
            id,
            state: serde_json::from_value(serde_json::Value::String(state))
                .unwrap_or(State::Failed),
            attempts,
            subject,
            last_error,
            next_attempt_at,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_an_hour_and_jitter_only_shortens() {
        assert_eq!(backoff(1, 1.0), chrono::Duration::seconds(30));
        assert_eq!(backoff(2, 1.0), chrono::Duration::seconds(60));
        assert_eq!(backoff(3, 0.5), chrono::Duration::seconds(60));
        assert_eq!(backoff(30, 1.0), chrono::Duration::seconds(3600));
        assert_eq!(
            backoff(1, 7.0),
            chrono::Duration::seconds(30),
            "jitter is clamped"
        );
    }
}
