//! The app's outbox worker: a tokio task that runs `ulak_api::outbox`'s rounds whenever
//! the store is open, wakes at once when the window queues something, and otherwise
//! sleeps until the next retry. Each batch becomes an `OutboxChanged` event; each round
//! ends in at most one desktop notification, at the frequency Bildirimler sets.

use std::sync::Arc;
use std::time::Duration;

use tauri::{AppHandle, Manager};
use tokio::sync::Notify;
use ulak_api::outbox;
use ulak_core::session::Session;
use ulak_outbox::notice::Notice;
use ulak_outbox::worker::DrainOptions;
use ulak_outbox::OutboxError;

use crate::events;

#[derive(Default)]
pub struct Worker {
    wake: Notify,
    /// The pause state the window and the tray were last told of: the watcher tells
    /// them again when the store says otherwise (a change from the command line).
    announced: std::sync::Mutex<Option<bool>>,
}

impl Worker {
    /// Look at the queue now (a message was queued, sending resumed, a retry asked for).
    pub fn wake(&self) {
        self.wake.notify_one();
    }
}

/// Pauses or resumes sending (the window's toggle and the tray's menu), and tells
/// the window and the tray.
pub async fn set_paused(
    app: &AppHandle,
    pool: &sqlx::SqlitePool,
    paused: bool,
) -> Result<outbox::SendingState, OutboxError> {
    let state = outbox::set_paused(pool, paused).await?;
    let worker = app.state::<Arc<Worker>>();
    *worker.announced.lock().expect("not poisoned") = Some(paused);
    if !paused {
        worker.wake();
    }
    events::outbox_changed(app, None, &[]);
    Ok(state)
}

/// How often the app looks whether sending was paused or resumed elsewhere (`ulak
/// outbox pause` in a terminal): the tray and the sending bar follow within this.
const PAUSE_WATCH: Duration = Duration::from_secs(2);

/// Tells the window and the tray when the pause setting changes under the app (the
/// command line writes the same setting); a resume from there wakes the worker.
fn watch_pause(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let mut first = true;
        loop {
            if !first {
                tokio::time::sleep(PAUSE_WATCH).await;
            }
            first = false;
            let Ok(store) = app.state::<Session>().store().await else {
                continue;
            };
            let Ok(paused) = ulak_outbox::worker::paused(store.pool()).await else {
                continue;
            };
            let worker = app.state::<Arc<Worker>>().inner().clone();
            let before = worker
                .announced
                .lock()
                .expect("not poisoned")
                .replace(paused);
            // The first look only learns the state (the window read it as it opened).
            if before.is_some_and(|b| b != paused) {
                tracing::info!(paused, "sending paused or resumed outside the app");
                if !paused {
                    worker.wake();
                }
                events::outbox_changed(&app, None, &[]);
            }
        }
    });
}

pub fn spawn(app: AppHandle) {
    watch_pause(app.clone());
    tauri::async_runtime::spawn(async move {
        let owner = outbox::app_owner();
        let mut resumed = false;
        let mut notifier = outbox::Notifier::default();
        loop {
            let worker = app.state::<Arc<Worker>>().inner().clone();
            let wait = match app.state::<Session>().store().await {
                Err(_) => Duration::from_secs(2), // locked: look again shortly
                Ok(store) => {
                    let pool = store.pool().clone();
                    if !resumed {
                        resumed = true;
                        match outbox::resume_interrupted(&pool, &owner, chrono::Utc::now()).await {
                            Ok(0) => {}
                            Ok(n) => tracing::info!(n, "resuming interrupted sends"),
                            Err(e) => tracing::warn!(error = %e, "could not release old claims"),
                        }
                    }
                    round(&app, &pool, store.data_dir(), &owner, &mut notifier).await;
                    let now = chrono::Utc::now();
                    if let Some(n) = notifier.tick(&pool, now).await {
                        show(&app, &n);
                    }
                    let mut wait = outbox::next_wait(&pool, now).await;
                    // A digest or an interval that ends before then: wake to tell it.
                    if let Some(at) = notifier.next_due(&pool).await {
                        wait = wait.min((at - now).to_std().unwrap_or(Duration::from_millis(50)));
                    }
                    match arrivals(&app, &pool).await {
                        // Sent messages whose arrival is not known yet: ask again soon.
                        true => wait.min(Duration::from_secs(30)),
                        false => wait,
                    }
                }
            };
            tokio::select! {
                _ = worker.wake.notified() => {}
                _ = tokio::time::sleep(wait) => {}
            }
        }
    });
}

/// Asks the providers whether sent SMS and WhatsApp messages arrived; the window hears
/// of any answer. True while some are still unknown.
async fn arrivals(app: &AppHandle, pool: &sqlx::SqlitePool) -> bool {
    match ulak_api::delivery::refresh(pool, chrono::Utc::now()).await {
        Ok(r) => {
            if r.delivered + r.undelivered + r.reported > 0 {
                tracing::info!(
                    delivered = r.delivered,
                    undelivered = r.undelivered,
                    reported = r.reported,
                    "delivery reports"
                );
                events::outbox_changed(app, None, &[]);
            }
            r.pending > 0
        }
        Err(e) => {
            tracing::warn!(error = %e, "delivery reports not read");
            false
        }
    }
}

async fn round(
    app: &AppHandle,
    pool: &sqlx::SqlitePool,
    data_dir: &std::path::Path,
    owner: &str,
    notifier: &mut outbox::Notifier,
) {
    let opts = DrainOptions::default();
    let emit = |r: &_, states: &[_]| events::outbox_changed(app, Some(r), states);
    let report = match outbox::drain(pool, data_dir, owner, opts, emit).await {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!(error = %e, "outbox round failed");
            return;
        }
    };
    if report.sent + report.failed + report.retrying == 0 && report.webhooks_failing.is_empty() {
        return;
    }
    tracing::info!(
        sent = report.sent,
        failed = report.failed,
        retrying = report.retrying,
        "outbox round"
    );
    if let Some(n) = notifier
        .after_round(pool, &report, chrono::Utc::now())
        .await
    {
        show(app, &n);
    }
}

fn show(app: &AppHandle, n: &Notice) {
    use tauri_plugin_notification::NotificationExt;
    // Logged so a missing notification daemon still leaves a trace that something was
    // said; the body names subjects and customers, so only its length goes to the log.
    tracing::info!(title = %n.title, body_chars = n.body.chars().count(), "desktop notification");
    if let Err(e) = app
        .notification()
        .builder()
        .title(&n.title)
        .body(&n.body)
        .show()
    {
        tracing::warn!(error = %e, "desktop notification not shown");
    }
}
