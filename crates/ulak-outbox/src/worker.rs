//! Draining the outbox: claim a batch, deliver each message, record the outcomes in
//! one transaction, until nothing is due. Delivery is behind `Deliver`, so the same
//! loop serves the sandbox, SMTP accounts and the tests.

use std::borrow::Cow;
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use futures_util::StreamExt;
use serde::Serialize;
use sqlx::SqlitePool;

use crate::failure::{Failure, FailureCode, Kind};
use crate::queue::{self, Channel, Claimed, Done, MessageState, OutboxError, Outcome};
use crate::suppression;

pub use crate::report::{
    DrainReport, FailedMessage, FailingIntegration, FinishedCampaign, StoppedAccount,
};

/// Where a transport reports each message's outcome as soon as it is known; the time
/// it arrives ends the message's try.
#[derive(Clone)]
pub struct Outcomes {
    tx: tokio::sync::mpsc::UnboundedSender<(i64, Outcome, Instant)>,
}

impl Outcomes {
    pub fn channel() -> (
        Outcomes,
        tokio::sync::mpsc::UnboundedReceiver<(i64, Outcome, Instant)>,
    ) {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        (Outcomes { tx }, rx)
    }

    /// Message `id`'s outcome, known now.
    pub fn report(&self, id: i64, outcome: Outcome) {
        let _ = self.tx.send((id, outcome, Instant::now()));
    }
}

/// Something that can send one claimed message and say how it went.
pub trait Deliver: Sync {
    fn deliver(&self, c: &Claimed) -> impl Future<Output = Outcome> + Send;

    /// Called inside the transaction that records outcomes, with the states it applied:
    /// what must commit together with them (the events they cause). Nothing by default.
    fn recorded<'a>(
        &'a self,
        tx: &'a mut sqlx::SqliteConnection,
        states: &'a [MessageState],
    ) -> impl Future<Output = Result<(), OutboxError>> + Send + 'a {
        let _ = (tx, states);
        std::future::ready(Ok(()))
    }

    /// A whole batch, each message's outcome sent to `out` as it comes. By default
    /// `concurrency` messages at a time through `deliver`; a transport that can do
    /// better (one connection sending several messages back to back) overrides it.
    fn deliver_batch(
        &self,
        batch: &[Claimed],
        concurrency: usize,
        out: Outcomes,
    ) -> impl Future<Output = ()> + Send {
        // Built eagerly: a lazily mapped stream is not `Send` for tokio::spawn.
        let sends: Vec<_> = batch.iter().map(|c| deliver_one(self, c)).collect();
        futures_util::stream::iter(sends)
            .buffer_unordered(concurrency.max(1))
            .for_each(move |(id, o)| {
                out.report(id, o);
                std::future::ready(())
            })
    }
}

/// Runs a store step again while the store is busy (see `is_busy`), waiting a little
/// between tries: each try already waits out the busy timeout, so a long writer
/// elsewhere delays a drain but never ends it with sent messages unrecorded.
macro_rules! patiently {
    ($step:expr) => {{
        let mut wait = Duration::from_millis(20);
        loop {
            match $step {
                Err(e) if is_busy(&e) => {
                    tracing::warn!("the store is busy (another program is writing); waiting");
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(Duration::from_millis(200));
                }
                r => break r,
            }
        }
    }};
}

/// Outcomes recorded together while a batch is still being sent.
const RECORD_CHUNK: usize = 64;

/// The app setting that pauses every worker on this store.
pub const PAUSED: &str = "outbox.paused";

pub async fn paused(pool: &SqlitePool) -> Result<bool, OutboxError> {
    Ok(ulak_core::settings::get(pool, PAUSED).await?.as_deref() == Some("1"))
}

/// Pausing stops new claims; messages being sent finish, nothing queued is touched.
pub async fn set_paused(pool: &SqlitePool, paused: bool) -> Result<(), OutboxError> {
    ulak_core::settings::set(pool, PAUSED, if paused { "1" } else { "0" }).await?;
    Ok(())
}

/// How long a failing message is tried before it is given up, in hours.
pub async fn lifetime_hours(pool: &SqlitePool) -> Result<i64, OutboxError> {
    let life = queue::lifetime(&mut *pool.acquire().await?).await?;
    Ok(life.num_hours())
}

