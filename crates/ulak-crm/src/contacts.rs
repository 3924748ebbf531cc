//! Contacts of a customer company: name, e-mail, phone (E.164), notes, and whether İYS
//! counts them as an individual or a merchant.

use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;
use ulak_core::store::now;
use ulak_core::validate;

use crate::{companies, CrmError};

/// A recipient as İYS knows them: an individual, whose consent commercial messages
/// need, or a merchant. A customer company's contacts are merchants by default.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type,
)]
#[serde(rename_all = "UPPERCASE")]
pub enum RecipientType {
    Bireysel,
    #[default]
    Tacir,
}

impl RecipientType {
    pub fn as_str(self) -> &'static str {
        match self {
            RecipientType::Bireysel => "BIREYSEL",
            RecipientType::Tacir => "TACIR",
        }
    }

    /// As written in a form, a CSV or on the command line (Turkish İ accepted).
    pub fn parse(s: &str) -> Option<RecipientType> {
        match s.trim().to_uppercase().replace('İ', "I").as_str() {
            "BIREYSEL" => Some(RecipientType::Bireysel),
            "TACIR" => Some(RecipientType::Tacir),
            _ => None,
        }
    }
}

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
    pub recipient_type: RecipientType,
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
    /// TACIR when not given.
    #[serde(default)]
    pub recipient_type: RecipientType,
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
        recipient_type: input.recipient_type,
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
        "INSERT INTO contacts (workspace_id, company_id, name, name_key, email, phone, notes, created_at, updated_at, recipient_type)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)",
    )
    .bind(workspace_id)
    .bind(company_id)
    .bind(&c.name)
    .bind(crate::fold(&c.name))
    .bind(&c.email)
    .bind(&c.phone)
    .bind(&c.notes)
    .bind(now())
    .bind(c.recipient_type.as_str())
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
        "UPDATE contacts SET name = ?3, email = ?4, phone = ?5, notes = ?6, updated_at = ?7, name_key = ?8,
            recipient_type = ?9
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
    .bind(c.recipient_type.as_str())
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
    "SELECT id, workspace_id, company_id, name, email, phone, notes, recipient_type, created_at, updated_at FROM contacts";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    workspace_id: i64,
    company_id: i64,
    name: String,
    email: String,
    phone: String,
    notes: String,
    recipient_type: String,
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
            recipient_type: RecipientType::parse(&r.recipient_type).unwrap_or_default(),
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

/// The İYS type of the workspace's contact with this number (E.164), if one has it:
/// an individual wins over a merchant when two contacts share the number.
pub async fn recipient_type_of_phone(
    pool: &SqlitePool,
    workspace_id: i64,
    phone: &str,
) -> Result<Option<RecipientType>, CrmError> {
    let types: Vec<(String,)> = sqlx::query_as(
        "SELECT recipient_type FROM contacts WHERE workspace_id = ?1 AND phone = ?2",
    )
    .bind(workspace_id)
    .bind(phone)
    .fetch_all(pool)
    .await?;
    let types: Vec<RecipientType> = types
        .iter()
        .filter_map(|(t,)| RecipientType::parse(t))
        .collect();
    Ok(if types.contains(&RecipientType::Bireysel) {
        Some(RecipientType::Bireysel)
    } else {
        types.first().copied()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipient_types_read_as_written() {
        assert_eq!(
            RecipientType::parse("bireysel"),
            Some(RecipientType::Bireysel)
        );
        assert_eq!(RecipientType::parse(" TACİR "), Some(RecipientType::Tacir));
        assert_eq!(RecipientType::parse("şirket"), None);
        assert_eq!(RecipientType::default(), RecipientType::Tacir);
        assert_eq!(
            serde_json::to_value(RecipientType::Bireysel).unwrap(),
            serde_json::json!("BIREYSEL")
        );
    }
}
