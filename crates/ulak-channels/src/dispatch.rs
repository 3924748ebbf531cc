//! The outbox drains through this: each claimed message goes to its channel's
//! provider — e-mail over SMTP (`crate::email::delivery::Router`, pooled connections with
//! pipelining) or its sandbox; SMS and WhatsApp to their integration's provider
//! (`crate::provider::Client`: Twilio, Vonage, Netgsm, Meta…) or their sandbox — and
//! each outcome is reported as it comes.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::email::delivery::Router;
use futures_util::stream::{FuturesUnordered, StreamExt};
use sqlx::SqlitePool;
use ulak_outbox::failure::{Failure, FailureCode};
use ulak_outbox::queue::{Channel, Claimed, MessageState, OutboxError, Outcome, SANDBOX};
use ulak_outbox::worker::{self, Deliver, Outcomes};

use crate::chat::{self, ChatProvider};
use crate::integrations;
use crate::pace::{self, Pacer};
use crate::provider::{Client, ClientError, Receipt};
use crate::sandbox;
use crate::sms::{self, SmsProvider};
use crate::whatsapp::{self, WhatsappProvider};

pub struct Dispatch {
    smtp: Router,
    pool: SqlitePool,
    data_dir: PathBuf,
    sms_sandbox: sms::sandbox::Sandbox,
    whatsapp_sandbox: whatsapp::sandbox::Sandbox,
    /// Provider clients (SMS, WhatsApp) by integration id, built once per dispatch (a
    /// drain round), so a changed setting counts from the next round.
    clients: tokio::sync::Mutex<HashMap<i64, Built>>,
    /// Whether each integration is marked in trouble, as last written, so its status
    /// is written when it changes, not once a message.
    troubled: tokio::sync::Mutex<HashMap<i64, bool>>,
    /// What recording this round's outcomes did for webhooks (events queued, endpoints
    /// that stopped), taken by the round's report.
    webhooks: std::sync::Mutex<crate::webhook::events::News>,
    /// Campaign messages rendered for their account this round, by id: the .eml and its
    /// Message-ID, stored over the queued form when they are recorded as sent.
    rendered: std::sync::Mutex<HashMap<i64, (Vec<u8>, String)>>,
}

/// An integration's client and its pace (None: not paced).
type Built = (Arc<Client>, Option<Pacer>);

/// Who sends one claimed message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    Smtp,
    /// A campaign's e-mail: rendered for the account chosen, then SMTP.
    Campaign,
    EmailSandbox,
    SmsSandbox,
    WhatsappSandbox,
    /// An SMS, WhatsApp or chat provider of an integration.
    Provider,
    /// A webhook endpoint.
    Webhook,
    /// A row for a Google Sheets spreadsheet (an automation's).
    Sheets,
    Nobody,
}

