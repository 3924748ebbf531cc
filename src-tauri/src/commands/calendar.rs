//! "Takvime Ekle": Google Calendar events from a company or contact, the calendar's
//! own sign-in (the same two steps as an account's), the coming events, deleting one;
//! and Microsoft Teams' sign-in for the events' Teams meetings.

use tauri::State;
use ulak_api::calendar;
use ulak_api::oauth::Purpose;
use ulak_channels::calendar::{Event, EventInput};
use ulak_channels::oauth::Connection;
use ulak_core::session::Session;

use super::oauth::Connecting;
use super::{active_scope, err, CmdResult};

/// The Google account the calendar uses; null when none is connected for it.
#[tauri::command]
#[specta::specta]
pub async fn calendar_status(session: State<'_, Session>) -> CmdResult<Option<Connection>> {
    let (store, ws) = active_scope(&session).await?;
    calendar::status(store.pool(), ws).await.map_err(err)
}

/// Begins the calendar's Google sign-in and opens the browser; answers the address.
#[tauri::command]
#[specta::specta]
pub async fn begin_calendar_connect(
    app: tauri::AppHandle,
    session: State<'_, Session>,
    connecting: State<'_, Connecting>,
    login_hint: Option<String>,
) -> CmdResult<String> {
    super::oauth::begin_google(
        &app,
        &session,
        &connecting,
        Purpose::Calendar,
        login_hint.as_deref(),
    )
    .await
}

/// Waits for the browser's return to the calendar's sign-in.
#[tauri::command]
#[specta::specta]
pub async fn finish_calendar_connect(
    session: State<'_, Session>,
    connecting: State<'_, Connecting>,
) -> CmdResult<Connection> {
    super::oauth::finish_grant(&session, &connecting, Purpose::Calendar).await
}

/// The event "Takvime Ekle" proposes for a company (and one of its contacts).
#[tauri::command]
#[specta::specta]
pub async fn calendar_prefill(
    session: State<'_, Session>,
    company_id: i64,
    contact_id: Option<i64>,
) -> CmdResult<EventInput> {
    let (store, ws) = active_scope(&session).await?;
    calendar::prefill(store.pool(), ws, company_id, contact_id)
        .await
        .map_err(err)
}

/// Creates the event (attendees invited); answers it with its links.
#[tauri::command]
#[specta::specta]
pub async fn add_calendar_event(
    session: State<'_, Session>,
    input: EventInput,
) -> CmdResult<Event> {
    let (store, ws) = active_scope(&session).await?;
    calendar::add(store.pool(), ws, &input).await.map_err(err)
}

/// The events of the coming `days` days.
#[tauri::command]
#[specta::specta]
pub async fn upcoming_events(session: State<'_, Session>, days: u32) -> CmdResult<Vec<Event>> {
    let (store, ws) = active_scope(&session).await?;
    calendar::upcoming(store.pool(), ws, days)
        .await
        .map_err(err)
}

#[tauri::command]
#[specta::specta]
pub async fn delete_calendar_event(session: State<'_, Session>, id: String) -> CmdResult<()> {
    let (store, ws) = active_scope(&session).await?;
    calendar::delete(store.pool(), ws, &id).await.map_err(err)
}

/// The Microsoft account Teams meetings are made with; null when none is connected.
#[tauri::command]
#[specta::specta]
pub async fn teams_status(session: State<'_, Session>) -> CmdResult<Option<Connection>> {
    let (store, ws) = active_scope(&session).await?;
    calendar::teams_connection(store.pool(), ws)
        .await
        .map_err(err)
}

/// Begins the Microsoft sign-in for Teams meetings and opens the browser; answers the
/// address.
#[tauri::command]
#[specta::specta]
pub async fn begin_teams_connect(
    app: tauri::AppHandle,
    session: State<'_, Session>,
    connecting: State<'_, Connecting>,
    login_hint: Option<String>,
) -> CmdResult<String> {
    super::oauth::begin_grant(
        &app,
        &session,
        &connecting,
        ulak_channels::oauth::Provider::Microsoft,
        Purpose::Teams,
        login_hint.as_deref(),
    )
    .await
}

/// Waits for the browser's return to the Teams sign-in.
#[tauri::command]
#[specta::specta]
pub async fn finish_teams_connect(
    session: State<'_, Session>,
    connecting: State<'_, Connecting>,
) -> CmdResult<Connection> {
    super::oauth::finish_grant(&session, &connecting, Purpose::Teams).await
}
