//! The window's webhook receiver (issue 19): while the app is open and a port is set
//! under Entegrasyonlar › Gelen bildirimler, `ulak_api::inbound::serve` listens on
//! 127.0.0.1 at that port. A watcher starts it when the store opens, moves it when the
//! port changes (here or from `ulak inbound settings`) and keeps the reason when the
//! port cannot be opened, which the window shows.

use std::sync::Mutex;
use std::time::Duration;

use tauri::{AppHandle, Manager};
use tokio::sync::{oneshot, Notify};
use ulak_core::session::Session;
use ulak_core::{ErrorPayload, UserFacing};

use crate::events;

/// How often the watcher looks at the saved port (a change from the command line).
const WATCH: Duration = Duration::from_secs(3);

#[derive(Default)]
pub struct Receiver {
    wake: Notify,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// The port it listens on now, and how to stop it.
    running: Option<(u16, oneshot::Sender<()>)>,
    /// Why the saved port could not be opened (cleared when it is).
    problem: Option<ErrorPayload>,
    /// A port the last try failed on, not tried again until the setting changes.
    failed_port: Option<u16>,
}

impl Receiver {
    /// Look at the settings now (they were just saved).
    pub fn wake(&self) {
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
        loop {
            let receiver = app.state::<std::sync::Arc<Receiver>>().inner().clone();
            if let Ok(store) = app.state::<Session>().store().await {
                let wanted = ulak_api::inbound::settings(store.pool())
                    .await
                    .ok()
                    .and_then(|s| s.port);
                let (current, failed) = {
                    let s = receiver.state.lock().expect("not poisoned");
                    (s.running.as_ref().map(|(p, _)| *p), s.failed_port)
                };
                if wanted != current && (wanted.is_none() || wanted != failed) {
                    // Stop the old one first: the new port may be the same socket's.
                    if let Some((_, stop)) =
                        receiver.state.lock().expect("not poisoned").running.take()
                    {
                        let _ = stop.send(());
                    }
                    match wanted {
                        None => {
                            let mut s = receiver.state.lock().expect("not poisoned");
                            s.problem = None;
                            s.failed_port = None;
                        }
                        Some(port) => match start(&app, store.pool().clone(), port).await {
                            Ok(stop) => {
                                tracing::info!(port, "webhook receiver listening on 127.0.0.1");
                                let mut s = receiver.state.lock().expect("not poisoned");
                                s.running = Some((port, stop));
                                s.problem = None;
                                s.failed_port = None;
                            }
                            Err(e) => {
                                tracing::warn!(
                                    port,
                                    code = e.code().as_str(),
                                    "webhook receiver could not listen"
                                );
                                let mut s = receiver.state.lock().expect("not poisoned");
                                s.problem = Some(ErrorPayload::from_error(&e));
                                s.failed_port = Some(port);
                            }
                        },
                    }
                }
            }
            tokio::select! {
                _ = receiver.wake.notified() => {
                    // A save: try the saved port even if it failed before.
                    receiver.state.lock().expect("not poisoned").failed_port = None;
                }
                _ = tokio::time::sleep(WATCH) => {}
            }
        }
    });
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
    let on_recorded: ulak_channels::inbound::OnRecorded =
        std::sync::Arc::new(move |_| events::outbox_changed(&told, None, &[]));
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
