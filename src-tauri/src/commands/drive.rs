//! Google Drive backups: its own Google sign-in (as the calendar's) and a backup with
//! progress.

use tauri::ipc::Channel;
use tauri::State;
use ulak_api::drive::{self, BackedUp, What};
use ulak_api::oauth::{self as api, Purpose};
use ulak_channels::oauth::{Connection, Provider};
use ulak_core::session::Session;
use ulak_core::settings;

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
    let (store, ws) = active_scope(&session).await?;
    let pending = api::begin_for(
        store.pool(),
        ws,
        Provider::Google,
        Purpose::Drive,
        login_hint.as_deref(),
    )
    .await
    .map_err(err)?;
    Ok(connecting.open(&app, pending).await)
}

/// Waits for the browser's return to Google Drive's sign-in.
#[tauri::command]
#[specta::specta]
pub async fn finish_drive_connect(
    session: State<'_, Session>,
    connecting: State<'_, Connecting>,
) -> CmdResult<Connection> {
    let (store, ws) = active_scope(&session).await?;
    let pending = connecting.take(Purpose::Drive).await?;
    let lang = settings::language(store.pool())
        .await
        .unwrap_or(settings::Language::Tr);
    api::sign_in(
        store.pool(),
        ws,
        pending,
        lang,
        ulak_channels::oauth::flow::LIMIT,
    )
    .await
    .map_err(err)
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
