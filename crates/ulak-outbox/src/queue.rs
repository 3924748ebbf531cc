//! The `messages` table's state machine: queued → sending → sent | failed | retry.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;
use ulak_core::validate::ValidationError;
use ulak_core::{ErrorCode, StoreError, UserFacing};

use crate::failure::{Failure, FailureCode};
use crate::retry;
use crate::senders;
use std::collections::HashMap;

pub use crate::enqueue::{enqueue, enqueue_counted, enqueue_many, enqueue_many_at};

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
    #[error("the idempotency key {key} already queued a message to another recipient or with another subject")]
    KeyReused { key: String },
    #[error("a message's lifetime is between 1 and 720 hours, not {hours}")]
    BadLifetime { hours: i64 },
    #[error("no such message")]
    NotFound,
    #[error("only a failed or waiting message can be retried; this one is {0:?}")]
    NotRetryable(State),
    #[error("only a queued or waiting message can be cancelled (a failed one deleted); this one is {0:?}")]
    NotCancellable(State),
    #[error("{field} is not a date (YYYY-MM-DD)")]
    BadDate { field: &'static str },
    #[error("that address or number is not on the suppression list")]
    NotSuppressed,
    #[error("the CSV file could not be read: {0}")]
    BadCsv(String),
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
    fn code(&self) -> ErrorCode {
        match self {
            OutboxError::Invalid(v) => v.code(),
            OutboxError::NoRecipients => ErrorCode::OutboxNoRecipients,
            OutboxError::Build(_) => ErrorCode::OutboxBuildFailed,
            OutboxError::AttachmentsTooLarge { .. } => ErrorCode::OutboxAttachmentsTooLarge,
            OutboxError::Duplicate => ErrorCode::OutboxDuplicate,
            OutboxError::KeyReused { .. } => ErrorCode::OutboxKeyReused,
            OutboxError::BadLifetime { .. } => ErrorCode::OutboxBadLifetime,
            OutboxError::NotFound => ErrorCode::OutboxNotFound,
            OutboxError::NotRetryable(_) => ErrorCode::OutboxNotRetryable,
            OutboxError::NotCancellable(_) => ErrorCode::OutboxNotCancellable,
            OutboxError::BadDate { .. } => ErrorCode::OutboxBadDate,
            OutboxError::NotSuppressed => ErrorCode::SuppressNotListed,
            OutboxError::BadCsv(_) => ErrorCode::SuppressBadCsv,
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
            OutboxError::KeyReused { .. } => Some(
                "Give a new message a new key; to repeat a message, keep its recipient and subject."
                    .into(),
            ),
            OutboxError::BadLifetime { .. } => {
                Some("Give a number of hours from 1 to 720 (30 days); 120 is five days.".into())
            }
            OutboxError::NotFound => Some("Reload the send history.".into()),
            OutboxError::NotRetryable(_) => {
                Some("Sent messages are not sent again; write a new one instead.".into())
            }
            OutboxError::NotCancellable(State::Sending) => Some(
                "It is being sent at this moment; wait for the outcome in the history.".into(),
            ),
            OutboxError::NotCancellable(_) => {
                Some("Sent messages stay in the history; nothing is going out.".into())
            }
            OutboxError::BadDate { .. } => Some("Pick the day from the calendar.".into()),
            OutboxError::NotSuppressed => {
                Some("Check the address or number; `ulak suppress list` shows the list.".into())
            }
            OutboxError::BadCsv(_) => Some(
                "Save the file as CSV (UTF-8), one address or number per line, with the columns value,reason,note,requested_at.".into(),
            ),
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
            OutboxError::KeyReused { key } => Some(key.clone()),
            OutboxError::BadLifetime { hours } => Some(hours.to_string()),
            OutboxError::BadCsv(why) => Some(why.clone()),
            _ => None,
        }
    }
}

