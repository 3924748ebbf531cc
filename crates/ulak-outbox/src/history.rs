//! Gönderim Geçmişi: every message of a workspace with its state, what exactly was
//! sent (parsed back from the stored .eml), a retry for failed ones and a daily count
//! per account.

use mail_parser::{MessageParser, MimeHeaders};
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

use crate::queue::{OutboxError, State};
use crate::why::{why, Why};

#[derive(Debug, Clone, Default, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Filter {
    pub company_id: Option<i64>,
    pub state: Option<State>,
    /// First day shown, `YYYY-MM-DD` (local time), inclusive.
    pub since: Option<String>,
    /// Last day shown, `YYYY-MM-DD` (local time), inclusive.
    pub until: Option<String>,
    /// At most this many, newest first (default 500).
    pub limit: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    pub id: i64,
    pub company_id: Option<i64>,
    pub company_name: Option<String>,
    pub to: String,
    pub subject: String,
    /// None: the sandbox ("Test kutusu"); nothing left the machine.
    pub account_id: Option<i64>,
    pub account_email: Option<String>,
    pub sender: String,
    #[sqlx(try_from = "String")]
    pub state: State,
    pub attempts: i64,
    pub last_error: Option<String>,
    /// `last_error` read for the salesperson (see `why`); the UI words it.
    #[sqlx(skip)]
    pub why: Option<Why>,
    pub server_reply: Option<String>,
    pub attachment_count: i64,
    pub created_at: String,
    pub updated_at: String,
    pub sent_at: Option<String>,
    pub next_attempt_at: String,
}

impl TryFrom<String> for State {
    type Error = OutboxError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Ok(match s.as_str() {
            "queued" => State::Queued,
            "sending" => State::Sending,
            "sent" => State::Sent,
            "failed" => State::Failed,
            "retry" => State::Retry,
            _ => return Err(OutboxError::Build(format!("unknown state {s:?}"))),
        })
    }
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Queued => "queued",
            State::Sending => "sending",
            State::Sent => "sent",
            State::Failed => "failed",
            State::Retry => "retry",
        }
    }
}

const SELECT: &str = "SELECT m.id, m.company_id, c.name AS company_name, m.to_display AS \"to\", m.subject,
        m.account_id, a.email AS account_email, m.sender, m.state, m.attempts, m.last_error, m.server_reply,
        m.attachment_count, m.created_at, m.updated_at, m.sent_at, m.next_attempt_at
    FROM messages m
    LEFT JOIN companies c ON c.id = m.company_id AND c.workspace_id = m.workspace_id
    LEFT JOIN smtp_accounts a ON a.id = m.account_id AND a.workspace_id = m.workspace_id";

fn day(field: &'static str, v: &Option<String>) -> Result<Option<String>, OutboxError> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(d) => chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map(|d| Some(d.format("%Y-%m-%d").to_string()))
            .map_err(|_| OutboxError::BadDate { field }),
    }
}

/// The workspace's messages, newest first, narrowed by the filter.
pub async fn list(
    pool: &SqlitePool,
    workspace_id: i64,
    f: &Filter,
) -> Result<Vec<Entry>, OutboxError> {
    let since = day("since", &f.since)?;
    let until = day("until", &f.until)?;
    Ok(sqlx::query_as(&format!(
        "{SELECT}
         WHERE m.workspace_id = ?1
           AND (?2 IS NULL OR m.company_id = ?2)
           AND (?3 IS NULL OR m.state = ?3)
           AND (?4 IS NULL OR date(m.created_at, 'localtime') >= ?4)
           AND (?5 IS NULL OR date(m.created_at, 'localtime') <= ?5)
         ORDER BY m.created_at DESC, m.id DESC LIMIT ?6"
    ))
    .bind(workspace_id)
    .bind(f.company_id)
    .bind(f.state.map(State::as_str))
    .bind(since)
    .bind(until)
    .bind(f.limit.unwrap_or(500).clamp(1, 10_000))
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(Entry::explained)
    .collect())
}

impl Entry {
    fn explained(mut self) -> Self {
        self.why = self.last_error.as_deref().map(why);
        self
    }
}

pub async fn entry(pool: &SqlitePool, workspace_id: i64, id: i64) -> Result<Entry, OutboxError> {
    sqlx::query_as(&format!("{SELECT} WHERE m.workspace_id = ?1 AND m.id = ?2"))
        .bind(workspace_id)
        .bind(id)
        .fetch_optional(pool)
        .await?
        .map(Entry::explained)
        .ok_or(OutboxError::NotFound)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentInfo {
    pub filename: String,
    pub content_type: String,
    pub size: i64,
}

/// One message as it was sent: the list entry, the raw .eml, and its parts read back.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Detail {
    pub entry: Entry,
    /// The exact bytes handed to the server (lossless for the 7-bit MIME we write).
    pub raw: String,
    pub html: Option<String>,
    pub text: Option<String>,
    pub attachments: Vec<AttachmentInfo>,
    /// Headers in order, decoded (RFC 2047 words turned back into Turkish letters).
    pub headers: Vec<(String, String)>,
}

