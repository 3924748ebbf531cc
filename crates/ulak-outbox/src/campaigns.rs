//! Campaigns (table `campaigns`, migration 0020): a name, a template snapshot, the
//! accounts assigned, a sending window, and one queued message per recipient. A
//! campaign's message names no account (`provider = 'campaign'`): each claim chooses
//! one for it at random among the campaign's accounts that are sending, under both
//! limits and past their wait (`senders`), inside the campaign's window. When none
//! can, the campaign waits with the reason and the moment it can go on; nothing is
//! dropped. With `spread`, what is left of the day goes out evenly over what is left
//! of the window — after the computer slept, too, instead of in a burst.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use rand::seq::SliceRandom;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;
use ulak_core::validate::{fold, ValidationError};
use ulak_core::{ErrorCode, StoreError, UserFacing};

use crate::queue::{ts, Channel, NewMessage, OutboxError};
use crate::senders::{self, Clock, Key};

/// The provider name of a campaign's message until a claim gives it an account.
pub const PROVIDER: &str = "campaign";

/// When a campaign sends: days of the week (1 = Monday … 7 = Sunday), local hours
/// in `time_zone`, and whether Turkish public holidays are skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Window {
    pub days: Vec<u8>,
    /// "HH:MM"
    pub start: String,
    /// "HH:MM"; "24:00" is the end of the day.
    pub end: String,
    /// An IANA zone, e.g. Europe/Istanbul.
    pub time_zone: String,
    pub skip_holidays: bool,
}

impl Default for Window {
    /// Weekdays 09:00–18:00 in Istanbul, holidays skipped.
    fn default() -> Self {
        Window {
            days: vec![1, 2, 3, 4, 5],
            start: "09:00".into(),
            end: "18:00".into(),
            time_zone: "Europe/Istanbul".into(),
            skip_holidays: true,
        }
    }
}

/// Where a moment falls for a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// Inside it; it closes then.
    Open { closes: DateTime<Utc> },
    /// Outside it; it opens then (None: never within a year).
    Closed { opens: Option<DateTime<Utc>> },
}

const DAY_NAMES: [(&str, u8); 14] = [
    ("mon", 1),
    ("tue", 2),
    ("wed", 3),
    ("thu", 4),
    ("fri", 5),
    ("sat", 6),
    ("sun", 7),
    ("pzt", 1),
    ("sal", 2),
    ("çar", 3),
    ("per", 4),
    ("cum", 5),
    ("cmt", 6),
    ("paz", 7),
];

fn day_number(s: &str) -> Option<u8> {
    let s = s.trim().to_lowercase();
    DAY_NAMES
        .iter()
        .find(|(n, _)| s.starts_with(n))
        .map(|(_, d)| *d)
}

fn clock_time(s: &str) -> Option<NaiveTime> {
    if s == "24:00" {
        return Some(NaiveTime::MIN);
    }
    NaiveTime::parse_from_str(s, "%H:%M").ok()
}

impl Window {
    /// "Mon-Fri 09:00-18:00", "Pzt-Cum 09:00-18:00", "Mon,Wed,Fri 10:00-12:00" or
    /// "daily 00:00-24:00", in `time_zone`.
    pub fn parse(spec: &str, time_zone: &str) -> Result<Window, CampaignError> {
        let bad = || CampaignError::BadWindow(spec.to_string());
        let (days, hours) = spec.trim().rsplit_once(' ').ok_or_else(bad)?;
        let (start, end) = hours.split_once('-').ok_or_else(bad)?;
        let days: Vec<u8> = if ["daily", "her gün", "hergün", "every day"]
            .contains(&days.trim().to_lowercase().as_str())
        {
            (1..=7).collect()
        } else {
            let mut out = Vec::new();
            for part in days.split(',') {
                match part.split_once('-') {
                    Some((a, b)) => {
                        let (a, b) = (
                            day_number(a).ok_or_else(bad)?,
                            day_number(b).ok_or_else(bad)?,
                        );
                        let mut d = a;
                        loop {
                            out.push(d);
                            if d == b {
                                break;
                            }
                            d = d % 7 + 1;
                        }
                    }
                    None => out.push(day_number(part).ok_or_else(bad)?),
                }
            }
            out.sort_unstable();
            out.dedup();
            out
        };
        let w = Window {
            days,
            start: start.trim().to_string(),
            end: end.trim().to_string(),
            time_zone: time_zone.trim().to_string(),
            skip_holidays: true,
        };
        w.check()?;
        Ok(w)
    }

