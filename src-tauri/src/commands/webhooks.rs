//! Bildirimler → Webhook'lar: endpoints that hear of sent and failed messages, signed
//! per Standard Webhooks. The secret crosses the bridge once, when made.

use std::sync::Arc;

use tauri::State;
use ulak_api::webhooks::{self, Added, Delivery};
use ulak_channels::webhook::{Endpoint, EndpointInput};
use ulak_core::session::Session;

use super::{active_scope, err, CmdResult};
use crate::worker::Worker;

#[tauri::command]
#[specta::specta]
pub async fn list_webhooks(session: State<'_, Session>) -> CmdResult<Vec<Endpoint>> {
    let (store, ws) = active_scope(&session).await?;
    webhooks::list(store.pool(), ws).await.map_err(err)
}

/// The new endpoint and its signing secret, which is not shown again.
#[tauri::command]
#[specta::specta]
pub async fn add_webhook(session: State<'_, Session>, input: EndpointInput) -> CmdResult<Added> {
    let (store, ws) = active_scope(&session).await?;
    webhooks::add(store.pool(), ws, &input).await.map_err(err)
}

#[tauri::command]
#[specta::specta]
pub async fn remove_webhook(session: State<'_, Session>, id: i64) -> CmdResult<()> {
    let (store, ws) = active_scope(&session).await?;
    webhooks::remove(store.pool(), ws, id).await.map_err(err)
}

/// A new signing secret, shown once; the old one still signs for 24 hours.
#[tauri::command]
#[specta::specta]
pub async fn rotate_webhook_secret(session: State<'_, Session>, id: i64) -> CmdResult<String> {
    let (store, ws) = active_scope(&session).await?;
    webhooks::rotate_secret(store.pool(), ws, id)
        .await
        .map_err(err)
}

/// "Test olayı gönder": queued, then sent by the worker at once.
#[tauri::command]
#[specta::specta]
pub async fn send_webhook_test(
    session: State<'_, Session>,
    worker: State<'_, Arc<Worker>>,
    id: i64,
) -> CmdResult<i64> {
    let (store, ws) = active_scope(&session).await?;
    let m = webhooks::send_test(store.pool(), ws, id)
        .await
        .map_err(err)?;
    worker.wake();
    Ok(m)
}

/// The endpoint's latest deliveries, newest first.
#[tauri::command]
#[specta::specta]
pub async fn webhook_deliveries(session: State<'_, Session>, id: i64) -> CmdResult<Vec<Delivery>> {
    let (store, ws) = active_scope(&session).await?;
    webhooks::deliveries(store.pool(), ws, id, 20)
        .await
        .map_err(err)
}
