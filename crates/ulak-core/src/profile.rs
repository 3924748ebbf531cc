//! The salesperson's profile in a workspace: display name, sender address and name.

use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

use crate::store::{now, StoreError};
use crate::validate::{self, ValidationError};
use crate::{ErrorCode, UserFacing};

pub const MAX_NAME: usize = crate::validate::LIMITS.display_name;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub workspace_id: i64,
    pub display_name: String,
    pub sender_email: String,
    pub sender_name: String,
    pub updated_at: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProfileInput {
    pub display_name: String,
    pub sender_email: String,
    pub sender_name: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for ProfileError {
    fn from(e: sqlx::Error) -> Self {
        ProfileError::Store(StoreError::Database(e))
    }
}

impl UserFacing for ProfileError {
    fn code(&self) -> ErrorCode {
        match self {
            ProfileError::Invalid(v) => v.code(),
            ProfileError::Store(s) => s.code(),
        }
    }
    fn hint(&self) -> Option<String> {
        match self {
            ProfileError::Invalid(v) => v.hint(),
            ProfileError::Store(s) => s.hint(),
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            ProfileError::Invalid(v) => v.field(),
            ProfileError::Store(_) => None,
        }
    }
}

impl ProfileInput {
    /// Checks every field the way the form does; the UI is not the only caller.
    pub fn validated(&self) -> Result<ProfileInput, ValidationError> {
        Ok(ProfileInput {
            display_name: validate::text("displayName", &self.display_name, MAX_NAME, true)?,
            sender_email: validate::email("senderEmail", &self.sender_email, true)?,
            sender_name: validate::text("senderName", &self.sender_name, MAX_NAME, false)?,
        })
    }
}

/// The profile of `workspace_id`; empty fields when none was saved yet.
pub async fn get(pool: &SqlitePool, workspace_id: i64) -> Result<Profile, ProfileError> {
    let row: Option<(String, String, String, String)> = sqlx::query_as(
        "SELECT display_name, sender_email, sender_name, updated_at FROM profiles WHERE workspace_id = ?1",
    )
    .bind(workspace_id)
    .fetch_optional(pool)
    .await?;
    Ok(match row {
        Some((display_name, sender_email, sender_name, updated_at)) => Profile {
            workspace_id,
            display_name,
            sender_email,
            sender_name,
            updated_at: Some(updated_at),
        },
        None => Profile {
            workspace_id,
            display_name: String::new(),
            sender_email: String::new(),
            sender_name: String::new(),
            updated_at: None,
        },
    })
}

pub async fn save(
    pool: &SqlitePool,
    workspace_id: i64,
    input: &ProfileInput,
) -> Result<Profile, ProfileError> {
    let v = input.validated()?;
    sqlx::query(
        "INSERT INTO profiles (workspace_id, display_name, sender_email, sender_name, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (workspace_id) DO UPDATE SET
           display_name = excluded.display_name,
           sender_email = excluded.sender_email,
           sender_name = excluded.sender_name,
           updated_at = excluded.updated_at",
    )
    .bind(workspace_id)
    .bind(&v.display_name)
    .bind(&v.sender_email)
    .bind(&v.sender_name)
    .bind(now())
    .execute(pool)
    .await?;
    tracing::info!(workspace_id, "profile saved");
    get(pool, workspace_id).await
}
