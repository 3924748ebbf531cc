//! The provider behind a workspace's integration, whatever its channel: what the
//! dispatcher sends through (built once a round) and Entegrasyonlar's connection test
//! checks.

use ulak_outbox::failure::Failure;
use ulak_outbox::Channel;

use crate::integrations::{Integration, IntegrationError};
use crate::{chat, sms, whatsapp};

/// What a provider says when it took the message: its own id for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub provider_id: String,
}

/// What a provider said about a sent message's arrival.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    Delivered,
    /// Not delivered, in the provider's words.
    Undelivered(String),
}

impl Delivery {
    /// As stored (`messages.delivery`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Delivery::Delivered => "delivered",
            Delivery::Undelivered(_) => "undelivered",
        }
    }
}

/// A message of `channel` to one number (already E.164), as the outbox stores it: through
/// the integration `via` (provider, id) or the channel's sandbox, under `key` or, without
/// one, its own reference (`<prefix>-<ms>-<random>`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn to_number(
    channel: Channel,
    prefix: &str,
    via: Option<&(String, i64)>,
    company_id: Option<i64>,
    to: String,
    subject: String,
    payload: Vec<u8>,
    key: Option<String>,
    now: chrono::DateTime<chrono::Utc>,
) -> ulak_outbox::NewMessage {
    let reference = format!(
        "{prefix}-{}-{:016x}",
        now.timestamp_millis(),
        rand::random::<u64>()
    );
    ulak_outbox::NewMessage {
        channel,
        provider: via.map_or_else(
            || ulak_outbox::queue::SANDBOX.to_string(),
            |(p, _)| p.clone(),
        ),
        account_id: via.map(|(_, id)| *id),
        company_id,
        idempotency_key: key.unwrap_or_else(|| reference.clone()),
        reference,
        sender: String::new(),
        recipients: vec![to.clone()],
        to_display: to,
        subject,
        attachment_count: 0,
        payload,
    }
}

pub enum Client {
    /// Resend: its messages go through their account (`email::delivery`); here for
    /// the connection test.
    Email(crate::email::resend::Resend),
    Sms(sms::client::Client),
    Whatsapp(whatsapp::client::Client),
    Chat(chat::client::Client),
    /// Zoom: makes meeting links, sends nothing; here for its connection test.
    Meeting(crate::meeting::zoom::Zoom),
}

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error(transparent)]
    Store(#[from] IntegrationError),
    /// The settings cannot make a client (a sender missing…): the form must change.
    #[error("{0}")]
    Setup(String),
    #[error("Ulak cannot send through {0}")]
    Unknown(String),
}

impl Client {
    /// Whether this build sends through `provider` on `channel`.
    pub fn knows(channel: Channel, provider: &str) -> bool {
        match channel {
            Channel::Sms => sms::client::Client::knows(provider),
            Channel::Whatsapp => whatsapp::client::Client::knows(provider),
            Channel::Chat => chat::client::Client::knows(provider),
            Channel::Email => provider == crate::email::resend::PROVIDER,
            Channel::Meeting => provider == crate::meeting::zoom::PROVIDER,
            _ => false,
        }
    }

    pub async fn for_integration(
        pool: &sqlx::SqlitePool,
        i: &Integration,
    ) -> Result<Client, ClientError> {
        match i.channel {
            Channel::Sms => Ok(Client::Sms(
                sms::client::Client::for_integration(pool, i).await?,
            )),
            Channel::Whatsapp => Ok(Client::Whatsapp(
                whatsapp::client::Client::for_integration(pool, i).await?,
            )),
            Channel::Chat => Ok(Client::Chat(
                chat::client::Client::for_integration(pool, i).await?,
            )),
            Channel::Email if i.provider == crate::email::resend::PROVIDER => Ok(Client::Email(
                crate::email::resend::Resend::for_integration(pool, i).await?,
            )),
            Channel::Meeting if i.provider == crate::meeting::zoom::PROVIDER => Ok(
                Client::Meeting(crate::meeting::zoom::Zoom::for_integration(pool, i).await?),
            ),
            c => Err(ClientError::Unknown(format!(
                "{}/{}",
                c.as_str(),
                i.provider
            ))),
        }
    }

    /// The connection test: a harmless call that sends nothing.
    pub async fn check(&self) -> Result<(), Failure> {
        match self {
            Client::Sms(c) => c.check().await,
            Client::Whatsapp(c) => c.check().await,
            Client::Chat(c) => c.check().await,
            Client::Email(c) => c.check().await,
            Client::Meeting(c) => c.check().await,
        }
    }

    /// The providers that can be asked whether a message arrived.
    pub const TELLS_DELIVERY: [&'static str; 3] = [
        sms::twilio::PROVIDER,
        sms::iletimerkezi::PROVIDER,
        sms::netgsm::PROVIDER,
    ];

    /// Whether this provider can be asked whether a message arrived.
    pub fn tells_delivery(provider: &str) -> bool {
        Self::TELLS_DELIVERY.contains(&provider)
    }

    /// Whether the message the provider named `provider_id` arrived; None: not known
    /// (yet, or this provider cannot tell).
    pub async fn delivery(&self, provider_id: &str) -> Result<Option<Delivery>, Failure> {
        match self {
            Client::Sms(sms::client::Client::Twilio(t))
            | Client::Whatsapp(whatsapp::client::Client::Twilio(t)) => {
                t.delivery(provider_id).await
            }
            Client::Sms(sms::client::Client::IletiMerkezi(m)) => m.delivery(provider_id).await,
            Client::Sms(sms::client::Client::Netgsm(n)) => n.delivery(provider_id).await,
            _ => Ok(None),
        }
    }
}
