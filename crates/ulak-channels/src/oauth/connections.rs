//! Accounts signed in with OAuth (table `oauth_connections`, migration 0017). The
//! access and refresh tokens are secrets (owner `oauth:<id>`); they leave this module
//! only as a `SecretString` handed to a sender, never to the UI, a log or an error.
//!
//! `access_token` refreshes a token that expires within a minute. Microsoft may send
//! a new refresh token with each refresh: it replaces the old one at once (Google's
//! stays). A refresh answered `invalid_grant` marks the connection `error`: it is not
//! used again until the user connects it anew.

use std::time::Duration;

use oauth2::{RefreshToken, Scope, TokenResponse as _};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use sqlx::SqlitePool;
use ulak_core::secret;
use ulak_core::store::{now, StoreError};

use super::flow::{client, http, token_error, Granted};
use super::{app, OAuthError, Provider};

/// An access token this close to its expiry is refreshed before use.
const MARGIN: Duration = Duration::from_secs(60);

const ACCESS: &str = "access_token";
const REFRESH: &str = "refresh_token";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum ConnectionStatus {
    Active,
    /// The provider withdrew the grant (a refused refresh): connect again.
    Error,
}

/// A connected account as the UI and the CLI see it: never a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Connection {
    pub id: i64,
    pub workspace_id: i64,
    pub provider: Provider,
    pub address: String,
    pub scopes: Vec<String>,
    pub expires_at: Option<String>,
    pub status: ConnectionStatus,
    pub created_at: String,
    pub updated_at: String,
}

fn owner(id: i64) -> String {
    format!("oauth:{id}")
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    workspace_id: i64,
    provider: String,
    address: String,
    scopes: String,
    expires_at: Option<String>,
    status: String,
    created_at: String,
    updated_at: String,
}

