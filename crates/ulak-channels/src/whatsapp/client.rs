//! The WhatsApp provider of a workspace's integration, built from its stored settings
//! and secrets. A new provider adds its arm here, its file beside this one, and its
//! spec.

use ulak_outbox::failure::Failure;

use super::{meta, twilio, Receipt, WhatsApp, WhatsappProvider};
use crate::integrations::{self, Integration};
use crate::provider::ClientError;

pub enum Client {
    Meta(meta::Meta),
    Twilio(twilio::Twilio),
}

impl Client {
    pub async fn for_integration(
        pool: &sqlx::SqlitePool,
        i: &Integration,
    ) -> Result<Client, ClientError> {
        let base = integrations::base_url(i).unwrap_or_default();
        match i.provider.as_str() {
            meta::PROVIDER => {
                let token = integrations::secret(pool, i, "accessToken").await?;
                let s = meta::Settings::from_fields(&base, &i.settings, token)
                    .map_err(ClientError::Setup)?;
                Ok(Client::Meta(meta::Meta::new(s)))
            }
            twilio::PROVIDER => {
                let token = integrations::secret(pool, i, "authToken").await?;
                let s = twilio::Settings::from_fields(&base, &i.settings, token)
                    .map_err(|e| ClientError::Setup(e.to_string()))?;
                Ok(Client::Twilio(twilio::Twilio::new(s)))
            }
            other => Err(ClientError::Unknown(other.to_string())),
        }
    }

    /// The provider's connection test: a harmless call that sends nothing.
    pub async fn check(&self) -> Result<(), Failure> {
        match self {
            Client::Meta(m) => m.check().await,
            Client::Twilio(t) => t.check().await,
        }
    }

    /// Whether `provider` is a WhatsApp provider this build can send through.
    pub fn knows(provider: &str) -> bool {
        matches!(provider, meta::PROVIDER | twilio::PROVIDER)
    }
}

impl WhatsappProvider for Client {
    async fn send(&self, id: i64, reference: &str, msg: &WhatsApp) -> Result<Receipt, Failure> {
        match self {
            Client::Meta(m) => m.send(id, reference, msg).await,
            Client::Twilio(t) => t.send(id, reference, msg).await,
        }
    }
}