pub async fn detail(pool: &SqlitePool, workspace_id: i64, id: i64) -> Result<Detail, OutboxError> {
    let entry = entry(pool, workspace_id, id).await?;
    let (raw,): (Vec<u8>,) =
        sqlx::query_as("SELECT b.raw FROM message_bodies b JOIN messages m ON m.id = b.message_id WHERE m.workspace_id = ?1 AND m.id = ?2")
            .bind(workspace_id)
            .bind(id)
            .fetch_one(pool)
            .await?;
    let parsed = MessageParser::default().parse(&raw[..]);
    let (html, text, attachments, headers) = match &parsed {
        Some(m) => {
            let has_html = m
                .html_body
                .iter()
                .any(|&i| m.parts.get(i as usize).is_some_and(|p| p.is_text_html()));
            let html = has_html
                .then(|| m.body_html(0).map(|s| s.into_owned()))
                .flatten();
            let text = m.body_text(0).map(|s| s.into_owned());
            let attachments = m
                .attachments()
                .map(|p| AttachmentInfo {
                    filename: p.attachment_name().unwrap_or("").to_string(),
                    content_type: p
                        .content_type()
                        .map(|c| match c.subtype() {
                            Some(s) => format!("{}/{s}", c.ctype()),
                            None => c.ctype().to_string(),
                        })
                        .unwrap_or_default(),
                    size: p.len() as i64,
                })
                .collect();
            let headers = m
                .headers()
                .iter()
                .map(|h| {
                    let name = h.name().to_string();
                    let value = header_text(m, h);
                    (name, value)
                })
                .collect();
            (html, text, attachments, headers)
        }
        None => (None, None, Vec::new(), Vec::new()),
    };
    Ok(Detail {
        entry,
        raw: String::from_utf8_lossy(&raw).into_owned(),
        html,
        text,
        attachments,
        headers,
    })
}

// Decoded where mail-parser decodes it (subject, addresses), raw text otherwise.
fn header_text(m: &mail_parser::Message<'_>, h: &mail_parser::Header<'_>) -> String {
    use mail_parser::HeaderValue;
    match &h.value {
        HeaderValue::Text(t) => t.to_string(),
        HeaderValue::TextList(l) => l.join(", "),
        HeaderValue::Address(a) => a
            .iter()
            .map(|addr| match (addr.name(), addr.address()) {
                (Some(n), Some(e)) => format!("{n} <{e}>"),
                (None, Some(e)) => e.to_string(),
                (Some(n), None) => n.to_string(),
                (None, None) => String::new(),
            })
            .collect::<Vec<_>>()
            .join(", "),
        _ => m
            .raw_message()
            .get(h.offset_start() as usize..h.offset_end() as usize)
            .map(|b| String::from_utf8_lossy(b).trim().to_string())
            .unwrap_or_default(),
    }
}

/// Puts a failed (or waiting) message back in the queue for an attempt now, with a
/// fresh set of attempts. A sent or sending message is left alone.
pub async fn retry(pool: &SqlitePool, workspace_id: i64, id: i64) -> Result<Entry, OutboxError> {
    let now = crate::queue::timestamp(chrono::Utc::now());
    let r = sqlx::query(
        "UPDATE messages SET state = 'queued', attempts = 0, next_attempt_at = ?3, updated_at = ?3
         WHERE workspace_id = ?1 AND id = ?2 AND state IN ('failed', 'retry')",
    )
    .bind(workspace_id)
    .bind(id)
    .bind(&now)
    .execute(pool)
    .await?;
    let e = entry(pool, workspace_id, id).await?;
    if r.rows_affected() == 0 {
        return Err(OutboxError::NotRetryable(e.state));
    }
    Ok(e)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DailyCount {
    /// `YYYY-MM-DD`, local time.
    pub day: String,
    pub account_id: Option<i64>,
    pub account_email: Option<String>,
    pub sent: i64,
    pub failed: i64,
}

/// Messages sent and failed per day and account over the last `days` days (local time).
pub async fn daily(
    pool: &SqlitePool,
    workspace_id: i64,
    days: i64,
) -> Result<Vec<DailyCount>, OutboxError> {
    Ok(sqlx::query_as(
        "SELECT date(m.updated_at, 'localtime') AS day, m.account_id, a.email AS account_email,
                sum(m.state = 'sent') AS sent, sum(m.state = 'failed') AS failed
         FROM messages m
         LEFT JOIN smtp_accounts a ON a.id = m.account_id AND a.workspace_id = m.workspace_id
         WHERE m.workspace_id = ?1 AND m.state IN ('sent', 'failed')
           AND date(m.updated_at, 'localtime') >= date('now', 'localtime', ?2)
         GROUP BY day, m.account_id ORDER BY day DESC, account_email",
    )
    .bind(workspace_id)
    .bind(format!("-{} days", days.clamp(1, 3660) - 1))
    .fetch_all(pool)
    .await?)
}
