//! What the tray tells the salesperson after the worker sends: one notification per
//! round of sending (or per digest window), never one per message, in the app's
//! language, and only what the Bildirimler settings allow (stored here; the frequency
//! control is `digest`).

use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;
use ulak_core::settings::{self, Language};
use ulak_core::{words, StoreError};

use crate::digest::{Due, NoticeChannel, NoticeEvent, NoticePrefs};
use crate::failure::FailureCode;
use crate::queue::Channel;
use crate::worker::DrainReport;

const KEY: &str = "notifications";

/// Bildirimler: the desktop's master switch and the event × channel matrix with each
/// event's frequency (see `digest`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NoticeSettings {
    /// Desktop notifications at all (the tray's and the system's).
    pub enabled: bool,
    pub prefs: NoticePrefs,
    /// Where the matrix's e-mail column sends (None: nowhere yet).
    #[serde(default)]
    #[specta(optional)]
    pub email: Option<NoticeEmail>,
}

/// Notification e-mails: to the user's own address, through one of their accounts or
/// (no account) into the sandbox, "Test kutusu".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NoticeEmail {
    pub address: String,
    pub account_id: Option<i64>,
}

impl Default for NoticeSettings {
    fn default() -> Self {
        NoticeSettings {
            enabled: true,
            prefs: NoticePrefs::default(),
            email: None,
        }
    }
}

/// How the settings were stored before the matrix: a switch, and "also on success".
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Before {
    enabled: bool,
    on_sent: bool,
}

pub async fn get_settings(pool: &SqlitePool) -> Result<NoticeSettings, StoreError> {
    let Some(v) = settings::get(pool, KEY).await? else {
        return Ok(NoticeSettings::default());
    };
    Ok(read(&v))
}

/// The stored value read: the matrix, or the switches from before it (whose "also on
/// success" becomes message.sent on the desktop), or the defaults.
fn read(v: &str) -> NoticeSettings {
    if let Ok(s) = serde_json::from_str::<NoticeSettings>(v) {
        return NoticeSettings {
            enabled: s.enabled,
            prefs: s.prefs.normalized(),
            email: s.email,
        };
    }
    match serde_json::from_str::<Before>(v) {
        Ok(b) => {
            let mut prefs = NoticePrefs::default();
            if b.on_sent {
                prefs.events = prefs
                    .normalized()
                    .events
                    .into_iter()
                    .map(|mut r| {
                        if r.event == NoticeEvent::MessageSent {
                            r.channels.push(NoticeChannel::Desktop);
                        }
                        r
                    })
                    .collect();
            }
            NoticeSettings {
                enabled: b.enabled,
                prefs,
                email: None,
            }
        }
        Err(_) => NoticeSettings::default(),
    }
}

