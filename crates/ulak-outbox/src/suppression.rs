//! One suppression list per workspace, for every channel: e-mail addresses and phone
//! numbers that get nothing more, with why (unsubscribed, refused through İYS or `RET`,
//! a hard bounce, added by hand) and since when.
//!
//! The list is read when a message is about to be sent (`screen`, called by the worker
//! for each claimed batch), not when it is queued: a refusal that arrives while a
//! campaign waits is honoured by the very next send. A message with any recipient on
//! the list is not sent at all (the outbox cannot take one address out of an e-mail's
//! headers); it fails as `suppressed`, each listed recipient kept in
//! `suppression_hits` with the reason, and the drain counts it as skipped, not failed.
//!
//! The law gives a business time to honour a refusal; Ulak honours it at once, and the
//! list shows the deadlines it met: three business days in Turkey (Law 6563's
//! regulation, art. 9; weekends and Turkish public holidays do not count), 48 hours for
//! Gmail's bulk-sender rules.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;
use ulak_core::validate::{self, ValidationError};

use crate::campaigns::{holiday, Holiday};
use crate::queue::{ts, Channel, Claimed, OutboxError};

/// Why an address or number is on the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
#[serde(rename = "SuppressionReason")]
pub enum Reason {
    /// The recipient unsubscribed (the link or mail in a campaign, or told the user).
    Unsubscribed,
    /// Refused through İYS, or by replying `RET` to an SMS.
    Iys,
    /// A hard bounce: the address or number does not exist.
    Bounce,
    /// Added by the user.
    Manual,
}

impl Reason {
    pub const ALL: [Reason; 4] = [
        Reason::Unsubscribed,
        Reason::Iys,
        Reason::Bounce,
        Reason::Manual,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Unsubscribed => "unsubscribed",
            Reason::Iys => "iys",
            Reason::Bounce => "bounce",
            Reason::Manual => "manual",
        }
    }

    pub fn parse(s: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
#[serde(rename = "SuppressionKind")]
pub enum Kind {
    Email,
    Phone,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Email => "email",
            Kind::Phone => "phone",
        }
    }
}

/// One entry of the list, with the deadlines its refusal set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
#[serde(rename = "Suppression")]
pub struct Entry {
    pub value: String,
    pub kind: Kind,
    pub reason: Reason,
    pub note: String,
    /// When the recipient refused (RFC 3339).
    pub requested_at: String,
    /// When Ulak learned of it; from then on nothing is sent to them.
    pub added_at: String,
    /// The last day (Istanbul's calendar) Turkish law allows for honouring it: the
    /// third business day after the request (YYYY-MM-DD).
    pub deadline_tr: String,
    /// Gmail's 48 hours after the request (RFC 3339).
    pub deadline_gmail: String,
}

/// The value as the list keeps it and the key sends are matched on: an e-mail address
/// as given (trimmed) and folded (lower case, Turkish dotted and dotless i alike: "Işıl"
/// and "ışıl" are one address), or a phone number in E.164 (a number without a country
/// code read as Turkish), which is its own key.
pub fn normalize(value: &str) -> Result<(Kind, String, String), ValidationError> {
    let v = value.trim();
    if v.contains('@') {
        let e = validate::email("value", v, true)?;
        let key = key_of(&e);
        Ok((Kind::Email, e, key))
    } else {
        let n = validate::phone("value", v, true)?;
        Ok((Kind::Phone, n.clone(), n))
    }
}

/// A message's recipient as the list keys it (an address without its display name,
/// folded; a number as queued, already E.164).
fn key_of(recipient: &str) -> String {
    let addr = bare(recipient);
    if addr.contains('@') {
        validate::fold(addr)
    } else {
        addr.to_string()
    }
}

/// A recipient without its display name (`Ali <ali@x.com>` → `ali@x.com`) or a
/// channel's prefix (`whatsapp:+90…`).
fn bare(recipient: &str) -> &str {
    let r = recipient.trim();
    let addr = match (r.rfind('<'), r.rfind('>')) {
        (Some(a), Some(b)) if a < b => &r[a + 1..b],
        _ => r,
    };
    addr.strip_prefix("whatsapp:").unwrap_or(addr)
}

