//! Sending accounts as the outbox sees them (table `senders`, migration 0019): whatever
//! the channel, the account a message goes out from may be switched off or in error,
//! may have the user's limits (a day's count, a wait between sends, a ramp-up) and the
//! provider's ceilings (a rolling 24 hours, a rolling minute). Every claim counts what
//! the account sent from `messages` itself, at the moment of claiming, inside the
//! claim's write transaction: a second process cannot cross a limit, and a failed send
//! does not count. Each send then takes its turn (`take_turn`) as it starts, so two
//! sends of one account are never closer than its wait, whichever process sends them.
//!
//! The clock is the caller's (`Clock`): tests cross a local midnight and a DST change
//! without waiting.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

use crate::queue::{ts, Channel, OutboxError};

/// What the user sees of an account's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
#[serde(rename = "SenderStatus")]
pub enum Status {
    /// Sending.
    Active,
    /// Switched off by the user: its messages wait.
    Inactive,
    /// Stopped by Ulak (a refused sign-in, too many hard bounces): `status_reason` says
    /// why; a successful connection test makes it active again.
    Error,
    /// Saved but not yet tested: it sends.
    Pending,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Inactive => "inactive",
            Status::Error => "error",
            Status::Pending => "pending",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        [
            Status::Active,
            Status::Inactive,
            Status::Error,
            Status::Pending,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }

    /// Whether messages go out from an account in this state.
    pub fn sends(self) -> bool {
        matches!(self, Status::Active | Status::Pending)
    }
}

/// What a provider's daily ceiling counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    #[default]
    Messages,
    /// Every address a message goes to (To, Cc and Bcc), as Outlook.com counts.
    Recipients,
}

impl Unit {
    fn as_str(self) -> &'static str {
        match self {
            Unit::Messages => "messages",
            Unit::Recipients => "recipients",
        }
    }
}

/// The user's limits of one account. All off by default (`Limits::default()`); the
/// window and the CLI offer 30 a day and a second's wait for a new account.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Limits {
    /// Sends per local calendar day; None: no limit of the user's.
    pub daily: Option<u32>,
    /// The least time between the starts of two sends, in milliseconds.
    pub min_wait_ms: u32,
    /// A random extra wait of up to this many milliseconds after each send.
    pub jitter_ms: u32,
    /// Ramp-up: N on the first day, 2N on the second… up to `daily`.
    pub ramp_up: Option<u32>,
}

impl Limits {
    /// What the window and the CLI propose for a new account: the number the team knows.
    pub const PROPOSED: Limits = Limits {
        daily: Some(30),
        min_wait_ms: 1000,
        jitter_ms: 0,
        ramp_up: None,
    };

    fn restricts(&self) -> bool {
        self.daily.is_some() || self.min_wait_ms > 0 || self.jitter_ms > 0 || self.ramp_up.is_some()
    }
}

/// A provider's own ceilings, from its provider file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Ceilings {
    /// Per rolling 24 hours, in `unit`.
    pub day: Option<u32>,
    pub unit: Unit,
    /// Messages per rolling minute.
    pub minute: Option<u32>,
}

/// An account of a channel: the outbox's key for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub channel: Channel,
    pub account_id: i64,
}

/// Why an account's messages are not going out now. Worded by the UI
/// (`senders.wait.<why>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "why", rename_all = "camelCase")]
pub enum Wait {
    /// The user switched the account off.
    Inactive,
    /// Ulak stopped using it; `reason` is what went wrong.
    Error { reason: String },
    /// The user's limit for today (with ramp-up, today's share of it) is reached.
    DailyLimit { limit: u32 },
    /// The provider's ceiling over the last 24 hours is reached.
    ProviderDay { limit: u32, unit: Unit },
    /// The provider's ceiling per minute is reached.
    ProviderMinute { limit: u32 },
    /// The wait between two sends.
    Pacing,
}

/// One row of `senders`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sender {
    pub key: Key,
    pub workspace_id: i64,
    pub label: String,
    pub status: Status,
    pub status_reason: Option<String>,
    pub limits: Limits,
    pub ceilings: Ceilings,
    /// The local date the ramp-up started.
    pub ramp_from: Option<NaiveDate>,
    pub next_send_at: Option<DateTime<Utc>>,
    pub blocked_until: Option<DateTime<Utc>>,
    pub blocked_reason: Option<Wait>,
}

impl Sender {
    /// Whether claims must count for this account at all.
    pub fn restricted(&self) -> bool {
        !self.status.sends()
            || self.limits.restricts()
            || self.ceilings.day.is_some()
            || self.ceilings.minute.is_some()
    }