fn route(c: &Claimed) -> Route {
    match (c.channel, c.provider.as_str()) {
        (Channel::Email, SANDBOX) => Route::EmailSandbox,
        (Channel::Email, crate::email::mime::SMTP) => Route::Smtp,
        (Channel::Email, ulak_outbox::campaigns::PROVIDER) => Route::Campaign,
        (Channel::Sms, SANDBOX) => Route::SmsSandbox,
        (Channel::Whatsapp, SANDBOX) => Route::WhatsappSandbox,
        (Channel::Webhook, crate::webhook::PROVIDER) => Route::Webhook,
        (Channel::Webhook, crate::sheets::PROVIDER) => Route::Sheets,
        (ch, p) if Client::knows(ch, p) => Route::Provider,
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
            whatsapp_sandbox: whatsapp::sandbox::Sandbox {
                data_dir: data_dir.clone(),
            },
            data_dir,
            clients: tokio::sync::Mutex::new(HashMap::new()),
            troubled: tokio::sync::Mutex::new(HashMap::new()),
            webhooks: std::sync::Mutex::new(Default::default()),
            rendered: std::sync::Mutex::new(HashMap::new()),
        }
    }

    /// What recording outcomes did for webhooks since the last call.
    pub fn take_webhook_news(&self) -> crate::webhook::events::News {
        std::mem::take(&mut *self.webhooks.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Ends every provider's open connections (SMTP says QUIT).
    pub async fn close(&self) {
        self.smtp.close().await;
    }

    /// The provider client of the message's integration, and its pace.
    async fn client(&self, c: &Claimed) -> Result<Built, Failure> {
        let missing = |why: String| Failure::permanent(FailureCode::AccountMissing, why);
        let id = c
            .account_id
            .ok_or_else(|| missing(format!("the message names no {} integration", c.provider)))?;
        let mut cache = self.clients.lock().await;
        if let Some(built) = cache.get(&id) {
            return Ok(built.clone());
        }
        let i = integrations::by_id(&self.pool, c.workspace_id, id)
            .await
            .map_err(|e| Failure::transient(FailureCode::AccountMissing, e.to_string()))?
            .ok_or_else(|| missing(format!("the {} integration was removed", c.provider)))?;
        let client = Client::for_integration(&self.pool, &i)
            .await
            .map_err(|e| match e {
                ClientError::Store(e) => {
                    Failure::transient(FailureCode::AccountMissing, e.to_string())
                }
                other => missing(other.to_string()),
            })?;
        let built = (
            Arc::new(client),
            integrations::rate(&i).map(|r| pace::pacer(id, r)),
        );
        cache.insert(id, built.clone());
        self.troubled
            .lock()
            .await
            .insert(id, i.last_error.is_some());
        Ok(built)
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

    /// An SMS or a WhatsApp message: to its integration's provider, or its sandbox.
    async fn message(&self, c: &Claimed) -> (i64, Outcome) {
        let sent = match route(c) {
            Route::Provider => match self.client(c).await {
                Ok((client, pacer)) => {
                    if let Some(p) = pacer {
                        p.until_ready().await;
                    }
                    let sent = self.through(&client, c).await;
                    self.note(c, sent.as_ref().map(|_| ())).await;
                    sent
                }
                Err(f) => Err(f),
            },
            Route::Webhook => {
                return (
                    c.id,
                    match crate::webhook::deliver::deliver(&self.pool, c).await {
                        Ok(reply) => Outcome::Sent { reply },
                        Err(f) => Outcome::Failed(f),
                    },
                )
            }
            Route::Sheets => {
                return (
                    c.id,
                    match crate::sheets::deliver(&self.pool, c.workspace_id, &c.payload).await {
                        Ok(reply) => Outcome::Sent { reply },
                        Err(f) => Outcome::Failed(f),
                    },
                )
            }
            Route::WhatsappSandbox => match whatsapp::read(&c.payload) {
                Ok(m) => self.whatsapp_sandbox.send(c.id, &c.reference, &m).await,
                Err(f) => Err(f),
            },
            _ => match sms::read(&c.payload) {
                Ok(s) => self.sms_sandbox.send(c.id, &c.reference, &s).await,
                Err(f) => Err(f),
            },
        };
        let outcome = match sent {
            Ok(r) => Outcome::Sent {
                reply: r.provider_id,
            },
            Err(f) => Outcome::Failed(f),
        };
        (c.id, outcome)
    }

    /// The stored payload, read as its channel's, through the integration's client.
    async fn through(&self, client: &Client, c: &Claimed) -> Result<Receipt, Failure> {
        match client {
            Client::Sms(p) => p.send(c.id, &c.reference, &sms::read(&c.payload)?).await,
            Client::Whatsapp(p) => {
                p.send(c.id, &c.reference, &whatsapp::read(&c.payload)?)
                    .await
            }
            Client::Chat(p) => p.send(&chat::read(&c.payload)?).await,
            // Resend's e-mail is queued for its account and sent by `email::delivery`.
            Client::Email(_) => Err(Failure::permanent(
                FailureCode::AccountMissing,
                "an e-mail queued for the Resend integration, not for its account",
            )),
            Client::Meeting(_) => Err(Failure::permanent(
                FailureCode::Unsendable,
                "Zoom makes meetings; it sends no message",
            )),
        }
    }
}

impl Deliver for Dispatch {
    async fn deliver(&self, c: &Claimed) -> Outcome {
        worker::deliver_as_batch(self, c).await
    }

    /// Finished messages' webhook events, queued in the transaction that records them.
    /// Under a savepoint: if queueing the events fails, the outcomes are still recorded
    /// (a message sent must never look unsent, or it would be sent again).
    async fn recorded(
        &self,
        tx: &mut sqlx::SqliteConnection,
        states: &[MessageState],
    ) -> Result<(), OutboxError> {
        // A campaign message sent keeps the .eml that went, as every e-mail does.
        let rendered: Vec<(i64, Vec<u8>, String)> = {
            let mut all = self.rendered.lock().unwrap_or_else(|e| e.into_inner());
            states
                .iter()
                .filter_map(|m| {
                    let (eml, reference) = all.remove(&m.id)?;
                    (m.state == ulak_outbox::State::Sent).then_some((m.id, eml, reference))
                })
                .collect()
        };
        for (id, eml, reference) in rendered {
            sqlx::query("UPDATE message_payloads SET payload = ?2 WHERE message_id = ?1")
                .bind(id)
                .bind(eml)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE messages SET reference = ?2 WHERE id = ?1")
                .bind(id)
                .bind(reference)
                .execute(&mut *tx)
                .await?;
        }
        let mut sp = sqlx::Connection::begin(&mut *tx).await?;
        match crate::webhook::events::recorded(&mut sp, states, chrono::Utc::now()).await {
            Ok(news) => {
                sp.commit().await?;
                let mut all = self.webhooks.lock().unwrap_or_else(|e| e.into_inner());
                all.queued += news.queued;
                all.failing.extend(news.failing);
            }
            Err(e) => {
                sp.rollback().await?;
                tracing::warn!(error = %e, "webhook events not queued");
            }
        }
        Ok(())
    }

    async fn deliver_batch(&self, batch: &[Claimed], concurrency: usize, out: Outcomes) {
        // A bulk e-mail send, the common case, goes to SMTP as it is, uncopied.
        if batch.iter().all(|c| route(c) == Route::Smtp) {
            return self.smtp.deliver_batch(batch, concurrency, out).await;
        }
        let mut smtp = Vec::new();
        let mut texts = Vec::new();
        for c in batch {
            match route(c) {
                Route::Smtp => smtp.push(c.clone()),
                Route::Campaign => {
                    match crate::email::campaign::render(&self.pool, c, chrono::Utc::now()).await {
                        Ok(mut r) => {
                            self.rendered
                                .lock()
                                .unwrap_or_else(|e| e.into_inner())
                                .insert(c.id, (r.payload.clone(), r.reference.clone()));
                            // The queued reference, the same at every try (an API's
                            // idempotency key is made from it), not this try's Message-ID.
                            r.reference = c.reference.clone();
                            smtp.push(r);
                        }
                        Err(f) => out.report(c.id, Outcome::Failed(f)),
                    }
                }
                Route::EmailSandbox => out.report(c.id, sandbox::email(&self.data_dir, c)),
                Route::SmsSandbox
                | Route::WhatsappSandbox
                | Route::Provider
                | Route::Webhook
                | Route::Sheets => texts.push(c),
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
        // SMS, WhatsApp and webhooks: up to `concurrency` requests in flight, each integration's
        // pacer spacing its own (a provider's answer takes longer than its pace allows).
        let texts = async {
            let mut waiting = texts.into_iter();
            let mut running = FuturesUnordered::new();
            for c in waiting.by_ref().take(concurrency.max(1)) {
                running.push(self.message(c));
            }
            while let Some((id, outcome)) = running.next().await {
                out.report(id, outcome);
                if let Some(c) = waiting.next() {
                    running.push(self.message(c));
                }
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