/// The third business day after `requested` (Istanbul's calendar): Saturdays, Sundays
/// and full public holidays do not count; a half day (an arife) counts as a working day,
/// which puts the deadline earlier, never later.
pub fn deadline_tr(requested: DateTime<Utc>) -> NaiveDate {
    let mut day = requested
        .with_timezone(&chrono_tz::Europe::Istanbul)
        .date_naive();
    let mut left = 3;
    while left > 0 {
        day = day.succ_opt().expect("a date before the year 262143");
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        if !weekend && holiday(day) != Holiday::Full {
            left -= 1;
        }
    }
    day
}

/// Gmail's deadline for honouring an unsubscribe: 48 hours.
pub fn deadline_gmail(requested: DateTime<Utc>) -> DateTime<Utc> {
    requested + Duration::hours(48)
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    value: String,
    kind: String,
    reason: String,
    note: String,
    requested_at: String,
    added_at: String,
}

fn entry(r: EntryRow) -> Entry {
    let requested = DateTime::parse_from_rfc3339(&r.requested_at)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|_| Utc::now());
    Entry {
        kind: if r.kind == "phone" {
            Kind::Phone
        } else {
            Kind::Email
        },
        reason: Reason::parse(&r.reason).unwrap_or(Reason::Manual),
        deadline_tr: deadline_tr(requested).to_string(),
        deadline_gmail: ts(deadline_gmail(requested)),
        value: r.value,
        note: r.note,
        requested_at: r.requested_at,
        added_at: r.added_at,
    }
}

const COLUMNS: &str = "value, kind, reason, note, requested_at, added_at";

/// What `add` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
#[serde(rename = "SuppressionAdded")]
pub struct Added {
    pub entry: Entry,
    /// False when the value was on the list already (kept as it was: its first
    /// refusal's date and reason).
    pub new: bool,
}

/// Puts an address or number on the list. One already there keeps its entry.
pub async fn add(
    pool: &SqlitePool,
    ws: i64,
    value: &str,
    reason: Reason,
    note: &str,
    requested_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Added, OutboxError> {
    let normalized = normalize(value)?;
    let note = validate::text("note", note, 500, false)?;
    let mut c = pool.acquire().await?;
    let mut tx = crate::queue::begin_write(&mut c).await?;
    let new = insert(&mut tx, ws, &normalized, reason, &note, requested_at, now).await?;
    tx.commit().await?;
    let entry = get(pool, ws, &normalized.1)
        .await?
        .ok_or(OutboxError::NotSuppressed)?;
    Ok(Added { entry, new })
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert(
    c: &mut sqlx::SqliteConnection,
    ws: i64,
    (kind, value, key): &(Kind, String, String),
    reason: Reason,
    note: &str,
    requested_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool, OutboxError> {
    let r = sqlx::query(
        "INSERT INTO suppressions
            (workspace_id, value, key, kind, reason, note, requested_at, added_at)
         VALUES (?1, ?2, ?8, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (workspace_id, key) DO NOTHING",
    )
    .bind(ws)
    .bind(value)
    .bind(kind.as_str())
    .bind(reason.as_str())
    .bind(note)
    .bind(ts(requested_at.min(now)))
    .bind(ts(now))
    .bind(key)
    .execute(&mut *c)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn get(pool: &SqlitePool, ws: i64, value: &str) -> Result<Option<Entry>, OutboxError> {
    let (_, _, key) = normalize(value)?;
    let row: Option<EntryRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM suppressions WHERE workspace_id = ?1 AND key = ?2"
    ))
    .bind(ws)
    .bind(&key)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(entry))
}

/// Takes an address or number off the list: it may be sent to again.
pub async fn remove(pool: &SqlitePool, ws: i64, value: &str) -> Result<(), OutboxError> {
    let (_, _, key) = normalize(value)?;
    let r = sqlx::query("DELETE FROM suppressions WHERE workspace_id = ?1 AND key = ?2")
        .bind(ws)
        .bind(&key)
        .execute(pool)
        .await?;
    if r.rows_affected() == 0 {
        return Err(OutboxError::NotSuppressed);
    }
    Ok(())
}

/// The list, newest first.
pub async fn list(pool: &SqlitePool, ws: i64) -> Result<Vec<Entry>, OutboxError> {
    let rows: Vec<EntryRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM suppressions WHERE workspace_id = ?1 ORDER BY added_at DESC, id DESC"
    ))
    .bind(ws)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(entry).collect())
}

