//! Incoming notifications (issue 19): the receiver's settings (its port on this
//! computer, the public address of the user's tunnel), each integration's webhook
//! address, the receiver itself for both hosts (the window runs it while open when a
//! port is set; `ulak inbound serve` runs it in a terminal or a service), what
//! customers wrote, and WhatsApp's 24-hour window for one number.

use std::future::Future;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;
use ulak_channels::inbound::{self as receiver, Address, PORT_SETTING, PUBLIC_URL_SETTING};
use ulak_channels::integrations::{self, IntegrationError};
use ulak_core::validate::{self, ValidationError};
use ulak_core::{settings, ErrorCode, UserFacing};
use ulak_outbox::inbound::{self, Received, Window};
use ulak_outbox::{Channel, OutboxError};

#[derive(Debug, thiserror::Error)]
pub enum InboundError {
    #[error("Ulak does not receive {provider}'s webhooks")]
    NotReceived { provider: String },
    #[error("port {port} could not be opened: {why}")]
    PortInUse { port: u16, why: String },
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error(transparent)]
    Integration(#[from] IntegrationError),
    #[error(transparent)]
    Outbox(#[from] OutboxError),
    #[error(transparent)]
    Store(#[from] ulak_core::store::StoreError),
}

impl From<sqlx::Error> for InboundError {
    fn from(e: sqlx::Error) -> Self {
        InboundError::Store(ulak_core::store::StoreError::Database(e))
    }
}

impl UserFacing for InboundError {
    fn code(&self) -> ErrorCode {
        match self {
            InboundError::NotReceived { .. } => ErrorCode::InboundNotReceived,
            InboundError::PortInUse { .. } => ErrorCode::InboundPortInUse,
            InboundError::Invalid(e) => e.code(),
            InboundError::Integration(e) => e.code(),
            InboundError::Outbox(e) => e.code(),
            InboundError::Store(e) => e.code(),
        }
    }
    fn hint(&self) -> Option<String> {
        match self {
            InboundError::NotReceived { .. } => Some(
                "The incoming address exists for WhatsApp Cloud API (meta), Twilio SMS and WhatsApp (twilio) and Vonage SMS (vonage)."
                    .into(),
            ),
            InboundError::PortInUse { .. } => {
                Some("Choose another port, or close the program that uses it.".into())
            }
            InboundError::Invalid(e) => e.hint(),
            InboundError::Integration(e) => e.hint(),
            InboundError::Outbox(e) => e.hint(),
            InboundError::Store(e) => e.hint(),
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            InboundError::PortInUse { .. } => Some("port"),
            InboundError::Invalid(e) => e.field(),
            InboundError::Integration(e) => e.field(),
            _ => None,
        }
    }
    fn detail(&self) -> Option<String> {
        match self {
            InboundError::PortInUse { port, .. } => Some(port.to_string()),
            _ => None,
        }
    }
}

/// The receiver's settings as the window shows and saves them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct InboundSettings {
    /// The port on 127.0.0.1 (None: the receiver does not run).
    pub port: Option<u16>,
    /// The tunnel's public address (https://…), shown in front of each path.
    pub public_url: Option<String>,
}

pub async fn settings(pool: &SqlitePool) -> Result<InboundSettings, InboundError> {
    let port = settings::get(pool, PORT_SETTING)
        .await?
        .and_then(|p| p.parse().ok());
    let public_url = settings::get(pool, PUBLIC_URL_SETTING).await?;
    Ok(InboundSettings { port, public_url })
}

/// Checks and saves the settings; nothing is written when one is wrong. A port is
/// 1024–65535 (below needs root); the public address https (http only on loopback).
pub async fn set_settings(
    pool: &SqlitePool,
    input: &InboundSettings,
) -> Result<InboundSettings, InboundError> {
    if let Some(p) = input.port {
        if p < 1024 {
            return Err(ValidationError::Range {
                field: "port",
                min: 1024,
                max: 65535,
            }
            .into());
        }
    }
    let public = match input.public_url.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(u) => Some(validate::url("publicUrl", u, true)?),
    };
    let mut tx = pool.begin().await?;
    for (key, value) in [
        (PORT_SETTING, input.port.map(|p| p.to_string())),
        (PUBLIC_URL_SETTING, public),
    ] {
        match value {
            Some(v) => {
                sqlx::query(
                    "INSERT INTO app_settings (key, value) VALUES (?1, ?2)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                )
                .bind(key)
                .bind(v)
                .execute(&mut *tx)
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM app_settings WHERE key = ?1")
                    .bind(key)
                    .execute(&mut *tx)
                    .await?;
            }
        }
    }
    tx.commit().await?;
    settings(pool).await
}

/// The webhook address of the workspace's integration with `provider` (`meta`,
/// `twilio`, `vonage`), its token made on first use; `rotate` makes a new one.
pub async fn address(
    pool: &SqlitePool,
    ws: i64,
    channel: Channel,
    provider: &str,
    rotate: bool,
) -> Result<Address, InboundError> {
    if !receiver::receives(provider, channel) {
        return Err(InboundError::NotReceived {
            provider: provider.to_string(),
        });
    }
    let i = integrations::get(pool, ws, channel, provider)
        .await?
        .ok_or_else(|| IntegrationError::NotSetUp {
            channel: channel.as_str().into(),
            provider: provider.into(),
        })?;
    Ok(receiver::address(pool, &i, rotate).await?)
}

/// Opens the receiver's port (0: any free one, for tests) on loopback.
pub async fn bind(port: u16) -> Result<tokio::net::TcpListener, InboundError> {
    receiver::bind(port)
        .await
        .map_err(|e| InboundError::PortInUse {
            port,
            why: e.to_string(),
        })
}

/// Serves webhooks until `stop`; `on_recorded` is told after each request that
/// recorded something.
pub async fn serve(
    pool: SqlitePool,
    listener: tokio::net::TcpListener,
    stop: impl Future<Output = ()> + Send + 'static,
    on_recorded: Option<receiver::OnRecorded>,
) -> std::io::Result<()> {
    // The providers' webhooks, and CRM events from this computer (automations).
    let app = receiver::router(pool.clone(), on_recorded.clone())
        .merge(crate::automations::events_router(pool, on_recorded));
    receiver::serve_router(app, listener, stop).await
}

/// WhatsApp's customer-service window for `to` through `provider` (None: the sandbox,
/// which has no window to know).
pub async fn window(
    pool: &SqlitePool,
    ws: i64,
    provider: Option<&str>,
    to: &str,
    now: DateTime<Utc>,
) -> Result<Option<Window>, InboundError> {
    let number = validate::phone("to", to, true)?;
    let Some(p) = provider.filter(|p| receiver::receives(p, Channel::Whatsapp)) else {
        return Ok(None);
    };
    let Some(i) = integrations::get(pool, ws, Channel::Whatsapp, p).await? else {
        return Ok(None);
    };
    Ok(Some(inbound::window(pool, ws, i.id, &number, now).await?))
}

/// What customers wrote, newest first.
pub async fn received(
    pool: &SqlitePool,
    ws: i64,
    limit: i64,
) -> Result<Vec<Received>, InboundError> {
    Ok(inbound::list(pool, ws, limit.clamp(1, 1000)).await?)
}
