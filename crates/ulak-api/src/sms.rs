//! SMS from the window or `ulak sms send`: a text to one number, stored before any
//! network call and sent by the outbox's worker. Until an SMS provider account is
//! added (Twilio, Netgsm…), only the sandbox ("Test kutusu") takes them.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;
use ulak_channels::integrations::IntegrationError;
use ulak_channels::iys::{self, Missing};
use ulak_channels::sms::{self, SmsDraft, SmsError};
use ulak_core::{ErrorCode, UserFacing};
use ulak_crm::contacts::{self, RecipientType};
use ulak_crm::CrmError;
use ulak_outbox::{queue, Channel, OutboxError};

#[derive(Debug, Clone, Default, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SmsInput {
    /// None: the sandbox ("Test kutusu"); nothing is sent.
    pub account_id: Option<i64>,
    pub company_id: Option<i64>,
    /// As typed: `0532 123 45 67`, `+90 532 …`; stored in E.164.
    pub to: String,
    pub text: String,
    pub idempotency_key: Option<String>,
    /// Commercial or informational, for İYS; None: as the provider is set up.
    #[serde(default)]
    pub purpose: Option<Purpose>,
}

/// What an SMS is, as Turkish law and İYS see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum Purpose {
    /// An order, a reminder, a notice: no consent needed.
    Informational,
    /// Marketing: to an individual only with their İYS consent.
    Commercial,
}

/// The İYS type of a number: its contact's, else a merchant when sent for a customer
/// company, else an individual (the stricter).
async fn recipient_type(
    pool: &SqlitePool,
    workspace_id: i64,
    company_id: Option<i64>,
    e164: &str,
) -> Result<RecipientType, CrmError> {
    Ok(
        match contacts::recipient_type_of_phone(pool, workspace_id, e164).await? {
            Some(t) => t,
            None if company_id.is_some() => RecipientType::Tacir,
            None => RecipientType::Bireysel,
        },
    )
}

/// The İYS kind of an SMS to `to` (as typed; a number that is not one gets none, and
/// the build refuses it).
async fn kind_for(
    pool: &SqlitePool,
    workspace_id: i64,
    purpose: Option<Purpose>,
    company_id: Option<i64>,
    to: &str,
) -> Result<Option<iys::Kind>, CrmError> {
    let Some(purpose) = purpose else {
        return Ok(None);
    };
    let Ok(e164) = ulak_core::validate::phone("to", to, true) else {
        return Ok(None);
    };
    Ok(Some(match purpose {
        Purpose::Informational => iys::Kind::Informational,
        Purpose::Commercial => match recipient_type(pool, workspace_id, company_id, &e164).await? {
            RecipientType::Bireysel => iys::Kind::Individual,
            RecipientType::Tacir => iys::Kind::Merchant,
        },
    }))
}

/// Providers that check İYS consent themselves.
pub const IYS_FILTERING: [&str; 2] = [
    ulak_channels::sms::netgsm::PROVIDER,
    ulak_channels::sms::iletimerkezi::PROVIDER,
];

/// What to know before a commercial SMS goes: what its text lacks, and whether some
/// recipients are individuals that the provider cannot check consent for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct IysCheck {
    /// Each item the law asks of a commercial message and the text lacks.
    pub missing: Vec<Missing>,
    /// Recipients that are individuals (BIREYSEL).
    pub individuals: u32,
    /// The provider checks İYS consent (Netgsm, İleti Merkezi; the test box too).
    pub provider_filters: bool,
}

impl IysCheck {
    /// Individuals would get a commercial SMS through a provider that cannot check
    /// their consent.
    pub fn unfiltered_individuals(&self) -> bool {
        self.individuals > 0 && !self.provider_filters
    }
}

/// The check before a commercial SMS (nothing for an informational one).
pub async fn iys_check(
    pool: &SqlitePool,
    workspace_id: i64,
    provider: Option<&str>,
    company_id: Option<i64>,
    to: &[String],
    text: &str,
) -> Result<IysCheck, SmsSendError> {
    let mut individuals = 0;
    for t in to {
        if kind_for(pool, workspace_id, Some(Purpose::Commercial), company_id, t).await?
            == Some(iys::Kind::Individual)
        {
            individuals += 1;
        }
    }
    Ok(IysCheck {
        missing: iys::check_sms(text),
        individuals,
        provider_filters: provider.is_none_or(|p| IYS_FILTERING.contains(&p)),
    })
}