    pub fn check(&self) -> Result<(), CampaignError> {
        let bad = || {
            CampaignError::BadWindow(format!(
                "{:?} {}-{} {}",
                self.days, self.start, self.end, self.time_zone
            ))
        };
        if self.days.is_empty() || self.days.iter().any(|d| !(1..=7).contains(d)) {
            return Err(bad());
        }
        let (s, e) = (clock_time(&self.start), clock_time(&self.end));
        match (s, e) {
            (Some(s), Some(e)) if self.end == "24:00" || s < e => {}
            _ => return Err(bad()),
        }
        self.tz()?;
        Ok(())
    }

    fn tz(&self) -> Result<Tz, CampaignError> {
        self.time_zone
            .parse::<Tz>()
            .map_err(|_| CampaignError::BadZone(self.time_zone.clone()))
    }

    /// Whether `now` is inside the window, and when it closes or next opens.
    pub fn at(&self, now: DateTime<Utc>) -> Slot {
        let Ok(tz) = self.tz() else {
            return Slot::Closed { opens: None };
        };
        let (Some(start), Some(end)) = (clock_time(&self.start), clock_time(&self.end)) else {
            return Slot::Closed { opens: None };
        };
        let today = now.with_timezone(&tz).date_naive();
        for offset in 0..=370 {
            let date = today + Duration::days(offset);
            let weekday = date.weekday().number_from_monday() as u8;
            if !self.days.contains(&weekday) {
                continue;
            }
            let mut close_local = if self.end == "24:00" {
                (date + Duration::days(1)).and_time(NaiveTime::MIN)
            } else {
                date.and_time(end)
            };
            if self.skip_holidays {
                match holiday(date) {
                    Holiday::Full => continue,
                    Holiday::Half => {
                        let one = date.and_time(NaiveTime::from_hms_opt(13, 0, 0).expect("13:00"));
                        close_local = close_local.min(one);
                    }
                    Holiday::None => {}
                }
            }
            let opens = local(&tz, date.and_time(start));
            let closes = local(&tz, close_local);
            if closes <= opens || now >= closes {
                continue;
            }
            if now < opens {
                return Slot::Closed { opens: Some(opens) };
            }
            return Slot::Open { closes };
        }
        Slot::Closed { opens: None }
    }
}

/// A local time as a UTC instant; one skipped by a DST change moves to the first
/// moment after it.
fn local(tz: &Tz, t: chrono::NaiveDateTime) -> DateTime<Utc> {
    for minutes in (0..=180).step_by(15) {
        if let Some(l) = tz
            .from_local_datetime(&(t + Duration::minutes(minutes)))
            .earliest()
        {
            return l.with_timezone(&Utc);
        }
    }
    Utc.from_utc_datetime(&t)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holiday {
    None,
    /// The afternoon (from 13:00) is off: an arife, 28 Ekim.
    Half,
    Full,
}

#[derive(Deserialize)]
struct HolidayFile {
    fixed: Vec<String>,
    fixed_half: Vec<String>,
    moving: Vec<MovingYear>,
}

#[derive(Deserialize)]
struct MovingYear {
    year: i32,
    days: Vec<NaiveDate>,
    half: Vec<NaiveDate>,
}

/// Whether a date is a Turkish public holiday (data/holidays-tr.toml).
pub fn holiday(date: NaiveDate) -> Holiday {
    static FILE: OnceLock<HolidayFile> = OnceLock::new();
    let f = FILE.get_or_init(|| {
        toml::from_str(include_str!("../data/holidays-tr.toml")).expect("checked by the tests")
    });
    let md = date.format("%m-%d").to_string();
    if f.fixed.contains(&md) {
        return Holiday::Full;
    }
    match f.moving.iter().find(|y| y.year == date.year()) {
        Some(y) if y.days.contains(&date) => return Holiday::Full,
        Some(y) if y.half.contains(&date) => return Holiday::Half,
        Some(_) => {}
        None => {
            static WARNED: OnceLock<()> = OnceLock::new();
            WARNED.get_or_init(|| {
                tracing::warn!(
                    year = date.year(),
                    "no religious holidays known for this year: data/holidays-tr.toml needs it"
                )
            });
        }
    }
    if f.fixed_half.contains(&md) {
        return Holiday::Half;
    }
    Holiday::None
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
#[serde(rename = "CampaignState")]
pub enum State {
    /// Made, nothing queued yet.
    Draft,
    Running,
    Paused,
    Cancelled,
    /// Every message sent or failed.
    Done,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::Running => "running",
            State::Paused => "paused",
            State::Cancelled => "cancelled",
            State::Done => "done",
        }
    }
    fn parse(s: &str) -> State {
        match s {
            "running" => State::Running,
            "paused" => State::Paused,
            "cancelled" => State::Cancelled,
            "done" => State::Done,
            _ => State::Draft,
        }
    }
}

