//! The app's outbox worker: a tokio task that sends what is due whenever the store is
//! open, wakes at once when the composer queues something, sleeps until the next retry
//! otherwise, and stops claiming while sending is paused. Each round ends in at most one
//! desktop notification and an `outbox-changed` event for the window and the tray.

use std::sync::Arc;
use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager};
use tokio::sync::Notify;
use ulak_channels::Dispatch;
use ulak_core::session::Session;
use ulak_outbox::worker::{self, DrainOptions, DrainReport};
use ulak_outbox::{notice, queue};

/// The event the window and the tray listen to; its payload is the round's running totals.
pub const CHANGED: &str = "outbox-changed";

/// Longest sleep between looks at the queue (a message queued by `ulak send` is picked
/// up within this, or at once when the app itself queued it).
const IDLE: Duration = Duration::from_secs(15);

#[derive(Default)]
pub struct Worker {
    wake: Notify,
}

impl Worker {
    /// Look at the queue now (a message was queued, sending resumed, a retry asked for).
    pub fn wake(&self) {
        self.wake.notify_one();
    }
}

pub fn spawn(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let owner = format!("app-{}", std::process::id());
        let mut released = false;
        loop {
            let worker = app.state::<Arc<Worker>>().inner().clone();
            let wait = match app.state::<Session>().store().await {
                Err(_) => Duration::from_secs(2), // locked: look again shortly
                Ok(store) => {
                    let pool = store.pool().clone();
                    if !released {
                        // Only one app runs at a time: an earlier run's claims are
                        // interrupted sends, due again now rather than after their lease.
                        released = true;
                        match queue::release_stale(&pool, "app-", &owner, chrono::Utc::now()).await
                        {
                            Ok(0) => {}
                            Ok(n) => tracing::info!(n, "resuming interrupted sends"),
                            Err(e) => tracing::warn!(error = %e, "could not release old claims"),
                        }
                    }
                    // A fresh router each round: connections are reused within a bulk
                    // send, and an account whose settings changed is read anew.
                    let r = Dispatch::new(
                        pool.clone(),
                        store.data_dir().to_path_buf(),
                        ulak_mail::delivery::DEFAULT_CONNECTIONS,
                    );
                    round(&app, &pool, &owner, &r).await;
                    r.close().await;
                    match worker::next_due(&pool).await {
                        Ok(Some(t)) => (t - chrono::Utc::now())
                            .to_std()
                            .unwrap_or(Duration::from_millis(50))
                            .min(IDLE),
                        _ => IDLE,
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

async fn round(app: &AppHandle, pool: &sqlx::SqlitePool, owner: &str, router: &Dispatch) {
    let emit = |r: &DrainReport| {
        let _ = app.emit(CHANGED, r.clone());
    };
    let report =
        match worker::drain_observed(pool, owner, router, DrainOptions::default(), emit).await {
            Ok(r) => r,
            Err(e) => {
                tracing::warn!(error = %e, "outbox round failed");
                return;
            }
        };
    if report.sent + report.failed + report.retrying == 0 {
        return;
    }
    tracing::info!(
        sent = report.sent,
        failed = report.failed,
        retrying = report.retrying,
        "outbox round"
    );
    crate::tray::refresh(app).await;
    let lang = ulak_core::settings::language(pool)
        .await
        .unwrap_or_default();
    let settings = notice::get_settings(pool).await.unwrap_or_default();
    if let Some(n) = notice::summarize(&report, lang, settings) {
        show(app, &n);
    }
}

fn show(app: &AppHandle, n: &notice::Notice) {
    use tauri_plugin_notification::NotificationExt;
    // Logged so a missing notification daemon still leaves a trace of what was said.
    tracing::info!(title = %n.title, body = %n.body, "desktop notification");
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
