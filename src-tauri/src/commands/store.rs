//! Opening the encrypted store, and app-wide settings.

use secrecy::SecretString;
use tauri::{Manager, State};
use ulak_core::session::{AppStatus, Session};
use ulak_core::settings::{self, Language};

use super::{err, CmdResult};

#[tauri::command]
#[specta::specta]
pub async fn app_status(app: tauri::AppHandle) -> AppStatus {
    let status = app.state::<Session>().status().await;
    if matches!(status, AppStatus::Ready(_)) {
        // The store may have just opened: send what was left queued.
        app.state::<std::sync::Arc<crate::worker::Worker>>().wake();
        crate::tray::refresh(&app).await;
    }
    status
}

#[tauri::command]
#[specta::specta]
pub async fn unlock_with_passphrase(
    session: State<'_, Session>,
    passphrase: String,
) -> CmdResult<AppStatus> {
    session
        .unlock_with_passphrase(SecretString::from(passphrase))
        .await
        .map_err(err)
}

#[tauri::command]
#[specta::specta]
pub async fn set_language(
    app: tauri::AppHandle,
    session: State<'_, Session>,
    lang: Language,
) -> CmdResult<()> {
    let store = session.store().await.map_err(err)?;
    settings::set_language(store.pool(), lang)
        .await
        .map_err(err)?;
    crate::tray::refresh(&app).await;
    Ok(())
}
