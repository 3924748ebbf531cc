//! The profile of the active workspace.

use tauri::State;
use ulak_core::profile::{self, Profile, ProfileInput};
use ulak_core::session::Session;
use ulak_core::workspace;

use super::{err, CmdResult};

#[tauri::command]
#[specta::specta]
pub async fn get_profile(session: State<'_, Session>) -> CmdResult<Profile> {
    let store = session.store().await.map_err(err)?;
    let ws = workspace::active(store.pool()).await.map_err(err)?;
    profile::get(store.pool(), ws.id).await.map_err(err)
}

#[tauri::command]
#[specta::specta]
pub async fn save_profile(session: State<'_, Session>, input: ProfileInput) -> CmdResult<Profile> {
    let store = session.store().await.map_err(err)?;
    let ws = workspace::active(store.pool()).await.map_err(err)?;
    profile::save(store.pool(), ws.id, &input)
        .await
        .map_err(err)
}
