//! Sending accounts with their limits (issue 17): each account with what it sent today
//! against both limits, its next free moment, its queue and its last error, as the
//! window's account list and `ulak accounts list` show them.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::SqlitePool;
use ulak_channels::email::accounts::{self, AccountError};
use ulak_channels::email::{dns, readiness};
use ulak_outbox::senders::{self, Clock, Sending};

/// One e-mail account's sending now.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AccountSending {
    pub id: i64,
    pub email: String,
    pub sending: Sending,
}

/// Every e-mail account of the workspace with its sending at `now` (the local day is
/// this computer's).
pub async fn sending(
    pool: &SqlitePool,
    workspace_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<AccountSending>, AccountError> {
    let clock = Clock::local(now);
    let mut out = Vec::new();
    for a in accounts::list(pool, workspace_id).await? {
        if let Some(sending) = senders::sending(pool, accounts::key(a.id), &clock).await? {
            out.push(AccountSending {
                id: a.id,
                email: a.email,
                sending,
            });
        }
    }
    Ok(out)
}

/// Is the account's domain ready for bulk mail: its SPF (authorising the account's
/// provider, within ten lookups) and DMARC from DNS, and DKIM from `headers` — a sent
/// mail's headers, pasted in — or, without them, common selectors tried.
pub async fn domain_check(
    pool: &SqlitePool,
    workspace_id: i64,
    id: i64,
    headers: Option<&str>,
) -> Result<readiness::Readiness, AccountError> {
    let a = accounts::get(pool, workspace_id, id).await?;
    let sender = readiness::sender_for(&a.host);
    let resolver = dns::resolver(dns::server_from_env(), std::time::Duration::from_secs(5));
    Ok(readiness::check(&resolver, &a.email, &sender, headers).await)
}
