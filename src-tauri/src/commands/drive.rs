//! Google Drive backups: its own Google sign-in (as the calendar's) and a backup with
//! progress.

use tauri::ipc::Channel;
use tauri::State;
use ulak_api::drive::{self, BackedUp, What};
use ulak_api::oauth::Purpose;
use ulak_channels::oauth::Connection;
use ulak_core::session::Session;

use super::oauth::Connecting;
use super::{active_scope, err, CmdResult};

/// The Google account backups go to; null when none is connected for it.
#[tauri::command]
#[specta::specta]
pub async fn drive_status(session: State<'_, Session>) -> CmdResult<Option<Connection>> {
    let (store, ws) = active_scope(&session).await?;
    drive::status(store.pool(), ws).await.map_err(err)
}

/// Begins Google Drive's sign-in and opens the browser; answers the address.
#[tauri::command]
#[specta::specta]
pub async fn begin_drive_connect(
    app: tauri::AppHandle,
    session: State<'_, Session>,
    connecting: State<'_, Connecting>,
    login_hint: Option<String>,
) -> CmdResult<String> {
    super::oauth::begin_google(
        &app,
        &session,
        &connecting,
        Purpose::Drive,
        login_hint.as_deref(),
    )
    .await
}

/// Waits for the browser's return to Google Drive's sign-in.
#[tauri::command]
#[specta::specta]
pub async fn finish_drive_connect(
    session: State<'_, Session>,
    connecting: State<'_, Connecting>,
) -> CmdResult<Connection> {
    super::oauth::finish_grant(&session, &connecting, Purpose::Drive).await
}

/// Backs up the history, a campaign or the sent e-mails into `folder` (its address or
/// id) or Ulak's own; `progress` receives `[done, total]` files.
#[tauri::command]
#[specta::specta]
pub async fn backup_to_drive(
    session: State<'_, Session>,
    what: What,
    folder: Option<String>,
    progress: Channel<(u32, u32)>,
) -> CmdResult<BackedUp> {
    let (store, ws) = active_scope(&session).await?;
    drive::backup(store.pool(), ws, &what, folder.as_deref(), |d, t| {
        let _ = progress.send((d, t));
    })
    .await
    .map_err(err)
}
