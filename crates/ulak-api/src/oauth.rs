//! "Google ile bağlan" / "Microsoft ile bağlan" in E-posta Ayarları, and
//! `ulak accounts connect`: one OAuth sign-in at a time in a process (a second one
//! cancels the first), its deep link routed to it by `state`, and what a finished
//! sign-in becomes — a saved connection and the sending account that uses it.
//! Disconnecting revokes the grant where the provider can and removes the account.

use std::sync::Mutex;
use std::time::Duration;

use serde::Serialize;
use sqlx::SqlitePool;
use ulak_channels::email::accounts::{self, Account, AccountError};
use ulak_channels::email::server::ServerParams;
use ulak_channels::oauth::connections::{self, Revocation};
use ulak_channels::oauth::{self, Cancel, Flow, OAuthError, Provider};
use ulak_core::settings::Language;
use ulak_core::{ErrorCode, UserFacing};

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error(transparent)]
    OAuth(#[from] OAuthError),
    #[error(transparent)]
    Account(#[from] AccountError),
}

impl UserFacing for ConnectError {
    fn code(&self) -> ErrorCode {
        match self {
            ConnectError::OAuth(e) => e.code(),
            ConnectError::Account(e) => e.code(),
        }
    }
    fn hint(&self) -> Option<String> {
        match self {
            ConnectError::OAuth(e) => e.hint(),
            ConnectError::Account(e) => e.hint(),
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            ConnectError::OAuth(e) => e.field(),
            ConnectError::Account(e) => e.field(),
        }
    }
    fn detail(&self) -> Option<String> {
        match self {
            ConnectError::OAuth(e) => e.detail(),
            ConnectError::Account(e) => e.detail(),
        }
    }
}

/// The flow running in this process, if any: how to cancel it, and where its deep
/// link goes.
struct Running {
    cancel: Cancel,
    state: String,
    deep_link: Option<tokio::sync::mpsc::UnboundedSender<String>>,
}

fn running() -> &'static Mutex<Option<Running>> {
    static R: std::sync::OnceLock<Mutex<Option<Running>>> = std::sync::OnceLock::new();
    R.get_or_init(|| Mutex::new(None))
}

/// What a sign-in is for: a sending account, the calendar ("Takvime Ekle"), Google
/// Sheets, Google Contacts, Google Drive, or Microsoft Teams meetings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Serialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum Purpose {
    Mail,
    Calendar,
    Sheets,
    Contacts,
    Drive,
    Teams,
}

/// A sign-in begun: open `authorize_url` in the browser, then `finish` it.
pub struct Pending {
    pub authorize_url: String,
    pub provider: Provider,
    pub purpose: Purpose,
    flow: Flow,
    cancel: Cancel,
}

/// Begins a sign-in to `provider` for sending mail (`login_hint`: the address the user
/// typed, if any). A sign-in still running in this process is cancelled.
pub async fn begin(
    pool: &SqlitePool,
    workspace_id: i64,
    provider: Provider,
    login_hint: Option<&str>,
) -> Result<Pending, ConnectError> {
    begin_for(pool, workspace_id, provider, Purpose::Mail, login_hint).await
}

