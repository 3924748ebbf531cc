//! Customer companies of a workspace: create, edit, delete, search.

use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;
use ulak_core::store::now;
use ulak_core::validate;

use crate::CrmError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Company {
    pub id: i64,
    pub workspace_id: i64,
    pub name: String,
    pub notes: String,
    pub contact_count: i64,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CompanyInput {
    pub name: String,
    pub notes: String,
}

fn check(input: &CompanyInput) -> Result<CompanyInput, CrmError> {
    Ok(CompanyInput {
        name: validate::text("name", &input.name, validate::LIMITS.company_name, true)?,
        // Notes may span lines; only the length is limited.
        notes: input
            .notes
            .trim()
            .chars()
            .take(validate::LIMITS.notes)
            .collect(),
    })
}

fn unique(e: sqlx::Error, name: &str) -> CrmError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            CrmError::DuplicateCompany(name.to_string())
        }
        _ => e.into(),
    }
}

pub async fn create(
    pool: &SqlitePool,
    workspace_id: i64,
    input: &CompanyInput,
) -> Result<Company, CrmError> {
    let c = check(input)?;
    let id = sqlx::query(
        "INSERT INTO companies (workspace_id, name, name_key, notes, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
    )
        .bind(workspace_id)
        .bind(&c.name)
        .bind(crate::fold(&c.name))
        .bind(&c.notes)
        .bind(now())
        .execute(pool)
        .await
        .map_err(|e| unique(e, &c.name))?
        .last_insert_rowid();
    get(pool, workspace_id, id).await
}

pub async fn update(
    pool: &SqlitePool,
    workspace_id: i64,
    id: i64,
    input: &CompanyInput,
) -> Result<Company, CrmError> {
    let c = check(input)?;
    let r = sqlx::query(
        "UPDATE companies SET name = ?3, name_key = ?4, notes = ?5, updated_at = ?6 WHERE workspace_id = ?1 AND id = ?2",
    )
        .bind(workspace_id)
        .bind(id)
        .bind(&c.name)
        .bind(crate::fold(&c.name))
        .bind(&c.notes)
        .bind(now())
        .execute(pool)
        .await
        .map_err(|e| unique(e, &c.name))?;
    if r.rows_affected() == 0 {
        return Err(CrmError::CompanyNotFound(id));
    }
    get(pool, workspace_id, id).await
}

/// Deletes the company and its contacts.
pub async fn delete(pool: &SqlitePool, workspace_id: i64, id: i64) -> Result<(), CrmError> {
    let r = sqlx::query("DELETE FROM companies WHERE workspace_id = ?1 AND id = ?2")
        .bind(workspace_id)
        .bind(id)
        .execute(pool)
        .await?;
    if r.rows_affected() == 0 {
        return Err(CrmError::CompanyNotFound(id));
    }
    Ok(())
}

const SELECT: &str = "SELECT c.id, c.workspace_id, c.name, c.notes,
        (SELECT count(*) FROM contacts k WHERE k.company_id = c.id) AS contact_count,
        c.created_at, c.updated_at FROM companies c";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    workspace_id: i64,
    name: String,
    notes: String,
    contact_count: i64,
    created_at: String,
    updated_at: String,
}

impl From<Row> for Company {
    fn from(r: Row) -> Self {
        Company {
            id: r.id,
            workspace_id: r.workspace_id,
            name: r.name,
            notes: r.notes,
            contact_count: r.contact_count,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

pub async fn get(pool: &SqlitePool, workspace_id: i64, id: i64) -> Result<Company, CrmError> {
    let row: Option<Row> =
        sqlx::query_as(&format!("{SELECT} WHERE c.workspace_id = ?1 AND c.id = ?2"))
            .bind(workspace_id)
            .bind(id)
            .fetch_optional(pool)
            .await?;
    row.map(Company::from).ok_or(CrmError::CompanyNotFound(id))
}

pub async fn by_name(
    pool: &SqlitePool,
    workspace_id: i64,
    name: &str,
) -> Result<Option<Company>, CrmError> {
    let row: Option<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE c.workspace_id = ?1 AND c.name_key = ?2"
    ))
    .bind(workspace_id)
    .bind(crate::fold(name))
    .fetch_optional(pool)
    .await?;
    Ok(row.map(Company::from))
}

/// Companies whose name, or one of whose contacts' name or address, contains `search`.
pub async fn list(
    pool: &SqlitePool,
    workspace_id: i64,
    search: Option<&str>,
) -> Result<Vec<Company>, CrmError> {
    let pattern = format!(
        "%{}%",
        crate::fold(search.unwrap_or("")).replace(['%', '_'], "")
    );
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE c.workspace_id = ?1 AND (c.name_key LIKE ?2 OR EXISTS (
            SELECT 1 FROM contacts k WHERE k.company_id = c.id AND (k.name_key LIKE ?2 OR k.email LIKE ?2)))
         ORDER BY c.name"
    ))
    .bind(workspace_id)
    .bind(pattern)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Company::from).collect())
}
