//! The suppression list: kept in one form, imported and exported as CSV, and read when
//! a message is about to go, on every channel. Each test counts what the provider was
//! handed: nothing to a listed recipient, everything else once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{Duration, Utc};
use ulak_core::testing::temp_store as store;
use ulak_core::workspace;
use ulak_outbox::queue::{self, Channel, Claimed, NewMessage, Outcome, State};
use ulak_outbox::suppression::{self, Reason};
use ulak_outbox::worker::{drain, Deliver};
use ulak_outbox::{Failure, FailureCode, Kind, OutboxError};

fn message(channel: Channel, n: usize, recipients: &[&str]) -> NewMessage {
    NewMessage {
        channel,
        provider: "test-provider".into(),
        account_id: Some(1),
        company_id: None,
        reference: format!("ref-{n}"),
        idempotency_key: format!("key-{n}"),
        sender: "ULAK".into(),
        recipients: recipients.iter().map(|r| r.to_string()).collect(),
        to_display: recipients.join(", "),
        subject: format!("Kampanya {n} — Çiğdem Hanım"),
        attachment_count: 0,
        payload: b"{}".to_vec(),
    }
}

/// A provider that counts what it was handed; a recipient in `unknown` bounces.
#[derive(Clone, Default)]
struct Counting {
    handed: Arc<Mutex<HashMap<String, usize>>>,
    unknown: Vec<String>,
}

impl Deliver for Counting {
    async fn deliver(&self, c: &Claimed) -> Outcome {
        for r in &c.recipients {
            *self.handed.lock().unwrap().entry(r.clone()).or_default() += 1;
        }
        if c.recipients.iter().any(|r| self.unknown.contains(r)) {
            return Outcome::Failed(Failure::new(
                Kind::Permanent,
                FailureCode::NoSuchRecipient,
                "550 5.1.1 no such user",
            ));
        }
        Outcome::Sent {
            reply: "250 ok".into(),
        }
    }
}

impl Counting {
    fn handed(&self, r: &str) -> usize {
        self.handed.lock().unwrap().get(r).copied().unwrap_or(0)
    }
}

