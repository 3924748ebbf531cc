//! A message is sent once even when things are slow: a batch that takes longer than
//! its lease keeps it (the lease is renewed while sending, and a drain never takes back
//! what it holds itself), and a store locked by another writer past its busy timeout
//! delays the outcomes instead of ending the drain with delivered messages unrecorded.
//! Each test counts every delivery per message: none lost, none twice.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use ulak_core::testing::temp_store as store;
use ulak_core::workspace;
use ulak_outbox::queue::{self, Channel, Claimed, NewMessage, Outcome, State};
use ulak_outbox::worker::{drain_with, Deliver, DrainOptions};

fn sms(n: usize) -> NewMessage {
    let to = format!("+90532000{n:04}");
    NewMessage {
        channel: Channel::Sms,
        provider: "test-provider".into(),
        account_id: Some(1),
        company_id: None,
        reference: format!("ref-{n}"),
        idempotency_key: format!("key-{n}"),
        sender: "ULAK".into(),
        recipients: vec![to.clone()],
        to_display: to,
        subject: format!("Teklif {n} — Işıl Hanım"),
        attachment_count: 0,
        payload: b"{}".to_vec(),
    }
}

/// A provider that takes `each` to accept a message, and counts what it accepted.
#[derive(Clone, Default)]
struct Slow {
    each: Duration,
    delivered: Arc<Mutex<HashMap<i64, usize>>>,
}

impl Deliver for Slow {
    async fn deliver(&self, c: &Claimed) -> Outcome {
        tokio::time::sleep(self.each).await;
        *self.delivered.lock().unwrap().entry(c.id).or_default() += 1;
        Outcome::Sent {
            reply: "accepted".into(),
        }
    }
}

impl Slow {
    fn counts(&self) -> HashMap<i64, usize> {
        self.delivered.lock().unwrap().clone()
    }
}

async fn queued(p: &sqlx::SqlitePool, n: usize) -> Vec<i64> {
    let ws = workspace::active(p).await.unwrap().id;
    let mut ids = Vec::new();
    for i in 0..n {
        ids.push(queue::enqueue(p, ws, &sms(i), Utc::now()).await.unwrap());
    }
    ids
}

async fn states(p: &sqlx::SqlitePool) -> HashMap<String, i64> {
    sqlx::query_as::<_, (String, i64)>("SELECT state, count(*) FROM messages GROUP BY state")
        .fetch_all(p)
        .await
        .unwrap()
        .into_iter()
        .collect()
}

#[tokio::test]
async fn a_batch_slower_than_its_lease_is_sent_once_with_a_second_drain_beside_it() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ids = queued(p, 8).await;
    // Each message takes longer than the lease: without renewal the same drain's next
    // claim, or the other drain's, takes back messages still being sent.
    let slow = Slow {
        each: Duration::from_millis(400),
        ..Default::default()
    };
    let opts = DrainOptions {
        batch: 2,
        lease: Duration::from_millis(300),
        concurrency: 1,
        ..Default::default()
    };
    let (a, b) = tokio::join!(
        drain_with(p, "app-1", &slow, opts),
        drain_with(p, "cli-2", &slow, opts)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    let counts = slow.counts();
    let twice: Vec<_> = counts.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "sent more than once: {twice:?}");
    assert_eq!(counts.len(), ids.len(), "every message sent: {counts:?}");
    assert_eq!(a.sent + b.sent, ids.len() as u64);
    assert_eq!(states(p).await.get("sent"), Some(&(ids.len() as i64)));
}

#[tokio::test]
async fn a_store_locked_past_its_busy_timeout_delays_the_outcomes_and_sends_nothing_twice() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool().clone();
    let ids = queued(&p, 6).await;
    let slow = Slow {
        each: Duration::from_millis(100),
        ..Default::default()
    };
    let opts = DrainOptions {
        batch: 3,
        lease: Duration::from_secs(30),
        concurrency: 1,
        ..Default::default()
    };
    // Another writer (a long import) takes the write lock once the first message is
    // out and keeps it longer than the store's 5-second busy timeout.
    let holder = {
        let p = p.clone();
        let slow = slow.clone();
        tokio::spawn(async move {
            while slow.counts().is_empty() {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            let mut c = p.acquire().await.unwrap();
            sqlx::query("BEGIN IMMEDIATE")
                .execute(&mut *c)
                .await
                .unwrap();
            tokio::time::sleep(Duration::from_secs(7)).await;
            sqlx::query("COMMIT").execute(&mut *c).await.unwrap();
        })
    };
    let report = drain_with(&p, "app-1", &slow, opts).await;
    holder.await.unwrap();
    let report = report.expect("the drain waits the lock out instead of ending");
    assert_eq!(report.sent, ids.len() as u64);
    assert_eq!(states(&p).await.get("sent"), Some(&(ids.len() as i64)));
    // A later drain finds nothing left to send, however long after.
    let later = drain_with(&p, "cli-2", &slow, opts).await.unwrap();
    assert_eq!(later.sent, 0);
    let counts = slow.counts();
    assert_eq!(counts.len(), ids.len());
    assert!(counts.values().all(|n| *n == 1), "sent twice: {counts:?}");
    for id in ids {
        let row = queue::get(&p, workspace::active(&p).await.unwrap().id, id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.state, State::Sent);
    }
}
