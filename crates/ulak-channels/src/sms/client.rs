//! The SMS provider of a workspace's integration, built from its stored settings and
//! secrets: what the dispatcher sends through and the connection test checks. A new
//! provider adds its arm here, its file beside this one, and its spec.

use ulak_outbox::failure::Failure;

use super::{iletimerkezi, netgsm, twilio, vonage, Receipt, Sms, SmsProvider};
use crate::integrations::{self, Integration};
use crate::provider::ClientError;

pub enum Client {
    Twilio(twilio::Twilio),
    Vonage(vonage::Vonage),
    Netgsm(netgsm::Netgsm),
    IletiMerkezi(iletimerkezi::IletiMerkezi),
}

impl Client {
    pub async fn for_integration(
        pool: &sqlx::SqlitePool,
        i: &Integration,
    ) -> Result<Client, ClientError> {
        let base = integrations::base_url(i).unwrap_or_default();
        match i.provider.as_str() {
            twilio::PROVIDER => {
                let token = integrations::secret(pool, i, "authToken").await?;
                let s = twilio::Settings::from_fields(&base, &i.settings, token)
                    .map_err(|e| ClientError::Setup(e.to_string()))?;
                Ok(Client::Twilio(twilio::Twilio::new(s)))
            }
            vonage::PROVIDER => {
                let secret = integrations::secret(pool, i, "apiSecret").await?;
                let s = vonage::Settings::from_fields(&base, &i.settings, secret)
                    .map_err(ClientError::Setup)?;
                Ok(Client::Vonage(vonage::Vonage::new(s)))
            }
            netgsm::PROVIDER => {
                let password = integrations::secret(pool, i, "password").await?;
                let s = netgsm::Settings::from_fields(&base, &i.settings, password)
                    .map_err(ClientError::Setup)?;
                Ok(Client::Netgsm(netgsm::Netgsm::new(s)))
            }
            iletimerkezi::PROVIDER => {
                let hash = integrations::secret(pool, i, "hash").await?;
                let s = iletimerkezi::Settings::from_fields(&base, &i.settings, hash)
                    .map_err(ClientError::Setup)?;
                Ok(Client::IletiMerkezi(iletimerkezi::IletiMerkezi::new(s)))
            }
            other => Err(ClientError::Unknown(other.to_string())),
        }
    }

    /// The provider's connection test: a harmless call that sends nothing.
    pub async fn check(&self) -> Result<(), Failure> {
        match self {
            Client::Twilio(t) => t.check().await,
            Client::Vonage(v) => v.check().await,
            Client::Netgsm(n) => n.check().await,
            Client::IletiMerkezi(m) => m.check().await,
        }
    }

    /// Whether `provider` is an SMS provider this build can send through.
    pub fn knows(provider: &str) -> bool {
        matches!(
            provider,
            twilio::PROVIDER | vonage::PROVIDER | netgsm::PROVIDER | iletimerkezi::PROVIDER
        )
    }
}

impl SmsProvider for Client {
    async fn send(&self, id: i64, reference: &str, sms: &Sms) -> Result<Receipt, Failure> {
        match self {
            Client::Twilio(t) => t.send(id, reference, sms).await,
            Client::Vonage(v) => v.send(id, reference, sms).await,
            Client::Netgsm(n) => n.send(id, reference, sms).await,
            Client::IletiMerkezi(m) => m.send(id, reference, sms).await,
        }
    }
}
