//! Draining the outbox: claim a batch, deliver each message, record the outcomes in
//! one transaction, until nothing is due. Delivery is behind `Deliver`, so the same
//! loop serves the sandbox, SMTP accounts and the tests.

use std::future::Future;
use std::time::Duration;

use chrono::Utc;
use serde::Serialize;
use sqlx::SqlitePool;

use crate::queue::{self, Claimed, OutboxError, Outcome};

/// Something that can send one claimed message and say how it went.
pub trait Deliver: Sync {
    fn deliver(&self, c: &Claimed) -> impl Future<Output = Outcome> + Send;
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DrainReport {
    pub sent: u64,
    pub failed: u64,
    pub retrying: u64,
}

/// How a worker claims: `batch` messages at a time, each held for `lease`. A killed
/// worker's messages come back after the lease; at most one batch can then be sent twice.
#[derive(Debug, Clone, Copy)]
pub struct DrainOptions {
    pub batch: i64,
    pub lease: Duration,
}

impl Default for DrainOptions {
    fn default() -> Self {
        DrainOptions {
            batch: 20,
            lease: Duration::from_secs(120),
        }
    }
}

/// Sends what is due and returns when the queue is empty or only waiting (retry)
/// messages remain. `owner` names this worker in the leases.
pub async fn drain(
    pool: &SqlitePool,
    owner: &str,
    via: &impl Deliver,
) -> Result<DrainReport, OutboxError> {
    drain_with(pool, owner, via, DrainOptions::default()).await
}

pub async fn drain_with(
    pool: &SqlitePool,
    owner: &str,
    via: &impl Deliver,
    opts: DrainOptions,
) -> Result<DrainReport, OutboxError> {
    let mut report = DrainReport::default();
    loop {
        let batch = queue::claim_due(pool, owner, Utc::now(), opts.lease, opts.batch).await?;
        if batch.is_empty() {
            return Ok(report);
        }
        let mut outcomes = Vec::with_capacity(batch.len());
        for c in &batch {
            let o = via.deliver(c).await;
            match &o {
                Outcome::Sent { .. } => report.sent += 1,
                Outcome::Failed { .. } => report.failed += 1,
                Outcome::Transient { .. } => report.retrying += 1,
            }
            outcomes.push((c.id, o));
        }
        let jitter = 0.5 + rand::random::<f64>() / 2.0;
        queue::complete(pool, owner, &outcomes, Utc::now(), jitter).await?;
    }
}

/// Counts per state, for `ulak outbox status` and the tray.
pub async fn status(
    pool: &SqlitePool,
    workspace_id: i64,
) -> Result<Vec<(String, i64)>, OutboxError> {
    Ok(sqlx::query_as("SELECT state, count(*) FROM messages WHERE workspace_id = ?1 GROUP BY state ORDER BY state")
        .bind(workspace_id)
        .fetch_all(pool)
        .await?)
}
