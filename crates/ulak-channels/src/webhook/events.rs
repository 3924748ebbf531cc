//! Finished messages become webhook events in the same transaction that records them
//! (`Deliver::recorded`): a message's final state and the deliveries of its event
//! commit together, so a crash or a quit between the two cannot lose an event, and
//! the same finish is queued once (its event id names it). Deliveries given up in
//! that transaction mark their endpoint failing.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;
use ulak_outbox::{queue, MessageState, OutboxError, State};

use super::endpoints::{self, Endpoint};
use super::{Event, EventType};

/// What recording outcomes did for webhooks over a round (the worker's report and its
/// second pass read it).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct News {
    /// Event deliveries newly queued.
    pub queued: usize,
    /// URLs of endpoints that started failing.
    pub failing: Vec<String>,
}

/// The webhook side of recording `states`, inside the recording transaction.
pub async fn recorded(
    tx: &mut SqliteConnection,
    states: &[MessageState],
    now: DateTime<Utc>,
) -> Result<News, OutboxError> {
    let mut news = News::default();
    if !states
        .iter()
        .any(|s| matches!(s.state, State::Sent | State::Failed))
    {
        return Ok(news);
    }
    let any: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM webhook_endpoints)")
        .fetch_one(&mut *tx)
        .await?;
    if !any {
        return Ok(news);
    }
    let ids = |want: &[State]| -> String {
        let v: Vec<i64> = states
            .iter()
            .filter(|s| want.contains(&s.state))
            .map(|s| s.id)
            .collect();
        serde_json::to_string(&v).expect("numbers")
    };
    // Deliveries given up now: their endpoints stop being fine (told once).
    if states.iter().any(|s| s.state == State::Failed) {
        news.failing = sqlx::query_scalar(
            "UPDATE webhook_endpoints SET failing_since = ?2
             WHERE failing_since IS NULL AND id IN (
                SELECT account_id FROM messages
                WHERE id IN (SELECT value FROM json_each(?1))
                  AND channel = 'webhook' AND state = 'failed')
             RETURNING url",
        )
        .bind(ids(&[State::Failed]))
        .bind(queue::timestamp(now))
        .fetch_all(&mut *tx)
        .await?;
    }
    let events = message_events(tx, &ids(&[State::Sent, State::Failed])).await?;
    for (ws, events) in events {
        let listening = endpoints::list_on(&mut *tx, ws).await?;
        let messages: Vec<_> = events
            .iter()
            .flat_map(|ev| {
                listening
                    .iter()
                    .filter(|e: &&Endpoint| e.wants(ev.kind))
                    .map(|e| ev.to(e))
            })
            .collect();
        if !messages.is_empty() {
            let queued = queue::enqueue_counted(&mut *tx, ws, &messages, now).await?;
            news.queued += queued.iter().filter(|(_, new)| *new).count();
        }
    }
    Ok(news)
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

/// The events of finished messages (not webhook deliveries or chat messages, which
/// notifications are: no event causes another),
/// by workspace. An event's id names the message, its state and when it finished, so
/// the same finish is queued once and a message retried by hand that fails again is
/// told again.
async fn message_events(
    tx: &mut SqliteConnection,
    ids: &str,
) -> Result<HashMap<i64, Vec<Event>>, OutboxError> {
    let rows: Vec<Finished> = sqlx::query_as(
        "SELECT id, workspace_id, channel, provider, state, company_id, to_display, subject,
                attempts, last_code, last_error, updated_at
         FROM messages
         WHERE id IN (SELECT value FROM json_each(?1)) AND channel NOT IN ('webhook', 'chat')
           AND reference NOT LIKE 'notice:%' AND state IN ('sent', 'failed')",
    )
    .bind(ids)
    .fetch_all(&mut *tx)
    .await?;
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