/// The ways a message can go out, and what an integration is for. The queue does not
/// look inside a payload; the channel and provider say who can. `Meeting` (Zoom, set up
/// on Entegrasyonlar › Toplantı) makes meeting links and never carries a message: the
/// messages table refuses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
// Tauri's runtime has a `Channel` of its own in the bindings.
#[serde(rename = "MessageChannel")]
pub enum Channel {
    Email,
    Sms,
    Whatsapp,
    Chat,
    Webhook,
    Meeting,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::Whatsapp => "whatsapp",
            Channel::Chat => "chat",
            Channel::Webhook => "webhook",
            Channel::Meeting => "meeting",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        [
            Channel::Email,
            Channel::Sms,
            Channel::Whatsapp,
            Channel::Chat,
            Channel::Webhook,
            Channel::Meeting,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

impl TryFrom<String> for State {
    type Error = OutboxError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Ok(match s.as_str() {
            "queued" => State::Queued,
            "sending" => State::Sending,
            "sent" => State::Sent,
            "failed" => State::Failed,
            "retry" => State::Retry,
            _ => return Err(OutboxError::Build(format!("unknown state {s:?}"))),
        })
    }
}

impl TryFrom<String> for Channel {
    type Error = OutboxError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Channel::parse(&s).ok_or_else(|| OutboxError::Build(format!("unknown channel {s:?}")))
    }
}

/// A stored failure code as read back: None when the message has not failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(transparent)]
pub struct LastCode(pub Option<FailureCode>);

impl From<Option<String>> for LastCode {
    fn from(s: Option<String>) -> Self {
        LastCode(s.as_deref().map(FailureCode::parse))
    }
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Queued => "queued",
            State::Sending => "sending",
            State::Sent => "sent",
            State::Failed => "failed",
            State::Retry => "retry",
        }
    }
}

/// The provider name of every channel's "Test kutusu": nothing leaves the machine.
pub const SANDBOX: &str = "sandbox";

/// A message ready to be written, in its provider's own form.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub channel: Channel,
    /// Who sends it: `SANDBOX`, or the provider of `account_id` (e.g. "smtp").
    pub provider: String,
    /// The provider account; None for the sandbox.
    pub account_id: Option<i64>,
    pub company_id: Option<i64>,
    /// The message's own id in its channel (e-mail: its Message-ID).
    pub reference: String,
    pub idempotency_key: String,
    /// The sender as the channel knows it (an address, a sender ID, a number).
    pub sender: String,
    /// Where it goes, as the provider needs it (envelope addresses, E.164 numbers).
    pub recipients: Vec<String>,
    /// The recipients as the history lists them.
    pub to_display: String,
    /// The line the history shows: an e-mail's subject, the start of an SMS.
    pub subject: String,
    pub attachment_count: i64,
    /// What the provider sends, byte for byte (an .eml, an SMS's JSON).
    pub payload: Vec<u8>,
}

/// How times are stored: RFC 3339 UTC with milliseconds, so they sort as text.
pub fn timestamp(t: DateTime<Utc>) -> String {
    ts(t)
}

pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A message a worker holds the lease on.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub workspace_id: i64,
    pub channel: Channel,
    pub provider: String,
    pub account_id: Option<i64>,
    pub reference: String,
    pub subject: String,
    pub sender: String,
    pub recipients: Vec<String>,
    pub payload: Vec<u8>,
    pub attempts: i64,
}

#[derive(sqlx::FromRow)]
struct ClaimRow {
    id: i64,
    workspace_id: i64,
    channel: String,
    provider: String,
    account_id: Option<i64>,
    reference: String,
    subject: String,
    sender: String,
    recipients: String,
    attempts: i64,
    payload: Option<Vec<u8>>,
}

