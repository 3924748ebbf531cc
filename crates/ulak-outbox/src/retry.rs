//! When a failed try is tried again: the failure's kind says whether at all (see
//! `failure::Kind::retries`); this says when, and when to give up.

use std::time::Duration;

/// How long a message that keeps failing in a way that can mend itself is tried before
/// it is given up, unless the user sets another (`LIFETIME_SETTING`): five days, as
/// Postfix keeps mail (`maximal_queue_lifetime`). A laptop offline for an afternoon
/// loses nothing.
pub const DEFAULT_LIFETIME: chrono::Duration = chrono::Duration::hours(120);

/// The app setting (hours) that overrides `DEFAULT_LIFETIME`.
pub const LIFETIME_SETTING: &str = "outbox.lifetime_hours";

/// The lifetimes a user may set: an hour to thirty days.
pub const LIFETIME_RANGE: std::ops::RangeInclusive<i64> = 1..=720;

/// While the provider cannot be reached at all (the network is down), tries do not
/// add to the backoff beyond this step (4 minutes): the message goes soon after the
/// network is back, not an hour later.
const OFFLINE_STEP: i64 = 4;

/// The wait before attempt `attempts + 1`: 30 s doubling to at most an hour, times a
/// jitter factor in [0.5, 1.0] the caller draws.
pub fn backoff(attempts: i64, jitter: f64) -> chrono::Duration {
    let base = 30_i64
        .saturating_mul(1_i64 << (attempts.clamp(1, 20) - 1))
        .min(3600);
    chrono::Duration::milliseconds((base as f64 * 1000.0 * jitter.clamp(0.5, 1.0)) as i64)
}

/// Why a message failed its try, as the retry schedule needs it.
#[derive(Debug, Clone, Copy)]
pub struct Failed {
    /// How long ago the message was queued.
    pub age: chrono::Duration,
    /// Tries so far, this one included.
    pub attempts: i64,
    /// The provider could not be reached at all (network down, host unknown).
    pub offline: bool,
    /// The provider's own "retry after", if it said.
    pub retry_after: Option<Duration>,
}

/// The wait before the next try of a message that failed in a way that can mend
/// itself, or None once it has been tried for `lifetime` (given up by age, not by how
/// many tries: tries while offline come often and mean nothing). The last try falls on
/// the lifetime's end. A provider's "retry after" is honoured when it asks for longer
/// than the backoff (at most a day).
pub fn next_try(f: Failed, jitter: f64, lifetime: chrono::Duration) -> Option<chrono::Duration> {
    let left = lifetime - f.age;
    if left <= chrono::Duration::zero() {
        return None;
    }
    let step = if f.offline {
        f.attempts.min(OFFLINE_STEP)
    } else {
        f.attempts
    };
    let asked = f
        .retry_after
        .map(|d| d.min(Duration::from_secs(24 * 3600)))
        .and_then(|d| chrono::Duration::from_std(d).ok())
        .unwrap_or_else(chrono::Duration::zero);
    Some(backoff(step, jitter).max(asked).min(left))
}

/// How long a webhook delivery is tried before it is given up (and its endpoint
/// marked failing).
pub const WEBHOOK_GIVE_UP: chrono::Duration = chrono::Duration::hours(24);

/// The waits between a webhook delivery's tries, after Standard Webhooks' suggested
/// schedule: 5 s, 5 min, 30 min, 2 h, 5 h, then every 10 h.
const WEBHOOK_WAITS: [i64; 6] = [5, 300, 1800, 7200, 18000, 36000];

