//! Workspaces: the salesperson's own company (the tenant). One is made on first start;
//! more can be added and one is active. Every other table carries a workspace id.

use serde::Serialize;
use sqlx::SqlitePool;

use crate::settings;
use crate::store::{now, StoreError};
use crate::validate::{self, ValidationError};
use crate::{ErrorCode, UserFacing};

pub const DEFAULT_NAME: &str = "Şirketim";
pub const MAX_NAME: usize = crate::validate::LIMITS.workspace_name;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Workspace {
    pub id: i64,
    pub name: String,
    pub active: bool,
    pub created_at: String,
}

#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("no workspace with id {0}")]
    NotFound(i64),
    #[error("a workspace named \"{0}\" already exists")]
    DuplicateName(String),
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for WorkspaceError {
    fn from(e: sqlx::Error) -> Self {
        WorkspaceError::Store(StoreError::Database(e))
    }
}

impl UserFacing for WorkspaceError {
    fn code(&self) -> ErrorCode {
        match self {
            WorkspaceError::NotFound(_) => ErrorCode::WorkspaceNotFound,
            WorkspaceError::DuplicateName(_) => ErrorCode::WorkspaceDuplicateName,
            WorkspaceError::Invalid(v) => v.code(),
            WorkspaceError::Store(s) => s.code(),
        }
    }
    fn hint(&self) -> Option<String> {
        match self {
            WorkspaceError::NotFound(_) => Some("Pick one from the workspace list.".into()),
            WorkspaceError::DuplicateName(_) => Some("Choose another name.".into()),
            WorkspaceError::Invalid(v) => v.hint(),
            WorkspaceError::Store(s) => s.hint(),
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            WorkspaceError::DuplicateName(_) => Some("name"),
            WorkspaceError::Invalid(v) => v.field(),
            _ => None,
        }
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    name: String,
    created_at: String,
}

/// All workspaces, oldest first; makes the first one if there is none yet.
pub async fn list(pool: &SqlitePool) -> Result<Vec<Workspace>, WorkspaceError> {
    let active = active(pool).await?.id;
    let rows: Vec<Row> = sqlx::query_as("SELECT id, name, created_at FROM workspaces ORDER BY id")
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(|r| to_workspace(r, active)).collect())
}

pub async fn create(pool: &SqlitePool, name: &str) -> Result<Workspace, WorkspaceError> {
    let name = validate::text("name", name, MAX_NAME, true)?;
    let r = sqlx::query("INSERT INTO workspaces (name, created_at) VALUES (?1, ?2)")
        .bind(&name)
        .bind(now())
        .execute(pool)
        .await;
    let id = match r {
        Ok(done) => done.last_insert_rowid(),
        Err(sqlx::Error::Database(d)) if d.is_unique_violation() => {
            return Err(WorkspaceError::DuplicateName(name));
        }
        Err(e) => return Err(e.into()),
    };
    tracing::info!(workspace_id = id, "workspace created");
    let active_id = active_id(pool).await?;
    get(pool, id, active_id.unwrap_or(id)).await
}

/// Makes `id` the active workspace.
pub async fn switch(pool: &SqlitePool, id: i64) -> Result<Workspace, WorkspaceError> {
    let ws = get(pool, id, id).await?;
    settings::set(pool, settings::ACTIVE_WORKSPACE, &id.to_string()).await?;
    Ok(ws)
}

/// The active workspace; on a fresh store, makes the first one and activates it.
pub async fn active(pool: &SqlitePool) -> Result<Workspace, WorkspaceError> {
    if let Some(id) = active_id(pool).await? {
        if let Ok(ws) = get(pool, id, id).await {
            return Ok(ws);
        }
    }
    let first: Option<(i64,)> = sqlx::query_as("SELECT id FROM workspaces ORDER BY id LIMIT 1")
        .fetch_optional(pool)
        .await?;
    let id = match first {
        Some((id,)) => id,
        None => sqlx::query("INSERT INTO workspaces (name, created_at) VALUES (?1, ?2)")
            .bind(DEFAULT_NAME)
            .bind(now())
            .execute(pool)
            .await?
            .last_insert_rowid(),
    };
    switch(pool, id).await
}

async fn active_id(pool: &SqlitePool) -> Result<Option<i64>, WorkspaceError> {
    Ok(settings::get(pool, settings::ACTIVE_WORKSPACE)
        .await?
        .and_then(|v| v.parse().ok()))
}

async fn get(pool: &SqlitePool, id: i64, active_id: i64) -> Result<Workspace, WorkspaceError> {
    let row: Option<Row> =
        sqlx::query_as("SELECT id, name, created_at FROM workspaces WHERE id = ?1")
            .bind(id)
            .fetch_optional(pool)
            .await?;
    row.map(|r| to_workspace(r, active_id))
        .ok_or(WorkspaceError::NotFound(id))
}

fn to_workspace(r: Row, active_id: i64) -> Workspace {
    Workspace {
        active: r.id == active_id,
        id: r.id,
        name: r.name,
        created_at: r.created_at,
    }
}