    /// Today's limit of the user's: with a ramp-up, N times the days since it started
    /// (today included), never above `daily`.
    pub fn daily_today(&self, today: NaiveDate) -> Option<u32> {
        let ramp = self.limits.ramp_up.map(|n| {
            let from = self.ramp_from.unwrap_or(today);
            let days = (today - from).num_days().max(0) as u64 + 1;
            (u64::from(n) * days).min(u64::from(u32::MAX)) as u32
        });
        match (self.limits.daily, ramp) {
            (Some(d), Some(r)) => Some(d.min(r)),
            (d, r) => d.or(r),
        }
    }
}

/// The user's local calendar day a moment falls in, as UTC instants: its first moment
/// and the next day's. Where a zone skips midnight (a DST change at 00:00), the day
/// starts at its first moment that exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    pub date: NaiveDate,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Day {
    pub fn of<Tz: TimeZone>(now: DateTime<Utc>, tz: &Tz) -> Day {
        let date = now.with_timezone(tz).date_naive();
        let next = date.succ_opt().unwrap_or(date);
        Day {
            date,
            start: first_moment(date, tz),
            end: first_moment(next, tz),
        }
    }

    /// The day in this computer's time zone.
    pub fn local(now: DateTime<Utc>) -> Day {
        Day::of(now, &chrono::Local)
    }
}

fn first_moment<Tz: TimeZone>(date: NaiveDate, tz: &Tz) -> DateTime<Utc> {
    let midnight = date.and_hms_opt(0, 0, 0).expect("midnight");
    // A skipped hour is at most two hours long in any zone there is.
    for minutes in (0..=180).step_by(15) {
        let t = midnight + Duration::minutes(minutes);
        if let Some(l) = tz.from_local_datetime(&t).earliest() {
            return l.with_timezone(&Utc);
        }
    }
    Utc.from_utc_datetime(&midnight)
}

/// The time a claim is made at: the instant, and the user's local day around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pub now: DateTime<Utc>,
    pub day: Day,
}

impl Clock {
    pub fn local(now: DateTime<Utc>) -> Clock {
        Clock {
            now,
            day: Day::local(now),
        }
    }

    pub fn in_zone<Tz: TimeZone>(now: DateTime<Utc>, tz: &Tz) -> Clock {
        Clock {
            now,
            day: Day::of(now, tz),
        }
    }
}

/// What an account has sent, as counted from the store at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Usage {
    /// Sent since the local day started.
    pub today: u32,
    /// Sent in the last 24 hours, in messages and in recipients.
    pub day_messages: u32,
    pub day_recipients: u32,
    /// Sent in the last minute.
    pub minute: u32,
    /// Claimed and still being sent (a live lease): counted as sent until they are not.
    pub in_flight: u32,
    pub in_flight_recipients: u32,
    /// The oldest send inside the 24-hour and the one-minute windows: when they leave
    /// the window, room frees up.
    #[serde(skip)]
    pub oldest_day: Option<DateTime<Utc>>,
    #[serde(skip)]
    pub oldest_minute: Option<DateTime<Utc>>,
}

/// How much one claim may take of an account now, and what follows once it is taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allowance {
    /// Messages this claim may take (0: none).
    pub messages: u32,
    /// Recipients it may take, when a ceiling counts recipients.
    pub recipients: Option<u32>,
    /// When all of it is taken, the account may send again at this moment, and why
    /// it waits until then.
    pub then: (DateTime<Utc>, Wait),
}

/// How far ahead a claim takes a paced account's messages: they then wait for their
/// turn under the claim's lease, which is longer.
pub const PACING_HORIZON: Duration = Duration::seconds(30);

/// When an account that cannot send now is looked at again even with nothing to wake
/// it (switched off, in error: changing it wakes it sooner).
pub const RECHECK: Duration = Duration::hours(1);

