//! How often the salesperson hears of what happened (Bildirimler): which events reach
//! which channel, and per event a minimum interval between two notifications or a
//! digest of everything within a window ("Son 10 dakikada 5 e-posta gönderilemedi").
//! Pure: the caller gives the time, so tests need no sleeping.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::worker::DrainReport;

/// What can be told, as the Bildirimler matrix lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
pub enum NoticeEvent {
    #[serde(rename = "message.sent")]
    MessageSent,
    #[serde(rename = "message.failed")]
    MessageFailed,
    /// A message has been retrying for longer than `STUCK_AFTER`.
    #[serde(rename = "message.stuck")]
    MessageStuck,
    /// A webhook endpoint stopped taking events (a day of failed deliveries).
    #[serde(rename = "webhook.failing")]
    WebhookFailing,
    /// An account's sign-in was withdrawn by its provider (an OAuth grant refused at
    /// refresh): it must be connected again.
    #[serde(rename = "account.reconnect")]
    AccountReconnect,
    /// A campaign finished: every message sent or failed.
    #[serde(rename = "campaign.finished")]
    CampaignFinished,
    /// An account reached the user's daily limit: the rest waits for local midnight.
    #[serde(rename = "account.daily_limit")]
    DailyLimitReached,
    /// An SMS, WhatsApp or chat integration is in trouble (its sign-in refused, its
    /// provider unreachable…): its messages wait or fail until it is mended.
    #[serde(rename = "integration.error")]
    IntegrationError,
}

impl NoticeEvent {
    pub const ALL: [NoticeEvent; 8] = [
        NoticeEvent::MessageSent,
        NoticeEvent::MessageFailed,
        NoticeEvent::MessageStuck,
        NoticeEvent::WebhookFailing,
        NoticeEvent::AccountReconnect,
        NoticeEvent::CampaignFinished,
        NoticeEvent::DailyLimitReached,
        NoticeEvent::IntegrationError,
    ];
}

/// How long a message may keep retrying before it is told as stuck, unless the user
/// sets another (`NoticePrefs::stuck_after_minutes`, 5 minutes to a day).
pub const DEFAULT_STUCK_MINUTES: u32 = 15;
pub const STUCK_MINUTES_RANGE: std::ops::RangeInclusive<u32> = 5..=1440;

fn default_stuck_minutes() -> u32 {
    DEFAULT_STUCK_MINUTES
}

/// Where a notification can go. Only the desktop is wired so far; the others are
/// stored choices that take effect as their channels arrive (e-mail notifications,
/// Slack and Telegram).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum NoticeChannel {
    Desktop,
    Email,
    Slack,
    Telegram,
}

/// One row of the matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EventPrefs {
    pub event: NoticeEvent,
    pub channels: Vec<NoticeChannel>,
    /// At least this long between two notifications of the event (0: no limit); what
    /// happens meanwhile is told together when the interval is over.
    pub min_interval_secs: u32,
    /// Gather the event for this long after its first occurrence, then tell it once
    /// (0: no digest). Wins over the interval when both are set.
    pub digest_secs: u32,
}

/// The longest interval or digest window the form offers: a day.
pub const MAX_WINDOW_SECS: u32 = 24 * 3600;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NoticePrefs {
    /// One row per event; a missing event has its default.
    pub events: Vec<EventPrefs>,
    /// A message retrying for this long is told as stuck (`message.stuck`), once.
    #[serde(default = "default_stuck_minutes")]
    pub stuck_after_minutes: u32,
}

impl NoticePrefs {
    /// Failures on, every success off.
    pub fn default_for(event: NoticeEvent) -> EventPrefs {
        EventPrefs {
            event,
            channels: match event {
                NoticeEvent::MessageSent => Vec::new(),
                // What the salesperson must know to act on: failures, and the two
                // moments a campaign's pace changes (it ended; an account is full).
                NoticeEvent::MessageFailed
                | NoticeEvent::MessageStuck
                | NoticeEvent::WebhookFailing
                | NoticeEvent::AccountReconnect
                | NoticeEvent::CampaignFinished
                | NoticeEvent::DailyLimitReached
                | NoticeEvent::IntegrationError => vec![NoticeChannel::Desktop],
            },
            min_interval_secs: 0,
            digest_secs: 0,
        }
    }

