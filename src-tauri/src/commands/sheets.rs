//! Google Sheets: its own Google sign-in (the same two steps as the calendar's), its
//! test, and reports exported into a new or a chosen spreadsheet.

use tauri::State;
use ulak_api::oauth::Purpose;
use ulak_api::sheets::{self, Exported, Target};
use ulak_channels::oauth::Connection;
use ulak_channels::sheets::Spreadsheet;
use ulak_core::session::Session;
use ulak_outbox::history::Filter;

use super::oauth::Connecting;
use super::{active_scope, err, CmdResult};

/// The Google account that writes spreadsheets; null when none is connected for it.
#[tauri::command]
#[specta::specta]
pub async fn sheets_status(session: State<'_, Session>) -> CmdResult<Option<Connection>> {
    let (store, ws) = active_scope(&session).await?;
    sheets::status(store.pool(), ws).await.map_err(err)
}

/// Begins Google Sheets' sign-in and opens the browser; answers the address.
#[tauri::command]
#[specta::specta]
pub async fn begin_sheets_connect(
    app: tauri::AppHandle,
    session: State<'_, Session>,
    connecting: State<'_, Connecting>,
    login_hint: Option<String>,
) -> CmdResult<String> {
    super::oauth::begin_google(
        &app,
        &session,
        &connecting,
        Purpose::Sheets,
        login_hint.as_deref(),
    )
    .await
}

/// Waits for the browser's return to Google Sheets' sign-in.
#[tauri::command]
#[specta::specta]
pub async fn finish_sheets_connect(
    session: State<'_, Session>,
    connecting: State<'_, Connecting>,
) -> CmdResult<Connection> {
    super::oauth::finish_grant(&session, &connecting, Purpose::Sheets).await
}

/// The test: a fresh token and, when named, the spreadsheet opened (nothing written).
#[tauri::command]
#[specta::specta]
pub async fn test_sheets(
    session: State<'_, Session>,
    spreadsheet: Option<String>,
) -> CmdResult<Option<Spreadsheet>> {
    let (store, ws) = active_scope(&session).await?;
    sheets::check(store.pool(), ws, spreadsheet.as_deref())
        .await
        .map_err(err)
}

/// The send history (as the filter lists it) into a new or a chosen spreadsheet.
#[tauri::command]
#[specta::specta]
pub async fn export_history_to_sheets(
    session: State<'_, Session>,
    filter: Filter,
    target: Target,
) -> CmdResult<Exported> {
    let (store, ws) = active_scope(&session).await?;
    sheets::export_history(store.pool(), ws, &filter, &target)
        .await
        .map_err(err)
}

/// A campaign's messages and how each went, into a new or a chosen spreadsheet.
#[tauri::command]
#[specta::specta]
pub async fn export_campaign_to_sheets(
    session: State<'_, Session>,
    campaign_id: i64,
    target: Target,
) -> CmdResult<Exported> {
    let (store, ws) = active_scope(&session).await?;
    sheets::export_campaign(store.pool(), ws, campaign_id, &target)
        .await
        .map_err(err)
}