impl TryFrom<Row> for Connection {
    type Error = OAuthError;
    fn try_from(r: Row) -> Result<Self, OAuthError> {
        let corrupt = |what: String| {
            OAuthError::Store(StoreError::Database(sqlx::Error::Decode(what.into())))
        };
        Ok(Connection {
            id: r.id,
            workspace_id: r.workspace_id,
            provider: Provider::parse(&r.provider)
                .ok_or_else(|| corrupt(format!("oauth_connections.provider = {:?}", r.provider)))?,
            address: r.address,
            scopes: r.scopes.split_whitespace().map(str::to_string).collect(),
            expires_at: r.expires_at,
            status: match r.status.as_str() {
                "active" => ConnectionStatus::Active,
                "error" => ConnectionStatus::Error,
                s => return Err(corrupt(format!("oauth_connections.status = {s:?}"))),
            },
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

const SELECT: &str = "SELECT id, workspace_id, provider, address, scopes, expires_at, status, created_at, updated_at FROM oauth_connections";

/// When a token given `expires_in` expires; None (used until refused) for no answer
/// or one beyond the calendar's range.
fn expiry(expires_in: Option<Duration>) -> Option<String> {
    let d = chrono::Duration::from_std(expires_in?).ok()?;
    chrono::Utc::now()
        .checked_add_signed(d)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
}

/// Keeps what a sign-in granted: a new connection, or the same provider and address
/// connected again (new tokens, status active again). Returns it.
pub async fn save(
    pool: &SqlitePool,
    workspace_id: i64,
    g: &Granted,
) -> Result<Connection, OAuthError> {
    let mut tx = pool.begin().await?;
    let ts = now();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO oauth_connections (workspace_id, provider, address, scopes, expires_at, status, created_at, updated_at, resource)
         VALUES (?1, ?2, ?3, ?4, ?5, 'active', ?6, ?6, ?7)
         ON CONFLICT (workspace_id, provider, address, resource) DO UPDATE SET
            scopes = excluded.scopes, expires_at = excluded.expires_at, status = 'active',
            error_told_at = NULL, updated_at = excluded.updated_at
         RETURNING id",
    )
    .bind(workspace_id)
    .bind(g.provider.as_str())
    .bind(&g.address)
    .bind(g.scopes.join(" "))
    .bind(expiry(g.expires_in))
    .bind(&ts)
    .bind(g.resource)
    .fetch_one(&mut *tx)
    .await?;
    secret::set(&mut *tx, workspace_id, &owner(id), ACCESS, &g.access).await?;
    if let Some(r) = &g.refresh {
        secret::set(&mut *tx, workspace_id, &owner(id), REFRESH, r).await?;
    }
    tx.commit().await?;
    tracing::info!(
        workspace_id,
        connection_id = id,
        provider = g.provider.as_str(),
        "oauth connection saved"
    );
    get(pool, workspace_id, id).await
}

/// The workspace's latest active connection to `provider` granted `scope` (what the
/// calendar, Sheets, Contacts, Drive and Teams each sign in for), if any; when every
/// such connection's grant was withdrawn, the latest of them (its card says "Hata",
/// connect again, rather than "not connected").
pub async fn granted(
    pool: &SqlitePool,
    workspace_id: i64,
    provider: super::Provider,
    scope: &str,
) -> Result<Option<Connection>, OAuthError> {
    let mut found: Vec<Connection> = list(pool, workspace_id)
        .await?
        .into_iter()
        .filter(|c| c.provider == provider && c.scopes.iter().any(|s| s == scope))
        .collect();
    // The latest signed in (a connection signed in again keeps its id).
    found.sort_by(|a, b| a.updated_at.cmp(&b.updated_at));
    let active = found
        .iter()
        .rposition(|c| c.status == ConnectionStatus::Active);
    Ok(match active {
        Some(i) => Some(found.swap_remove(i)),
        None => found.pop(),
    })
}

pub async fn list(pool: &SqlitePool, workspace_id: i64) -> Result<Vec<Connection>, OAuthError> {
    let rows: Vec<Row> = sqlx::query_as(&format!("{SELECT} WHERE workspace_id = ?1 ORDER BY id"))
        .bind(workspace_id)
        .fetch_all(pool)
        .await?;
    rows.into_iter().map(Connection::try_from).collect()
}

pub async fn get(pool: &SqlitePool, workspace_id: i64, id: i64) -> Result<Connection, OAuthError> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE workspace_id = ?1 AND id = ?2"))
        .bind(workspace_id)
        .bind(id)
        .fetch_optional(pool)
        .await?;
    row.ok_or(OAuthError::NotFound(id))?.try_into()
}

/// One refresh at a time in this process: two senders needing the same token wait for
/// one answer (a rotated refresh token must not be spent twice).
fn refreshing() -> &'static tokio::sync::Mutex<()> {
    static LOCK: std::sync::OnceLock<tokio::sync::Mutex<()>> = std::sync::OnceLock::new();
    LOCK.get_or_init(|| tokio::sync::Mutex::new(()))
}

fn fresh(c: &Connection) -> bool {
    let Some(at) = c
        .expires_at
        .as_deref()
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
    else {
        // No expiry was given: the token is used until a provider refuses it.
        return true;
    };
    let margin = chrono::Duration::from_std(MARGIN).expect("a minute");
    at.with_timezone(&chrono::Utc) - margin > chrono::Utc::now()
}

/// A usable access token for the connection, refreshed first when it is about to
/// expire. A connection in error, or a refresh refused with `invalid_grant`
/// (which puts it in error), answers `Reconnect`.
pub async fn access_token(
    pool: &SqlitePool,
    workspace_id: i64,
    id: i64,
) -> Result<SecretString, OAuthError> {
    let reconnect = |c: &Connection| OAuthError::Reconnect {
        address: c.address.clone(),
    };
    let c = get(pool, workspace_id, id).await?;
    if c.status == ConnectionStatus::Error {
        return Err(reconnect(&c));
    }
    if fresh(&c) {
        if let Some(t) = secret::get(pool, workspace_id, &owner(id), ACCESS).await? {
            return Ok(t);
        }
    }
    let _one = refreshing().lock().await;
    // Another task may have refreshed while this one waited.
    let c = get(pool, workspace_id, id).await?;
    if c.status == ConnectionStatus::Error {
        return Err(reconnect(&c));
    }
    if fresh(&c) {
        if let Some(t) = secret::get(pool, workspace_id, &owner(id), ACCESS).await? {
            return Ok(t);
        }
    }
    refresh(pool, &c).await
}

async fn refresh(pool: &SqlitePool, c: &Connection) -> Result<SecretString, OAuthError> {
    let Some(rt) = secret::get(pool, c.workspace_id, &owner(c.id), REFRESH).await? else {
        mark_error(pool, c).await?;
        return Err(OAuthError::Reconnect {
            address: c.address.clone(),
        });
    };
    let a = app(pool, c.provider).await?;
    let rt = RefreshToken::new(rt.expose_secret().to_string());
    let client = client(&a, None)?;
    let mut request = client.exchange_refresh_token(&rt);
    // Microsoft's refresh tokens serve several resources: its v2 endpoint wants the
    // scopes (of this connection's one resource) named again. Google keeps the grant's.
    if c.provider == Provider::Microsoft {
        request = request.add_scopes(c.scopes.iter().map(|s| Scope::new(s.clone())));
    }
    let t = request
        .request_async(&http())
        .await
        .map_err(|e| token_error(e, Some(&c.address)));
    let t = match t {
        Ok(t) => t,
        Err(e @ OAuthError::Reconnect { .. }) => {
            mark_error(pool, c).await?;
            tracing::warn!(
                connection_id = c.id,
                provider = c.provider.as_str(),
                "oauth refresh refused (invalid_grant): connect again"
            );
            return Err(e);
        }
        Err(e) => return Err(e),
    };
    let access = SecretString::from(t.access_token().secret().clone());
    let mut tx = pool.begin().await?;
    secret::set(&mut *tx, c.workspace_id, &owner(c.id), ACCESS, &access).await?;
    if let Some(r) = t.refresh_token() {
        // Microsoft rotates refresh tokens: the new one is the only one that counts.
        secret::set(
            &mut *tx,
            c.workspace_id,
            &owner(c.id),
            REFRESH,
            &SecretString::from(r.secret().clone()),
        )
        .await?;
    }
    sqlx::query("UPDATE oauth_connections SET expires_at = ?3, updated_at = ?4 WHERE workspace_id = ?1 AND id = ?2")
        .bind(c.workspace_id)
        .bind(c.id)
        .bind(expiry(t.expires_in()))
        .bind(now())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    tracing::info!(
        connection_id = c.id,
        provider = c.provider.as_str(),
        "oauth access token refreshed"
    );
    Ok(access)
}

/// Takes the stored access token as expired (an API refused it before its time): the
/// next `access_token` refreshes it, and a withdrawn grant shows then.
pub async fn expire(pool: &SqlitePool, workspace_id: i64, id: i64) -> Result<(), OAuthError> {
    sqlx::query("UPDATE oauth_connections SET expires_at = ?3 WHERE workspace_id = ?1 AND id = ?2")
        .bind(workspace_id)
        .bind(id)
        .bind(now())
        .execute(pool)
        .await?;
    Ok(())
}

/// The addresses of connections gone to error that Bildirimler has not told yet, in
/// every workspace, marked told as they are read (each is told once; connecting
/// again clears the mark).
pub async fn untold_errors(pool: &SqlitePool) -> Result<Vec<String>, OAuthError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "UPDATE oauth_connections SET error_told_at = ?1
         WHERE status = 'error' AND error_told_at IS NULL
         RETURNING address, resource",
    )
    .bind(now())
    .fetch_all(pool)
    .await?;
    // A Graph sign-in (Teams meetings) is named as such: the same address's sending
    // account is another connection, with troubles of its own.
    Ok(rows
        .into_iter()
        .map(|(a, resource)| match resource.as_str() {
            "graph" => format!("{a} — Microsoft Teams"),
            _ => a,
        })
        .collect())
}