/// Sets how long a failing message is tried (1 to 720 hours); messages waiting now
/// follow the new lifetime at their next try.
pub async fn set_lifetime_hours(pool: &SqlitePool, hours: i64) -> Result<(), OutboxError> {
    if !crate::retry::LIFETIME_RANGE.contains(&hours) {
        return Err(OutboxError::BadLifetime { hours });
    }
    ulak_core::settings::set(pool, crate::retry::LIFETIME_SETTING, &hours.to_string()).await?;
    Ok(())
}

/// How a worker claims: `batch` messages at a time, each held for `lease`. A killed
/// worker's messages come back after the lease; at most one batch can then be sent twice.
#[derive(Debug, Clone, Copy)]
pub struct DrainOptions {
    pub batch: i64,
    pub lease: Duration,
    /// Messages of a batch in flight at once (each account gets as many connections).
    pub concurrency: usize,
    /// Set (by a first Ctrl-C) to stop: the batch being sent is finished and recorded,
    /// the next one claimed is given back untouched, and the drain returns.
    pub stop: Option<&'static AtomicBool>,
}

impl DrainOptions {
    fn stopping(&self) -> bool {
        self.stop.is_some_and(|s| s.load(Ordering::SeqCst))
    }
}

impl Default for DrainOptions {
    fn default() -> Self {
        DrainOptions {
            batch: 20,
            lease: Duration::from_secs(120),
            concurrency: 4,
            stop: None,
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
    drain_observed(pool, owner, via, opts, |_, _| {}).await
}

/// As `drain_with`, calling `on_batch` after each batch is recorded with the running
/// totals and the states that batch's messages were left in (the window's progress).
pub async fn drain_observed(
    pool: &SqlitePool,
    owner: &str,
    via: &impl Deliver,
    opts: DrainOptions,
    mut on_batch: impl FnMut(&DrainReport, &[MessageState]),
) -> Result<DrainReport, OutboxError> {
    let mut report = DrainReport::default();
    if paused(pool).await? {
        report.paused = true;
        return Ok(report);
    }
    if opts.stopping() {
        return Ok(report);
    }
    // Every write of the drain on one connection: SQLite's page cache is per connection
    // and reset when another connection writes, and each page read from the encrypted
    // file is decrypted and checked again.
    let mut pooled = pool.acquire().await?;
    let conn = &mut *pooled;
    let mut batch =
        patiently!(queue::claim_due_on(conn, owner, Utc::now(), opts.lease, opts.batch).await)?;
    // The lease is renewed this often while a batch is sent, so a slow server (a big
    // attachment, a slow uplink) never lets it run out under a message being sent.
    let beat = (opts.lease / 3).max(Duration::from_millis(50));
    while !batch.is_empty() {
        // Its lease counts from now, not from its claim during the last batch's sending;
        // any message another worker took over meanwhile is left to it.
        let ids: Vec<i64> = batch.iter().map(|c| c.id).collect();
        let held = patiently!(queue::renew_on(conn, owner, &ids, Utc::now(), opts.lease).await)?;
        if held.len() < batch.len() {
            batch.retain(|c| held.contains(&c.id));
            if batch.is_empty() {
                batch = patiently!(
                    queue::claim_due_on(conn, owner, Utc::now(), opts.lease, opts.batch).await
                )?;
                continue;
            }
        }
        // While this batch is sent, the store claims the next one and records outcomes
        // as they come, a transaction for whatever arrived during the last one. The next
        // batch is not sent before this one is recorded, so a crash still repeats at
        // most one batch; store writes stay on this one task, never racing each other.
        // The suppression list as it is now: a listed recipient's message is not sent.
        let hits = patiently!(suppression::screen(conn, &batch, Utc::now()).await)?;
        let (tx, mut rx) = Outcomes::channel();
        let started = (Instant::now(), Utc::now());
        let to_send: Cow<[Claimed]> = if hits.is_empty() {
            Cow::Borrowed(&batch)
        } else {
            for c in &batch {
                let listed: Vec<String> = hits
                    .iter()
                    .filter(|h| h.message_id == c.id)
                    .map(|h| format!("{} ({})", h.recipient, h.reason.as_str()))
                    .collect();
                if !listed.is_empty() {
                    tx.report(
                        c.id,
                        Outcome::Failed(Failure::new(
                            Kind::Permanent,
                            FailureCode::Suppressed,
                            listed.join(", "),
                        )),
                    );
                }
            }
            Cow::Owned(
                batch
                    .iter()
                    .filter(|c| !hits.iter().any(|h| h.message_id == c.id))
                    .cloned()
                    .collect(),
            )
        };
        let sending = via.deliver_batch(&to_send, opts.concurrency, tx);
        // Hard bounces of one-recipient messages to customers put that recipient on
        // the list, with the failure.
        let bounce_of: HashMap<i64, (i64, String)> = batch
            .iter()
            .filter(|c| {
                matches!(c.channel, Channel::Email | Channel::Sms | Channel::Whatsapp)
                    && c.recipients.len() == 1
            })
            .map(|c| (c.id, (c.workspace_id, c.recipients[0].clone())))
            .collect();
        let subjects: HashMap<i64, (&str, Channel)> = batch
            .iter()
            // A notification e-mail is not the user's message to a customer: not
            // counted (as chat messages are not), so no notification is about one.
            .filter(|c| !c.reference.starts_with(NOTICE_REFERENCE))
            .map(|c| (c.id, (c.subject.as_str(), c.channel)))
            .collect();
        let report = &mut report;
        let conn = &mut *conn;
        let store = async {
            // A store error here (the disk full) must not end the drain before this
            // batch's outcomes are recorded: it ends the drain after them.
            let mut halt: Option<OutboxError> = None;
            // Set once a write on `conn` failed: a failed COMMIT can leave a connection
            // inside its transaction (sqlx then refuses any BEGIN on it), so the rest
            // goes through fresh connections and this one is not given back.
            let mut tainted = false;
            let next = if opts.stopping() || paused(pool).await? {
                None
            } else {
                match patiently!(
                    queue::claim_due_on(conn, owner, Utc::now(), opts.lease, opts.batch).await
                ) {
                    Ok(b) => Some(b),
                    Err(e) => {
                        halt = Some(e);
                        tainted = true;
                        None
                    }
                }
            };
            // What this worker holds and has not recorded yet: its lease is kept alive.
            let mut unrecorded: Vec<i64> = batch.iter().map(|c| c.id).collect();
            unrecorded.extend(next.iter().flatten().map(|c| c.id));
            let mut next_beat = tokio::time::Instant::now() + beat;
            let mut outcomes = Vec::with_capacity(batch.len());
            let mut states = Vec::with_capacity(batch.len());
            loop {
                let more = tokio::select! {
                    n = rx.recv_many(&mut outcomes, batch.len().max(1)) => n > 0,
                    () = tokio::time::sleep_until(next_beat) => {
                        // A store busy now only delays the renewal to the next beat.
                        if let Err(e) =
                            queue::renew_on(conn, owner, &unrecorded, Utc::now(), opts.lease).await
                        {
                            tracing::warn!(error = %e, "the outbox lease could not be renewed");
                        }
                        next_beat = tokio::time::Instant::now() + beat;
                        continue;
                    }
                };
                // A commit costs about as much for one row as for dozens: wait for a
                // chunk unless the batch is done.
                if more && outcomes.len() < RECORD_CHUNK && !rx.is_closed() {
                    continue;
                }
                if !outcomes.is_empty() {
                    // Each try ran from the batch's start to its outcome: with pipelining
                    // a message's own share of the wire is not observable.
                    let done: Vec<Done> = outcomes
                        .drain(..)
                        .map(|(id, outcome, at)| Done {
                            id,
                            outcome,
                            started_at: started.1,
                            duration: at.saturating_duration_since(started.0),
                        })
                        .collect();
                    let jitter = 0.5 + rand::random::<f64>() / 2.0;
                    let applied = record_until_stored(
                        pool,
                        conn,
                        (&mut tainted, &mut halt),
                        owner,
                        via,
                        (&done, &bounce_of),
                        jitter,
                    )
                    .await?;
                    unrecorded.retain(|id| !done.iter().any(|d| d.id == *id));
                    tally(report, &subjects, &done, &applied);
                    states.extend(applied);
                }
                if !more {
                    break;
                }
            }
            Ok::<_, OutboxError>((next, states, halt, tainted))
        };
        let ((), stored) = futures_util::future::join(sending, store).await;
        let (next, states, halt, tainted) = match stored {
            Ok(s) => s,
            Err(e) => {
                pooled.close_on_drop();
                return Err(e);
            }
        };
        on_batch(report, &states);
        if tainted || halt.is_some() {
            // Everything sent is recorded; nothing more goes through this connection
            // (not given back to the pool), nor at all while the store cannot write.
            if let Some(b) = next {
                let ids: Vec<i64> = b.iter().map(|c| c.id).collect();
                if let Ok(mut fresh) = pool.acquire().await {
                    let _ = queue::release_on(&mut fresh, owner, &ids, Utc::now()).await;
                }
            }
            pooled.close_on_drop();
            return match halt {
                Some(e) => Err(e),
                None => Ok(std::mem::take(report)),
            };
        }
        batch = match next {
            Some(b) if opts.stopping() || paused(pool).await? => {
                // Paused or stopped while this batch was claimed: give it back untouched.
                let ids: Vec<i64> = b.iter().map(|c| c.id).collect();
                patiently!(queue::release_on(conn, owner, &ids, Utc::now()).await)?;
                report.paused = paused(pool).await?;
                Vec::new()
            }
            Some(b) => b,
            None => {
                report.paused = paused(pool).await?;
                Vec::new()
            }
        };
    }
    Ok(report)
}

/// Records `done`, again and again until it is stored: an outcome not stored would
/// send its message again after the lease. A busy store is waited out (`patiently`);
/// a full disk first gets the store's reserve back, then is tried every second while
/// the drain says so in the log (and ends after this batch: `halt`). A failure taints
/// `conn` (a failed COMMIT can leave it inside its transaction): the next tries go
/// through fresh connections. Any other failure ends the drain, after one more try.
async fn record_until_stored(
    pool: &SqlitePool,
    conn: &mut sqlx::SqliteConnection,
    (tainted, halt): (&mut bool, &mut Option<OutboxError>),
    owner: &str,
    via: &impl Deliver,
    (done, bounce_of): (&[Done], &HashMap<i64, (i64, String)>),
    jitter: f64,
) -> Result<Vec<MessageState>, OutboxError> {
    let mut freed = false;
    let mut tries = 0u32;
    loop {
        let r = if !*tainted {
            patiently!(record(conn, owner, via, done, bounce_of, jitter).await)
        } else {
            match pool.acquire().await {
                Ok(mut fresh) => {
                    let r =
                        patiently!(record(&mut fresh, owner, via, done, bounce_of, jitter).await);
                    if r.is_err() {
                        fresh.close_on_drop();
                    }
                    r
                }
                Err(e) => Err(e.into()),
            }
        };
        let e = match r {
            Ok(applied) => return Ok(applied),
            Err(e) => e,
        };
        let first = !*tainted;
        *tainted = true;
        if is_disk_full(&e) {
            if tries % 30 == 0 {
                tracing::error!(
                    waiting = done.len(),
                    "the disk is full: sent messages wait to be recorded; free some space"
                );
            }
            if freed {
                tokio::time::sleep(Duration::from_secs(1)).await;
            } else {
                freed = true;
                ulak_core::store::reserve::release_for(pool).await;
            }
            if !halt.as_ref().is_some_and(is_disk_full) {
                *halt = Some(e);
            }
        } else if !first {
            return Err(e);
        }
        tries += 1;
    }
}

/// Records outcomes in one write transaction, with what must commit with them.
async fn record(
    conn: &mut sqlx::SqliteConnection,
    owner: &str,
    via: &impl Deliver,
    done: &[Done],
    bounce_of: &HashMap<i64, (i64, String)>,
    jitter: f64,
) -> Result<Vec<MessageState>, OutboxError> {
    let mut tx = queue::begin_write(conn).await?;
    let now = Utc::now();
    let applied = queue::complete_in(&mut tx, owner, done, now, jitter).await?;
    let bounced: Vec<(i64, String)> = done
        .iter()
        .filter(|d| {
            matches!(&d.outcome, Outcome::Failed(f)
                if f.kind == Kind::Permanent && f.code == FailureCode::NoSuchRecipient)
                && applied
                    .iter()
                    .any(|m| m.id == d.id && m.state == crate::queue::State::Failed)
        })
        .filter_map(|d| bounce_of.get(&d.id).cloned())
        .collect();
    suppression::note_bounces(&mut tx, &bounced, now).await?;
    via.recorded(&mut tx, &applied).await?;
    tx.commit().await?;
    Ok(applied)
}

/// Whether a store error is the disk being full.
pub fn is_disk_full(e: &OutboxError) -> bool {
    matches!(e, OutboxError::Store(s) if s.is_disk_full())
}

/// Whether a store error is another process holding the write lock past the busy
/// timeout (a long import, a big enqueue): waited out, not an end.
pub fn is_busy(e: &OutboxError) -> bool {
    match e {
        OutboxError::Store(ulak_core::StoreError::Database(sqlx::Error::Database(d))) => d
            .code()
            .and_then(|c| c.parse::<i64>().ok())
            .is_some_and(|c| matches!(c & 0xff, 5 | 6)),
        _ => false,
    }
}

/// How a notification e-mail's reference begins (see ulak-api's Notifier).
pub const NOTICE_REFERENCE: &str = "notice:";

/// Counts what the store recorded (a try whose lease was lost changed nothing; a
/// refused sign-in of a registered account holds its message rather than failing it).
fn tally(
    report: &mut DrainReport,
    subjects: &HashMap<i64, (&str, Channel)>,
    done: &[Done],
    applied: &[MessageState],
) {
    let states: HashMap<i64, crate::queue::State> =
        applied.iter().map(|m| (m.id, m.state)).collect();
    for d in done {
        let Some(state) = states.get(&d.id) else {
            continue;
        };
        let Some((subject, channel)) = subjects.get(&d.id).copied() else {
            continue;
        };
        // Webhook deliveries and chat messages (notifications, a word to the team) are
        // not the user's messages to customers: not counted, so a notification is never
        // about a notification (a given-up webhook is told as its endpoint failing).
        if matches!(channel, Channel::Webhook | Channel::Chat) {
            continue;
        }
        let finished = *state != crate::queue::State::Retry;
        if finished && !report.channels.contains(&channel) {
            report.channels.push(channel);
        }
        match &d.outcome {
            Outcome::Sent { .. } => {
                report.sent += 1;
                report.last_sent = Some(subject.to_string());
            }
            Outcome::Failed(_) if *state == crate::queue::State::Retry => report.retrying += 1,
            Outcome::Failed(f) if f.code == FailureCode::Suppressed => report.skipped += 1,
            Outcome::Failed(f) => {
                report.failed += 1;
                if report.failures.len() < 5 {
                    report.failures.push(FailedMessage {
                        id: d.id,
                        subject: subject.to_string(),
                        code: f.code,
                    });
                }
            }
        }
    }
}

/// `deliver` for a transport whose natural unit is the batch: the message as a batch
/// of one.
pub async fn deliver_as_batch<D: Deliver + ?Sized>(via: &D, c: &Claimed) -> Outcome {
    let (tx, mut rx) = Outcomes::channel();
    via.deliver_batch(std::slice::from_ref(c), 1, tx).await;
    rx.recv().await.map(|(_, o, _)| o).unwrap_or_else(|| {
        Outcome::Failed(crate::failure::Failure::transient(
            FailureCode::Other,
            "not sent",
        ))
    })
}

async fn deliver_one<D: Deliver + ?Sized>(via: &D, c: &Claimed) -> (i64, Outcome) {
    (c.id, via.deliver(c).await)
}

/// When the next waiting message is due, if any: the app's worker sleeps until then.
pub async fn next_due(pool: &SqlitePool) -> Result<Option<chrono::DateTime<Utc>>, OutboxError> {
    // A message of an account blocked by its limits is due when the account frees up.
    let r: Option<(Option<String>,)> = sqlx::query_as(
        "SELECT min(CASE WHEN state = 'sending' THEN lease_until
                    WHEN provider = 'campaign' THEN (SELECT CASE WHEN c.state = 'running'
                        THEN max(m.next_attempt_at, coalesce(c.blocked_until, ''),
                                 coalesce(c.next_send_at, '')) END
                        FROM campaigns c WHERE c.id = m.campaign_id)
                    ELSE max(next_attempt_at, coalesce((SELECT s.blocked_until FROM senders s
                        WHERE s.channel = m.channel AND s.account_id = m.account_id), ''))
                    END)
         FROM messages m WHERE state IN ('queued', 'retry', 'sending') HAVING count(*) > 0",
    )
    .fetch_optional(pool)
    .await?;
    Ok(r.and_then(|(t,)| t)
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| t.with_timezone(&Utc)))
}