/// The ids a claim takes: due queued and retry messages and expired leases of other
/// workers (a worker never takes back what it holds itself: it is still sending it),
/// oldest first. ?1 is the claiming worker, ?3 now, ?4 the limit.
pub const DUE_IDS: &str = "
-- Each arm walks the pending index (messages_pending, whose WHERE each arm
-- repeats so SQLite may use it) in order and stops at the limit; one OR over
-- the three would read every row of the table.
SELECT id FROM (
    SELECT * FROM (SELECT id, next_attempt_at AS t FROM messages
        WHERE state IN ('queued', 'retry', 'sending') AND state = 'queued'
          AND next_attempt_at <= ?3 AND provider <> 'campaign'
          ORDER BY next_attempt_at, id LIMIT ?4)
    UNION ALL
    SELECT * FROM (SELECT id, next_attempt_at AS t FROM messages
        WHERE state IN ('queued', 'retry', 'sending') AND state = 'retry'
          AND next_attempt_at <= ?3 AND provider <> 'campaign'
          ORDER BY next_attempt_at, id LIMIT ?4)
    UNION ALL
    SELECT * FROM (SELECT id, next_attempt_at AS t FROM messages
        WHERE state IN ('queued', 'retry', 'sending') AND state = 'sending'
          AND lease_until < ?3 AND lease_owner <> ?1 AND provider <> 'campaign'
          ORDER BY next_attempt_at, id LIMIT ?4))
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

/// As `claim_due`, on a given connection (a drain keeps one, and its page cache). The
/// local day for the accounts' daily limits is this computer's.
pub async fn claim_due_on(
    c: &mut sqlx::SqliteConnection,
    owner: &str,
    now: DateTime<Utc>,
    lease: Duration,
    limit: i64,
) -> Result<Vec<Claimed>, OutboxError> {
    claim_at(c, owner, &senders::Clock::local(now), lease, limit).await
}

/// The due messages of accounts with a limit or a status (`senders`), capped by what
/// each account may still send: ?5 is the caps as JSON ([channel, account, messages,
/// recipients]), candidates of blocked accounts are skipped, and each account's due
/// messages are taken oldest first up to its cap.
const CAPPED_IDS: &str = "
WITH caps(ch, acc, n, r) AS MATERIALIZED
    (SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?5)),
cand AS MATERIALIZED (
    SELECT * FROM (SELECT id, channel, account_id, recipients, next_attempt_at AS t FROM messages m
        WHERE state IN ('queued', 'retry', 'sending') AND state = 'queued'
          AND next_attempt_at <= ?3 AND NOT EXISTS (SELECT 1 FROM senders s
              WHERE s.channel = m.channel AND s.account_id = m.account_id AND s.blocked_until > ?3)
          AND provider <> 'campaign'
        ORDER BY next_attempt_at, id LIMIT ?6)
    UNION ALL
    SELECT * FROM (SELECT id, channel, account_id, recipients, next_attempt_at AS t FROM messages m
        WHERE state IN ('queued', 'retry', 'sending') AND state = 'retry'
          AND next_attempt_at <= ?3 AND NOT EXISTS (SELECT 1 FROM senders s
              WHERE s.channel = m.channel AND s.account_id = m.account_id AND s.blocked_until > ?3)
          AND provider <> 'campaign'
        ORDER BY next_attempt_at, id LIMIT ?6)
    UNION ALL
    SELECT * FROM (SELECT id, channel, account_id, recipients, next_attempt_at AS t FROM messages m
        WHERE state IN ('queued', 'retry', 'sending') AND state = 'sending'
          AND lease_until < ?3 AND lease_owner <> ?1 AND NOT EXISTS (SELECT 1 FROM senders s
              WHERE s.channel = m.channel AND s.account_id = m.account_id AND s.blocked_until > ?3)
          AND provider <> 'campaign'
        ORDER BY next_attempt_at, id LIMIT ?6)),
ranked AS (
    SELECT cand.id, cand.t, caps.n, caps.r,
        row_number() OVER w AS rn, sum(json_array_length(cand.recipients)) OVER w AS rs
    FROM cand LEFT JOIN caps ON caps.ch = cand.channel AND caps.acc = cand.account_id
    WINDOW w AS (PARTITION BY cand.channel, cand.account_id ORDER BY cand.t, cand.id))
SELECT id FROM ranked WHERE n IS NULL OR (rn <= n AND (r IS NULL OR rs <= r))
ORDER BY t, id LIMIT ?4";

