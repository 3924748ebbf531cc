//! Notifications to Telegram through the outbox: failures set to go to Telegram as a
//! one-minute digest, two rounds with failures inside the minute, and one chat message
//! when the minute is over, queued to the workspace's Telegram integration and sent to
//! the Telegram-shaped server. The clock is given, so nothing sleeps.

use std::collections::BTreeMap;

use chrono::{Duration, Utc};
use ulak_api::outbox::Notifier;
use ulak_channels::integrations::IntegrationInput;
use ulak_channels::testing::{FakeProvider, TELEGRAM_TOKEN};
use ulak_core::testing::temp_store;
use ulak_core::workspace;
use ulak_outbox::digest::{EventPrefs, NoticeChannel, NoticeEvent};
use ulak_outbox::failure::FailureCode;
use ulak_outbox::notice::{self, NoticeSettings};
use ulak_outbox::worker::{DrainOptions, DrainReport, FailedMessage};
use ulak_outbox::Channel;

fn failed(n: u64) -> DrainReport {
    DrainReport {
        failed: n,
        channels: vec![Channel::Email],
        failures: vec![FailedMessage {
            id: 1,
            subject: "Teklif — Öztürk Gıda".into(),
            code: FailureCode::SignIn,
        }],
        ..Default::default()
    }
}

#[tokio::test]
async fn a_digest_of_failures_goes_to_telegram_once() {
    let tg = FakeProvider::telegram();
    let d = tempfile::tempdir().unwrap();
    let s = temp_store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    ulak_api::integrations::save(
        p,
        ws,
        Channel::Chat,
        "telegram",
        &IntegrationInput {
            values: BTreeMap::from([
                ("chatId".to_string(), "-1001234567890".to_string()),
                ("botToken".to_string(), TELEGRAM_TOKEN.to_string()),
            ]),
            base_url: Some(tg.base.clone()),
            rate_per_second: None,
        },
    )
    .await
    .unwrap();
    let mut settings = NoticeSettings::default();
    settings.prefs.events = vec![EventPrefs {
        event: NoticeEvent::MessageFailed,
        channels: vec![NoticeChannel::Telegram],
        min_interval_secs: 0,
        digest_secs: 60,
    }];
    notice::save_settings(p, &settings).await.unwrap();

    let t0 = Utc::now();
    let mut n = Notifier::default();
    assert_eq!(
        n.after_round(p, &failed(2), t0).await,
        None,
        "not on the desktop"
    );
    assert_eq!(
        n.after_round(p, &failed(1), t0 + Duration::seconds(30))
            .await,
        None
    );
    assert_eq!(n.next_due(p).await, Some(t0 + Duration::seconds(60)));
    assert_eq!(n.tick(p, t0 + Duration::seconds(59)).await, None);
    let report = ulak_api::outbox::drain(p, s.data_dir(), "t", DrainOptions::default(), |_, _| {})
        .await
        .unwrap();
    assert_eq!(report.sent, 0, "nothing queued before the minute is over");
    n.tick(p, t0 + Duration::seconds(60)).await;
    assert_eq!(n.next_due(p).await, None);
    let report = ulak_api::outbox::drain(p, s.data_dir(), "t", DrainOptions::default(), |_, _| {})
        .await
        .unwrap();
    assert_eq!(report.sent, 0, "a notification is not counted as a message");

    let posts: Vec<_> = tg
        .requests()
        .into_iter()
        .filter(|r| r["method"] == "POST")
        .collect();
    assert_eq!(posts.len(), 1, "one message for the three failures");
    assert_eq!(posts[0]["problems"], serde_json::json!([]));
    let text = posts[0]["body"]["text"].as_str().unwrap();
    assert!(
        text.starts_with("Son 1 dakikada 3 e-posta gönderilemedi\n"),
        "{text}"
    );
    assert!(text.contains("Sunucu girişi kabul etmedi"), "{text}");
}

