//! One sign-in: the authorize URL (PKCE S256, a random `state`, the scopes), the
//! browser's return (a one-shot listener on 127.0.0.1, or a deep link handed in by the
//! app), the checks on it, and the code exchanged for tokens.
//!
//! The listener serves each connection in a task of its own (at most 32 at once, 5 s
//! each), so a slow or idle connection never holds up the browser's real return.
//! Only a callback carrying this flow's `state` ends the flow — with the code, or with
//! the provider's `error=…` — answered with a small page in the app's language saying
//! whether to go back to Ulak. Anything else is answered and ignored, the flow waiting
//! on: other paths (a favicon) 404; a callback that is malformed (a parameter twice, no
//! `state`, neither `code` nor `error`), carries another `state`, or is over 16 KiB gets
//! a page saying it was not Ulak's sign-in, and a log line.

use std::sync::Arc;
use std::time::Duration;

use oauth2::basic::{
    BasicErrorResponse, BasicErrorResponseType, BasicRevocationErrorResponse,
    BasicTokenIntrospectionResponse, BasicTokenType,
};
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, ExtraTokenFields, HttpClientError, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, RequestTokenError, RevocationUrl, Scope, StandardRevocableToken,
    StandardTokenResponse, TokenResponse as _, TokenUrl,
};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use ulak_core::settings::Language;
use ulak_core::{validate, words};

use super::{App, OAuthError, Provider, Redirect, DEEP_LINK_REDIRECT};

/// How long the browser has to come back.
pub const LIMIT: Duration = Duration::from_secs(5 * 60);
/// The path the loopback listener answers on.
pub const CALLBACK_PATH: &str = "/oauth/callback";
/// The most a request to the listener may be (its head; a callback has no body).
const MAX_REQUEST: usize = 16 * 1024;
/// Connections the listener serves at once; more are closed at once.
const MAX_CONNECTIONS: usize = 32;

/// What the token endpoint answers beyond RFC 6749: the OpenID Connect ID token, read
/// for the account's address.
#[derive(Clone, Default, Serialize, Deserialize)]
pub struct IdFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
}
impl ExtraTokenFields for IdFields {}

impl std::fmt::Debug for IdFields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IdFields { .. }")
    }
}

pub type TokenResponse = StandardTokenResponse<IdFields, BasicTokenType>;

pub(crate) type OAuthClient = oauth2::Client<
    BasicErrorResponse,
    TokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointSet,
>;

/// The `oauth2` client for `app`; client credentials go in the request body, as both
/// providers document for installed apps.
pub(crate) fn client(app: &App, redirect: Option<&str>) -> Result<OAuthClient, OAuthError> {
    if app.client_id.trim().is_empty() {
        return Err(OAuthError::NotConfigured(app.provider.as_str()));
    }
    let bad = |what: &str| OAuthError::Exchange(format!("the {what} address is not a URL"));
    let mut c = oauth2::Client::new(ClientId::new(app.client_id.clone()))
        .set_auth_type(AuthType::RequestBody)
        .set_auth_uri(AuthUrl::new(app.authorize_url.clone()).map_err(|_| bad("authorize"))?)
        .set_token_uri(TokenUrl::new(app.token_url.clone()).map_err(|_| bad("token"))?)
        .set_revocation_url_option(
            app.revoke_url
                .clone()
                .map(RevocationUrl::new)
                .transpose()
                .map_err(|_| bad("revoke"))?,
        );
    if let Some(s) = &app.client_secret {
        c = c.set_client_secret(ClientSecret::new(s.clone()));
    }
    if let Some(r) = redirect {
        c = c.set_redirect_uri(RedirectUrl::new(r.to_string()).map_err(|_| bad("redirect"))?);
    }
    Ok(c)
}

