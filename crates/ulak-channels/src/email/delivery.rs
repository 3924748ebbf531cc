//! E-mail's SMTP provider: a few reused SMTP connections per account (see `connection`). A batch's
//! messages for one account are shared out among its connections, each sending its
//! share back to back with PIPELINING. A connection that breaks is dropped; the message
//! it broke on is retried later, one it had not started is sent on a new connection.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use lettre::address::Envelope;
use sqlx::SqlitePool;
use tokio::sync::Mutex;
use ulak_outbox::failure::{Failure, FailureCode};
use ulak_outbox::queue::{Claimed, Outcome};
use ulak_outbox::worker::{self, Deliver, Outcomes};

use crate::email::accounts::{self, Account};
use crate::email::connection::{self, Connection, End, Job};
use crate::email::failure;
use crate::email::gmail;
use crate::oauth;
use futures_util::StreamExt;

type Slot = Arc<Mutex<Option<Connection>>>;
/// An account's connection slots, keyed by (workspace, account).
type Slots = Arc<Vec<Slot>>;

/// Connections per account unless set otherwise.
pub const DEFAULT_CONNECTIONS: usize = 4;

pub struct Router {
    pool: SqlitePool,
    per_account: usize,
    connections: Mutex<HashMap<(i64, i64), Slots>>,
    /// For accounts that send through an API (Gmail).
    http: reqwest::Client,
}

/// What opening a connection to an account needs, read from the store once a batch.
/// The sign-in is read at each opening: an OAuth token is refreshed when it is about
/// to expire.
struct Opener {
    pool: SqlitePool,
    account: Account,
    ca: Option<String>,
}

impl Opener {
    async fn open(&self) -> Result<Connection, Outcome> {
        let creds = accounts::credentials(&self.pool, &self.account)
            .await
            .map_err(|e| Outcome::Failed(failure::oauth(&e)))?;
        match connection::open(&self.account, &creds, self.ca.as_deref()).await {
            Ok(c) => Ok(c),
            // The server refused an OAuth token before its time (revoked, password
            // changed): the next try refreshes it, and a withdrawn grant shows then.
            Err(e @ connection::SendError::Auth(_)) if self.account.oauth.is_some() => {
                let o = self.account.oauth.as_ref().expect("checked");
                let _ = oauth::connections::expire(
                    &self.pool,
                    self.account.workspace_id,
                    o.connection_id,
                )
                .await;
                Err(Outcome::Failed(Failure::transient(
                    FailureCode::SignIn,
                    e.to_string(),
                )))
            }
            Err(e) => Err(Outcome::Failed(failure::opening(&e))),
        }
    }
}

/// A message of a batch, owned so a connection's task can hold it.
struct Item {
    id: i64,
    envelope: Envelope,
    raw: Vec<u8>,
    /// The same on every try of the message (Resend's Idempotency-Key).
    key: String,
}

impl Router {
    pub fn new(pool: SqlitePool) -> Self {
        Self::with_connections(pool, DEFAULT_CONNECTIONS)
    }

    /// At most `per_account` connections to each account's server at once.
    pub fn with_connections(pool: SqlitePool, per_account: usize) -> Self {
        Router {
            pool,
            per_account: per_account.max(1),
            connections: Mutex::new(HashMap::new()),
            http: crate::http::client(),
        }
    }

    /// Says QUIT on every open connection: the end of a drain or of the app's round.
    pub async fn close(&self) {
        let all: Vec<Slots> = self
            .connections
            .lock()
            .await
            .drain()
            .map(|(_, v)| v)
            .collect();
        let quits = all
            .iter()
            .flat_map(|slots| slots.iter())
            .map(|slot| async move {
                if let Some(c) = slot.lock().await.take() {
                    c.quit().await;
                }
            });
        futures_util::future::join_all(quits).await;
    }

    async fn slots(&self, key: (i64, i64)) -> Slots {
        self.connections
            .lock()
            .await
            .entry(key)
            .or_insert_with(|| Arc::new((0..self.per_account).map(|_| Slot::default()).collect()))
            .clone()
    }

