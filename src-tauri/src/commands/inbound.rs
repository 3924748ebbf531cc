//! Entegrasyonlar › Gelen bildirimler: the receiver's port and tunnel address, each
//! integration's webhook address, and WhatsApp's 24-hour window for the composer.

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use tauri::State;
use ulak_api::inbound::{self, InboundSettings};
use ulak_channels::inbound::Address;
use ulak_core::session::Session;
use ulak_core::ErrorPayload;
use ulak_outbox::inbound::Window;
use ulak_outbox::Channel;

use super::{active_scope, err, CmdResult};
use crate::inbound::Receiver;

/// The saved settings and what the window's receiver does with them.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct InboundStatus {
    pub settings: InboundSettings,
    /// The port the window listens on now (None: not listening).
    pub listening: Option<u16>,
    /// Why the saved port is not listened on.
    pub problem: Option<ErrorPayload>,
}

async fn status(session: &Session, receiver: &Receiver) -> CmdResult<InboundStatus> {
    let store = session.store().await.map_err(err)?;
    let settings = inbound::settings(store.pool()).await.map_err(err)?;
    let (listening, problem) = receiver.status();
    Ok(InboundStatus {
        settings,
        listening,
        problem,
    })
}

#[tauri::command]
#[specta::specta]
pub async fn inbound_status(
    session: State<'_, Session>,
    receiver: State<'_, Arc<Receiver>>,
) -> CmdResult<InboundStatus> {
    status(&session, &receiver).await
}

/// Saves the port and the tunnel's address; the receiver moves to the new port (the
/// answer says whether it could).
#[tauri::command]
#[specta::specta]
pub async fn save_inbound_settings(
    session: State<'_, Session>,
    receiver: State<'_, Arc<Receiver>>,
    input: InboundSettings,
) -> CmdResult<InboundStatus> {
    let store = session.store().await.map_err(err)?;
    let saved = inbound::set_settings(store.pool(), &input)
        .await
        .map_err(err)?;
    receiver.wake();
    // The watcher binds within moments; wait for it so the answer is true.
    for _ in 0..20 {
        let (listening, problem) = receiver.status();
        if listening == saved.port || problem.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    status(&session, &receiver).await
}

/// The address to paste into Meta's or Vonage's console (`rotate`: a new one).
#[tauri::command]
#[specta::specta]
pub async fn inbound_address(
    session: State<'_, Session>,
    channel: Channel,
    provider: String,
    rotate: bool,
) -> CmdResult<Address> {
    let (store, ws) = active_scope(&session).await?;
    inbound::address(store.pool(), ws, channel, &provider, rotate)
        .await
        .map_err(err)
}

/// WhatsApp's customer-service window for one number (null: the provider does not
/// tell Ulak when customers write, or it is not set up).
#[tauri::command]
#[specta::specta]
pub async fn whatsapp_window(
    session: State<'_, Session>,
    provider: Option<String>,
    to: String,
) -> CmdResult<Option<Window>> {
    let (store, ws) = active_scope(&session).await?;
    inbound::window(
        store.pool(),
        ws,
        provider.as_deref(),
        &to,
        chrono::Utc::now(),
    )
    .await
    .map_err(err)
}