/// The HTTP client token requests go through: no redirects followed (the `oauth2`
/// crate's advice against SSRF), a time limit.
pub(crate) fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .user_agent(concat!("Ulak/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("a client with rustls")
}

type TokenError = RequestTokenError<HttpClientError<reqwest::Error>, BasicErrorResponse>;

/// A refused or failed token request in the user's terms; `invalid_grant` on a
/// refresh means the grant is gone (`reconnect` names whose).
pub(crate) fn token_error(e: TokenError, reconnect: Option<&str>) -> OAuthError {
    match e {
        RequestTokenError::ServerResponse(r) => match (r.error(), reconnect) {
            (BasicErrorResponseType::InvalidGrant, Some(address)) => OAuthError::Reconnect {
                address: address.to_string(),
            },
            // OpenID's and the providers' "try later" codes.
            (BasicErrorResponseType::Extension(code), _)
                if code == "temporarily_unavailable" || code == "server_error" =>
            {
                OAuthError::Unreachable(format!("the token endpoint answered {code}"))
            }
            (err, _) => OAuthError::Exchange(err.to_string()),
        },
        RequestTokenError::Request(HttpClientError::Reqwest(e)) => {
            OAuthError::Unreachable(e.without_url().to_string())
        }
        RequestTokenError::Request(e) => OAuthError::Unreachable(e.to_string()),
        // Not OAuth's JSON (an outage's HTML page, an empty 5xx): tried again later.
        RequestTokenError::Parse(_, _) => OAuthError::Unreachable(
            "the token endpoint's answer is not OAuth JSON (it may be down)".into(),
        ),
        RequestTokenError::Other(s) => OAuthError::Unreachable(s),
    }
}

/// Ends a flow from elsewhere (the Cancel button, a newer flow, Ctrl-C).
#[derive(Clone)]
pub struct Cancel(Arc<watch::Sender<bool>>);

impl Default for Cancel {
    fn default() -> Self {
        Cancel(Arc::new(watch::channel(false).0))
    }
}

impl Cancel {
    pub fn cancel(&self) {
        self.0.send_replace(true);
    }

    pub fn is_cancelled(&self) -> bool {
        *self.0.borrow()
    }

    async fn wait(&self) {
        let mut rx = self.0.subscribe();
        let _ = rx.wait_for(|c| *c).await;
    }
}

/// What a successful sign-in yields.
pub struct Granted {
    pub provider: Provider,
    /// The signed-in account's address (the ID token's `email`).
    pub address: String,
    /// What the tokens are for (`oauth::resource_of` the scopes asked for).
    pub resource: &'static str,
    pub scopes: Vec<String>,
    pub access: SecretString,
    pub refresh: Option<SecretString>,
    pub expires_in: Option<Duration>,
}

impl std::fmt::Debug for Granted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Granted")
            .field("provider", &self.provider)
            .field("address", &self.address)
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

enum Source {
    Loopback(TcpListener),
    DeepLink(mpsc::UnboundedReceiver<String>),
}

/// A sign-in under way: open `authorize_url` in the browser, then `finish`.
pub struct Flow {
    pub provider: Provider,
    pub authorize_url: String,
    pub redirect_uri: String,
    state: CsrfToken,
    verifier: PkceCodeVerifier,
    scopes: Vec<String>,
    app: App,
    source: Source,
    deep_links: Option<mpsc::UnboundedSender<String>>,
}

impl Flow {
    /// Starts a sign-in to `app` for `scopes`: for the loopback redirect, the listener
    /// is bound (a free port on 127.0.0.1) before the URL exists.
    pub async fn begin(
        app: &App,
        scopes: &[&str],
        login_hint: Option<&str>,
    ) -> Result<Flow, OAuthError> {
        let (redirect_uri, source, deep_links) = match app.redirect {
            Redirect::Loopback => {
                let listener = TcpListener::bind(("127.0.0.1", 0))
                    .await
                    .map_err(|e| OAuthError::Listen(e.to_string()))?;
                let port = listener
                    .local_addr()
                    .map_err(|e| OAuthError::Listen(e.to_string()))?
                    .port();
                (
                    format!("http://127.0.0.1:{port}{CALLBACK_PATH}"),
                    Source::Loopback(listener),
                    None,
                )
            }
            Redirect::DeepLink => {
                let (tx, rx) = mpsc::unbounded_channel();
                (
                    DEEP_LINK_REDIRECT.to_string(),
                    Source::DeepLink(rx),
                    Some(tx),
                )
            }
        };
        let client = client(app, Some(&redirect_uri))?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut req = client
            .authorize_url(CsrfToken::new_random)
            .set_pkce_challenge(challenge)
            .add_scopes(scopes.iter().map(|s| Scope::new(s.to_string())));
        if app.provider == Provider::Google {
            // A refresh token, the consent screen each time so one always comes, and
            // the scopes granted before kept in the new token (incremental auth).
            req = req
                .add_extra_param("access_type", "offline")
                .add_extra_param("prompt", "consent")
                .add_extra_param("include_granted_scopes", "true");
        }
        let hint = login_hint.map(str::trim).filter(|h| !h.is_empty());
        if let Some(h) = hint {
            req = req.add_extra_param("login_hint", h.to_string());
        }
        let (url, state) = req.url();
        tracing::info!(provider = app.provider.as_str(), redirect = %redirect_uri, "oauth sign-in started");
        Ok(Flow {
            provider: app.provider,
            authorize_url: url.to_string(),
            redirect_uri,
            state,
            verifier,
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            app: app.clone(),
            source,
            deep_links,
        })
    }

    /// This flow's `state`, by which the app routes a deep link to it.
    pub fn state(&self) -> &str {
        self.state.secret()
    }

    /// Where the app hands a deep link's full URL (`ulak://oauth/callback?…`) for a
    /// flow on the deep-link redirect.
    pub fn deep_link_sender(&self) -> Option<mpsc::UnboundedSender<String>> {
        self.deep_links.clone()
    }

    /// Waits for the browser's return (at most `limit`, or until `cancel`), checks it
    /// and exchanges the code. The listener closes when this returns.
    pub async fn finish(
        self,
        cancel: &Cancel,
        limit: Duration,
        lang: Language,
    ) -> Result<Granted, OAuthError> {
        let deadline = tokio::time::Instant::now() + limit;
        let minutes = (limit.as_millis() as u64).div_ceil(60_000);
        let Flow {
            provider,
            redirect_uri,
            state,
            verifier,
            scopes,
            app,
            source,
            deep_links,
            ..
        } = self;
        drop(deep_links);
        let ctx = Context {
            state,
            verifier,
            provider,
            redirect_uri,
            scopes,
            app,
        };
        let wait = async {
            match source {
                Source::Loopback(listener) => ctx.loopback(listener, lang).await,
                Source::DeepLink(mut rx) => {
                    let url = rx.recv().await.ok_or(OAuthError::Cancelled)?;
                    let query = url.split_once('?').map(|(_, q)| q).unwrap_or("");
                    ctx.complete(query).await
                }
            }
        };
        tokio::select! {
            r = wait => r,
            _ = cancel.wait() => Err(OAuthError::Cancelled),
            _ = tokio::time::sleep_until(deadline) => Err(OAuthError::Timeout(minutes)),
        }
    }
}

struct Context {
    state: CsrfToken,
    verifier: PkceCodeVerifier,
    provider: Provider,
    redirect_uri: String,
    scopes: Vec<String>,
    app: App,
}

enum Request {
    Get(String),
    Other,
    TooLarge,
}

/// A request's target, read from its head (at most `MAX_REQUEST` bytes, 5 s).
async fn read_request(s: &mut TcpStream) -> std::io::Result<Request> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    let read = async {
        loop {
            let n = s.read(&mut chunk).await?;
            if n == 0 {
                return Err(std::io::Error::from(std::io::ErrorKind::UnexpectedEof));
            }
            buf.extend_from_slice(&chunk[..n]);
            if buf.windows(4).any(|w| w == b"\r\n\r\n") {
                return Ok::<bool, std::io::Error>(false);
            }
            if buf.len() > MAX_REQUEST {
                return Ok(true);
            }
        }
    };
    let too_large = tokio::time::timeout(Duration::from_secs(5), read)
        .await
        .map_err(|_| std::io::Error::from(std::io::ErrorKind::TimedOut))??;
    if too_large {
        return Ok(Request::TooLarge);
    }
    let head = String::from_utf8_lossy(&buf);
    let line = head.lines().next().unwrap_or("");
    let mut parts = line.split(' ');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("GET"), Some(target), Some(v)) if v.starts_with("HTTP/1.") => {
            Ok(Request::Get(target.to_string()))
        }
        _ => Ok(Request::Other),
    }
}