/// As `claim_due_on` at a given clock (tests cross a local midnight with it). Inside
/// one write transaction: the accounts' counts are taken and the messages claimed
/// against them, so every process's claims are counted by the next.
pub async fn claim_at(
    c: &mut sqlx::SqliteConnection,
    owner: &str,
    clock: &senders::Clock,
    lease: Duration,
    limit: i64,
) -> Result<Vec<Claimed>, OutboxError> {
    let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::from_entropy();
    claim_with(c, owner, clock, lease, limit, &mut rng).await
}

/// As `claim_at`, a campaign's accounts chosen with `rng` (tests seed it).
pub async fn claim_with(
    c: &mut sqlx::SqliteConnection,
    owner: &str,
    clock: &senders::Clock,
    lease: Duration,
    limit: i64,
    rng: &mut (dyn rand::RngCore + Send),
) -> Result<Vec<Claimed>, OutboxError> {
    let now = clock.now;
    let until = now + chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::seconds(60));
    let mut tx = begin_write(c).await?;
    let caps = senders::caps(&mut tx, clock).await?;
    let returning =
        "RETURNING id, workspace_id, channel, provider, account_id, reference, subject, sender,
            recipients, attempts,
            (SELECT payload FROM message_payloads WHERE message_id = messages.id) AS payload";
    let set = "UPDATE messages SET state = 'sending', lease_owner = ?1, lease_until = ?2, attempts = attempts + 1, updated_at = ?3";
    let mut rows: Vec<ClaimRow> = match &caps {
        None => {
            sqlx::query_as(&format!("{set} WHERE id IN ({DUE_IDS}) {returning}"))
                .bind(owner)
                .bind(ts(until))
                .bind(ts(now))
                .bind(limit)
                .fetch_all(&mut *tx)
                .await?
        }
        Some(caps) => {
            sqlx::query_as(&format!("{set} WHERE id IN ({CAPPED_IDS}) {returning}"))
                .bind(owner)
                .bind(ts(until))
                .bind(ts(now))
                .bind(limit)
                .bind(&caps.json)
                // Candidates beyond the limit, so one account's capped backlog does
                // not leave the claim empty.
                .bind(limit.saturating_mul(4))
                .fetch_all(&mut *tx)
                .await?
        }
    };
    let mut taken = taken_by(&rows);
    // Campaigns' messages: each gets an account chosen now, within what is left.
    let room = limit - rows.len() as i64;
    if room > 0 {
        let chosen = crate::campaigns::choose(
            &mut tx,
            clock,
            crate::campaigns::Room {
                owner,
                caps: caps.as_ref(),
                taken: &taken,
            },
            room,
            rng,
        )
        .await?;
        if !chosen.is_empty() {
            for (id, account, label) in &chosen {
                sqlx::query("UPDATE messages SET account_id = ?2, sender = ?3 WHERE id = ?1")
                    .bind(id)
                    .bind(account)
                    .bind(label)
                    .execute(&mut *tx)
                    .await?;
            }
            let ids: Vec<i64> = chosen.iter().map(|(id, ..)| *id).collect();
            let more: Vec<ClaimRow> = sqlx::query_as(&format!(
                "{set} WHERE id IN (SELECT value FROM json_each(?4))
                   AND (state IN ('queued', 'retry')
                        OR (state = 'sending' AND lease_until < ?3 AND lease_owner <> ?1))
                 {returning}"
            ))
            .bind(owner)
            .bind(ts(until))
            .bind(ts(now))
            .bind(serde_json::to_string(&ids).expect("ints"))
            .fetch_all(&mut *tx)
            .await?;
            rows.extend(more);
            taken = taken_by(&rows);
        }
    }
    // A message claimed SET_ASIDE_AFTER times before without any try recorded took its
    // worker down each time (a crash, a kill, a hang past the lease): set aside with
    // the reason, so it is not tried at every start and the rest of the queue goes.
    let suspects: Vec<i64> = rows
        .iter()
        .filter(|r| r.attempts > SET_ASIDE_AFTER)
        .map(|r| r.id)
        .collect();
    if !suspects.is_empty() {
        let poison: Vec<i64> = sqlx::query_scalar(
            "SELECT m.id FROM messages m WHERE m.id IN (SELECT value FROM json_each(?1))
               AND m.attempts - 1 - (SELECT count(*) FROM attempts a WHERE a.message_id = m.id)
                   >= ?2",
        )
        .bind(serde_json::to_string(&suspects).expect("ints"))
        .bind(SET_ASIDE_AFTER)
        .fetch_all(&mut *tx)
        .await?;
        if !poison.is_empty() {
            rows.retain(|r| !poison.contains(&r.id));
            taken = taken_by(&rows);
            for id in poison {
                fail_claimed(&mut tx, id, FailureCode::SetAside, SET_ASIDE, now).await?;
            }
        }
    }
    // A message whose content row is gone (a damaged store, a hand edit) is never sent
    // empty: it fails here with the reason, and takes no account's room.
    if rows.iter().any(|r| r.payload.is_none()) {
        let (gone, kept): (Vec<ClaimRow>, Vec<ClaimRow>) =
            rows.into_iter().partition(|r| r.payload.is_none());
        rows = kept;
        taken = taken_by(&rows);
        for r in gone {
            fail_claimed(&mut tx, r.id, FailureCode::Unsendable, MISSING_CONTENT, now).await?;
        }
    }
    if let Some(caps) = &caps {
        caps.settle(&mut tx, &taken).await?;
    }
    tx.commit().await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut out: Vec<Claimed> = rows
        .into_iter()
        .map(|r| Claimed {
            id: r.id,
            workspace_id: r.workspace_id,
            // The column's CHECK admits only known channels.
            channel: Channel::parse(&r.channel).unwrap_or(Channel::Email),
            provider: r.provider,
            account_id: r.account_id,
            reference: r.reference,
            subject: r.subject,
            sender: r.sender,
            recipients: serde_json::from_str(&r.recipients).unwrap_or_default(),
            payload: r
                .payload
                .expect("messages without content were failed above"),
            attempts: r.attempts,
        })
        .collect();
    out.sort_by_key(|c| c.id);
    Ok(out)
}

