//! The outbox without any channel's knowledge: a message is a payload for a provider,
//! every try is a row of its own, and the failure's kind (not its text) decides
//! whether and when it is tried again. Run in a real encrypted store.

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use ulak_core::testing::temp_store as store;
use ulak_core::workspace;
use ulak_outbox::failure::{Failure, FailureCode, Kind};
use ulak_outbox::history::{self, Filter};
use ulak_outbox::queue::{self, claim_due, complete, Channel, NewMessage, Outcome, State};
use ulak_outbox::worker::{drain_with, Deliver, DrainOptions};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 9, 0, 0).unwrap()
}

const LEASE: Duration = Duration::from_secs(60);

fn sms(to: &str, text: &str) -> NewMessage {
    NewMessage {
        channel: Channel::Sms,
        provider: "test-provider".into(),
        account_id: Some(1),
        company_id: None,
        reference: format!("ref-{to}"),
        idempotency_key: format!("key-{to}"),
        sender: "ULAK".into(),
        recipients: vec![to.into()],
        to_display: to.into(),
        subject: text.into(),
        attachment_count: 0,
        payload: format!("{{\"to\":\"{to}\",\"text\":\"{text}\"}}").into_bytes(),
    }
}

#[tokio::test]
async fn a_payload_is_claimed_byte_for_byte_with_its_channel_and_provider() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let m = sms("+905321234567", "Teklifiniz hazır — Işıl Hanım");
    let id = queue::enqueue(p, ws, &m, t0()).await.unwrap();
    let c = claim_due(p, "w", t0(), LEASE, 10).await.unwrap();
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].id, id);
    assert_eq!(c[0].channel, Channel::Sms);
    assert_eq!(c[0].provider, "test-provider");
    assert_eq!(c[0].payload, m.payload);
    assert_eq!(c[0].recipients, ["+905321234567"]);
    let e = history::entry(p, ws, id).await.unwrap();
    assert_eq!((e.channel, e.to.as_str()), (Channel::Sms, "+905321234567"));
    let only_email = Filter {
        channel: Some(Channel::Email),
        ..Default::default()
    };
    assert!(history::list(p, ws, &only_email).await.unwrap().is_empty());
}

