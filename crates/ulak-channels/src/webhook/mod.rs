//! Webhooks: Ulak's events posted as JSON to the user's own endpoints, signed per
//! Standard Webhooks. One event to one endpoint is one outbox message (channel
//! `webhook`, provider `webhook`, account = the endpoint) whose payload is the exact
//! body, so a delivery is durable, retried with backoff for a day, and its tries are
//! the delivery log.

pub mod address;
pub mod deliver;
pub mod endpoints;
pub mod events;
pub mod sign;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ulak_outbox::{queue::NewMessage, Channel};

pub use endpoints::{Endpoint, EndpointInput, WebhookError};

/// The provider name of every webhook delivery.
pub const PROVIDER: &str = "webhook";

/// What an endpoint can ask to hear about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
pub enum EventType {
    /// A message (e-mail, SMS, WhatsApp) was sent.
    #[serde(rename = "message.sent")]
    MessageSent,
    /// A message was given up as failed.
    #[serde(rename = "message.failed")]
    MessageFailed,
    /// "Test olayı gönder": sent on request, whatever the endpoint asked for.
    #[serde(rename = "webhook.test")]
    Test,
}

impl EventType {
    pub const ALL: [EventType; 3] = [
        EventType::MessageSent,
        EventType::MessageFailed,
        EventType::Test,
    ];
    /// What an endpoint can choose (the test event comes on request).
    pub const CHOOSABLE: [EventType; 2] = [EventType::MessageSent, EventType::MessageFailed];

    pub fn as_str(self) -> &'static str {
        match self {
            EventType::MessageSent => "message.sent",
            EventType::MessageFailed => "message.failed",
            EventType::Test => "webhook.test",
        }
    }

    pub fn parse(s: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

/// One event as it goes out: the standard envelope.
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    /// Unique per event; the `webhook-id` of every delivery of it (the same on retries).
    #[serde(skip)]
    pub id: String,
    #[serde(rename = "type")]
    pub kind: EventType,
    /// When it happened, RFC 3339.
    pub timestamp: String,
    pub data: serde_json::Value,
}

impl Event {
    /// An event with a fresh id.
    pub fn new(kind: EventType, data: serde_json::Value, at: DateTime<Utc>) -> Event {
        let id: u128 = rand::random();
        Event::with_id(format!("msg_{id:032x}"), kind, data, at)
    }

    /// An event whose id says what it is about, so that noticing it twice (after a
    /// crash) queues it once.
    pub fn with_id(
        id: String,
        kind: EventType,
        data: serde_json::Value,
        at: DateTime<Utc>,
    ) -> Event {
        Event {
            id,
            kind,
            timestamp: at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            data,
        }
    }

    /// Its delivery to `endpoint` as an outbox message.
    pub fn to(&self, endpoint: &Endpoint) -> NewMessage {
        NewMessage {
            channel: Channel::Webhook,
            provider: PROVIDER.into(),
            account_id: Some(endpoint.id),
            company_id: None,
            reference: self.id.clone(),
            idempotency_key: format!("webhook:{}:{}", endpoint.id, self.id),
            sender: "Ulak".into(),
            recipients: vec![endpoint.url.clone()],
            to_display: endpoint.url.clone(),
            subject: self.kind.as_str().into(),
            attachment_count: 0,
            payload: serde_json::to_vec(self).expect("plain JSON"),
        }
    }
}
