//! "Google ile bağlan" / "Microsoft ile bağlan": a sign-in in two steps, so the window
//! can show the sign-in address (in case no browser opened) while it waits —
//! `begin_connect` opens the browser and answers the address, `finish_connect` waits
//! for the browser's return (5 minutes) and answers the account. A second
//! `begin_connect` cancels the first; so does `cancel_connect`.

use tauri::State;
use tauri_plugin_opener::OpenerExt;
use ulak_api::oauth::{self as api, AccountChoice, Disconnected, Pending, Purpose};
use ulak_channels::email::accounts::Account;
use ulak_channels::oauth::{App, Provider};
use ulak_core::session::Session;
use ulak_core::settings;

use super::{active_scope, err, CmdResult};

/// The sign-in begun by `begin_connect` (or the calendar's), waiting for its finish.
#[derive(Default)]
pub struct Connecting(tokio::sync::Mutex<Option<Pending>>);

impl Connecting {
    /// Keeps `p` for its finish and opens the browser at its address (answered, for
    /// the window to show in case no browser appeared).
    pub async fn open(&self, app: &tauri::AppHandle, p: Pending) -> String {
        let url = p.authorize_url.clone();
        *self.0.lock().await = Some(p);
        // The error names the address, whose `state` does not belong in a log.
        if app.opener().open_url(&url, None::<&str>).is_err() {
            tracing::warn!(
                "no browser could be opened for the sign-in; the window shows the address"
            );
        }
        url
    }

    /// The sign-in waiting for `purpose`'s finish; `oauth.cancelled` when there is none
    /// (cancelled, or replaced by another).
    pub async fn take(&self, purpose: Purpose) -> CmdResult<Pending> {
        let mut guard = self.0.lock().await;
        match guard.take() {
            Some(p) if p.purpose == purpose => Ok(p),
            other => {
                *guard = other;
                Err(err(ulak_channels::oauth::OAuthError::Cancelled))
            }
        }
    }
}

/// Begins a sign-in and opens the system browser at the provider; answers the
/// address it opened (shown as a link in case no browser appeared).
#[tauri::command]
#[specta::specta]
pub async fn begin_connect(
    app: tauri::AppHandle,
    session: State<'_, Session>,
    connecting: State<'_, Connecting>,
    provider: Provider,
    login_hint: Option<String>,
) -> CmdResult<String> {
    let (store, ws) = active_scope(&session).await?;
    let pending = api::begin(store.pool(), ws, provider, login_hint.as_deref())
        .await
        .map_err(err)?;
    Ok(connecting.open(&app, pending).await)
}

/// Waits for the browser's return to the sign-in `begin_connect` began, then saves
/// the account (named `sender_name`).
#[tauri::command]
#[specta::specta]
pub async fn finish_connect(
    session: State<'_, Session>,
    connecting: State<'_, Connecting>,
    sender_name: String,
) -> CmdResult<Account> {
    let (store, ws) = active_scope(&session).await?;
    let pending = connecting.take(Purpose::Mail).await?;
    let lang = settings::language(store.pool())
        .await
        .unwrap_or(settings::Language::Tr);
    let choice = AccountChoice {
        sender_name,
        server: None,
    };
    api::finish(store.pool(), ws, pending, lang, &choice)
        .await
        .map_err(err)
}

/// The Cancel button: ends the sign-in under way (its `finish_connect` answers
/// `oauth.cancelled`). False when none was running.
#[tauri::command]
#[specta::specta]
pub async fn cancel_connect(connecting: State<'_, Connecting>) -> CmdResult<bool> {
    connecting.0.lock().await.take();
    Ok(api::cancel())
}

/// Revokes an OAuth account's grant where the provider can and removes the account.
#[tauri::command]
#[specta::specta]
pub async fn disconnect_account(session: State<'_, Session>, id: i64) -> CmdResult<Disconnected> {
    let (store, ws) = active_scope(&session).await?;
    api::disconnect(store.pool(), ws, id).await.map_err(err)
}

/// The OAuth apps as configured: whether each provider has a client ID (the buttons
/// say so when not).
#[tauri::command]
#[specta::specta]
pub async fn oauth_apps(session: State<'_, Session>) -> CmdResult<Vec<App>> {
    let store = session.store().await.map_err(err)?;
    api::apps(store.pool()).await.map_err(err)
}

/// A Google sign-in for `purpose` begun (the calendar's, Sheets', Contacts', Drive's
/// commands): the browser opened; answers the address.
pub(crate) async fn begin_google(
    app: &tauri::AppHandle,
    session: &Session,
    connecting: &Connecting,
    purpose: Purpose,
    login_hint: Option<&str>,
) -> CmdResult<String> {
    begin_grant(
        app,
        session,
        connecting,
        Provider::Google,
        purpose,
        login_hint,
    )
    .await
}

/// Begins a sign-in with `provider` for `purpose` and opens the browser; answers the
/// address.
pub(crate) async fn begin_grant(
    app: &tauri::AppHandle,
    session: &Session,
    connecting: &Connecting,
    provider: Provider,
    purpose: Purpose,
    login_hint: Option<&str>,
) -> CmdResult<String> {
    let (store, ws) = active_scope(session).await?;
    let pending = api::begin_for(store.pool(), ws, provider, purpose, login_hint)
        .await
        .map_err(err)?;
    Ok(connecting.open(app, pending).await)
}

/// Waits for the browser's return to the sign-in for `purpose` (Google's or Microsoft's).
pub(crate) async fn finish_grant(
    session: &Session,
    connecting: &Connecting,
    purpose: Purpose,
) -> CmdResult<ulak_channels::oauth::Connection> {
    let (store, ws) = active_scope(session).await?;
    let pending = connecting.take(purpose).await?;
    let lang = settings::language(store.pool())
        .await
        .unwrap_or(settings::Language::Tr);
    api::sign_in(
        store.pool(),
        ws,
        pending,
        lang,
        ulak_channels::oauth::flow::LIMIT,
    )
    .await
    .map_err(err)
}

/// "Bağlantıyı kaldır" on a card with a sign-in of its own (the calendar's, Sheets',
/// Contacts', Drive's, Teams'): revokes it, deletes its tokens, and removes a sending
/// account that signed in with it.
#[tauri::command]
#[specta::specta]
pub async fn disconnect_grant(
    session: State<'_, Session>,
    connection_id: i64,
) -> CmdResult<api::GrantRemoved> {
    let (store, ws) = active_scope(&session).await?;
    api::disconnect_grant(store.pool(), ws, connection_id)
        .await
        .map_err(err)
}

/// "Bağlantıyı Test Et" on a card with a sign-in of its own: a fresh token is asked for
/// (nothing else is called); a withdrawn grant turns the card to "Hata".
#[tauri::command]
#[specta::specta]
pub async fn test_grant(session: State<'_, Session>, connection_id: i64) -> CmdResult<()> {
    let (store, ws) = active_scope(&session).await?;
    api::test_grant(store.pool(), ws, connection_id)
        .await
        .map_err(err)
}
