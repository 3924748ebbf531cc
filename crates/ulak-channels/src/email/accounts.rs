//! SMTP accounts of a workspace (table `smtp_accounts`); the password lives in
//! `secrets` and leaves this module only as a `SecretString` or as "set / not set".
//! An account may sign in with an OAuth connection instead (`oauth`, migration 0017):
//! Microsoft's by SMTP with XOAUTH2, Google's through the Gmail API.

use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;
use ulak_core::store::{now, StoreError};
use ulak_core::validate::ValidationError;
use ulak_core::{secret, ErrorCode, UserFacing};

use crate::email::auth::Credentials;
use crate::email::server::{Security, ServerError, ServerParams};
use crate::oauth::{self, OAuthError};
use crate::spec;

pub use crate::email::resend_account::{link_integration, of_integration};
use chrono::Utc;
use ulak_outbox::senders::{self, Ceilings, Clock, Limits, Status};
use ulak_outbox::Channel;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub id: i64,
    pub workspace_id: i64,
    pub email: String,
    pub sender_name: String,
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: String,
    /// Never the password itself: the UI shows a mask when this is true.
    pub password_set: bool,
    /// A company relay that takes mail without a sign-in (no username, no password).
    pub no_auth: bool,
    pub trusted_ca: bool,
    /// Whether it sends: active or pending (`status`).
    pub active: bool,
    /// Set when the account signs in with OAuth (no password then).
    pub oauth: Option<AccountOAuth>,
    /// The provider whose servers these are ("Gmail", "Microsoft 365"); None: an SMTP
    /// server the provider table does not know.
    pub provider: Option<String>,
    pub status: Status,
    /// Why it is in error (the provider's words), if it is.
    pub status_reason: Option<String>,
    /// The user's limits.
    pub limits: Limits,
    /// The provider's ceilings, from its provider file.
    pub ceilings: Ceilings,
    /// Where replies go, when not to the sending address.
    pub reply_to: Option<String>,
    /// Put under every message the composer writes from this account.
    pub signature: Option<String>,
    /// The Resend integration this account sends through (its API, its key); set up
    /// on Entegrasyonlar, not here.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[specta(optional)]
    pub integration_id: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
}

/// The OAuth connection an account signs in with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AccountOAuth {
    pub connection_id: i64,
    pub provider: oauth::Provider,
    /// `error`: the provider withdrew the grant; the account must be connected again.
    pub status: oauth::ConnectionStatus,
}

impl Account {
    /// Whether this account's mail goes through Google's Gmail API, not SMTP.
    pub fn sends_by_gmail_api(&self) -> bool {
        self.oauth
            .as_ref()
            .is_some_and(|o| o.provider == oauth::Provider::Google)
    }

    /// Whether this account's mail goes through Resend's API (its integration).
    pub fn sends_by_resend(&self) -> bool {
        self.integration_id.is_some()
    }

    pub fn server(&self) -> ServerParams {
        ServerParams {
            host: self.host.clone(),
            port: self.port,
            security: self.security,
            username: self.username.clone(),
        }
    }
}

/// What the form or the CLI sends. `port` is as typed (0 or 70000 must be refusable);
/// `password: None` on edit keeps the stored one.
#[derive(Clone, Default, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AccountInput {
    pub email: String,
    pub sender_name: String,
    pub host: String,
    pub port: Option<i64>,
    pub security: Option<Security>,
    pub username: String,
    pub password: Option<String>,
    /// The user's limits; None keeps them as they are (a new account: none).
    #[serde(default)]
    pub limits: Option<Limits>,
    /// Switched on or off; None keeps it as it is.
    #[serde(default)]
    pub active: Option<bool>,
    /// A company relay that needs no sign-in: no username and no password (a stored
    /// one is deleted).
    #[serde(default)]
    pub no_auth: bool,
}