/// How much a claim may take of `s` now, given what it sent: the least of every limit.
/// Pure, so selection and pacing are tested without a store.
pub fn allowance(s: &Sender, u: &Usage, clock: &Clock) -> Allowance {
    let now = clock.now;
    if !s.status.sends() {
        let why = match s.status {
            Status::Error => Wait::Error {
                reason: s.status_reason.clone().unwrap_or_default(),
            },
            _ => Wait::Inactive,
        };
        return Allowance {
            messages: 0,
            recipients: None,
            then: (now + RECHECK, why),
        };
    }
    // Each limit: how many more it admits, and when and why it frees up once reached.
    let mut least: Option<(u32, DateTime<Utc>, Wait)> = None;
    let mut admit = |room: u32, at: DateTime<Utc>, why: Wait| {
        if least.as_ref().is_none_or(|(r, _, _)| room < *r) {
            least = Some((room, at, why));
        }
    };
    if let Some(limit) = s.daily_today(clock.day.date) {
        let used = u.today + u.in_flight;
        admit(
            limit.saturating_sub(used),
            clock.day.end,
            Wait::DailyLimit { limit },
        );
    }
    let mut recipients = None;
    if let Some(limit) = s.ceilings.day {
        let why = Wait::ProviderDay {
            limit,
            unit: s.ceilings.unit,
        };
        let frees = u
            .oldest_day
            .map_or(now + Duration::seconds(1), |t| t + Duration::hours(24));
        match s.ceilings.unit {
            Unit::Messages => admit(
                limit.saturating_sub(u.day_messages + u.in_flight),
                frees,
                why,
            ),
            Unit::Recipients => {
                let room = limit.saturating_sub(u.day_recipients + u.in_flight_recipients);
                recipients = Some(room);
                // At least one recipient a message: never more messages than that.
                admit(room, frees, why);
            }
        }
    }
    if let Some(limit) = s.ceilings.minute {
        let frees = u
            .oldest_minute
            .map_or(now + Duration::seconds(1), |t| t + Duration::minutes(1));
        admit(
            limit.saturating_sub(u.minute + u.in_flight),
            frees,
            Wait::ProviderMinute { limit },
        );
    }
    let wait = i64::from(s.limits.min_wait_ms) + i64::from(s.limits.jitter_ms);
    if wait > 0 {
        // Paced: as many as fit the horizon, less those already waiting their turn.
        let fit = (PACING_HORIZON.num_milliseconds() / wait).max(1) as u32;
        let turns = fit.saturating_sub(u.in_flight);
        let free = s.next_send_at.unwrap_or(now).max(now);
        admit(
            turns,
            free + Duration::milliseconds(wait * i64::from(turns.max(1))),
            Wait::Pacing,
        );
    }
    match least {
        Some((messages, at, why)) => Allowance {
            messages,
            recipients,
            then: (at.max(now + Duration::milliseconds(1)), why),
        },
        None => Allowance {
            messages: u32::MAX,
            recipients,
            then: (now, Wait::Pacing),
        },
    }
}

const COLUMNS: &str =
    "channel, account_id, workspace_id, label, status, status_reason, daily_limit,
    min_wait_ms, jitter_ms, ramp_up, ramp_from, ceiling_day, ceiling_unit, ceiling_minute,
    next_send_at, blocked_until, blocked_reason";

#[derive(sqlx::FromRow)]
struct Row {
    channel: String,
    account_id: i64,
    workspace_id: i64,
    label: String,
    status: String,
    status_reason: Option<String>,
    daily_limit: Option<i64>,
    min_wait_ms: i64,
    jitter_ms: i64,
    ramp_up: Option<i64>,
    ramp_from: Option<String>,
    ceiling_day: Option<i64>,
    ceiling_unit: String,
    ceiling_minute: Option<i64>,
    next_send_at: Option<String>,
    blocked_until: Option<String>,
    blocked_reason: Option<String>,
}

fn time(s: Option<&str>) -> Option<DateTime<Utc>> {
    s.and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
}

fn small(n: i64) -> u32 {
    n.clamp(0, i64::from(u32::MAX)) as u32
}

impl Row {
    /// A row edited into nonsense (an unknown status) stops its account: it is shown
    /// in error rather than sent without its limits.
    fn sender(self) -> Option<Sender> {
        let channel = Channel::parse(&self.channel)?;
        let (status, status_reason) = match Status::parse(&self.status) {
            Some(s) => (s, self.status_reason),
            None => (
                Status::Error,
                Some(format!("unknown status {:?}", self.status)),
            ),
        };
        Some(Sender {
            key: Key {
                channel,
                account_id: self.account_id,
            },
            workspace_id: self.workspace_id,
            label: self.label,
            status,
            status_reason,
            limits: Limits {
                daily: self.daily_limit.map(small),
                min_wait_ms: small(self.min_wait_ms),
                jitter_ms: small(self.jitter_ms),
                ramp_up: self.ramp_up.map(small),
            },
            ceilings: Ceilings {
                day: self.ceiling_day.map(small),
                unit: if self.ceiling_unit == "recipients" {
                    Unit::Recipients
                } else {
                    Unit::Messages
                },
                minute: self.ceiling_minute.map(small),
            },
            ramp_from: self
                .ramp_from
                .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
            next_send_at: time(self.next_send_at.as_deref()),
            blocked_until: time(self.blocked_until.as_deref()),
            blocked_reason: self
                .blocked_reason
                .and_then(|r| serde_json::from_str(&r).ok()),
        })
    }
}

