//! Kampanyalar: campaigns over several sending accounts, their progress, and the
//! outbox's forward view (what each account sends today and on the following days).

use std::sync::Arc;

use tauri::State;
use ulak_api::campaigns::{self, CampaignInput, Created};
use ulak_core::session::Session;
use ulak_outbox::campaigns::{Action, Progress};
use ulak_outbox::forecast::{self, Forecast};

use super::{active_scope, err, CmdResult};
use crate::worker::Worker;

#[tauri::command]
#[specta::specta]
pub async fn list_campaigns(session: State<'_, Session>) -> CmdResult<Vec<Progress>> {
    let (store, ws) = active_scope(&session).await?;
    campaigns::list(store.pool(), ws).await.map_err(err)
}

/// Makes the campaign and queues its messages (a draft until it is run).
#[tauri::command]
#[specta::specta]
pub async fn create_campaign(
    session: State<'_, Session>,
    input: CampaignInput,
) -> CmdResult<Created> {
    let (store, ws) = active_scope(&session).await?;
    campaigns::create(store.pool(), ws, &input, chrono::Utc::now())
        .await
        .map_err(err)
}

/// Run, pause, resume or cancel a campaign (by id).
#[tauri::command]
#[specta::specta]
pub async fn campaign_action(
    session: State<'_, Session>,
    worker: State<'_, Arc<Worker>>,
    id: i64,
    action: Action,
) -> CmdResult<Progress> {
    let (store, ws) = active_scope(&session).await?;
    let p = campaigns::act(store.pool(), ws, &id.to_string(), action)
        .await
        .map_err(err)?;
    // Run or resumed: its messages are due now, not at the worker's next look.
    worker.wake();
    Ok(p)
}

#[tauri::command]
#[specta::specta]
pub async fn campaign_progress(session: State<'_, Session>, id: i64) -> CmdResult<Progress> {
    let (store, ws) = active_scope(&session).await?;
    campaigns::status(store.pool(), ws, &id.to_string())
        .await
        .map_err(err)
}

/// How many queued messages each account sends today and on each following day.
#[tauri::command]
#[specta::specta]
pub async fn outbox_forecast(session: State<'_, Session>) -> CmdResult<Forecast> {
    let (store, ws) = active_scope(&session).await?;
    forecast::forecast(store.pool(), ws, chrono::Utc::now())
        .await
        .map_err(err)
}