/// The CSV header `export` writes and `import` reads (a file without it is read as
/// these columns in this order; only `value` is required).
pub const CSV_HEADER: [&str; 4] = ["value", "reason", "note", "requested_at"];

/// The list as CSV (UTF-8, a header line), as `import` reads it back.
pub fn export_csv(entries: &[Entry]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_HEADER).expect("in memory");
    for e in entries {
        w.write_record([
            e.value.as_str(),
            e.reason.as_str(),
            e.note.as_str(),
            e.requested_at.as_str(),
        ])
        .expect("in memory");
    }
    String::from_utf8(w.into_inner().expect("in memory")).expect("UTF-8 in, UTF-8 out")
}

/// A CSV line `import` did not take, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
#[serde(rename = "SuppressionRejected")]
pub struct Rejected {
    /// The file's line (1 is the first line).
    pub line: u64,
    pub value: String,
    /// What was wrong, as an error code's dotted form (`validation.email`,
    /// `validation.phone`, `validation.choice` for an unknown reason, `outbox.bad_date`).
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
#[serde(rename = "SuppressionImport")]
pub struct Imported {
    pub added: u32,
    /// On the list already: kept as they were.
    pub already: u32,
    pub rejected: Vec<Rejected>,
}

/// Reads a CSV of addresses and numbers onto the list, in one transaction: all the
/// good lines or, if the store fails, none. Bad lines are reported, not fatal. A line
/// without a reason is `manual`, without a date refused now.
pub async fn import_csv(
    pool: &SqlitePool,
    ws: i64,
    csv_text: &[u8],
    now: DateTime<Utc>,
) -> Result<Imported, OutboxError> {
    let text = csv_text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(csv_text);
    let delimiter = sniff_delimiter(text);
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text);
    let mut columns: HashMap<&str, usize> =
        CSV_HEADER.iter().zip(0..).map(|(c, i)| (*c, i)).collect();
    let mut out = Imported::default();
    let mut rows = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| OutboxError::BadCsv(e.to_string()))?;
        let line = rec.position().map(|p| p.line()).unwrap_or(i as u64 + 1);
        let cell = |name: &str| {
            columns
                .get(name)
                .and_then(|&i| rec.get(i))
                .unwrap_or("")
                .trim()
                .to_string()
        };
        if i == 0 {
            let first: Vec<String> = rec.iter().map(|c| c.trim().to_lowercase()).collect();
            if first.iter().any(|c| c == "value" || c == "değer") {
                columns.clear();
                for (j, c) in first.iter().enumerate() {
                    let name = match c.as_str() {
                        "değer" => "value",
                        "neden" => "reason",
                        "not" => "note",
                        "tarih" => "requested_at",
                        other => other,
                    };
                    if let Some(known) = CSV_HEADER.iter().find(|h| **h == name) {
                        columns.insert(known, j);
                    }
                }
                continue;
            }
        }
        let value = cell("value");
        if value.is_empty() && rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let reject = |code: ulak_core::ErrorCode| Rejected {
            line,
            value: value.clone(),
            code: code.as_str().into(),
        };
        let normalized = match normalize(&value) {
            Ok(n) => n,
            Err(e) => {
                out.rejected.push(reject(ulak_core::UserFacing::code(&e)));
                continue;
            }
        };
        let reason = match cell("reason") {
            r if r.is_empty() => Reason::Manual,
            r => match Reason::parse(&r) {
                Some(r) => r,
                None => {
                    out.rejected
                        .push(reject(ulak_core::ErrorCode::ValidationChoice));
                    continue;
                }
            },
        };
        let requested = match cell("requested_at") {
            d if d.is_empty() => now,
            d => match parse_when(&d) {
                Some(t) => t,
                None => {
                    out.rejected
                        .push(reject(ulak_core::ErrorCode::OutboxBadDate));
                    continue;
                }
            },
        };
        let mut note = cell("note");
        note.retain(|c| !c.is_control());
        note = note.chars().take(500).collect();
        rows.push((normalized, reason, note, requested));
    }
    let mut c = pool.acquire().await?;
    let mut tx = crate::queue::begin_write(&mut c).await?;
    for (normalized, reason, note, requested) in rows {
        if insert(&mut tx, ws, &normalized, reason, &note, requested, now).await? {
            out.added += 1;
        } else {
            out.already += 1;
        }
    }
    tx.commit().await?;
    Ok(out)
}