    async fn opener(&self, workspace_id: i64, account_id: i64) -> Result<Opener, Outcome> {
        // An account that is gone fails the message for good, saying why; a store that
        // could not be read now (busy, a passing I/O error) leaves it for a retry.
        let gone = |e: &accounts::AccountError| {
            Outcome::Failed(match e {
                accounts::AccountError::Store(_) => {
                    Failure::transient(FailureCode::Other, e.to_string())
                }
                _ => Failure::permanent(FailureCode::AccountMissing, e.to_string()),
            })
        };
        let account = accounts::get(&self.pool, workspace_id, account_id)
            .await
            .map_err(|e| gone(&e))?;
        let ca = accounts::trusted_ca(&self.pool, workspace_id, account_id)
            .await
            .map_err(|e| gone(&e))?;
        Ok(Opener {
            pool: self.pool.clone(),
            account,
            ca,
        })
    }

    /// One account's share of a batch over its connections, each on a task of its own
    /// so a bulk send uses every thread of the runtime.
    async fn send_account(&self, key: (i64, i64), items: Vec<Item>, out: Outcomes) {
        let opener = match self.opener(key.0, key.1).await {
            Ok(o) => Arc::new(o),
            Err(o) => {
                for i in &items {
                    out.report(i.id, o.clone());
                }
                return;
            }
        };
        let limits = opener.account.limits;
        if limits.min_wait_ms > 0 || limits.jitter_ms > 0 {
            return self.send_paced(key, &opener, items, out).await;
        }
        if opener.account.sends_by_gmail_api() {
            return self.send_gmail(&opener.account, items, out).await;
        }
        if opener.account.sends_by_resend() {
            return self.send_resend(&opener.account, items, out).await;
        }
        let slots = self.slots(key).await;
        let tasks = slots.len().min(items.len());
        let items = Arc::new(items);
        let queue = Arc::new(std::sync::Mutex::new(
            (0..items.len()).collect::<VecDeque<_>>(),
        ));
        let alive = Arc::new(AtomicUsize::new(tasks));
        let handles: Vec<_> = slots
            .iter()
            .take(tasks)
            .map(|slot| {
                let (slot, opener, items, queue, alive, results) = (
                    slot.clone(),
                    opener.clone(),
                    items.clone(),
                    queue.clone(),
                    alive.clone(),
                    out.clone(),
                );
                tokio::spawn(async move {
                    let mut guard = slot.lock_owned().await;
                    let take = || queue.lock().expect("queue").pop_front();
                    let mut carry = None;
                    let mut answered = Vec::new();
                    let mut report = |id: i64, o: Outcome| {
                        answered.push(id);
                        results.report(id, o);
                    };
                    while let Some(first) = carry.take().or_else(take) {
                        if guard.is_none() {
                            match opener.open().await {
                                Ok(c) => *guard = Some(c),
                                Err(o) => {
                                    // This connection gives up; the last one to give up
                                    // answers for what is left.
                                    report(items[first].id, o.clone());
                                    if alive.fetch_sub(1, Ordering::SeqCst) == 1 {
                                        while let Some(i) = take() {
                                            report(items[i].id, o.clone());
                                        }
                                    }
                                    return answered;
                                }
                            }
                        }
                        let conn = guard.as_mut().expect("opened above");
                        let mut first = Some(first);
                        let end = conn
                            .send_all(
                                || {
                                    let i = first.take().or_else(take)?;
                                    let it = &items[i];
                                    Some((
                                        i,
                                        Job {
                                            envelope: &it.envelope,
                                            raw: &it.raw,
                                        },
                                    ))
                                },
                                |i, r| report(items[i].id, failure::outcome(r)),
                            )
                            .await;
                        if let End::Broken(left) = end {
                            *guard = None;
                            carry = left;
                        }
                    }
                    alive.fetch_sub(1, Ordering::SeqCst);
                    answered
                })
            })
            .collect();
        let mut answered = std::collections::HashSet::new();
        for h in handles {
            match h.await {
                Ok(ids) => answered.extend(ids),
                Err(e) => tracing::error!("a sending task failed: {e}"),
            }
        }
        // A task that died leaves its messages unanswered: they are retried.
        for it in items.iter().filter(|it| !answered.contains(&it.id)) {
            let f = Failure::transient(FailureCode::Other, "the send was interrupted");
            out.report(it.id, Outcome::Failed(f));
        }
    }
}