/// Saves the settings as `get_settings` will read them back (normalized); the
/// notification address is checked (an empty one turns e-mail notifications off).
pub async fn save_settings(
    pool: &SqlitePool,
    s: &NoticeSettings,
) -> Result<NoticeSettings, crate::queue::OutboxError> {
    let email = match &s.email {
        Some(e) if !e.address.trim().is_empty() => Some(NoticeEmail {
            address: ulak_core::validate::email("notifyEmail", &e.address, true)?,
            account_id: e.account_id,
        }),
        _ => None,
    };
    let s = NoticeSettings {
        enabled: s.enabled,
        prefs: s.prefs.normalized(),
        email,
    };
    settings::set(pool, KEY, &serde_json::to_string(&s).expect("plain struct")).await?;
    Ok(s)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Notice {
    pub title: String,
    pub body: String,
}

/// A failure's sentence and its fix, in the app's language.
pub fn failure_words(code: FailureCode, lang: Language) -> (String, String) {
    let key = |part: &str| format!("why.{}.{part}", code.as_str());
    (
        words::text(lang, &key("what"), &[]),
        words::text(lang, &key("fix"), &[]),
    )
}

/// The notification for what is due, if there is anything to say, worded as a digest
/// when it was gathered over a window ("Son 10 dakikada 5 e-posta gönderilemedi").
pub fn say(due: &Due, lang: Language) -> Option<Notice> {
    let n = summarize(&due.report, lang)?;
    let Some(window) = due.window else {
        return Some(n);
    };
    let minutes = ((window.num_seconds() + 30) / 60).max(1).to_string();
    let what = match lang {
        Language::Tr => lower_first_tr(&n.title),
        Language::En => n.title.clone(),
    };
    Some(Notice {
        title: words::text(
            lang,
            "notice.digest",
            &[("minutes", &minutes), ("what", &what)],
        ),
        body: n.body,
    })
}

/// The first letter in lower case, the Turkish way (İ → i, I → ı).
fn lower_first_tr(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some('İ') => format!("i{}", c.as_str()),
        Some('I') => format!("ı{}", c.as_str()),
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// What a report says as one notification, if it says anything: its messages sent
/// and failed, messages retrying for too long, and the webhook endpoints that stopped
/// taking events; the first says the title, each later one adds a line. Which of these
/// the salesperson hears of is the `digest::Throttle`'s business, before this.
pub fn summarize(r: &DrainReport, lang: Language) -> Option<Notice> {
    let mut parts = [
        reconnect(r, lang),
        stopped(r, lang),
        messages(r, lang),
        stuck(r, lang),
        webhooks(r, lang),
        campaigns(r, lang),
        limits(r, lang),
        integrations(r, lang),
    ]
    .into_iter()
    .flatten();
    let first = parts.next()?;
    Some(parts.fold(first, |mut n, p| {
        n.body = format!("{}\n{} — {}", n.body, p.title, p.body);
        n
    }))
}

/// Campaigns that finished, with what went and what did not.
fn campaigns(r: &DrainReport, lang: Language) -> Option<Notice> {
    let first = r.campaigns_finished.first()?;
    let (sent, failed, more) = (
        first.sent.to_string(),
        first.failed.to_string(),
        (r.campaigns_finished.len() - 1).to_string(),
    );
    let w = |key: &str| {
        words::text(
            lang,
            &format!("notice.campaignFinished.{key}"),
            &[
                ("name", first.name.as_str()),
                ("sent", &sent),
                ("failed", &failed),
                ("more", &more),
            ],
        )
    };
    Some(Notice {
        title: w("title"),
        body: match (r.campaigns_finished.len(), first.failed) {
            (1, 0) => w("body"),
            (1, _) => w("bodyFailed"),
            _ => w("manyBody"),
        },
    })
}

/// Integrations newly in trouble: the first one's trouble in words, and its fix.
fn integrations(r: &DrainReport, lang: Language) -> Option<Notice> {
    let first = r.integrations_failing.first()?;
    let (what, fix) = failure_words(first.code, lang);
    let more = (r.integrations_failing.len() - 1).to_string();
    let w = |key: &str| {
        words::text(
            lang,
            &format!("notice.integrationError.{key}"),
            &[
                ("name", first.name.as_str()),
                ("what", &what),
                ("fix", &fix),
                ("more", &more),
            ],
        )
    };
    Some(Notice {
        title: w("title"),
        body: if r.integrations_failing.len() > 1 {
            w("manyBody")
        } else {
            w("body")
        },
    })
}

/// Accounts that reached the user's daily limit today.
fn limits(r: &DrainReport, lang: Language) -> Option<Notice> {
    let address = r.limits_reached.first()?;
    let more = (r.limits_reached.len() - 1).to_string();
    let w = |key: &str| {
        words::text(
            lang,
            &format!("notice.dailyLimit.{key}"),
            &[("address", address.as_str()), ("more", &more)],
        )
    };
    Some(Notice {
        title: w("title"),
        body: if r.limits_reached.len() > 1 {
            w("manyBody")
        } else {
            w("body")
        },
    })
}

/// Accounts whose sign-in was withdrawn: connect again.
fn reconnect(r: &DrainReport, lang: Language) -> Option<Notice> {
    let address = r.reconnect.first()?;
    let more = (r.reconnect.len() - 1).to_string();
    let w = |key: &str| {
        words::text(
            lang,
            &format!("notice.reconnect.{key}"),
            &[("address", address.as_str()), ("more", &more)],
        )
    };
    Some(Notice {
        title: w("title"),
        body: if r.reconnect.len() > 1 {
            w("manyBody")
        } else {
            w("body")
        },
    })
}

/// Accounts Ulak stopped using: their sign-in was refused.
fn stopped(r: &DrainReport, lang: Language) -> Option<Notice> {
    let first = r.stopped.first()?;
    let more = (r.stopped.len() - 1).to_string();
    if let (Some((bounced, total)), 1) = (
        crate::senders::bounce_reason(&first.reason),
        r.stopped.len(),
    ) {
        let share = format!("{:.1}", 100.0 * bounced as f64 / total.max(1) as f64);
        return Some(Notice {
            title: words::text(lang, "notice.stopped.title", &[]),
            body: words::text(
                lang,
                "notice.stopped.bounces",
                &[
                    ("address", first.address.as_str()),
                    ("bounced", &bounced.to_string()),
                    ("total", &total.to_string()),
                    ("share", &share),
                ],
            ),
        });
    }
    let w = |key: &str| {
        words::text(
            lang,
            &format!("notice.stopped.{key}"),
            &[
                ("address", first.address.as_str()),
                ("reason", first.reason.as_str()),
                ("more", &more),
            ],
        )
    };
    Some(Notice {
        title: w("title"),
        body: if r.stopped.len() > 1 {
            w("manyBody")
        } else {
            w("body")
        },
    })
}

/// Webhook endpoints that stopped taking events.
fn webhooks(r: &DrainReport, lang: Language) -> Option<Notice> {
    let url = r.webhooks_failing.first()?;
    let more = (r.webhooks_failing.len() - 1).to_string();
    let hook = |key: &str| {
        words::text(
            lang,
            &format!("notice.webhook.{key}"),
            &[("url", url.as_str()), ("more", &more)],
        )
    };
    Some(Notice {
        title: hook("failing"),
        body: if r.webhooks_failing.len() > 1 {
            hook("failingManyBody")
        } else {
            hook("failingBody")
        },
    })
}

/// Messages retrying for longer than the stuck threshold.
fn stuck(r: &DrainReport, lang: Language) -> Option<Notice> {
    let first = r.stuck.first()?;
    let count = r.stuck.len().to_string();
    let minutes = match r.stuck_minutes {
        0 => crate::digest::DEFAULT_STUCK_MINUTES,
        m => m,
    }
    .to_string();
    let (what, _) = failure_words(first.code, lang);
    let w = |key: &str| {
        words::text(
            lang,
            &format!("notice.stuck.{key}"),
            &[
                ("count", count.as_str()),
                ("minutes", minutes.as_str()),
                ("subject", first.subject.as_str()),
                ("what", what.as_str()),
            ],
        )
    };
    Some(Notice {
        title: if r.stuck.len() == 1 {
            w("one")
        } else {
            w("many")
        },
        body: w("body"),
    })
}

/// The notification for the round's messages, if there is anything to say of them.
fn messages(r: &DrainReport, lang: Language) -> Option<Notice> {
    if r.failed == 0 && r.sent == 0 {
        return None;
    }
    let (sent, failed) = (r.sent.to_string(), r.failed.to_string());
    let w =
        |key: &str, params: &[(&str, &str)]| words::text(lang, &format!("notice.{key}"), params);
    // What the round's messages are called: e-posta, SMS, WhatsApp, or (mixed) ileti.
    let noun = match r.channels.as_slice() {
        [Channel::Sms] => "sms",
        [Channel::Whatsapp] => "whatsapp",
        [Channel::Email] | [] => "email",
        _ => "mixed",
    };
    let n = |key: &str, params: &[(&str, &str)]| w(&format!("{noun}.{key}"), params);
    let first = r.failures.first();
    let (what, fix) = first.map_or_else(
        || (String::new(), String::new()),
        |f| failure_words(f.code, lang),
    );
    Some(match (r.sent, r.failed) {
        (1, 0) => Notice {
            title: n("sentOne", &[]),
            body: r.last_sent.clone().unwrap_or_default(),
        },
        (_, 0) => Notice {
            title: n("sentMany", &[("sent", &sent)]),
            body: w("sentManyBody", &[]),
        },
        (0, 1) => Notice {
            title: n("failedOne", &[]),
            body: w(
                "failedOneBody",
                &[
                    ("subject", first.map_or("", |f| f.subject.as_str())),
                    ("what", &what),
                    ("fix", &fix),
                ],
            ),
        },
        _ => Notice {
            title: n("failedMany", &[("failed", &failed)]),
            body: if r.sent == 0 {
                w("failedNoneSentBody", &[("what", &what)])
            } else {
                w("failedManyBody", &[("sent", &sent), ("what", &what)])
            },
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worker::FailedMessage;

    fn report(sent: u64, failed: u64) -> DrainReport {
        DrainReport {
            sent,
            failed,
            last_sent: Some("Teklif — Öztürk".into()),
            failures: (0..failed.min(5))
                .map(|i| FailedMessage {
                    id: i as i64,
                    subject: format!("Konu {i}"),
                    code: FailureCode::NoSuchRecipient,
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn a_failing_webhook_is_told_alone_or_beside_the_messages() {
        let mut r = DrainReport {
            webhooks_failing: vec!["https://crm.example.com/h".into()],
            ..Default::default()
        };
        let n = summarize(&r, Language::Tr).unwrap();
        assert_eq!(n.title, "Webhook uç noktası yanıt vermiyor");
        assert!(n.body.contains("https://crm.example.com/h"), "{}", n.body);
        r.sent = 1;
        r.last_sent = Some("Teklif".into());
        let n = summarize(&r, Language::En).unwrap();
        assert_eq!(n.title, "E-mail sent");
        assert!(
            n.body
                .starts_with("Teklif\nA webhook endpoint is not answering — "),
            "{}",
            n.body
        );
        assert!(n.body.contains("https://crm.example.com/h"), "{}", n.body);
    }

    #[test]
    fn one_notice_per_round_with_the_reason() {
        let n = summarize(&report(1, 0), Language::Tr).unwrap();
        assert_eq!(
            (n.title.as_str(), n.body.as_str()),
            ("E-posta gönderildi", "Teklif — Öztürk")
        );
        let n = summarize(&report(1000, 0), Language::Tr).unwrap();
        assert_eq!(n.title, "1000 e-posta gönderildi");
        let n = summarize(&report(0, 1), Language::En).unwrap();
        assert_eq!(
            n.body,
            "Konu 0: The recipient's address does not exist. Check the address for a typo."
        );
        let n = summarize(&report(997, 3), Language::Tr).unwrap();
        assert_eq!(n.title, "3 e-posta gönderilemedi");
        assert!(
            n.body
                .starts_with("997 gönderildi. Alıcı adresi bulunamadı. Ayrıntılar"),
            "{}",
            n.body
        );
    }

    #[test]
    fn an_sms_round_says_sms_and_a_mixed_one_says_message() {
        let mut r = report(3, 0);
        r.channels = vec![Channel::Sms];
        assert_eq!(
            summarize(&r, Language::Tr).unwrap().title,
            "3 SMS gönderildi"
        );
        r.channels = vec![Channel::Whatsapp];
        assert_eq!(
            summarize(&r, Language::Tr).unwrap().title,
            "3 WhatsApp iletisi gönderildi"
        );
        r.channels = vec![Channel::Sms, Channel::Email];
        assert_eq!(
            summarize(&r, Language::Tr).unwrap().title,
            "3 ileti gönderildi"
        );
        assert_eq!(
            summarize(&r, Language::En).unwrap().title,
            "3 messages sent"
        );
    }

    #[test]
    fn every_failure_code_has_words_in_both_languages() {
        for code in FailureCode::ALL {
            for part in ["what", "fix"] {
                let key = format!("why.{}.{part}", code.as_str());
                assert!(words::has(&key), "{key} missing in a dictionary");
            }
            let (tr, _) = failure_words(code, Language::Tr);
            let (en, _) = failure_words(code, Language::En);
            assert_ne!(tr, en, "{code:?} is translated");
        }
    }

    #[test]
    fn an_empty_report_says_nothing_and_a_digest_says_its_window() {
        assert_eq!(summarize(&report(0, 0), Language::Tr), None);
        let due = Due {
            report: report(0, 5),
            window: Some(chrono::Duration::seconds(600)),
        };
        let n = say(&due, Language::Tr).unwrap();
        assert_eq!(n.title, "Son 10 dakikada 5 e-posta gönderilemedi");
        assert!(
            n.body.starts_with("Alıcı adresi bulunamadı. Ayrıntılar"),
            "{}",
            n.body
        );
        let mut one = report(0, 1);
        one.channels = vec![Channel::Sms, Channel::Email];
        let n = say(
            &Due {
                report: one,
                window: Some(chrono::Duration::seconds(60)),
            },
            Language::Tr,
        )
        .unwrap();
        assert_eq!(
            n.title, "Son 1 dakikada ileti gönderilemedi",
            "İ lowered the Turkish way"
        );
        let n = say(
            &Due {
                report: report(0, 2),
                window: Some(chrono::Duration::seconds(3600)),
            },
            Language::En,
        )
        .unwrap();
        assert_eq!(n.title, "In the last 60 minutes: 2 e-mails not sent");
        let at_once = say(
            &Due {
                report: report(0, 2),
                window: None,
            },
            Language::Tr,
        )
        .unwrap();
        assert_eq!(at_once.title, "2 e-posta gönderilemedi");
    }

    #[test]
    fn stuck_messages_say_how_long_and_why() {
        let mut r = DrainReport {
            stuck: report(0, 2).failures,
            ..Default::default()
        };
        let n = summarize(&r, Language::Tr).unwrap();
        assert_eq!(
            n.title, "2 ileti 15 dakikadır gönderilemiyor",
            "the default"
        );
        r.stuck_minutes = 60;
        let n = summarize(&r, Language::Tr).unwrap();
        assert_eq!(
            n.title, "2 ileti 60 dakikadır gönderilemiyor",
            "the user's threshold"
        );
        assert!(
            n.body.starts_with("Konu 0: Alıcı adresi bulunamadı."),
            "{}",
            n.body
        );
        r.stuck.truncate(1);
        r.failed = 1;
        r.failures = report(0, 1).failures;
        let n = summarize(&r, Language::En).unwrap();
        assert_eq!(n.title, "E-mail not sent");
        assert!(
            n.body
                .contains("\nA message not sent for 60 minutes — Konu 0"),
            "{}",
            n.body
        );
    }

    #[test]
    fn settings_from_before_the_matrix_are_carried_over() {
        let s = read(r#"{"enabled":false,"onSent":true}"#);
        assert!(!s.enabled);
        assert!(s
            .prefs
            .wants(NoticeEvent::MessageSent, NoticeChannel::Desktop));
        assert!(s
            .prefs
            .wants(NoticeEvent::MessageFailed, NoticeChannel::Desktop));
        let s = read(r#"{"enabled":true,"onSent":false}"#);
        assert!(!s
            .prefs
            .wants(NoticeEvent::MessageSent, NoticeChannel::Desktop));
        assert_eq!(read("garbled"), NoticeSettings::default());
        let d = NoticeSettings::default();
        assert!(
            d.enabled
                && !d
                    .prefs
                    .wants(NoticeEvent::MessageSent, NoticeChannel::Desktop)
        );
        let round = read(&serde_json::to_string(&d).unwrap());
        assert_eq!(round, d);
    }

    #[test]
    fn a_finished_campaign_and_a_full_account_are_told_with_their_numbers() {
        let mut r = DrainReport {
            campaigns_finished: vec![crate::worker::FinishedCampaign {
                name: "Bahar Kampanyası".into(),
                sent: 98,
                failed: 2,
            }],
            ..Default::default()
        };
        let n = summarize(&r, Language::Tr).unwrap();
        assert_eq!(n.title, "Kampanya bitti");
        assert!(
            n.body.contains("«Bahar Kampanyası»")
                && n.body.contains("98")
                && n.body.contains("2 ileti gönderilemedi"),
            "{}",
            n.body
        );
        r.campaigns_finished[0].failed = 0;
        assert!(!summarize(&r, Language::En)
            .unwrap()
            .body
            .contains("could not"));
        r.limits_reached = vec!["satis@firma.com.tr".into(), "destek@firma.com.tr".into()];
        let n = summarize(&r, Language::Tr).unwrap();
        assert!(
            n.body
                .contains("Günlük sınıra ulaşıldı — satis@firma.com.tr ve 1 hesap daha"),
            "{}",
            n.body
        );
    }
}