#[tokio::test]
async fn a_message_retrying_past_the_threshold_is_told_once_and_again_after_a_retry_by_hand() {
    let d = tempfile::tempdir().unwrap();
    let s = temp_store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let m = ulak_channels::sms::build(
        &ulak_channels::sms::SmsDraft {
            to: "0532 123 45 67".into(),
            text: "Teklif hatırlatma — Işıl Hanım".into(),
            ..Default::default()
        },
        Utc::now(),
    )
    .unwrap();
    let id = ulak_outbox::queue::enqueue(p, ws, &m, Utc::now())
        .await
        .unwrap();
    let stuck_since = |ago: i64| {
        let at = ulak_outbox::queue::timestamp(Utc::now() - Duration::minutes(ago));
        sqlx::query(
            "UPDATE messages SET state = 'retry', attempts = 3, last_code = 'unreachable',
                created_at = ?2, next_attempt_at = '2999-01-01T00:00:00.000Z' WHERE id = ?1",
        )
        .bind(id)
        .bind(at)
        .execute(p)
    };
    let mut n = Notifier::default();

    stuck_since(10).await.unwrap();
    assert_eq!(
        n.tick(p, Utc::now()).await,
        None,
        "ten minutes is not stuck yet (15 by default)"
    );
    stuck_since(16).await.unwrap();
    let told = n.tick(p, Utc::now()).await.expect("told");
    assert_eq!(told.title, "Bir ileti 15 dakikadır gönderilemiyor");
    assert!(
        told.body.starts_with("Teklif hatırlatma — Işıl Hanım: "),
        "{}",
        told.body
    );
    assert_eq!(n.tick(p, Utc::now()).await, None, "told once");

    // Retried by hand, stuck again: told again, after the threshold the user set.
    let mut longer = NoticeSettings::default();
    longer.prefs.stuck_after_minutes = 60;
    notice::save_settings(p, &longer).await.unwrap();
    ulak_outbox::history::retry(p, ws, id).await.unwrap();
    stuck_since(30).await.unwrap();
    assert_eq!(n.tick(p, Utc::now()).await, None, "within the hour set");
    stuck_since(90).await.unwrap();
    let told = n.tick(p, Utc::now()).await.expect("told again");
    assert_eq!(told.title, "Bir ileti 60 dakikadır gönderilemiyor");

    // Turned off: not told (and not kept for later).
    let mut settings = NoticeSettings::default();
    settings.prefs.events = vec![EventPrefs {
        event: NoticeEvent::MessageStuck,
        channels: vec![],
        min_interval_secs: 0,
        digest_secs: 0,
    }];
    notice::save_settings(p, &settings).await.unwrap();
    ulak_outbox::history::retry(p, ws, id).await.unwrap();
    stuck_since(90).await.unwrap();
    assert_eq!(n.tick(p, Utc::now()).await, None);
}

#[tokio::test]
async fn an_account_stopped_for_a_refused_password_is_told_once_with_the_fix() {
    use ulak_outbox::senders::{self, Ceilings, Key, Status};
    let d = tempfile::tempdir().unwrap();
    let s = temp_store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let key = Key {
        channel: Channel::Email,
        account_id: 7,
    };
    let mut c = p.acquire().await.unwrap();
    senders::register(
        &mut c,
        ws,
        key,
        "gülşen@firma.com.tr",
        Ceilings::default(),
        Utc::now(),
    )
    .await
    .unwrap();
    drop(c);
    let m = ulak_outbox::NewMessage {
        channel: Channel::Email,
        provider: "smtp".into(),
        account_id: Some(7),
        company_id: None,
        reference: "<r@firma.com.tr>".into(),
        idempotency_key: "k-stopped".into(),
        sender: "gülşen@firma.com.tr".into(),
        recipients: vec!["ali@musteri.com.tr".into()],
        to_display: "ali@musteri.com.tr".into(),
        subject: "Teklif".into(),
        attachment_count: 0,
        payload: b"Subject: Teklif\r\n\r\nMerhaba\r\n".to_vec(),
    };
    let id = ulak_outbox::queue::enqueue(p, ws, &m, Utc::now())
        .await
        .unwrap();
    ulak_outbox::queue::claim_due(p, "w", Utc::now(), std::time::Duration::from_secs(60), 5)
        .await
        .unwrap();
    let refused = ulak_outbox::Failure {
        kind: ulak_outbox::Kind::SignIn,
        code: FailureCode::SignIn,
        text: "535 5.7.8 Authentication failed".into(),
        retry_after: None,
    };
    ulak_outbox::queue::complete(
        p,
        "w",
        &[(id, ulak_outbox::Outcome::Failed(refused))],
        Utc::now(),
        1.0,
    )
    .await
    .unwrap();
    assert_eq!(
        senders::get(p, key).await.unwrap().unwrap().status,
        Status::Error
    );
    let mut n = Notifier::default();
    let told = n.tick(p, Utc::now()).await.expect("told");
    assert_eq!(told.title, "Ulak bir hesabı durdurdu");
    assert!(told.body.contains("gülşen@firma.com.tr"), "{}", told.body);
    assert!(told.body.contains("535 5.7.8"), "{}", told.body);
    assert!(told.body.contains("Bağlantıyı Test Et"), "{}", told.body);
    assert_eq!(n.tick(p, Utc::now()).await, None, "told once");
}

