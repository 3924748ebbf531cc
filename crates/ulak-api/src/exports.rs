//! What exports share (Google Sheets, Google Drive): the send history as a table —
//! a header in the app's language, then one row a message, newest first — and that
//! table as CSV.

use chrono::{DateTime, Local};
use sqlx::SqlitePool;
use ulak_core::settings::Language;
use ulak_core::words;
use ulak_outbox::history;
use ulak_outbox::queue::OutboxError;

/// At most this many messages go into one export.
pub const EXPORT_LIMIT: i64 = 10_000;

/// The messages `filter` lists (at most `EXPORT_LIMIT`) as a table with its header;
/// how many messages it holds.
pub async fn history_table(
    pool: &SqlitePool,
    workspace_id: i64,
    filter: &history::Filter,
    lang: Language,
) -> Result<(Vec<Vec<String>>, usize), OutboxError> {
    let mut f = filter.clone();
    f.limit = Some(f.limit.unwrap_or(EXPORT_LIMIT).clamp(1, EXPORT_LIMIT));
    let entries = history::list(pool, workspace_id, &f).await?;
    let w = |k: &str| words::text(lang, &format!("sheets.{k}"), &[]);
    let mut rows = vec![[
        "date", "channel", "company", "to", "subject", "state", "from", "error", "delivery", "id",
    ]
    .iter()
    .map(|k| w(&format!("header.{k}")))
    .collect::<Vec<_>>()];
    for e in &entries {
        let when = e.sent_at.as_deref().unwrap_or(&e.created_at);
        rows.push(vec![
            local_time(when),
            e.channel.as_str().to_string(),
            e.company_name.clone().unwrap_or_default(),
            e.to.clone(),
            e.subject.clone(),
            w(&format!("state.{}", e.state.as_str())),
            e.account_email.clone().unwrap_or_else(|| e.sender.clone()),
            e.last_error.clone().unwrap_or_default(),
            e.delivery
                .as_deref()
                .map(|d| w(&format!("delivery.{d}")))
                .unwrap_or_default(),
            e.id.to_string(),
        ]);
    }
    Ok((rows, entries.len()))
}

/// A table as CSV (UTF-8 with a byte-order mark, so Excel reads Turkish letters; a
/// cell starting with = + - @ or a tab or carriage return gets a leading apostrophe, so
/// a spreadsheet program never runs it as a formula — a phone number in E.164 is left
/// as it is).
pub fn csv(rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    for r in rows {
        let safe: Vec<String> = r
            .iter()
            .map(|c| {
                let phone =
                    c.len() > 1 && c.starts_with('+') && c[1..].chars().all(|d| d.is_ascii_digit());
                if !phone && c.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                    format!("'{c}")
                } else {
                    c.clone()
                }
            })
            .collect();
        w.write_record(&safe).expect("writing to memory");
    }
    w.into_inner().expect("writing to memory")
}

/// An RFC 3339 time as this computer's `DD.MM.YYYY HH:MM`.
pub fn local_time(t: &str) -> String {
    DateTime::parse_from_rfc3339(t)
        .map(|d| d.with_timezone(&Local).format("%d.%m.%Y %H:%M").to_string())
        .unwrap_or_else(|_| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_keeps_turkish_letters_and_never_a_formula() {
        let out = csv(&[
            vec!["Konu".into(), "Firma".into()],
            vec!["=SUM(1;2) Teklif".into(), "Öztürk Gıda, Şube".into()],
            vec!["+905321234567".into(), "+cmd|' /C calc'!A0".into()],
        ]);
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with('\u{feff}'));
        assert!(text.contains("'=SUM(1;2) Teklif"), "{text}");
        assert!(text.contains("\"Öztürk Gıda, Şube\""), "{text}");
        assert!(text.contains("\n+905321234567,"), "a phone stays: {text}");
        assert!(text.contains("'+cmd"), "{text}");
    }
}