/// Why a running campaign's messages wait now (the UI words it: `campaign.wait.<why>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "why", rename_all = "camelCase")]
pub enum CampaignWait {
    /// Outside the sending window; it opens then.
    OutsideWindow { opens: Option<String> },
    /// No assigned account may send now (limits, waits, errors); the first frees then.
    NoAccount { until: Option<String> },
    /// Spreading the day over the window: the next one goes then.
    Spreading { next: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Campaign {
    pub id: i64,
    pub workspace_id: i64,
    pub name: String,
    pub subject: String,
    pub body_html: String,
    pub state: State,
    pub window: Window,
    /// What is left of the day goes out evenly over what is left of the window.
    pub spread: bool,
    /// Marketing (commercial, for Turkish law and İYS) rather than informational.
    pub commercial: bool,
    pub accounts: Vec<i64>,
    pub waiting: Option<CampaignWait>,
    pub waiting_until: Option<String>,
    pub created_at: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CampaignError {
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error("no campaign {0:?} in this workspace")]
    NotFound(String),
    #[error("a campaign named {0:?} exists already")]
    Duplicate(String),
    #[error("the sending window {0:?} is not understood")]
    BadWindow(String),
    #[error("{0:?} is not a time zone")]
    BadZone(String),
    #[error("a campaign needs at least one account")]
    NoAccounts,
    #[error("account {0} is not an account of this workspace")]
    UnknownAccount(i64),
    #[error("a campaign needs at least one recipient")]
    NoRecipients,
    #[error("a {0:?} campaign cannot be {1}")]
    BadState(State, &'static str),
    #[error(transparent)]
    Outbox(#[from] OutboxError),
}

impl From<sqlx::Error> for CampaignError {
    fn from(e: sqlx::Error) -> Self {
        CampaignError::Outbox(OutboxError::Store(StoreError::Database(e)))
    }
}

impl UserFacing for CampaignError {
    fn code(&self) -> ErrorCode {
        match self {
            CampaignError::Invalid(v) => v.code(),
            CampaignError::NotFound(_) => ErrorCode::CampaignNotFound,
            CampaignError::Duplicate(_) => ErrorCode::CampaignDuplicate,
            CampaignError::BadWindow(_) => ErrorCode::CampaignBadWindow,
            CampaignError::BadZone(_) => ErrorCode::CampaignBadZone,
            CampaignError::NoAccounts | CampaignError::UnknownAccount(_) => {
                ErrorCode::CampaignNoAccounts
            }
            CampaignError::NoRecipients => ErrorCode::CampaignNoRecipients,
            CampaignError::BadState(..) => ErrorCode::CampaignBadState,
            CampaignError::Outbox(o) => o.code(),
        }
    }
    fn hint(&self) -> Option<String> {
        match self {
            CampaignError::Invalid(v) => v.hint(),
            CampaignError::NotFound(_) => Some("List them with `ulak campaign list`.".into()),
            CampaignError::Duplicate(_) => Some("Choose another name.".into()),
            CampaignError::BadWindow(_) => Some(
                "Write days and hours like Mon-Fri 09:00-18:00 (or Pzt-Cum 09:00-18:00).".into(),
            ),
            CampaignError::BadZone(_) => Some("Use a zone name like Europe/Istanbul.".into()),
            CampaignError::NoAccounts | CampaignError::UnknownAccount(_) => {
                Some("Pick the sending accounts from `ulak accounts list`.".into())
            }
            CampaignError::NoRecipients => {
                Some("Choose companies whose contacts have e-mail addresses, or a CSV.".into())
            }
            CampaignError::BadState(..) => {
                Some("See its state with `ulak campaign status`.".into())
            }
            CampaignError::Outbox(o) => o.hint(),
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            CampaignError::Invalid(v) => v.field(),
            CampaignError::NotFound(_) | CampaignError::Duplicate(_) => Some("name"),
            CampaignError::BadWindow(_) => Some("window"),
            CampaignError::BadZone(_) => Some("timeZone"),
            CampaignError::NoAccounts | CampaignError::UnknownAccount(_) => Some("accounts"),
            CampaignError::NoRecipients => Some("recipients"),
            _ => None,
        }
    }
}

/// What a new campaign is made of.
#[derive(Debug, Clone, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NewCampaign {
    pub name: String,
    pub subject: String,
    pub body_html: String,
    pub window: Window,
    pub spread: bool,
    /// Marketing (commercial) rather than informational.
    pub commercial: bool,
    pub accounts: Vec<i64>,
}

const LIMIT_NAME: usize = 100;

/// Stores a campaign (a draft: nothing queued). Its accounts must be the channel's
/// accounts known to the outbox in this workspace.
pub async fn create(
    pool: &SqlitePool,
    workspace_id: i64,
    c: &NewCampaign,
    now: DateTime<Utc>,
) -> Result<Campaign, CampaignError> {
    let name = ulak_core::validate::text("name", &c.name, LIMIT_NAME, true)?;
    c.window.check()?;
    if c.accounts.is_empty() {
        return Err(CampaignError::NoAccounts);
    }
    let mut tx = pool.begin().await?;
    let window = serde_json::json!({
        "days": c.window.days, "start": c.window.start, "end": c.window.end,
        "timeZone": c.window.time_zone, "skipHolidays": c.window.skip_holidays,
        "spread": c.spread, "commercial": c.commercial,
    });
    let r = sqlx::query(
        "INSERT INTO campaigns (workspace_id, name, name_key, subject, body_html, send_window,
            created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )
    .bind(workspace_id)
    .bind(&name)
    .bind(fold(&name))
    .bind(&c.subject)
    .bind(&c.body_html)
    .bind(window.to_string())
    .bind(ts(now))
    .execute(&mut *tx)
    .await;
    let id = match r {
        Ok(r) => r.last_insert_rowid(),
        Err(sqlx::Error::Database(d)) if d.is_unique_violation() => {
            return Err(CampaignError::Duplicate(name))
        }
        Err(e) => return Err(e.into()),
    };
    for a in &c.accounts {
        let known: Option<(i64,)> = sqlx::query_as(
            "SELECT account_id FROM senders WHERE workspace_id = ?1 AND channel = 'email' AND account_id = ?2",
        )
        .bind(workspace_id)
        .bind(a)
        .fetch_optional(&mut *tx)
        .await?;
        if known.is_none() {
            return Err(CampaignError::UnknownAccount(*a));
        }
        sqlx::query("INSERT OR IGNORE INTO campaign_accounts (campaign_id, channel, account_id) VALUES (?1, 'email', ?2)")
            .bind(id)
            .bind(a)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    get(pool, workspace_id, id).await
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    workspace_id: i64,
    name: String,
    subject: String,
    body_html: String,
    state: String,
    send_window: String,
    blocked_until: Option<String>,
    blocked_reason: Option<String>,
    next_send_at: Option<String>,
    created_at: String,
}

const SELECT: &str = "SELECT id, workspace_id, name, subject, body_html, state, send_window,
    blocked_until, blocked_reason, next_send_at, created_at FROM campaigns";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredWindow {
    #[serde(flatten)]
    window: Window,
    #[serde(default)]
    spread: bool,
    #[serde(default)]
    commercial: bool,
}

async fn from_row(
    pool: &SqlitePool,
    r: Row,
    now: DateTime<Utc>,
) -> Result<Campaign, CampaignError> {
    let stored: StoredWindow = serde_json::from_str(&r.send_window)
        .map_err(|_| CampaignError::BadWindow(r.send_window.clone()))?;
    let accounts: Vec<i64> = sqlx::query_scalar(
        "SELECT account_id FROM campaign_accounts WHERE campaign_id = ?1 ORDER BY account_id",
    )
    .bind(r.id)
    .fetch_all(pool)
    .await?;
    let state = State::parse(&r.state);
    let until = |s: &Option<String>| {
        s.as_deref()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&Utc))
            .filter(|t| *t > now)
    };
    let (waiting, waiting_until) = if state != State::Running {
        (None, None)
    } else if let Some(t) = until(&r.blocked_until) {
        (
            r.blocked_reason
                .as_deref()
                .and_then(|w| serde_json::from_str(w).ok()),
            Some(ts(t)),
        )
    } else if let Some(t) = until(&r.next_send_at) {
        (Some(CampaignWait::Spreading { next: ts(t) }), Some(ts(t)))
    } else {
        (None, None)
    };
    Ok(Campaign {
        id: r.id,
        workspace_id: r.workspace_id,
        name: r.name,
        subject: r.subject,
        body_html: r.body_html,
        state,
        window: stored.window,
        spread: stored.spread,
        commercial: stored.commercial,
        accounts,
        waiting,
        waiting_until,
        created_at: r.created_at,
    })
}

pub async fn get(pool: &SqlitePool, workspace_id: i64, id: i64) -> Result<Campaign, CampaignError> {
    get_at(pool, workspace_id, id, Utc::now()).await
}

/// As `get`, its waiting read as of `now`.
pub async fn get_at(
    pool: &SqlitePool,
    workspace_id: i64,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Campaign, CampaignError> {
    let r: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE workspace_id = ?1 AND id = ?2"))
        .bind(workspace_id)
        .bind(id)
        .fetch_optional(pool)
        .await?;
    let r = r.ok_or_else(|| CampaignError::NotFound(id.to_string()))?;
    from_row(pool, r, now).await
}

/// By name (Turkish-aware: "İZMİR" finds "izmir") or by id.
pub async fn find(
    pool: &SqlitePool,
    workspace_id: i64,
    name: &str,
) -> Result<Campaign, CampaignError> {
    let r: Option<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE workspace_id = ?1 AND (name_key = ?2 OR CAST(id AS TEXT) = ?3)"
    ))
    .bind(workspace_id)
    .bind(fold(name))
    .bind(name.trim())
    .fetch_optional(pool)
    .await?;
    let r = r.ok_or_else(|| CampaignError::NotFound(name.to_string()))?;
    from_row(pool, r, Utc::now()).await
}