impl std::fmt::Debug for AccountInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountInput")
            .field("email", &self.email)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("limits", &self.limits)
            .field("active", &self.active)
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("SMTP settings are incomplete: {}", .missing.join(", "))]
    Incomplete { missing: Vec<&'static str> },
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error(transparent)]
    Server(#[from] ServerError),
    #[error("an account for {0} already exists in this workspace")]
    Duplicate(String),
    #[error("no SMTP account with id {0} in this workspace")]
    NotFound(i64),
    #[error("the company CA cannot be trusted: {0}")]
    BadCa(String),
    #[error("the server changed: type the password again (the saved one is not given to another server)")]
    PasswordAgain,
    /// A Resend account's address and server are its integration's (Entegrasyonlar).
    #[error("this account sends through Resend: change its address on Entegrasyonlar › E-posta › Resend")]
    Managed,
    #[error(transparent)]
    Integration(#[from] crate::integrations::IntegrationError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for AccountError {
    fn from(e: sqlx::Error) -> Self {
        AccountError::Store(StoreError::Database(e))
    }
}

impl UserFacing for AccountError {
    fn code(&self) -> ErrorCode {
        match self {
            AccountError::Incomplete { .. } => ErrorCode::SmtpSettingsIncomplete,
            AccountError::Invalid(v) => v.code(),
            AccountError::Server(s) => s.code(),
            AccountError::Duplicate(_) => ErrorCode::SmtpDuplicateAccount,
            AccountError::NotFound(_) => ErrorCode::SmtpAccountNotFound,
            AccountError::BadCa(why) if why.contains("private key") => ErrorCode::SmtpCaPrivateKey,
            AccountError::BadCa(_) => ErrorCode::SmtpCaInvalid,
            AccountError::PasswordAgain => ErrorCode::SmtpPasswordAgain,
            AccountError::Managed => ErrorCode::SmtpManagedByIntegration,
            AccountError::Integration(e) => e.code(),
            AccountError::Store(s) => s.code(),
        }
    }
    fn hint(&self) -> Option<String> {
        match self {
            AccountError::Incomplete { .. } => Some("Fill in the fields named above.".into()),
            AccountError::Invalid(v) => v.hint(),
            AccountError::Server(s) => s.hint(),
            AccountError::Duplicate(_) => Some("Edit the existing account instead.".into()),
            AccountError::NotFound(_) => {
                Some("List the accounts with `ulak accounts list`.".into())
            }
            AccountError::BadCa(why) if why.contains("private key") => Some(
                "Nothing was saved. A private key must stay with its owner: delete the copy you received and ask IT for the CA certificate (.crt or .pem) instead."
                    .into(),
            ),
            AccountError::BadCa(_) => Some(
                "Ask IT for the CA certificate as a PEM (Base-64) file; it starts with -----BEGIN CERTIFICATE-----."
                    .into(),
            ),
            AccountError::PasswordAgain => Some(
                "Type the account's password for the new server; Ulak keeps passwords for the server they were typed for."
                    .into(),
            ),
            AccountError::Integration(e) => e.hint(),
            AccountError::Managed => Some(
                "Open Entegrasyonlar › E-posta › Resend; limits and Reply-To stay editable here."
                    .into(),
            ),
            AccountError::Store(s) => s.hint(),
        }
    }
    fn fields(&self) -> Vec<&'static str> {
        match self {
            AccountError::Incomplete { missing } => missing.clone(),
            _ => self.field().into_iter().collect(),
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            AccountError::Incomplete { missing } => missing.first().copied(),
            AccountError::Invalid(v) => v.field(),
            AccountError::Server(s) => s.field(),
            AccountError::Duplicate(_) => Some("email"),
            AccountError::PasswordAgain => Some("password"),
            _ => None,
        }
    }
}

pub(crate) struct Checked {
    pub(crate) email: String,
    pub(crate) sender_name: String,
    pub(crate) server: ServerParams,
    pub(crate) password: Option<SecretString>,
}

impl AccountInput {
    /// Whether the form has a value for one of the SMTP spec's field keys.
    fn filled(&self, key: &str) -> bool {
        let text = |s: &str| !s.trim().is_empty();
        match key {
            "email" => text(&self.email),
            "senderName" => text(&self.sender_name),
            "host" => text(&self.host),
            "port" => self.port.is_some(),
            "security" => self.security.is_some(),
            "username" => text(&self.username),
            "password" => self.password.as_deref().is_some_and(|p| !p.is_empty()),
            _ => false,
        }
    }
}