async fn answer(s: &mut TcpStream, status: &str, body: &str) {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = s.write_all(head.as_bytes()).await;
    let _ = s.write_all(body.as_bytes()).await;
    let _ = s.shutdown().await;
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The page the browser shows when it comes back: done (naming the account) or not.
pub fn page(lang: Language, result: &Result<Granted, OAuthError>) -> String {
    let (title, text) = match result {
        Ok(g) => (
            words::text(lang, "oauth.page.doneTitle", &[("address", &g.address)]),
            words::text(lang, "oauth.page.doneText", &[]),
        ),
        Err(_) => (
            words::text(lang, "oauth.page.failedTitle", &[]),
            words::text(lang, "oauth.page.failedText", &[]),
        ),
    };
    let html_lang = match lang {
        Language::Tr => "tr",
        Language::En => "en",
    };
    format!(
        "<!doctype html><html lang=\"{html_lang}\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>Ulak</title><body style=\"font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2937\"><h1 style=\"font-size:1.4rem\">{}</h1><p>{}</p></body></html>",
        escape(&title),
        escape(&text)
    )
}

/// The page for a request the listener ignored: not this sign-in's.
fn ignored_page(lang: Language) -> String {
    let title = words::text(lang, "oauth.page.ignoredTitle", &[]);
    let text = words::text(lang, "oauth.page.ignoredText", &[]);
    format!(
        "<!doctype html><meta charset=\"utf-8\"><title>Ulak</title><body style=\"font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem\"><h1 style=\"font-size:1.4rem\">{}</h1><p>{}</p></body>",
        escape(&title),
        escape(&text)
    )
}

/// The callback's parameters, checked for shape: each at most once, a `state`, and
/// either a `code` or an `error`. Parameters beyond those the providers document are
/// ignored (Microsoft adds some, e.g. `error_subcode`).
struct Callback {
    state: String,
    code: Option<String>,
    error: Option<String>,
}

impl std::fmt::Debug for Callback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Callback")
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

const KNOWN: [&str; 13] = [
    "code",
    "state",
    "scope",
    "error",
    "error_description",
    "error_uri",
    "iss",
    "authuser",
    "hd",
    "prompt",
    "session_state",
    "client_info",
    "error_subcode",
];

fn printable(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_graphic())
        .take(40)
        .collect()
}