pub async fn list(pool: &SqlitePool, workspace_id: i64) -> Result<Vec<Campaign>, CampaignError> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE workspace_id = ?1 ORDER BY id DESC"
    ))
    .bind(workspace_id)
    .fetch_all(pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(from_row(pool, r, Utc::now()).await?);
    }
    Ok(out)
}

/// Queues a campaign's messages (each with `provider = campaign`, no account) in one
/// transaction; they wait until the campaign runs. A message queued before under its
/// idempotency key is not queued again. Returns how many were queued now.
pub async fn queue(
    pool: &SqlitePool,
    workspace_id: i64,
    id: i64,
    messages: &[NewMessage],
    now: DateTime<Utc>,
) -> Result<usize, CampaignError> {
    let c = get(pool, workspace_id, id).await?;
    if !matches!(c.state, State::Draft | State::Running | State::Paused) {
        return Err(CampaignError::BadState(c.state, "given recipients"));
    }
    if messages.is_empty() {
        return Err(CampaignError::NoRecipients);
    }
    let mut tx = pool.begin().await?;
    let ids = crate::enqueue::enqueue_counted(&mut tx, workspace_id, messages, now).await?;
    let queued = ids.iter().filter(|(_, new)| *new).count();
    let all: Vec<i64> = ids.iter().map(|(id, _)| *id).collect();
    sqlx::query(
        "UPDATE messages SET campaign_id = ?1 WHERE id IN (SELECT value FROM json_each(?2))",
    )
    .bind(id)
    .bind(serde_json::to_string(&all).expect("ints"))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(queued)
}

