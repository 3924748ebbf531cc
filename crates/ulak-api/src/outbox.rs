//! Sending: the worker's policy that the app's background task and `ulak outbox
//! drain` share — whose earlier claims to take back, how a round drains (a fresh
//! dispatcher each round, so changed account settings apply), when to look again, what
//! the round's notification says — and pausing.

use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::SqlitePool;
use ulak_channels::Dispatch;
use ulak_outbox::digest::{NoticeChannel, Throttle};
use ulak_outbox::notice::{self, Notice, NoticeSettings};
use ulak_outbox::worker::{self, DrainOptions, DrainReport};
use ulak_outbox::{queue, MessageState, OutboxError};

/// Lease owners of the app's worker start with this; a CLI's with `cli-`.
const APP_PREFIX: &str = "app-";

/// The longest the app's worker sleeps between looks at the queue: a message queued by
/// `ulak send` is picked up within this, or at once when the app itself queued it.
pub const IDLE: Duration = Duration::from_secs(15);

/// This app process's name in the leases.
pub fn app_owner() -> String {
    format!("{APP_PREFIX}{}", std::process::id())
}

/// This CLI process's name in the leases.
pub fn cli_owner() -> String {
    format!("cli-{}", std::process::id())
}

/// Only one app runs at a time (single instance), so an earlier app run's claims are
/// interrupted sends: due again now rather than after their lease. A CLI's claims are
/// left to their lease (it may still be running).
pub async fn resume_interrupted(
    pool: &SqlitePool,
    owner: &str,
    now: DateTime<Utc>,
) -> Result<u64, OutboxError> {
    queue::release_stale(pool, APP_PREFIX, owner, now).await
}

/// Sends what is due through every channel's provider, calling `on_batch` after each
/// batch with the running totals and the states it left its messages in; says QUIT on
/// every connection at the end, however the drain ended.
///
/// Finished messages' webhook events are queued as their outcomes are recorded (in the
/// same transaction); those queued by the last batches go in a second pass of the same
/// round, so `ulak outbox drain` leaves none behind.
pub async fn drain(
    pool: &SqlitePool,
    data_dir: &Path,
    owner: &str,
    opts: DrainOptions,
    mut on_batch: impl FnMut(&DrainReport, &[MessageState]),
) -> Result<DrainReport, OutboxError> {
    let via = Dispatch::new(pool.clone(), data_dir.to_path_buf(), opts.concurrency);
    let mut total = DrainReport::default();
    let r = loop {
        let pass = worker::drain_observed(pool, owner, &via, opts, &mut on_batch).await;
        let news = via.take_webhook_news();
        match pass {
            Ok(mut pass) => {
                pass.webhooks_failing = news.failing;
                total.merge(pass);
                let stopping = opts
                    .stop
                    .is_some_and(|s| s.load(std::sync::atomic::Ordering::SeqCst));
                if news.queued == 0 || total.paused || stopping {
                    break Ok(total);
                }
            }
            Err(e) => {
                // What was recorded stays recorded; its failing endpoints are still told.
                total.webhooks_failing.extend(news.failing);
                break Err(e);
            }
        }
    };
    via.close().await;
    if let Err(e) = tidy_sandbox(pool, data_dir, Utc::now()).await {
        tracing::warn!(error = %e, "the sandbox was not cleaned");
    }
    r
}

/// The app setting: how many days the sandbox ("Test kutusu") keeps its files.
pub const SANDBOX_KEEP_DAYS: &str = "sandbox.keep_days";
pub const SANDBOX_KEEP_DEFAULT: i64 = 30;
const SANDBOX_CLEANED_AT: &str = "sandbox.cleaned_at";

/// How many days the sandbox keeps its files.
pub async fn sandbox_keep_days(pool: &SqlitePool) -> Result<i64, OutboxError> {
    Ok(ulak_core::settings::get(pool, SANDBOX_KEEP_DAYS)
        .await?
        .and_then(|d| d.parse::<i64>().ok())
        .filter(|d| (1..=3650).contains(d))
        .unwrap_or(SANDBOX_KEEP_DEFAULT))
}

/// Sets how many days the sandbox keeps its files (1 to 3650); older ones go at the
/// next drain.
pub async fn set_sandbox_keep_days(pool: &SqlitePool, days: i64) -> Result<(), OutboxError> {
    if !(1..=3650).contains(&days) {
        return Err(OutboxError::Invalid(
            ulak_core::validate::ValidationError::Range {
                field: "days",
                min: 1,
                max: 3650,
            },
        ));
    }
    ulak_core::settings::set(pool, SANDBOX_KEEP_DAYS, &days.to_string()).await?;
    // The next drain cleans with the new age at once.
    ulak_core::settings::set(pool, SANDBOX_CLEANED_AT, "").await?;
    Ok(())
}

