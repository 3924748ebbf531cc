//! How the outbox reaches the world: the sandbox for messages without an account,
//! otherwise a few reused SMTP connections per account (TCP_NODELAY, see `connection`),
//! so a bulk send has several messages in flight. A connection that fails is dropped
//! and the next message on it opens a new one.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use lettre::address::Envelope;
use lettre::transport::smtp::client::AsyncSmtpConnection;
use lettre::transport::smtp::Error as SmtpError;
use sqlx::SqlitePool;
use tokio::sync::Mutex;
use ulak_outbox::queue::{Claimed, Outcome};
use ulak_outbox::sandbox;
use ulak_outbox::worker::Deliver;

use crate::send::SendError;
use crate::{accounts, connection};

type Slot = Arc<Mutex<Option<AsyncSmtpConnection>>>;
/// An account's connection slots, keyed by (workspace, account).
type Slots = Arc<Vec<Slot>>;

/// Connections per account unless set otherwise; match `DrainOptions::concurrency`.
pub const DEFAULT_CONNECTIONS: usize = 4;

pub struct Router {
    pool: SqlitePool,
    data_dir: PathBuf,
    per_account: usize,
    connections: Mutex<HashMap<(i64, i64), Slots>>,
}

impl Router {
    pub fn new(pool: SqlitePool, data_dir: PathBuf) -> Self {
        Self::with_connections(pool, data_dir, DEFAULT_CONNECTIONS)
    }

    /// At most `per_account` connections to each account's server at once.
    pub fn with_connections(pool: SqlitePool, data_dir: PathBuf, per_account: usize) -> Self {
        Router {
            pool,
            data_dir,
            per_account: per_account.max(1),
            connections: Mutex::new(HashMap::new()),
        }
    }

    /// A free connection slot of the account, or the wait for one.
    async fn slot(&self, workspace_id: i64, account_id: i64, id: i64) -> Slot {
        let slots = self
            .connections
            .lock()
            .await
            .entry((workspace_id, account_id))
            .or_insert_with(|| Arc::new((0..self.per_account).map(|_| Slot::default()).collect()))
            .clone();
        // Prefer an idle slot with an open connection, then any idle one.
        let mut idle = None;
        for s in slots.iter() {
            if let Ok(g) = s.try_lock() {
                if g.is_some() {
                    return s.clone();
                }
                idle.get_or_insert_with(|| s.clone());
            }
        }
        idle.unwrap_or_else(|| slots[id as usize % slots.len()].clone())
    }

    async fn open(
        &self,
        workspace_id: i64,
        account_id: i64,
    ) -> Result<AsyncSmtpConnection, Outcome> {
        // An account that is gone or unreadable fails the message for good; it says why.
        let gone = |e: &dyn std::fmt::Display| Outcome::Failed {
            reason: e.to_string(),
        };
        let a = accounts::get(&self.pool, workspace_id, account_id)
            .await
            .map_err(|e| gone(&e))?;
        let password = accounts::password(&self.pool, workspace_id, account_id)
            .await
            .map_err(|e| gone(&e))?
            .unwrap_or_default();
        let ca = accounts::trusted_ca(&self.pool, workspace_id, account_id)
            .await
            .map_err(|e| gone(&e))?;
        connection::open(&a, &password, ca.as_deref())
            .await
            .map_err(|e| match e {
                // A wrong password will not mend itself by retrying.
                SendError::Auth(reason) => Outcome::Failed { reason },
                other => Outcome::Transient {
                    reason: other.to_string(),
                },
            })
    }
}

/// 4xx replies, timeouts and dropped connections are worth another attempt; 5xx not.
pub fn outcome_of(e: &SmtpError) -> Outcome {
    let reason = e.to_string();
    if e.is_permanent() {
        Outcome::Failed { reason }
    } else {
        Outcome::Transient { reason }
    }
}

impl Deliver for Router {
    async fn deliver(&self, c: &Claimed) -> Outcome {
        let Some(account_id) = c.account_id else {
            return sandbox::deliver(&self.data_dir, c);
        };
        let from = c.sender.parse().ok();
        let to: Vec<_> = c.recipients.iter().filter_map(|r| r.parse().ok()).collect();
        let envelope = match Envelope::new(from, to) {
            Ok(e) => e,
            Err(e) => {
                return Outcome::Failed {
                    reason: format!("bad envelope: {e}"),
                }
            }
        };
        let slot = self.slot(c.workspace_id, account_id, c.id).await;
        let mut guard = slot.lock_owned().await;
        if guard.is_none() {
            match self.open(c.workspace_id, account_id).await {
                Ok(conn) => *guard = Some(conn),
                Err(o) => return o,
            }
        }
        // The dialogue runs as a task of its own, so a bulk send's connections use every
        // thread of the runtime rather than the drain's one.
        let raw = c.raw.clone();
        let send = tokio::spawn(async move {
            let conn = guard.as_mut().expect("opened above");
            match conn.send(&envelope, &raw).await {
                Ok(r) => Outcome::Sent {
                    reply: r.message().collect::<Vec<_>>().join(" "),
                },
                Err(e) => {
                    // The state of a connection after an error is unknown: start afresh.
                    *guard = None;
                    outcome_of(&e)
                }
            }
        });
        send.await.unwrap_or_else(|e| Outcome::Transient {
            reason: format!("the send was interrupted: {e}"),
        })
    }
}
