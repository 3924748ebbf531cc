//! Gönderim Geçmişi's detail: one message of any channel as it was sent, its payload
//! shown the way its channel reads it, and every try.

use serde::Serialize;
use sqlx::SqlitePool;
use ulak_channels::email::mime::{self, Parts};
use ulak_outbox::history::{self, Entry};
use ulak_outbox::queue::{Attempt, Channel};
use ulak_outbox::suppression::{self, Skipped};
use ulak_outbox::OutboxError;

/// One message as it was sent.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Detail {
    pub entry: Entry,
    /// The exact bytes handed to the provider, as text (lossless for the 7-bit MIME
    /// and the JSON we write).
    pub raw: String,
    /// An e-mail's bodies, attachments and headers, read back from its .eml.
    pub email: Option<Parts>,
    /// Every try, oldest first.
    pub attempts: Vec<Attempt>,
    /// Recipients found on the suppression list when it was about to be sent (the
    /// message then failed as `suppressed`), with the list's reason.
    pub skipped: Vec<Skipped>,
}

pub async fn detail(pool: &SqlitePool, workspace_id: i64, id: i64) -> Result<Detail, OutboxError> {
    let s = history::stored(pool, workspace_id, id).await?;
    // A campaign's message not rendered yet (skipped, cancelled, waiting) holds its
    // recipient and values, not an .eml: shown raw only.
    let email = (s.entry.channel == Channel::Email
        && s.entry.provider != ulak_outbox::campaigns::PROVIDER)
        .then(|| mime::read_back(&s.payload));
    let skipped = suppression::skipped(pool, id).await?;
    Ok(Detail {
        skipped,
        raw: String::from_utf8_lossy(&s.payload).into_owned(),
        entry: s.entry,
        email,
        attempts: s.attempts,
    })
}