/// Every rule of the form, on the Rust side: first the list of what is missing (the
/// SMTP spec's required fields), then each field's own check. `creating` makes the
/// password required.
pub(crate) fn check(input: &AccountInput, creating: bool) -> Result<Checked, AccountError> {
    let spec = spec::smtp();
    let mut missing = spec.missing(creating, |key| input.filled(key));
    // A relay without sign-in has neither a username nor a password to miss.
    if input.no_auth {
        missing.retain(|k| *k != "username" && *k != "password");
    }
    if !missing.is_empty() {
        return Err(AccountError::Incomplete { missing });
    }
    let field = |key: &str| spec.field(key).expect("a field of specs/email/smtp.toml");
    let email = field("email").check(&input.email)?;
    let sender_name = field("senderName").check(&input.sender_name)?;
    let server = if input.no_auth {
        ServerParams::validated_relay(
            &input.host,
            input.port.unwrap_or_default(),
            input.security.unwrap_or(Security::Starttls),
        )?
    } else {
        ServerParams::validated(
            &input.host,
            input.port.unwrap_or_default(),
            input.security.unwrap_or(Security::Starttls),
            &input.username,
        )?
    };
    let password = match input.password.as_deref() {
        _ if input.no_auth => None,
        None | Some("") => None,
        Some(p) => Some(SecretString::from(field("password").check(p)?)),
    };
    if let Some(l) = &input.limits {
        check_limits(l)?;
    }
    Ok(Checked {
        email,
        sender_name,
        server,
        password,
    })
}

/// The most a day's limit or a ramp-up can be, and the longest wait (a day).
pub const MAX_DAILY: u32 = 100_000;
pub const MAX_WAIT_MS: u32 = 86_400_000;

/// A limit of 0 a day would stop the account for good (switch it off instead); a wait
/// of more than a day is a typo.
pub fn check_limits(l: &Limits) -> Result<(), ValidationError> {
    let range = |field, value: u32, min: u32, max: u32| {
        if (min..=max).contains(&value) {
            Ok(())
        } else {
            Err(ValidationError::Range {
                field,
                min: u64::from(min),
                max: u64::from(max),
            })
        }
    };
    if let Some(d) = l.daily {
        range("dailyLimit", d, 1, MAX_DAILY)?;
    }
    if let Some(r) = l.ramp_up {
        range("rampUp", r, 1, MAX_DAILY)?;
    }
    range("minWait", l.min_wait_ms, 0, MAX_WAIT_MS)?;
    range("jitter", l.jitter_ms, 0, MAX_WAIT_MS)
}

fn owner(id: i64) -> String {
    format!("smtp_account:{id}")
}
const PASSWORD: &str = "password";

pub async fn create(
    pool: &SqlitePool,
    workspace_id: i64,
    input: &AccountInput,
) -> Result<Account, AccountError> {
    let c = check(input, true)?;
    let mut tx = pool.begin().await?;
    let ts = now();
    let r = sqlx::query(
        "INSERT INTO smtp_accounts (workspace_id, email, sender_name, host, port, security, username, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
    )
    .bind(workspace_id)
    .bind(&c.email)
    .bind(&c.sender_name)
    .bind(&c.server.host)
    .bind(i64::from(c.server.port))
    .bind(c.server.security.as_str())
    .bind(&c.server.username)
    .bind(&ts)
    .execute(&mut *tx)
    .await;
    let id = match r {
        Ok(r) => r.last_insert_rowid(),
        Err(sqlx::Error::Database(d)) if d.is_unique_violation() => {
            return Err(AccountError::Duplicate(c.email))
        }
        Err(e) => return Err(e.into()),
    };
    // Required on create, unless the account signs in with nothing (a relay).
    if let Some(pw) = &c.password {
        secret::set(&mut *tx, workspace_id, &owner(id), PASSWORD, pw).await?;
    }
    register(&mut tx, workspace_id, id, &c.email, &c.server.host, input).await?;
    tx.commit().await?;
    tracing::info!(workspace_id, account_id = id, "smtp account created");
    get(pool, workspace_id, id).await
}

