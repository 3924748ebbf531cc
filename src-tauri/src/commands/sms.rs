//! SMS Gönder: queue a text (stored before any network call); the worker sends it.

use std::sync::Arc;

use tauri::State;
use ulak_api::sms::{self, SmsBulkInput, SmsInput};
use ulak_core::session::Session;

use super::{active_scope, err, CmdResult};
use crate::worker::Worker;

#[tauri::command]
#[specta::specta]
pub async fn send_sms(
    session: State<'_, Session>,
    worker: State<'_, Arc<Worker>>,
    input: SmsInput,
    // The provider set up under Entegrasyonlar (`twilio`, …); null: the test box.
    provider: Option<String>,
) -> CmdResult<i64> {
    let (store, ws) = active_scope(&session).await?;
    let id = sms::send_with(
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

/// One text to several numbers, queued together (all or nothing); the answer is the
/// messages' ids, which the window follows for the progress bar.
#[tauri::command]
#[specta::specta]
pub async fn send_sms_bulk(
    session: State<'_, Session>,
    worker: State<'_, Arc<Worker>>,
    input: SmsBulkInput,
    // The provider set up under Entegrasyonlar (`twilio`, …); null: the test box.
    provider: Option<String>,
) -> CmdResult<Vec<i64>> {
    let (store, ws) = active_scope(&session).await?;
    let ids = sms::send_many(
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

/// Before a commercial SMS: what its text lacks (trade name, contact, RET to 3338, a
/// marker at its start) and how many recipients are individuals the provider cannot
/// check İYS consent for.
#[tauri::command]
#[specta::specta]
pub async fn sms_iys_check(
    session: State<'_, Session>,
    provider: Option<String>,
    company_id: Option<i64>,
    to: Vec<String>,
    text: String,
) -> CmdResult<sms::IysCheck> {
    let (store, ws) = active_scope(&session).await?;
    sms::iys_check(
        store.pool(),
        ws,
        provider.as_deref(),
        company_id,
        &to,
        &text,
    )
    .await
    .map_err(err)
}