async fn mark_error(pool: &SqlitePool, c: &Connection) -> Result<(), OAuthError> {
    sqlx::query("UPDATE oauth_connections SET status = 'error', updated_at = ?3 WHERE workspace_id = ?1 AND id = ?2")
        .bind(c.workspace_id)
        .bind(c.id)
        .bind(now())
        .execute(pool)
        .await?;
    Ok(())
}

/// What disconnecting did at the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Revocation {
    /// The provider revoked the grant.
    Revoked,
    /// The provider has no revocation endpoint (Microsoft): the tokens are only deleted here.
    NotOffered,
    /// The provider could not be reached or refused; the tokens are deleted here anyway
    /// and expire on their own.
    Failed,
}

/// Revokes the grant where the provider can (the refresh token, which takes the access
/// tokens with it at Google), then deletes the connection and its tokens here, whatever
/// the provider said. Accounts that used it lose their sign-in (`oauth_id` is cleared).
pub async fn disconnect(
    pool: &SqlitePool,
    workspace_id: i64,
    id: i64,
) -> Result<Revocation, OAuthError> {
    let c = get(pool, workspace_id, id).await?;
    let a = app(pool, c.provider).await?;
    let token = match secret::get(pool, workspace_id, &owner(id), REFRESH).await? {
        Some(r) => Some(r),
        None => secret::get(pool, workspace_id, &owner(id), ACCESS).await?,
    };
    let revocation = match (&a.revoke_url, token) {
        (None, _) => Revocation::NotOffered,
        (Some(_), None) => Revocation::Failed,
        (Some(url), Some(token)) => match revoke(url, &token).await {
            Ok(()) => Revocation::Revoked,
            Err(e) => {
                tracing::warn!(connection_id = id, "oauth revocation failed: {e}");
                Revocation::Failed
            }
        },
    };
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM oauth_connections WHERE workspace_id = ?1 AND id = ?2")
        .bind(workspace_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    secret::delete_owner(&mut *tx, workspace_id, &owner(id)).await?;
    tx.commit().await?;
    tracing::info!(
        workspace_id,
        connection_id = id,
        ?revocation,
        "oauth connection removed"
    );
    Ok(revocation)
}

/// RFC 7009's revocation request as Google documents it: `token=…` form-encoded, 200
/// when revoked. (The `oauth2` crate's own refuses any URL but https, which would leave
/// it untestable on loopback; the request is this one POST.)
async fn revoke(url: &str, token: &SecretString) -> Result<(), String> {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("token", token.expose_secret())
        .finish();
    let r = http()
        .post(url)
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(body)
        .send()
        .await
        .map_err(|e| e.without_url().to_string())?;
    if r.status().is_success() {
        Ok(())
    } else {
        Err(format!("the provider answered {}", r.status()))
    }
}
