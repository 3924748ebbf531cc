//! OAuth 2.0 sign-in for installed apps (RFC 8252) with Google and Microsoft: the
//! authorization code flow with PKCE (S256) and a random `state`, through a one-shot
//! listener on `127.0.0.1` (flow.rs) or the `ulak://oauth/callback` deep link; the
//! tokens it yields, kept encrypted and refreshed before they expire (connections.rs).
//! The protocol is the `oauth2` crate's; this module owns the policy around it.
//!
//! Every endpoint can be set (tests, sovereign clouds): the built-in ones are the
//! providers' public endpoints; client IDs are baked in at build time from
//! `ULAK_GOOGLE_CLIENT_ID` / `ULAK_GOOGLE_CLIENT_SECRET` / `ULAK_MICROSOFT_CLIENT_ID`
//! when set, and can be set in the app (`ulak oauth config`), stored as the global
//! setting `oauth.<provider>`.

pub mod connections;
pub mod flow;

use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;
use ulak_core::store::StoreError;
use ulak_core::validate::{self, ValidationError};
use ulak_core::{settings, ErrorCode, UserFacing};

pub use connections::{Connection, ConnectionStatus};
pub use flow::{Cancel, Flow, Granted};

/// Microsoft Graph's scopes begin so; a Microsoft token is good for one resource only.
const GRAPH: &str = "https://graph.microsoft.com/";

/// The resource a set of scopes asks a token for: `graph` when one of them is Microsoft
/// Graph's, else `` (Google, whose one token covers every scope, and Outlook's SMTP).
/// A connection holds the tokens of one resource; the OpenID scopes go with any.
pub fn resource_of<S: AsRef<str>>(scopes: &[S]) -> &'static str {
    if scopes.iter().any(|s| s.as_ref().starts_with(GRAPH)) {
        "graph"
    } else {
        ""
    }
}

fn is_openid(scope: &str) -> bool {
    matches!(scope, "openid" | "email" | "profile" | "offline_access")
}

/// Whether `scope` is for `resource` (or an OpenID one, good for any).
pub fn scope_fits(scope: &str, resource: &str) -> bool {
    is_openid(scope) || resource_of(&[scope]) == resource
}

/// A granted scope as it was asked for: Microsoft answers Graph's in their short form
/// (`OnlineMeetings.ReadWrite`), which is Graph's full name without its prefix.
pub fn full_scope(provider: Provider, resource: &str, scope: &str) -> String {
    if provider == Provider::Microsoft
        && resource == "graph"
        && !scope.contains("://")
        && !is_openid(scope)
    {
        format!("{GRAPH}{scope}")
    } else {
        scope.to_string()
    }
}

/// The identity providers Ulak signs in with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Google,
    Microsoft,
}

