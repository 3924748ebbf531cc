//! The forward view: how many of the queued messages each account will send today and
//! on each following day, within its limits (the user's daily limit with ramp-up, the
//! provider's day and minute ceilings, the wait between sends) and its campaigns'
//! windows. Worked out from counts, never message by message: O(days × accounts).
//! Messages that cannot be placed within the horizon (every account switched off or
//! in error, or simply too many) are counted as such.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use serde::Serialize;
use sqlx::SqlitePool;

use crate::campaigns::{Slot, Window};
use crate::queue::{Channel, OutboxError};
use crate::senders::{self, Clock, Key, Sender, Unit};

/// Days the view looks ahead, today included.
pub const DAYS: usize = 14;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AccountForecast {
    pub account_id: i64,
    pub label: String,
    /// Messages it will send on each day, today first.
    pub per_day: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CampaignForecast {
    pub campaign_id: i64,
    pub name: String,
    pub per_day: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Forecast {
    /// The local dates of the days (YYYY-MM-DD), today first.
    pub days: Vec<String>,
    pub accounts: Vec<AccountForecast>,
    pub campaigns: Vec<CampaignForecast>,
    /// Queued messages no day of the view has room for.
    pub unplaced: u32,
}

/// What the view starts from: the accounts with what they sent, the queue by account,
/// the campaigns with what they have left. Pure from here on (`plan`).
#[derive(Debug, Clone, Default)]
pub struct Input {
    pub accounts: Vec<(Sender, senders::Usage)>,
    /// Queued messages of each account (not campaigns').
    pub queued: HashMap<i64, u32>,
    /// (id, name, window, accounts, messages left) of running campaigns.
    pub campaigns: Vec<(i64, String, Window, Vec<i64>, u32)>,
}

/// How many one account can still send on day `d` (0 = today).
fn capacity(
    s: &Sender,
    u: &senders::Usage,
    clock: &Clock,
    d: usize,
    date: NaiveDate,
    day_end: DateTime<Utc>,
    day_start: DateTime<Utc>,
) -> u64 {
    if !s.status.sends() {
        return 0;
    }
    let mut cap = u64::MAX;
    if let Some(limit) = s.daily_today(date) {
        let used = if d == 0 { u.today + u.in_flight } else { 0 };
        cap = cap.min(u64::from(limit.saturating_sub(used)));
    }
    if let Some(limit) = s.ceilings.day {
        // A rolling day: today what is left of it; later, a whole day each.
        let used = if d == 0 {
            match s.ceilings.unit {
                Unit::Messages => u.day_messages + u.in_flight,
                Unit::Recipients => u.day_recipients + u.in_flight_recipients,
            }
        } else {
            0
        };
        cap = cap.min(u64::from(limit.saturating_sub(used)));
    }
    let from = if d == 0 {
        clock.now.max(day_start)
    } else {
        day_start
    };
    let seconds = (day_end - from).num_seconds().max(0) as u64;
    if let Some(per_minute) = s.ceilings.minute {
        cap = cap.min(u64::from(per_minute) * seconds.div_ceil(60));
    }
    let wait_ms = u64::from(s.limits.min_wait_ms) + u64::from(s.limits.jitter_ms) / 2;
    if let Some(turns) = (seconds * 1000).checked_div(wait_ms) {
        cap = cap.min(turns + 1);
    }
    cap
}

/// Whether a campaign's window is open for some of day `date` (today: from now on).
fn window_open(
    w: &Window,
    day_start: DateTime<Utc>,
    day_end: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    let from = now.max(day_start);
    match w.at(from) {
        Slot::Open { .. } => true,
        Slot::Closed { opens: Some(t) } => t < day_end,
        Slot::Closed { opens: None } => false,
    }
}

/// The view over `DAYS` days from `clock`, in the zone of `tz` (the user's).
pub fn plan<Tz: TimeZone>(input: &Input, clock: &Clock, tz: &Tz) -> Forecast {
    let mut days = Vec::with_capacity(DAYS);
    let mut t = clock.now;
    for _ in 0..DAYS {
        let day = senders::Day::of(t, tz);
        days.push(day);
        t = day.end + Duration::seconds(1);
    }
    let n = input.accounts.len();
    let index: HashMap<i64, usize> = input
        .accounts
        .iter()
        .enumerate()
        .map(|(i, (s, _))| (s.key.account_id, i))
        .collect();
    let mut per_day = vec![vec![0u32; DAYS]; n];
    let mut fixed: Vec<u64> = input
        .accounts
        .iter()
        .map(|(s, _)| u64::from(input.queued.get(&s.key.account_id).copied().unwrap_or(0)))
        .collect();
    let mut pools: Vec<u64> = input.campaigns.iter().map(|c| u64::from(c.4)).collect();
    let mut campaign_days = vec![vec![0u32; DAYS]; input.campaigns.len()];
    for (d, day) in days.iter().enumerate() {
        let mut room: Vec<u64> = input
            .accounts
            .iter()
            .map(|(s, u)| capacity(s, u, clock, d, day.date, day.end, day.start))
            .collect();
        // An account's own messages first (they are older than campaign runs, mostly).
        for i in 0..n {
            let take = fixed[i].min(room[i]);
            fixed[i] -= take;
            room[i] -= take;
            per_day[i][d] += take as u32;
        }
        // Each campaign's messages go to its accounts with room, evenly: as the random
        // choice among eligible accounts spreads them.
        for (ci, (_, _, window, accounts, _)) in input.campaigns.iter().enumerate() {
            if pools[ci] == 0 || !window_open(window, day.start, day.end, clock.now) {
                continue;
            }
            let mut members: Vec<usize> = accounts
                .iter()
                .filter_map(|a| index.get(a).copied())
                .collect();
            while pools[ci] > 0 {
                members.retain(|i| room[*i] > 0);
                if members.is_empty() {
                    break;
                }
                let share = (pools[ci] / members.len() as u64).max(1);
                for i in members.clone() {
                    if pools[ci] == 0 {
                        break;
                    }
                    let take = share.min(room[i]).min(pools[ci]);
                    room[i] -= take;
                    pools[ci] -= take;
                    per_day[i][d] += take as u32;
                    campaign_days[ci][d] += take as u32;
                }
            }
        }
    }
    let unplaced = fixed.iter().sum::<u64>() + pools.iter().sum::<u64>();
    Forecast {
        days: days
            .iter()
            .map(|d| d.date.format("%Y-%m-%d").to_string())
            .collect(),
        accounts: input
            .accounts
            .iter()
            .zip(per_day)
            .map(|((s, _), per_day)| AccountForecast {
                account_id: s.key.account_id,
                label: s.label.clone(),
                per_day,
            })
            .collect(),
        campaigns: input
            .campaigns
            .iter()
            .zip(campaign_days)
            .map(|((id, name, ..), per_day)| CampaignForecast {
                campaign_id: *id,
                name: name.clone(),
                per_day,
            })
            .collect(),
        unplaced: unplaced.min(u64::from(u32::MAX)) as u32,
    }
}

/// Reads what `plan` needs for a workspace's e-mail accounts from the store.
pub async fn input(
    pool: &SqlitePool,
    workspace_id: i64,
    clock: &Clock,
) -> Result<Input, OutboxError> {
    let mut c = pool.acquire().await?;
    let mut accounts = Vec::new();
    for s in senders::list(pool, workspace_id, Channel::Email).await? {
        let u =
            senders::usage_on(&mut c, s.key, clock, s.ceilings.unit == Unit::Recipients).await?;
        accounts.push((s, u));
    }
    let queued: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT account_id, count(*) FROM messages
         WHERE state IN ('queued', 'retry', 'sending') AND workspace_id = ?1 AND channel = 'email'
           AND provider <> 'campaign' AND account_id IS NOT NULL
         GROUP BY account_id",
    )
    .bind(workspace_id)
    .fetch_all(&mut *c)
    .await?;
    let mut campaigns = Vec::new();
    for camp in crate::campaigns::list(pool, workspace_id)
        .await
        .map_err(|e| match e {
            crate::campaigns::CampaignError::Outbox(o) => o,
            other => OutboxError::Build(other.to_string()),
        })?
    {
        if camp.state != crate::campaigns::State::Running {
            continue;
        }
        let (left,): (i64,) = sqlx::query_as(
            "SELECT count(*) FROM messages WHERE campaign_id = ?1 AND state IN ('queued', 'retry', 'sending')",
        )
        .bind(camp.id)
        .fetch_one(&mut *c)
        .await?;
        campaigns.push((
            camp.id,
            camp.name,
            camp.window,
            camp.accounts,
            left.max(0) as u32,
        ));
    }
    Ok(Input {
        accounts,
        queued: queued
            .into_iter()
            .map(|(a, n)| (a, n.max(0) as u32))
            .collect(),
        campaigns,
    })
}

/// The forward view of a workspace's e-mail, in this computer's zone.
pub async fn forecast(
    pool: &SqlitePool,
    workspace_id: i64,
    now: DateTime<Utc>,
) -> Result<Forecast, OutboxError> {
    let clock = Clock::local(now);
    let input = input(pool, workspace_id, &clock).await?;
    Ok(plan(&input, &clock, &chrono::Local))
}

/// The key of an e-mail account, for callers matching the view to their accounts.
pub fn key(account_id: i64) -> Key {
    Key {
        channel: Channel::Email,
        account_id,
    }
}
