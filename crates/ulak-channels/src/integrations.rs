//! A workspace's connections to sending providers other than its SMTP accounts (table
//! `integrations`), checked against each provider's spec: the plain fields as JSON, the
//! secret ones in `secrets`, leaving here only as "set / not set" or as a
//! `SecretString` for the provider that sends.

use std::collections::BTreeMap;

use secrecy::SecretString;
use serde::Serialize;
use sqlx::SqlitePool;
use ulak_core::store::{now, StoreError};
use ulak_core::validate::{self, ValidationError};
use ulak_core::{secret, ErrorCode, UserFacing};
use ulak_outbox::failure::{Failure, FailureCode, Kind};
use ulak_outbox::Channel;

use crate::spec::{self, FieldKind, SpecError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Integration {
    pub id: i64,
    pub workspace_id: i64,
    pub channel: Channel,
    pub provider: String,
    /// The spec's plain fields by key.
    pub settings: BTreeMap<String, String>,
    /// None: the spec's default.
    pub base_url: Option<String>,
    /// Messages a second at most; None: the spec's default (see `rate`).
    pub rate_per_second: Option<u32>,
    /// Keys of the secret fields that have a value (the UI shows a mask for these).
    pub secrets_set: Vec<String>,
    pub active: bool,
    /// The last trouble that was the account's (see `record`), cleared by a success.
    pub last_error: Option<LastError>,
    pub created_at: String,
    pub updated_at: String,
}

/// Why an integration is in trouble: the code the window words, the provider's words,
/// and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LastError {
    pub code: FailureCode,
    pub text: String,
    pub at: String,
}

#[derive(Debug, thiserror::Error)]
pub enum IntegrationError {
    #[error("no provider {channel}/{provider}")]
    UnknownProvider { channel: String, provider: String },
    #[error(transparent)]
    Spec(#[from] SpecError),
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error("{channel}/{provider} is not set up in this workspace")]
    NotSetUp { channel: String, provider: String },
    #[error("a stored integration is unreadable: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for IntegrationError {
    fn from(e: sqlx::Error) -> Self {
        IntegrationError::Store(StoreError::Database(e))
    }
}

impl UserFacing for IntegrationError {
    fn code(&self) -> ErrorCode {
        match self {
            IntegrationError::UnknownProvider { .. } => ErrorCode::IntegrationUnknownProvider,
            IntegrationError::Spec(SpecError::Missing(_)) => ErrorCode::IntegrationIncomplete,
            IntegrationError::Spec(SpecError::Unknown(_)) => ErrorCode::IntegrationUnknownField,
            IntegrationError::Spec(SpecError::Invalid(v)) | IntegrationError::Invalid(v) => {
                v.code()
            }
            IntegrationError::NotSetUp { .. } => ErrorCode::IntegrationNotSetUp,
            IntegrationError::Corrupt(_) => ErrorCode::StoreCorrupt,
            IntegrationError::Store(s) => s.code(),
        }
    }
    fn hint(&self) -> Option<String> {
        match self {
            IntegrationError::UnknownProvider { .. } => {
                Some("See `ulak providers list` for the providers.".into())
            }
            IntegrationError::Spec(SpecError::Missing(_)) => {
                Some("Fill in the fields named above.".into())
            }
            IntegrationError::Spec(SpecError::Unknown(_)) => {
                Some("See `ulak providers show CHANNEL PROVIDER` for its fields.".into())
            }
            IntegrationError::Spec(SpecError::Invalid(v)) | IntegrationError::Invalid(v) => {
                v.hint()
            }
            IntegrationError::NotSetUp { .. } => {
                Some("Set it up first under Entegrasyonlar (or `ulak integrations set`).".into())
            }
            IntegrationError::Corrupt(_) => Some("Set the integration up again.".into()),
            IntegrationError::Store(s) => s.hint(),
        }
    }
    fn fields(&self) -> Vec<&'static str> {
        match self {
            IntegrationError::Spec(SpecError::Missing(m)) => m.clone(),
            _ => self.field().into_iter().collect(),
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            IntegrationError::Spec(SpecError::Missing(m)) => m.first().copied(),
            IntegrationError::Spec(SpecError::Invalid(v)) | IntegrationError::Invalid(v) => {
                v.field()
            }
            _ => None,
        }
    }
}

