//! The outbox state machine with e-mail in a real encrypted store: drafts built to
//! their .eml and stored before sending, claimed once, leases taken back, retries with
//! backoff, the e-mail sandbox writing .eml files.

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use ulak_channels::email::mime::{self, enqueue, enqueue_many, Draft};
use ulak_channels::sandbox;
use ulak_core::{workspace, UserFacing};
use ulak_outbox::failure::{Failure, FailureCode};
use ulak_outbox::queue::{self, claim_due, complete, Outcome, State};

use ulak_core::testing::temp_store as store;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 9, 0, 0).unwrap()
}

fn draft(to: &str) -> Draft {
    Draft {
        from: "satis@firma.com.tr".into(),
        from_name: "Gülşen Çağlar".into(),
        to: vec![to.into()],
        subject: "Teklifiniz hazır — ğüşıöç İ".into(),
        text: "Merhaba, teklifimiz ektedir.\n".into(),
        ..Default::default()
    }
}

const LEASE: Duration = Duration::from_secs(60);

fn transient(text: &str) -> Outcome {
    Outcome::Failed(Failure::transient(FailureCode::ServerBusy, text))
}

fn permanent(text: &str) -> Outcome {
    Outcome::Failed(Failure::permanent(FailureCode::NoSuchRecipient, text))
}

#[tokio::test]
async fn bad_input_is_refused_and_nothing_is_queued() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let ws = workspace::active(s.pool()).await.unwrap().id;
    let cases = [
        (
            Draft {
                to: vec![],
                ..draft("x@y.com")
            },
            "outbox.no_recipients",
        ),
        (draft("musteri@"), "validation.email"),
        (
            Draft {
                subject: "Merhaba\r\nBcc: herkes@x.com".into(),
                ..draft("a@b.com")
            },
            "validation.control_chars",
        ),
        (
            Draft {
                bcc: vec!["a@b.com\n".into()],
                ..draft("a@b.com")
            },
            "validation.control_chars",
        ),
    ];
    for (dr, code) in cases {
        assert_eq!(
            enqueue(s.pool(), ws, &dr, t0()).await.unwrap_err().code(),
            code
        );
    }
    assert!(claim_due(s.pool(), "w", t0(), LEASE, 10)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn a_queued_message_goes_to_the_sandbox_once_with_its_exact_bytes() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let ws = workspace::active(s.pool()).await.unwrap().id;
    let dr = Draft {
        bcc: vec!["gizli@firma.com.tr".into()],
        idempotency_key: Some("k1".into()),
        ..draft("musteri@örnek.com.tr")
    };
    let id = enqueue(s.pool(), ws, &dr, t0()).await.unwrap();
    assert_eq!(
        enqueue(s.pool(), ws, &dr, t0()).await.unwrap_err().code(),
        "outbox.duplicate",
        "same key, one message"
    );

    let claimed = claim_due(s.pool(), "app", t0(), LEASE, 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    let c = &claimed[0];
    assert_eq!(
        c.recipients,
        ["musteri@örnek.com.tr", "gizli@firma.com.tr"],
        "bcc is in the envelope"
    );
    let raw = String::from_utf8(c.payload.clone()).unwrap();
    assert!(!raw.contains("gizli@"), "bcc is not in the headers");
    assert!(
        raw.contains("=?utf-8?"),
        "Turkish subject is RFC 2047 encoded: {raw}"
    );
    assert!(raw.lines().all(|l| l.len() <= 998));

    let outcome = sandbox::email(d.path(), c);
    assert!(matches!(outcome, Outcome::Sent { .. }), "{outcome:?}");
    assert_eq!(
        complete(s.pool(), "app", &[(c.id, outcome)], t0(), 1.0)
            .await
            .unwrap(),
        1
    );
    let file = sandbox::email_path(d.path(), c);
    assert_eq!(std::fs::read(file).unwrap(), c.payload);
    assert_eq!(
        queue::get(s.pool(), ws, id).await.unwrap().unwrap().state,
        State::Sent
    );
    assert!(
        claim_due(s.pool(), "app", t0() + chrono::Duration::days(1), LEASE, 10)
            .await
            .unwrap()
            .is_empty(),
        "never sent twice"
    );
}

#[tokio::test]
async fn two_workers_never_claim_the_same_message() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let ws = workspace::active(s.pool()).await.unwrap().id;
    for i in 0..200 {
        enqueue(s.pool(), ws, &draft(&format!("m{i}@firma.com")), t0())
            .await
            .unwrap();
    }
    let (p1, p2) = (s.pool().clone(), s.pool().clone());
    let a = tokio::spawn(async move {
        let mut got = Vec::new();
        loop {
            let batch = claim_due(&p1, "app", t0(), LEASE, 7).await.unwrap();
            if batch.is_empty() {
                return got;
            }
            got.extend(batch.into_iter().map(|c| c.id));
        }
    });
    let b = tokio::spawn(async move {
        let mut got = Vec::new();
        loop {
            let batch = claim_due(&p2, "cli", t0(), LEASE, 5).await.unwrap();
            if batch.is_empty() {
                return got;
            }
            got.extend(batch.into_iter().map(|c| c.id));
        }
    });
    let (a, b) = (a.await.unwrap(), b.await.unwrap());
    let mut all: Vec<i64> = a.iter().chain(&b).copied().collect();
    all.sort();
    let before = all.len();
    all.dedup();
    assert_eq!(before, all.len(), "a message was claimed twice");
    assert_eq!(all.len(), 200, "every message was claimed");
}

