//! Delivery reports that reach Ulak by webhook: one that overtakes the drain's record
//! of its send (the provider answered the send, then reported delivery, before the
//! outcome transaction committed) is kept and settles the message once it is recorded.

use chrono::Utc;
use ulak_core::testing::temp_store as store;
use ulak_core::workspace;
use ulak_outbox::inbound::{self, Event};
use ulak_outbox::queue::{self, Channel, Claimed, NewMessage, Outcome};
use ulak_outbox::worker::{drain, Deliver};

struct Answers;

impl Deliver for Answers {
    async fn deliver(&self, c: &Claimed) -> Outcome {
        Outcome::Sent {
            reply: format!("SM-{}", c.reference),
        }
    }
}

#[tokio::test]
async fn a_report_that_overtakes_the_send_settles_the_message_once_it_is_recorded() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let now = Utc::now();
    let integration: i64 = sqlx::query_scalar(
        "INSERT INTO integrations (workspace_id, channel, provider, settings, created_at, updated_at)
         VALUES (?1, 'sms', 'vonage', '{}', ?2, ?2) RETURNING id",
    )
    .bind(ws)
    .bind(queue::timestamp(now))
    .fetch_one(p)
    .await
    .unwrap();
    let msg = |n: usize| NewMessage {
        channel: Channel::Sms,
        provider: "vonage".into(),
        account_id: Some(integration),
        company_id: None,
        reference: format!("ref{n}"),
        idempotency_key: format!("key-{n}"),
        sender: "FIRMA".into(),
        recipients: vec![format!("+90532111000{n}")],
        to_display: format!("+90532111000{n}"),
        subject: "Teklif — Çiğdem Hanım".into(),
        attachment_count: 0,
        payload: b"{}".to_vec(),
    };
    let early = queue::enqueue(p, ws, &msg(1), now).await.unwrap();
    let other = queue::enqueue(p, ws, &msg(2), now).await.unwrap();

    // The report comes first: kept, nothing to settle yet.
    let r = inbound::record(
        p,
        ws,
        integration,
        Channel::Sms,
        &[Event::Undelivered {
            provider_id: "SM-ref1".into(),
            why: "Vonage expired".into(),
        }],
        now,
    )
    .await
    .unwrap();
    assert_eq!((r.reports, r.applied), (1, 0));

    drain(p, "w1", &Answers).await.unwrap();
    let delivery = |id: i64| {
        sqlx::query_as::<_, (Option<String>, Option<String>)>(
            "SELECT delivery, delivery_error FROM messages WHERE id = ?1",
        )
        .bind(id)
        .fetch_one(p)
    };
    assert_eq!(delivery(early).await.unwrap(), (None, None));
    assert_eq!(inbound::apply_reports(p).await.unwrap(), 1);
    assert_eq!(
        delivery(early).await.unwrap(),
        (Some("undelivered".into()), Some("Vonage expired".into()))
    );
    // The other message is untouched, and a report is applied once.
    assert_eq!(delivery(other).await.unwrap(), (None, None));
    assert_eq!(inbound::apply_reports(p).await.unwrap(), 0);

    // A report for a message that is recorded already settles it at once.
    let r = inbound::record(
        p,
        ws,
        integration,
        Channel::Sms,
        &[Event::Delivered {
            provider_id: "SM-ref2".into(),
        }],
        now,
    )
    .await
    .unwrap();
    assert_eq!(r.applied, 1);
    assert_eq!(
        delivery(other).await.unwrap().0.as_deref(),
        Some("delivered")
    );
}

#[test]
fn stop_words_are_whole_messages_in_any_case_with_turkish_is_alike() {
    for yes in [
        "STOP",
        " stop\n",
        "RET",
        "ret",
        "İPTAL",
        "iptal",
        "IPTAL",
        "Unsubscribe",
    ] {
        assert!(inbound::is_stop_word(yes), "{yes:?}");
    }
    for no in [
        "Ret edildi mi?",
        "stop please call me",
        "",
        "retweet",
        "İptal ettim siparişi",
    ] {
        assert!(!inbound::is_stop_word(no), "{no:?}");
    }
}
