//! The outbox drains through this: each claimed message goes to its channel's
//! provider — e-mail over SMTP (`crate::email::delivery::Router`, pooled connections with
//! pipelining) or its sandbox, SMS to its provider (Twilio, Vonage) or its sandbox — and each outcome is
//! reported as it comes.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::email::delivery::Router;
use sqlx::SqlitePool;
use ulak_outbox::failure::{Failure, FailureCode};
use ulak_outbox::queue::{Channel, Claimed, Outcome, SANDBOX};
use ulak_outbox::worker::{self, Deliver, Outcomes};

use crate::integrations;
use crate::sandbox;
use crate::sms::{self, client::Client, SmsProvider};

pub struct Dispatch {
    smtp: Router,
    pool: SqlitePool,
    data_dir: PathBuf,
    sms_sandbox: sms::sandbox::Sandbox,
    /// SMS provider clients by integration id, built once per dispatch (a drain round),
    /// so a changed setting counts from the next round.
    sms_clients: tokio::sync::Mutex<HashMap<i64, Arc<Client>>>,
    /// Whether each integration is marked in trouble, as last written, so its status
    /// is written when it changes, not once a message.
    troubled: tokio::sync::Mutex<HashMap<i64, bool>>,
}

/// Who sends one claimed message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    Smtp,
    EmailSandbox,
    SmsSandbox,
    SmsProvider,
    Nobody,
}

fn route(c: &Claimed) -> Route {
    match (c.channel, c.provider.as_str()) {
        (Channel::Email, SANDBOX) => Route::EmailSandbox,
        (Channel::Email, crate::email::mime::SMTP) => Route::Smtp,
        (Channel::Sms, SANDBOX) => Route::SmsSandbox,
        (Channel::Sms, p) if Client::knows(p) => Route::SmsProvider,
        _ => Route::Nobody,
    }
}

impl Dispatch {
    /// At most `smtp_connections` connections to each e-mail account's server at once.
    pub fn new(pool: SqlitePool, data_dir: PathBuf, smtp_connections: usize) -> Self {
        Dispatch {
            smtp: Router::with_connections(pool.clone(), smtp_connections),
            pool,
            sms_sandbox: sms::sandbox::Sandbox {
                data_dir: data_dir.clone(),
            },
            data_dir,
            sms_clients: tokio::sync::Mutex::new(HashMap::new()),
            troubled: tokio::sync::Mutex::new(HashMap::new()),
        }
    }

    /// Ends every provider's open connections (SMTP says QUIT).
    pub async fn close(&self) {
        self.smtp.close().await;
    }

    /// The SMS client of the message's integration.
    async fn sms_client(&self, c: &Claimed) -> Result<Arc<Client>, Failure> {
        let missing = |why: String| Failure::permanent(FailureCode::AccountMissing, why);
        let id = c
            .account_id
            .ok_or_else(|| missing(format!("the message names no {} integration", c.provider)))?;
        let mut cache = self.sms_clients.lock().await;
        if let Some(client) = cache.get(&id) {
            return Ok(client.clone());
        }
        let i = integrations::by_id(&self.pool, c.workspace_id, id)
            .await
            .map_err(|e| Failure::transient(FailureCode::AccountMissing, e.to_string()))?
            .ok_or_else(|| missing(format!("the {} integration was removed", c.provider)))?;
        let client = Client::for_integration(&self.pool, &i)
            .await
            .map_err(|e| match e {
                sms::client::ClientError::Store(e) => {
                    Failure::transient(FailureCode::AccountMissing, e.to_string())
                }
                other => missing(other.to_string()),
            })?;
        let client = Arc::new(client);
        cache.insert(id, client.clone());
        self.troubled
            .lock()
            .await
            .insert(id, i.last_error.is_some());
        Ok(client)
    }

    /// Keeps the integration's status (Entegrasyonlar's "Hata") in step with how its
    /// sends go; a failed write is logged, never the send's business.
    async fn note(&self, c: &Claimed, outcome: Result<(), &Failure>) {
        let Some(id) = c.account_id else { return };
        let trouble = match outcome {
            Ok(()) => false,
            Err(f) if integrations::is_account_trouble(f) => true,
            Err(_) => return,
        };
        let mut troubled = self.troubled.lock().await;
        match (troubled.get(&id).copied(), trouble) {
            // A client that was never built (a removed integration): nothing to mark.
            (None, _) => return,
            // Fine before, fine now: nothing changed.
            (Some(false), false) => return,
            // In trouble (again, perhaps with other words) or out of it: write.
            _ => {}
        }
        if let Err(e) = integrations::record(&self.pool, c.workspace_id, id, outcome).await {
            tracing::warn!(integration_id = id, "integration status not saved: {e}");
            return;
        }
        troubled.insert(id, trouble);
    }

    async fn sms(&self, c: &Claimed) -> Outcome {
        let sent = match sms::read(&c.payload) {
            Ok(s) => match route(c) {
                Route::SmsProvider => match self.sms_client(c).await {
                    Ok(client) => {
                        let sent = client.send(c.id, &c.reference, &s).await;
                        self.note(c, sent.as_ref().map(|_| ())).await;
                        sent
                    }
                    Err(f) => Err(f),
                },
                _ => self.sms_sandbox.send(c.id, &c.reference, &s).await,
            },
            Err(f) => Err(f),
        };
        match sent {
            Ok(r) => Outcome::Sent {
                reply: r.provider_id,
            },
            Err(f) => Outcome::Failed(f),
        }
    }
}

impl Deliver for Dispatch {
    async fn deliver(&self, c: &Claimed) -> Outcome {
        worker::deliver_as_batch(self, c).await
    }

    async fn deliver_batch(&self, batch: &[Claimed], concurrency: usize, out: Outcomes) {
        // A bulk e-mail send, the common case, goes to SMTP as it is, uncopied.
        if batch.iter().all(|c| route(c) == Route::Smtp) {
            return self.smtp.deliver_batch(batch, concurrency, out).await;
        }
        let mut smtp = Vec::new();
        let mut sms = Vec::new();
        for c in batch {
            match route(c) {
                Route::Smtp => smtp.push(c.clone()),
                Route::EmailSandbox => out.report(c.id, sandbox::email(&self.data_dir, c)),
                Route::SmsSandbox | Route::SmsProvider => sms.push(c),
                Route::Nobody => out.report(
                    c.id,
                    Outcome::Failed(Failure::permanent(
                        FailureCode::AccountMissing,
                        format!(
                            "no {} provider {:?} in this version of Ulak",
                            c.channel.as_str(),
                            c.provider
                        ),
                    )),
                ),
            }
        }
        let texts = async {
            for c in sms {
                out.report(c.id, self.sms(c).await);
            }
        };
        let mails = async {
            if !smtp.is_empty() {
                self.smtp
                    .deliver_batch(&smtp, concurrency, out.clone())
                    .await;
            }
        };
        futures_util::future::join(texts, mails).await;
    }
}