/// Removes the sandbox's files older than the age kept, at most once an hour (after a
/// drain); how many went.
pub async fn tidy_sandbox(
    pool: &SqlitePool,
    data_dir: &Path,
    now: DateTime<Utc>,
) -> Result<usize, OutboxError> {
    let last = ulak_core::settings::get(pool, SANDBOX_CLEANED_AT)
        .await?
        .and_then(|t| DateTime::parse_from_rfc3339(&t).ok());
    if last.is_some_and(|t| now - t.with_timezone(&Utc) < chrono::Duration::hours(1)) {
        return Ok(0);
    }
    let days = sandbox_keep_days(pool).await?;
    let keep = Duration::from_secs(days.unsigned_abs() * 24 * 3600);
    let gone = ulak_channels::sandbox::clean(data_dir, keep, now.into());
    ulak_core::settings::set(pool, SANDBOX_CLEANED_AT, &queue::timestamp(now)).await?;
    if gone > 0 {
        tracing::info!(files = gone, days, "old sandbox files removed");
    }
    Ok(gone)
}

/// How long to wait before the next round: until the next retry or expired lease is
/// due, at most `IDLE`.
pub async fn next_wait(pool: &SqlitePool, now: DateTime<Utc>) -> Duration {
    match worker::next_due(pool).await {
        Ok(Some(t)) => (t - now)
            .to_std()
            .unwrap_or(Duration::from_millis(50))
            .min(IDLE),
        _ => IDLE,
    }
}