/// Waits for the account's turn to start a send (its wait between sends, shared with
/// every process through the store). An unreadable store stops the send: its limits
/// cannot be known.
async fn wait_turn(pool: &SqlitePool, account_id: i64) -> Result<(), Outcome> {
    let key = accounts::key(account_id);
    loop {
        let now = chrono::Utc::now();
        match ulak_outbox::senders::take_turn(pool, key, now, rand::random::<f64>()).await {
            Ok(None) => return Ok(()),
            Ok(Some(at)) => {
                let wait = (at - now).to_std().unwrap_or_default();
                tokio::time::sleep(wait.max(std::time::Duration::from_millis(1))).await;
            }
            Err(e) => {
                return Err(Outcome::Failed(Failure::transient(
                    FailureCode::Other,
                    format!("the account's turn could not be taken: {e}"),
                )))
            }
        }
    }
}

impl Router {
    /// An account with a wait between sends: one message at a time, each after taking
    /// the account's turn, over one connection (or the Gmail API).
    async fn send_paced(&self, key: (i64, i64), opener: &Opener, items: Vec<Item>, out: Outcomes) {
        let slots = self.slots(key).await;
        let mut guard = slots[0].lock().await;
        let mut left: VecDeque<Item> = items.into();
        let by_api = opener.account.sends_by_gmail_api() || opener.account.sends_by_resend();
        while let Some(it) = left.pop_front() {
            // The connection is ready before the turn is taken: the server sees the
            // sends as far apart as their turns, not closer by the time a sign-in took.
            if !by_api && guard.is_none() {
                match opener.open().await {
                    Ok(c) => *guard = Some(c),
                    Err(o) => {
                        out.report(it.id, o.clone());
                        for rest in left.drain(..) {
                            out.report(rest.id, o.clone());
                        }
                        return;
                    }
                }
            }
            if let Err(o) = wait_turn(&self.pool, key.1).await {
                out.report(it.id, o);
                continue;
            }
            if opener.account.sends_by_resend() {
                self.send_resend(&opener.account, vec![it], out.clone())
                    .await;
                continue;
            }
            if by_api {
                self.send_gmail(&opener.account, vec![it], out.clone())
                    .await;
                continue;
            }
            let conn = guard.as_mut().expect("opened above");
            let mut one = Some(&it);
            let end = conn
                .send_all(
                    || {
                        let i = one.take()?;
                        Some((
                            i.id,
                            Job {
                                envelope: &i.envelope,
                                raw: &i.raw,
                            },
                        ))
                    },
                    |id, r| out.report(id, failure::outcome(r)),
                )
                .await;
            if let End::Broken(back) = end {
                *guard = None;
                if back.is_some() {
                    // Handed back unsent: it goes first on a new connection, after
                    // another turn.
                    left.push_front(it);
                }
            }
        }
    }

    /// A Google account's share of a batch through the Gmail API, `per_account`
    /// requests at a time, with one access token (refreshed first when due).
    async fn send_gmail(&self, account: &Account, items: Vec<Item>, out: Outcomes) {
        let Some(o) = &account.oauth else { return };
        let token = match oauth::connections::access_token(
            &self.pool,
            account.workspace_id,
            o.connection_id,
        )
        .await
        {
            Ok(t) => t,
            Err(e) => {
                let f = Outcome::Failed(failure::oauth(&e));
                for i in &items {
                    out.report(i.id, f.clone());
                }
                return;
            }
        };
        let api_base = match oauth::app(&self.pool, oauth::Provider::Google).await {
            Ok(a) => a.api_base,
            Err(e) => {
                let f = Outcome::Failed(failure::oauth(&e));
                for i in &items {
                    out.report(i.id, f.clone());
                }
                return;
            }
        };
        let client = self.http.clone();
        let refused = AtomicUsize::new(0);
        futures_util::stream::iter(items)
            .for_each_concurrent(self.per_account, |it| {
                let (client, api_base, token, out, refused) =
                    (&client, &api_base, &token, &out, &refused);
                async move {
                    let recipients: Vec<String> =
                        it.envelope.to().iter().map(|a| a.to_string()).collect();
                    let sent = gmail::send(client, api_base, token, &it.raw, &recipients).await;
                    if sent.token_refused {
                        refused.fetch_add(1, Ordering::Relaxed);
                    }
                    out.report(it.id, sent.outcome);
                }
            })
            .await;
        if refused.load(Ordering::Relaxed) > 0 {
            // Google refused the token before its time: the next try refreshes it.
            let _ =
                oauth::connections::expire(&self.pool, account.workspace_id, o.connection_id).await;
        }
    }
}