#[tokio::test]
async fn the_kind_decides_a_retry_and_a_providers_retry_after_is_honoured() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let signin = queue::enqueue(p, ws, &sms("+905320000001", "a"), t0())
        .await
        .unwrap();
    let limited = queue::enqueue(p, ws, &sms("+905320000002", "b"), t0())
        .await
        .unwrap();
    let policy = queue::enqueue(p, ws, &sms("+905320000003", "c"), t0())
        .await
        .unwrap();
    claim_due(p, "w", t0(), LEASE, 10).await.unwrap();
    let mut slow_down = Failure::new(Kind::RateLimited, FailureCode::ServerBusy, "429 slow down");
    slow_down.retry_after = Some(Duration::from_secs(600));
    let outcomes = [
        (
            signin,
            // A text that reads like a busy server: only the kind counts.
            Outcome::Failed(Failure::new(
                Kind::SignIn,
                FailureCode::SignIn,
                "451 try again later",
            )),
        ),
        (limited, Outcome::Failed(slow_down)),
        (
            policy,
            Outcome::Failed(Failure::new(Kind::Policy, FailureCode::Refused, "blocked")),
        ),
    ];
    assert_eq!(complete(p, "w", &outcomes, t0(), 1.0).await.unwrap(), 3);

    let r = queue::get(p, ws, signin).await.unwrap().unwrap();
    assert_eq!(
        (r.state, r.last_code),
        (State::Failed, Some(FailureCode::SignIn))
    );
    let r = queue::get(p, ws, policy).await.unwrap().unwrap();
    assert_eq!(r.state, State::Failed);
    let r = queue::get(p, ws, limited).await.unwrap().unwrap();
    assert_eq!(r.state, State::Retry);
    // The backoff alone would be 30 s; the provider asked for ten minutes.
    assert!(
        claim_due(p, "w", t0() + chrono::Duration::seconds(599), LEASE, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let again = claim_due(p, "w", t0() + chrono::Duration::seconds(601), LEASE, 10)
        .await
        .unwrap();
    assert_eq!(again.iter().map(|c| c.id).collect::<Vec<_>>(), [limited]);
    complete(
        p,
        "w",
        &[(
            limited,
            Outcome::Sent {
                reply: "SM123".into(),
            },
        )],
        t0() + chrono::Duration::seconds(602),
        1.0,
    )
    .await
    .unwrap();

    // Both tries are on record, each with its outcome, code and the provider's words.
    let tries = queue::attempts(p, ws, limited).await.unwrap();
    assert_eq!(tries.len(), 2);
    assert_eq!(
        (
            tries[0].outcome,
            tries[0].code.0,
            tries[0].provider_text.as_deref()
        ),
        (
            State::Retry,
            Some(FailureCode::ServerBusy),
            Some("429 slow down")
        )
    );
    assert_eq!(
        (
            tries[1].outcome,
            tries[1].code.0,
            tries[1].provider_text.as_deref()
        ),
        (State::Sent, None, Some("SM123"))
    );
    let r = queue::get(p, ws, limited).await.unwrap().unwrap();
    assert_eq!((r.state, r.last_code), (State::Sent, None));
}

/// A provider that takes 30 ms a message and refuses the numbers ending in 9.
struct SlowProvider;

impl Deliver for SlowProvider {
    async fn deliver(&self, c: &queue::Claimed) -> Outcome {
        tokio::time::sleep(Duration::from_millis(30)).await;
        if c.recipients[0].ends_with('9') {
            Outcome::Failed(Failure::permanent(
                FailureCode::NoSuchRecipient,
                "21211 invalid 'To' number",
            ))
        } else {
            Outcome::Sent {
                reply: format!("id-{}", c.id),
            }
        }
    }
}

#[tokio::test]
async fn a_drain_records_one_timed_try_per_message_and_a_lost_lease_records_none() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let msgs: Vec<NewMessage> = (0..10)
        .map(|i| sms(&format!("+90532000000{i}"), "toplu"))
        .collect();
    let ids = queue::enqueue_many(p, ws, &msgs, Utc::now()).await.unwrap();
    let opts = DrainOptions {
        batch: 4,
        concurrency: 2,
        ..Default::default()
    };
    let r = drain_with(p, "w", &SlowProvider, opts).await.unwrap();
    assert_eq!((r.sent, r.failed), (9, 1));
    assert_eq!(r.failures[0].code, FailureCode::NoSuchRecipient);
    for id in &ids {
        let tries = queue::attempts(p, ws, *id).await.unwrap();
        assert_eq!(tries.len(), 1, "one try for message {id}");
        let ms = tries[0].duration_ms.expect("timed");
        assert!(
            ms >= 30,
            "the try lasted as long as the provider took: {ms} ms"
        );
    }

    // A worker whose lease was taken over records nothing, not even a try.
    let late = queue::enqueue(p, ws, &sms("+905329999990", "geç"), t0())
        .await
        .unwrap();
    claim_due(p, "old", t0(), LEASE, 1).await.unwrap();
    claim_due(p, "new", t0() + chrono::Duration::seconds(61), LEASE, 1)
        .await
        .unwrap();
    let applied = complete(
        p,
        "old",
        &[(late, Outcome::Sent { reply: "x".into() })],
        t0(),
        1.0,
    )
    .await
    .unwrap();
    assert_eq!(applied, 0);
    assert!(queue::attempts(p, ws, late).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_reused_idempotency_key_answers_for_the_same_message_and_refuses_another() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let first = sms("+905321234567", "Teklif — Öznur Hanım");
    let ids = queue::enqueue_many(p, ws, std::slice::from_ref(&first), t0())
        .await
        .unwrap();
    // The same message again: the same id, nothing more queued.
    let again = queue::enqueue_many(p, ws, std::slice::from_ref(&first), t0())
        .await
        .unwrap();
    assert_eq!(again, ids);
    // The same key for another recipient, or another subject: refused, naming the key.
    let mut other_to = sms("+905329999999", "Teklif — Öznur Hanım");
    other_to.idempotency_key = first.idempotency_key.clone();
    let mut other_subject = first.clone();
    other_subject.subject = "Başka bir konu".into();
    for m in [other_to, other_subject] {
        let e = queue::enqueue_many(p, ws, std::slice::from_ref(&m), t0())
            .await
            .unwrap_err();
        assert!(
            matches!(&e, queue::OutboxError::KeyReused { key } if key == &first.idempotency_key),
            "{e:?}"
        );
        assert_eq!(
            ulak_core::UserFacing::code(&e),
            ulak_core::ErrorCode::OutboxKeyReused
        );
    }
    let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM messages")
        .fetch_one(p)
        .await
        .unwrap();
    assert_eq!(n, 1, "nothing else was queued");
}

#[tokio::test]
async fn a_message_whose_content_row_is_gone_fails_with_why_and_is_never_sent_empty() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let gone = queue::enqueue(p, ws, &sms("+905320000010", "İçeriği kayıp"), t0())
        .await
        .unwrap();
    let kept = queue::enqueue(p, ws, &sms("+905320000011", "Sağlam"), t0())
        .await
        .unwrap();
    sqlx::query("DELETE FROM message_payloads WHERE message_id = ?1")
        .bind(gone)
        .execute(p)
        .await
        .unwrap();
    let claimed = claim_due(p, "w", t0(), LEASE, 10).await.unwrap();
    assert_eq!(
        claimed.iter().map(|c| c.id).collect::<Vec<_>>(),
        [kept],
        "only the message with its content goes out"
    );
    let row = queue::get(p, ws, gone).await.unwrap().unwrap();
    assert_eq!(row.state, State::Failed);
    assert_eq!(row.last_code, Some(FailureCode::Unsendable));
    assert_eq!(row.last_error.as_deref(), Some(queue::MISSING_CONTENT));
    assert!(
        claim_due(p, "w", t0() + chrono::Duration::days(1), LEASE, 10)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_message_that_took_its_worker_down_three_times_is_set_aside_and_the_rest_go() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let poison = queue::enqueue(p, ws, &sms("+905320000020", "Dev ek"), t0())
        .await
        .unwrap();
    let mut now = t0();
    // Three workers die holding it (no outcome ever recorded).
    for w in ["w1", "w2", "w3"] {
        let c = claim_due(p, w, now, LEASE, 10).await.unwrap();
        assert_eq!(c.iter().map(|c| c.id).collect::<Vec<_>>(), [poison]);
        now += chrono::Duration::seconds(61);
    }
    // A message that failed each of its tries in words is not set aside.
    let flaky = queue::enqueue(p, ws, &sms("+905320000021", "Meşgul"), now)
        .await
        .unwrap();
    for _ in 0..4 {
        let c = claim_due(p, "w4", now, LEASE, 10).await.unwrap();
        assert!(c.iter().any(|c| c.id == flaky), "{c:?}");
        let busy = Failure::transient(FailureCode::ServerBusy, "421 busy");
        complete(p, "w4", &[(flaky, Outcome::Failed(busy))], now, 1.0)
            .await
            .unwrap();
        now += chrono::Duration::hours(2);
    }
    assert_eq!(
        queue::get(p, ws, flaky).await.unwrap().unwrap().state,
        State::Retry
    );
    let row = queue::get(p, ws, poison).await.unwrap().unwrap();
    assert_eq!(row.state, State::Failed, "{row:?}");
    assert_eq!(row.last_code, Some(FailureCode::SetAside));
    assert_eq!(row.last_error.as_deref(), Some(queue::SET_ASIDE));
}

#[tokio::test]
async fn queued_and_waiting_messages_can_be_cancelled_or_deleted_but_not_sent_ones() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    ulak_outbox::worker::set_paused(p, true).await.unwrap();
    let queued = queue::enqueue(p, ws, &sms("+905320000030", "İptal"), t0())
        .await
        .unwrap();
    let waiting = queue::enqueue(p, ws, &sms("+905320000031", "Bekleyen"), t0())
        .await
        .unwrap();
    let sent = queue::enqueue(p, ws, &sms("+905320000032", "Giden"), t0())
        .await
        .unwrap();
    let gone = queue::enqueue(p, ws, &sms("+905320000033", "Silinecek"), t0())
        .await
        .unwrap();
    claim_due(p, "w", t0(), LEASE, 10).await.unwrap();
    let busy = Failure::transient(FailureCode::ServerBusy, "421 busy");
    complete(
        p,
        "w",
        &[
            (waiting, Outcome::Failed(busy)),
            (sent, Outcome::Sent { reply: "ok".into() }),
        ],
        t0(),
        1.0,
    )
    .await
    .unwrap();
    queue::release(p, "w", &[queued, gone], t0()).await.unwrap();

    // Paused or not, a queued and a waiting message are taken out, kept as cancelled.
    for id in [queued, waiting] {
        let e = history::cancel(p, ws, id).await.unwrap();
        assert_eq!(e.state, State::Failed);
        assert_eq!(e.last_code.0, Some(FailureCode::Cancelled));
    }
    // A sent one, or one cancelled already, is refused with its state.
    for (id, state) in [(sent, State::Sent), (queued, State::Failed)] {
        match history::cancel(p, ws, id).await {
            Err(queue::OutboxError::NotCancellable(s)) => assert_eq!(s, state),
            other => panic!("{other:?}"),
        }
    }
    history::delete(p, ws, gone).await.unwrap();
    assert!(matches!(
        history::entry(p, ws, gone).await,
        Err(queue::OutboxError::NotFound)
    ));
    assert!(matches!(
        history::delete(p, ws, sent).await,
        Err(queue::OutboxError::NotCancellable(State::Sent))
    ));
    // Nothing cancelled or deleted goes out once sending resumes.
    ulak_outbox::worker::set_paused(p, false).await.unwrap();
    let later = t0() + chrono::Duration::days(1);
    assert!(claim_due(p, "w", later, LEASE, 10)
        .await
        .unwrap()
        .is_empty());
}

