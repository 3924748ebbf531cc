//! The receiver for what providers report back by webhook (issue 19): a customer's
//! message, which opens WhatsApp's 24-hour window (and may say STOP or RET), and
//! delivery reports that only arrive by webhook (Meta's statuses, Vonage's receipts;
//! Twilio's, which Ulak also asks for, and its customers' replies).
//!
//! Ulak is a desktop app: it listens on loopback only (127.0.0.1, a port the user
//! chooses), and the user makes that port reachable from the internet with a tunnel of
//! their choice (Cloudflare Tunnel, ngrok…), whose address they give Ulak so it can show
//! the full address to paste into the provider's console. Each integration has its own
//! address, `/hooks/<integration id>/<token>`, with a random token (kept in the store
//! with the integration's secrets, rotatable): a request with a wrong token is answered
//! 404 and read no further. Meta's POSTs are also checked against the app secret's
//! signature when the integration has one (recommended; the card says so), and Meta's
//! subscription check must carry the same token as its verify token. What a request
//! says is recorded in one transaction before it is answered 200, so a provider whose
//! request failed sends it again and nothing is lost; a request sent twice adds nothing.

pub mod meta;
pub mod twilio;
pub mod vonage;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::routing::any;
use axum::Router;
use chrono::{DateTime, Utc};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;
use tokio::net::TcpListener;
use ulak_core::secret;
use ulak_outbox::inbound::{self, Recorded};
use ulak_outbox::Channel;

use crate::integrations::{self, Integration, IntegrationError};

/// The settings' keys: the port the receiver listens on (none: it does not run) and
/// the public address the user's tunnel gives it (only shown, never called).
pub const PORT_SETTING: &str = "inbound.port";
pub const PUBLIC_URL_SETTING: &str = "inbound.public_url";
/// The largest request read (Meta batches up to 1,000 updates in one notification, up
/// to 3 MB); read only once the address's token is right.
pub const BODY_LIMIT: usize = 4 * 1024 * 1024;
/// The secret the address's token is kept under (beside the integration's own).
const TOKEN: &str = "inboundToken";

/// Providers whose webhooks the receiver reads.
pub fn receives(provider: &str, channel: Channel) -> bool {
    matches!(
        (channel, provider),
        (Channel::Whatsapp, "meta")
            | (Channel::Sms, "vonage")
            | (Channel::Sms | Channel::Whatsapp, "twilio")
    )
}

/// Equal without telling, by its timing, how much of a guess was right.
pub(crate) fn same(a: &[u8], b: &[u8]) -> bool {
    Sha256::digest(a) == Sha256::digest(b)
}

/// An integration's webhook address, as the user pastes it into the provider's console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
#[serde(rename = "InboundAddress")]
pub struct Address {
    pub integration_id: i64,
    /// `/hooks/<id>/<token>`.
    pub path: String,
    /// Meta's "Verify token" (the address's token).
    pub verify_token: String,
    /// The address on this computer, when a port is set.
    pub local_url: Option<String>,
    /// The address through the user's tunnel, when they gave Ulak its address.
    pub public_url: Option<String>,
}

/// The integration's address, its token made on first use (`rotate`: a new one; the
/// old address stops answering at once).
pub async fn address(
    pool: &SqlitePool,
    i: &Integration,
    rotate: bool,
) -> Result<Address, IntegrationError> {
    let owner = format!("integration:{}", i.id);
    let mut raw = [0u8; 24];
    rand::thread_rng().fill_bytes(&mut raw);
    let fresh = SecretString::from(hex::encode(raw));
    if rotate {
        secret::set(pool, i.workspace_id, &owner, TOKEN, &fresh).await?;
    } else {
        // Two first asks at once (the window and the CLI) keep one token, the first.
        sqlx::query(
            "INSERT INTO secrets (workspace_id, owner, name, value, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (workspace_id, owner, name) DO NOTHING",
        )
        .bind(i.workspace_id)
        .bind(&owner)
        .bind(TOKEN)
        .bind(fresh.expose_secret())
        .bind(ulak_core::store::now())
        .execute(pool)
        .await?;
    }
    let token = secret::get(pool, i.workspace_id, &owner, TOKEN)
        .await?
        .ok_or_else(|| IntegrationError::Corrupt("the address's token was not kept".into()))?;
    let path = format!("/hooks/{}/{}", i.id, token.expose_secret());
    let port = ulak_core::settings::get(pool, PORT_SETTING).await?;
    let public = ulak_core::settings::get(pool, PUBLIC_URL_SETTING).await?;
    Ok(Address {
        integration_id: i.id,
        local_url: port.map(|p| format!("http://127.0.0.1:{p}{path}")),
        public_url: public.map(|u| format!("{}{path}", u.trim_end_matches('/'))),
        verify_token: token.expose_secret().to_string(),
        path,
    })
}