fn sniff_delimiter(text: &[u8]) -> u8 {
    let first = text.split(|b| *b == b'\n').next().unwrap_or_default();
    let count = |d: u8| first.iter().filter(|b| **b == d).count();
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| count(*d))
        .filter(|d| count(*d) > 0)
        .unwrap_or(b',')
}

/// An RFC 3339 time, or a day (`2026-12-07`, taken as Istanbul's midnight).
pub fn parse_when(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    d.and_hms_opt(0, 0, 0)?
        .and_local_timezone(chrono_tz::Europe::Istanbul)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// A recipient of a claimed message found on the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub message_id: i64,
    pub recipient: String,
    pub reason: Reason,
}

/// The claimed messages' recipients on their workspace's list (e-mail, SMS and
/// WhatsApp; a notification to the team or a webhook has no customer recipient), kept
/// as the messages' skips in the same step. One read for the batch; a write only when
/// something is found.
pub async fn screen(
    conn: &mut sqlx::SqliteConnection,
    batch: &[Claimed],
    now: DateTime<Utc>,
) -> Result<Vec<Hit>, OutboxError> {
    let customers = || {
        batch
            .iter()
            .filter(|c| matches!(c.channel, Channel::Email | Channel::Sms | Channel::Whatsapp))
    };
    let mut wanted: HashMap<i64, Vec<String>> = HashMap::new();
    for c in customers() {
        wanted
            .entry(c.workspace_id)
            .or_default()
            .extend(c.recipients.iter().map(|r| key_of(r)));
    }
    let mut listed: HashMap<(i64, String), Reason> = HashMap::new();
    for (ws, values) in wanted {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT key, reason FROM suppressions
             WHERE workspace_id = ?1 AND key IN (SELECT value FROM json_each(?2))",
        )
        .bind(ws)
        .bind(serde_json::to_string(&values).expect("strings"))
        .fetch_all(&mut *conn)
        .await?;
        for (value, reason) in rows {
            listed.insert(
                (ws, value),
                Reason::parse(&reason).unwrap_or(Reason::Manual),
            );
        }
    }
    if listed.is_empty() {
        return Ok(Vec::new());
    }
    let mut hits = Vec::new();
    for c in customers() {
        for r in &c.recipients {
            if let Some(reason) = listed.get(&(c.workspace_id, key_of(r))) {
                hits.push(Hit {
                    message_id: c.id,
                    recipient: r.clone(),
                    reason: *reason,
                });
            }
        }
    }
    let mut tx = crate::queue::begin_write(conn).await?;
    for h in &hits {
        sqlx::query(
            "INSERT OR REPLACE INTO suppression_hits (message_id, recipient, reason, at)
             VALUES (?1, ?2, ?3, ?4)",
        )
        .bind(h.message_id)
        .bind(&h.recipient)
        .bind(h.reason.as_str())
        .bind(ts(now))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(hits)
}

/// A message's skipped recipients, as the history shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
#[serde(rename = "SuppressionHit")]
pub struct Skipped {
    pub recipient: String,
    pub reason: Reason,
    pub at: String,
}

pub async fn skipped(pool: &SqlitePool, message_id: i64) -> Result<Vec<Skipped>, OutboxError> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT recipient, reason, at FROM suppression_hits WHERE message_id = ?1 ORDER BY recipient",
    )
    .bind(message_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(recipient, reason, at)| Skipped {
            recipient,
            reason: Reason::parse(&reason).unwrap_or(Reason::Manual),
            at,
        })
        .collect())
}