/// Counts per state, for `ulak outbox status` and the tray.
pub async fn status(
    pool: &SqlitePool,
    workspace_id: i64,
) -> Result<Vec<(String, i64)>, OutboxError> {
    // Webhook deliveries are Ulak's own reports: counted in their endpoint's log only.
    Ok(sqlx::query_as("SELECT state, count(*) FROM messages WHERE workspace_id = ?1 AND channel <> 'webhook' GROUP BY state ORDER BY state")
        .bind(workspace_id)
        .fetch_all(pool)
        .await?)
}

/// Messages (not webhook deliveries or chat messages) still retrying though queued
/// before `queued_before`, not told of yet: marked told now, so each is told once;
/// oldest first, at most 50 at a time.
pub async fn stuck(
    pool: &SqlitePool,
    queued_before: chrono::DateTime<Utc>,
    now: chrono::DateTime<Utc>,
) -> Result<Vec<FailedMessage>, OutboxError> {
    let rows: Vec<(i64, String, Option<String>)> = sqlx::query_as(
        "UPDATE messages SET stuck_told_at = ?2
         WHERE id IN (SELECT id FROM messages
                      WHERE state = 'retry' AND channel NOT IN ('webhook', 'chat')
                        AND reference NOT LIKE 'notice:%'
                        AND created_at <= ?1 AND stuck_told_at IS NULL
                      ORDER BY id LIMIT 50)
         RETURNING id, subject, last_code",
    )
    .bind(queue::timestamp(queued_before))
    .bind(queue::timestamp(now))
    .fetch_all(pool)
    .await?;
    let mut out: Vec<FailedMessage> = rows
        .into_iter()
        .map(|(id, subject, code)| FailedMessage {
            id,
            subject,
            code: code
                .as_deref()
                .map_or(FailureCode::Other, FailureCode::parse),
        })
        .collect();
    out.sort_by_key(|m| m.id);
    Ok(out)
}