    /// The event's row (its default if the stored prefs lack it).
    pub fn rule(&self, event: NoticeEvent) -> EventPrefs {
        self.events
            .iter()
            .find(|e| e.event == event)
            .cloned()
            .unwrap_or_else(|| NoticePrefs::default_for(event))
    }

    pub fn wants(&self, event: NoticeEvent, channel: NoticeChannel) -> bool {
        self.rule(event).channels.contains(&channel)
    }

    /// How long a message may retry before it is told as stuck.
    pub fn stuck_after(&self) -> Duration {
        Duration::minutes(i64::from(self.normalized_stuck_minutes()))
    }

    fn normalized_stuck_minutes(&self) -> u32 {
        self.stuck_after_minutes
            .clamp(*STUCK_MINUTES_RANGE.start(), *STUCK_MINUTES_RANGE.end())
    }

    /// Every event once, in order, each with its channels once and its windows within
    /// a day; the stuck threshold within its range.
    pub fn normalized(&self) -> NoticePrefs {
        NoticePrefs {
            stuck_after_minutes: self.normalized_stuck_minutes(),
            events: NoticeEvent::ALL
                .into_iter()
                .map(|event| {
                    let mut r = self.rule(event);
                    let mut seen = Vec::new();
                    r.channels.retain(|c| {
                        let first = !seen.contains(c);
                        seen.push(*c);
                        first
                    });
                    r.min_interval_secs = r.min_interval_secs.min(MAX_WINDOW_SECS);
                    r.digest_secs = r.digest_secs.min(MAX_WINDOW_SECS);
                    r
                })
                .collect(),
        }
    }
}

impl Default for NoticePrefs {
    fn default() -> Self {
        NoticePrefs {
            stuck_after_minutes: DEFAULT_STUCK_MINUTES,
            events: NoticeEvent::ALL
                .into_iter()
                .map(NoticePrefs::default_for)
                .collect(),
        }
    }
}

/// What is due to be told on one channel: the events' parts of the rounds, together,
/// and the digest window they were gathered over (None: told as they came).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub report: DrainReport,
    pub window: Option<Duration>,
}

#[derive(Debug, Default)]
struct Slot {
    /// When the event was last told.
    told: Option<DateTime<Utc>>,
    /// What is waiting to be told, and since when.
    held: Option<(DateTime<Utc>, DrainReport)>,
}

/// The frequency control of one channel, kept by the process that tells.
#[derive(Debug)]
pub struct Throttle {
    channel: NoticeChannel,
    slots: HashMap<NoticeEvent, Slot>,
}

