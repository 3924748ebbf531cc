//! What a drain (a round of the worker) did, as one report the CLI prints, the window
//! shows and Bildirimler tells from: counts, the last subject, failures, and what the
//! notifier adds (stuck messages, accounts to reconnect or stopped, campaigns finished,
//! daily limits reached, integrations in trouble).

use serde::Serialize;

use crate::failure::FailureCode;
use crate::queue::Channel;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DrainReport {
    pub sent: u64,
    pub failed: u64,
    pub retrying: u64,
    /// Not sent because a recipient is on the suppression list (failed as
    /// `suppressed`, not counted in `failed`).
    pub skipped: u64,
    /// Sending is paused (tray, app or `ulak outbox pause`): nothing was claimed after that.
    pub paused: bool,
    /// The subject of the last message sent, for a one-message notification.
    pub last_sent: Option<String>,
    /// The channels of the messages this round finished, each once (the notification
    /// says "e-posta", "SMS" or, mixed, "ileti").
    pub channels: Vec<Channel>,
    /// Up to five messages given up as failed, with why.
    pub failures: Vec<FailedMessage>,
    /// Webhook endpoints (their URLs) whose deliveries were given up this round after a
    /// day of failures: told once, as the endpoint failing.
    pub webhooks_failing: Vec<String>,
    /// Messages retrying for longer than the stuck threshold (Bildirimler's setting),
    /// told once each (filled by the notifier from `stuck`, not by a drain).
    pub stuck: Vec<FailedMessage>,
    /// That threshold in minutes, for the notification's words (0: not filled).
    pub stuck_minutes: u32,
    /// Accounts (their addresses) whose sign-in the provider withdrew: they send
    /// nothing until connected again. Told once each (filled by the notifier).
    pub reconnect: Vec<String>,
    /// Accounts Ulak stopped using (a refused sign-in), with the provider's words:
    /// their messages wait until they are mended and tested. Told once each (filled by
    /// the notifier from `senders::untold_errors`).
    pub stopped: Vec<StoppedAccount>,
    /// Campaigns that finished (every message sent or failed). Told once each (filled
    /// by the notifier from `campaigns::untold_finished`).
    pub campaigns_finished: Vec<FinishedCampaign>,
    /// Accounts (their addresses) that reached the user's daily limit today: the rest
    /// waits for local midnight. Told once a day each (`senders::untold_limits`).
    pub limits_reached: Vec<String>,
    /// Integrations (SMS, WhatsApp, chat) newly in trouble: their name and the
    /// trouble's code. Told once each (`integrations::untold_errors`).
    pub integrations_failing: Vec<FailingIntegration>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FailingIntegration {
    pub name: String,
    pub code: FailureCode,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FinishedCampaign {
    pub name: String,
    pub sent: u32,
    pub failed: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct StoppedAccount {
    pub address: String,
    pub reason: String,
}

impl DrainReport {
    /// Adds a later report (another pass or round) to this one: counts summed, the
    /// later state and last subject, channels once, at most five failures.
    pub fn merge(&mut self, later: DrainReport) {
        self.sent += later.sent;
        self.failed += later.failed;
        self.retrying += later.retrying;
        self.skipped += later.skipped;
        self.paused = later.paused;
        if later.last_sent.is_some() {
            self.last_sent = later.last_sent;
        }
        for c in later.channels {
            if !self.channels.contains(&c) {
                self.channels.push(c);
            }
        }
        let room = 5usize.saturating_sub(self.failures.len());
        self.failures.extend(later.failures.into_iter().take(room));
        if later.stuck_minutes > 0 {
            self.stuck_minutes = later.stuck_minutes;
        }
        let room = 5usize.saturating_sub(self.stuck.len());
        self.stuck.extend(later.stuck.into_iter().take(room));
        for url in later.webhooks_failing {
            if !self.webhooks_failing.contains(&url) {
                self.webhooks_failing.push(url);
            }
        }
        for address in later.reconnect {
            if !self.reconnect.contains(&address) {
                self.reconnect.push(address);
            }
        }
        for s in later.stopped {
            if !self.stopped.contains(&s) {
                self.stopped.push(s);
            }
        }
        for c in later.campaigns_finished {
            if !self.campaigns_finished.contains(&c) {
                self.campaigns_finished.push(c);
            }
        }
        for a in later.limits_reached {
            if !self.limits_reached.contains(&a) {
                self.limits_reached.push(a);
            }
        }
        for i in later.integrations_failing {
            if !self.integrations_failing.contains(&i) {
                self.integrations_failing.push(i);
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FailedMessage {
    pub id: i64,
    pub subject: String,
    pub code: FailureCode,
}
