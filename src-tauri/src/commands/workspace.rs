//! Workspaces: list, create, switch.

use tauri::State;
use ulak_core::session::Session;
use ulak_core::workspace::{self, Workspace};

use super::{err, CmdResult};

#[tauri::command]
#[specta::specta]
pub async fn list_workspaces(session: State<'_, Session>) -> CmdResult<Vec<Workspace>> {
    let store = session.store().await.map_err(err)?;
    workspace::list(store.pool()).await.map_err(err)
}

#[tauri::command]
#[specta::specta]
pub async fn create_workspace(session: State<'_, Session>, name: String) -> CmdResult<Workspace> {
    let store = session.store().await.map_err(err)?;
    workspace::create(store.pool(), &name).await.map_err(err)
}

#[tauri::command]
#[specta::specta]
pub async fn switch_workspace(session: State<'_, Session>, id: i64) -> CmdResult<Workspace> {
    let store = session.store().await.map_err(err)?;
    workspace::switch(store.pool(), id).await.map_err(err)
}