#[tokio::test]
async fn a_listed_recipient_gets_nothing_on_any_channel_and_the_rest_goes_once() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let now = Utc::now();
    let sms_ok = queue::enqueue(p, ws, &message(Channel::Sms, 1, &["+905321110001"]), now)
        .await
        .unwrap();
    let sms_listed = queue::enqueue(p, ws, &message(Channel::Sms, 2, &["+905321110002"]), now)
        .await
        .unwrap();
    let wa_listed = queue::enqueue(
        p,
        ws,
        &message(Channel::Whatsapp, 3, &["+905321110002"]),
        now,
    )
    .await
    .unwrap();
    // An e-mail to two people, one of them listed: not sent at all.
    let mail_shared = queue::enqueue(
        p,
        ws,
        &message(
            Channel::Email,
            4,
            &["ayse@musteri.com.tr", "Işıl@Müşteri.com.tr"],
        ),
        now,
    )
    .await
    .unwrap();
    let mail_ok = queue::enqueue(
        p,
        ws,
        &message(Channel::Email, 5, &["ayse@musteri.com.tr"]),
        now,
    )
    .await
    .unwrap();
    // Listed after queueing, before sending: the list is read at send time. The number
    // as a salesperson types it, the address in another case.
    suppression::add(p, ws, "0532 111 00 02", Reason::Iys, "RET SMS", now, now)
        .await
        .unwrap();
    let added = suppression::add(
        p,
        ws,
        "ışıl@müşteri.com.tr",
        Reason::Unsubscribed,
        "",
        now,
        now,
    )
    .await
    .unwrap();
    assert!(added.new);
    // A webhook or a note to the team is not a customer's message: never screened.
    let team = queue::enqueue(p, ws, &message(Channel::Chat, 6, &["+905321110002"]), now)
        .await
        .unwrap();

    let via = Counting::default();
    let report = drain(p, "w", &via).await.unwrap();
    assert_eq!(report.sent, 2, "{report:?}");
    assert_eq!(report.skipped, 3, "{report:?}");
    assert_eq!(report.failed, 0, "a skip is not a failure: {report:?}");
    assert_eq!(via.handed("+905321110001"), 1);
    let team_row = queue::get(p, ws, team).await.unwrap().unwrap();
    assert_eq!(
        via.handed("+905321110002"),
        1,
        "only the team chat went to it: {team_row:?}"
    );
    assert_eq!(via.handed("Işıl@Müşteri.com.tr"), 0);
    assert_eq!(
        via.handed("ayse@musteri.com.tr"),
        1,
        "the shared e-mail was held"
    );

    for (id, state) in [
        (sms_ok, State::Sent),
        (mail_ok, State::Sent),
        (team, State::Sent),
        (sms_listed, State::Failed),
        (wa_listed, State::Failed),
        (mail_shared, State::Failed),
    ] {
        let row = queue::get(p, ws, id).await.unwrap().unwrap();
        assert_eq!(row.state, state, "message {id}");
        if state == State::Failed {
            assert_eq!(row.last_code, Some(FailureCode::Suppressed));
        }
    }
    let hits = suppression::skipped(p, mail_shared).await.unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(
        hits[0].recipient, "Işıl@Müşteri.com.tr",
        "as the message had it"
    );
    assert_eq!(hits[0].reason, Reason::Unsubscribed);
    let hits = suppression::skipped(p, wa_listed).await.unwrap();
    assert_eq!(hits[0].reason, Reason::Iys);
    assert!(suppression::skipped(p, sms_ok).await.unwrap().is_empty());

    // Off the list and retried: it goes, once.
    suppression::remove(p, ws, "+905321110002").await.unwrap();
    ulak_outbox::history::retry(p, ws, sms_listed)
        .await
        .unwrap();
    let report = drain(p, "w", &via).await.unwrap();
    assert_eq!((report.sent, report.skipped), (1, 0));
    assert_eq!(via.handed("+905321110002"), 2);
    assert!(matches!(
        suppression::remove(p, ws, "+905321110002").await,
        Err(OutboxError::NotSuppressed)
    ));
}

