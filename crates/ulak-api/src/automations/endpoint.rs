//! The CRM's way in on this computer: `POST /events` on the receiver's port with the
//! workspace's bearer token (`event_token`), refused when a tunnel carried it.

use chrono::Utc;
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;
use ulak_crm::CrmError;

use super::{emit, AutomationError, Source};

/// The secret a CRM on this computer sends CRM events with (`Authorization: Bearer`),
/// one per workspace, made on first ask (`rotate`: a new one; the old one stops).
pub async fn event_token(
    pool: &SqlitePool,
    ws: i64,
    rotate: bool,
) -> Result<String, AutomationError> {
    use secrecy::ExposeSecret;
    let mut raw = [0u8; 24];
    rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut raw);
    let fresh = format!("ulak_evt_{}", hex::encode(raw));
    if rotate {
        ulak_core::secret::set(
            pool,
            ws,
            "events",
            "token",
            &secrecy::SecretString::from(fresh),
        )
        .await
        .map_err(|e| AutomationError::Crm(e.into()))?;
    } else {
        // Two first asks at once (the window and the CLI) keep one token, the first.
        sqlx::query(
            "INSERT INTO secrets (workspace_id, owner, name, value, updated_at)
             VALUES (?1, 'events', 'token', ?2, ?3)
             ON CONFLICT (workspace_id, owner, name) DO NOTHING",
        )
        .bind(ws)
        .bind(&fresh)
        .bind(ulak_core::store::now())
        .execute(pool)
        .await
        .map_err(|e| AutomationError::Crm(e.into()))?;
    }
    let t = ulak_core::secret::get(pool, ws, "events", "token")
        .await
        .map_err(|e| AutomationError::Crm(e.into()))?
        .ok_or(AutomationError::Crm(CrmError::CorruptRow("secrets")))?;
    Ok(t.expose_secret().to_string())
}

/// The largest event read.
const EVENT_LIMIT: usize = 256 * 1024;

/// `POST /events` on the receiver's port: a CRM event for the workspace whose token is
/// the bearer. Only from this computer: a request a tunnel forwarded (it names the
/// original client in X-Forwarded-For, Forwarded, CF-Connecting-IP or X-Real-IP) is
/// refused, as is one without the token. Answers the `Emitted` JSON, or the error as
/// `{code, message, hint}` with 400; 401/403 without a body worth reading.
/// `on_queued` is told when an event queued something (the window wakes its worker).
pub fn events_router(
    pool: SqlitePool,
    on_queued: Option<ulak_channels::inbound::OnRecorded>,
) -> axum::Router {
    axum::Router::new()
        .route("/events", axum::routing::post(event_in))
        .with_state((
            pool,
            on_queued,
            std::sync::Arc::new(tokio::sync::Semaphore::new(EVENT_SLOTS)),
        ))
}

/// Events taken at once at most; more are answered 503 (the CRM tries again).
const EVENT_SLOTS: usize = 8;

type EventState = (
    SqlitePool,
    Option<ulak_channels::inbound::OnRecorded>,
    std::sync::Arc<tokio::sync::Semaphore>,
);

async fn event_in(
    axum::extract::State((pool, on_queued, slots)): axum::extract::State<EventState>,
    headers: axum::http::HeaderMap,
    body: axum::body::Body,
) -> (
    axum::http::StatusCode,
    [(axum::http::HeaderName, &'static str); 1],
    String,
) {
    use axum::http::StatusCode;
    let json = [(axum::http::header::CONTENT_TYPE, "application/json")];
    let Ok(_slot) = slots.try_acquire_owned() else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            json,
            "{\"code\":\"busy\"}".into(),
        );
    };
    // A tunnel forwards the whole port (for the providers' webhooks): a request it
    // carried names its client or the public host; this endpoint is for this computer.
    let forwarded = [
        "x-forwarded-for",
        "x-forwarded-host",
        "x-forwarded-proto",
        "forwarded",
        "via",
        "cf-connecting-ip",
        "cf-ray",
        "true-client-ip",
        "x-real-ip",
    ]
    .iter()
    .any(|h| headers.contains_key(*h));
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let local_host = ["127.0.0.1", "localhost", "[::1]"].iter().any(|h| {
        host == *h
            || host
                .strip_prefix(h)
                .is_some_and(|rest| rest.starts_with(':'))
    });
    if forwarded || !local_host {
        return (
            StatusCode::FORBIDDEN,
            json,
            "{\"code\":\"forbidden\"}".into(),
        );
    }
    let bearer = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or_default()
        .to_string();
    let ws = match workspace_of(&pool, &bearer).await {
        Some(ws) => ws,
        None => {
            return (
                StatusCode::UNAUTHORIZED,
                json,
                "{\"code\":\"unauthorized\"}".into(),
            )
        }
    };
    let bytes = match tokio::time::timeout(
        std::time::Duration::from_secs(10),
        axum::body::to_bytes(body, EVENT_LIMIT),
    )
    .await
    {
        Ok(Ok(b)) => b,
        _ => {
            let e =
                AutomationError::BadJson("the body was cut off, too slow or over 256 KiB".into());
            let p = ulak_core::ErrorPayload::from_error(&e);
            return (
                StatusCode::BAD_REQUEST,
                json,
                serde_json::to_string(&p).expect("plain JSON"),
            );
        }
    };
    let text = String::from_utf8_lossy(&bytes);
    match emit(&pool, ws, &text, Source::Http, Utc::now()).await {
        Ok(e) => {
            let queued = e.runs.iter().any(|r| r.run.actions.iter().any(|a| a.ok));
            if let (true, Some(f)) = (queued, &on_queued) {
                f(&ulak_outbox::inbound::Recorded::default());
            }
            (
                StatusCode::OK,
                json,
                serde_json::to_string(&e).expect("plain JSON"),
            )
        }
        Err(e) => {
            // The event's own fault: 400 (sending it again will not help); the store's
            // (busy, full): 503, so the CRM tries again.
            let status = match &e {
                AutomationError::BadJson(_) | AutomationError::Invalid(_) => {
                    StatusCode::BAD_REQUEST
                }
                AutomationError::Crm(CrmError::Store(_)) | AutomationError::Outbox(_) => {
                    StatusCode::SERVICE_UNAVAILABLE
                }
                AutomationError::Crm(_) => StatusCode::BAD_REQUEST,
            };
            let p = ulak_core::ErrorPayload::from_error(&e);
            (status, json, serde_json::to_string(&p).expect("plain JSON"))
        }
    }
}

/// The workspace whose event token this is (compared by hash: no timing to learn from).
async fn workspace_of(pool: &SqlitePool, token: &str) -> Option<i64> {
    use secrecy::ExposeSecret;
    if token.is_empty() {
        return None;
    }
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT workspace_id FROM secrets WHERE owner = 'events' AND name = 'token'",
    )
    .fetch_all(pool)
    .await
    .ok()?;
    for (ws,) in rows {
        if let Ok(Some(t)) = ulak_core::secret::get(pool, ws, "events", "token").await {
            if Sha256::digest(t.expose_secret().as_bytes()) == Sha256::digest(token.as_bytes()) {
                return Some(ws);
            }
        }
    }
    None
}