/// Messages not yet done, in every workspace: queued, waiting to retry, being sent (the
/// user's, not webhook deliveries, which may wait for a day).
pub async fn waiting(pool: &SqlitePool) -> Result<i64, OutboxError> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT count(*) FROM messages WHERE state IN ('queued', 'retry', 'sending') AND channel <> 'webhook'",
    )
    .fetch_one(pool)
    .await?;
    Ok(n)
}

/// What a drain leaves behind in the store, whoever put it there: the user's messages
/// waiting for a retry (and the first one's time), and those held by another worker's
/// lease (the app, another `ulak outbox drain`, or one that stopped), with the time the
/// last of those leases runs out. A drain's summary says both, so "will retry 0" is
/// never printed over a message that waits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Left {
    pub retrying: i64,
    pub next_retry_at: Option<String>,
    pub held_elsewhere: i64,
    pub held_until: Option<String>,
    /// Scheduled sends still waiting for their time, and the first of them.
    pub scheduled: i64,
    pub next_scheduled_at: Option<String>,
}

pub async fn left(
    pool: &SqlitePool,
    owner: &str,
    now: chrono::DateTime<Utc>,
) -> Result<Left, OutboxError> {
    let (retrying, next_retry_at, held_elsewhere, held_until): (
        i64,
        Option<String>,
        i64,
        Option<String>,
    ) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE state = 'retry'),
                min(next_attempt_at) FILTER (WHERE state = 'retry'),
                count(*) FILTER (WHERE state = 'sending' AND lease_owner <> ?1 AND lease_until > ?2),
                max(lease_until) FILTER (WHERE state = 'sending' AND lease_owner <> ?1 AND lease_until > ?2)
         FROM messages
         WHERE state IN ('queued', 'retry', 'sending') AND state IN ('retry', 'sending')
           AND channel NOT IN ('webhook', 'chat')",
    )
    .bind(owner)
    .bind(queue::timestamp(now))
    .fetch_one(pool)
    .await?;
    let (scheduled, next_scheduled_at): (i64, Option<String>) = sqlx::query_as(
        "SELECT count(*), min(next_attempt_at) FROM messages
         WHERE state IN ('queued', 'retry', 'sending') AND state = 'queued'
           AND next_attempt_at > ?1 AND scheduled_at IS NOT NULL",
    )
    .bind(queue::timestamp(now))
    .fetch_one(pool)
    .await?;
    Ok(Left {
        retrying,
        next_retry_at,
        held_elsewhere,
        held_until,
        scheduled,
        next_scheduled_at,
    })
}