#[derive(Debug, thiserror::Error)]
pub enum SmsSendError {
    #[error(transparent)]
    Sms(#[from] SmsError),
    #[error("no SMS provider account can be used yet; send to the test box")]
    NoProvider,
    #[error(transparent)]
    Crm(#[from] CrmError),
    #[error(transparent)]
    Integration(#[from] IntegrationError),
    #[error(transparent)]
    Outbox(#[from] OutboxError),
}

impl UserFacing for SmsSendError {
    fn code(&self) -> ErrorCode {
        match self {
            SmsSendError::Sms(e) => e.code(),
            SmsSendError::NoProvider => ErrorCode::SmsNoProvider,
            SmsSendError::Crm(e) => e.code(),
            SmsSendError::Integration(e) => e.code(),
            SmsSendError::Outbox(e) => e.code(),
        }
    }
    fn hint(&self) -> Option<String> {
        match self {
            SmsSendError::Sms(e) => e.hint(),
            SmsSendError::NoProvider => Some("Choose Test kutusu.".into()),
            SmsSendError::Crm(e) => e.hint(),
            SmsSendError::Integration(e) => e.hint(),
            SmsSendError::Outbox(e) => e.hint(),
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            SmsSendError::Sms(e) => e.field(),
            SmsSendError::NoProvider => Some("account"),
            SmsSendError::Crm(CrmError::CompanyNotFound(_)) => Some("company"),
            SmsSendError::Crm(e) => e.field(),
            SmsSendError::Integration(e) => e.field(),
            SmsSendError::Outbox(e) => e.field(),
        }
    }
    fn detail(&self) -> Option<String> {
        match self {
            SmsSendError::Sms(e) => e.detail(),
            SmsSendError::Outbox(e) => e.detail(),
            _ => None,
        }
    }
}

/// Validates and queues one SMS; returns its id (an idempotency key queued already
/// answers with that message's id). Nothing goes on the network here.
pub async fn send(
    pool: &SqlitePool,
    workspace_id: i64,
    input: &SmsInput,
    now: DateTime<Utc>,
) -> Result<i64, SmsSendError> {
    send_with(pool, workspace_id, None, input, now).await
}

/// As `send`, through a provider the workspace has set up (`twilio`, …); None: the
/// sandbox.
pub async fn send_with(
    pool: &SqlitePool,
    workspace_id: i64,
    provider: Option<&str>,
    input: &SmsInput,
    now: DateTime<Utc>,
) -> Result<i64, SmsSendError> {
    if input.account_id.is_some() {
        return Err(SmsSendError::NoProvider);
    }
    let via = crate::bulk::sender::<SmsSendError>(
        pool,
        workspace_id,
        Channel::Sms,
        provider,
        input.company_id,
    )
    .await?;
    let m = sms::build(
        &SmsDraft {
            via,
            company_id: input.company_id,
            to: input.to.clone(),
            text: input.text.clone(),
            idempotency_key: input.idempotency_key.clone(),
            iys: kind_for(
                pool,
                workspace_id,
                input.purpose,
                input.company_id,
                &input.to,
            )
            .await?,
        },
        now,
    )?;
    let ids = queue::enqueue_many(pool, workspace_id, std::slice::from_ref(&m), now).await?;
    Ok(ids[0])
}

/// One text to several numbers (a company's contacts, a pasted list).
#[derive(Debug, Clone, Default, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SmsBulkInput {
    pub company_id: Option<i64>,
    /// As typed, one number each; the same number twice is sent once.
    pub to: Vec<String>,
    pub text: String,
    /// Each number's message is queued under `<key>:sms:<E.164>`, so repeating the send
    /// (or part of it) queues nothing twice.
    pub idempotency_key: Option<String>,
    /// Commercial or informational, for İYS; None: as the provider is set up.
    #[serde(default)]
    pub purpose: Option<Purpose>,
}

/// Validates every number and the text, then queues one SMS per distinct number in one
/// transaction (all or nothing); returns their ids, a number's first place kept. Nothing goes on
/// the network here.
pub async fn send_many(
    pool: &SqlitePool,
    workspace_id: i64,
    provider: Option<&str>,
    input: &SmsBulkInput,
    now: DateTime<Utc>,
) -> Result<Vec<i64>, SmsSendError> {
    let via = crate::bulk::sender::<SmsSendError>(
        pool,
        workspace_id,
        Channel::Sms,
        provider,
        input.company_id,
    )
    .await?;
    let mut kinds: HashMap<&str, Option<iys::Kind>> = HashMap::new();
    for to in &input.to {
        let k = kind_for(pool, workspace_id, input.purpose, input.company_id, to).await?;
        kinds.insert(to.as_str(), k);
    }
    let messages = crate::bulk::messages(&input.to, input.idempotency_key.as_deref(), |to| {
        sms::build(
            &SmsDraft {
                via: via.clone(),
                company_id: input.company_id,
                to: to.to_string(),
                text: input.text.clone(),
                idempotency_key: None,
                iys: kinds.get(to).copied().flatten(),
            },
            now,
        )
    })?;
    Ok(queue::enqueue_many(pool, workspace_id, &messages, now).await?)
}
