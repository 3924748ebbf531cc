//! What SMS and WhatsApp sends share: the integration a message goes through and its
//! company checked before anything is built; for a bulk send, every number checked
//! before anything is queued, the same number (in any form) queued once, and each
//! message's idempotency key made from the send's key, the channel and the number (the
//! same key given to an SMS and a WhatsApp send names two different messages).

use std::collections::HashSet;

use sqlx::SqlitePool;
use ulak_channels::integrations::{self, IntegrationError};
use ulak_core::validate::ValidationError;
use ulak_crm::CrmError;
use ulak_outbox::{queue, Channel, NewMessage};

/// The workspace's active integration `provider` on `channel` (None, or `sandbox`: the
/// Test kutusu) as the draft's `via`, after checking the company exists.
pub async fn sender<E>(
    pool: &SqlitePool,
    workspace_id: i64,
    channel: Channel,
    provider: Option<&str>,
    company_id: Option<i64>,
) -> Result<Option<(String, i64)>, E>
where
    E: From<IntegrationError> + From<CrmError>,
{
    let via = match provider.filter(|p| *p != queue::SANDBOX) {
        None => None,
        Some(p) => Some(integrations::sender(pool, workspace_id, channel, p).await?),
    };
    if let Some(id) = company_id {
        ulak_crm::companies::get(pool, workspace_id, id).await?;
    }
    Ok(via)
}

/// One message per distinct, non-empty number, built by `build` (which validates and
/// normalises it to E.164); no number at all, or the first error, stops everything, so
/// nothing is queued.
pub fn messages<E: From<ValidationError>>(
    to: &[String],
    key: Option<&str>,
    build: impl Fn(&str) -> Result<NewMessage, E>,
) -> Result<Vec<NewMessage>, E> {
    if to.iter().all(|t| t.trim().is_empty()) {
        return Err(ValidationError::Required { field: "to" }.into());
    }
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(to.len());
    for t in to.iter().filter(|t| !t.trim().is_empty()) {
        let m = build(t)?;
        let number = m.recipients[0].clone();
        if !seen.insert(number.clone()) {
            continue;
        }
        out.push(match key {
            Some(k) => NewMessage {
                idempotency_key: format!("{k}:{}:{number}", m.channel.as_str()),
                ..m
            },
            None => m,
        });
    }
    Ok(out)
}
