//! Engelleme Listesi: the suppression list every send reads.

use tauri::State;
use ulak_api::suppression::{
    self, Added, Entry, Imported, Reason, UnsubscribeReport, UnsubscribeSettings,
};
use ulak_core::session::Session;

use super::{active_scope, err, CmdResult};

#[tauri::command]
#[specta::specta]
pub async fn list_suppressions(session: State<'_, Session>) -> CmdResult<Vec<Entry>> {
    let (store, ws) = active_scope(&session).await?;
    suppression::list(store.pool(), ws).await.map_err(err)
}

/// Lists an address or number; `requested_at` (RFC 3339) when the recipient refused,
/// if earlier than now.
#[tauri::command]
#[specta::specta]
pub async fn add_suppression(
    session: State<'_, Session>,
    value: String,
    reason: Reason,
    note: String,
    requested_at: Option<String>,
) -> CmdResult<Added> {
    let (store, ws) = active_scope(&session).await?;
    suppression::add(
        store.pool(),
        ws,
        &value,
        reason,
        &note,
        requested_at.as_deref(),
    )
    .await
    .map_err(err)
}

#[tauri::command]
#[specta::specta]
pub async fn remove_suppression(session: State<'_, Session>, value: String) -> CmdResult<()> {
    let (store, ws) = active_scope(&session).await?;
    suppression::remove(store.pool(), ws, &value)
        .await
        .map_err(err)
}

/// Reads a CSV (its text, as the file picker read it) onto the list.
#[tauri::command]
#[specta::specta]
pub async fn import_suppressions(session: State<'_, Session>, csv: String) -> CmdResult<Imported> {
    let (store, ws) = active_scope(&session).await?;
    suppression::import(store.pool(), ws, csv.as_bytes())
        .await
        .map_err(err)
}

/// The list as CSV text, for the window to save.
#[tauri::command]
#[specta::specta]
pub async fn export_suppressions(session: State<'_, Session>) -> CmdResult<String> {
    let (store, ws) = active_scope(&session).await?;
    suppression::export(store.pool(), ws).await.map_err(err)
}

/// Records the unsubscribe requests in a pasted text (an unsubscribe mail, its subject,
/// the address the recipient opened, or a list of them).
#[tauri::command]
#[specta::specta]
pub async fn record_unsubscribes(
    session: State<'_, Session>,
    text: String,
) -> CmdResult<UnsubscribeReport> {
    let (store, ws) = active_scope(&session).await?;
    suppression::record_unsubscribes(store.pool(), ws, &text)
        .await
        .map_err(err)
}

#[tauri::command]
#[specta::specta]
pub async fn get_unsubscribe_settings(
    session: State<'_, Session>,
) -> CmdResult<UnsubscribeSettings> {
    let (store, ws) = active_scope(&session).await?;
    suppression::unsubscribe_settings(store.pool(), ws)
        .await
        .map_err(err)
}

#[tauri::command]
#[specta::specta]
pub async fn save_unsubscribe_settings(
    session: State<'_, Session>,
    settings: UnsubscribeSettings,
) -> CmdResult<UnsubscribeSettings> {
    let (store, ws) = active_scope(&session).await?;
    suppression::save_unsubscribe_settings(store.pool(), ws, &settings)
        .await
        .map_err(err)
}
