//! The chat provider of a workspace's integration, built from its stored settings and
//! secrets.

use ulak_outbox::failure::Failure;

use super::{slack, telegram, ChatMessage, ChatProvider, Receipt};
use crate::integrations::{self, Integration};
use crate::provider::ClientError;

pub enum Client {
    Slack(slack::Slack),
    Telegram(telegram::Telegram),
}

impl Client {
    pub async fn for_integration(
        pool: &sqlx::SqlitePool,
        i: &Integration,
    ) -> Result<Client, ClientError> {
        let base = integrations::base_url(i).unwrap_or_default();
        match i.provider.as_str() {
            slack::PROVIDER => {
                let token = integrations::secret(pool, i, "botToken").await?;
                let hook = integrations::secret(pool, i, "webhookUrl").await?;
                let s = slack::Settings::from_fields(&base, &i.settings, token, hook)
                    .map_err(ClientError::Setup)?;
                Ok(Client::Slack(slack::Slack::new(s)))
            }
            telegram::PROVIDER => {
                let token = integrations::secret(pool, i, "botToken").await?;
                let s = telegram::Settings::from_fields(&base, &i.settings, token)
                    .map_err(ClientError::Setup)?;
                Ok(Client::Telegram(telegram::Telegram::new(s)))
            }
            other => Err(ClientError::Unknown(other.to_string())),
        }
    }

    /// The connection test: a harmless call that sends nothing.
    pub async fn check(&self) -> Result<(), Failure> {
        match self {
            Client::Slack(s) => s.check().await,
            Client::Telegram(t) => t.check().await,
        }
    }

    pub fn knows(provider: &str) -> bool {
        matches!(provider, slack::PROVIDER | telegram::PROVIDER)
    }
}

impl ChatProvider for Client {
    async fn send(&self, msg: &ChatMessage) -> Result<Receipt, Failure> {
        match self {
            Client::Slack(s) => s.send(msg).await,
            Client::Telegram(t) => t.send(msg).await,
        }
    }
}