/// Begins a sign-in for `purpose`. The scopes the same account granted before are
/// asked again with the new ones, so connecting the calendar keeps Gmail sending (and
/// the other way round).
pub async fn begin_for(
    pool: &SqlitePool,
    workspace_id: i64,
    provider: Provider,
    purpose: Purpose,
    login_hint: Option<&str>,
) -> Result<Pending, ConnectError> {
    let app = oauth::app(pool, provider).await?;
    let wanted = match purpose {
        Purpose::Mail => provider.mail_scopes(),
        Purpose::Calendar => provider.calendar_scopes(),
        Purpose::Sheets => provider.sheets_scopes(),
        Purpose::Contacts => provider.contacts_scopes(),
        Purpose::Drive => provider.drive_scopes(),
        Purpose::Teams => provider.teams_scopes(),
    };
    if wanted.is_empty() {
        return Err(OAuthError::Exchange(format!(
            "{} offers no {} in Ulak yet",
            provider.as_str(),
            match purpose {
                Purpose::Sheets => "spreadsheets",
                Purpose::Contacts => "contacts",
                Purpose::Drive => "Drive",
                Purpose::Teams => "Teams meetings",
                _ => "calendar",
            }
        ))
        .into());
    }
    let mut scopes: Vec<String> = wanted.iter().map(|s| s.to_string()).collect();
    // Only scopes of the same resource go in one request: Microsoft refuses a request
    // mixing Outlook's SMTP with Graph (each resource is a connection of its own).
    let resource = oauth::resource_of(wanted);
    if let Some(hint) = login_hint.map(str::trim).filter(|h| !h.is_empty()) {
        for c in connections::list(pool, workspace_id).await? {
            if c.provider == provider && c.address.eq_ignore_ascii_case(hint) {
                for s in c.scopes {
                    if oauth::scope_fits(&s, resource) && !scopes.contains(&s) {
                        scopes.push(s);
                    }
                }
            }
        }
    }
    let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
    let flow = Flow::begin(&app, &scopes, login_hint).await?;
    let cancel = Cancel::default();
    let before = running().lock().expect("oauth registry").replace(Running {
        cancel: cancel.clone(),
        state: flow.state().to_string(),
        deep_link: flow.deep_link_sender(),
    });
    if let Some(old) = before {
        tracing::info!("a new sign-in cancels the one still running");
        old.cancel.cancel();
    }
    Ok(Pending {
        authorize_url: flow.authorize_url.clone(),
        provider,
        purpose,
        flow,
        cancel,
    })
}

/// Cancels the sign-in running in this process (the Cancel button); false if none.
pub fn cancel() -> bool {
    match running().lock().expect("oauth registry").take() {
        Some(r) => {
            r.cancel.cancel();
            true
        }
        None => false,
    }
}

/// Hands a deep link (`ulak://oauth/callback?…`) to the sign-in it belongs to. One
/// with an unknown or already used `state` is ignored, with a log line; false then.
pub fn deliver_deep_link(url: &str) -> bool {
    let state = url
        .split_once('?')
        .map(|(_, q)| q)
        .into_iter()
        .flat_map(|q| url::form_urlencoded::parse(q.as_bytes()))
        .find(|(k, _)| k == "state")
        .map(|(_, v)| v.into_owned());
    let mut guard = running().lock().expect("oauth registry");
    let matches =
        matches!((&*guard, &state), (Some(r), Some(s)) if r.state == *s && r.deep_link.is_some());
    if !matches {
        tracing::warn!(
            "a deep link for a sign-in that is not running (unknown or used state) was ignored"
        );
        return false;
    }
    let r = guard.as_mut().expect("matched above");
    r.deep_link
        .take()
        .is_some_and(|tx| tx.send(url.to_string()).is_ok())
}

/// What the new account is called and, for tests or a tenant's own server, where it
/// sends by SMTP (Microsoft's submission server otherwise).
#[derive(Debug, Clone, Default)]
pub struct AccountChoice {
    pub sender_name: String,
    pub server: Option<ServerParams>,
}

/// Waits for the browser (5 minutes at most), then keeps the connection and makes (or
/// links) the account for its address.
pub async fn finish(
    pool: &SqlitePool,
    workspace_id: i64,
    pending: Pending,
    lang: Language,
    choice: &AccountChoice,
) -> Result<Account, ConnectError> {
    finish_within(
        pool,
        workspace_id,
        pending,
        lang,
        choice,
        ulak_channels::oauth::flow::LIMIT,
    )
    .await
}

/// `finish` with another time limit (tests).
pub async fn finish_within(
    pool: &SqlitePool,
    workspace_id: i64,
    pending: Pending,
    lang: Language,
    choice: &AccountChoice,
    limit: Duration,
) -> Result<Account, ConnectError> {
    let c = sign_in(pool, workspace_id, pending, lang, limit).await?;
    let name = if choice.sender_name.trim().is_empty() {
        accounts::by_email(pool, workspace_id, &c.address)
            .await?
            .map(|a| a.sender_name)
            .unwrap_or_default()
    } else {
        choice.sender_name.clone()
    };
    Ok(accounts::link_oauth(pool, workspace_id, &c, &name, choice.server.clone()).await?)
}

