//! Entegrasyonlar: the workspace's providers other than SMTP accounts, set up from their
//! specs, and each one's connection test (a harmless call that sends nothing). The
//! window's commands and `ulak integrations` both call these.

use sqlx::SqlitePool;
use ulak_channels::email::accounts::{self, AccountError};
use ulak_channels::email::resend;
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

/// Why a save or a removal did not happen: the integration's settings, or (Resend)
/// its sending account's.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error(transparent)]
    Integration(#[from] IntegrationError),
    #[error(transparent)]
    Account(#[from] AccountError),
}

impl UserFacing for SaveError {
    fn code(&self) -> ErrorCode {
        match self {
            SaveError::Integration(e) => e.code(),
            SaveError::Account(e) => e.code(),
        }
    }
    fn hint(&self) -> Option<String> {
        match self {
            SaveError::Integration(e) => e.hint(),
            SaveError::Account(AccountError::Duplicate(_)) => Some(
                "An SMTP account already sends from this address: remove it on E-posta Ayarları first, or give Resend another address."
                    .into(),
            ),
            SaveError::Account(e) => e.hint(),
        }
    }
    fn fields(&self) -> Vec<&'static str> {
        match self {
            SaveError::Integration(e) => e.fields(),
            SaveError::Account(e) => e.fields(),
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            SaveError::Integration(e) => e.field(),
            SaveError::Account(e) => e.field(),
        }
    }
}

/// Saves a provider's settings (see `integrations::set`). Resend is a sending account
/// too: its account is made (or changed) with it — an address another account already
/// sends from is refused before anything is saved.
pub async fn save(
    pool: &SqlitePool,
    workspace_id: i64,
    channel: Channel,
    provider: &str,
    input: &IntegrationInput,
) -> Result<Integration, SaveError> {
    let resend = channel == Channel::Email && provider == resend::PROVIDER;
    if resend {
        let before = integrations::get(pool, workspace_id, channel, provider).await?;
        if let Some(email) = input.values.get("email").map(|e| e.trim()) {
            if let Some(a) = accounts::by_email(pool, workspace_id, email).await? {
                let ours = before
                    .as_ref()
                    .is_some_and(|b| a.integration_id == Some(b.id));
                if !ours {
                    return Err(AccountError::Duplicate(a.email).into());
                }
            }
        }
    }
    let i = integrations::set(pool, workspace_id, channel, provider, input).await?;
    if resend {
        let new_key = input
            .values
            .get("apiKey")
            .is_some_and(|k| !k.trim().is_empty());
        accounts::link_integration(pool, workspace_id, &i, new_key).await?;
    }
    Ok(i)
}

/// "Bağlantıyı kaldır": the integration and its secrets are deleted (Resend's sending
/// account with it). Messages queued through it fail as "account missing" when their
/// turn comes, saying so in the history.
pub async fn remove(
    pool: &SqlitePool,
    workspace_id: i64,
    channel: Channel,
    provider: &str,
) -> Result<(), SaveError> {
    let i = integrations::get(pool, workspace_id, channel, provider)
        .await?
        .ok_or_else(|| IntegrationError::NotSetUp {
            channel: channel.as_str().into(),
            provider: provider.into(),
        })?;
    if let Some(a) = accounts::of_integration(pool, workspace_id, i.id).await? {
        accounts::remove(pool, workspace_id, a.id).await?;
    }
    integrations::remove(pool, workspace_id, i.id).await?;
    Ok(())
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
    // The test's verdict is the integration's status too (Entegrasyonlar's "Hata"), and
    // Resend's account's.
    integrations::record(pool, workspace_id, i.id, checked.as_ref().map(|_| ())).await?;
    if channel == Channel::Email && provider == resend::PROVIDER {
        if let Err(e) = ulak_channels::email::account_check::record_resend_test(
            pool,
            workspace_id,
            i.id,
            checked.as_ref().map(|_| ()),
        )
        .await
        {
            tracing::warn!(
                integration_id = i.id,
                "the resend account's test not recorded: {e}"
            );
        }
    }
    checked.map_err(TestError::Failed)?;
    Ok(true)
}
