//! What providers report back by webhook, as the outbox keeps it (migration 0025):
//! a customer's own messages (which open WhatsApp's 24-hour window, and may ask to
//! stop) and delivery reports for messages the outbox sent. Knows no provider: the
//! receiver (ulak-channels `inbound`) reads each provider's webhook into `Event`s.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sqlx::SqlitePool;

use crate::queue::{begin_write, ts, Channel, OutboxError};
use crate::suppression::{self, Reason};

/// How long after a customer's last message free text may be sent on WhatsApp.
pub const WINDOW: Duration = Duration::hours(24);

/// One thing a provider told, already read from its own format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A customer wrote to the integration's number.
    Received {
        /// The provider's id of this message (a re-sent webhook adds nothing).
        provider_id: String,
        /// E.164.
        from: String,
        at: DateTime<Utc>,
        text: Option<String>,
    },
    /// The provider's final word on a message it was given (its id as the send's
    /// answer named it).
    Delivered { provider_id: String },
    Undelivered {
        provider_id: String,
        /// The provider's code and words ("Meta 131047: …").
        why: String,
    },
}

/// What recording a webhook's events did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
#[serde(rename = "InboundRecorded")]
pub struct Recorded {
    /// New customer messages (re-sent ones not counted).
    pub received: u32,
    /// Delivery reports kept.
    pub reports: u32,
    /// Messages whose delivery the reports settled now.
    pub applied: u32,
    /// Customers who asked to stop (put on the suppression list, reason unsubscribed).
    pub opted_out: u32,
}