/// The reason a message without its content fails with.
pub const MISSING_CONTENT: &str =
    "the message's content is missing from the store, so it was not sent; write it again";

/// Claims without an outcome after which a message is set aside.
pub const SET_ASIDE_AFTER: i64 = 3;

/// The reason a message is set aside with.
pub const SET_ASIDE: &str = "Ulak stopped three times while sending this message (a crash, a kill or a hang); it was set aside so the rest of the queue goes";

/// Fails a message the claim just took, before it goes anywhere, with the reason.
async fn fail_claimed(
    tx: &mut sqlx::SqliteConnection,
    id: i64,
    code: FailureCode,
    why: &str,
    now: DateTime<Utc>,
) -> Result<(), OutboxError> {
    tracing::warn!(
        message = id,
        code = code.as_str(),
        "a claimed message failed before sending"
    );
    sqlx::query(
        "INSERT OR IGNORE INTO attempts (message_id, started_at, duration_ms, outcome, code, provider_text)
         VALUES (?1, ?2, 0, 'failed', ?3, ?4)",
    )
    .bind(id)
    .bind(ts(now))
    .bind(code.as_str())
    .bind(why)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE messages SET state = 'failed', last_error = ?2, last_code = ?3, updated_at = ?4,
            lease_owner = NULL, lease_until = NULL WHERE id = ?1",
    )
    .bind(id)
    .bind(why)
    .bind(code.as_str())
    .bind(ts(now))
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Messages and recipients a claim took per account.
fn taken_by(rows: &[ClaimRow]) -> HashMap<senders::Key, (u32, u32)> {
    let mut taken: HashMap<senders::Key, (u32, u32)> = HashMap::new();
    for r in rows {
        let (Some(channel), Some(account_id)) = (Channel::parse(&r.channel), r.account_id) else {
            continue;
        };
        let n = serde_json::from_str::<Vec<serde_json::Value>>(&r.recipients)
            .map_or(1, |v| v.len() as u32);
        let e = taken
            .entry(senders::Key {
                channel,
                account_id,
            })
            .or_default();
        e.0 += 1;
        e.1 += n;
    }
    taken
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

/// Starts the lease of claimed messages afresh as their sending starts (a batch is
/// claimed while the one before it is sent, which can take longer than a lease). Returns
/// the ids still held by `owner`: one whose lease ran out and was taken by another
/// worker is that worker's to send now, never this one's.
pub async fn renew_on(
    c: &mut sqlx::SqliteConnection,
    owner: &str,
    ids: &[i64],
    now: DateTime<Utc>,
    lease: Duration,
) -> Result<Vec<i64>, OutboxError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let until = now + chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::seconds(60));
    Ok(sqlx::query_scalar(
        "UPDATE messages SET lease_until = ?3
         WHERE id IN (SELECT value FROM json_each(?1)) AND state = 'sending' AND lease_owner = ?2
         RETURNING id",
    )
    .bind(serde_json::to_string(ids).expect("ints"))
    .bind(owner)
    .bind(ts(until))
    .fetch_all(&mut *c)
    .await?)
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
    /// The provider took it: its words or its id for the message.
    Sent { reply: String },
    /// It did not go; the failure's kind decides whether it is tried again.
    Failed(Failure),
}

