//! Google Contacts: its own Google sign-in (as the calendar's), a company's candidates
//! and their import with progress.

use tauri::ipc::Channel;
use tauri::State;
use ulak_api::google_contacts::{self as contacts, Candidate};
use ulak_api::oauth::Purpose;
use ulak_channels::oauth::Connection;
use ulak_channels::people::Person;
use ulak_core::session::Session;
use ulak_crm::import::MergeReport;

use super::oauth::Connecting;
use super::{active_scope, err, CmdResult};

/// The Google account contacts are read from; null when none is connected for it.
#[tauri::command]
#[specta::specta]
pub async fn google_contacts_status(session: State<'_, Session>) -> CmdResult<Option<Connection>> {
    let (store, ws) = active_scope(&session).await?;
    contacts::status(store.pool(), ws).await.map_err(err)
}

/// Begins Google Contacts' sign-in and opens the browser; answers the address.
#[tauri::command]
#[specta::specta]
pub async fn begin_google_contacts_connect(
    app: tauri::AppHandle,
    session: State<'_, Session>,
    connecting: State<'_, Connecting>,
    login_hint: Option<String>,
) -> CmdResult<String> {
    super::oauth::begin_google(
        &app,
        &session,
        &connecting,
        Purpose::Contacts,
        login_hint.as_deref(),
    )
    .await
}

/// Waits for the browser's return to Google Contacts' sign-in.
#[tauri::command]
#[specta::specta]
pub async fn finish_google_contacts_connect(
    session: State<'_, Session>,
    connecting: State<'_, Connecting>,
) -> CmdResult<Connection> {
    super::oauth::finish_grant(&session, &connecting, Purpose::Contacts).await
}

/// The Google contacts for a company, the suggested first; `progress` receives how
/// many were read as pages come.
#[tauri::command]
#[specta::specta]
pub async fn google_contacts_candidates(
    session: State<'_, Session>,
    company_id: i64,
    progress: Channel<u32>,
) -> CmdResult<Vec<Candidate>> {
    let (store, ws) = active_scope(&session).await?;
    contacts::candidates(store.pool(), ws, company_id, |n| {
        let _ = progress.send(n as u32);
    })
    .await
    .map_err(err)
}

/// Merges the chosen Google contacts into the company; `progress` receives
/// `[done, total]`.
#[tauri::command]
#[specta::specta]
pub async fn import_google_contacts(
    session: State<'_, Session>,
    company_id: i64,
    people: Vec<Person>,
    progress: Channel<(u32, u32)>,
) -> CmdResult<MergeReport> {
    let (store, ws) = active_scope(&session).await?;
    contacts::import(store.pool(), ws, company_id, &people, |done, total| {
        let _ = progress.send((done as u32, total as u32));
    })
    .await
    .map_err(err)
}
