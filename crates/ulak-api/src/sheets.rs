//! Google Sheets (issue 20): the workspace's Google connection that may write
//! spreadsheets (its own sign-in, `Purpose::Sheets`), reports exported into a new or a
//! chosen spreadsheet (the send history, a campaign's results), and the rows
//! automations add, queued in the outbox (`ulak_channels::sheets`).

use chrono::{DateTime, Local, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;
use ulak_channels::oauth::{connections, OAuthError};
use ulak_channels::sheets::{self, SheetsCallError, Spreadsheet};
use ulak_core::settings::{self, Language};
use ulak_core::{words, ErrorCode, StoreError, UserFacing};
use ulak_outbox::failure::Failure;
use ulak_outbox::history;
use ulak_outbox::queue::{self, OutboxError};
use ulak_outbox::Channel;

#[derive(Debug, thiserror::Error)]
pub enum SheetsError {
    #[error("no Google account may write spreadsheets")]
    NotConnected,
    #[error("\"{0}\" is not a Google Sheets address or id")]
    BadSpreadsheet(String),
    #[error("Google Sheets refused: {}", .0.text)]
    Refused(Failure),
    #[error(transparent)]
    OAuth(#[from] OAuthError),
    #[error(transparent)]
    Outbox(#[from] OutboxError),
    #[error(transparent)]
    Campaign(#[from] ulak_outbox::campaigns::CampaignError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<SheetsCallError> for SheetsError {
    fn from(e: SheetsCallError) -> Self {
        match e {
            SheetsCallError::OAuth(o) => SheetsError::OAuth(o),
            SheetsCallError::Failed(f) => SheetsError::Refused(f),
        }
    }
}

impl From<sqlx::Error> for SheetsError {
    fn from(e: sqlx::Error) -> Self {
        SheetsError::Store(StoreError::Database(e))
    }
}

impl UserFacing for SheetsError {
    fn code(&self) -> ErrorCode {
        match self {
            SheetsError::NotConnected => ErrorCode::SheetsNotConnected,
            SheetsError::BadSpreadsheet(_) => ErrorCode::SheetsBadSpreadsheet,
            // Not Google's no: it could not be reached (the internet, a firewall).
            SheetsError::Refused(f) if f.kind == ulak_outbox::failure::Kind::Unreachable => {
                ErrorCode::OauthUnreachable
            }
            SheetsError::Refused(_) => ErrorCode::SheetsRefused,
            SheetsError::OAuth(o) => o.code(),
            SheetsError::Outbox(o) => o.code(),
            SheetsError::Campaign(c) => c.code(),
            SheetsError::Store(s) => s.code(),
        }
    }
    fn hint(&self) -> Option<String> {
        match self {
            SheetsError::NotConnected => Some(
                "Connect Google Sheets on Entegrasyonlar › Google (`ulak sheets connect`).".into(),
            ),
            SheetsError::BadSpreadsheet(_) => Some(
                "Paste the spreadsheet's address from the browser (https://docs.google.com/spreadsheets/d/…), or leave it empty for a new one."
                    .into(),
            ),
            SheetsError::Refused(f) if f.kind == ulak_outbox::failure::Kind::Unreachable => Some(
                "Check the internet connection; a firewall or proxy may block Google (sheets.googleapis.com).".into(),
            ),
            SheetsError::Refused(f) if f.code == ulak_outbox::failure::FailureCode::NoSuchRecipient => Some(
                "The spreadsheet was not found: check its address, and that this Google account may open it.".into(),
            ),
            SheetsError::Refused(_) => Some(
                "Check that this Google account may edit the spreadsheet; connect Google Sheets again if it was withdrawn.".into(),
            ),
            SheetsError::OAuth(o) => o.hint(),
            SheetsError::Outbox(o) => o.hint(),
            SheetsError::Campaign(c) => c.hint(),
            SheetsError::Store(s) => s.hint(),
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            SheetsError::BadSpreadsheet(_) => Some("spreadsheet"),
            _ => None,
        }
    }
}

/// The connection Sheets uses; None when none may write spreadsheets.
pub async fn status(
    pool: &SqlitePool,
    workspace_id: i64,
) -> Result<Option<connections::Connection>, SheetsError> {
    Ok(sheets::connection(pool, workspace_id).await?)
}

/// The connection test: a fresh token, and the spreadsheet named (if any) readable.
pub async fn check(
    pool: &SqlitePool,
    workspace_id: i64,
    spreadsheet: Option<&str>,
) -> Result<Option<Spreadsheet>, SheetsError> {
    let c = sheets::connection(pool, workspace_id)
        .await?
        .ok_or(SheetsError::NotConnected)?;
    connections::expire(pool, workspace_id, c.id).await?;
    connections::access_token(pool, workspace_id, c.id).await?;
    match spreadsheet.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => Ok(Some(find(pool, workspace_id, s).await?.0)),
    }
}

/// A spreadsheet the user named, with its sheets' names.
async fn find(
    pool: &SqlitePool,
    workspace_id: i64,
    named: &str,
) -> Result<(Spreadsheet, Vec<String>), SheetsError> {
    let id = sheets::spreadsheet_id(named)
        .ok_or_else(|| SheetsError::BadSpreadsheet(named.chars().take(80).collect()))?;
    sheets::with_token(pool, workspace_id, |client, base, token| {
        let id = id.clone();
        async move {
            sheets::Sheets {
                http: &client,
                base: &base,
                token: &token,
            }
            .get(&id)
            .await
        }
    })
    .await?
    .ok_or(SheetsError::NotConnected)
}

/// What an export wrote, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Exported {
    pub spreadsheet: Spreadsheet,
    pub sheet: String,
    /// Messages written (the header row not counted).
    pub rows: u32,
}

/// Where an export goes: a new spreadsheet (None), or a chosen one (its address or id)
/// and, in it, a sheet by name (its first sheet otherwise).
#[derive(Debug, Clone, Default, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Target {
    pub spreadsheet: Option<String>,
    #[serde(default)]
    #[specta(optional)]
    pub sheet: Option<String>,
}

/// The send history (as `filter` lists it, at most `EXPORT_LIMIT` messages) into a
/// spreadsheet: a header row, then one row a message, newest first.
pub async fn export_history(
    pool: &SqlitePool,
    workspace_id: i64,
    filter: &history::Filter,
    target: &Target,
) -> Result<Exported, SheetsError> {
    let lang = settings::language(pool).await.unwrap_or(Language::Tr);
    let today = Local::now().format("%d.%m.%Y").to_string();
    let title = words::text(lang, "sheets.historyTitle", &[("date", &today)]);
    export(pool, workspace_id, filter, target, &title, lang).await
}

/// A campaign's messages, one row each, into a spreadsheet.
pub async fn export_campaign(
    pool: &SqlitePool,
    workspace_id: i64,
    campaign_id: i64,
    target: &Target,
) -> Result<Exported, SheetsError> {
    let c = ulak_outbox::campaigns::get(pool, workspace_id, campaign_id).await?;
    let lang = settings::language(pool).await.unwrap_or(Language::Tr);
    let today = Local::now().format("%d.%m.%Y").to_string();
    let title = words::text(
        lang,
        "sheets.campaignTitle",
        &[("name", &c.name), ("date", &today)],
    );
    let filter = history::Filter {
        campaign_id: Some(campaign_id),
        ..Default::default()
    };
    export(pool, workspace_id, &filter, target, &title, lang).await
}

async fn export(
    pool: &SqlitePool,
    workspace_id: i64,
    filter: &history::Filter,
    target: &Target,
    title: &str,
    lang: Language,
) -> Result<Exported, SheetsError> {
    let (rows, count) = crate::exports::history_table(pool, workspace_id, filter, lang).await?;
    let w = |k: &str| words::text(lang, &format!("sheets.{k}"), &[]);
    let named = target
        .spreadsheet
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let (spreadsheet, sheet) = match named {
        Some(n) => {
            let (s, names) = find(pool, workspace_id, n).await?;
            let sheet = match target
                .sheet
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                Some(wanted) => wanted.to_string(),
                None => names
                    .into_iter()
                    .next()
                    .unwrap_or_else(|| w("historySheet")),
            };
            (s, sheet)
        }
        None => {
            let sheet = w("historySheet");
            let s = sheets::with_token(pool, workspace_id, |client, base, token| {
                let (title, sheet) = (title.to_string(), sheet.clone());
                async move {
                    sheets::Sheets {
                        http: &client,
                        base: &base,
                        token: &token,
                    }
                    .create(&title, &sheet)
                    .await
                }
            })
            .await?
            .ok_or(SheetsError::NotConnected)?;
            (s, sheet)
        }
    };
    let rows = std::sync::Arc::new(rows);
    sheets::with_token(pool, workspace_id, |client, base, token| {
        let (id, sheet, rows) = (spreadsheet.id.clone(), sheet.clone(), rows.clone());
        async move {
            sheets::Sheets {
                http: &client,
                base: &base,
                token: &token,
            }
            .append(&id, &sheet, &rows)
            .await
        }
    })
    .await?
    .ok_or(SheetsError::NotConnected)?;
    tracing::info!(
        workspace_id,
        rows = count,
        "history exported to google sheets"
    );
    Ok(Exported {
        spreadsheet,
        sheet,
        rows: count as u32,
    })
}

