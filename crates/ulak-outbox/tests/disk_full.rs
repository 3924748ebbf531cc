//! The disk filling up during a drain: the messages already sent are recorded (the
//! store's reserve is given back for that), nothing more is sent, the drain ends with
//! `store.disk_full`, and once space is freed the next drain sends the rest: none lost,
//! none twice. Runs on a small tmpfs of its own (needs root to mount; skipped with a
//! line on standard error otherwise).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use ulak_core::testing::temp_store as store;
use ulak_core::{workspace, ErrorCode, UserFacing};
use ulak_outbox::queue::{self, Channel, Claimed, NewMessage, Outcome};
use ulak_outbox::worker::{drain_with, Deliver, DrainOptions};

/// A tmpfs of `mb` megabytes, unmounted when dropped.
struct Small {
    dir: tempfile::TempDir,
}

impl Small {
    fn mount(mb: u32) -> Option<Small> {
        let dir = tempfile::tempdir().ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={mb}m"), "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Small { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Small {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

/// Fills the disk holding `dir` to the last byte with `dir/filler`.
fn fill(dir: &Path) -> PathBuf {
    use std::io::Write;
    let path = dir.join("filler");
    let mut f = std::fs::File::create(&path).unwrap();
    let chunk = vec![7u8; 64 * 1024];
    while f.write_all(&chunk).is_ok() {}
    let small = [7u8; 512];
    while f.write_all(&small).is_ok() {}
    let _ = f.sync_all();
    path
}

/// Counts what it delivered; fills the disk once `fill_after` messages went.
#[derive(Clone)]
struct Provider {
    delivered: Arc<Mutex<HashMap<i64, usize>>>,
    fill_after: Option<(usize, PathBuf)>,
    filler: Arc<Mutex<Option<PathBuf>>>,
}

impl Deliver for Provider {
    async fn deliver(&self, c: &Claimed) -> Outcome {
        let n = {
            let mut d = self.delivered.lock().unwrap();
            *d.entry(c.id).or_default() += 1;
            d.values().sum::<usize>()
        };
        if let Some((after, dir)) = &self.fill_after {
            if n == *after {
                *self.filler.lock().unwrap() = Some(fill(dir));
            }
        }
        Outcome::Sent {
            reply: "accepted".into(),
        }
    }
}

#[tokio::test]
async fn a_disk_that_fills_during_a_drain_loses_nothing_and_sends_nothing_twice() {
    let Some(disk) = Small::mount(24) else {
        eprintln!("skipped: mounting a tmpfs needs root");
        return;
    };
    let s = store(disk.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let mut ids = Vec::new();
    for i in 0..40 {
        let to = format!("+90532100{i:04}");
        let m = NewMessage {
            channel: Channel::Sms,
            provider: "test-provider".into(),
            account_id: Some(1),
            company_id: None,
            reference: format!("ref-{i}"),
            idempotency_key: format!("key-{i}"),
            sender: "ULAK".into(),
            recipients: vec![to.clone()],
            to_display: to,
            subject: format!("Kampanya {i} — Gülşen Hanım"),
            attachment_count: 0,
            payload: vec![b'x'; 2000],
        };
        ids.push(queue::enqueue(p, ws, &m, Utc::now()).await.unwrap());
    }
    let provider = Provider {
        delivered: Arc::default(),
        fill_after: Some((5, disk.path().to_path_buf())),
        filler: Arc::default(),
    };
    let opts = DrainOptions {
        batch: 10,
        concurrency: 1,
        ..Default::default()
    };
    let e = drain_with(p, "cli-1", &provider, opts)
        .await
        .expect_err("the drain ends on the full disk");
    assert_eq!(e.code(), ErrorCode::StoreDiskFull, "{e:?}");

    // Space comes back; what was sent is recorded as sent, nothing is held.
    let filler = provider.filler.lock().unwrap().take().expect("filled");
    std::fs::remove_file(filler).unwrap();
    let sent_before = provider.delivered.lock().unwrap().len();
    assert!(sent_before >= 5 && sent_before < ids.len(), "{sent_before}");
    let states: HashMap<String, i64> =
        sqlx::query_as::<_, (String, i64)>("SELECT state, count(*) FROM messages GROUP BY state")
            .fetch_all(p)
            .await
            .unwrap()
            .into_iter()
            .collect();
    assert_eq!(
        states.get("sent"),
        Some(&(sent_before as i64)),
        "{states:?}"
    );
    assert_eq!(states.get("sending"), None, "{states:?}");

    // The next drain (another process) sends the rest at once, each once.
    let again = Provider {
        fill_after: None,
        ..provider.clone()
    };
    let r = drain_with(p, "cli-2", &again, opts).await.unwrap();
    assert_eq!(r.sent as usize, ids.len() - sent_before);
    let d = provider.delivered.lock().unwrap().clone();
    assert_eq!(d.len(), ids.len(), "every message sent");
    assert!(d.values().all(|n| *n == 1), "none twice: {d:?}");
    s.close().await;
    tokio::time::sleep(Duration::from_millis(50)).await;
}

#[tokio::test]
async fn a_full_disk_still_opens_the_store_for_reading_and_a_write_says_disk_full() {
    let Some(disk) = Small::mount(16) else {
        eprintln!("skipped: mounting a tmpfs needs root");
        return;
    };
    let s = store(disk.path()).await;
    let ws = workspace::active(s.pool()).await.unwrap().id;
    let m = NewMessage {
        channel: Channel::Sms,
        provider: "test-provider".into(),
        account_id: Some(1),
        company_id: None,
        reference: "ref-full".into(),
        idempotency_key: "key-full".into(),
        sender: "ULAK".into(),
        recipients: vec!["+905321112233".into()],
        to_display: "+905321112233".into(),
        subject: "Dolu disk — Şükrü Bey".into(),
        attachment_count: 0,
        payload: b"{}".to_vec(),
    };
    let id = queue::enqueue(s.pool(), ws, &m, Utc::now()).await.unwrap();
    // Closed: SQLite removes its -wal and -shm, which a new opening must make again.
    s.close().await;
    let filler = fill(disk.path());

    let s = store(disk.path()).await;
    let p = s.pool();
    let row = queue::get(p, ws, id)
        .await
        .unwrap()
        .expect("read on a full disk");
    assert_eq!(row.subject, "Dolu disk — Şükrü Bey");
    assert_eq!(ulak_outbox::worker::waiting(p).await.unwrap(), 1);
    // Writing is what needs room: refused with the clear error, nothing half-written.
    let mut more = m.clone();
    more.idempotency_key = "key-full-2".into();
    // More than the 4 MB the reserve gave back, a fifth of it at a time.
    more.payload = vec![b'x'; 800_000];
    let mut refused = None;
    for _ in 0..50 {
        match queue::enqueue(p, ws, &more, Utc::now()).await {
            Ok(_) => more.idempotency_key.push('x'),
            Err(e) => {
                refused = Some(e);
                break;
            }
        }
    }
    let e = refused.expect("the disk fills up");
    assert_eq!(e.code(), ErrorCode::StoreDiskFull, "{e:?}");
    s.close().await;
    std::fs::remove_file(filler).unwrap();
}