impl Provider {
    pub const ALL: [Provider; 2] = [Provider::Google, Provider::Microsoft];

    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Google => "google",
            Provider::Microsoft => "microsoft",
        }
    }

    pub fn parse(s: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// What sending mail needs: Gmail's API `users.messages.send` (gmail.send, a
    /// narrower scope than SMTP's full-mailbox https://mail.google.com/), Microsoft's
    /// SMTP AUTH with XOAUTH2; with the address (OpenID `email`) and, for Microsoft,
    /// `offline_access` for a refresh token (Google's comes with `access_type=offline`).
    pub fn mail_scopes(self) -> &'static [&'static str] {
        match self {
            Provider::Google => &[
                "openid",
                "email",
                "https://www.googleapis.com/auth/gmail.send",
            ],
            Provider::Microsoft => &[
                "openid",
                "email",
                "offline_access",
                "https://outlook.office.com/SMTP.Send",
            ],
        }
    }

    /// What "Takvime Ekle" needs (Google Calendar's events; Microsoft's calendar is
    /// not part of Ulak yet).
    pub fn calendar_scopes(self) -> &'static [&'static str] {
        match self {
            Provider::Google => &["openid", "email", crate::calendar::SCOPE],
            Provider::Microsoft => &[],
        }
    }

    /// What Google Sheets needs (exports, automations' rows); Microsoft has none here.
    pub fn sheets_scopes(self) -> &'static [&'static str] {
        match self {
            Provider::Google => &["openid", "email", crate::sheets::SCOPE],
            Provider::Microsoft => &[],
        }
    }

    /// What Google Drive backups need (only the files Ulak makes); Microsoft has none.
    pub fn drive_scopes(self) -> &'static [&'static str] {
        match self {
            Provider::Google => &["openid", "email", crate::drive::SCOPE],
            Provider::Microsoft => &[],
        }
    }

    /// What Google Contacts' import needs (read-only); Microsoft has none here.
    pub fn contacts_scopes(self) -> &'static [&'static str] {
        match self {
            Provider::Google => &["openid", "email", crate::people::SCOPE],
            Provider::Microsoft => &[],
        }
    }

    /// What Microsoft Teams meetings need (Graph's onlineMeetings); Google has none.
    pub fn teams_scopes(self) -> &'static [&'static str] {
        match self {
            Provider::Google => &[],
            Provider::Microsoft => &[
                "openid",
                "email",
                "offline_access",
                crate::meeting::teams::SCOPE,
            ],
        }
    }

    /// Where an account signed in with this provider sends through by SMTP (XOAUTH2):
    /// Microsoft's submission server. Google sends through its API instead.
    pub fn smtp_server(self) -> Option<(&'static str, u16)> {
        match self {
            Provider::Google => None,
            Provider::Microsoft => Some(("smtp.office365.com", 587)),
        }
    }

    fn built_in(self) -> App {
        match self {
            Provider::Google => App {
                provider: self,
                client_id: option_env!("ULAK_GOOGLE_CLIENT_ID").unwrap_or("").into(),
                client_secret: option_env!("ULAK_GOOGLE_CLIENT_SECRET").map(Into::into),
                authorize_url: "https://accounts.google.com/o/oauth2/v2/auth".into(),
                token_url: "https://oauth2.googleapis.com/token".into(),
                revoke_url: Some("https://oauth2.googleapis.com/revoke".into()),
                // Gmail's and Calendar's APIs both answer here (/gmail/v1, /calendar/v3).
                api_base: "https://www.googleapis.com".into(),
                redirect: Redirect::Loopback,
            },
            Provider::Microsoft => App {
                provider: self,
                client_id: option_env!("ULAK_MICROSOFT_CLIENT_ID").unwrap_or("").into(),
                client_secret: None,
                authorize_url: "https://login.microsoftonline.com/common/oauth2/v2.0/authorize"
                    .into(),
                token_url: "https://login.microsoftonline.com/common/oauth2/v2.0/token".into(),
                // Microsoft's v2 endpoint has no revocation: tokens are deleted here.
                revoke_url: None,
                api_base: "https://graph.microsoft.com".into(),
                redirect: Redirect::Loopback,
            },
        }
    }
}

/// Where the provider sends the browser back to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Redirect {
    /// `http://127.0.0.1:<free port>/oauth/callback`, for exactly one request.
    Loopback,
    /// `ulak://oauth/callback`, handed to the running app by the deep-link plugin.
    /// Microsoft's public clients accept it; Google's desktop clients do not.
    DeepLink,
}

/// The deep link's redirect URI.
pub const DEEP_LINK_REDIRECT: &str = "ulak://oauth/callback";

/// One provider's OAuth app as Ulak uses it: the built-in values with the user's
/// settings over them.
#[derive(Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct App {
    pub provider: Provider,
    pub client_id: String,
    /// Google's desktop clients have a secret that is not secret (it ships in every
    /// copy of the app); Microsoft's public clients have none. Never listed.
    #[serde(skip)]
    pub client_secret: Option<String>,
    pub authorize_url: String,
    pub token_url: String,
    pub revoke_url: Option<String>,
    pub api_base: String,
    pub redirect: Redirect,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("provider", &self.provider)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "***"))
            .field("redirect", &self.redirect)
            .finish_non_exhaustive()
    }
}