/// The header of the rows automations add (the spreadsheet's first row, by hand).
pub fn row_header(lang: Language) -> Vec<String> {
    ROW_FIELDS
        .iter()
        .map(|k| words::text(lang, &format!("sheets.row.{k}"), &[]))
        .collect()
}

/// The columns of an automation's row, in order; the last is the event's id.
pub const ROW_FIELDS: [&str; 10] = [
    "date", "event", "company", "contact", "email", "phone", "number", "title", "amount", "ref",
];

/// Queues a row for a spreadsheet under `key` (the outbox sends it when Google can be
/// reached; the same key again queues nothing new: `OutboxError::KeyReused` /
/// `Duplicate`). The spreadsheet is named by its address or id; the sheet by name
/// (empty: its first sheet).
pub async fn queue_row(
    pool: &SqlitePool,
    workspace_id: i64,
    spreadsheet: &str,
    sheet: &str,
    cells: Vec<String>,
    key: &str,
    now: DateTime<Utc>,
) -> Result<i64, SheetsError> {
    // A grant withdrawn counts as none: the row would only fail later.
    let active = sheets::connection(pool, workspace_id)
        .await?
        .is_some_and(|c| c.status == connections::ConnectionStatus::Active);
    if !active {
        return Err(SheetsError::NotConnected);
    }
    let id = sheets::spreadsheet_id(spreadsheet)
        .ok_or_else(|| SheetsError::BadSpreadsheet(spreadsheet.chars().take(80).collect()))?;
    // No sheet named: the spreadsheet's first, found when the row goes.
    let sheet = sheet.trim().to_string();
    let row = sheets::Row {
        spreadsheet_id: id.clone(),
        sheet: sheet.clone(),
        cells,
    };
    let reference = format!(
        "sheet-{}-{:016x}",
        now.timestamp_millis(),
        rand::random::<u64>()
    );
    let m = ulak_outbox::NewMessage {
        channel: Channel::Webhook,
        provider: sheets::PROVIDER.to_string(),
        account_id: None,
        company_id: None,
        idempotency_key: key.to_string(),
        reference,
        sender: String::new(),
        recipients: vec![id.clone()],
        to_display: format!("Google Sheets {id}"),
        subject: if sheet.is_empty() {
            "Google Sheets".to_string()
        } else {
            format!("Google Sheets: {sheet}")
        },
        attachment_count: 0,
        payload: serde_json::to_vec(&row).expect("plain JSON"),
    };
    Ok(queue::enqueue(pool, workspace_id, &m, now).await?)
}
