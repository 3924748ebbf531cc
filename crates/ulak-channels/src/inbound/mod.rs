//! The receiver for what providers report back by webhook (issue 19): a customer's
//! message, which opens WhatsApp's 24-hour window (and may say STOP or RET), and
//! delivery reports that only arrive by webhook (Meta's statuses, Vonage's receipts).
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
pub mod vonage;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, RawQuery, State};
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
/// The largest request read (Meta batches up to 1,000 updates in one notification).
pub const BODY_LIMIT: usize = 1024 * 1024;
/// The secret the address's token is kept under (beside the integration's own).
const TOKEN: &str = "inboundToken";

/// Providers whose webhooks the receiver reads.
pub fn receives(provider: &str, channel: Channel) -> bool {
    matches!(
        (channel, provider),
        (Channel::Whatsapp, "meta") | (Channel::Sms, "vonage")
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
    let token = match secret::get(pool, i.workspace_id, &owner, TOKEN).await? {
        Some(t) if !rotate => t,
        _ => {
            let mut raw = [0u8; 24];
            rand::thread_rng().fill_bytes(&mut raw);
            let t = SecretString::from(hex::encode(raw));
            secret::set(pool, i.workspace_id, &owner, TOKEN, &t).await?;
            t
        }
    };
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
    Recorded(Recorded),
    /// No such address (unknown integration, wrong token, a provider Ulak does not
    /// read): 404, nothing read.
    NotFound,
    /// Signed wrongly or not at all while the integration has a signing secret: 401.
    BadSignature,
    /// Not the provider's format: 400 (the provider will try again; its words logged).
    Unreadable(String),
    /// The store could not record it: 503, so the provider sends it again.
    NotRecorded,
}

impl Answer {
    pub fn status(&self) -> StatusCode {
        match self {
            Answer::Challenge(_) | Answer::Recorded(_) => StatusCode::OK,
            Answer::NotFound => StatusCode::NOT_FOUND,
            Answer::BadSignature => StatusCode::UNAUTHORIZED,
            Answer::Unreadable(_) => StatusCode::BAD_REQUEST,
            Answer::NotRecorded => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

/// Handles one request to `/hooks/<id>/<token>`.
pub async fn handle(
    pool: &SqlitePool,
    id: i64,
    token: &str,
    req: Request<'_>,
    now: DateTime<Utc>,
) -> Answer {
    let i = match integration(pool, id, token).await {
        Ok(Some(i)) => i,
        Ok(None) => return Answer::NotFound,
        Err(e) => {
            tracing::warn!(integration = id, error = %e, "webhook: store not readable");
            return Answer::NotRecorded;
        }
    };
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
            match integrations::secret(pool, &i, "appSecret").await {
                Ok(Some(s)) => {
                    let header = req
                        .headers
                        .get("x-hub-signature-256")
                        .and_then(|v| v.to_str().ok());
                    if !meta::signed(s.expose_secret(), header, req.body) {
                        return Answer::BadSignature;
                    }
                }
                Ok(None) => {}
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
            vonage::params(req.query, ct, req.body).and_then(|p| vonage::read(&p, now))
        }
        _ => return Answer::NotFound,
    };
    let events = match events {
        Ok(e) => e,
        Err(why) => return Answer::Unreadable(why),
    };
    match inbound::record(pool, i.workspace_id, i.id, i.channel, &events, now).await {
        Ok(r) => Answer::Recorded(r),
        Err(e) => {
            tracing::warn!(integration = id, error = %e, "webhook: not recorded");
            Answer::NotRecorded
        }
    }
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

#[derive(Clone)]
struct Ctx {
    pool: SqlitePool,
    on_recorded: Option<OnRecorded>,
}

/// Serves webhooks on `listener` until `stop` completes.
pub async fn serve(
    pool: SqlitePool,
    listener: TcpListener,
    stop: impl Future<Output = ()> + Send + 'static,
    on_recorded: Option<OnRecorded>,
) -> std::io::Result<()> {
    let app = Router::new()
        .route("/hooks/{id}/{token}", any(hook))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(Ctx { pool, on_recorded });
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(stop)
    .await
}

async fn hook(
    State(ctx): State<Ctx>,
    Path((id, token)): Path<(i64, String)>,
    method: Method,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    let answer = handle(
        &ctx.pool,
        id,
        &token,
        Request {
            method: &method,
            query: query.as_deref().unwrap_or_default(),
            headers: &headers,
            body: &body,
        },
        Utc::now(),
    )
    .await;
    // Counts only: a customer's words and numbers are not logged.
    match &answer {
        Answer::Recorded(r) => {
            tracing::info!(
                integration = id,
                received = r.received,
                reports = r.reports,
                applied = r.applied,
                opted_out = r.opted_out,
                "webhook recorded"
            );
            if let Some(f) = &ctx.on_recorded {
                f(r);
            }
        }
        Answer::Unreadable(why) => tracing::warn!(integration = id, %why, "webhook not readable"),
        Answer::BadSignature => tracing::warn!(integration = id, "webhook signature refused"),
        _ => {}
    }
    let status = answer.status();
    let text = match answer {
        Answer::Challenge(c) => c,
        Answer::Recorded(_) => "ok".into(),
        _ => status.canonical_reason().unwrap_or_default().to_string(),
    };
    (status, text)
}