/// What may be set over the built-in values (`ulak oauth config`); None leaves one as
/// it is, an empty text clears an override (the built-in value again), and a revocation
/// address of `none` says the provider has none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorize_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoke_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_base: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect: Option<Redirect>,
}

/// The revocation address that means "this provider has none".
pub const NONE: &str = "none";

fn key(p: Provider) -> String {
    format!("oauth.{}", p.as_str())
}

/// The provider's app as configured.
pub async fn app(pool: &SqlitePool, p: Provider) -> Result<App, OAuthError> {
    let over = stored(pool, p).await?;
    let mut a = p.built_in();
    if let Some(v) = over.client_id {
        a.client_id = v;
    }
    if let Some(v) = over.client_secret {
        a.client_secret = Some(v);
    }
    if let Some(v) = over.authorize_url {
        a.authorize_url = v;
    }
    if let Some(v) = over.token_url {
        a.token_url = v;
    }
    if let Some(v) = over.revoke_url {
        a.revoke_url = Some(v).filter(|s| s != NONE);
    }
    if let Some(v) = over.api_base {
        a.api_base = v;
    }
    if let Some(v) = over.redirect {
        a.redirect = v;
    }
    Ok(a)
}

async fn stored(pool: &SqlitePool, p: Provider) -> Result<AppSettings, OAuthError> {
    Ok(settings::get(pool, &key(p))
        .await?
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default())
}

/// Sets `changes` over what is stored (each address checked: https, or http to this
/// computer); `reset` first drops every earlier override.
pub async fn configure(
    pool: &SqlitePool,
    p: Provider,
    changes: &AppSettings,
    reset: bool,
) -> Result<App, OAuthError> {
    let mut s = if reset {
        AppSettings::default()
    } else {
        stored(pool, p).await?
    };
    // An empty text clears the override: the built-in value counts again.
    let url =
        |field: &'static str, v: &Option<String>| -> Result<Option<String>, ValidationError> {
            Ok(v.as_deref()
                .map(|v| validate::url(field, v, false))
                .transpose()?
                .filter(|v| !v.is_empty()))
        };
    let text =
        |field: &'static str, v: &Option<String>| -> Result<Option<String>, ValidationError> {
            Ok(v.as_deref()
                .map(|v| validate::text(field, v, validate::LIMITS.url, false))
                .transpose()?
                .filter(|v| !v.is_empty()))
        };
    if changes.client_id.is_some() {
        s.client_id = text("clientId", &changes.client_id)?;
    }
    if changes.client_secret.is_some() {
        s.client_secret = text("clientSecret", &changes.client_secret)?;
    }
    if changes.revoke_url.as_deref() == Some(NONE) {
        s.revoke_url = Some(NONE.into());
    } else if changes.revoke_url.is_some() {
        s.revoke_url = url("revokeUrl", &changes.revoke_url)?;
    }
    for (field, from, to) in [
        ("authorizeUrl", &changes.authorize_url, &mut s.authorize_url),
        ("tokenUrl", &changes.token_url, &mut s.token_url),
        ("apiBase", &changes.api_base, &mut s.api_base),
    ] {
        if from.is_some() {
            *to = url(field, from)?;
        }
    }
    if let Some(r) = changes.redirect {
        if r == Redirect::DeepLink && p == Provider::Google {
            return Err(OAuthError::DeepLinkUnsupported);
        }
        s.redirect = Some(r);
    }
    let json = serde_json::to_string(&s).expect("settings serialize");
    settings::set(pool, &key(p), &json).await?;
    app(pool, p).await
}

