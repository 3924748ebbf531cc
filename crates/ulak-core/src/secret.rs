//! Secrets kept in the store (passwords, API keys, tokens): their own table, scoped
//! to a workspace, read back only as `SecretString`, which never prints.

use secrecy::{ExposeSecret, SecretString};
use sqlx::SqliteExecutor;

use crate::store::StoreError;

/// Masked form for the UI: never the value, only that one is set.
pub const MASK: &str = "••••••••";

pub async fn set<'c>(
    pool: impl SqliteExecutor<'c>,
    workspace_id: i64,
    owner: &str,
    name: &str,
    value: &SecretString,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO secrets (workspace_id, owner, name, value, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (workspace_id, owner, name)
         DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(workspace_id)
    .bind(owner)
    .bind(name)
    .bind(value.expose_secret())
    .bind(crate::store::now())
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn get<'c>(
    pool: impl SqliteExecutor<'c>,
    workspace_id: i64,
    owner: &str,
    name: &str,
) -> Result<Option<SecretString>, StoreError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT value FROM secrets WHERE workspace_id = ?1 AND owner = ?2 AND name = ?3",
    )
    .bind(workspace_id)
    .bind(owner)
    .bind(name)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(v,)| SecretString::from(v)))
}

pub async fn delete<'c>(
    pool: impl SqliteExecutor<'c>,
    workspace_id: i64,
    owner: &str,
    name: &str,
) -> Result<bool, StoreError> {
    let r = sqlx::query("DELETE FROM secrets WHERE workspace_id = ?1 AND owner = ?2 AND name = ?3")
        .bind(workspace_id)
        .bind(owner)
        .bind(name)
        .execute(pool)
        .await?;
    Ok(r.rows_affected() > 0)
}

/// What the UI may show for a secret: the mask if one is set, nothing otherwise.
pub fn masked(value: Option<&SecretString>) -> Option<&'static str> {
    value.map(|_| MASK)
}

/// Removes every secret of one owner (e.g. an account being deleted).
pub async fn delete_owner<'c>(
    pool: impl SqliteExecutor<'c>,
    workspace_id: i64,
    owner: &str,
) -> Result<u64, StoreError> {
    let r = sqlx::query("DELETE FROM secrets WHERE workspace_id = ?1 AND owner = ?2")
        .bind(workspace_id)
        .bind(owner)
        .execute(pool)
        .await?;
    Ok(r.rows_affected())
}