/// What a channel says of its account when it is saved: who it is, the provider's
/// ceilings. The user's limits and the status are kept as they are (a new account is
/// pending: not yet tested).
pub async fn register(
    c: &mut sqlx::SqliteConnection,
    workspace_id: i64,
    key: Key,
    label: &str,
    ceilings: Ceilings,
    now: DateTime<Utc>,
) -> Result<(), OutboxError> {
    sqlx::query(
        "INSERT INTO senders (channel, account_id, workspace_id, label, status, ceiling_day,
            ceiling_unit, ceiling_minute, updated_at)
         VALUES (?1, ?2, ?3, ?4, 'pending', ?5, ?6, ?7, ?8)
         ON CONFLICT (channel, account_id) DO UPDATE SET label = excluded.label,
            workspace_id = excluded.workspace_id, ceiling_day = excluded.ceiling_day,
            ceiling_unit = excluded.ceiling_unit, ceiling_minute = excluded.ceiling_minute,
            blocked_until = NULL, blocked_reason = NULL, updated_at = excluded.updated_at",
    )
    .bind(key.channel.as_str())
    .bind(key.account_id)
    .bind(workspace_id)
    .bind(label)
    .bind(ceilings.day.map(i64::from))
    .bind(ceilings.unit.as_str())
    .bind(ceilings.minute.map(i64::from))
    .bind(ts(now))
    .execute(&mut *c)
    .await?;
    Ok(())
}

/// Sets the user's limits. A ramp-up set or changed starts counting today.
pub async fn set_limits(
    c: &mut sqlx::SqliteConnection,
    key: Key,
    limits: &Limits,
    clock: &Clock,
) -> Result<(), OutboxError> {
    let r = sqlx::query(
        "UPDATE senders SET daily_limit = ?3, min_wait_ms = ?4, jitter_ms = ?5,
            ramp_from = CASE WHEN ?6 IS NULL THEN NULL
                             WHEN ramp_up IS ?6 AND ramp_from IS NOT NULL THEN ramp_from
                             ELSE ?7 END,
            ramp_up = ?6, blocked_until = NULL, blocked_reason = NULL, updated_at = ?8
         WHERE channel = ?1 AND account_id = ?2",
    )
    .bind(key.channel.as_str())
    .bind(key.account_id)
    .bind(limits.daily.map(i64::from))
    .bind(i64::from(limits.min_wait_ms))
    .bind(i64::from(limits.jitter_ms))
    .bind(limits.ramp_up.map(i64::from))
    .bind(clock.day.date.format("%Y-%m-%d").to_string())
    .bind(ts(clock.now))
    .execute(&mut *c)
    .await?;
    if r.rows_affected() == 0 {
        return Err(OutboxError::NotFound);
    }
    Ok(())
}

/// Sets the status. Back to active or pending, its messages are due again at once;
/// into error, the error is told once more.
pub async fn set_status(
    c: &mut sqlx::SqliteConnection,
    key: Key,
    status: Status,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), OutboxError> {
    sqlx::query(
        "UPDATE senders SET status = ?3, status_reason = ?4,
            error_told_at = CASE WHEN ?3 = 'error' AND status <> 'error' THEN NULL ELSE error_told_at END,
            blocked_until = NULL, blocked_reason = NULL, updated_at = ?5
         WHERE channel = ?1 AND account_id = ?2",
    )
    .bind(key.channel.as_str())
    .bind(key.account_id)
    .bind(status.as_str())
    .bind(reason)
    .bind(ts(now))
    .execute(&mut *c)
    .await?;
    Ok(())
}

/// Removes an account's row (the account itself was deleted).
pub async fn forget(c: &mut sqlx::SqliteConnection, key: Key) -> Result<(), OutboxError> {
    sqlx::query("DELETE FROM senders WHERE channel = ?1 AND account_id = ?2")
        .bind(key.channel.as_str())
        .bind(key.account_id)
        .execute(&mut *c)
        .await?;
    Ok(())
}

pub async fn get(pool: &SqlitePool, key: Key) -> Result<Option<Sender>, OutboxError> {
    let r: Option<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM senders WHERE channel = ?1 AND account_id = ?2"
    ))
    .bind(key.channel.as_str())
    .bind(key.account_id)
    .fetch_optional(pool)
    .await?;
    Ok(r.and_then(Row::sender))
}

/// A workspace's accounts of one channel.
pub async fn list(
    pool: &SqlitePool,
    workspace_id: i64,
    channel: Channel,
) -> Result<Vec<Sender>, OutboxError> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM senders WHERE workspace_id = ?1 AND channel = ?2 ORDER BY account_id"
    ))
    .bind(workspace_id)
    .bind(channel.as_str())
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().filter_map(Row::sender).collect())
}