fn parse_callback(query: &str) -> Result<Callback, OAuthError> {
    let bad = |why: String| OAuthError::BadRedirect(why);
    let mut seen = std::collections::HashMap::new();
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        if !KNOWN.contains(&k.as_ref()) {
            tracing::debug!(parameter = %printable(&k), "oauth callback: a parameter Ulak does not read");
            continue;
        }
        if seen.insert(k.to_string(), v.to_string()).is_some() {
            return Err(bad(format!("{} given twice", printable(&k))));
        }
    }
    let state = seen
        .remove("state")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| bad("no state".into()))?;
    let code = seen.remove("code").filter(|s| !s.is_empty());
    let error = seen.remove("error").filter(|s| !s.is_empty());
    match (&code, &error) {
        (None, None) => Err(bad("neither a code nor an error".into())),
        (Some(_), Some(_)) => Err(bad("both a code and an error".into())),
        _ => Ok(Callback { state, code, error }),
    }
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The address in an ID token's payload (`email`, else Microsoft's
/// `preferred_username`). The token came straight from the token endpoint over TLS, so
/// its signature is not what vouches for it (OpenID Connect Core 3.1.3.7).
fn id_address(id_token: &str) -> Option<String> {
    use base64::Engine;
    let payload = id_token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    // An address the provider says it has not verified is not taken as the account's.
    if v.get("email_verified").and_then(|b| b.as_bool()) == Some(false) {
        return None;
    }
    ["email", "preferred_username", "upn"]
        .iter()
        .filter_map(|k| v.get(*k).and_then(|x| x.as_str()))
        .find_map(|s| validate::email("email", s, true).ok())
}

