//! Entegrasyonlar: the workspace's providers other than SMTP accounts, set up from their
//! specs, and each one's connection test (a harmless call that sends nothing). The
//! window's commands and `ulak integrations` both call these.

use sqlx::SqlitePool;
use ulak_channels::integrations::{self, Integration, IntegrationError, IntegrationInput};
use ulak_channels::provider::{Client, ClientError};
use ulak_core::{ErrorCode, UserFacing};
use ulak_outbox::failure::{Failure, Kind};
use ulak_outbox::Channel;

pub use integrations::list;

#[derive(Debug, thiserror::Error)]
pub enum TestError {
    #[error(transparent)]
    Integration(#[from] IntegrationError),
    /// The stored settings cannot make a client (e.g. no sender): fix the form.
    #[error("{0}")]
    Setup(String),
    /// The provider answered no: its own words.
    #[error("{}", .0.text)]
    Failed(Failure),
}

impl UserFacing for TestError {
    fn code(&self) -> ErrorCode {
        match self {
            TestError::Integration(e) => e.code(),
            TestError::Setup(_) => ErrorCode::IntegrationIncomplete,
            TestError::Failed(_) => ErrorCode::IntegrationTestFailed,
        }
    }
    fn hint(&self) -> Option<String> {
        match self {
            TestError::Integration(e) => e.hint(),
            TestError::Setup(_) => Some("Fill in what the message names and save.".into()),
            TestError::Failed(f) => Some(
                match f.kind {
                    Kind::SignIn => "Check the account ID and the key or token; copy them again from the provider's console.",
                    Kind::Unreachable | Kind::Tls => "Check the internet connection and the base URL; a firewall may block it.",
                    Kind::RateLimited => "The provider asks to slow down; test again in a minute.",
                    _ => "The provider's answer above says what to change.",
                }
                .into(),
            ),
        }
    }
}

/// Saves a provider's settings (see `integrations::set`).
pub async fn save(
    pool: &SqlitePool,
    workspace_id: i64,
    channel: Channel,
    provider: &str,
    input: &IntegrationInput,
) -> Result<Integration, IntegrationError> {
    integrations::set(pool, workspace_id, channel, provider, input).await
}

/// What a connection test found: Ok(true) when the provider took the credentials,
/// Ok(false) when the provider has nothing to test (the sandboxes).
pub async fn test(
    pool: &SqlitePool,
    workspace_id: i64,
    channel: Channel,
    provider: &str,
) -> Result<bool, TestError> {
    let i = integrations::get(pool, workspace_id, channel, provider)
        .await?
        .ok_or_else(|| IntegrationError::NotSetUp {
            channel: channel.as_str().into(),
            provider: provider.into(),
        })?;
    if !Client::knows(channel, provider) {
        return Ok(false);
    }
    let client = Client::for_integration(pool, &i)
        .await
        .map_err(|e| match e {
            ClientError::Store(e) => TestError::Integration(e),
            other => TestError::Setup(other.to_string()),
        })?;
    let checked = client.check().await;
    // The test's verdict is the integration's status too (Entegrasyonlar's "Hata").
    integrations::record(pool, workspace_id, i.id, checked.as_ref().map(|_| ())).await?;
    checked.map_err(TestError::Failed)?;
    Ok(true)
}
