//! Customer companies (Firma) and their contacts in the active workspace.

use tauri::ipc::Channel;
use tauri::State;
use ulak_core::session::Session;
use ulak_crm::companies::{self, Company, CompanyInput};
use ulak_crm::contacts::{self, Contact, ContactInput};
use ulak_crm::import::{self, ImportReport, Mapping};

use super::{active_scope, err, CmdResult};

#[tauri::command]
#[specta::specta]
pub async fn list_companies(
    session: State<'_, Session>,
    search: Option<String>,
) -> CmdResult<Vec<Company>> {
    let (store, ws) = active_scope(&session).await?;
    companies::list(store.pool(), ws, search.as_deref())
        .await
        .map_err(err)
}

#[tauri::command]
#[specta::specta]
pub async fn create_company(
    session: State<'_, Session>,
    input: CompanyInput,
) -> CmdResult<Company> {
    let (store, ws) = active_scope(&session).await?;
    companies::create(store.pool(), ws, &input)
        .await
        .map_err(err)
}

#[tauri::command]
#[specta::specta]
pub async fn update_company(
    session: State<'_, Session>,
    id: i64,
    input: CompanyInput,
) -> CmdResult<Company> {
    let (store, ws) = active_scope(&session).await?;
    companies::update(store.pool(), ws, id, &input)
        .await
        .map_err(err)
}

#[tauri::command]
#[specta::specta]
pub async fn delete_company(session: State<'_, Session>, id: i64) -> CmdResult<()> {
    let (store, ws) = active_scope(&session).await?;
    companies::delete(store.pool(), ws, id).await.map_err(err)
}

#[tauri::command]
#[specta::specta]
pub async fn list_contacts(
    session: State<'_, Session>,
    company_id: i64,
) -> CmdResult<Vec<Contact>> {
    let (store, ws) = active_scope(&session).await?;
    contacts::of_company(store.pool(), ws, company_id)
        .await
        .map_err(err)
}

#[tauri::command]
#[specta::specta]
pub async fn create_contact(
    session: State<'_, Session>,
    company_id: i64,
    input: ContactInput,
) -> CmdResult<Contact> {
    let (store, ws) = active_scope(&session).await?;
    contacts::create(store.pool(), ws, company_id, &input)
        .await
        .map_err(err)
}

#[tauri::command]
#[specta::specta]
pub async fn update_contact(
    session: State<'_, Session>,
    id: i64,
    input: ContactInput,
) -> CmdResult<Contact> {
    let (store, ws) = active_scope(&session).await?;
    contacts::update(store.pool(), ws, id, &input)
        .await
        .map_err(err)
}

#[tauri::command]
#[specta::specta]
pub async fn delete_contact(session: State<'_, Session>, id: i64) -> CmdResult<()> {
    let (store, ws) = active_scope(&session).await?;
    contacts::delete(store.pool(), ws, id).await.map_err(err)
}

/// The header row of a CSV file and the column mapping guessed from it, for the
/// mapping step of the import dialog.
#[tauri::command]
#[specta::specta]
pub async fn preview_import(csv: String) -> CmdResult<(Vec<String>, Mapping)> {
    let (_, headers) = import::headers(csv.as_bytes()).map_err(err)?;
    let guess = Mapping::guess(&headers);
    Ok((headers, guess))
}

/// Imports CSV text; `progress` receives `[done, total]` as rows are processed.
#[tauri::command]
#[specta::specta]
pub async fn import_contacts(
    session: State<'_, Session>,
    csv: String,
    mapping: Option<Mapping>,
    progress: Channel<(u32, u32)>,
) -> CmdResult<ImportReport> {
    let (store, ws) = active_scope(&session).await?;
    import::import_csv(store.pool(), ws, csv.as_bytes(), mapping, |done, total| {
        let _ = progress.send((done as u32, total as u32));
    })
    .await
    .map_err(err)
}