#[derive(Debug, thiserror::Error)]
pub enum OAuthError {
    #[error("no OAuth client ID is set for {0}")]
    NotConfigured(&'static str),
    #[error("Google's desktop clients cannot use the ulak:// redirect; Google always uses the loopback one")]
    DeepLinkUnsupported,
    #[error("the sign-in was refused in the browser ({0})")]
    Denied(String),
    #[error("the answer to the sign-in does not belong to the sign-in Ulak started")]
    StateMismatch,
    #[error("the browser came back with a malformed answer: {0}")]
    BadRedirect(String),
    #[error("no answer came from the browser within {0} minutes")]
    Timeout(u64),
    #[error("the sign-in was cancelled")]
    Cancelled,
    #[error("the provider did not accept the sign-in: {0}")]
    Exchange(String),
    #[error("the connection to {address} was withdrawn; it must be connected again")]
    Reconnect { address: String },
    #[error("the provider could not be reached: {0}")]
    Unreachable(String),
    #[error("no connected account with id {0}")]
    NotFound(i64),
    #[error("could not listen for the browser on 127.0.0.1: {0}")]
    Listen(String),
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for OAuthError {
    fn from(e: sqlx::Error) -> Self {
        OAuthError::Store(StoreError::Database(e))
    }
}

impl UserFacing for OAuthError {
    fn code(&self) -> ErrorCode {
        match self {
            OAuthError::NotConfigured(_) => ErrorCode::OauthNotConfigured,
            OAuthError::DeepLinkUnsupported => ErrorCode::OauthDeepLinkUnsupported,
            OAuthError::Denied(_) => ErrorCode::OauthDenied,
            OAuthError::StateMismatch => ErrorCode::OauthStateMismatch,
            OAuthError::BadRedirect(_) => ErrorCode::OauthBadRedirect,
            OAuthError::Timeout(_) => ErrorCode::OauthTimeout,
            OAuthError::Cancelled => ErrorCode::OauthCancelled,
            OAuthError::Exchange(_) => ErrorCode::OauthExchangeFailed,
            OAuthError::Reconnect { .. } => ErrorCode::OauthReconnect,
            OAuthError::Unreachable(_) => ErrorCode::OauthUnreachable,
            OAuthError::NotFound(_) => ErrorCode::OauthNotFound,
            OAuthError::Listen(_) => ErrorCode::OauthListen,
            OAuthError::Invalid(v) => v.code(),
            OAuthError::Store(s) => s.code(),
        }
    }

    fn hint(&self) -> Option<String> {
        Some(
            match self {
                OAuthError::NotConfigured(_) => "Set the OAuth app's client ID with `ulak oauth config` (IT has it), or use a build of Ulak that has one.",
                OAuthError::DeepLinkUnsupported => "Leave Google on the loopback redirect.",
                OAuthError::Denied(_) => "Press Connect again and allow Ulak in the browser.",
                OAuthError::StateMismatch | OAuthError::BadRedirect(_) => "Press Connect again and finish the sign-in in the browser tab Ulak opens.",
                OAuthError::Timeout(_) => "Press Connect again and finish the sign-in in the browser within 5 minutes.",
                OAuthError::Cancelled => "Press Connect when you are ready.",
                OAuthError::Exchange(_) => "Press Connect again; if it keeps failing, IT should check the OAuth app's settings.",
                OAuthError::Reconnect { .. } => "Connect the account again (the password may have changed or access was removed).",
                OAuthError::Unreachable(_) => "Check the internet connection (or the firewall) and try again.",
                OAuthError::NotFound(_) => "List the connected accounts with `ulak accounts list`.",
                OAuthError::Listen(_) => "Another program may be blocking local connections; check the firewall.",
                OAuthError::Invalid(v) => return v.hint(),
                OAuthError::Store(s) => return s.hint(),
            }
            .into(),
        )
    }

    fn field(&self) -> Option<&'static str> {
        match self {
            OAuthError::Invalid(v) => v.field(),
            _ => None,
        }
    }

    fn detail(&self) -> Option<String> {
        match self {
            OAuthError::Reconnect { address } => Some(address.clone()),
            OAuthError::NotConfigured(p) => Some((*p).into()),
            _ => None,
        }
    }
}
