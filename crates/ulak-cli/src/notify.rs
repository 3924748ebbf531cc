//! `ulak notify prefs …`: Bildirimler's matrix (which events reach which channel) and
//! each event's frequency: at once, at most every so often, or as a digest.

use clap::Subcommand;
use sqlx::SqlitePool;
use ulak_core::{ErrorCode, ErrorPayload};
use ulak_outbox::digest::{NoticeChannel, NoticeEvent};
use ulak_outbox::notice;

use crate::{payload, print_json};

#[derive(Subcommand)]
pub enum NotifyCmd {
    /// Which events are told where, and how often
    Prefs {
        #[command(subcommand)]
        action: PrefsCmd,
    },
    /// Where the e-mail column sends: your address, through an account (--account) or
    /// into the test box (--sandbox); --off stops e-mail notifications
    Email {
        #[arg(long, required_unless_present = "off")]
        address: Option<String>,
        #[arg(long, conflicts_with = "sandbox")]
        account: Option<i64>,
        #[arg(long)]
        sandbox: bool,
        #[arg(long, conflicts_with_all = ["address", "account", "sandbox"])]
        off: bool,
    },
}

#[derive(Subcommand)]
pub enum PrefsCmd {
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Change one event's row (or only the desktop switch): `ulak notify prefs set
    /// message.failed --channels desktop --digest 10m`
    Set {
        /// message.sent, message.failed or webhook.failing
        event: Option<String>,
        /// Where it is told, comma separated: desktop, email, slack, telegram; or none
        #[arg(long, value_delimiter = ',')]
        channels: Option<Vec<String>>,
        /// At least this long between two notifications (e.g. 5m; 0 for no limit)
        #[arg(long, value_name = "DURATION")]
        every: Option<String>,
        /// Gather for this long, then tell once (e.g. 10m; 0 for no digest)
        #[arg(long, value_name = "DURATION")]
        digest: Option<String>,
        /// Desktop notifications at all
        #[arg(long, value_name = "on|off")]
        desktop: Option<String>,
        /// A message retrying this long is told as stuck (message.stuck): 5 to 1440
        /// minutes, 15 by default
        #[arg(long, value_name = "MINUTES")]
        stuck_after_minutes: Option<u32>,
    },
}

#[derive(Debug, thiserror::Error)]
enum NotifyError {
    #[error("no event {0:?}")]
    Event(String),
    #[error("no channel {0:?}")]
    Channel(String),
    #[error("{0:?} is not a duration")]
    Duration(String),
    #[error("{0:?} is neither on nor off")]
    Switch(String),
}

impl ulak_core::UserFacing for NotifyError {
    fn code(&self) -> ErrorCode {
        ErrorCode::ValidationChoice
    }
    fn hint(&self) -> Option<String> {
        Some(match self {
            NotifyError::Event(_) => {
                "Events: message.sent, message.failed, webhook.failing.".into()
            }
            NotifyError::Channel(_) => "Channels: desktop, email, slack, telegram, or none.".into(),
            NotifyError::Duration(_) => "Write it as 90s, 10m or 1h (at most 24h), or 0.".into(),
            NotifyError::Switch(_) => "Write on or off.".into(),
        })
    }
}

fn event(s: &str) -> Result<NoticeEvent, NotifyError> {
    serde_json::from_value(serde_json::Value::String(s.to_string()))
        .map_err(|_| NotifyError::Event(s.into()))
}

fn channel(s: &str) -> Result<NoticeChannel, NotifyError> {
    serde_json::from_value(serde_json::Value::String(s.trim().to_string()))
        .map_err(|_| NotifyError::Channel(s.into()))
}

