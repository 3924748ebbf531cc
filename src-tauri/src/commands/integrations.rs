//! Entegrasyonlar: providers other than SMTP accounts, set up from their specs
//! (PROVIDER_SPECS in bindings.ts), and their connection tests.

use tauri::State;
use ulak_api::integrations;
use ulak_channels::integrations::{Integration, IntegrationInput};
use ulak_core::session::Session;
use ulak_outbox::Channel;

use super::{active_scope, err, CmdResult};

#[tauri::command]
#[specta::specta]
pub async fn list_integrations(session: State<'_, Session>) -> CmdResult<Vec<Integration>> {
    let (store, ws) = active_scope(&session).await?;
    integrations::list(store.pool(), ws).await.map_err(err)
}

/// Secrets left empty keep the stored ones; they are never sent back.
#[tauri::command]
#[specta::specta]
pub async fn save_integration(
    session: State<'_, Session>,
    channel: Channel,
    provider: String,
    input: IntegrationInput,
) -> CmdResult<Integration> {
    let (store, ws) = active_scope(&session).await?;
    integrations::save(store.pool(), ws, channel, &provider, &input)
        .await
        .map_err(err)
}

/// True when the provider took the credentials; false when it has nothing to test.
#[tauri::command]
#[specta::specta]
pub async fn test_integration(
    session: State<'_, Session>,
    channel: Channel,
    provider: String,
) -> CmdResult<bool> {
    let (store, ws) = active_scope(&session).await?;
    integrations::test(store.pool(), ws, channel, &provider)
        .await
        .map_err(err)
}

/// "Bağlantıyı kaldır": the integration and its secrets are deleted (Resend: its
/// sending account too).
#[tauri::command]
#[specta::specta]
pub async fn remove_integration(
    session: State<'_, Session>,
    channel: Channel,
    provider: String,
) -> CmdResult<()> {
    let (store, ws) = active_scope(&session).await?;
    integrations::remove(store.pool(), ws, channel, &provider)
        .await
        .map_err(err)
}