pub async fn update(
    pool: &SqlitePool,
    workspace_id: i64,
    id: i64,
    input: &AccountInput,
) -> Result<Account, AccountError> {
    let before = get(pool, workspace_id, id).await?;
    if before.integration_id.is_some() {
        return crate::email::resend_account::update_managed(pool, workspace_id, &before, input)
            .await;
    }
    let c = check(input, false)?;
    // The saved password is never handed to another server: a new host, port or
    // security asks for it again (an OAuth account has no password to hand over).
    let moved = (c.server.host.as_str(), c.server.port, c.server.security)
        != (before.host.as_str(), before.port, before.security);
    if moved && c.password.is_none() && before.oauth.is_none() && !input.no_auth {
        return Err(AccountError::PasswordAgain);
    }
    let mut tx = pool.begin().await?;
    let r = sqlx::query(
        "UPDATE smtp_accounts SET email = ?3, sender_name = ?4, host = ?5, port = ?6, security = ?7, username = ?8, updated_at = ?9
         WHERE workspace_id = ?1 AND id = ?2",
    )
    .bind(workspace_id)
    .bind(id)
    .bind(&c.email)
    .bind(&c.sender_name)
    .bind(&c.server.host)
    .bind(i64::from(c.server.port))
    .bind(c.server.security.as_str())
    .bind(&c.server.username)
    .bind(now())
    .execute(&mut *tx)
    .await;
    match r {
        Ok(_) => {}
        Err(sqlx::Error::Database(d)) if d.is_unique_violation() => {
            return Err(AccountError::Duplicate(c.email))
        }
        Err(e) => return Err(e.into()),
    }
    if let Some(pw) = &c.password {
        secret::set(&mut *tx, workspace_id, &owner(id), PASSWORD, pw).await?;
    } else if input.no_auth {
        // A relay without sign-in keeps no password.
        secret::delete(&mut *tx, workspace_id, &owner(id), PASSWORD).await?;
    }
    register(&mut tx, workspace_id, id, &c.email, &c.server.host, input).await?;
    // Mended sign-in details: the account sends again, untested.
    let mended = c.password.is_some() || c.server != before.server() || input.no_auth;
    if before.status == Status::Error && mended && input.active != Some(false) {
        senders::set_status(&mut tx, key(id), Status::Pending, None, Utc::now()).await?;
    }
    tx.commit().await?;
    tracing::info!(workspace_id, account_id = id, "smtp account updated");
    get(pool, workspace_id, id).await
}

pub async fn remove(pool: &SqlitePool, workspace_id: i64, id: i64) -> Result<(), AccountError> {
    let mut tx = pool.begin().await?;
    let r = sqlx::query("DELETE FROM smtp_accounts WHERE workspace_id = ?1 AND id = ?2")
        .bind(workspace_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if r.rows_affected() == 0 {
        return Err(AccountError::NotFound(id));
    }
    secret::delete_owner(&mut *tx, workspace_id, &owner(id)).await?;
    senders::forget(&mut tx, key(id)).await?;
    tx.commit().await?;
    tracing::info!(workspace_id, account_id = id, "smtp account removed");
    Ok(())
}

const SELECT: &str =
    "SELECT a.id, a.workspace_id, a.email, a.sender_name, a.host, a.port, a.security, a.username,
        EXISTS (SELECT 1 FROM secrets s WHERE s.workspace_id = a.workspace_id
                AND s.owner = 'smtp_account:' || a.id AND s.name = 'password') AS password_set,
        a.trusted_ca_pem IS NOT NULL AS trusted_ca, a.created_at, a.updated_at,
        a.oauth_id, o.provider AS oauth_provider, o.status AS oauth_status,
        coalesce(s.status, 'pending') AS status, s.status_reason, s.daily_limit,
        coalesce(s.min_wait_ms, 0) AS min_wait_ms, coalesce(s.jitter_ms, 0) AS jitter_ms,
        s.ramp_up, s.ceiling_day, coalesce(s.ceiling_unit, 'messages') AS ceiling_unit,
        s.ceiling_minute, a.reply_to, a.signature, a.integration_id
    FROM smtp_accounts a LEFT JOIN oauth_connections o ON o.id = a.oauth_id
        LEFT JOIN senders s ON s.channel = 'email' AND s.account_id = a.id";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    workspace_id: i64,
    email: String,
    sender_name: String,
    host: String,
    port: i64,
    security: String,
    username: String,
    password_set: bool,
    trusted_ca: bool,
    created_at: String,
    updated_at: String,
    oauth_id: Option<i64>,
    oauth_provider: Option<String>,
    oauth_status: Option<String>,
    status: String,
    status_reason: Option<String>,
    daily_limit: Option<i64>,
    min_wait_ms: i64,
    jitter_ms: i64,
    ramp_up: Option<i64>,
    ceiling_day: Option<i64>,
    ceiling_unit: String,
    ceiling_minute: Option<i64>,
    reply_to: Option<String>,
    signature: Option<String>,
    integration_id: Option<i64>,
}