/// Every account a claim must count for (any status but sending, or any limit).
pub(crate) async fn restricted(c: &mut sqlx::SqliteConnection) -> Result<Vec<Sender>, OutboxError> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM senders
         WHERE status NOT IN ('active', 'pending') OR daily_limit IS NOT NULL OR min_wait_ms > 0
            OR jitter_ms > 0 OR ramp_up IS NOT NULL OR ceiling_day IS NOT NULL
            OR ceiling_minute IS NOT NULL"
    ))
    .fetch_all(&mut *c)
    .await?;
    Ok(rows.into_iter().filter_map(Row::sender).collect())
}

/// What `key` has sent by `clock`, counted from the store.
pub async fn usage_on(
    c: &mut sqlx::SqliteConnection,
    key: Key,
    clock: &Clock,
    recipients: bool,
) -> Result<Usage, OutboxError> {
    let day_ago = clock.now - Duration::hours(24);
    let minute_ago = clock.now - Duration::minutes(1);
    let since = clock.day.start.min(day_ago);
    // The partial index messages_sent_by_account holds exactly these rows.
    type Counts = (i64, i64, i64, i64, Option<String>, Option<String>);
    let (today, day_messages, day_recipients, minute, oldest_day, oldest_minute): Counts =
        sqlx::query_as(
            "SELECT count(*) FILTER (WHERE sent_at >= ?3),
                count(*) FILTER (WHERE sent_at > ?4),
                CASE WHEN ?7 THEN coalesce(sum(json_array_length(recipients)) FILTER (WHERE sent_at > ?4), 0)
                     ELSE 0 END,
                count(*) FILTER (WHERE sent_at > ?5),
                min(sent_at) FILTER (WHERE sent_at > ?4),
                min(sent_at) FILTER (WHERE sent_at > ?5)
             FROM messages
             WHERE channel = ?1 AND account_id = ?2 AND sent_at IS NOT NULL
               AND account_id IS NOT NULL AND sent_at >= ?6",
        )
        .bind(key.channel.as_str())
        .bind(key.account_id)
        .bind(ts(clock.day.start))
        .bind(ts(day_ago))
        .bind(ts(minute_ago))
        .bind(ts(since))
        .bind(recipients)
        .fetch_one(&mut *c)
        .await?;
    let (in_flight, in_flight_recipients): (i64, i64) = sqlx::query_as(
        "SELECT count(*), coalesce(sum(json_array_length(recipients)), 0) FROM messages
         WHERE state IN ('queued', 'retry', 'sending') AND state = 'sending'
           AND channel = ?1 AND account_id = ?2 AND lease_until >= ?3",
    )
    .bind(key.channel.as_str())
    .bind(key.account_id)
    .bind(ts(clock.now))
    .fetch_one(&mut *c)
    .await?;
    Ok(Usage {
        today: small(today),
        day_messages: small(day_messages),
        day_recipients: small(day_recipients),
        minute: small(minute),
        in_flight: small(in_flight),
        in_flight_recipients: small(in_flight_recipients),
        oldest_day: time(oldest_day.as_deref()),
        oldest_minute: time(oldest_minute.as_deref()),
    })
}

/// The per-account caps of one claim, worked out inside its write transaction:
/// accounts that can take nothing now are blocked until they can (their messages are
/// then skipped by claims and by `next_due`); the others get at most their allowance.
pub(crate) struct Caps {
    /// [channel, account_id, messages, recipients|null] per capped account, as the
    /// claim's SQL reads them.
    pub json: String,
    /// What follows when an account's allowance is used up.
    then: HashMap<Key, (u32, Option<u32>, DateTime<Utc>, Wait)>,
    /// What is left of each capped account's day (None: no daily limit).
    today: HashMap<Key, Option<u32>>,
}

pub(crate) async fn caps(
    c: &mut sqlx::SqliteConnection,
    clock: &Clock,
) -> Result<Option<Caps>, OutboxError> {
    let senders = restricted(c).await?;
    if senders.is_empty() {
        return Ok(None);
    }
    let mut rows = Vec::new();
    let mut then = HashMap::new();
    let mut today = HashMap::new();
    for s in senders {
        if s.blocked_until.is_some_and(|t| t > clock.now) {
            continue;
        }
        let recipients = s.ceilings.day.is_some() && s.ceilings.unit == Unit::Recipients;
        let u = if s.status.sends() {
            usage_on(c, s.key, clock, recipients).await?
        } else {
            Usage::default()
        };
        let a = allowance(&s, &u, clock);
        if a.messages == 0 || a.recipients == Some(0) {
            block(c, s.key, a.then.0, &a.then.1).await?;
            continue;
        }
        rows.push(serde_json::json!([
            s.key.channel.as_str(),
            s.key.account_id,
            a.messages,
            a.recipients
        ]));
        then.insert(s.key, (a.messages, a.recipients, a.then.0, a.then.1));
        today.insert(
            s.key,
            s.daily_today(clock.day.date)
                .map(|d| d.saturating_sub(u.today + u.in_flight)),
        );
    }
    Ok(Some(Caps {
        json: serde_json::Value::Array(rows).to_string(),
        then,
        today,
    }))
}

