//! Tauri commands, one file per area of the UI.

pub mod accounts;
pub mod automations;
pub mod calendar;
pub mod campaigns;
pub mod companies;
pub mod drive;
pub mod google_contacts;
pub mod inbound;
pub mod integrations;
pub mod oauth;
pub mod outbox;
pub mod profile;
pub mod sheets;
pub mod sms;
pub mod store;
pub mod suppression;
pub mod webhooks;
pub mod whatsapp;
pub mod workspace;

use ulak_core::session::Session;
use ulak_core::{ErrorPayload, Store, UserFacing};

/// Every command error crosses the bridge as `{ code, message, hint, field }`.
pub type CmdResult<T> = Result<T, ErrorPayload>;

pub(crate) fn err<E: UserFacing>(e: E) -> ErrorPayload {
    ErrorPayload::from_error(&e)
}

/// The open store and the active workspace's id: what every workspace command needs.
pub(crate) async fn active_scope(session: &Session) -> CmdResult<(Store, i64)> {
    let store = session.store().await.map_err(err)?;
    let ws = ulak_core::workspace::active(store.pool())
        .await
        .map_err(err)?;
    Ok((store, ws.id))
}
