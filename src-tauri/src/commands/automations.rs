//! Otomasyonlar: the rules ("when a CRM event comes, then…"), on/off, changed; the
//! token a CRM on this computer sends events with; a test event from the page.

use std::sync::Arc;

use tauri::State;
use ulak_api::automations::{self, Emitted, Source};
use ulak_core::session::Session;
use ulak_crm::automations::{Automation, AutomationInput};

use super::{active_scope, err, CmdResult};
use crate::worker::Worker;

#[tauri::command]
#[specta::specta]
pub async fn list_automations(session: State<'_, Session>) -> CmdResult<Vec<Automation>> {
    let (store, ws) = active_scope(&session).await?;
    automations::list(store.pool(), ws).await.map_err(err)
}

#[tauri::command]
#[specta::specta]
pub async fn set_automation_enabled(
    session: State<'_, Session>,
    id: i64,
    enabled: bool,
) -> CmdResult<Automation> {
    let (store, ws) = active_scope(&session).await?;
    automations::set_enabled(store.pool(), ws, id, enabled)
        .await
        .map_err(err)
}

/// Changes a rule (`id`) or adds one (null), off.
#[tauri::command]
#[specta::specta]
pub async fn save_automation(
    session: State<'_, Session>,
    id: Option<i64>,
    input: AutomationInput,
) -> CmdResult<Automation> {
    let (store, ws) = active_scope(&session).await?;
    automations::save(store.pool(), ws, id, &input)
        .await
        .map_err(err)
}

/// The token for `POST http://127.0.0.1:<port>/events` (`rotate`: a new one).
#[tauri::command]
#[specta::specta]
pub async fn automation_event_token(
    session: State<'_, Session>,
    rotate: bool,
) -> CmdResult<String> {
    let (store, ws) = active_scope(&session).await?;
    automations::event_token(store.pool(), ws, rotate)
        .await
        .map_err(err)
}

/// A CRM event from the page (the JSON the CRM would send), run as one.
#[tauri::command]
#[specta::specta]
pub async fn emit_automation_event(
    session: State<'_, Session>,
    worker: State<'_, Arc<Worker>>,
    json: String,
) -> CmdResult<Emitted> {
    let (store, ws) = active_scope(&session).await?;
    let e = automations::emit(store.pool(), ws, &json, Source::Window, chrono::Utc::now())
        .await
        .map_err(err)?;
    worker.wake();
    Ok(e)
}