/// One try of one message, as a worker records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Done {
    pub id: i64,
    pub outcome: Outcome,
    pub started_at: DateTime<Utc>,
    pub duration: Duration,
}

/// Records a batch of outcomes whose tries were not timed (tests, single sends):
/// each try is taken to have started `now` and taken no time.
pub async fn complete(
    pool: &SqlitePool,
    owner: &str,
    outcomes: &[(i64, Outcome)],
    now: DateTime<Utc>,
    jitter: f64,
) -> Result<u64, OutboxError> {
    let done: Vec<Done> = outcomes
        .iter()
        .map(|(id, o)| Done {
            id: *id,
            outcome: o.clone(),
            started_at: now,
            duration: Duration::ZERO,
        })
        .collect();
    let applied = complete_on(&mut *pool.acquire().await?, owner, &done, now, jitter).await?;
    Ok(applied.len() as u64)
}

/// A message's state as a try left it (what the window's progress follows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MessageState {
    pub id: i64,
    pub state: State,
}

/// Records a batch of tries in one transaction: each message's new state and its try
/// (a failed try as a row of `attempts`, a sent one on the message; the view `tries`
/// shows both). Only the lease holder can: a worker whose lease expired and was taken
/// over changes nothing. Returns the states it applied.
pub async fn complete_on(
    c: &mut sqlx::SqliteConnection,
    owner: &str,
    done: &[Done],
    now: DateTime<Utc>,
    jitter: f64,
) -> Result<Vec<MessageState>, OutboxError> {
    let mut tx = begin_write(c).await?;
    let applied = complete_in(&mut tx, owner, done, now, jitter).await?;
    tx.commit().await?;
    Ok(applied)
}

/// A write transaction that holds the write lock from its start (waiting out another
/// writer), so a write committed elsewhere between its reads and its writes cannot fail
/// it with SQLITE_BUSY_SNAPSHOT.
pub async fn begin_write(
    c: &mut sqlx::SqliteConnection,
) -> Result<sqlx::Transaction<'_, sqlx::Sqlite>, OutboxError> {
    Ok(sqlx::Connection::begin_with(c, "BEGIN IMMEDIATE").await?)
}