/// The wait before the next try of a webhook delivery `age` old that failed its
/// `attempts`-th try, or None once it has been tried for `WEBHOOK_GIVE_UP`: the last
/// try falls on the day's end. A receiver's retry-after is honoured within the day.
pub fn next_webhook_try(
    age: chrono::Duration,
    attempts: i64,
    jitter: f64,
    retry_after: Option<Duration>,
) -> Option<chrono::Duration> {
    let left = WEBHOOK_GIVE_UP - age;
    if left <= chrono::Duration::zero() {
        return None;
    }
    let step = WEBHOOK_WAITS[(attempts.max(1) as usize - 1).min(WEBHOOK_WAITS.len() - 1)];
    let wait =
        chrono::Duration::milliseconds((step as f64 * 1000.0 * jitter.clamp(0.5, 1.0)) as i64);
    let asked = retry_after
        .and_then(|d| chrono::Duration::from_std(d).ok())
        .unwrap_or_else(chrono::Duration::zero);
    Some(wait.max(asked).min(left))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_deliveries_follow_the_schedule_and_give_up_after_a_day() {
        let h = chrono::Duration::hours;
        let s = chrono::Duration::seconds;
        assert_eq!(next_webhook_try(s(0), 1, 1.0, None), Some(s(5)));
        assert_eq!(next_webhook_try(s(5), 2, 1.0, None), Some(s(300)));
        assert_eq!(next_webhook_try(h(3), 5, 0.5, None), Some(s(9000)));
        assert_eq!(next_webhook_try(h(10), 40, 1.0, None), Some(h(10)));
        assert_eq!(
            next_webhook_try(h(20), 7, 1.0, None),
            Some(h(4)),
            "the last try falls on the day's end"
        );
        assert_eq!(
            next_webhook_try(s(0), 1, 1.0, Some(Duration::from_secs(120))),
            Some(s(120)),
            "a receiver's retry-after is honoured"
        );
        assert_eq!(next_webhook_try(h(24), 8, 1.0, None), None);
        assert_eq!(
            next_webhook_try(h(30), 1, 1.0, None),
            None,
            "whatever the tries"
        );
    }

    #[test]
    fn backoff_doubles_to_an_hour_and_jitter_only_shortens() {
        assert_eq!(backoff(1, 1.0), chrono::Duration::seconds(30));
        assert_eq!(backoff(2, 1.0), chrono::Duration::seconds(60));
        assert_eq!(backoff(3, 0.5), chrono::Duration::seconds(60));
        assert_eq!(backoff(30, 1.0), chrono::Duration::seconds(3600));
        assert_eq!(
            backoff(1, 7.0),
            chrono::Duration::seconds(30),
            "jitter is clamped"
        );
    }

    fn failed(age_h: i64, attempts: i64, retry_after: Option<u64>) -> Failed {
        Failed {
            age: chrono::Duration::hours(age_h),
            attempts,
            offline: false,
            retry_after: retry_after.map(Duration::from_secs),
        }
    }

    #[test]
    fn a_providers_retry_after_wins_when_longer_and_a_message_is_given_up_by_age() {
        let life = DEFAULT_LIFETIME;
        assert_eq!(
            next_try(failed(0, 1, Some(600)), 1.0, life),
            Some(chrono::Duration::seconds(600))
        );
        assert_eq!(
            next_try(failed(0, 3, Some(5)), 1.0, life),
            Some(chrono::Duration::seconds(120)),
            "a short retry-after does not hurry the backoff"
        );
        assert_eq!(
            next_try(failed(0, 1, Some(7 * 24 * 3600)), 1.0, life),
            Some(chrono::Duration::hours(24)),
            "capped at a day"
        );
        // Thirty tries are not the end; five days are.
        assert_eq!(
            next_try(failed(50, 30, None), 1.0, life),
            Some(chrono::Duration::hours(1))
        );
        assert_eq!(
            next_try(failed(119, 60, None), 1.0, life),
            Some(chrono::Duration::hours(1)),
            "the last try falls on the lifetime's end"
        );
        assert_eq!(
            next_try(failed(119, 60, Some(5 * 3600)), 1.0, life),
            Some(chrono::Duration::hours(1))
        );
        assert_eq!(next_try(failed(120, 61, None), 1.0, life), None);
        assert_eq!(
            next_try(failed(2, 3, None), 1.0, chrono::Duration::hours(1)),
            None,
            "a shorter lifetime the user set"
        );
    }

    #[test]
    fn tries_while_offline_do_not_push_the_next_one_an_hour_away() {
        let offline = Failed {
            offline: true,
            ..failed(1, 12, None)
        };
        assert_eq!(
            next_try(offline, 1.0, DEFAULT_LIFETIME),
            Some(chrono::Duration::seconds(240))
        );
        assert_eq!(
            next_try(failed(1, 12, None), 1.0, DEFAULT_LIFETIME),
            Some(chrono::Duration::hours(1))
        );
    }
}