/// One connection to the listener: a callback with this flow's `state` goes to the
/// flow (`found`); everything else is answered here and ignored.
async fn serve(
    mut s: TcpStream,
    state: &str,
    lang: Language,
    found: mpsc::Sender<(Callback, TcpStream)>,
) {
    let target = match read_request(&mut s).await {
        Ok(Request::Get(t)) => t,
        Ok(Request::TooLarge) => {
            tracing::warn!("oauth listener: a request over 16 KiB was ignored");
            answer(
                &mut s,
                "431 Request Header Fields Too Large",
                &ignored_page(lang),
            )
            .await;
            return;
        }
        Ok(Request::Other) => {
            answer(&mut s, "405 Method Not Allowed", "").await;
            return;
        }
        Err(_) => return,
    };
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    if path != CALLBACK_PATH {
        answer(&mut s, "404 Not Found", "").await;
        return;
    }
    match parse_callback(query) {
        Err(e) => {
            tracing::warn!("oauth listener: a malformed callback was ignored ({e})");
        }
        Ok(cb) if !same(&cb.state, state) => {
            tracing::warn!(
                "oauth listener: a callback with a state this sign-in did not issue was ignored"
            );
        }
        Ok(cb) => match found.try_send((cb, s)) {
            Ok(()) => return,
            // Another callback of this flow got there first.
            Err(mpsc::error::TrySendError::Full((_, back)))
            | Err(mpsc::error::TrySendError::Closed((_, back))) => s = back,
        },
    }
    answer(&mut s, "400 Bad Request", &ignored_page(lang)).await;
}

impl Context {
    async fn loopback(self, listener: TcpListener, lang: Language) -> Result<Granted, OAuthError> {
        let (tx, mut rx) = mpsc::channel::<(Callback, TcpStream)>(1);
        let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
        let state = Arc::new(self.state.secret().clone());
        loop {
            tokio::select! {
                accepted = listener.accept() => {
                    let (s, peer) = accepted.map_err(|e| OAuthError::Listen(e.to_string()))?;
                    if !peer.ip().is_loopback() {
                        tracing::warn!(%peer, "oauth listener: a connection from outside this computer was dropped");
                        continue;
                    }
                    let Ok(permit) = slots.clone().try_acquire_owned() else {
                        tracing::warn!("oauth listener: too many connections at once; one was closed");
                        continue;
                    };
                    let (tx, state) = (tx.clone(), state.clone());
                    tokio::spawn(async move {
                        serve(s, &state, lang, tx).await;
                        drop(permit);
                    });
                }
                Some((cb, mut s)) = rx.recv() => {
                    let result = self.finish_callback(cb).await;
                    let status = if result.is_ok() { "200 OK" } else { "400 Bad Request" };
                    answer(&mut s, status, &page(lang, &result)).await;
                    return result;
                }
            }
        }
    }

    /// Checks a deep link's query and exchanges its code.
    async fn complete(self, query: &str) -> Result<Granted, OAuthError> {
        let cb = parse_callback(query)?;
        if !same(&cb.state, self.state.secret()) {
            tracing::warn!("oauth callback with a state this flow did not issue");
            return Err(OAuthError::StateMismatch);
        }
        self.finish_callback(cb).await
    }