/// Campaigns running in any workspace (the tray says sending needs the machine on).
pub async fn running(pool: &SqlitePool) -> Result<i64, CampaignError> {
    Ok(
        sqlx::query_scalar("SELECT count(*) FROM campaigns WHERE state = 'running'")
            .fetch_one(pool)
            .await?,
    )
}

/// What the user can do to a campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Starts a draft (or a paused one).
    Run,
    Pause,
    Resume,
    /// Its messages not yet sent are given up (failed, code `cancelled`); sent ones stay.
    Cancel,
}

pub async fn act(
    pool: &SqlitePool,
    workspace_id: i64,
    id: i64,
    action: Action,
    now: DateTime<Utc>,
) -> Result<Campaign, CampaignError> {
    let c = get(pool, workspace_id, id).await?;
    let to = match (action, c.state) {
        (Action::Run, State::Draft | State::Paused) => State::Running,
        (Action::Pause, State::Running) => State::Paused,
        (Action::Resume, State::Paused) => State::Running,
        (Action::Cancel, State::Draft | State::Running | State::Paused) => State::Cancelled,
        (Action::Run, s) => return Err(CampaignError::BadState(s, "run")),
        (Action::Pause, s) => return Err(CampaignError::BadState(s, "paused")),
        (Action::Resume, s) => return Err(CampaignError::BadState(s, "resumed")),
        (Action::Cancel, s) => return Err(CampaignError::BadState(s, "cancelled")),
    };
    let mut tx = pool.begin().await?;
    sqlx::query(
        "UPDATE campaigns SET state = ?2, blocked_until = NULL, blocked_reason = NULL,
            next_send_at = NULL, updated_at = ?3 WHERE id = ?1",
    )
    .bind(id)
    .bind(to.as_str())
    .bind(ts(now))
    .execute(&mut *tx)
    .await?;
    if to == State::Cancelled {
        sqlx::query(
            "UPDATE messages SET state = 'failed', last_code = 'cancelled',
                last_error = 'the campaign was cancelled', updated_at = ?2
             WHERE campaign_id = ?1 AND state IN ('queued', 'retry')",
        )
        .bind(id)
        .bind(ts(now))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    get(pool, workspace_id, id).await
}

/// One account's share of a campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AccountShare {
    pub account_id: i64,
    pub label: String,
    pub sent: u32,
    pub failed: u32,
    pub sending: u32,
}