/// One request as the receiver got it.
pub struct Request<'a> {
    pub method: &'a Method,
    pub query: &'a str,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

/// What the receiver answers, and (for the log and the tests) what it did.
#[derive(Debug, PartialEq, Eq)]
pub enum Answer {
    /// Meta's subscription check passed: the challenge echoed.
    Challenge(String),
    /// Recorded; Twilio is answered with empty TwiML, the others with "ok".
    Recorded(Recorded, Reply),
    /// No such address (unknown integration, wrong token, a provider Ulak does not
    /// read): 404, nothing read.
    NotFound,
    /// Signed wrongly or not at all while the integration has a signing secret: 401.
    BadSignature,
    /// A Meta POST while no app secret is saved: 401 (nothing unsigned is taken from
    /// Meta; the card asks for the secret).
    NoAppSecret,
    /// Not the provider's format: 400 (the provider will try again; its words logged).
    Unreadable(String),
    /// The store could not record it: 503, so the provider sends it again.
    NotRecorded,
}

/// How a recorded request is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    Ok,
    /// Twilio's: `<Response></Response>`, text/xml (no action taken).
    Twiml,
}

impl Answer {
    pub fn status(&self) -> StatusCode {
        match self {
            Answer::Challenge(_) | Answer::Recorded(..) => StatusCode::OK,
            Answer::NotFound => StatusCode::NOT_FOUND,
            Answer::BadSignature | Answer::NoAppSecret => StatusCode::UNAUTHORIZED,
            Answer::Unreadable(_) => StatusCode::BAD_REQUEST,
            Answer::NotRecorded => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

/// Handles one request to `/hooks/<id>/<token>` for the integration `integration`
/// found by that id and token.
pub async fn handle(
    pool: &SqlitePool,
    i: &Integration,
    token: &str,
    req: Request<'_>,
    now: DateTime<Utc>,
) -> Answer {
    let id = i.id;
    let mut reply = Reply::Ok;
    let events = match (i.channel, i.provider.as_str()) {
        (Channel::Whatsapp, "meta") => {
            if *req.method == Method::GET {
                return match meta::challenge(req.query, token) {
                    Some(c) => Answer::Challenge(c),
                    None => Answer::NotFound,
                };
            }
            if *req.method != Method::POST {
                return Answer::NotFound;
            }
            match integrations::secret(pool, i, "appSecret").await {
                Ok(Some(s)) => {
                    let header = req
                        .headers
                        .get("x-hub-signature-256")
                        .and_then(|v| v.to_str().ok());
                    if !meta::signed(s.expose_secret(), header, req.body) {
                        return Answer::BadSignature;
                    }
                }
                Ok(None) => return Answer::NoAppSecret,
                Err(_) => return Answer::NotRecorded,
            }
            let phone_id = i.settings.get("phoneNumberId").cloned().unwrap_or_default();
            meta::read(req.body, &phone_id)
        }
        (Channel::Sms, "vonage") => {
            let ct = req
                .headers
                .get(axum::http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok());
            let key = i.settings.get("apiKey").cloned().unwrap_or_default();
            vonage::params(req.query, ct, req.body).and_then(|p| vonage::read(&p, &key, now))
        }
        (_, "twilio") => {
            if *req.method != Method::POST {
                return Answer::NotFound;
            }
            let params = twilio::params(req.body);
            match twilio_signed(pool, i, token, &req, &params).await {
                Ok(true) => {}
                Ok(false) => return Answer::BadSignature,
                Err(_) => return Answer::NotRecorded,
            }
            reply = Reply::Twiml;
            let account = i.settings.get("accountSid").cloned().unwrap_or_default();
            twilio::read(&params, &account, now)
        }
        _ => return Answer::NotFound,
    };
    let events = match events {
        Ok(e) => e,
        Err(why) => return Answer::Unreadable(why),
    };
    match inbound::record(pool, i.workspace_id, i.id, i.channel, &events, now).await {
        Ok(r) => Answer::Recorded(r, reply),
        Err(e) => {
            tracing::warn!(integration = id, error = %e, "webhook: not recorded");
            Answer::NotRecorded
        }
    }
}

/// Whether a Twilio request carries Twilio's signature. Twilio signs the address it
/// was given, which only the tunnel's public address (saved under Gelen bildirimler)
/// completes, with the account's auth token, which an integration signed in with an API
/// key does not hold: without either, the address's own token is the only check.
async fn twilio_signed(
    pool: &SqlitePool,
    i: &Integration,
    token: &str,
    req: &Request<'_>,
    params: &std::collections::BTreeMap<String, String>,
) -> Result<bool, IntegrationError> {
    let api_key = i.settings.get("apiKeySid").is_some_and(|k| !k.is_empty());
    let public = ulak_core::settings::get(pool, PUBLIC_URL_SETTING).await?;
    let auth = integrations::secret(pool, i, "authToken").await?;
    let (Some(public), Some(auth), false) = (public, auth, api_key) else {
        return Ok(true);
    };
    let mut url = format!("{}/hooks/{}/{token}", public.trim_end_matches('/'), i.id);
    if !req.query.is_empty() {
        url.push('?');
        url.push_str(req.query);
    }
    let header = req
        .headers
        .get("x-twilio-signature")
        .and_then(|v| v.to_str().ok());
    Ok(twilio::signed(auth.expose_secret(), &url, params, header))
}

async fn integration(
    pool: &SqlitePool,
    id: i64,
    token: &str,
) -> Result<Option<Integration>, IntegrationError> {
    let ws: Option<i64> = sqlx::query_scalar("SELECT workspace_id FROM integrations WHERE id = ?1")
        .bind(id)
        .fetch_optional(pool)
        .await?;
    let Some(ws) = ws else { return Ok(None) };
    let Some(i) = integrations::by_id(pool, ws, id).await? else {
        return Ok(None);
    };
    if !receives(&i.provider, i.channel) {
        return Ok(None);
    }
    let stored = secret::get(pool, ws, &format!("integration:{id}"), TOKEN).await?;
    Ok(stored
        .filter(|s| same(s.expose_secret().as_bytes(), token.as_bytes()))
        .map(|_| i))
}

/// Binds the receiver's port on loopback (0: any free port).
pub async fn bind(port: u16) -> std::io::Result<TcpListener> {
    TcpListener::bind(("127.0.0.1", port)).await
}

/// Told after a request changed something (the window reads its history again).
pub type OnRecorded = Arc<dyn Fn(&Recorded) + Send + Sync>;

/// Requests handled at once at most; more are answered 503 (the provider tries again).
const SLOTS: usize = 32;
/// How long a request's body may take to arrive.
const BODY_TIME: std::time::Duration = std::time::Duration::from_secs(10);

#[derive(Clone)]
struct Ctx {
    pool: SqlitePool,
    on_recorded: Option<OnRecorded>,
    slots: Arc<tokio::sync::Semaphore>,
}

/// The receiver's routes (`/hooks/<id>/<token>`), for `serve` or a host that adds its
/// own (ulak-api adds the CRM events' endpoint).
pub fn router(pool: SqlitePool, on_recorded: Option<OnRecorded>) -> Router {
    Router::new()
        .route("/hooks/{id}/{token}", any(hook))
        .with_state(Ctx {
            pool,
            on_recorded,
            slots: Arc::new(tokio::sync::Semaphore::new(SLOTS)),
        })
}

/// Serves `app` on `listener` until `stop` completes.
pub async fn serve_router(
    app: Router,
    listener: TcpListener,
    stop: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(stop)
    .await
}

/// Serves webhooks on `listener` until `stop` completes.
pub async fn serve(
    pool: SqlitePool,
    listener: TcpListener,
    stop: impl Future<Output = ()> + Send + 'static,
    on_recorded: Option<OnRecorded>,
) -> std::io::Result<()> {
    serve_router(router(pool, on_recorded), listener, stop).await
}

async fn hook(
    State(ctx): State<Ctx>,
    Path((id, token)): Path<(i64, String)>,
    method: Method,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> (
    StatusCode,
    [(axum::http::HeaderName, &'static str); 1],
    String,
) {
    let answer = receive(&ctx, id, &token, &method, query.as_deref(), &headers, body).await;
    // Counts only: a customer's words and numbers are not logged.
    match &answer {
        Answer::Recorded(r, _) => {
            tracing::info!(
                integration = id,
                received = r.received,
                reports = r.reports,
                applied = r.applied,
                opted_out = r.opted_out,
                "webhook recorded"
            );
            if r.received + r.applied + r.opted_out > 0 {
                if let Some(f) = &ctx.on_recorded {
                    f(r);
                }
            }
        }
        Answer::Unreadable(why) => tracing::warn!(integration = id, %why, "webhook not readable"),
        Answer::BadSignature => tracing::warn!(integration = id, "webhook signature refused"),
        Answer::NoAppSecret => tracing::warn!(
            integration = id,
            "Meta webhook refused: no app secret saved (Entegrasyonlar › WhatsApp Cloud API)"
        ),
        _ => {}
    }
    let status = answer.status();
    let (ctype, text) = match answer {
        Answer::Challenge(c) => ("text/plain; charset=utf-8", c),
        Answer::Recorded(_, Reply::Twiml) => ("text/xml", twilio::EMPTY_TWIML.to_string()),
        Answer::Recorded(_, Reply::Ok) => ("text/plain; charset=utf-8", "ok".into()),
        _ => (
            "text/plain; charset=utf-8",
            status.canonical_reason().unwrap_or_default().to_string(),
        ),
    };
    (status, [(axum::http::header::CONTENT_TYPE, ctype)], text)
}

/// The token first, then (only for a real address) the body, within its size and
/// time; then `handle`.
async fn receive(
    ctx: &Ctx,
    id: i64,
    token: &str,
    method: &Method,
    query: Option<&str>,
    headers: &HeaderMap,
    body: Body,
) -> Answer {
    let Ok(_slot) = ctx.slots.clone().try_acquire_owned() else {
        return Answer::NotRecorded;
    };
    let i = match integration(&ctx.pool, id, token).await {
        Ok(Some(i)) => i,
        Ok(None) => return Answer::NotFound,
        Err(e) => {
            tracing::warn!(integration = id, error = %e, "webhook: store not readable");
            return Answer::NotRecorded;
        }
    };
    let body = match tokio::time::timeout(BODY_TIME, axum::body::to_bytes(body, BODY_LIMIT)).await {
        Ok(Ok(b)) => b,
        Ok(Err(_)) => {
            return Answer::Unreadable(format!(
                "the body was cut off or over {} MiB",
                BODY_LIMIT >> 20
            ))
        }
        Err(_) => return Answer::Unreadable("the body took too long".into()),
    };
    handle(
        &ctx.pool,
        &i,
        token,
        Request {
            method,
            query: query.unwrap_or_default(),
            headers,
            body: &body,
        },
        Utc::now(),
    )
    .await
}