#[tokio::test]
async fn an_expired_lease_is_taken_back_and_the_old_holder_changes_nothing() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let ws = workspace::active(s.pool()).await.unwrap().id;
    let id = enqueue(s.pool(), ws, &draft("a@b.com"), t0())
        .await
        .unwrap();
    let first = claim_due(s.pool(), "killed", t0(), LEASE, 10)
        .await
        .unwrap();
    assert_eq!(first.len(), 1);
    // While the lease runs, nobody else gets it.
    assert!(claim_due(
        s.pool(),
        "other",
        t0() + chrono::Duration::seconds(30),
        LEASE,
        10
    )
    .await
    .unwrap()
    .is_empty());
    // After it ran out (the process was killed), another worker takes it.
    let later = t0() + chrono::Duration::seconds(61);
    let second = claim_due(s.pool(), "other", later, LEASE, 10)
        .await
        .unwrap();
    assert_eq!(
        second
            .iter()
            .map(|c| (c.id, c.attempts))
            .collect::<Vec<_>>(),
        [(id, 2)]
    );
    let stale = complete(
        s.pool(),
        "killed",
        &[(
            id,
            Outcome::Sent {
                reply: "late".into(),
            },
        )],
        later,
        1.0,
    )
    .await
    .unwrap();
    assert_eq!(stale, 0, "the old lease holder cannot record an outcome");
    assert_eq!(
        queue::get(s.pool(), ws, id).await.unwrap().unwrap().state,
        State::Sending
    );
}

