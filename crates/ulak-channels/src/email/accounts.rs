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
    pub trusted_ca: bool,
    pub active: bool,
    /// Set when the account signs in with OAuth (no password then).
    pub oauth: Option<AccountOAuth>,
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
    #[error("the company CA file is not a PEM certificate: {0}")]
    BadCa(String),
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
            AccountError::BadCa(_) => ErrorCode::SmtpCaInvalid,
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
            AccountError::BadCa(_) => Some(
                "Ask IT for the CA certificate as a PEM (Base-64) file; it starts with -----BEGIN CERTIFICATE-----."
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
            _ => None,
        }
    }
}

struct Checked {
    email: String,
    sender_name: String,
    server: ServerParams,
    password: Option<SecretString>,
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
fn check(input: &AccountInput, creating: bool) -> Result<Checked, AccountError> {
    let spec = spec::smtp();
    let missing = spec.missing(creating, |key| input.filled(key));
    if !missing.is_empty() {
        return Err(AccountError::Incomplete { missing });
    }
    let field = |key: &str| spec.field(key).expect("a field of specs/email/smtp.toml");
    let email = field("email").check(&input.email)?;
    let sender_name = field("senderName").check(&input.sender_name)?;
    let server = ServerParams::validated(
        &input.host,
        input.port.unwrap_or_default(),
        input.security.unwrap_or(Security::Starttls),
        &input.username,
    )?;
    let password = match input.password.as_deref() {
        None | Some("") => None,
        Some(p) => Some(SecretString::from(field("password").check(p)?)),
    };
    Ok(Checked {
        email,
        sender_name,
        server,
        password,
    })
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
    let pw = c.password.expect("checked: required on create");
    secret::set(&mut *tx, workspace_id, &owner(id), PASSWORD, &pw).await?;
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
    get(pool, workspace_id, id).await?;
    let c = check(input, false)?;
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
    tx.commit().await?;
    tracing::info!(workspace_id, account_id = id, "smtp account removed");
    Ok(())
}

const SELECT: &str =
    "SELECT a.id, a.workspace_id, a.email, a.sender_name, a.host, a.port, a.security, a.username,
        EXISTS (SELECT 1 FROM secrets s WHERE s.workspace_id = a.workspace_id
                AND s.owner = 'smtp_account:' || a.id AND s.name = 'password') AS password_set,
        a.trusted_ca_pem IS NOT NULL AS trusted_ca, a.active, a.created_at, a.updated_at,
        a.oauth_id, o.provider AS oauth_provider, o.status AS oauth_status
    FROM smtp_accounts a LEFT JOIN oauth_connections o ON o.id = a.oauth_id";

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
    active: bool,
    created_at: String,
    updated_at: String,
    oauth_id: Option<i64>,
    oauth_provider: Option<String>,
    oauth_status: Option<String>,
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
        Ok(Account {
            id: r.id,
            workspace_id: r.workspace_id,
            email: r.email,
            sender_name: r.sender_name,
            host: r.host,
            port: crate::email::server::port(r.port)?,
            security,
            username: r.username,
            password_set: r.password_set,
            trusted_ca: r.trusted_ca,
            active: r.active,
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

/// Trusts a company CA (PEM) for this account only; never a blanket "accept all".
pub async fn set_trusted_ca(
    pool: &SqlitePool,
    workspace_id: i64,
    id: i64,
    pem: Option<&str>,
) -> Result<Account, AccountError> {
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

/// "Bağlantıyı Test Et" for a saved account: its password (or OAuth token, refreshed
/// when due), its trusted CA, and what the provider table knows about signing in. Sends
/// nothing. A Google account (Gmail API) is tested by getting its token.
pub async fn test_connection(
    pool: &SqlitePool,
    workspace_id: i64,
    id: i64,
) -> Result<crate::email::probe::ProbeReport, AccountError> {
    use crate::email::probe::ProbeReport;
    let a = get(pool, workspace_id, id).await?;
    let password = password(pool, workspace_id, id)
        .await?
        .unwrap_or_else(|| SecretString::from(String::new()));
    let mut token = None;
    if let Some(o) = &a.oauth {
        let started = std::time::Instant::now();
        // The test asks the provider: the token is refreshed, not taken from the store.
        let fresh = match oauth::connections::expire(pool, workspace_id, o.connection_id).await {
            Ok(()) => oauth::connections::access_token(pool, workspace_id, o.connection_id).await,
            Err(e) => Err(e),
        };
        match fresh {
            Ok(_) if a.sends_by_gmail_api() => {
                let millis = started.elapsed().as_millis() as u64;
                return Ok(ProbeReport::api_signed_in(&a.email, millis));
            }
            Ok(t) => token = Some(t),
            Err(e) => {
                return Ok(ProbeReport::sign_in_failed(
                    e.code(),
                    e.to_string(),
                    e.hint().unwrap_or_default(),
                ))
            }
        }
    }
    let ca = trusted_ca(pool, workspace_id, id).await?;
    let server = a.server();
    let mut cfg = crate::email::probe::ProbeConfig::new(&server, &password);
    cfg.oauth_token = token;
    cfg.extra_ca_pem = ca.as_deref();
    cfg.provider_auth = crate::email::autoconfig::builtin(&a.email).and_then(|s| s.auth);
    let report = crate::email::probe::probe(&cfg).await;
    tracing::info!(
        workspace_id,
        account_id = id,
        success = report.success,
        "connection test"
    );
    Ok(report)
}

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
        }
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