#[tokio::test]
async fn an_integration_in_trouble_is_told_once_until_mended_and_broken_again() {
    use ulak_outbox::failure::{Failure, Kind};
    let d = tempfile::tempdir().unwrap();
    let s = temp_store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let i = ulak_api::integrations::save(
        p,
        ws,
        Channel::Sms,
        "twilio",
        &IntegrationInput {
            values: BTreeMap::from([
                (
                    "accountSid".to_string(),
                    "AC0123456789abcdef0123456789abcdef".to_string(),
                ),
                ("from".to_string(), "+15005550006".to_string()),
                ("authToken".to_string(), "not-a-real-token".to_string()),
            ]),
            base_url: Some("http://127.0.0.1:9".into()),
            rate_per_second: None,
        },
    )
    .await
    .unwrap();
    let refused = Failure::new(
        Kind::SignIn,
        FailureCode::SignIn,
        "Twilio 20003: Authenticate",
    );
    let t0 = Utc::now();
    let mut n = Notifier::default();
    ulak_channels::integrations::record(p, ws, i.id, Err(&refused))
        .await
        .unwrap();
    let told = n
        .after_round(p, &DrainReport::default(), t0)
        .await
        .expect("told");
    assert_eq!(told.title, "Entegrasyon hata veriyor");
    assert!(told.body.starts_with("Twilio"), "{}", told.body);
    // The same trouble again: not told twice.
    ulak_channels::integrations::record(p, ws, i.id, Err(&refused))
        .await
        .unwrap();
    assert_eq!(
        n.after_round(p, &DrainReport::default(), t0 + Duration::seconds(1))
            .await,
        None
    );
    // Mended, then broken again: told again.
    ulak_channels::integrations::record(p, ws, i.id, Ok(()))
        .await
        .unwrap();
    ulak_channels::integrations::record(p, ws, i.id, Err(&refused))
        .await
        .unwrap();
    assert!(n
        .after_round(p, &DrainReport::default(), t0 + Duration::seconds(2))
        .await
        .is_some());
}

/// Failures set to go by e-mail: one notification e-mail, rendered from the HTML and
/// text templates (a subject's "<b>" escaped in the HTML), queued to the user's
/// address through the test box; drained, it is written as an .eml and is never
/// counted as a message nor told of itself.
#[tokio::test]
async fn a_failure_is_told_by_e_mail_to_the_users_address() {
    let d = tempfile::tempdir().unwrap();
    let s = temp_store(d.path()).await;
    let p = s.pool();
    let mut settings = NoticeSettings::default();
    settings.prefs.events = vec![EventPrefs {
        event: NoticeEvent::MessageFailed,
        channels: vec![NoticeChannel::Email],
        min_interval_secs: 0,
        digest_secs: 0,
    }];
    // A bad address is refused, nothing saved.
    settings.email = Some(notice::NoticeEmail {
        address: "ayşe@".into(),
        account_id: None,
    });
    assert!(notice::save_settings(p, &settings).await.is_err());
    settings.email = Some(notice::NoticeEmail {
        address: "ayse@firma.com.tr".into(),
        account_id: None,
    });
    notice::save_settings(p, &settings).await.unwrap();

    let mut report = failed(1);
    report.failures[0].subject = "Teklif <b>Öztürk</b> Gıda".into();
    let mut n = Notifier::default();
    assert_eq!(
        n.after_round(p, &report, Utc::now()).await,
        None,
        "not on the desktop"
    );
    let ws = workspace::active(p).await.unwrap().id;
    let list = ulak_outbox::history::list(p, ws, &Default::default())
        .await
        .unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0].to, "ayse@firma.com.tr");
    assert!(list[0].subject.starts_with("Ulak: "), "{}", list[0].subject);
    let stored = ulak_outbox::history::stored(p, ws, list[0].id)
        .await
        .unwrap();
    let parts = ulak_channels::email::mime::read_back(&stored.payload);
    let html = parts.html.unwrap();
    assert!(
        html.contains("&lt;b&gt;Öztürk&lt;/b&gt;"),
        "escaped: {html}"
    );
    assert!(html.contains("Bildirimler"), "its footer: {html}");
    let text = parts.text.unwrap();
    assert!(text.contains("Teklif <b>Öztürk</b> Gıda"), "{text}");

    let drained = ulak_api::outbox::drain(p, s.data_dir(), "t", DrainOptions::default(), |_, _| {})
        .await
        .unwrap();
    assert_eq!(
        (drained.sent, drained.failed),
        (0, 0),
        "a notification e-mail is not counted as a message"
    );
    assert_eq!(
        ulak_outbox::history::entry(p, ws, list[0].id)
            .await
            .unwrap()
            .state,
        ulak_outbox::State::Sent
    );
    assert_eq!(
        n.after_round(p, &drained, Utc::now()).await,
        None,
        "nothing told of the notification itself"
    );
    let again = ulak_outbox::history::list(p, ws, &Default::default())
        .await
        .unwrap();
    assert_eq!(again.len(), 1, "no notification about the notification");
}