#[tokio::test]
async fn transient_failures_wait_and_retry_permanent_ones_fail_at_once() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let soft = enqueue(p, ws, &draft("soft@b.com"), t0()).await.unwrap();
    let hard = enqueue(p, ws, &draft("hard@b.com"), t0()).await.unwrap();
    claim_due(p, "w", t0(), LEASE, 10).await.unwrap();
    let outcomes = [
        (soft, transient("451 4.3.0 try again later")),
        (hard, permanent("550 5.1.1 no such user")),
    ];
    assert_eq!(complete(p, "w", &outcomes, t0(), 1.0).await.unwrap(), 2);
    let r = queue::get(p, ws, soft).await.unwrap().unwrap();
    assert_eq!(
        (r.state, r.last_error.as_deref()),
        (State::Retry, Some("451 4.3.0 try again later"))
    );
    let h = queue::get(p, ws, hard).await.unwrap().unwrap();
    assert_eq!(
        (h.state, h.last_error.as_deref()),
        (State::Failed, Some("550 5.1.1 no such user"))
    );

    // Not before its backoff (30 s after the first attempt), then claimable again.
    assert!(
        claim_due(p, "w", t0() + chrono::Duration::seconds(29), LEASE, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let again = claim_due(p, "w", t0() + chrono::Duration::seconds(31), LEASE, 10)
        .await
        .unwrap();
    assert_eq!(
        again.iter().map(|c| c.id).collect::<Vec<_>>(),
        [soft],
        "the failed one is not retried"
    );

    // Given up by age, not by count: twenty tries over four days still leave it
    // waiting; a transient failure after five days (the outbox's lifetime) is final.
    let mut now = t0() + chrono::Duration::seconds(31);
    for _ in 0..20 {
        complete(p, "w", &[(soft, transient("421"))], now, 1.0)
            .await
            .unwrap();
        now += chrono::Duration::hours(5);
        assert_eq!(claim_due(p, "w", now, LEASE, 10).await.unwrap().len(), 1);
    }
    assert_eq!(
        queue::get(p, ws, soft).await.unwrap().unwrap().state,
        State::Sending
    );
    now = t0() + chrono::Duration::hours(120);
    complete(p, "w", &[(soft, transient("421 still"))], now, 1.0)
        .await
        .unwrap();
    let r = queue::get(p, ws, soft).await.unwrap().unwrap();
    assert_eq!((r.state, r.attempts), (State::Failed, 22));
    assert_eq!(r.last_error.as_deref(), Some("421 still"));
}

#[tokio::test]
async fn the_lifetime_the_user_sets_decides_when_a_message_is_given_up() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    ulak_outbox::worker::set_lifetime_hours(p, 2).await.unwrap();
    assert!(matches!(
        ulak_outbox::worker::set_lifetime_hours(p, 0).await,
        Err(queue::OutboxError::BadLifetime { .. })
    ));
    let id = mime::enqueue(p, ws, &draft("m@firma.com"), t0())
        .await
        .unwrap();
    claim_due(p, "w", t0(), LEASE, 10).await.unwrap();
    let now = t0() + chrono::Duration::minutes(90);
    complete(p, "w", &[(id, transient("421"))], now, 1.0)
        .await
        .unwrap();
    let r = queue::get(p, ws, id).await.unwrap().unwrap();
    assert_eq!(r.state, State::Retry);
    assert_eq!(
        r.next_attempt_at,
        queue::timestamp(now + chrono::Duration::seconds(30)),
        "the first backoff, well within the lifetime"
    );
    let now = t0() + chrono::Duration::hours(2);
    claim_due(p, "w", now, LEASE, 10).await.unwrap();
    complete(p, "w", &[(id, transient("421"))], now, 1.0)
        .await
        .unwrap();
    assert_eq!(
        queue::get(p, ws, id).await.unwrap().unwrap().state,
        State::Failed
    );
}

#[tokio::test]
async fn a_bulk_enqueue_is_all_or_nothing_and_safe_to_repeat() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let mut drafts: Vec<Draft> = (0..50)
        .map(|i| Draft {
            idempotency_key: Some(format!("bulk-{i}")),
            ..draft(&format!("m{i}@firma.com"))
        })
        .collect();
    drafts[49].to = vec!["kırık@".into()];
    let e = enqueue_many(p, ws, &drafts, t0()).await.unwrap_err();
    assert_eq!(e.code(), "validation.email");
    assert!(
        claim_due(p, "w", t0(), LEASE, 100)
            .await
            .unwrap()
            .is_empty(),
        "none queued"
    );

    drafts[49].to = vec!["m49@firma.com".into()];
    let ids = enqueue_many(p, ws, &drafts, t0()).await.unwrap();
    assert_eq!(ids.len(), 50);
    let again = enqueue_many(p, ws, &drafts, t0()).await.unwrap();
    assert_eq!(again, ids, "the same keys answer with the same messages");
    assert_eq!(claim_due(p, "w", t0(), LEASE, 100).await.unwrap().len(), 50);
}

#[tokio::test]
async fn html_gets_a_text_alternative_and_attachments_have_a_limit() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let html = Draft {
        html: Some("<p>Merhaba <b>Işıl</b> Hanım</p><img src=x onerror=alert(1)>".into()),
        text: String::new(),
        attachments: vec![mime::Attachment {
            filename: "teklif-ğüş.pdf".into(),
            content_type: "application/pdf".into(),
            data: b"%PDF-1.4".to_vec(),
        }],
        ..draft("isil@firma.com")
    };
    let built = mime::build(&html, t0()).unwrap();
    let raw = String::from_utf8(built.payload).unwrap();
    assert!(
        raw.contains("multipart/alternative") && raw.contains("text/plain"),
        "{raw}"
    );
    assert!(!raw.contains("onerror"), "cleaned: {raw}");
    assert_eq!(built.attachment_count, 1);
    assert!(
        raw.contains("teklif-%C4%9F%C3%BC%C5%9F.pdf"),
        "RFC 2231 file name: {raw}"
    );

    let big = Draft {
        attachments: vec![mime::Attachment {
            filename: "büyük.zip".into(),
            content_type: "application/zip".into(),
            data: vec![0; mime::ATTACHMENTS_MAX_BYTES + 1],
        }],
        ..draft("a@b.com")
    };
    let e = enqueue(p, ws, &big, t0()).await.unwrap_err();
    assert_eq!(
        (e.code().as_str(), e.field()),
        ("outbox.attachments_too_large", Some("attachments"))
    );
    let crlf = Draft {
        attachments: vec![mime::Attachment {
            filename: "a\r\nContent-Type: text/html".into(),
            content_type: String::new(),
            data: vec![1],
        }],
        ..draft("a@b.com")
    };
    assert_eq!(
        enqueue(p, ws, &crlf, t0()).await.unwrap_err().code(),
        "validation.control_chars"
    );
    assert!(claim_due(p, "w", t0(), LEASE, 10).await.unwrap().is_empty());
}