impl Router {
    /// A Resend account's share of a batch through Resend's API, `per_account` requests
    /// at a time at the integration's pace; the integration's status (Entegrasyonlar's
    /// "Hata") follows how they went.
    async fn send_resend(&self, account: &Account, items: Vec<Item>, out: Outcomes) {
        use crate::integrations;
        let fail_all = |f: Failure| {
            for i in &items {
                out.report(i.id, Outcome::Failed(f.clone()));
            }
        };
        let Some(integration_id) = account.integration_id else {
            return;
        };
        let missing = |why: String| Failure::permanent(FailureCode::AccountMissing, why);
        let i = match integrations::by_id(&self.pool, account.workspace_id, integration_id).await {
            Ok(Some(i)) => i,
            Ok(None) => return fail_all(missing("the Resend integration was removed".into())),
            Err(e) => {
                return fail_all(Failure::transient(
                    FailureCode::AccountMissing,
                    e.to_string(),
                ))
            }
        };
        let client = match crate::email::resend::Resend::for_integration(&self.pool, &i).await {
            Ok(c) => c,
            Err(crate::provider::ClientError::Store(e)) => {
                return fail_all(Failure::transient(
                    FailureCode::AccountMissing,
                    e.to_string(),
                ))
            }
            Err(e) => return fail_all(missing(e.to_string())),
        };
        let pacer = integrations::rate(&i).map(|r| crate::pace::pacer(i.id, r));
        let trouble = std::sync::Mutex::new(None::<Failure>);
        let went = AtomicUsize::new(0);
        futures_util::stream::iter(items.iter())
            .for_each_concurrent(self.per_account, |it| {
                let (client, pacer, out, trouble, went) = (&client, &pacer, &out, &trouble, &went);
                async move {
                    if let Some(p) = pacer {
                        p.until_ready().await;
                    }
                    let recipients: Vec<String> =
                        it.envelope.to().iter().map(|a| a.to_string()).collect();
                    match client.send(&it.raw, &recipients, &it.key).await {
                        Ok(reply) => {
                            went.fetch_add(1, Ordering::Relaxed);
                            out.report(it.id, Outcome::Sent { reply });
                        }
                        Err(f) => {
                            if integrations::is_account_trouble(&f) {
                                *trouble.lock().unwrap_or_else(|e| e.into_inner()) =
                                    Some(f.clone());
                            }
                            out.report(it.id, Outcome::Failed(f));
                        }
                    }
                }
            })
            .await;
        let trouble = trouble.into_inner().unwrap_or_else(|e| e.into_inner());
        let outcome = match (&trouble, went.load(Ordering::Relaxed)) {
            (Some(f), _) => Err(f),
            (None, n) if n > 0 => Ok(()),
            _ => return,
        };
        if let Err(e) = integrations::record(&self.pool, account.workspace_id, i.id, outcome).await
        {
            tracing::warn!(integration_id = i.id, "integration status not saved: {e}");
        }
    }
}

impl Deliver for Router {
    async fn deliver(&self, c: &Claimed) -> Outcome {
        worker::deliver_as_batch(self, c).await
    }

    async fn deliver_batch(&self, batch: &[Claimed], _concurrency: usize, out: Outcomes) {
        let mut by_account: HashMap<(i64, i64), Vec<Item>> = HashMap::new();
        for c in batch {
            let Some(account_id) = c.account_id else {
                let f = Failure::permanent(FailureCode::AccountMissing, "no account to send from");
                out.report(c.id, Outcome::Failed(f));
                continue;
            };
            let from = c.sender.parse().ok();
            let to: Vec<_> = c.recipients.iter().filter_map(|r| r.parse().ok()).collect();
            match Envelope::new(from, to) {
                Ok(envelope) => by_account
                    .entry((c.workspace_id, account_id))
                    .or_default()
                    .push(Item {
                        id: c.id,
                        envelope,
                        raw: c.payload.clone(),
                        key: crate::email::resend::idempotency_key(
                            c.workspace_id,
                            c.id,
                            &c.reference,
                        ),
                    }),
                Err(e) => {
                    let f = failure::unsendable(format!("bad envelope: {e}"));
                    out.report(c.id, Outcome::Failed(f));
                }
            }
        }
        let sends = by_account
            .into_iter()
            .map(|(key, items)| self.send_account(key, items, out.clone()));
        futures_util::future::join_all(sends).await;
    }
}