/// What the form or `ulak integrations set` sends: values by spec key (secrets among
/// them; an empty or absent secret keeps the stored one), and the base URL (None or
/// empty: the spec's default).
#[derive(Clone, Default, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct IntegrationInput {
    pub values: BTreeMap<String, String>,
    pub base_url: Option<String>,
    /// Messages a second at most, 1 to `LIMITS.rate_per_second`; None keeps what is
    /// stored (a new integration: the spec's default).
    #[serde(default)]
    #[specta(optional)]
    pub rate_per_second: Option<u32>,
}

impl std::fmt::Debug for IntegrationInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Which keys were given, never their values: some are secrets.
        f.debug_struct("IntegrationInput")
            .field("keys", &self.values.keys().collect::<Vec<_>>())
            .field("base_url", &self.base_url)
            .field("rate_per_second", &self.rate_per_second)
            .finish()
    }
}

fn owner(id: i64) -> String {
    format!("integration:{id}")
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    workspace_id: i64,
    channel: String,
    provider: String,
    settings: String,
    base_url: Option<String>,
    rate_per_second: Option<i64>,
    active: bool,
    last_error: Option<String>,
    last_code: Option<String>,
    last_error_at: Option<String>,
    created_at: String,
    updated_at: String,
}

async fn read(pool: &SqlitePool, r: Row) -> Result<Integration, IntegrationError> {
    let channel = Channel::parse(&r.channel)
        .ok_or_else(|| IntegrationError::Corrupt(format!("channel {}", r.channel)))?;
    let settings: BTreeMap<String, String> =
        serde_json::from_str(&r.settings).map_err(|e| IntegrationError::Corrupt(e.to_string()))?;
    // Which secret fields have a value: one read of the names, never the values.
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT name FROM secrets WHERE workspace_id = ?1 AND owner = ?2")
            .bind(r.workspace_id)
            .bind(owner(r.id))
            .fetch_all(pool)
            .await?;
    let secrets_set = spec::get(channel, &r.provider)
        .map(|spec| {
            spec.fields
                .iter()
                .filter(|f| f.kind == FieldKind::Secret && stored.iter().any(|n| n == f.key))
                .map(|f| f.key.to_string())
                .collect()
        })
        .unwrap_or_default();
    Ok(Integration {
        id: r.id,
        workspace_id: r.workspace_id,
        channel,
        provider: r.provider,
        settings,
        base_url: r.base_url,
        rate_per_second: r.rate_per_second.and_then(|r| u32::try_from(r).ok()),
        secrets_set,
        active: r.active,
        last_error: match (r.last_code, r.last_error, r.last_error_at) {
            (Some(code), Some(text), Some(at)) => Some(LastError {
                code: FailureCode::parse(&code),
                text,
                at,
            }),
            _ => None,
        },
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

const COLUMNS: &str =
    "id, workspace_id, channel, provider, settings, base_url, rate_per_second, active, \
     last_error, last_code, last_error_at, created_at, updated_at";

pub async fn list(
    pool: &SqlitePool,
    workspace_id: i64,
) -> Result<Vec<Integration>, IntegrationError> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM integrations WHERE workspace_id = ?1 ORDER BY channel, provider"
    ))
    .bind(workspace_id)
    .fetch_all(pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(read(pool, r).await?);
    }
    Ok(out)
}

async fn read_one(
    pool: &SqlitePool,
    row: Option<Row>,
) -> Result<Option<Integration>, IntegrationError> {
    match row {
        Some(r) => Ok(Some(read(pool, r).await?)),
        None => Ok(None),
    }
}

pub async fn get(
    pool: &SqlitePool,
    workspace_id: i64,
    channel: Channel,
    provider: &str,
) -> Result<Option<Integration>, IntegrationError> {
    let row = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM integrations WHERE workspace_id = ?1 AND channel = ?2 AND provider = ?3"
    ))
    .bind(workspace_id)
    .bind(channel.as_str())
    .bind(provider)
    .fetch_optional(pool)
    .await?;
    read_one(pool, row).await
}