impl TryFrom<Row> for Account {
    type Error = AccountError;
    /// A row edited outside Ulak into nonsense is reported, not passed on.
    fn try_from(r: Row) -> Result<Self, AccountError> {
        let security = Security::parse(&r.security).ok_or_else(|| {
            AccountError::Store(StoreError::Database(sqlx::Error::Decode(
                format!("smtp_accounts.security = {:?}", r.security).into(),
            )))
        })?;
        // A status edited into nonsense stops the account rather than sending past it.
        let status = Status::parse(&r.status).unwrap_or(Status::Error);
        let provider =
            provider_of(&r.host, &r.email, r.oauth_provider.as_deref()).map(|p| p.name.clone());
        Ok(Account {
            id: r.id,
            workspace_id: r.workspace_id,
            email: r.email,
            sender_name: r.sender_name,
            host: r.host,
            port: crate::email::server::port(r.port)?,
            security,
            // No username and no OAuth: a relay that takes mail without a sign-in.
            no_auth: r.username.is_empty() && r.oauth_id.is_none(),
            integration_id: r.integration_id,
            username: r.username,
            reply_to: r.reply_to,
            signature: r.signature,
            // A Resend account's key is its integration's secret.
            password_set: r.password_set || r.integration_id.is_some(),
            trusted_ca: r.trusted_ca,
            active: status.sends(),
            provider,
            status,
            status_reason: r.status_reason,
            limits: Limits {
                daily: r.daily_limit.map(small),
                min_wait_ms: small(r.min_wait_ms),
                jitter_ms: small(r.jitter_ms),
                ramp_up: r.ramp_up.map(small),
            },
            ceilings: Ceilings {
                day: r.ceiling_day.map(small),
                unit: if r.ceiling_unit == "recipients" {
                    senders::Unit::Recipients
                } else {
                    senders::Unit::Messages
                },
                minute: r.ceiling_minute.map(small),
            },
            oauth: match (
                r.oauth_id,
                r.oauth_provider.as_deref().and_then(oauth::Provider::parse),
            ) {
                (Some(connection_id), Some(provider)) => Some(AccountOAuth {
                    connection_id,
                    provider,
                    status: if r.oauth_status.as_deref() == Some("error") {
                        oauth::ConnectionStatus::Error
                    } else {
                        oauth::ConnectionStatus::Active
                    },
                }),
                _ => None,
            },
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

fn small(n: i64) -> u32 {
    n.clamp(0, i64::from(u32::MAX)) as u32
}

/// The outbox's key for an e-mail account.
pub fn key(id: i64) -> senders::Key {
    senders::Key {
        channel: Channel::Email,
        account_id: id,
    }
}

/// The provider an account sends through: its OAuth provider's, or the one whose SMTP
/// server it names.
fn provider_of(
    host: &str,
    email: &str,
    oauth: Option<&str>,
) -> Option<&'static crate::email::providers::Provider> {
    use crate::email::providers;
    let domain = email.rsplit('@').next().unwrap_or("");
    match oauth {
        Some("google") => providers::by_id("gmail"),
        Some("microsoft") => match providers::by_domain(domain) {
            Some(p) if p.id == "outlook" => Some(p),
            _ => providers::by_id("microsoft365"),
        },
        _ => providers::by_host(host),
    }
}

/// The account's row in the outbox's `senders`: its address, its provider's ceilings,
/// and what the form said of its limits and its switch.
pub(crate) async fn register(
    tx: &mut sqlx::SqliteConnection,
    workspace_id: i64,
    id: i64,
    email: &str,
    host: &str,
    input: &AccountInput,
) -> Result<(), AccountError> {
    let oauth: Option<(String,)> = sqlx::query_as(
        "SELECT o.provider FROM smtp_accounts a JOIN oauth_connections o ON o.id = a.oauth_id
         WHERE a.id = ?1",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let ceilings = provider_of(host, email, oauth.as_ref().map(|o| o.0.as_str()))
        .map(|p| p.ceilings(email))
        .unwrap_or_default();
    let now = Utc::now();
    senders::register(tx, workspace_id, key(id), email, ceilings, now)
        .await
        .map_err(outbox_error)?;
    if let Some(limits) = &input.limits {
        senders::set_limits(tx, key(id), limits, &Clock::local(now))
            .await
            .map_err(outbox_error)?;
    }
    let status: Option<(String,)> =
        sqlx::query_as("SELECT status FROM senders WHERE channel = 'email' AND account_id = ?1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    let status = status.and_then(|s| Status::parse(&s.0));
    match (input.active, status) {
        (Some(false), Some(s)) if s != Status::Inactive => {
            senders::set_status(tx, key(id), Status::Inactive, None, now)
                .await
                .map_err(outbox_error)?
        }
        (Some(true), Some(Status::Inactive)) => {
            senders::set_status(tx, key(id), Status::Pending, None, now)
                .await
                .map_err(outbox_error)?
        }
        _ => {}
    }
    Ok(())
}

impl From<ulak_outbox::OutboxError> for AccountError {
    fn from(e: ulak_outbox::OutboxError) -> Self {
        outbox_error(e)
    }
}

fn outbox_error(e: ulak_outbox::OutboxError) -> AccountError {
    match e {
        ulak_outbox::OutboxError::Store(s) => AccountError::Store(s),
        ulak_outbox::OutboxError::NotFound => {
            AccountError::Store(StoreError::Database(sqlx::Error::RowNotFound))
        }
        other => AccountError::Store(StoreError::Database(sqlx::Error::Protocol(
            other.to_string(),
        ))),
    }
}

/// Sets an account's status by hand (the switch) or as a test found it.
pub async fn set_status(
    pool: &SqlitePool,
    workspace_id: i64,
    id: i64,
    status: Status,
    reason: Option<&str>,
) -> Result<Account, AccountError> {
    get(pool, workspace_id, id).await?;
    let mut c = pool.acquire().await?;
    senders::set_status(&mut c, key(id), status, reason, Utc::now())
        .await
        .map_err(outbox_error)?;
    get(pool, workspace_id, id).await
}

pub async fn get(pool: &SqlitePool, workspace_id: i64, id: i64) -> Result<Account, AccountError> {
    let row: Option<Row> =
        sqlx::query_as(&format!("{SELECT} WHERE a.workspace_id = ?1 AND a.id = ?2"))
            .bind(workspace_id)
            .bind(id)
            .fetch_optional(pool)
            .await?;
    row.ok_or(AccountError::NotFound(id))?.try_into()
}

pub async fn list(pool: &SqlitePool, workspace_id: i64) -> Result<Vec<Account>, AccountError> {
    let rows: Vec<Row> =
        sqlx::query_as(&format!("{SELECT} WHERE a.workspace_id = ?1 ORDER BY a.id"))
            .bind(workspace_id)
            .fetch_all(pool)
            .await?;
    rows.into_iter().map(Account::try_from).collect()
}

pub async fn by_email(
    pool: &SqlitePool,
    workspace_id: i64,
    email: &str,
) -> Result<Option<Account>, AccountError> {
    let row: Option<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE a.workspace_id = ?1 AND a.email = ?2"
    ))
    .bind(workspace_id)
    .bind(email.trim())
    .fetch_optional(pool)
    .await?;
    row.map(Account::try_from).transpose()
}

/// The account signing in with the OAuth connection `c`: a new account for its
/// address, or the existing one of that address linked to it (connecting again).
/// `server` is where it sends by SMTP; by default the provider's (Microsoft's
/// submission server; Google's accounts send through the Gmail API and keep Gmail's
/// SMTP server only as their record). A password it had is deleted.
pub async fn link_oauth(
    pool: &SqlitePool,
    workspace_id: i64,
    c: &oauth::Connection,
    sender_name: &str,
    server: Option<ServerParams>,
) -> Result<Account, AccountError> {
    let spec = spec::smtp();
    let field = |key: &str| spec.field(key).expect("a field of specs/email/smtp.toml");
    let sender_name = field("senderName").check(sender_name)?;
    let server = match server {
        Some(s) => s,
        None => {
            let (host, port, security) = match c.provider.smtp_server() {
                Some((h, p)) => (h, p, Security::Starttls),
                None => ("smtp.gmail.com", 465, Security::Tls),
            };
            ServerParams::validated(host, i64::from(port), security, &c.address)?
        }
    };
    let mut tx = pool.begin().await?;
    let ts = now();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO smtp_accounts (workspace_id, email, sender_name, host, port, security, username, oauth_id, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)
         ON CONFLICT (workspace_id, email) DO UPDATE SET
            sender_name = excluded.sender_name, host = excluded.host, port = excluded.port,
            security = excluded.security, username = excluded.username,
            oauth_id = excluded.oauth_id, updated_at = excluded.updated_at
         RETURNING id",
    )
    .bind(workspace_id)
    .bind(&c.address)
    .bind(&sender_name)
    .bind(&server.host)
    .bind(i64::from(server.port))
    .bind(server.security.as_str())
    .bind(&server.username)
    .bind(c.id)
    .bind(&ts)
    .fetch_one(&mut *tx)
    .await?;
    secret::delete(&mut *tx, workspace_id, &owner(id), PASSWORD).await?;
    let fresh = AccountInput::default();
    register(&mut tx, workspace_id, id, &c.address, &server.host, &fresh).await?;
    // Connected again: it sends again, untested.
    sqlx::query(
        "UPDATE senders SET status = 'pending', status_reason = NULL, blocked_until = NULL
         WHERE channel = 'email' AND account_id = ?1 AND status = 'error'",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::info!(
        workspace_id,
        account_id = id,
        connection_id = c.id,
        "smtp account linked to an oauth connection"
    );
    get(pool, workspace_id, id).await
}

/// How the account signs in now: its password, or a fresh OAuth access token
/// (refreshed first when it is about to expire).
pub async fn credentials(pool: &SqlitePool, a: &Account) -> Result<Credentials, OAuthError> {
    match &a.oauth {
        Some(o) => Ok(Credentials::OAuth2 {
            user: a.username.clone(),
            access_token: oauth::connections::access_token(pool, a.workspace_id, o.connection_id)
                .await?,
        }),
        None => match secret::get(pool, a.workspace_id, &owner(a.id), PASSWORD).await? {
            Some(password) => Ok(Credentials::Password {
                user: a.username.clone(),
                password,
            }),
            // A relay that takes mail without a sign-in.
            None if a.no_auth => Ok(Credentials::None),
            // Neither a password nor a connection: the account's OAuth connection was
            // removed (disconnected from another account of the same address).
            None => Err(OAuthError::Reconnect {
                address: a.email.clone(),
            }),
        },
    }
}

/// The stored password, for the transport only.
pub async fn password(
    pool: &SqlitePool,
    workspace_id: i64,
    id: i64,
) -> Result<Option<SecretString>, AccountError> {
    Ok(secret::get(pool, workspace_id, &owner(id), PASSWORD).await?)
}

/// The longest signature kept (a few lines, a logo's alt text, a disclaimer).
pub const SIGNATURE_MAX: usize = 2000;

/// Sets what goes with the account's messages: a Reply-To address and a signature.
/// Empty clears either; each is checked (an address; at most `SIGNATURE_MAX`
/// characters, line breaks allowed, no other control characters).
pub async fn set_extras(
    pool: &SqlitePool,
    workspace_id: i64,
    id: i64,
    reply_to: &str,
    signature: &str,
) -> Result<Account, AccountError> {
    let reply_to = ulak_core::validate::email("replyTo", reply_to, false)?;
    let signature = signature.replace("\r\n", "\n");
    let signature = signature.trim_matches(|c: char| c == '\n' || c == ' ');
    if signature.chars().count() > SIGNATURE_MAX {
        return Err(ValidationError::TooLong {
            field: "signature",
            max: SIGNATURE_MAX,
        }
        .into());
    }
    if signature
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(ValidationError::ControlChars { field: "signature" }.into());
    }
    let none_if_empty = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let r = sqlx::query(
        "UPDATE smtp_accounts SET reply_to = ?3, signature = ?4, updated_at = ?5
         WHERE workspace_id = ?1 AND id = ?2",
    )
    .bind(workspace_id)
    .bind(id)
    .bind(none_if_empty(&reply_to))
    .bind(none_if_empty(signature))
    .bind(now())
    .execute(pool)
    .await?;
    if r.rows_affected() == 0 {
        return Err(AccountError::NotFound(id));
    }
    get(pool, workspace_id, id).await
}

/// Trusts a company CA (PEM) for this account only, checked first (`tls::check_ca`);
/// None removes it. Never a blanket "accept all".
pub async fn set_trusted_ca(
    pool: &SqlitePool,
    workspace_id: i64,
    id: i64,
    pem: Option<&str>,
) -> Result<Account, AccountError> {
    if let Some(pem) = pem {
        crate::email::tls::check_ca(pem).map_err(AccountError::BadCa)?;
    }
    let r = sqlx::query("UPDATE smtp_accounts SET trusted_ca_pem = ?3, updated_at = ?4 WHERE workspace_id = ?1 AND id = ?2")
        .bind(workspace_id)
        .bind(id)
        .bind(pem)
        .bind(now())
        .execute(pool)
        .await?;
    if r.rows_affected() == 0 {
        return Err(AccountError::NotFound(id));
    }
    get(pool, workspace_id, id).await
}

pub async fn trusted_ca(
    pool: &SqlitePool,
    workspace_id: i64,
    id: i64,
) -> Result<Option<String>, AccountError> {
    let row: Option<(Option<String>,)> = sqlx::query_as(
        "SELECT trusted_ca_pem FROM smtp_accounts WHERE workspace_id = ?1 AND id = ?2",
    )
    .bind(workspace_id)
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.ok_or(AccountError::NotFound(id))?.0)
}