#[tokio::test]
async fn history_is_per_workspace_filters_and_retries_failed_ones() {
    use ulak_outbox::history::{self, Filter};
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let a = workspace::active(p).await.unwrap().id;
    let b = workspace::create(p, "İkinci Şirket").await.unwrap().id;
    let in_a = enqueue(p, a, &draft("a@firma.com"), t0()).await.unwrap();
    let in_b = enqueue(p, b, &draft("b@firma.com"), t0()).await.unwrap();
    claim_due(p, "w", t0(), LEASE, 10).await.unwrap();
    complete(
        p,
        "w",
        &[
            (in_a, permanent("550 5.1.1 no such user")),
            (
                in_b,
                Outcome::Sent {
                    reply: "250 ok".into(),
                },
            ),
        ],
        t0(),
        1.0,
    )
    .await
    .unwrap();

    let la = history::list(p, a, &Filter::default()).await.unwrap();
    assert_eq!(la.iter().map(|e| e.id).collect::<Vec<_>>(), vec![in_a]);
    assert_eq!(la[0].last_error.as_deref(), Some("550 5.1.1 no such user"));
    assert_eq!(la[0].last_code.0, Some(FailureCode::NoSuchRecipient));
    assert_eq!(la[0].channel, queue::Channel::Email);
    assert_eq!(la[0].to, "a@firma.com");
    let f = Filter {
        state: Some(State::Sent),
        ..Default::default()
    };
    assert!(history::list(p, a, &f).await.unwrap().is_empty());
    assert_eq!(history::list(p, b, &f).await.unwrap().len(), 1);
    let f = Filter {
        since: Some("2026-13-01".into()),
        ..Default::default()
    };
    assert_eq!(
        history::list(p, a, &f).await.unwrap_err().code(),
        "outbox.bad_date"
    );
    let f = Filter {
        until: Some("2026-01-01".into()),
        ..Default::default()
    };
    assert!(
        history::list(p, a, &f).await.unwrap().is_empty(),
        "date filter applies"
    );

    assert_eq!(
        ulak_outbox::history::stored(p, b, in_a)
            .await
            .unwrap_err()
            .code(),
        "outbox.not_found"
    );
    assert_eq!(
        history::retry(p, b, in_a).await.unwrap_err().code(),
        "outbox.not_found"
    );
    assert_eq!(
        history::retry(p, b, in_b).await.unwrap_err().code(),
        "outbox.not_retryable"
    );
    let e = history::retry(p, a, in_a).await.unwrap();
    assert_eq!((e.state, e.attempts), (State::Queued, 0));
    let stored = history::stored(p, a, in_a).await.unwrap();
    assert_eq!(stored.attempts.len(), 1, "the failed try is on record");
    assert_eq!(
        stored.attempts[0].code.0,
        Some(FailureCode::NoSuchRecipient)
    );
    let detail = mime::read_back(&stored.payload);
    assert!(detail.text.unwrap().contains("teklifimiz ektedir"));
    assert!(detail
        .headers
        .iter()
        .any(|(k, v)| k == "Subject" && v == "Teklifiniz hazır — ğüşıöç İ"));
}