/// A round's report cut into its events' parts (empty parts left out).
fn split(r: &DrainReport) -> Vec<(NoticeEvent, DrainReport)> {
    let mut out = Vec::new();
    if r.sent > 0 {
        out.push((
            NoticeEvent::MessageSent,
            DrainReport {
                sent: r.sent,
                last_sent: r.last_sent.clone(),
                channels: r.channels.clone(),
                ..Default::default()
            },
        ));
    }
    if r.failed > 0 {
        out.push((
            NoticeEvent::MessageFailed,
            DrainReport {
                failed: r.failed,
                failures: r.failures.clone(),
                channels: r.channels.clone(),
                ..Default::default()
            },
        ));
    }
    if !r.stuck.is_empty() {
        out.push((
            NoticeEvent::MessageStuck,
            DrainReport {
                stuck: r.stuck.clone(),
                stuck_minutes: r.stuck_minutes,
                ..Default::default()
            },
        ));
    }
    if !r.webhooks_failing.is_empty() {
        out.push((
            NoticeEvent::WebhookFailing,
            DrainReport {
                webhooks_failing: r.webhooks_failing.clone(),
                ..Default::default()
            },
        ));
    }
    // A refused password is told as the same event as a withdrawn grant: the
    // account's sign-in needs the salesperson.
    if !r.reconnect.is_empty() || !r.stopped.is_empty() {
        out.push((
            NoticeEvent::AccountReconnect,
            DrainReport {
                reconnect: r.reconnect.clone(),
                stopped: r.stopped.clone(),
                ..Default::default()
            },
        ));
    }
    if !r.campaigns_finished.is_empty() {
        out.push((
            NoticeEvent::CampaignFinished,
            DrainReport {
                campaigns_finished: r.campaigns_finished.clone(),
                ..Default::default()
            },
        ));
    }
    if !r.limits_reached.is_empty() {
        out.push((
            NoticeEvent::DailyLimitReached,
            DrainReport {
                limits_reached: r.limits_reached.clone(),
                ..Default::default()
            },
        ));
    }
    if !r.integrations_failing.is_empty() {
        out.push((
            NoticeEvent::IntegrationError,
            DrainReport {
                integrations_failing: r.integrations_failing.clone(),
                ..Default::default()
            },
        ));
    }
    out
}

impl Throttle {
    pub fn new(channel: NoticeChannel) -> Throttle {
        Throttle {
            channel,
            slots: HashMap::new(),
        }
    }

    /// Takes in what a round did; only the events this channel is chosen for are kept.
    pub fn offer(&mut self, prefs: &NoticePrefs, round: &DrainReport, now: DateTime<Utc>) {
        for (event, part) in split(round) {
            if !prefs.wants(event, self.channel) {
                continue;
            }
            let slot = self.slots.entry(event).or_default();
            match &mut slot.held {
                Some((_, held)) => held.merge(part),
                None => slot.held = Some((now, part)),
            }
        }
    }

    /// When the event's held part may be told.
    fn due_at(rule: &EventPrefs, slot: &Slot) -> Option<DateTime<Utc>> {
        let (since, _) = slot.held.as_ref()?;
        Some(if rule.digest_secs > 0 {
            *since + Duration::seconds(rule.digest_secs.into())
        } else {
            match (slot.told, rule.min_interval_secs) {
                (Some(told), min) if min > 0 => (told + Duration::seconds(min.into())).max(*since),
                _ => *since,
            }
        })
    }

    /// Everything due by `now`, as one notification's worth; None when nothing is.
    pub fn take_due(&mut self, prefs: &NoticePrefs, now: DateTime<Utc>) -> Option<Due> {
        let mut out: Option<Due> = None;
        for event in NoticeEvent::ALL {
            let rule = prefs.rule(event);
            let Some(slot) = self.slots.get_mut(&event) else {
                continue;
            };
            if !rule.channels.contains(&self.channel) {
                // Turned off meanwhile: what was held is dropped, not told later.
                slot.held = None;
                continue;
            }
            match Throttle::due_at(&rule, slot) {
                Some(at) if at <= now => {}
                _ => continue,
            }
            let (since, part) = slot.held.take().expect("due_at saw it");
            slot.told = Some(now);
            let window = (rule.digest_secs > 0).then(|| now - since);
            match &mut out {
                Some(due) => {
                    due.report.merge(part);
                    due.window = due.window.max(window);
                }
                None => {
                    out = Some(Due {
                        report: part,
                        window,
                    })
                }
            }
        }
        out
    }

