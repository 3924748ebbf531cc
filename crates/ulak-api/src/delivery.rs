//! Whether sent SMS and WhatsApp messages reached the handset: for a while after
//! sending, the worker asks each provider that can tell (Twilio's message status) and
//! writes `delivered` or `undelivered` on the message, which the history shows.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sqlx::SqlitePool;
use ulak_channels::integrations::{self, is_account_trouble};
use ulak_channels::provider::{Client, Delivery};
use ulak_outbox::OutboxError;

/// How long after sending a message's arrival is still asked about.
pub const WINDOW: Duration = Duration::hours(48);
/// How often one message is asked about at most: every 30 s at first, then a tenth of
/// its age (every 6 min an hour after sending, every 4.8 h at the end of the window).
pub const EVERY: Duration = Duration::seconds(30);
/// Messages asked about in one refresh at most (the worker's round waits for it).
const BATCH: i64 = 25;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryReport {
    /// Messages whose provider was asked.
    pub checked: u32,
    pub delivered: u32,
    pub undelivered: u32,
    /// Messages still not known either way (asked again later).
    pub pending: u32,
    /// Messages settled now by a webhook report that came before their send was
    /// recorded (Meta, Vonage, Twilio tell by webhook).
    pub reported: u32,
}

fn providers() -> String {
    serde_json::to_string(&Client::TELLS_DELIVERY).expect("strings")
}

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[derive(sqlx::FromRow)]
struct Due {
    id: i64,
    workspace_id: i64,
    account_id: i64,
    server_reply: String,
}

/// Sent messages not known either way, through a provider that can be asked (`?1`: the
/// window's start; the providers follow as a JSON list in `?4`).
const PENDING: &str = "state = 'sent' AND delivery IS NULL AND channel IN ('sms', 'whatsapp')
     AND account_id IS NOT NULL AND server_reply IS NOT NULL AND sent_at >= ?1
     AND provider IN (SELECT value FROM json_each(?4))";

/// Asks the providers about the messages due for it (sent within `WINDOW`, not asked
/// within `EVERY`), every workspace at once, and records the answers in one
/// transaction. A provider that cannot be reached leaves its messages for next time.
pub async fn refresh(pool: &SqlitePool, now: DateTime<Utc>) -> Result<DeliveryReport, OutboxError> {
    // Reports that came by webhook before their send was recorded.
    let reported = ulak_outbox::inbound::apply_reports(pool).await?;
    let since = ts(now - WINDOW);
    let due: Vec<Due> = sqlx::query_as(&format!(
        "SELECT id, workspace_id, account_id, server_reply FROM messages
         WHERE {PENDING} AND (delivery_checked_at IS NULL
             OR julianday(?2) - julianday(delivery_checked_at)
                >= max(?5, (julianday(?2) - julianday(sent_at)) / 10))
         ORDER BY coalesce(delivery_checked_at, sent_at) LIMIT ?3"
    ))
    .bind(&since)
    .bind(ts(now))
    .bind(BATCH)
    .bind(providers())
    .bind(EVERY.num_seconds() as f64 / 86_400.0)
    .fetch_all(pool)
    .await?;
    let mut report = DeliveryReport {
        reported,
        ..DeliveryReport::default()
    };
    let mut clients: HashMap<(i64, i64), Option<Client>> = HashMap::new();
    let mut answers: Vec<(i64, Option<Delivery>)> = Vec::new();
    for d in &due {
        let key = (d.workspace_id, d.account_id);
        if let std::collections::hash_map::Entry::Vacant(v) = clients.entry(key) {
            v.insert(
                match integrations::by_id(pool, d.workspace_id, d.account_id).await {
                    Ok(Some(i)) => Client::for_integration(pool, &i).await.ok(),
                    _ => None,
                },
            );
        }
        let Some(client) = clients.get(&key).and_then(Option::as_ref) else {
            answers.push((d.id, None));
            continue;
        };
        match client.delivery(&d.server_reply).await {
            Ok(answer) => {
                report.checked += 1;
                answers.push((d.id, answer));
            }
            Err(f) => {
                // The provider's words may quote the number: the code only.
                tracing::warn!(
                    message_id = d.id,
                    code = f.code.as_str(),
                    "delivery status not read"
                );
                answers.push((d.id, None));
                if is_account_trouble(&f) {
                    // Every message of this integration would fail the same way.
                    clients.insert(key, None);
                }
            }
        }
    }
    let at = ts(now);
    let mut tx = pool.begin().await?;
    for (id, answer) in &answers {
        match answer {
            Some(d) => {
                match d {
                    Delivery::Delivered => report.delivered += 1,
                    Delivery::Undelivered(_) => report.undelivered += 1,
                }
                let why = match d {
                    Delivery::Undelivered(w) => Some(w.as_str()),
                    Delivery::Delivered => None,
                };
                sqlx::query(
                    "UPDATE messages SET delivery = ?1, delivery_error = ?2, delivery_checked_at = ?3
                     WHERE id = ?4",
                )
                .bind(d.as_str())
                .bind(why)
                .bind(&at)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            None => {
                sqlx::query("UPDATE messages SET delivery_checked_at = ?1 WHERE id = ?2")
                    .bind(&at)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
    }
    tx.commit().await?;
    let pending: i64 =
        sqlx::query_scalar(&format!("SELECT count(*) FROM messages WHERE {PENDING}"))
            // ?2 and ?3 are not used here, but numbered parameters count up to the highest.
            .bind(&since)
            .bind(0)
            .bind(0)
            .bind(providers())
            .fetch_one(pool)
            .await?;
    report.pending = pending as u32;
    Ok(report)
}
