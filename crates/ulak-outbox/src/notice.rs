//! What the tray tells the salesperson after the worker sends: one notification per
//! round of sending, never one per message, in the app's language, and only what the
//! Bildirimler settings allow.

use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;
use ulak_core::settings::{self, Language};
use ulak_core::{words, StoreError};

use crate::failure::FailureCode;
use crate::queue::Channel;
use crate::worker::DrainReport;

const KEY: &str = "notifications";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NoticeSettings {
    /// Desktop notifications at all.
    pub enabled: bool,
    /// Also when everything went well (failures are always told while enabled).
    pub on_sent: bool,
}

impl Default for NoticeSettings {
    fn default() -> Self {
        NoticeSettings {
            enabled: true,
            on_sent: true,
        }
    }
}

pub async fn get_settings(pool: &SqlitePool) -> Result<NoticeSettings, StoreError> {
    Ok(settings::get(pool, KEY)
        .await?
        .and_then(|v| serde_json::from_str(&v).ok())
        .unwrap_or_default())
}

pub async fn save_settings(pool: &SqlitePool, s: NoticeSettings) -> Result<(), StoreError> {
    settings::set(pool, KEY, &serde_json::to_string(&s).expect("plain struct")).await
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

/// The notification for one round of sending, if there is anything to say.
pub fn summarize(r: &DrainReport, lang: Language, s: NoticeSettings) -> Option<Notice> {
    if !s.enabled {
        return None;
    }
    let messages = messages(r, lang, s);
    let Some(url) = r.webhooks_failing.first() else {
        return messages;
    };
    let more = (r.webhooks_failing.len() - 1).to_string();
    let hook = |key: &str| {
        words::text(
            lang,
            &format!("notice.webhook.{key}"),
            &[("url", url.as_str()), ("more", &more)],
        )
    };
    let body = if r.webhooks_failing.len() > 1 {
        hook("failingManyBody")
    } else {
        hook("failingBody")
    };
    Some(match messages {
        Some(n) => Notice {
            title: n.title,
            body: format!("{}\n{body}", n.body),
        },
        None => Notice {
            title: hook("failing"),
            body,
        },
    })
}

/// The notification for the round's messages, if there is anything to say of them.
fn messages(r: &DrainReport, lang: Language, s: NoticeSettings) -> Option<Notice> {
    if r.failed == 0 && (r.sent == 0 || !s.on_sent) {
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
            body: w("failedManyBody", &[("sent", &sent), ("what", &what)]),
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
        let s = NoticeSettings::default();
        let mut r = DrainReport {
            webhooks_failing: vec!["https://crm.example.com/h".into()],
            ..Default::default()
        };
        let n = summarize(&r, Language::Tr, s).unwrap();
        assert_eq!(n.title, "Webhook uç noktası yanıt vermiyor");
        assert!(n.body.contains("https://crm.example.com/h"), "{}", n.body);
        r.sent = 1;
        r.last_sent = Some("Teklif".into());
        let n = summarize(&r, Language::En, s).unwrap();
        assert_eq!(n.title, "E-mail sent");
        assert!(n.body.starts_with("Teklif\n"), "{}", n.body);
        assert!(n.body.contains("https://crm.example.com/h"), "{}", n.body);
        let off = NoticeSettings {
            enabled: false,
            on_sent: true,
        };
        assert_eq!(summarize(&r, Language::Tr, off), None);
    }

    #[test]
    fn one_notice_per_round_with_the_reason() {
        let s = NoticeSettings::default();
        let n = summarize(&report(1, 0), Language::Tr, s).unwrap();
        assert_eq!(
            (n.title.as_str(), n.body.as_str()),
            ("E-posta gönderildi", "Teklif — Öztürk")
        );
        let n = summarize(&report(1000, 0), Language::Tr, s).unwrap();
        assert_eq!(n.title, "1000 e-posta gönderildi");
        let n = summarize(&report(0, 1), Language::En, s).unwrap();
        assert_eq!(
            n.body,
            "Konu 0: The recipient's address does not exist. Check the address for a typo."
        );
        let n = summarize(&report(997, 3), Language::Tr, s).unwrap();
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
        let s = NoticeSettings::default();
        let mut r = report(3, 0);
        r.channels = vec![Channel::Sms];
        assert_eq!(
            summarize(&r, Language::Tr, s).unwrap().title,
            "3 SMS gönderildi"
        );
        r.channels = vec![Channel::Whatsapp];
        assert_eq!(
            summarize(&r, Language::Tr, s).unwrap().title,
            "3 WhatsApp iletisi gönderildi"
        );
        r.channels = vec![Channel::Sms, Channel::Email];
        assert_eq!(
            summarize(&r, Language::Tr, s).unwrap().title,
            "3 ileti gönderildi"
        );
        assert_eq!(
            summarize(&r, Language::En, s).unwrap().title,
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
    fn settings_silence_what_the_user_turned_off() {
        let off = NoticeSettings {
            enabled: false,
            on_sent: true,
        };
        assert_eq!(summarize(&report(0, 4), Language::Tr, off), None);
        let failures_only = NoticeSettings {
            enabled: true,
            on_sent: false,
        };
        assert_eq!(summarize(&report(5, 0), Language::Tr, failures_only), None);
        assert!(summarize(&report(5, 1), Language::Tr, failures_only).is_some());
        assert_eq!(
            summarize(&report(0, 0), Language::Tr, NoticeSettings::default()),
            None
        );
    }
}