/// Hard bounces of messages with one recipient: that recipient goes on the list
/// (`bounce`), in the transaction that records the failure.
pub async fn note_bounces(
    c: &mut sqlx::SqliteConnection,
    bounced: &[(i64, String)],
    now: DateTime<Utc>,
) -> Result<(), OutboxError> {
    for (ws, recipient) in bounced {
        let Ok(normalized) = normalize(bare(recipient)) else {
            continue;
        };
        insert(c, *ws, &normalized, Reason::Bounce, "", now, now).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn three_business_days_skip_weekends() {
        // Monday → Thursday; Friday → Wednesday.
        assert_eq!(
            deadline_tr(at("2026-12-07T10:00:00+03:00")),
            day("2026-12-10")
        );
        assert_eq!(
            deadline_tr(at("2026-12-11T10:00:00+03:00")),
            day("2026-12-16")
        );
        // Late on Sunday in Istanbul (20:30 UTC): the next three working days.
        assert_eq!(
            deadline_tr(at("2026-12-13T23:30:00+03:00")),
            day("2026-12-16")
        );
        // Just after midnight in Istanbul while UTC still says Monday evening: Tuesday.
        assert_eq!(deadline_tr(at("2026-12-07T21:30:00Z")), day("2026-12-11"));
    }

    #[test]
    fn turkish_public_holidays_do_not_count() {
        // Kurban Bayramı 2026: 27–30 May (Wed–Sat), its arife on Tuesday the 26th (a
        // half day, counted as working). Monday the 25th → 26th, then 1 and 2 June.
        assert_eq!(
            deadline_tr(at("2026-05-25T09:00:00+03:00")),
            day("2026-06-02")
        );
        // Ramazan Bayramı 20–22 March 2026 (Fri–Sun): Thursday the 19th (arife) →
        // Monday 23, Tuesday 24, Wednesday 25.
        assert_eq!(
            deadline_tr(at("2026-03-19T15:00:00+03:00")),
            day("2026-03-25")
        );
        // 29 October (Thursday) is Cumhuriyet Bayramı: Wednesday the 28th → 30 Oct,
        // 2 Nov, 3 Nov.
        assert_eq!(
            deadline_tr(at("2026-10-28T11:00:00+03:00")),
            day("2026-11-03")
        );
        // New Year's Day 2027 is a Friday: 31 Dec 2026 (Thursday) → 4, 5, 6 January.
        assert_eq!(
            deadline_tr(at("2026-12-31T16:00:00+03:00")),
            day("2027-01-06")
        );
    }

    #[test]
    fn gmail_allows_48_hours() {
        assert_eq!(
            deadline_gmail(at("2026-12-11T10:00:00Z")),
            at("2026-12-13T10:00:00Z")
        );
    }

    #[test]
    fn values_are_kept_in_one_form() {
        let (kind, value, key) = normalize(" Işıl.Öz@Örnek.com.tr ").unwrap();
        assert_eq!(kind, Kind::Email);
        assert_eq!(value, "Işıl.Öz@Örnek.com.tr");
        assert_eq!(key, "işil.öz@örnek.com.tr");
        assert_eq!(key_of("ışıl.öz@ÖRNEK.com.tr"), key);
        assert_eq!(key_of("İŞIL.ÖZ@örnek.com.tr"), key);
        assert_eq!(
            normalize("0532 123 45 67").unwrap(),
            (Kind::Phone, "+905321234567".into(), "+905321234567".into())
        );
        assert!(normalize("ali@").is_err());
        assert!(normalize("12").is_err());
        assert!(normalize("a@b.com\r\nBcc: x@y.com").is_err());
        assert_eq!(key_of("Ali Veli <Ali@Firma.COM>"), "ali@firma.com");
        assert_eq!(key_of("whatsapp:+905321234567"), "+905321234567");
    }

    #[test]
    fn reasons_round_trip() {
        for r in Reason::ALL {
            assert_eq!(Reason::parse(r.as_str()), Some(r));
            assert_eq!(
                serde_json::to_value(r).unwrap(),
                serde_json::Value::String(r.as_str().into())
            );
        }
        assert_eq!(Reason::parse("spam"), None);
    }
}
