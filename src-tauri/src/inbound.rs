//! The window's webhook receiver (issue 19): while the app is open and a port is set
//! under Entegrasyonlar › Gelen bildirimler, `ulak_api::inbound::serve` listens on
//! 127.0.0.1 at that port. A watcher starts it when the store opens and moves it when
//! the port changes (here or from `ulak inbound settings`); it also takes CRM events
//! (`POST /events`, the automations): the new port is opened
//! first, so a port that cannot be opened leaves the old one listening, with the
//! reason kept for the window; such a port is tried again now and then.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use tauri::{AppHandle, Manager};
use tokio::sync::{oneshot, Notify};
use ulak_core::session::Session;
use ulak_core::{ErrorPayload, UserFacing};

use crate::events;

/// How often the watcher looks at the saved port (a change from the command line).
const WATCH: Duration = Duration::from_secs(3);
/// How long a port that could not be opened waits before it is tried again.
const RETRY: Duration = Duration::from_secs(30);

#[derive(Default)]
pub struct Receiver {
    wake: Notify,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// The port it listens on now, and how to stop it.
    running: Option<(u16, oneshot::Sender<()>)>,
    /// Why the saved port could not be opened (cleared when it is, or on a save).
    problem: Option<ErrorPayload>,
    /// The port the last try failed on, and when.
    failed: Option<(u16, Instant)>,
}

impl Receiver {
    /// The settings were just saved: forget the last failure and look now.
    pub fn wake(&self) {
        {
            let mut s = self.state.lock().expect("not poisoned");
            s.problem = None;
            s.failed = None;
        }
        self.wake.notify_one();
    }

    /// The port listened on, and why the saved one is not.
    pub fn status(&self) -> (Option<u16>, Option<ErrorPayload>) {
        let s = self.state.lock().expect("not poisoned");
        (s.running.as_ref().map(|(p, _)| *p), s.problem.clone())
    }
}

pub fn spawn(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let receiver = app.state::<std::sync::Arc<Receiver>>().inner().clone();
        loop {
            if let Ok(store) = app.state::<Session>().store().await {
                // A store busy for a moment is not "no port": this round is skipped.
                if let Ok(settings) = ulak_api::inbound::settings(store.pool()).await {
                    follow(&app, &receiver, store.pool(), settings.port).await;
                }
            }
            tokio::select! {
                _ = receiver.wake.notified() => {}
                _ = tokio::time::sleep(WATCH) => {}
            }
        }
    });
}

/// Makes the receiver listen on `wanted` (None: not at all).
async fn follow(
    app: &AppHandle,
    receiver: &Receiver,
    pool: &sqlx::SqlitePool,
    wanted: Option<u16>,
) {
    let (current, failed) = {
        let s = receiver.state.lock().expect("not poisoned");
        (s.running.as_ref().map(|(p, _)| *p), s.failed)
    };
    if wanted == current {
        return;
    }
    let Some(port) = wanted else {
        let mut s = receiver.state.lock().expect("not poisoned");
        if let Some((_, stop)) = s.running.take() {
            let _ = stop.send(());
        }
        s.problem = None;
        s.failed = None;
        return;
    };
    if failed.is_some_and(|(p, at)| p == port && at.elapsed() < RETRY) {
        return;
    }
    match start(app, pool.clone(), port).await {
        Ok(stop) => {
            tracing::info!(port, "webhook receiver listening on 127.0.0.1");
            let mut s = receiver.state.lock().expect("not poisoned");
            if let Some((_, old)) = s.running.replace((port, stop)) {
                let _ = old.send(());
            }
            s.problem = None;
            s.failed = None;
        }
        Err(e) => {
            tracing::warn!(
                port,
                code = e.code().as_str(),
                "webhook receiver could not listen"
            );
            let mut s = receiver.state.lock().expect("not poisoned");
            s.problem = Some(ErrorPayload::from_error(&e));
            s.failed = Some((port, Instant::now()));
        }
    }
}

/// Opens `port` and serves webhooks on it until the answer is sent (or dropped); each
/// request that recorded something makes the window read its history again.
async fn start(
    app: &AppHandle,
    pool: sqlx::SqlitePool,
    port: u16,
) -> Result<oneshot::Sender<()>, ulak_api::inbound::InboundError> {
    let listener = ulak_api::inbound::bind(port).await?;
    let (tx, rx) = oneshot::channel::<()>();
    let told = app.clone();
    // A reply or a report: the window reads again; a CRM event's messages: the worker
    // looks now.
    let on_recorded: ulak_channels::inbound::OnRecorded = std::sync::Arc::new(move |_| {
        events::outbox_changed(&told, None, &[]);
        told.state::<std::sync::Arc<crate::worker::Worker>>().wake();
    });
    tauri::async_runtime::spawn(async move {
        let stop = async {
            let _ = rx.await;
        };
        if let Err(e) = ulak_api::inbound::serve(pool, listener, stop, Some(on_recorded)).await {
            tracing::warn!(error = %e, "webhook receiver stopped");
        }
    });
    Ok(tx)
}