/// The workspace's active integration with `provider` on `channel`, which a message is
/// queued through: its provider and id, or why there is none.
pub async fn sender(
    pool: &SqlitePool,
    workspace_id: i64,
    channel: Channel,
    provider: &str,
) -> Result<(String, i64), IntegrationError> {
    get(pool, workspace_id, channel, provider)
        .await?
        .filter(|i| i.active)
        .map(|i| (i.provider, i.id))
        .ok_or_else(|| IntegrationError::NotSetUp {
            channel: channel.as_str().into(),
            provider: provider.into(),
        })
}

/// One integration by id (what a queued message names as its account).
pub async fn by_id(
    pool: &SqlitePool,
    workspace_id: i64,
    id: i64,
) -> Result<Option<Integration>, IntegrationError> {
    let row = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM integrations WHERE workspace_id = ?1 AND id = ?2"
    ))
    .bind(workspace_id)
    .bind(id)
    .fetch_optional(pool)
    .await?;
    read_one(pool, row).await
}

/// Creates or changes the workspace's integration with a provider. Values not given
/// keep what is stored; everything is checked against the spec before anything is
/// written, and all of it is written in one transaction.
pub async fn set(
    pool: &SqlitePool,
    workspace_id: i64,
    channel: Channel,
    provider: &str,
    input: &IntegrationInput,
) -> Result<Integration, IntegrationError> {
    let spec = spec::get(channel, provider).ok_or_else(|| IntegrationError::UnknownProvider {
        channel: channel.as_str().into(),
        provider: provider.into(),
    })?;
    let existing = get(pool, workspace_id, channel, provider).await?;
    let mut values = existing
        .as_ref()
        .map(|e| e.settings.clone())
        .unwrap_or_default();
    for (k, v) in &input.values {
        values.insert(k.clone(), v.clone());
    }
    // A secret already stored counts as filled (on edit an empty one keeps it).
    let creating = existing.is_none();
    let checked = spec.check(&values, creating)?;
    if (channel, provider) == (Channel::Chat, crate::chat::slack::PROVIDER) {
        let stored = existing
            .as_ref()
            .map(|e| e.secrets_set.clone())
            .unwrap_or_default();
        crate::chat::slack::check_setup(&checked, &stored)?;
    }
    let base_url = match input.base_url.as_deref().map(str::trim) {
        None => existing.as_ref().and_then(|e| e.base_url.clone()),
        Some("") => None,
        Some(u) => Some(validate::url("baseUrl", u, true)?),
    };
    let rate = match input.rate_per_second {
        None => existing.as_ref().and_then(|e| e.rate_per_second),
        Some(r) if r >= 1 && r as usize <= validate::LIMITS.rate_per_second => Some(r),
        Some(_) => {
            return Err(ValidationError::Range {
                field: "ratePerSecond",
                min: 1,
                max: validate::LIMITS.rate_per_second as u64,
            }
            .into())
        }
    };
    let (secrets, plain): (Vec<_>, Vec<_>) = checked
        .into_iter()
        .partition(|(k, _)| spec.field(k).is_some_and(|f| f.kind == FieldKind::Secret));
    let settings: BTreeMap<&str, String> = plain.into_iter().collect();
    let settings = serde_json::to_string(&settings).expect("strings");
    let ts = now();
    let mut tx = pool.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO integrations (workspace_id, channel, provider, settings, base_url, rate_per_second, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?7, ?6, ?6)
         ON CONFLICT (workspace_id, channel, provider)
         DO UPDATE SET settings = excluded.settings, base_url = excluded.base_url,
                       rate_per_second = excluded.rate_per_second, updated_at = excluded.updated_at
         RETURNING id",
    )
    .bind(workspace_id)
    .bind(channel.as_str())
    .bind(provider)
    .bind(&settings)
    .bind(&base_url)
    .bind(&ts)
    .bind(rate)
    .fetch_one(&mut *tx)
    .await?;
    for (key, value) in secrets {
        secret::set(
            &mut *tx,
            workspace_id,
            &owner(id),
            key,
            &SecretString::from(value),
        )
        .await?;
    }
    tx.commit().await?;
    tracing::info!(
        workspace_id,
        integration_id = id,
        channel = channel.as_str(),
        provider,
        "integration saved"
    );
    get(pool, workspace_id, channel, provider)
        .await?
        .ok_or_else(|| IntegrationError::Corrupt("saved but not found".into()))
}