#[tokio::test]
async fn a_hard_bounce_lists_its_recipient_and_the_next_message_skips_them() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let now = Utc::now();
    let via = Counting {
        unknown: vec!["yok@musteri.com.tr".into()],
        ..Counting::default()
    };
    queue::enqueue(
        p,
        ws,
        &message(Channel::Email, 1, &["yok@musteri.com.tr"]),
        now,
    )
    .await
    .unwrap();
    let report = drain(p, "w", &via).await.unwrap();
    assert_eq!((report.failed, report.skipped), (1, 0));
    let e = suppression::get(p, ws, "YOK@musteri.com.tr")
        .await
        .unwrap()
        .expect("bounced address listed");
    assert_eq!(e.reason, Reason::Bounce);

    queue::enqueue(
        p,
        ws,
        &message(Channel::Email, 2, &["yok@musteri.com.tr"]),
        now,
    )
    .await
    .unwrap();
    let report = drain(p, "w", &via).await.unwrap();
    assert_eq!((report.failed, report.skipped), (0, 1));
    assert_eq!(
        via.handed("yok@musteri.com.tr"),
        1,
        "handed once, for the bounce"
    );

    // A bounce of a message to several people lists nobody: which one bounced is not
    // known here.
    let via = Counting {
        unknown: vec!["b@musteri.com.tr".into()],
        ..Counting::default()
    };
    queue::enqueue(
        p,
        ws,
        &message(Channel::Email, 3, &["a@musteri.com.tr", "b@musteri.com.tr"]),
        now,
    )
    .await
    .unwrap();
    drain(p, "w", &via).await.unwrap();
    assert!(suppression::get(p, ws, "a@musteri.com.tr")
        .await
        .unwrap()
        .is_none());
    assert!(suppression::get(p, ws, "b@musteri.com.tr")
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn the_list_keeps_the_first_refusal_and_round_trips_through_csv() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let now = Utc::now();
    let first = now - Duration::days(2);
    suppression::add(
        p,
        ws,
        "Çağrı@Örnek.com.tr",
        Reason::Unsubscribed,
        "bağlantıdan",
        first,
        now,
    )
    .await
    .unwrap();
    let again = suppression::add(p, ws, "çağrı@örnek.com.tr", Reason::Manual, "", now, now)
        .await
        .unwrap();
    assert!(!again.new);
    assert_eq!(
        again.entry.reason,
        Reason::Unsubscribed,
        "the first refusal stays"
    );
    assert_eq!(
        again.entry.deadline_tr,
        suppression::deadline_tr(first).to_string()
    );
    // Bad input changes nothing.
    for bad in ["çağrı@", "12", "a@b.com\r\nBcc: x@y.com", ""] {
        assert!(
            matches!(
                suppression::add(p, ws, bad, Reason::Manual, "", now, now).await,
                Err(OutboxError::Invalid(_))
            ),
            "{bad:?}"
        );
    }
    assert_eq!(suppression::list(p, ws).await.unwrap().len(), 1);

    // Semicolons (Excel in Turkish), a BOM, Turkish headers, bad lines named by line.
    let csv = "\u{feff}değer;neden;not;tarih\n\
               0532 999 88 77;iys;RET ile;2026-12-01\n\
               murat@müşteri.com.tr;;elle;\n\
               çağrı@örnek.com.tr;bounce;;\n\
               yanlış@;manual;;\n\
               ali@x.com.tr;spam;;\n\
               veli@x.com.tr;manual;;dün\n\
               \n";
    let r = suppression::import_csv(p, ws, csv.as_bytes(), now)
        .await
        .unwrap();
    assert_eq!((r.added, r.already), (2, 1), "{r:?}");
    let bad: Vec<(u64, &str)> = r
        .rejected
        .iter()
        .map(|x| (x.line, x.code.as_str()))
        .collect();
    assert_eq!(
        bad,
        [
            (5, "validation.email"),
            (6, "validation.choice"),
            (7, "outbox.bad_date")
        ]
    );
    let list = suppression::list(p, ws).await.unwrap();
    assert_eq!(list.len(), 3);
    let phone = list.iter().find(|e| e.value == "+905329998877").unwrap();
    assert_eq!(phone.reason, Reason::Iys);
    assert!(
        phone.requested_at.starts_with("2026-11-30T21:00:00"),
        "{phone:?}"
    );
    assert_eq!(phone.deadline_tr, "2026-12-04");

    // Exported and read into another workspace: the same entries.
    let out = suppression::export_csv(&list);
    assert!(out.starts_with("value,reason,note,requested_at\n"));
    let other = workspace::create(p, "İkinci Şirket").await.unwrap().id;
    let r = suppression::import_csv(p, other, out.as_bytes(), now)
        .await
        .unwrap();
    assert_eq!((r.added, r.already, r.rejected.len()), (3, 0, 0));
    let strip = |v: Vec<suppression::Entry>| -> Vec<(String, &str, String, String)> {
        let mut v: Vec<_> = v
            .into_iter()
            .map(|e| (e.value, e.reason.as_str(), e.note, e.requested_at))
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        strip(suppression::list(p, other).await.unwrap()),
        strip(list)
    );
    // A CSV the reader cannot take at all changes nothing.
    let broken = b"value\nmurat@x.com\n\xff\xfe@x.com\n".to_vec();
    let before = suppression::list(p, other).await.unwrap().len();
    assert!(matches!(
        suppression::import_csv(p, other, &broken, now).await,
        Err(OutboxError::BadCsv(_))
    ));
    assert_eq!(suppression::list(p, other).await.unwrap().len(), before);
}
