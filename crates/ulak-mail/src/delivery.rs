//! How the outbox reaches the world: the sandbox for messages without an account,
//! otherwise the account's SMTP server through one pooled transport per account.

use std::collections::HashMap;
use std::path::PathBuf;

use lettre::address::Envelope;
use lettre::transport::smtp::Error as SmtpError;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use sqlx::SqlitePool;
use tokio::sync::Mutex;
use ulak_outbox::queue::{Claimed, Outcome};
use ulak_outbox::sandbox;
use ulak_outbox::worker::Deliver;

use crate::{accounts, send};

pub struct Router {
    pool: SqlitePool,
    data_dir: PathBuf,
    transports: Mutex<HashMap<(i64, i64), AsyncSmtpTransport<Tokio1Executor>>>,
}

impl Router {
    pub fn new(pool: SqlitePool, data_dir: PathBuf) -> Self {
        Router {
            pool,
            data_dir,
            transports: Mutex::new(HashMap::new()),
        }
    }

    async fn transport(
        &self,
        workspace_id: i64,
        account_id: i64,
    ) -> Result<AsyncSmtpTransport<Tokio1Executor>, Outcome> {
        let mut map = self.transports.lock().await;
        if let Some(t) = map.get(&(workspace_id, account_id)) {
            return Ok(t.clone());
        }
        // An account that is gone or unreadable fails the message for good; it says why.
        let fail = |e: &dyn std::fmt::Display| Outcome::Failed {
            reason: e.to_string(),
        };
        let a = accounts::get(&self.pool, workspace_id, account_id)
            .await
            .map_err(|e| fail(&e))?;
        let password = accounts::password(&self.pool, workspace_id, account_id)
            .await
            .map_err(|e| fail(&e))?
            .unwrap_or_default();
        let ca = accounts::trusted_ca(&self.pool, workspace_id, account_id)
            .await
            .map_err(|e| fail(&e))?;
        let t = send::smtp_transport(&a, &password, ca.as_deref()).map_err(|e| fail(&e))?;
        map.insert((workspace_id, account_id), t.clone());
        Ok(t)
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
        let t = match self.transport(c.workspace_id, account_id).await {
            Ok(t) => t,
            Err(o) => return o,
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
        match t.send_raw(&envelope, &c.raw).await {
            Ok(r) => Outcome::Sent {
                reply: r.message().collect::<Vec<_>>().join(" "),
            },
            Err(e) => outcome_of(&e),
        }
    }
}
