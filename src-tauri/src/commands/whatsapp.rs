//! WhatsApp Gönder: queue a text or an approved template (stored before any network
//! call); the worker sends it.

use std::sync::Arc;

use tauri::State;
use ulak_api::whatsapp::{self, WhatsappBulkInput, WhatsappInput};
use ulak_core::session::Session;

use super::{active_scope, err, CmdResult};
use crate::worker::Worker;

#[tauri::command]
#[specta::specta]
pub async fn send_whatsapp(
    session: State<'_, Session>,
    worker: State<'_, Arc<Worker>>,
    input: WhatsappInput,
    // The provider set up under Entegrasyonlar (`meta`, `twilio`); null: the test box.
    provider: Option<String>,
) -> CmdResult<i64> {
    let (store, ws) = active_scope(&session).await?;
    let id = whatsapp::send(
        store.pool(),
        ws,
        provider.as_deref(),
        &input,
        chrono::Utc::now(),
    )
    .await
    .map_err(err)?;
    worker.wake();
    Ok(id)
}

/// One WhatsApp text or template to several numbers, queued together (all or nothing);
/// the answer is the messages' ids, which the window follows for the progress bar.
#[tauri::command]
#[specta::specta]
pub async fn send_whatsapp_bulk(
    session: State<'_, Session>,
    worker: State<'_, Arc<Worker>>,
    input: WhatsappBulkInput,
    // The provider set up under Entegrasyonlar (`meta`, `twilio`); null: the test box.
    provider: Option<String>,
) -> CmdResult<Vec<i64>> {
    let (store, ws) = active_scope(&session).await?;
    let ids = whatsapp::send_many(
        store.pool(),
        ws,
        provider.as_deref(),
        &input,
        chrono::Utc::now(),
    )
    .await
    .map_err(err)?;
    worker.wake();
    Ok(ids)
}