pub use crate::email::account_check::{test_connection, test_typed};

#[cfg(test)]
mod tests {
    use super::*;

    fn full() -> AccountInput {
        AccountInput {
            email: "ayşe@örnek.com.tr".into(),
            sender_name: "Ayşe Öztürk".into(),
            host: "smtp.örnek.com.tr".into(),
            port: Some(587),
            security: Some(Security::Starttls),
            username: "ayşe@örnek.com.tr".into(),
            password: Some("gizli".into()),
            ..Default::default()
        }
    }

    #[test]
    fn an_accounts_provider_and_ceilings_follow_its_sign_in_and_server() {
        let name = |host: &str, email: &str, oauth: Option<&str>| {
            provider_of(host, email, oauth).map(|p| (p.name.clone(), p.ceilings(email)))
        };
        let (n, c) = name(
            "smtp.office365.com",
            "ayse@hotmail.com.tr",
            Some("microsoft"),
        )
        .unwrap();
        assert_eq!((n.as_str(), c.day), ("Outlook.com / Hotmail", Some(5000)));
        let (n, c) = name("smtp.office365.com", "ayse@firma.com.tr", Some("microsoft")).unwrap();
        assert_eq!((n.as_str(), c.minute), ("Microsoft 365", Some(30)));
        let (n, c) = name("smtp.gmail.com", "ayse@firma.com.tr", Some("google")).unwrap();
        assert_eq!((n.as_str(), c.day), ("Gmail", Some(2000)), "Workspace");
        let (n, c) = name("SMTP.GMAIL.COM", "ayse@gmail.com", None).unwrap();
        assert_eq!((n.as_str(), c.day), ("Gmail", Some(500)));
        assert!(name("smtp.firma.com.tr", "ayse@firma.com.tr", None).is_none());
    }