/// Waits for the browser and keeps the connection it grants (no account): what the
/// calendar's sign-in ends in, and the first half of `finish`.
pub async fn sign_in(
    pool: &SqlitePool,
    workspace_id: i64,
    pending: Pending,
    lang: Language,
    limit: Duration,
) -> Result<connections::Connection, ConnectError> {
    let Pending { flow, cancel, .. } = pending;
    let state = flow.state().to_string();
    let result = flow.finish(&cancel, limit, lang).await;
    {
        let mut guard = running().lock().expect("oauth registry");
        if guard.as_ref().is_some_and(|r| r.state == state) {
            *guard = None;
        }
    }
    let granted = result?;
    Ok(connections::save(pool, workspace_id, &granted).await?)
}

/// What disconnecting an account did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Disconnected {
    pub revocation: Revocation,
}

/// Revokes the account's grant where the provider can, deletes its tokens, and
/// removes the account (it has no other way to sign in).
pub async fn disconnect(
    pool: &SqlitePool,
    workspace_id: i64,
    account_id: i64,
) -> Result<Disconnected, ConnectError> {
    let a = accounts::get(pool, workspace_id, account_id).await?;
    let Some(o) = a.oauth else {
        // A password account has nothing to disconnect.
        return Err(OAuthError::NotFound(account_id).into());
    };
    let revocation = connections::disconnect(pool, workspace_id, o.connection_id).await?;
    accounts::remove(pool, workspace_id, account_id).await?;
    Ok(Disconnected { revocation })
}

/// "Bağlantıyı kaldır" on a card signed in with a grant of its own (Google Takvim,
/// E-Tablolar, Kişiler, Drive; Microsoft Teams): the grant is revoked where the provider
/// can and its tokens deleted. A sending account that signs in with the same connection
/// (a Gmail account whose sign-in also granted the calendar) is removed with it: it
/// could not send any more. Answers how many accounts went.
pub async fn disconnect_grant(
    pool: &SqlitePool,
    workspace_id: i64,
    connection_id: i64,
) -> Result<GrantRemoved, ConnectError> {
    connections::get(pool, workspace_id, connection_id).await?;
    let mut accounts_removed = 0;
    for a in accounts::list(pool, workspace_id).await? {
        if a.oauth
            .as_ref()
            .is_some_and(|o| o.connection_id == connection_id)
        {
            accounts::remove(pool, workspace_id, a.id).await?;
            accounts_removed += 1;
        }
    }
    let revocation = connections::disconnect(pool, workspace_id, connection_id).await?;
    tracing::info!(
        workspace_id,
        connection_id,
        accounts_removed,
        "oauth grant removed"
    );
    Ok(GrantRemoved {
        revocation,
        accounts_removed,
    })
}

/// "Bağlantıyı Test Et" on a card with a sign-in of its own: the grant is asked for a
/// fresh access token at the provider's token endpoint (a refresh; nothing else is
/// called or changed). A grant withdrawn meanwhile turns the card to "Hata" and says to
/// connect again; a provider out of reach says so.
pub async fn test_grant(
    pool: &SqlitePool,
    workspace_id: i64,
    connection_id: i64,
) -> Result<(), ConnectError> {
    connections::expire(pool, workspace_id, connection_id).await?;
    connections::access_token(pool, workspace_id, connection_id).await?;
    tracing::info!(workspace_id, connection_id, "oauth grant tested");
    Ok(())
}

/// What removing a grant did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct GrantRemoved {
    pub revocation: Revocation,
    /// Sending accounts that signed in with it, removed too.
    pub accounts_removed: u32,
}

/// The OAuth apps as configured (client IDs and endpoints; never a secret).
pub async fn apps(pool: &SqlitePool) -> Result<Vec<oauth::App>, ConnectError> {
    let mut out = Vec::new();
    for p in Provider::ALL {
        out.push(oauth::app(pool, p).await?);
    }
    Ok(out)
}
