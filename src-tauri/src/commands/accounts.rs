//! E-posta Ayarları: SMTP accounts of the active workspace, suggested settings and
//! the connection test.

use tauri::State;
use ulak_channels::email::accounts::{self, Account, AccountInput};
use ulak_channels::email::autoconfig;
use ulak_channels::email::autoconfig::lookup::Discovery;
use ulak_channels::email::probe::ProbeReport;
use ulak_channels::email::readiness::Readiness;
use ulak_channels::email::send::{self, SentInfo};
use ulak_core::session::Session;

use super::{active_scope, err, CmdResult};

#[tauri::command]
#[specta::specta]
pub async fn list_accounts(session: State<'_, Session>) -> CmdResult<Vec<Account>> {
    let (store, ws) = active_scope(&session).await?;
    accounts::list(store.pool(), ws).await.map_err(err)
}

/// Each account's sending now: today's count against both limits, the next free
/// moment and why it waits, its queue, its last error.
#[tauri::command]
#[specta::specta]
pub async fn accounts_sending(
    session: State<'_, Session>,
) -> CmdResult<Vec<ulak_api::accounts::AccountSending>> {
    let (store, ws) = active_scope(&session).await?;
    ulak_api::accounts::sending(store.pool(), ws, chrono::Utc::now())
        .await
        .map_err(err)
}

#[tauri::command]
#[specta::specta]
pub async fn create_account(
    session: State<'_, Session>,
    input: AccountInput,
) -> CmdResult<Account> {
    let (store, ws) = active_scope(&session).await?;
    accounts::create(store.pool(), ws, &input)
        .await
        .map_err(err)
}

/// `input.password` null keeps the stored password.
#[tauri::command]
#[specta::specta]
pub async fn update_account(
    session: State<'_, Session>,
    worker: State<'_, std::sync::Arc<crate::worker::Worker>>,
    id: i64,
    input: AccountInput,
) -> CmdResult<Account> {
    let (store, ws) = active_scope(&session).await?;
    let a = accounts::update(store.pool(), ws, id, &input)
        .await
        .map_err(err)?;
    // Switched on, limits raised, sign-in mended: its waiting messages may go now.
    worker.wake();
    Ok(a)
}

#[tauri::command]
#[specta::specta]
pub async fn remove_account(session: State<'_, Session>, id: i64) -> CmdResult<()> {
    let (store, ws) = active_scope(&session).await?;
    accounts::remove(store.pool(), ws, id).await.map_err(err)
}

/// Settings for an address: the built-in table, then autoconfig, ISPDB, SRV, MX and a
/// guess checked by connecting (each with a short timeout), with every step tried and
/// how the lookup ended (found, nothing known, no answer at all, not an address).
#[tauri::command]
#[specta::specta]
pub async fn suggest_settings(email: String) -> Discovery {
    autoconfig::lookup::discover(&email, &autoconfig::lookup::Sources::from_env()).await
}

#[tauri::command]
#[specta::specta]
pub async fn test_account(
    session: State<'_, Session>,
    worker: State<'_, std::sync::Arc<crate::worker::Worker>>,
    id: i64,
) -> CmdResult<ProbeReport> {
    let (store, ws) = active_scope(&session).await?;
    let report = accounts::test_connection(store.pool(), ws, id)
        .await
        .map_err(err)?;
    // A success makes a stopped account active: its waiting messages go now.
    worker.wake();
    Ok(report)
}

/// Trusts a company CA (the PEM text of a file the user picked) for one account.
#[tauri::command]
#[specta::specta]
pub async fn trust_account_ca(
    session: State<'_, Session>,
    id: i64,
    pem: Option<String>,
) -> CmdResult<Account> {
    let (store, ws) = active_scope(&session).await?;
    accounts::set_trusted_ca(store.pool(), ws, id, pem.as_deref())
        .await
        .map_err(err)
}

/// Sends a real test e-mail from the account to its own address.
#[tauri::command]
#[specta::specta]
pub async fn send_test_email(session: State<'_, Session>, id: i64) -> CmdResult<SentInfo> {
    let (store, ws) = active_scope(&session).await?;
    send::send_test_email(store.pool(), ws, id)
        .await
        .map_err(err)
}

/// The test e-mail of the form as typed, before saving (`id`: the account being
/// edited, whose saved password and CA apply on the same server). Nothing is stored.
#[tauri::command]
#[specta::specta]
pub async fn send_test_email_input(
    session: State<'_, Session>,
    input: AccountInput,
    id: Option<i64>,
) -> CmdResult<SentInfo> {
    let (store, ws) = active_scope(&session).await?;
    send::send_test_typed(store.pool(), ws, &input, id)
        .await
        .map_err(err)
}

/// Opens one of Ulak's own help pages (a provider's setup page) in the browser; any
/// other address is refused.
#[tauri::command]
#[specta::specta]
pub async fn open_help_link(app: tauri::AppHandle, url: String) -> CmdResult<()> {
    use tauri_plugin_opener::OpenerExt;
    if !ulak_channels::spec::is_help_link(&url) {
        return Err(err(ulak_core::validate::ValidationError::Url {
            field: "url",
        }));
    }
    app.opener()
        .open_url(&url, None::<&str>)
        .map_err(|e| ulak_core::ErrorPayload::internal(e.to_string()))
}

/// Sets an account's Reply-To address and signature (empty clears either).
#[tauri::command]
#[specta::specta]
pub async fn set_account_extras(
    session: State<'_, Session>,
    id: i64,
    reply_to: String,
    signature: String,
) -> CmdResult<Account> {
    let (store, ws) = active_scope(&session).await?;
    accounts::set_extras(store.pool(), ws, id, &reply_to, &signature)
        .await
        .map_err(err)
}

/// The connection test on the form as typed, before saving (`id`: the account being
/// edited, whose saved password and CA apply on the same server). Nothing is stored.
#[tauri::command]
#[specta::specta]
pub async fn test_account_input(
    session: State<'_, Session>,
    input: AccountInput,
    id: Option<i64>,
) -> CmdResult<ProbeReport> {
    let (store, ws) = active_scope(&session).await?;
    accounts::test_typed(store.pool(), ws, &input, id)
        .await
        .map_err(err)
}

/// Is the account's domain ready for campaigns: SPF and DMARC from DNS, DKIM from a
/// sent mail's headers pasted in (`headers`), or common selectors tried without them.
#[tauri::command]
#[specta::specta]
pub async fn check_account_domain(
    session: State<'_, Session>,
    id: i64,
    headers: Option<String>,
) -> CmdResult<Readiness> {
    let (store, ws) = active_scope(&session).await?;
    let headers = headers.filter(|h| !h.trim().is_empty());
    ulak_api::accounts::domain_check(store.pool(), ws, id, headers.as_deref())
        .await
        .map_err(err)
}
