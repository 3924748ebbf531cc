//! Engelleme Listesi: the workspace's one suppression list for every channel (the
//! window's page and `ulak suppress`). Sends read it themselves (the outbox's worker);
//! this is what the user does with it.

use chrono::{DateTime, Utc};
use sqlx::SqlitePool;
use ulak_channels::email::mime;
use ulak_channels::email::unsubscribe;
pub use ulak_channels::email::unsubscribe::{
    Report as UnsubscribeReport, Settings as UnsubscribeSettings,
};
use ulak_outbox::suppression;
pub use ulak_outbox::suppression::{Added, Entry, Imported, Reason, Rejected, Skipped};
use ulak_outbox::OutboxError;

pub async fn list(pool: &SqlitePool, ws: i64) -> Result<Vec<Entry>, OutboxError> {
    suppression::list(pool, ws).await
}

/// Lists an address or number from now on. `requested_at` is when the recipient
/// refused, if earlier than now (RFC 3339, or a day taken as Istanbul's midnight; the
/// legal deadlines count from it); empty or None: now.
pub async fn add(
    pool: &SqlitePool,
    ws: i64,
    value: &str,
    reason: Reason,
    note: &str,
    requested_at: Option<&str>,
) -> Result<Added, OutboxError> {
    let now = Utc::now();
    let requested = match requested_at.map(str::trim).filter(|t| !t.is_empty()) {
        None => now,
        Some(t) => suppression::parse_when(t).ok_or(OutboxError::BadDate {
            field: "requestedAt",
        })?,
    };
    suppression::add(pool, ws, value, reason, note, requested, now).await
}

pub async fn remove(pool: &SqlitePool, ws: i64, value: &str) -> Result<(), OutboxError> {
    suppression::remove(pool, ws, value).await
}

pub async fn import(pool: &SqlitePool, ws: i64, csv: &[u8]) -> Result<Imported, OutboxError> {
    suppression::import_csv(pool, ws, csv, Utc::now()).await
}

/// The list as CSV, as `import` reads it back.
pub async fn export(pool: &SqlitePool, ws: i64) -> Result<String, OutboxError> {
    Ok(suppression::export_csv(&suppression::list(pool, ws).await?))
}

/// Records the unsubscribe requests in a text (a pasted or saved unsubscribe mail, its
/// subject, the address opened, a list of them). A whole mail's Date is taken as the
/// time of the refusal.
pub async fn record_unsubscribes(
    pool: &SqlitePool,
    ws: i64,
    text: &str,
) -> Result<UnsubscribeReport, OutboxError> {
    let now = Utc::now();
    let parts = mime::read_back(text.as_bytes());
    let dated = parts
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("Date"))
        .and_then(|(_, v)| DateTime::parse_from_rfc2822(v.trim()).ok())
        .map(|t| t.with_timezone(&Utc))
        .filter(|t| *t <= now);
    unsubscribe::record(pool, ws, text, dated.unwrap_or(now)).await
}

pub async fn unsubscribe_settings(
    pool: &SqlitePool,
    ws: i64,
) -> Result<UnsubscribeSettings, OutboxError> {
    unsubscribe::settings(pool, ws).await
}

pub async fn save_unsubscribe_settings(
    pool: &SqlitePool,
    ws: i64,
    s: &UnsubscribeSettings,
) -> Result<UnsubscribeSettings, OutboxError> {
    unsubscribe::save_settings(pool, ws, s).await
}