    /// The earliest time something held becomes due (the worker wakes for it).
    pub fn next_due(&self, prefs: &NoticePrefs) -> Option<DateTime<Utc>> {
        NoticeEvent::ALL
            .into_iter()
            .filter_map(|e| Throttle::due_at(&prefs.rule(e), self.slots.get(&e)?))
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::failure::FailureCode;
    use crate::worker::FailedMessage;

    fn t(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap()
    }

    fn failed(n: u64) -> DrainReport {
        DrainReport {
            failed: n,
            failures: vec![FailedMessage {
                id: 1,
                subject: "Teklif".into(),
                code: FailureCode::SignIn,
            }],
            ..Default::default()
        }
    }

    fn sent(n: u64) -> DrainReport {
        DrainReport {
            sent: n,
            last_sent: Some("Teklif".into()),
            ..Default::default()
        }
    }

    fn prefs(rule: EventPrefs) -> NoticePrefs {
        let mut p = NoticePrefs::default();
        p.events.retain(|e| e.event != rule.event);
        p.events.push(rule);
        p
    }

    #[test]
    fn by_default_failures_are_told_at_once_and_successes_not_at_all() {
        let p = NoticePrefs::default();
        let mut th = Throttle::new(NoticeChannel::Desktop);
        let mut round = sent(3);
        round.merge(failed(2));
        th.offer(&p, &round, t(0));
        let due = th.take_due(&p, t(0)).unwrap();
        assert_eq!(
            (due.report.sent, due.report.failed, due.window),
            (0, 2, None)
        );
        assert_eq!(th.take_due(&p, t(1)), None, "told once");
        assert_eq!(th.next_due(&p), None);
    }

    #[test]
    fn a_digest_gathers_a_window_then_tells_once() {
        let p = prefs(EventPrefs {
            event: NoticeEvent::MessageFailed,
            channels: vec![NoticeChannel::Desktop],
            min_interval_secs: 0,
            digest_secs: 600,
        });
        let mut th = Throttle::new(NoticeChannel::Desktop);
        for (i, at) in [0, 60, 200, 599].into_iter().enumerate() {
            th.offer(&p, &failed(i as u64 + 1), t(at));
            assert_eq!(th.take_due(&p, t(at)), None, "held at {at}");
        }
        assert_eq!(th.next_due(&p), Some(t(600)));
        let due = th.take_due(&p, t(600)).unwrap();
        assert_eq!(due.report.failed, 1 + 2 + 3 + 4);
        assert_eq!(due.window, Some(Duration::seconds(600)));
        assert_eq!(th.take_due(&p, t(1200)), None);
        // The next failure opens a new window.
        th.offer(&p, &failed(1), t(1300));
        assert_eq!(th.next_due(&p), Some(t(1900)));
    }

    #[test]
    fn a_minimum_interval_tells_the_first_at_once_and_gathers_the_rest() {
        let p = prefs(EventPrefs {
            event: NoticeEvent::MessageFailed,
            channels: vec![NoticeChannel::Desktop],
            min_interval_secs: 300,
            digest_secs: 0,
        });
        let mut th = Throttle::new(NoticeChannel::Desktop);
        th.offer(&p, &failed(1), t(0));
        assert_eq!(th.take_due(&p, t(0)).unwrap().report.failed, 1);
        th.offer(&p, &failed(2), t(10));
        th.offer(&p, &failed(3), t(100));
        assert_eq!(th.take_due(&p, t(299)), None);
        let due = th.take_due(&p, t(300)).unwrap();
        assert_eq!((due.report.failed, due.window), (5, None));
        // Quiet for longer than the interval: the next one goes at once.
        th.offer(&p, &failed(1), t(1000));
        assert!(th.take_due(&p, t(1000)).is_some());
    }

    #[test]
    fn events_due_together_make_one_notification_and_turned_off_ones_are_dropped() {
        let p = NoticePrefs {
            stuck_after_minutes: DEFAULT_STUCK_MINUTES,
            events: vec![
                EventPrefs {
                    event: NoticeEvent::MessageSent,
                    channels: vec![NoticeChannel::Desktop],
                    min_interval_secs: 0,
                    digest_secs: 0,
                },
                NoticePrefs::default_for(NoticeEvent::MessageFailed),
            ],
        };
        let mut th = Throttle::new(NoticeChannel::Desktop);
        let mut round = sent(4);
        round.merge(failed(1));
        round.webhooks_failing = vec!["https://crm.example.com/h".into()];
        th.offer(&p, &round, t(0));
        let due = th.take_due(&p, t(0)).unwrap();
        assert_eq!((due.report.sent, due.report.failed), (4, 1));
        assert_eq!(due.report.webhooks_failing.len(), 1);

        // Held for a digest, then turned off: never told.
        let mut digest = p.clone();
        digest.events[0].digest_secs = 60;
        th.offer(&digest, &sent(2), t(10));
        let off = NoticePrefs::default();
        assert_eq!(th.take_due(&off, t(100)), None);
        assert_eq!(th.take_due(&digest, t(200)), None, "dropped, not kept");
    }

    #[test]
    fn stuck_messages_are_their_own_event() {
        let p = NoticePrefs::default();
        let mut th = Throttle::new(NoticeChannel::Desktop);
        let round = DrainReport {
            stuck: failed(1).failures,
            ..Default::default()
        };
        th.offer(&p, &round, t(0));
        let due = th.take_due(&p, t(0)).unwrap();
        assert_eq!((due.report.stuck.len(), due.report.failed), (1, 0));
        let off = prefs(EventPrefs {
            event: NoticeEvent::MessageStuck,
            channels: vec![],
            min_interval_secs: 0,
            digest_secs: 0,
        });
        th.offer(&off, &round, t(10));
        assert_eq!(th.take_due(&off, t(10)), None);
    }

    #[test]
    fn other_channels_keep_their_own_counts() {
        let p = prefs(EventPrefs {
            event: NoticeEvent::MessageFailed,
            channels: vec![NoticeChannel::Email],
            min_interval_secs: 0,
            digest_secs: 0,
        });
        let mut desktop = Throttle::new(NoticeChannel::Desktop);
        let mut email = Throttle::new(NoticeChannel::Email);
        desktop.offer(&p, &failed(1), t(0));
        email.offer(&p, &failed(1), t(0));
        assert_eq!(desktop.take_due(&p, t(0)), None);
        assert!(email.take_due(&p, t(0)).is_some());
    }

    #[test]
    fn stored_prefs_are_normalized() {
        let p = NoticePrefs {
            stuck_after_minutes: 1,
            events: vec![EventPrefs {
                event: NoticeEvent::MessageSent,
                channels: vec![NoticeChannel::Desktop, NoticeChannel::Desktop],
                min_interval_secs: 999_999,
                digest_secs: 0,
            }],
        };
        let n = p.normalized();
        assert_eq!(n.stuck_after_minutes, 5, "at least five minutes");
        assert_eq!(p.stuck_after(), Duration::minutes(5));
        assert_eq!(n.events.len(), NoticeEvent::ALL.len());
        assert_eq!(n.events[0].channels, vec![NoticeChannel::Desktop]);
        assert_eq!(n.events[0].min_interval_secs, MAX_WINDOW_SECS);
        assert_eq!(
            n.rule(NoticeEvent::MessageFailed),
            NoticePrefs::default_for(NoticeEvent::MessageFailed)
        );
    }

    #[test]
    fn prefs_stored_before_the_stuck_setting_read_fifteen_minutes() {
        let before = r#"{"events":[{"event":"message.stuck","channels":["desktop"],"minIntervalSecs":0,"digestSecs":0}]}"#;
        let p: NoticePrefs = serde_json::from_str(before).unwrap();
        assert_eq!(p.stuck_after_minutes, DEFAULT_STUCK_MINUTES);
        assert_eq!(p.stuck_after(), Duration::minutes(15));
        let later: NoticePrefs = serde_json::from_str(
            &serde_json::to_string(&NoticePrefs {
                stuck_after_minutes: 45,
                ..NoticePrefs::default()
            })
            .unwrap(),
        )
        .unwrap();
        assert_eq!(later.stuck_after(), Duration::minutes(45));
    }
}