impl Caps {
    /// What a claim may take of a capped account (messages, recipients); None: the
    /// account is not capped by this claim.
    pub(crate) fn allowance(&self, key: &Key) -> Option<(u32, Option<u32>)> {
        self.then.get(key).map(|(n, r, ..)| (*n, *r))
    }

    /// What is left of a capped account's day; None when it has no daily limit or is
    /// not capped.
    pub(crate) fn today_left(&self, key: &Key) -> Option<u32> {
        self.today.get(key).copied().flatten()
    }

    /// After the claim: an account whose whole allowance this claim took is blocked
    /// until it frees up.
    pub(crate) async fn settle(
        &self,
        c: &mut sqlx::SqliteConnection,
        taken: &HashMap<Key, (u32, u32)>,
    ) -> Result<(), OutboxError> {
        for (key, (messages, recipients, until, why)) in &self.then {
            let Some((n, r)) = taken.get(key) else {
                continue;
            };
            if n >= messages || recipients.is_some_and(|cap| *r >= cap) {
                block(c, *key, *until, why).await?;
            }
        }
        Ok(())
    }
}

async fn block(
    c: &mut sqlx::SqliteConnection,
    key: Key,
    until: DateTime<Utc>,
    why: &Wait,
) -> Result<(), OutboxError> {
    sqlx::query(
        "UPDATE senders SET blocked_until = ?3, blocked_reason = ?4
         WHERE channel = ?1 AND account_id = ?2",
    )
    .bind(key.channel.as_str())
    .bind(key.account_id)
    .bind(ts(until))
    .bind(serde_json::to_string(why).expect("plain enum"))
    .execute(&mut *c)
    .await?;
    Ok(())
}

/// Takes the account's turn to start a send now: Ok(None) when it may start (the next
/// turn is then `wait` plus a random part of `jitter` away), or Ok(Some(t)) when
/// another send has the turn until `t`. `jitter` is a number in [0, 1).
pub async fn take_turn(
    pool: &SqlitePool,
    key: Key,
    now: DateTime<Utc>,
    jitter: f64,
) -> Result<Option<DateTime<Utc>>, OutboxError> {
    let Some(s) = get(pool, key).await? else {
        return Ok(None);
    };
    let wait = i64::from(s.limits.min_wait_ms)
        + (f64::from(s.limits.jitter_ms) * jitter.clamp(0.0, 1.0)) as i64;
    if wait == 0 {
        return Ok(None);
    }
    let next = now + Duration::milliseconds(wait);
    let taken = sqlx::query(
        "UPDATE senders SET next_send_at = ?3
         WHERE channel = ?1 AND account_id = ?2 AND (next_send_at IS NULL OR next_send_at <= ?4)",
    )
    .bind(key.channel.as_str())
    .bind(key.account_id)
    .bind(ts(next))
    .bind(ts(now))
    .execute(pool)
    .await?
    .rows_affected();
    if taken > 0 {
        return Ok(None);
    }
    Ok(get(pool, key)
        .await?
        .and_then(|s| s.next_send_at)
        .filter(|t| *t > now)
        .or(Some(now + Duration::milliseconds(1))))
}