/// "0", "90s", "10m", "1h" (at most a day) in seconds.
fn duration(s: &str) -> Result<u32, NotifyError> {
    let bad = || NotifyError::Duration(s.into());
    let t = s.trim();
    let (n, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let n: u32 = n.parse().map_err(|_| bad())?;
    let secs = match unit {
        "" | "s" => Some(n),
        "m" => n.checked_mul(60),
        "h" => n.checked_mul(3600),
        _ => None,
    }
    .ok_or_else(bad)?;
    if secs > ulak_outbox::digest::MAX_WINDOW_SECS {
        return Err(bad());
    }
    Ok(secs)
}

fn every(secs: u32) -> String {
    match secs {
        0 => "-".into(),
        s if s % 3600 == 0 => format!("{}h", s / 3600),
        s if s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

pub async fn run(pool: &SqlitePool, cmd: NotifyCmd) -> Result<(), ErrorPayload> {
    let mut s = notice::get_settings(pool).await.map_err(|e| payload(&e))?;
    let action = match cmd {
        NotifyCmd::Prefs { action } => action,
        NotifyCmd::Email {
            address,
            account,
            sandbox: _,
            off,
        } => {
            s.email = (!off).then(|| notice::NoticeEmail {
                address: address.unwrap_or_default(),
                account_id: account,
            });
            let saved = notice::save_settings(pool, &s)
                .await
                .map_err(|e| payload(&e))?;
            match saved.email {
                Some(e) => println!(
                    "notifications by e-mail go to {} ({})",
                    e.address,
                    e.account_id
                        .map_or_else(|| "test box".to_string(), |id| format!("account {id}"))
                ),
                None => println!("no notifications by e-mail"),
            }
            return Ok(());
        }
    };
    match action {
        PrefsCmd::Show { json } => {
            if json {
                print_json(&s);
                return Ok(());
            }
            println!(
                "desktop notifications: {}",
                if s.enabled { "on" } else { "off" }
            );
            println!(
                "{:<16} {:<26} {:>6} {:>7}",
                "event", "channels", "every", "digest"
            );
            for r in &s.prefs.events {
                let channels: Vec<String> = r
                    .channels
                    .iter()
                    .map(|c| {
                        serde_json::to_value(c)
                            .expect("a string")
                            .as_str()
                            .unwrap_or_default()
                            .to_string()
                    })
                    .collect();
                let name = serde_json::to_value(r.event).expect("a string");
                println!(
                    "{:<16} {:<26} {:>6} {:>7}",
                    name.as_str().unwrap_or_default(),
                    if channels.is_empty() {
                        "none".into()
                    } else {
                        channels.join(",")
                    },
                    every(r.min_interval_secs),
                    every(r.digest_secs)
                );
            }
        }
        PrefsCmd::Set {
            event: name,
            channels,
            every,
            digest,
            desktop,
            stuck_after_minutes,
        } => {
            if let Some(m) = stuck_after_minutes {
                if !ulak_outbox::digest::STUCK_MINUTES_RANGE.contains(&m) {
                    return Err(payload(&ulak_core::validate::ValidationError::Range {
                        field: "stuckAfterMinutes",
                        min: 5,
                        max: 1440,
                    }));
                }
                s.prefs.stuck_after_minutes = m;
            }
            if let Some(d) = desktop {
                s.enabled = match d.as_str() {
                    "on" => true,
                    "off" => false,
                    _ => return Err(payload(&NotifyError::Switch(d))),
                };
            }
            if let Some(name) = name {
                let e = event(&name).map_err(|e| payload(&e))?;
                let mut row = s.prefs.rule(e);
                if let Some(list) = channels {
                    row.channels = list
                        .iter()
                        .filter(|c| c.trim() != "none" && !c.trim().is_empty())
                        .map(|c| channel(c))
                        .collect::<Result<_, _>>()
                        .map_err(|e| payload(&e))?;
                }
                if let Some(v) = every {
                    row.min_interval_secs = duration(&v).map_err(|e| payload(&e))?;
                }
                if let Some(v) = digest {
                    row.digest_secs = duration(&v).map_err(|e| payload(&e))?;
                }
                s.prefs.events.retain(|r| r.event != e);
                s.prefs.events.push(row);
            }
            notice::save_settings(pool, &s)
                .await
                .map_err(|e| payload(&e))?;
            println!("notification preferences saved");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(duration("0").unwrap(), 0);
        assert_eq!(duration("90s").unwrap(), 90);
        assert_eq!(duration("10m").unwrap(), 600);
        assert_eq!(duration("24h").unwrap(), 86_400);
        for bad in ["25h", "10 dakika", "m", "-5m", ""] {
            assert!(duration(bad).is_err(), "{bad}");
        }
        assert_eq!(every(600), "10m");
        assert_eq!(every(0), "-");
    }

    #[test]
    fn names_are_the_stored_ones() {
        assert_eq!(event("message.failed").unwrap(), NoticeEvent::MessageFailed);
        assert!(event("deal.won").is_err());
        assert_eq!(channel("desktop").unwrap(), NoticeChannel::Desktop);
        assert!(channel("sms").is_err());
    }
}