/// One secret of an integration, for the provider that sends with it.
pub async fn secret(
    pool: &SqlitePool,
    i: &Integration,
    key: &str,
) -> Result<Option<SecretString>, IntegrationError> {
    Ok(secret::get(pool, i.workspace_id, &owner(i.id), key).await?)
}

/// The base URL requests go to: the integration's own, else the spec's default.
pub fn base_url(i: &Integration) -> Option<String> {
    i.base_url
        .clone()
        .or_else(|| spec::get(i.channel, &i.provider).and_then(|s| s.base_url.clone()))
}

/// Messages a second the integration sends at most: its own setting, else the spec's
/// default; None: not paced.
pub fn rate(i: &Integration) -> Option<u32> {
    i.rate_per_second
        .or_else(|| spec::get(i.channel, &i.provider).and_then(|s| s.rate_per_second))
}

/// Deletes the integration and its secrets.
pub async fn remove(pool: &SqlitePool, workspace_id: i64, id: i64) -> Result<(), IntegrationError> {
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM integrations WHERE workspace_id = ?1 AND id = ?2")
        .bind(workspace_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    secret::delete_owner(&mut *tx, workspace_id, &owner(id)).await?;
    tx.commit().await?;
    tracing::info!(workspace_id, integration_id = id, "integration removed");
    Ok(())
}

/// Whether a failure is the integration's own trouble (every message through it would
/// fail the same way) rather than one message's (a wrong number).
pub fn is_account_trouble(f: &Failure) -> bool {
    matches!(f.kind, Kind::SignIn | Kind::Unreachable | Kind::Tls)
        || matches!(
            f.code,
            FailureCode::AccountMissing | FailureCode::RelayDenied
        )
}

/// Records how the integration last fared: a failure that is the account's sets its
/// error; a success clears it. Writes only when that changes.
pub async fn record(
    pool: &SqlitePool,
    workspace_id: i64,
    id: i64,
    outcome: Result<(), &Failure>,
) -> Result<(), IntegrationError> {
    match outcome {
        Ok(()) => {
            sqlx::query(
                "UPDATE integrations SET last_error = NULL, last_code = NULL, last_error_at = NULL,
                        error_told_at = NULL
                 WHERE workspace_id = ?1 AND id = ?2 AND last_error IS NOT NULL",
            )
            .bind(workspace_id)
            .bind(id)
            .execute(pool)
            .await?;
        }
        Err(f) if is_account_trouble(f) => {
            sqlx::query(
                "UPDATE integrations SET last_error = ?3, last_code = ?4, last_error_at = ?5,
                        error_told_at = CASE WHEN last_code IS ?4 THEN error_told_at END
                 WHERE workspace_id = ?1 AND id = ?2
                   AND (last_error IS NOT ?3 OR last_code IS NOT ?4)",
            )
            .bind(workspace_id)
            .bind(id)
            .bind(&f.text)
            .bind(f.code.as_str())
            .bind(now())
            .execute(pool)
            .await?;
        }
        Err(_) => {}
    }
    Ok(())
}

/// Integrations in trouble not told of yet, marked told now (each trouble is told once;
/// one mended and broken again is told again): channel, provider and the trouble's code.
pub async fn untold_errors(
    pool: &SqlitePool,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<(Channel, String, FailureCode)>, IntegrationError> {
    let rows: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "UPDATE integrations SET error_told_at = ?1
         WHERE last_error IS NOT NULL AND error_told_at IS NULL
         RETURNING channel, provider, last_code",
    )
    .bind(ulak_outbox::queue::timestamp(now))
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(channel, provider, code)| {
            Some((
                Channel::parse(&channel)?,
                provider,
                code.as_deref()
                    .map(FailureCode::parse)
                    .unwrap_or(FailureCode::Other),
            ))
        })
        .collect())
}