/// A failed message of a campaign, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CampaignFailure {
    pub message_id: i64,
    pub to: String,
    pub code: Option<crate::failure::FailureCode>,
    pub text: Option<String>,
}

/// A campaign's progress as its page and `ulak campaign status` show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub campaign: Campaign,
    pub total: u32,
    pub sent: u32,
    pub failed: u32,
    /// Queued or waiting to be tried again.
    pub waiting: u32,
    pub sending: u32,
    pub accounts: Vec<AccountShare>,
    /// The latest failures (at most 20).
    pub failures: Vec<CampaignFailure>,
}

/// The campaign's counts; a running one with nothing left to send is done.
pub async fn progress(
    pool: &SqlitePool,
    workspace_id: i64,
    id: i64,
) -> Result<Progress, CampaignError> {
    progress_at(pool, workspace_id, id, Utc::now()).await
}

/// As `progress`, its waiting read as of `now`.
pub async fn progress_at(
    pool: &SqlitePool,
    workspace_id: i64,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Progress, CampaignError> {
    let mut campaign = get_at(pool, workspace_id, id, now).await?;
    let counts: Vec<(String, i64)> = sqlx::query_as(
        "SELECT state, count(*) FROM messages WHERE campaign_id = ?1 GROUP BY state",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let n = |states: &[&str]| {
        counts
            .iter()
            .filter(|(s, _)| states.contains(&s.as_str()))
            .map(|(_, n)| *n as u32)
            .sum::<u32>()
    };
    let (sent, failed, waiting, sending) = (
        n(&["sent"]),
        n(&["failed"]),
        n(&["queued", "retry"]),
        n(&["sending"]),
    );
    if campaign.state == State::Running && waiting + sending == 0 && sent + failed > 0 {
        sqlx::query("UPDATE campaigns SET state = 'done', updated_at = ?2 WHERE id = ?1 AND state = 'running'")
            .bind(id)
            .bind(ts(Utc::now()))
            .execute(pool)
            .await?;
        campaign.state = State::Done;
        campaign.waiting = None;
        campaign.waiting_until = None;
    }
    type Share = (i64, Option<String>, i64, i64, i64);
    let shares: Vec<Share> = sqlx::query_as(
        "SELECT ca.account_id, s.label,
            (SELECT count(*) FROM messages m WHERE m.campaign_id = ?1 AND m.account_id = ca.account_id AND m.state = 'sent'),
            (SELECT count(*) FROM messages m WHERE m.campaign_id = ?1 AND m.account_id = ca.account_id AND m.state = 'failed'),
            (SELECT count(*) FROM messages m WHERE m.campaign_id = ?1 AND m.account_id = ca.account_id AND m.state = 'sending')
         FROM campaign_accounts ca
         LEFT JOIN senders s ON s.channel = ca.channel AND s.account_id = ca.account_id
         WHERE ca.campaign_id = ?1 ORDER BY ca.account_id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let failures: Vec<(i64, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT id, to_display, last_code, last_error FROM messages
         WHERE campaign_id = ?1 AND state = 'failed' AND last_code IS NOT 'cancelled'
         ORDER BY updated_at DESC, id DESC LIMIT 20",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    Ok(Progress {
        campaign,
        total: sent + failed + waiting + sending,
        sent,
        failed,
        waiting,
        sending,
        accounts: shares
            .into_iter()
            .map(|(account_id, label, sent, failed, sending)| AccountShare {
                account_id,
                label: label.unwrap_or_default(),
                sent: sent as u32,
                failed: failed as u32,
                sending: sending as u32,
            })
            .collect(),
        failures: failures
            .into_iter()
            .map(|(message_id, to, code, text)| CampaignFailure {
                message_id,
                to,
                code: code.as_deref().map(crate::failure::FailureCode::parse),
                text,
            })
            .collect(),
    })
}

/// What a claim may still take of each account: from `senders::caps` for restricted
/// accounts, none for blocked ones, no bound for the others.
pub(crate) struct Room<'a> {
    /// The claiming worker: its own expired leases are still being sent, not taken.
    pub owner: &'a str,
    pub caps: Option<&'a senders::Caps>,
    pub taken: &'a HashMap<Key, (u32, u32)>,
}

impl Room<'_> {
    fn left(&self, key: &Key, blocked: &HashSet<Key>) -> Option<(u32, Option<u32>)> {
        if blocked.contains(key) {
            return Some((0, Some(0)));
        }
        let (n, r) = self.taken.get(key).copied().unwrap_or_default();
        self.caps
            .and_then(|c| c.allowance(key))
            .map(|(messages, recipients)| {
                (
                    messages.saturating_sub(n),
                    recipients.map(|cap| cap.saturating_sub(r)),
                )
            })
    }
}

