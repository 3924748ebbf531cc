//! App-wide settings (language, active workspace): key/value rows, not workspace data.

use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

use crate::store::StoreError;

pub const ACTIVE_WORKSPACE: &str = "active_workspace_id";
pub const LANGUAGE: &str = "language";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Tr,
    En,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Tr => "tr",
            Language::En => "en",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "tr" => Some(Language::Tr),
            "en" => Some(Language::En),
            _ => None,
        }
    }
}

pub async fn get(pool: &SqlitePool, key: &str) -> Result<Option<String>, StoreError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT value FROM app_settings WHERE key = ?1")
        .bind(key)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|(v,)| v))
}

pub async fn set(pool: &SqlitePool, key: &str, value: &str) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO app_settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn language(pool: &SqlitePool) -> Result<Language, StoreError> {
    Ok(get(pool, LANGUAGE)
        .await?
        .as_deref()
        .and_then(Language::parse)
        .unwrap_or_default())
}

pub async fn set_language(pool: &SqlitePool, lang: Language) -> Result<(), StoreError> {
    set(pool, LANGUAGE, lang.as_str()).await
}