    /// The provider's answer for this flow: its refusal, or its code exchanged.
    async fn finish_callback(self, cb: Callback) -> Result<Granted, OAuthError> {
        if let Some(e) = cb.error {
            let e = printable(&e);
            tracing::info!(error = %e, "oauth sign-in refused in the browser");
            return Err(if e == "access_denied" {
                OAuthError::Denied(e)
            } else {
                OAuthError::Exchange(e)
            });
        }
        let code = cb.code.expect("parse_callback: a code or an error");
        let client = client(&self.app, Some(&self.redirect_uri))?;
        let t = client
            .exchange_code(AuthorizationCode::new(code))
            .set_pkce_verifier(self.verifier)
            .request_async(&http())
            .await
            .map_err(|e| token_error(e, None))?;
        // The account is the one the provider signed in, never the address typed: the
        // user may have picked another in the browser.
        let address = t
            .extra_fields()
            .id_token
            .as_deref()
            .and_then(id_address)
            .ok_or_else(|| OAuthError::Exchange("the provider did not say which account".into()))?;
        // The resource is the one asked for: Microsoft may answer Graph's scopes in
        // their short form (`OnlineMeetings.ReadWrite`), kept in full as asked.
        let resource = super::resource_of(&self.scopes);
        let scopes = t
            .scopes()
            .map(|s| {
                s.iter()
                    .map(|s| super::full_scope(self.provider, resource, s))
                    .collect()
            })
            .unwrap_or(self.scopes);
        tracing::info!(provider = self.provider.as_str(), "oauth sign-in completed");
        Ok(Granted {
            provider: self.provider,
            address,
            resource,
            scopes,
            access: SecretString::from(t.access_token().secret().clone()),
            refresh: t
                .refresh_token()
                .map(|r| SecretString::from(r.secret().clone())),
            expires_in: t.expires_in(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callback_shapes() {
        assert!(parse_callback("code=a&state=b&scope=x").is_ok());
        assert!(parse_callback("error=access_denied&state=b").is_ok());
        // Microsoft adds parameters of its own: not read, not refused.
        assert!(parse_callback("error=access_denied&error_subcode=cancel&state=b").is_ok());
        assert!(parse_callback("code=a&state=b&evil=1").is_ok());
        for bad in [
            "code=a",
            "state=b",
            "code=a&error=x&state=b",
            "code=a&state=b&state=c",
            "",
        ] {
            assert!(
                matches!(parse_callback(bad), Err(OAuthError::BadRedirect(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn address_from_id_token() {
        use base64::Engine;
        let enc = |v: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
        let t = format!(
            "{}.{}.sig",
            enc("{}"),
            enc(r#"{"email":"ayşe@örnek.com.tr"}"#)
        );
        assert_eq!(id_address(&t).as_deref(), Some("ayşe@örnek.com.tr"));
        let t = format!(
            "{}.{}.sig",
            enc("{}"),
            enc(r#"{"preferred_username":"a@b.co"}"#)
        );
        assert_eq!(id_address(&t).as_deref(), Some("a@b.co"));
        assert_eq!(id_address("nonsense"), None);
        let t = format!(
            "{}.{}.sig",
            enc("{}"),
            enc(r#"{"email":"a@b.co","email_verified":false}"#)
        );
        assert_eq!(id_address(&t), None);
    }

    #[test]
    fn the_page_escapes_and_speaks_turkish() {
        let g = Granted {
            provider: Provider::Google,
            address: "<b>@x.com".into(),
            resource: "",
            scopes: vec![],
            access: SecretString::from("t"),
            refresh: None,
            expires_in: None,
        };
        let html = page(Language::Tr, &Ok(g));
        assert!(html.contains("&lt;b&gt;@x.com"), "{html}");
        assert!(html.contains("Ulak'a dönebilirsiniz"), "{html}");
        let html = page(Language::En, &Err(OAuthError::Cancelled));
        assert!(html.contains("lang=\"en\""));
    }
}
