//! E-posta Oluştur, Gönderim Geçmişi and Bildirimler: templates, preview and send, the
//! history, pausing, and the notification settings.

use std::sync::Arc;

use serde::Serialize;
use tauri::{AppHandle, State};
use ulak_api::compose::{self, ComposeInput, Preview};
use ulak_api::history::Detail;
use ulak_api::outbox::{self, SendingState};
use ulak_channels::email::mime::ATTACHMENTS_MAX_BYTES;
use ulak_core::session::Session;
use ulak_outbox::history::{self, DailyCount, Entry, Filter};
use ulak_outbox::notice::{self, NoticeSettings};
use ulak_outbox::template::{self, Template, TemplateInput, VARIABLES};
use ulak_outbox::MessageState;

use super::{active_scope, err, CmdResult};
use crate::worker::Worker;

/// What the composer needs to know before anything is typed.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ComposerInfo {
    pub attachments_max_bytes: u32,
    /// The variables templates may use, e.g. `company.name`.
    pub variables: Vec<String>,
}

#[tauri::command]
#[specta::specta]
pub fn composer_info() -> ComposerInfo {
    ComposerInfo {
        attachments_max_bytes: ATTACHMENTS_MAX_BYTES as u32,
        variables: VARIABLES.iter().map(|v| v.to_string()).collect(),
    }
}

#[tauri::command]
#[specta::specta]
pub async fn list_templates(session: State<'_, Session>) -> CmdResult<Vec<Template>> {
    let (store, ws) = active_scope(&session).await?;
    template::list(store.pool(), ws).await.map_err(err)
}

#[tauri::command]
#[specta::specta]
pub async fn create_template(
    session: State<'_, Session>,
    input: TemplateInput,
) -> CmdResult<Template> {
    let (store, ws) = active_scope(&session).await?;
    template::create(store.pool(), ws, &input)
        .await
        .map_err(err)
}

#[tauri::command]
#[specta::specta]
pub async fn update_template(
    session: State<'_, Session>,
    id: i64,
    input: TemplateInput,
) -> CmdResult<Template> {
    let (store, ws) = active_scope(&session).await?;
    template::update(store.pool(), ws, id, &input)
        .await
        .map_err(err)
}

#[tauri::command]
#[specta::specta]
pub async fn delete_template(session: State<'_, Session>, id: i64) -> CmdResult<()> {
    let (store, ws) = active_scope(&session).await?;
    template::delete(store.pool(), ws, id).await.map_err(err)
}

/// The message(s) as they would be sent, variables filled in; nothing is queued.
#[tauri::command]
#[specta::specta]
pub async fn preview_message(
    session: State<'_, Session>,
    input: ComposeInput,
) -> CmdResult<Preview> {
    let (store, ws) = active_scope(&session).await?;
    compose::preview(store.pool(), ws, &input)
        .await
        .map_err(err)
}

/// Queues the message(s) (stored before any network call) and returns at once with
/// their ids; the worker sends them.
#[tauri::command]
#[specta::specta]
pub async fn send_message(
    session: State<'_, Session>,
    worker: State<'_, Arc<Worker>>,
    input: ComposeInput,
) -> CmdResult<Vec<i64>> {
    let (store, ws) = active_scope(&session).await?;
    let ids = compose::send(store.pool(), ws, &input, chrono::Utc::now())
        .await
        .map_err(err)?;
    worker.wake();
    Ok(ids)
}

#[tauri::command]
#[specta::specta]
pub async fn list_history(session: State<'_, Session>, filter: Filter) -> CmdResult<Vec<Entry>> {
    let (store, ws) = active_scope(&session).await?;
    history::list(store.pool(), ws, &filter).await.map_err(err)
}

#[tauri::command]
#[specta::specta]
pub async fn get_message(session: State<'_, Session>, id: i64) -> CmdResult<Detail> {
    let (store, ws) = active_scope(&session).await?;
    ulak_api::history::detail(store.pool(), ws, id)
        .await
        .map_err(err)
}

#[tauri::command]
#[specta::specta]
pub async fn retry_message(
    session: State<'_, Session>,
    worker: State<'_, Arc<Worker>>,
    id: i64,
) -> CmdResult<Entry> {
    let (store, ws) = active_scope(&session).await?;
    let e = history::retry(store.pool(), ws, id).await.map_err(err)?;
    worker.wake();
    Ok(e)
}

/// Takes a queued or waiting message out of the queue (history "İptal et").
#[tauri::command]
#[specta::specta]
pub async fn cancel_message(session: State<'_, Session>, id: i64) -> CmdResult<Entry> {
    let (store, ws) = active_scope(&session).await?;
    history::cancel(store.pool(), ws, id).await.map_err(err)
}

/// Deletes a message that is not going out (history "Sil").
#[tauri::command]
#[specta::specta]
pub async fn delete_message(session: State<'_, Session>, id: i64) -> CmdResult<()> {
    let (store, ws) = active_scope(&session).await?;
    history::delete(store.pool(), ws, id).await.map_err(err)
}

#[tauri::command]
#[specta::specta]
pub async fn daily_counts(session: State<'_, Session>, days: u32) -> CmdResult<Vec<DailyCount>> {
    let (store, ws) = active_scope(&session).await?;
    history::daily(store.pool(), ws, i64::from(days))
        .await
        .map_err(err)
}

#[tauri::command]
#[specta::specta]
pub async fn get_sending_state(session: State<'_, Session>) -> CmdResult<SendingState> {
    let store = session.store().await.map_err(err)?;
    outbox::sending_state(store.pool()).await.map_err(err)
}

/// Pausing stops new attempts (app, tray and CLI alike); nothing queued is lost.
#[tauri::command]
#[specta::specta]
pub async fn set_sending_paused(
    app: AppHandle,
    session: State<'_, Session>,
    paused: bool,
) -> CmdResult<SendingState> {
    let store = session.store().await.map_err(err)?;
    crate::worker::set_paused(&app, store.pool(), paused)
        .await
        .map_err(err)
}

/// The states of messages the window follows (read once; `OutboxChanged` tells the rest).
#[tauri::command]
#[specta::specta]
pub async fn message_states(
    session: State<'_, Session>,
    ids: Vec<i64>,
) -> CmdResult<Vec<MessageState>> {
    let (store, ws) = active_scope(&session).await?;
    history::states(store.pool(), ws, &ids).await.map_err(err)
}

#[tauri::command]
#[specta::specta]
pub async fn get_notice_settings(session: State<'_, Session>) -> CmdResult<NoticeSettings> {
    let store = session.store().await.map_err(err)?;
    notice::get_settings(store.pool()).await.map_err(err)
}

#[tauri::command]
#[specta::specta]
pub async fn save_notice_settings(
    session: State<'_, Session>,
    settings: NoticeSettings,
) -> CmdResult<NoticeSettings> {
    let store = session.store().await.map_err(err)?;
    notice::save_settings(store.pool(), &settings)
        .await
        .map_err(err)
}