/// The campaign messages a claim takes now, each with the account chosen for it:
/// (message id, account id, the account's address). Campaigns that cannot send now
/// are marked waiting, with why and until when.
pub(crate) async fn choose(
    tx: &mut sqlx::SqliteConnection,
    clock: &Clock,
    room: Room<'_>,
    mut limit: i64,
    rng: &mut (dyn RngCore + Send),
) -> Result<Vec<(i64, i64, String)>, OutboxError> {
    let now = clock.now;
    type Running = (i64, String, Option<String>);
    let running: Vec<Running> = sqlx::query_as(
        "SELECT c.id, c.send_window, c.next_send_at FROM campaigns c
         WHERE c.state = 'running' AND (c.blocked_until IS NULL OR c.blocked_until <= ?1)
           AND (c.next_send_at IS NULL OR c.next_send_at <= ?1)
           AND EXISTS (SELECT 1 FROM messages m WHERE m.campaign_id = c.id
                       AND m.state IN ('queued', 'retry', 'sending'))",
    )
    .bind(ts(now))
    .fetch_all(&mut *tx)
    .await?;
    let mut out = Vec::new();
    let mut taken: HashMap<Key, (u32, u32)> = room.taken.clone();
    for (id, window, _) in running {
        if limit <= 0 {
            break;
        }
        let Ok(stored) = serde_json::from_str::<StoredWindow>(&window) else {
            continue;
        };
        let closes = match stored.window.at(now) {
            Slot::Open { closes } => closes,
            Slot::Closed { opens } => {
                let why = CampaignWait::OutsideWindow {
                    opens: opens.map(ts),
                };
                wait(tx, id, opens.unwrap_or(now + senders::RECHECK), &why).await?;
                continue;
            }
        };
        // The campaign's accounts that may send now. One with a wait between sends is
        // past its wait only with no message of its own in flight and its turn come:
        // it gets one message a claim, so a pause stops it within one message.
        type Acc = (i64, String, String, Option<String>);
        let accounts: Vec<Acc> = sqlx::query_as(
            "SELECT s.account_id, s.label, s.status,
                CASE WHEN s.min_wait_ms + s.jitter_ms > 0 AND (
                        (s.next_send_at IS NOT NULL AND s.next_send_at > ?2)
                        OR EXISTS (SELECT 1 FROM messages m
                            WHERE m.state IN ('queued', 'retry', 'sending') AND m.state = 'sending'
                              AND m.channel = s.channel AND m.account_id = s.account_id
                              AND m.lease_until >= ?2))
                     THEN max(coalesce(s.blocked_until, ''), coalesce(s.next_send_at, ''),
                              ?3)
                     ELSE s.blocked_until END
             FROM campaign_accounts ca
             JOIN senders s ON s.channel = ca.channel AND s.account_id = ca.account_id
             WHERE ca.campaign_id = ?1 ORDER BY s.account_id",
        )
        .bind(id)
        .bind(ts(now))
        .bind(ts(now + Duration::seconds(1)))
        .fetch_all(&mut *tx)
        .await?;
        let paced: HashSet<i64> = sqlx::query_scalar(
            "SELECT s.account_id FROM campaign_accounts ca
             JOIN senders s ON s.channel = ca.channel AND s.account_id = ca.account_id
             WHERE ca.campaign_id = ?1 AND s.min_wait_ms + s.jitter_ms > 0",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .collect();
        let blocked: HashSet<Key> = accounts
            .iter()
            .filter(|(_, _, status, until)| {
                !senders::Status::parse(status).is_some_and(|s| s.sends())
                    || until.as_deref().is_some_and(|u| u > ts(now).as_str())
            })
            .map(|(a, ..)| Key {
                channel: Channel::Email,
                account_id: *a,
            })
            .collect();
        let pending: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT id, json_array_length(recipients) FROM messages
             WHERE campaign_id = ?1 AND provider = 'campaign'
               AND ((state IN ('queued', 'retry') AND next_attempt_at <= ?2)
                    OR (state = 'sending' AND lease_until < ?2 AND lease_owner <> ?4))
             ORDER BY next_attempt_at, id LIMIT ?3",
        )
        .bind(id)
        .bind(ts(now))
        .bind(limit)
        .bind(room.owner)
        .fetch_all(&mut *tx)
        .await?;
        let mut took = 0;
        for (message, recipients) in &pending {
            let recipients = *recipients as u32;
            let eligible: Vec<&Acc> = accounts
                .iter()
                .filter(|(a, ..)| {
                    let key = Key {
                        channel: Channel::Email,
                        account_id: *a,
                    };
                    if paced.contains(a)
                        && taken
                            .get(&key)
                            .is_some_and(|t| t.0 > room.taken.get(&key).map_or(0, |r| r.0))
                    {
                        return false;
                    }
                    let r = Room {
                        owner: room.owner,
                        caps: room.caps,
                        taken: &taken,
                    };
                    match r.left(&key, &blocked) {
                        None => true,
                        Some((n, rc)) => n > 0 && rc.is_none_or(|rc| rc >= recipients),
                    }
                })
                .collect();
            let Some((account, label, ..)) = eligible.choose(rng).map(|a| (*a).clone()) else {
                break;
            };
            let key = Key {
                channel: Channel::Email,
                account_id: account,
            };
            let e = taken.entry(key).or_default();
            e.0 += 1;
            e.1 += recipients;
            out.push((*message, account, label));
            took += 1;
            limit -= 1;
            if stored.spread {
                break;
            }
        }
        if took == 0 && !pending.is_empty() {
            // Nobody can send: wait for the first account to free up.
            let until = accounts
                .iter()
                .filter_map(|(_, _, status, until)| {
                    senders::Status::parse(status)
                        .is_some_and(|s| s.sends())
                        .then(|| {
                            until
                                .as_deref()
                                .and_then(|u| DateTime::parse_from_rfc3339(u).ok())
                                .map(|t| t.with_timezone(&Utc))
                        })
                        .flatten()
                })
                .filter(|t| *t > now)
                .min();
            let why = CampaignWait::NoAccount {
                until: until.map(ts),
            };
            wait(tx, id, until.unwrap_or(now + Duration::seconds(5)), &why).await?;
            continue;
        }
        if stored.spread && took > 0 {
            // What is left of today, evenly over what is left of the window.
            let (left,): (i64,) = sqlx::query_as(
                "SELECT count(*) FROM messages WHERE campaign_id = ?1 AND provider = 'campaign'
                   AND state IN ('queued', 'retry')",
            )
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            let today: Option<u32> = accounts
                .iter()
                .map(|(a, ..)| {
                    room.caps.and_then(|c| {
                        c.today_left(&Key {
                            channel: Channel::Email,
                            account_id: *a,
                        })
                    })
                })
                .try_fold(0u32, |sum, left| left.map(|l| sum.saturating_add(l)));
            let count = match today {
                Some(t) => (left.max(0) as u32).min(t),
                None => left.max(0) as u32,
            };
            let gap = if count <= 1 {
                Duration::zero()
            } else {
                (closes - now) / (count as i32)
            };
            sqlx::query("UPDATE campaigns SET next_send_at = ?2 WHERE id = ?1")
                .bind(id)
                .bind(ts(now + gap))
                .execute(&mut *tx)
                .await?;
        }
    }
    Ok(out)
}