/// Words a customer sends to stop messages: the carriers' English keywords and the
/// Turkish ones (İYS's RET, İPTAL). The whole message must be the word (trimmed, any
/// case, Turkish I's alike), so "Ret edildi mi?" is not one.
pub fn is_stop_word(text: &str) -> bool {
    let folded: String = text
        .trim()
        .chars()
        .map(|c| match c {
            'İ' | 'I' | 'ı' => 'i',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    matches!(
        folded.as_str(),
        "stop" | "stopall" | "unsubscribe" | "cancel" | "end" | "quit" | "ret" | "iptal"
    )
}

/// Records what one webhook delivery told, for one integration, in one transaction:
/// customer messages (a stop word puts the sender on the suppression list), and
/// delivery reports, applied to the messages they name at once (or later, by
/// `apply_reports`, when the report overtook the drain's record of the send).
pub async fn record(
    pool: &SqlitePool,
    ws: i64,
    integration_id: i64,
    channel: Channel,
    events: &[Event],
    now: DateTime<Utc>,
) -> Result<Recorded, OutboxError> {
    let mut out = Recorded::default();
    let mut c = pool.acquire().await?;
    let mut tx = begin_write(&mut c).await?;
    for e in events {
        match e {
            Event::Received {
                provider_id,
                from,
                at,
                text,
            } => {
                let r = sqlx::query(
                    "INSERT INTO inbound_messages (workspace_id, integration_id, channel,
                         provider_id, sender, received_at, body, recorded_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                     ON CONFLICT (integration_id, provider_id) DO NOTHING",
                )
                .bind(ws)
                .bind(integration_id)
                .bind(channel.as_str())
                .bind(provider_id)
                .bind(from)
                .bind(ts((*at).min(now)))
                .bind(text.as_deref())
                .bind(ts(now))
                .execute(&mut *tx)
                .await?;
                if r.rows_affected() == 0 {
                    continue;
                }
                out.received += 1;
                if text.as_deref().is_some_and(is_stop_word) {
                    let normalized = suppression::normalize(from)?;
                    let note = format!(
                        "{}: {}",
                        channel.as_str(),
                        text.as_deref().unwrap_or_default().trim()
                    );
                    if suppression::insert(
                        &mut tx,
                        ws,
                        &normalized,
                        Reason::Unsubscribed,
                        &note,
                        *at,
                        now,
                    )
                    .await?
                    {
                        out.opted_out += 1;
                    }
                }
            }
            Event::Delivered { provider_id } | Event::Undelivered { provider_id, .. } => {
                let (delivery, why) = match e {
                    Event::Undelivered { why, .. } => ("undelivered", Some(why.as_str())),
                    _ => ("delivered", None),
                };
                // A later report replaces an earlier one, except that "delivered" is
                // never taken back by a failure reported out of order.
                let r = sqlx::query(
                    "INSERT INTO delivery_reports (integration_id, provider_id, delivery, error, reported_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (integration_id, provider_id) DO UPDATE
                        SET delivery = excluded.delivery, error = excluded.error,
                            reported_at = excluded.reported_at
                        WHERE delivery_reports.delivery <> 'delivered'",
                )
                .bind(integration_id)
                .bind(provider_id)
                .bind(delivery)
                .bind(why)
                .bind(ts(now))
                .execute(&mut *tx)
                .await?;
                out.reports += r.rows_affected() as u32;
            }
        }
    }
    out.applied = apply_in(&mut tx, Some(integration_id)).await?;
    tx.commit().await?;
    Ok(out)
}

/// Settles the messages named by reports that arrived before the send was recorded.
/// Cheap when there are none (the table holds only reports still waiting); the
/// worker calls it after each round.
pub async fn apply_reports(pool: &SqlitePool) -> Result<u32, OutboxError> {
    let pending: i64 = sqlx::query_scalar("SELECT count(*) FROM delivery_reports")
        .fetch_one(pool)
        .await?;
    if pending == 0 {
        return Ok(0);
    }
    let mut c = pool.acquire().await?;
    let mut tx = begin_write(&mut c).await?;
    let n = apply_in(&mut tx, None).await?;
    tx.commit().await?;
    Ok(n)
}

async fn apply_in(
    tx: &mut sqlx::SqliteConnection,
    integration: Option<i64>,
) -> Result<u32, OutboxError> {
    let r = sqlx::query(
        "UPDATE messages SET delivery = r.delivery, delivery_error = r.error,
                             delivery_checked_at = r.reported_at
         FROM delivery_reports r
         WHERE (?1 IS NULL OR r.integration_id = ?1)
           AND messages.channel IN ('sms', 'whatsapp') AND messages.state = 'sent'
           AND messages.account_id = r.integration_id
           AND messages.server_reply = r.provider_id
           AND messages.delivery IS NOT 'delivered'",
    )
    .bind(integration)
    .execute(&mut *tx)
    .await?;
    // A report whose message is recorded now is done with (a later one for it finds
    // the message itself); one whose message is not (yet) waits, at most a week — a
    // status for a message sent outside Ulak never finds one.
    sqlx::query(
        "DELETE FROM delivery_reports
         WHERE (?1 IS NULL OR integration_id = ?1)
           AND (EXISTS (SELECT 1 FROM messages m
                        WHERE m.channel IN ('sms', 'whatsapp') AND m.account_id = integration_id
                          AND m.server_reply = provider_id AND m.state = 'sent')
                OR julianday('now') - julianday(reported_at) > 7)",
    )
    .bind(integration)
    .execute(&mut *tx)
    .await?;
    Ok(r.rows_affected() as u32)
}

/// WhatsApp's customer-service window for one number through one integration: when
/// the customer last wrote, and until when free text may be sent (None: never wrote,
/// as far as Ulak heard).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
#[serde(rename = "WhatsappWindow")]
pub struct Window {
    pub last_received_at: Option<String>,
    pub open_until: Option<String>,
    pub open: bool,
}

pub async fn window(
    pool: &SqlitePool,
    ws: i64,
    integration_id: i64,
    number: &str,
    now: DateTime<Utc>,
) -> Result<Window, OutboxError> {
    let last: Option<String> = sqlx::query_scalar(
        "SELECT max(received_at) FROM inbound_messages
         WHERE workspace_id = ?1 AND integration_id = ?2 AND sender = ?3",
    )
    .bind(ws)
    .bind(integration_id)
    .bind(number)
    .fetch_one(pool)
    .await?;
    let last_at = last.as_deref().and_then(|s| {
        DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    });
    let until = last_at.map(|t| t + WINDOW);
    Ok(Window {
        last_received_at: last,
        open: until.is_some_and(|u| u > now),
        open_until: until.map(ts),
    })
}

/// A customer's messages through the workspace's integrations, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
#[serde(rename = "InboundMessage")]
pub struct Received {
    pub id: i64,
    pub integration_id: i64,
    pub channel: String,
    pub sender: String,
    pub received_at: String,
    pub body: Option<String>,
}

pub async fn list(pool: &SqlitePool, ws: i64, limit: i64) -> Result<Vec<Received>, OutboxError> {
    Ok(sqlx::query_as(
        "SELECT id, integration_id, channel, sender, received_at, body FROM inbound_messages
         WHERE workspace_id = ?1 ORDER BY received_at DESC, id DESC LIMIT ?2",
    )
    .bind(ws)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}
