//! Contacts of a customer company: name, e-mail, phone (E.164), notes.

use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;
use ulak_core::store::now;
use ulak_core::validate;

use crate::{companies, CrmError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    pub id: i64,
    pub workspace_id: i64,
    pub company_id: i64,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub notes: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ContactInput {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub notes: String,
}

/// The form's rules: a name, and an address or a phone to reach them by.
pub fn check(input: &ContactInput) -> Result<ContactInput, CrmError> {
    let c = ContactInput {
        name: validate::text("name", &input.name, validate::LIMITS.contact_name, true)?,
        email: validate::email("email", &input.email, false)?,
        phone: crate::phone(&input.phone)?,
        notes: input
            .notes
            .trim()
            .chars()
            .take(validate::LIMITS.notes)
            .collect(),
    };
    if c.email.is_empty() && c.phone.is_empty() {
        return Err(validate::ValidationError::Required { field: "email" }.into());
    }
    Ok(c)
}

fn unique(e: sqlx::Error, email: &str) -> CrmError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            CrmError::DuplicateContact(email.to_string())
        }
        _ => e.into(),
    }
}

/// Inserts an already checked contact; the import uses it inside its transaction.
pub(crate) async fn insert<'c>(
    exec: impl sqlx::SqliteExecutor<'c>,
    workspace_id: i64,
    company_id: i64,
    c: &ContactInput,
) -> Result<i64, sqlx::Error> {
    Ok(sqlx::query(
        "INSERT INTO contacts (workspace_id, company_id, name, name_key, email, phone, notes, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
    )
    .bind(workspace_id)
    .bind(company_id)
    .bind(&c.name)
    .bind(crate::fold(&c.name))
    .bind(&c.email)
    .bind(&c.phone)
    .bind(&c.notes)
    .bind(now())
    .execute(exec)
    .await?
    .last_insert_rowid())
}

pub async fn create(
    pool: &SqlitePool,
    workspace_id: i64,
    company_id: i64,
    input: &ContactInput,
) -> Result<Contact, CrmError> {
    // The company must be this workspace's: ids of another workspace are not found.
    companies::get(pool, workspace_id, company_id).await?;
    let c = check(input)?;
    let id = insert(pool, workspace_id, company_id, &c)
        .await
        .map_err(|e| unique(e, &c.email))?;
    get(pool, workspace_id, id).await
}

pub async fn update(
    pool: &SqlitePool,
    workspace_id: i64,
    id: i64,
    input: &ContactInput,
) -> Result<Contact, CrmError> {
    let c = check(input)?;
    let r = sqlx::query(
        "UPDATE contacts SET name = ?3, email = ?4, phone = ?5, notes = ?6, updated_at = ?7, name_key = ?8
         WHERE workspace_id = ?1 AND id = ?2",
    )
    .bind(workspace_id)
    .bind(id)
    .bind(&c.name)
    .bind(&c.email)
    .bind(&c.phone)
    .bind(&c.notes)
    .bind(now())
    .bind(crate::fold(&c.name))
    .execute(pool)
    .await
    .map_err(|e| unique(e, &c.email))?;
    if r.rows_affected() == 0 {
        return Err(CrmError::ContactNotFound(id));
    }
    get(pool, workspace_id, id).await
}

pub async fn delete(pool: &SqlitePool, workspace_id: i64, id: i64) -> Result<(), CrmError> {
    let r = sqlx::query("DELETE FROM contacts WHERE workspace_id = ?1 AND id = ?2")
        .bind(workspace_id)
        .bind(id)
        .execute(pool)
        .await?;
    if r.rows_affected() == 0 {
        return Err(CrmError::ContactNotFound(id));
    }
    Ok(())
}

const SELECT: &str =
    "SELECT id, workspace_id, company_id, name, email, phone, notes, created_at, updated_at FROM contacts";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    workspace_id: i64,
    company_id: i64,
    name: String,
    email: String,
    phone: String,
    notes: String,
    created_at: String,
    updated_at: String,
}

impl From<Row> for Contact {
    fn from(r: Row) -> Self {
        Contact {
            id: r.id,
            workspace_id: r.workspace_id,
            company_id: r.company_id,
            name: r.name,
            email: r.email,
            phone: r.phone,
            notes: r.notes,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

pub async fn get(pool: &SqlitePool, workspace_id: i64, id: i64) -> Result<Contact, CrmError> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE workspace_id = ?1 AND id = ?2"))
        .bind(workspace_id)
        .bind(id)
        .fetch_optional(pool)
        .await?;
    row.map(Contact::from).ok_or(CrmError::ContactNotFound(id))
}

pub async fn of_company(
    pool: &SqlitePool,
    workspace_id: i64,
    company_id: i64,
) -> Result<Vec<Contact>, CrmError> {
    companies::get(pool, workspace_id, company_id).await?;
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE workspace_id = ?1 AND company_id = ?2 ORDER BY name"
    ))
    .bind(workspace_id)
    .bind(company_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Contact::from).collect())
}