async fn wait(
    tx: &mut sqlx::SqliteConnection,
    id: i64,
    until: DateTime<Utc>,
    why: &CampaignWait,
) -> Result<(), OutboxError> {
    sqlx::query("UPDATE campaigns SET blocked_until = ?2, blocked_reason = ?3 WHERE id = ?1")
        .bind(id)
        .bind(ts(until))
        .bind(serde_json::to_string(why).expect("plain enum"))
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Campaigns that finished and were not told of yet, marked told now (each is told
/// once): a running one whose every message was sent or failed is done now (as its
/// status would say), and one already done since its status was read is told too.
pub async fn untold_finished(
    pool: &SqlitePool,
    now: DateTime<Utc>,
) -> Result<Vec<crate::worker::FinishedCampaign>, OutboxError> {
    let at = ts(now);
    let mut c = pool.acquire().await?;
    let mut tx = crate::queue::begin_write(&mut c).await?;
    sqlx::query(
        "UPDATE campaigns SET state = 'done', updated_at = ?1
         WHERE state = 'running'
           AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.campaign_id = campaigns.id
                           AND m.state IN ('queued', 'retry', 'sending'))
           AND EXISTS (SELECT 1 FROM messages m WHERE m.campaign_id = campaigns.id
                       AND m.state IN ('sent', 'failed'))",
    )
    .bind(&at)
    .execute(&mut *tx)
    .await?;
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "UPDATE campaigns SET finished_told_at = ?1
         WHERE state = 'done' AND finished_told_at IS NULL
         RETURNING name,
           (SELECT count(*) FROM messages m WHERE m.campaign_id = campaigns.id AND m.state = 'sent'),
           (SELECT count(*) FROM messages m WHERE m.campaign_id = campaigns.id AND m.state = 'failed')",
    )
    .bind(&at)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|(name, sent, failed)| crate::worker::FinishedCampaign {
            name,
            sent: sent as u32,
            failed: failed as u32,
        })
        .collect())
}