/// Notifications over a process's rounds: what Bildirimler lets through to the desktop,
/// Slack and Telegram, at the frequency it sets (at once, at most every so often, or as
/// a digest). Slack and Telegram get theirs as chat messages through the outbox, by the
/// active workspace's integration.
#[derive(Debug)]
pub struct Notifier {
    desktop: Throttle,
    chats: [(Throttle, &'static str); 2],
    /// E-mails to the user's own address (Bildirimler's e-mail column).
    email: Throttle,
}

impl Default for Notifier {
    fn default() -> Self {
        Notifier {
            desktop: Throttle::new(NoticeChannel::Desktop),
            email: Throttle::new(NoticeChannel::Email),
            chats: [
                (Throttle::new(NoticeChannel::Slack), "slack"),
                (Throttle::new(NoticeChannel::Telegram), "telegram"),
            ],
        }
    }
}

impl Notifier {
    /// Takes in a round; returns the desktop notification due now, if any (chat ones
    /// due now are queued).
    pub async fn after_round(
        &mut self,
        pool: &SqlitePool,
        report: &DrainReport,
        now: DateTime<Utc>,
    ) -> Option<Notice> {
        let s = notice::get_settings(pool).await.unwrap_or_default();
        self.offer(&s, report, now);
        // A round that found a grant withdrawn says so with its failures.
        self.offer_reconnect(pool, &s, now).await;
        self.offer_progress(pool, &s, now).await;
        self.due(pool, &s, now).await
    }

    /// Campaigns that finished and accounts that reached their daily limit, told once
    /// each (a limit once a local day).
    async fn offer_progress(&mut self, pool: &SqlitePool, s: &NoticeSettings, now: DateTime<Utc>) {
        let campaigns_finished = ulak_outbox::campaigns::untold_finished(pool, now)
            .await
            .unwrap_or_else(|e| {
                tracing::warn!(error = %e, "finished campaigns not read");
                Vec::new()
            });
        let limits_reached =
            ulak_outbox::senders::untold_limits(pool, &ulak_outbox::senders::Clock::local(now))
                .await
                .unwrap_or_else(|e| {
                    tracing::warn!(error = %e, "daily limits not read");
                    Vec::new()
                });
        let integrations_failing = integrations_failing(pool, now).await;
        if !campaigns_finished.is_empty()
            || !limits_reached.is_empty()
            || !integrations_failing.is_empty()
        {
            let report = DrainReport {
                campaigns_finished,
                limits_reached,
                integrations_failing,
                ..Default::default()
            };
            self.offer(s, &report, now);
        }
    }

    fn offer(&mut self, s: &NoticeSettings, report: &DrainReport, now: DateTime<Utc>) {
        self.desktop.offer(&s.prefs, report, now);
        self.email.offer(&s.prefs, report, now);
        for (th, _) in &mut self.chats {
            th.offer(&s.prefs, report, now);
        }
    }

    /// Messages that have been retrying for too long, told once each (marked in the
    /// store as they are read).
    async fn offer_stuck(&mut self, pool: &SqlitePool, s: &NoticeSettings, now: DateTime<Utc>) {
        match worker::stuck(pool, now - s.prefs.stuck_after(), Utc::now()).await {
            Ok(stuck) if !stuck.is_empty() => {
                let report = DrainReport {
                    stuck,
                    stuck_minutes: s.prefs.stuck_after().num_minutes() as u32,
                    ..Default::default()
                };
                self.offer(s, &report, now);
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "stuck messages not read"),
        }
    }

    /// Accounts whose sign-in was withdrawn or refused since last told, told once each.
    async fn offer_reconnect(&mut self, pool: &SqlitePool, s: &NoticeSettings, now: DateTime<Utc>) {
        let reconnect = ulak_channels::oauth::connections::untold_errors(pool)
            .await
            .unwrap_or_else(|e| {
                tracing::warn!(error = %e, "withdrawn connections not read");
                Vec::new()
            });
        let stopped: Vec<ulak_outbox::worker::StoppedAccount> =
            ulak_outbox::senders::untold_errors(pool, Utc::now())
                .await
                .unwrap_or_else(|e| {
                    tracing::warn!(error = %e, "stopped accounts not read");
                    Vec::new()
                })
                .into_iter()
                // A withdrawn grant is told as such, not twice.
                .filter(|(address, _)| !reconnect.contains(address))
                .map(|(address, reason)| ulak_outbox::worker::StoppedAccount { address, reason })
                .collect();
        if !reconnect.is_empty() || !stopped.is_empty() {
            let report = DrainReport {
                reconnect,
                stopped,
                ..Default::default()
            };
            self.offer(s, &report, now);
        }
    }

    /// What is due now (a digest's window over, an interval passed).
    pub async fn tick(&mut self, pool: &SqlitePool, now: DateTime<Utc>) -> Option<Notice> {
        let s = notice::get_settings(pool).await.unwrap_or_default();
        self.offer_stuck(pool, &s, now).await;
        self.offer_reconnect(pool, &s, now).await;
        self.offer_progress(pool, &s, now).await;
        self.due(pool, &s, now).await
    }

    async fn due(
        &mut self,
        pool: &SqlitePool,
        s: &NoticeSettings,
        now: DateTime<Utc>,
    ) -> Option<Notice> {
        let lang = ulak_core::settings::language(pool)
            .await
            .unwrap_or_default();
        for (th, provider) in &mut self.chats {
            let Some(n) = th
                .take_due(&s.prefs, now)
                .and_then(|d| notice::say(&d, lang))
            else {
                continue;
            };
            let text = format!("{}\n{}", n.title, n.body);
            let queued = match ulak_core::workspace::active(pool).await {
                // Queued by the wall clock: the outbox's times are real, `now` is the
                // throttle's (given in tests).
                Ok(ws) => crate::chat::send(pool, ws.id, provider, &text, None, Utc::now())
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            };
            if let Err(e) = queued {
                tracing::warn!(provider = *provider, error = %e, "notification not queued");
            }
        }
        // E-mail: to the address set, else dropped (the column chosen without one).
        if let Some(n) = self
            .email
            .take_due(&s.prefs, now)
            .and_then(|d| notice::say(&d, lang))
        {
            if let Some(e) = &s.email {
                if let Err(err) = notice_email(pool, e, &n, lang).await {
                    tracing::warn!(error = %err, "notification e-mail not queued");
                }
            }
        }
        let due = self.desktop.take_due(&s.prefs, now)?;
        if !s.enabled {
            return None;
        }
        notice::say(&due, lang)
    }

    /// When something held is due, for the worker to wake then.
    pub async fn next_due(&self, pool: &SqlitePool) -> Option<DateTime<Utc>> {
        let s = notice::get_settings(pool).await.unwrap_or_default();
        std::iter::once(&self.desktop)
            .chain(std::iter::once(&self.email))
            .chain(self.chats.iter().map(|(th, _)| th))
            .filter_map(|th| th.next_due(&s.prefs))
            .min()
    }
}

/// Queues a notification as an e-mail to the user's own address, from their account
/// (or into the sandbox), rendered from the notification templates; its reference
/// marks it as a notification (never counted, never told of itself).
pub async fn notice_email(
    pool: &SqlitePool,
    e: &ulak_outbox::notice::NoticeEmail,
    n: &ulak_outbox::notice::Notice,
    lang: ulak_core::settings::Language,
) -> Result<i64, crate::compose::ComposeError> {
    use ulak_channels::email::mime;
    use ulak_outbox::template::{self, NoticeVars};
    let ws = ulak_core::workspace::active(pool)
        .await
        .map_err(|e| match e {
            ulak_core::workspace::WorkspaceError::Store(s) => {
                crate::compose::ComposeError::Store(s)
            }
            other => crate::compose::ComposeError::Store(ulak_core::StoreError::Database(
                sqlx::Error::Protocol(other.to_string()),
            )),
        })?;
    let vars = NoticeVars {
        title: n.title.clone(),
        body: n.body.clone(),
        lines: n
            .body
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect(),
        footer: ulak_core::words::text(lang, "notice.emailFooter", &[]),
        lang: match lang {
            ulak_core::settings::Language::Tr => "tr".into(),
            ulak_core::settings::Language::En => "en".into(),
        },
    };
    let html = template::render_notice(true, template::NOTICE_HTML, &vars)?;
    let text = template::render_notice(false, template::NOTICE_TEXT, &vars)?;
    let (from, from_name) = match e.account_id {
        Some(id) => {
            let a = ulak_channels::email::accounts::get(pool, ws.id, id).await?;
            (a.email, a.sender_name)
        }
        None => {
            let p = ulak_core::profile::get(pool, ws.id)
                .await
                .map_err(|e| match e {
                    ulak_core::profile::ProfileError::Store(s) => {
                        crate::compose::ComposeError::Store(s)
                    }
                    ulak_core::profile::ProfileError::Invalid(v) => {
                        crate::compose::ComposeError::Invalid(v)
                    }
                })?;
            let from = if p.sender_email.is_empty() {
                crate::compose::SANDBOX_SENDER.to_string()
            } else {
                p.sender_email
            };
            (from, "Ulak".to_string())
        }
    };
    let d = mime::Draft {
        account_id: e.account_id,
        company_id: None,
        from,
        from_name,
        to: vec![e.address.clone()],
        cc: vec![],
        bcc: vec![],
        subject: format!("Ulak: {}", n.title),
        text,
        html: Some(html),
        attachments: vec![],
        idempotency_key: None,
        reply_to: None,
    };
    let now = Utc::now();
    let mut m = mime::build(&d, now)?;
    m.reference = format!("{}{}", ulak_outbox::worker::NOTICE_REFERENCE, m.reference);
    m.idempotency_key = m.reference.clone();
    Ok(ulak_outbox::queue::enqueue(pool, ws.id, &m, now).await?)
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SendingState {
    pub paused: bool,
    /// Queued, waiting to retry or being sent, in every workspace.
    pub waiting: u32,
}

pub async fn sending_state(pool: &SqlitePool) -> Result<SendingState, OutboxError> {
    Ok(SendingState {
        paused: worker::paused(pool).await?,
        waiting: worker::waiting(pool).await? as u32,
    })
}

/// Pauses or resumes every worker on this store (the app, the tray and the CLI
/// agree); nothing queued is touched.
pub async fn set_paused(pool: &SqlitePool, paused: bool) -> Result<SendingState, OutboxError> {
    worker::set_paused(pool, paused).await?;
    tracing::info!(paused, "sending paused state changed");
    sending_state(pool).await
}

/// Integrations newly in trouble, named as Entegrasyonlar names them, in the app's
/// language; told once each.
async fn integrations_failing(
    pool: &SqlitePool,
    now: DateTime<Utc>,
) -> Vec<ulak_outbox::worker::FailingIntegration> {
    let lang = ulak_core::settings::language(pool)
        .await
        .unwrap_or_default();
    match ulak_channels::integrations::untold_errors(pool, now).await {
        Ok(list) => list
            .into_iter()
            .map(|(channel, provider, code)| {
                let name = ulak_channels::spec::get(channel, &provider)
                    .map(|s| match lang {
                        ulak_core::settings::Language::Tr => s.name.tr.clone(),
                        ulak_core::settings::Language::En => s.name.en.clone(),
                    })
                    .unwrap_or(provider);
                ulak_outbox::worker::FailingIntegration { name, code }
            })
            .collect(),
        Err(e) => {
            tracing::warn!(error = %e, "integrations in trouble not read");
            Vec::new()
        }
    }
}