/// `complete_on`'s work inside the caller's transaction (`begin_write`), so what must
/// happen with the outcomes can commit with them.
pub async fn complete_in(
    tx: &mut sqlx::SqliteConnection,
    owner: &str,
    done: &[Done],
    now: DateTime<Utc>,
    jitter: f64,
) -> Result<Vec<MessageState>, OutboxError> {
    // Successes, the bulk of any batch, in one statement for all of them (states and
    // tries): a statement per row costs a round trip to sqlx's database thread each.
    // The CTE is parsed once and joined by key, not re-read per row.
    // [id, reply, started, ms] per success, serialized straight from tuples; a drain's
    // chunk shares one start, formatted once.
    let mut started: Option<(DateTime<Utc>, String)> = None;
    let sent: Vec<(i64, &str, String, i64)> = done
        .iter()
        .filter_map(|d| match &d.outcome {
            Outcome::Sent { reply } => {
                let at = match &started {
                    Some((t, s)) if *t == d.started_at => s.clone(),
                    _ => {
                        let s = ts(d.started_at);
                        started = Some((d.started_at, s.clone()));
                        s
                    }
                };
                Some((d.id, reply.as_str(), at, d.duration.as_millis() as i64))
            }
            _ => None,
        })
        .collect();
    let mut applied = Vec::with_capacity(done.len());
    if !sent.is_empty() {
        let sent = serde_json::to_string(&sent).expect("plain tuples");
        let now_s = ts(now);
        // The try is written on the message itself (a sent message is tried no more;
        // see migration 0009): no second statement per batch for the tries.
        let ids: Vec<i64> = sqlx::query_scalar(
            "WITH j(i, r, s, d) AS MATERIALIZED
                (SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?1))
             UPDATE messages SET state = 'sent', sent_at = ?3, updated_at = ?3,
                server_reply = j.r, sent_try_started_at = j.s, sent_try_ms = j.d,
                lease_owner = NULL, lease_until = NULL, last_error = NULL, last_code = NULL
             FROM j WHERE messages.id = j.i AND state = 'sending' AND lease_owner = ?2
             RETURNING id",
        )
        .bind(&sent)
        .bind(owner)
        .bind(&now_s)
        .fetch_all(&mut *tx)
        .await?;
        applied.extend(ids.into_iter().map(|id| MessageState {
            id,
            state: State::Sent,
        }));
    }
    for d in done {
        let Outcome::Failed(f) = &d.outcome else {
            continue;
        };
        let guard = "id = ?1 AND state = 'sending' AND lease_owner = ?2";
        // A refused sign-in stops a registered account: this message and its others
        // wait until it is mended and tested, instead of each failing the same way.
        let held = if f.kind == crate::failure::Kind::SignIn {
            senders::sign_in_refused(&mut *tx, d.id, &f.text, now).await?
        } else {
            // A failed send does not count: the place it held is free again.
            senders::failed_try(&mut *tx, d.id, &f.text, now).await?;
            false
        };
        // Held messages wait for their account to be mended (or moved), however
        // long; the others are tried again while the failure can mend itself and
        // they are younger than the outbox's lifetime.
        let next = if held {
            Some(chrono::Duration::zero())
        } else if f.kind.retries() {
            let (attempts, channel, created) = sqlx::query_as::<_, (i64, String, String)>(
                // A scheduled message's lifetime counts from its time, not its queueing.
                "SELECT attempts, channel, coalesce(scheduled_at, created_at) FROM messages WHERE id = ?1",
            )
            .bind(d.id)
            .fetch_optional(&mut *tx)
            .await?
            .unwrap_or((1, String::new(), ts(now)));
            let age = DateTime::parse_from_rfc3339(&created)
                .map(|c| now - c.with_timezone(&Utc))
                .unwrap_or_else(|_| chrono::Duration::zero());
            match Channel::parse(&channel) {
                Some(Channel::Webhook) => {
                    retry::next_webhook_try(age, attempts, jitter, f.retry_after)
                }
                _ => {
                    let failed = retry::Failed {
                        age,
                        attempts,
                        offline: f.kind == crate::failure::Kind::Unreachable,
                        retry_after: f.retry_after,
                    };
                    retry::next_try(failed, jitter, lifetime(&mut *tx).await?)
                }
            }
        } else {
            None
        };
        let state = match next {
            Some(_) => "retry",
            None => "failed",
        };
        let due = ts(now + next.unwrap_or_else(chrono::Duration::zero));
        sqlx::query(&format!(
            "INSERT OR IGNORE INTO attempts (message_id, started_at, duration_ms, outcome, code, provider_text)
             SELECT id, ?3, ?4, ?5, ?6, ?7 FROM messages WHERE {guard}"
        ))
        .bind(d.id)
        .bind(owner)
        .bind(ts(d.started_at))
        .bind(d.duration.as_millis() as i64)
        .bind(state)
        .bind(f.code.as_str())
        .bind(&f.text)
        .execute(&mut *tx)
        .await?;
        let changed = sqlx::query(&format!(
            "UPDATE messages SET state = ?3, next_attempt_at = ?4, last_error = ?5, last_code = ?6,
                updated_at = ?7, lease_owner = NULL, lease_until = NULL WHERE {guard}"
        ))
        .bind(d.id)
        .bind(owner)
        .bind(state)
        .bind(due)
        .bind(&f.text)
        .bind(f.code.as_str())
        .bind(ts(now))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed > 0 && next.is_none() && f.code == FailureCode::NoSuchRecipient {
            senders::hard_bounce(&mut *tx, d.id, now).await?;
        }
        if changed > 0 {
            applied.push(MessageState {
                id: d.id,
                state: if next.is_some() {
                    State::Retry
                } else {
                    State::Failed
                },
            });
        }
    }
    Ok(applied)
}