/// A provider refused the sign-in of the account of `message_id`: a registered account
/// (one with a row here) goes to error with the provider's words, inside the
/// transaction recording the try. Returns whether it did: the message is then held for
/// the account to be mended, not failed.
pub(crate) async fn sign_in_refused(
    c: &mut sqlx::SqliteConnection,
    message_id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<bool, OutboxError> {
    let r = sqlx::query(
        "UPDATE senders SET status = 'error', status_reason = ?2, last_error = ?2,
            last_error_at = ?3, blocked_until = NULL, blocked_reason = NULL,
            error_told_at = CASE WHEN status <> 'error' THEN NULL ELSE error_told_at END,
            updated_at = ?3
         WHERE status <> 'inactive' AND (channel, account_id) =
            (SELECT channel, account_id FROM messages WHERE id = ?1)",
    )
    .bind(message_id)
    .bind(reason)
    .bind(ts(now))
    .execute(&mut *c)
    .await?;
    Ok(r.rows_affected() > 0)
}

/// A message's try failed: its account keeps the provider's words as its last error,
/// and is looked at again by the next claim, since the place the try held in its
/// counts is free (a failed send does not count).
pub(crate) async fn failed_try(
    c: &mut sqlx::SqliteConnection,
    message_id: i64,
    text: &str,
    now: DateTime<Utc>,
) -> Result<(), OutboxError> {
    sqlx::query(
        "UPDATE senders SET blocked_until = NULL, blocked_reason = NULL, last_error = ?2,
            last_error_at = ?3
         WHERE (channel, account_id) = (SELECT channel, account_id FROM messages WHERE id = ?1)",
    )
    .bind(message_id)
    .bind(text)
    .bind(ts(now))
    .execute(&mut *c)
    .await?;
    Ok(())
}

/// Hard bounces (an unknown recipient, refused for good) above this share of what an
/// account sent over `BOUNCE_DAYS` stop it, once `BOUNCE_MIN` messages have gone:
/// providers junk or close accounts that keep mailing dead addresses.
pub const BOUNCE_SHARE: f64 = 0.02;
pub const BOUNCE_MIN: i64 = 20;
pub const BOUNCE_DAYS: i64 = 28;

/// The reason an account stopped for its bounces carries, read by `bounce_reason`.
const BOUNCES: &str = "ulak:bounces";

/// (bounced, sent + bounced) from a reason written for too many hard bounces.
pub fn bounce_reason(reason: &str) -> Option<(i64, i64)> {
    let rest = reason.strip_prefix(BOUNCES)?.trim();
    let (b, t) = rest.split_once(' ')?;
    Some((b.parse().ok()?, t.parse().ok()?))
}

/// After a hard bounce of `message_id` is recorded: its account stops (error, with
/// the counts as reason) when its bounces over the last `BOUNCE_DAYS` are above
/// `BOUNCE_SHARE` of what it sent, once `BOUNCE_MIN` have gone.
pub(crate) async fn hard_bounce(
    c: &mut sqlx::SqliteConnection,
    message_id: i64,
    now: DateTime<Utc>,
) -> Result<(), OutboxError> {
    let key: Option<(String, i64)> = sqlx::query_as(
        "SELECT m.channel, m.account_id FROM messages m JOIN senders s
            ON s.channel = m.channel AND s.account_id = m.account_id
         WHERE m.id = ?1 AND s.status IN ('active', 'pending')",
    )
    .bind(message_id)
    .fetch_optional(&mut *c)
    .await?;
    let Some((channel, account_id)) = key else {
        return Ok(());
    };
    let since = ts(now - Duration::days(BOUNCE_DAYS));
    let (sent,): (i64,) = sqlx::query_as(
        "SELECT count(*) FROM messages WHERE channel = ?1 AND account_id = ?2
           AND sent_at IS NOT NULL AND account_id IS NOT NULL AND sent_at >= ?3",
    )
    .bind(&channel)
    .bind(account_id)
    .bind(&since)
    .fetch_one(&mut *c)
    .await?;
    let (bounced,): (i64,) = sqlx::query_as(
        "SELECT count(*) FROM messages WHERE channel = ?1 AND account_id = ?2
           AND state = 'failed' AND last_code = 'noSuchRecipient' AND updated_at >= ?3",
    )
    .bind(&channel)
    .bind(account_id)
    .bind(&since)
    .fetch_one(&mut *c)
    .await?;
    let total = sent + bounced;
    if total < BOUNCE_MIN || (bounced as f64) <= BOUNCE_SHARE * total as f64 {
        return Ok(());
    }
    sqlx::query(
        "UPDATE senders SET status = 'error', status_reason = ?3, error_told_at = NULL,
            blocked_until = NULL, blocked_reason = NULL, updated_at = ?4
         WHERE channel = ?1 AND account_id = ?2 AND status IN ('active', 'pending')",
    )
    .bind(&channel)
    .bind(account_id)
    .bind(format!("{BOUNCES} {bounced} {total}"))
    .bind(ts(now))
    .execute(&mut *c)
    .await?;
    Ok(())
}

/// Accounts in error not told of yet, marked told now: each error is told once.
pub async fn untold_errors(
    pool: &SqlitePool,
    now: DateTime<Utc>,
) -> Result<Vec<(String, String)>, OutboxError> {
    Ok(sqlx::query_as(
        "UPDATE senders SET error_told_at = ?1
         WHERE status = 'error' AND error_told_at IS NULL
         RETURNING label, coalesce(status_reason, '')",
    )
    .bind(ts(now))
    .fetch_all(pool)
    .await?)
}

/// An account's sending as the window and `ulak accounts list` show it: today's count
/// against both limits, its next free moment and why it waits, its queue, its last
/// error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Sending {
    pub status: Status,
    pub status_reason: Option<String>,
    /// Sent since local midnight.
    pub sent_today: u32,
    /// The user's limit today (ramp-up included); None: no limit.
    pub daily_today: Option<u32>,
    /// Used of the provider's 24-hour ceiling, in its unit.
    pub provider_used: u32,
    pub ceilings: Ceilings,
    pub limits: Limits,
    /// Sent in the last minute.
    pub minute_used: u32,
    /// When the account can send next; None: now.
    pub next_free_at: Option<String>,
    /// Why it waits until then.
    pub waiting: Option<Wait>,
    /// Its messages still to send (queued, retrying, being sent).
    pub queued: u32,
    pub last_error: Option<String>,
    pub last_error_at: Option<String>,
}