    #[test]
    fn every_smtp_spec_field_is_a_field_of_the_input() {
        let input = full();
        for f in &spec::smtp().fields {
            assert!(
                input.filled(f.key),
                "{} is not read from AccountInput",
                f.key
            );
        }
        assert!(check(&input, true).is_ok());
    }

    #[test]
    fn the_spec_decides_what_is_missing() {
        let input = AccountInput {
            sender_name: "Ayşe".into(),
            ..AccountInput::default()
        };
        match check(&input, true) {
            Err(AccountError::Incomplete { missing }) => assert_eq!(
                missing,
                ["email", "host", "port", "security", "username", "password"]
            ),
            other => panic!("{:?}", other.err()),
        }
        let edit = AccountInput {
            password: None,
            ..full()
        };
        assert!(check(&edit, false).is_ok(), "on edit the password is kept");
        let zero = AccountInput {
            limits: Some(Limits {
                daily: Some(0),
                ..Limits::PROPOSED
            }),
            ..full()
        };
        assert!(matches!(
            check(&zero, true),
            Err(AccountError::Invalid(ValidationError::Range {
                field: "dailyLimit",
                ..
            }))
        ));
        let injected = AccountInput {
            password: Some("gizli\r\nMAIL FROM:<x@y.com>".into()),
            ..full()
        };
        assert!(matches!(
            check(&injected, true),
            Err(AccountError::Invalid(ValidationError::ControlChars {
                field: "password"
            }))
        ));
    }
}