/// A scheduled send waits queued until its time, whatever drains before it, and its
/// lifetime counts from that time: a message scheduled a week ahead is still retried
/// the day it was due, though queued eight days before.
#[tokio::test]
async fn a_scheduled_message_waits_for_its_time_and_lives_from_it() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let at = t0() + chrono::Duration::days(7);
    let ids = queue::enqueue_many_at(
        p,
        ws,
        &[sms("+905321234567", "Yarınki toplantı — Şükrü Bey")],
        t0(),
        Some(at),
    )
    .await
    .unwrap();
    let id = ids[0];
    let now_one = queue::enqueue(p, ws, &sms("+905329876543", "Şimdi"), t0())
        .await
        .unwrap();
    let c = claim_due(p, "w", t0(), LEASE, 10).await.unwrap();
    assert_eq!(c.iter().map(|c| c.id).collect::<Vec<_>>(), [now_one]);
    assert!(
        claim_due(p, "w", at - chrono::Duration::seconds(1), LEASE, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let e = history::entry(p, ws, id).await.unwrap();
    assert_eq!(e.state, State::Queued);
    assert_eq!(
        e.scheduled_at.as_deref(),
        Some(queue::timestamp(at).as_str())
    );
    let left = ulak_outbox::worker::left(p, "w", t0()).await.unwrap();
    assert_eq!(left.scheduled, 1);
    assert_eq!(left.next_scheduled_at, Some(queue::timestamp(at)));

    // Its time: claimed; a temporary failure a day later (eight after queueing, past
    // the five-day lifetime counted from the queueing) is still retried.
    let c = claim_due(p, "w", at, LEASE, 10).await.unwrap();
    assert_eq!(c.iter().map(|c| c.id).collect::<Vec<_>>(), [id]);
    let later = at + chrono::Duration::days(1);
    complete(
        p,
        "w",
        &[(
            id,
            Outcome::Failed(Failure::transient(FailureCode::ServerBusy, "451 try later")),
        )],
        later,
        1.0,
    )
    .await
    .unwrap();
    assert_eq!(history::entry(p, ws, id).await.unwrap().state, State::Retry);
    // Six days after its time it is given up, as any message five days old.
    let c = claim_due(p, "w", at + chrono::Duration::days(6), LEASE, 10)
        .await
        .unwrap();
    assert_eq!(c.len(), 1);
    complete(
        p,
        "w",
        &[(
            id,
            Outcome::Failed(Failure::transient(FailureCode::ServerBusy, "451 try later")),
        )],
        at + chrono::Duration::days(6),
        1.0,
    )
    .await
    .unwrap();
    assert_eq!(
        history::entry(p, ws, id).await.unwrap().state,
        State::Failed
    );
}