/// How long a failing message is tried: the user's setting, or five days.
pub async fn lifetime(c: &mut sqlx::SqliteConnection) -> Result<chrono::Duration, OutboxError> {
    let hours: Option<String> = sqlx::query_scalar("SELECT value FROM app_settings WHERE key = ?1")
        .bind(retry::LIFETIME_SETTING)
        .fetch_optional(&mut *c)
        .await?;
    Ok(hours
        .and_then(|h| h.parse::<i64>().ok())
        .filter(|h| retry::LIFETIME_RANGE.contains(h))
        .map_or(retry::DEFAULT_LIFETIME, chrono::Duration::hours))
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Row {
    pub id: i64,
    pub channel: Channel,
    pub state: State,
    pub attempts: i64,
    pub subject: String,
    /// The provider's words on the last failed try.
    pub last_error: Option<String>,
    pub last_code: Option<FailureCode>,
    pub next_attempt_at: String,
}

pub async fn get(
    pool: &SqlitePool,
    workspace_id: i64,
    id: i64,
) -> Result<Option<Row>, OutboxError> {
    type R = (
        i64,
        String,
        String,
        i64,
        String,
        Option<String>,
        Option<String>,
        String,
    );
    let r: Option<R> = sqlx::query_as(
        "SELECT id, channel, state, attempts, subject, last_error, last_code, next_attempt_at
         FROM messages WHERE workspace_id = ?1 AND id = ?2",
    )
    .bind(workspace_id)
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(r.map(
        |(id, channel, state, attempts, subject, last_error, last_code, next_attempt_at)| Row {
            id,
            channel: Channel::parse(&channel).unwrap_or(Channel::Email),
            state: State::try_from(state).unwrap_or(State::Failed),
            attempts,
            subject,
            last_error,
            last_code: last_code.as_deref().map(FailureCode::parse),
            next_attempt_at,
        },
    ))
}

/// One try of a message, for the history's detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Attempt {
    pub started_at: String,
    /// None for a try recorded before tries were timed.
    pub duration_ms: Option<i64>,
    #[sqlx(try_from = "String")]
    pub outcome: State,
    #[sqlx(try_from = "Option<String>")]
    pub code: LastCode,
    pub provider_text: Option<String>,
}

/// Every try of a message, oldest first.
pub async fn attempts(
    pool: &SqlitePool,
    workspace_id: i64,
    id: i64,
) -> Result<Vec<Attempt>, OutboxError> {
    Ok(sqlx::query_as(
        "SELECT t.started_at, t.duration_ms, t.outcome, t.code, t.provider_text
         FROM tries t JOIN messages m ON m.id = t.message_id
         WHERE m.workspace_id = ?1 AND t.message_id = ?2 ORDER BY t.started_at",
    )
    .bind(workspace_id)
    .bind(id)
    .fetch_all(pool)
    .await?)
}