#[tokio::test]
async fn an_earlier_app_runs_claims_are_released_at_start_up_but_not_a_clis() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let old_app = enqueue(p, ws, &draft("a@b.com"), t0()).await.unwrap();
    claim_due(p, "app-111", t0(), LEASE, 1).await.unwrap();
    let cli = enqueue(p, ws, &draft("c@b.com"), t0()).await.unwrap();
    claim_due(p, "cli-222", t0(), LEASE, 1).await.unwrap();
    let mine = enqueue(p, ws, &draft("m@b.com"), t0()).await.unwrap();
    claim_due(p, "app-333", t0(), LEASE, 1).await.unwrap();

    let n = queue::release_stale(p, "app-", "app-333", t0())
        .await
        .unwrap();
    assert_eq!(n, 1);
    assert_eq!(
        queue::get(p, ws, old_app).await.unwrap().unwrap().state,
        State::Retry
    );
    assert_eq!(
        queue::get(p, ws, cli).await.unwrap().unwrap().state,
        State::Sending
    );
    assert_eq!(
        queue::get(p, ws, mine).await.unwrap().unwrap().state,
        State::Sending
    );
    let again = claim_due(p, "app-333", t0(), LEASE, 10).await.unwrap();
    assert_eq!(
        again.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![old_app],
        "due at once, lease or not"
    );
}

#[tokio::test]
async fn templates_belong_to_one_workspace() {
    use ulak_outbox::template::{self, TemplateInput};
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let a = workspace::active(p).await.unwrap().id;
    let b = workspace::create(p, "Başka Şirket").await.unwrap().id;
    let input = TemplateInput {
        name: "Teklif İlk".into(),
        subject: "{{ company.name }} için teklif".into(),
        body_html: "<p>Sayın {{ contact.name }}</p>".into(),
    };
    let t = template::create(p, a, &input).await.unwrap();
    assert_eq!(
        template::create(
            p,
            a,
            &TemplateInput {
                name: "TEKLİF ilk".into(),
                ..input.clone()
            }
        )
        .await
        .unwrap_err()
        .code(),
        "template.duplicate",
        "names are compared Turkish-aware"
    );
    assert!(template::list(p, b).await.unwrap().is_empty());
    assert_eq!(
        template::by_name(p, b, "Teklif İlk")
            .await
            .unwrap_err()
            .code(),
        "template.not_found"
    );
    assert_eq!(
        template::delete(p, b, t.id).await.unwrap_err().code(),
        "template.not_found"
    );
    assert_eq!(
        template::create(p, b, &input).await.unwrap().workspace_id,
        b,
        "the same name is free in B"
    );
    assert_eq!(
        template::by_name(p, a, "teklif ilk").await.unwrap().id,
        t.id
    );
}

/// Pauses sending from inside the first delivery, as the tray would mid-way.
struct PauseOnFirst {
    pool: sqlx::SqlitePool,
    done: std::sync::atomic::AtomicBool,
}

impl ulak_outbox::worker::Deliver for PauseOnFirst {
    async fn deliver(&self, _c: &ulak_outbox::Claimed) -> Outcome {
        if !self.done.swap(true, std::sync::atomic::Ordering::SeqCst) {
            ulak_outbox::worker::set_paused(&self.pool, true)
                .await
                .unwrap();
        }
        Outcome::Sent {
            reply: "250 ok".into(),
        }
    }
}

#[tokio::test]
async fn pausing_mid_drain_finishes_the_batch_and_gives_the_next_one_back() {
    use ulak_outbox::worker::{drain_with, DrainOptions};
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let drafts: Vec<Draft> = (0..7).map(|i| draft(&format!("p{i}@firma.com"))).collect();
    let ids = enqueue_many(p, ws, &drafts, t0()).await.unwrap();
    let via = PauseOnFirst {
        pool: p.clone(),
        done: false.into(),
    };
    let opts = DrainOptions {
        batch: 3,
        concurrency: 1,
        ..Default::default()
    };
    let r = drain_with(p, "w", &via, opts).await.unwrap();
    assert!(r.paused);
    assert_eq!(r.sent, 3, "the batch under way is finished: {r:?}");
    let mut states = Vec::new();
    for id in &ids {
        states.push(queue::get(p, ws, *id).await.unwrap().unwrap());
    }
    assert_eq!(states.iter().filter(|m| m.state == State::Sent).count(), 3);
    for m in states.iter().filter(|m| m.state != State::Sent) {
        assert_eq!(
            (m.state, m.attempts),
            (State::Queued, 0),
            "given back untouched: {m:?}"
        );
    }
}

