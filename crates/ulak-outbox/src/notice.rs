//! What the tray tells the salesperson after the worker sends: one notification per
//! round of sending, never one per message, in the app's language, and only what the
//! Bildirimler settings allow.

use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;
use ulak_core::settings::{self, Language};
use ulak_core::StoreError;

use crate::why::why;
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

/// The notification for one round of sending, if there is anything to say.
pub fn summarize(r: &DrainReport, lang: Language, s: NoticeSettings) -> Option<Notice> {
    if !s.enabled || (r.failed == 0 && (r.sent == 0 || !s.on_sent)) {
        return None;
    }
    let tr = lang == Language::Tr;
    let one_failure = r.failures.first();
    Some(match (r.sent, r.failed) {
        (1, 0) => Notice {
            title: if tr {
                "E-posta gönderildi"
            } else {
                "E-mail sent"
            }
            .into(),
            body: r.last_sent.clone().unwrap_or_default(),
        },
        (n, 0) => Notice {
            title: if tr {
                format!("{n} e-posta gönderildi")
            } else {
                format!("{n} e-mails sent")
            },
            body: if tr {
                "Ayrıntılar Gönderim Geçmişi'nde.".into()
            } else {
                "Details are in the send history.".into()
            },
        },
        (0, 1) => {
            let (_, subject, reason) = one_failure.cloned().unwrap_or_default();
            Notice {
                title: if tr {
                    "E-posta gönderilemedi"
                } else {
                    "E-mail not sent"
                }
                .into(),
                body: {
                    let (what, fix) = why(&reason).words(lang);
                    format!("{subject}: {what}. {fix}")
                },
            }
        }
        (sent, failed) => Notice {
            title: if tr {
                format!("{failed} e-posta gönderilemedi")
            } else {
                format!("{failed} e-mails not sent")
            },
            body: {
                let head = if tr {
                    format!("{sent} gönderildi. ")
                } else {
                    format!("{sent} sent. ")
                };
                let reason = one_failure
                    .map(|f| format!("{}.", why(&f.2).words(lang).0))
                    .unwrap_or_default();
                let tail = if tr {
                    "Ayrıntılar ve yeniden deneme Gönderim Geçmişi'nde."
                } else {
                    "Details and retry are in the send history."
                };
                format!("{head}{reason} {tail}")
            },
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(sent: u64, failed: u64) -> DrainReport {
        DrainReport {
            sent,
            failed,
            last_sent: Some("Teklif — Öztürk".into()),
            failures: (0..failed.min(5))
                .map(|i| {
                    (
                        i as i64,
                        format!("Konu {i}"),
                        "550 5.1.1 no such user".into(),
                    )
                })
                .collect(),
            ..Default::default()
        }
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