/// `Sending` of one account at `clock`; None when the outbox has no row for it.
pub async fn sending(
    pool: &SqlitePool,
    key: Key,
    clock: &Clock,
) -> Result<Option<Sending>, OutboxError> {
    let Some(s) = get(pool, key).await? else {
        return Ok(None);
    };
    let mut c = pool.acquire().await?;
    let u = usage_on(&mut c, key, clock, s.ceilings.unit == Unit::Recipients).await?;
    let a = allowance(&s, &u, clock);
    let now = clock.now;
    let (next_free_at, waiting) = if a.messages == 0 || a.recipients == Some(0) {
        (Some(a.then.0), Some(a.then.1))
    } else {
        match s.next_send_at.filter(|t| *t > now) {
            Some(t) => (Some(t), Some(Wait::Pacing)),
            None => (None, None),
        }
    };
    let (queued,): (i64,) = sqlx::query_as(
        "SELECT count(*) FROM messages WHERE state IN ('queued', 'retry', 'sending')
           AND channel = ?1 AND account_id = ?2",
    )
    .bind(key.channel.as_str())
    .bind(key.account_id)
    .fetch_one(&mut *c)
    .await?;
    let (last_error, last_error_at): (Option<String>, Option<String>) = sqlx::query_as(
        "SELECT last_error, last_error_at FROM senders WHERE channel = ?1 AND account_id = ?2",
    )
    .bind(key.channel.as_str())
    .bind(key.account_id)
    .fetch_one(&mut *c)
    .await?;
    Ok(Some(Sending {
        status: s.status,
        status_reason: s.status_reason.clone(),
        sent_today: u.today,
        daily_today: s.daily_today(clock.day.date),
        provider_used: match s.ceilings.unit {
            Unit::Messages => u.day_messages,
            Unit::Recipients => u.day_recipients,
        },
        ceilings: s.ceilings,
        limits: s.limits,
        minute_used: u.minute,
        next_free_at: next_free_at.map(ts),
        waiting,
        queued: small(queued),
        last_error,
        last_error_at,
    }))
}

/// Accounts that reached the user's daily limit today and were not told of it today,
/// marked told for today (each is told once a local day): their addresses.
pub async fn untold_limits(pool: &SqlitePool, clock: &Clock) -> Result<Vec<String>, OutboxError> {
    let today = clock.day.date.to_string();
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT channel, account_id, workspace_id FROM senders
         WHERE daily_limit IS NOT NULL AND coalesce(limit_told_on, '') <> ?1",
    )
    .bind(&today)
    .fetch_all(pool)
    .await?;
    let mut out = Vec::new();
    for (channel, account_id, _) in rows {
        let Some(channel) = Channel::parse(&channel) else {
            continue;
        };
        let key = Key {
            channel,
            account_id,
        };
        let Some(s) = sending(pool, key, clock).await? else {
            continue;
        };
        let reached = s.daily_today.is_some_and(|d| s.sent_today >= d);
        if !reached {
            continue;
        }
        // Marked first, in one statement: two processes telling at once tell once.
        let marked = sqlx::query(
            "UPDATE senders SET limit_told_on = ?1
             WHERE channel = ?2 AND account_id = ?3 AND coalesce(limit_told_on, '') <> ?1",
        )
        .bind(&today)
        .bind(channel.as_str())
        .bind(account_id)
        .execute(pool)
        .await?;
        if marked.rows_affected() == 1 {
            let label: Option<String> = sqlx::query_scalar(
                "SELECT label FROM senders WHERE channel = ?1 AND account_id = ?2",
            )
            .bind(channel.as_str())
            .bind(account_id)
            .fetch_optional(pool)
            .await?;
            out.push(label.unwrap_or_else(|| account_id.to_string()));
        }
    }
    Ok(out)
}