#[tokio::test]
async fn a_claim_walks_the_pending_index_not_the_whole_history() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path()).await;
    let plan: Vec<(i64, i64, i64, String)> =
        sqlx::query_as(&format!("EXPLAIN QUERY PLAN {}", queue::DUE_IDS))
            .bind("owner")
            .bind("until")
            .bind("2026-01-01T00:00:00.000Z")
            .bind(20_i64)
            .fetch_all(s.pool())
            .await
            .unwrap();
    let steps: Vec<&str> = plan.iter().map(|r| r.3.as_str()).collect();
    let on_messages: Vec<&&str> = steps.iter().filter(|d| d.contains("messages")).collect();
    assert_eq!(on_messages.len(), 3, "{steps:?}");
    for d in on_messages {
        // "USING INDEX" or "USING COVERING INDEX"; never "SCAN messages".
        assert!(d.starts_with("SEARCH messages USING"), "{steps:?}");
        assert!(d.contains("INDEX messages_pending"), "{steps:?}");
    }
}

#[tokio::test]
async fn an_sms_through_an_integration_is_never_shown_as_an_smtp_accounts() {
    use ulak_channels::email::accounts::{self, AccountInput};
    use ulak_channels::sms::{self, SmsDraft};
    use ulak_outbox::history::{self, Filter};
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let smtp = accounts::create(
        p,
        ws,
        &AccountInput {
            email: "satis@firma.com.tr".into(),
            sender_name: "Satış".into(),
            host: "127.0.0.1".into(),
            port: Some(2525),
            security: Some(ulak_channels::email::server::Security::None),
            username: "satis".into(),
            password: Some("parola".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    // An integration's id can equal an SMTP account's: the message names its channel.
    let m = sms::build(
        &SmsDraft {
            via: Some(("twilio".into(), smtp.id)),
            to: "0532 123 45 67".into(),
            text: "Merhaba".into(),
            ..Default::default()
        },
        t0(),
    )
    .unwrap();
    let id = queue::enqueue_many(p, ws, &[m], t0()).await.unwrap()[0];
    let mail = enqueue(p, ws, &draft("a@firma.com"), t0()).await.unwrap();
    claim_due(p, "w", t0(), LEASE, 10).await.unwrap();
    let sent = || Outcome::Sent { reply: "ok".into() };
    complete(p, "w", &[(id, sent()), (mail, sent())], t0(), 1.0)
        .await
        .unwrap();
    let entries = history::list(p, ws, &Filter::default()).await.unwrap();
    let sms_entry = entries.iter().find(|e| e.id == id).unwrap();
    assert_eq!(sms_entry.account_email, None, "{sms_entry:?}");
    let daily = history::daily(p, ws, 14).await.unwrap();
    assert!(
        daily.iter().all(|c| c.account_email.is_none()),
        "the sandboxed e-mail and the SMS name no SMTP account: {daily:?}"
    );
}

#[tokio::test]
async fn a_lease_renewed_as_sending_starts_keeps_its_batch_and_a_lost_one_is_let_go() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let a = enqueue(p, ws, &draft("a@firma.com"), t0()).await.unwrap();
    let b = enqueue(p, ws, &draft("b@firma.com"), t0()).await.unwrap();
    let lease = Duration::from_secs(120);
    let at = |secs: i64| t0() + chrono::Duration::seconds(secs);
    let ids: Vec<i64> = claim_due(p, "w1", t0(), lease, 1)
        .await
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(ids, [a]);
    // w1 starts sending it 100 s after the claim: its lease now runs to 220 s.
    let held = queue::renew_on(&mut p.acquire().await.unwrap(), "w1", &ids, at(100), lease)
        .await
        .unwrap();
    assert_eq!(held, [a]);
    let others = claim_due(p, "w2", at(150), lease, 10).await.unwrap();
    assert_eq!(
        others.iter().map(|c| c.id).collect::<Vec<_>>(),
        [b],
        "w2 does not take a message w1 is sending"
    );
    // b's lease runs out unrenewed; w3 takes it over, and w2 can no longer renew it.
    let taken = claim_due(p, "w3", at(300), lease, 10).await.unwrap();
    assert!(taken.iter().any(|c| c.id == b), "{taken:?}");
    let held = queue::renew_on(&mut p.acquire().await.unwrap(), "w2", &[b], at(301), lease)
        .await
        .unwrap();
    assert!(held.is_empty(), "w2 lets it go: w3 sends it");
}
