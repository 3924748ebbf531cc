//! SIGKILL in the middle of a bulk send of 1,000 messages to the real Postfix, then a
//! restart: every message is delivered, none lost, and duplicates are at most the one
//! batch that was in flight when the process died. A webhook endpoint listening for
//! message.sent gets exactly one event per message: none lost to the kill, none twice.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use ulak_channels::email::testing::MailServer;

use secrecy::SecretString;
use ulak_channels::email::mime::{enqueue, Draft};
use ulak_core::vault::OsKeyring;
use ulak_core::{workspace, OpenOptions, Store};

const PASS: &str = "çok gizli parola 42";
const TOTAL: usize = 1000;
const BATCH: usize = 20;

fn ulak(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ulak"));
    c.arg("--data-dir")
        .arg(dir)
        .env("ULAK_KEYRING", "disabled")
        .env("ULAK_DB_PASSPHRASE", PASS);
    c
}

/// How often each subject of this run was delivered.
fn deliveries(maildir: &str, tag: &str) -> HashMap<String, usize> {
    let mut seen = HashMap::new();
    for d in ["new", "cur"] {
        for e in std::fs::read_dir(format!("{maildir}/{d}"))
            .into_iter()
            .flatten()
            .flatten()
        {
            let text = std::fs::read_to_string(e.path()).unwrap_or_default();
            if let Some(line) = text
                .lines()
                .find(|l| l.starts_with("Subject: ") && l.contains(tag))
            {
                *seen.entry(line.to_string()).or_insert(0) += 1;
            }
        }
    }
    seen
}

/// A data folder with an account on the test Postfix (no limits of the user's: a bulk
/// send as fast as the server takes it) and `total` messages queued, each subject
/// tagged with `name` and this run; None without the test mail server.
struct Prepared {
    dir: tempfile::TempDir,
    tag: String,
    maildir: String,
}

fn prepare(name: &str, total: usize) -> Option<Prepared> {
    let m = MailServer::from_env()?;
    let (port, ca, maildir, user, pw) = (
        m.starttls.to_string(),
        m.ca.clone(),
        m.maildir.clone(),
        m.user.clone(),
        m.password.clone(),
    );
    let d = tempfile::tempdir().unwrap();
    let mut add = ulak(d.path())
        .args([
            "accounts",
            "add",
            "--email",
            &user,
            "--host",
            "localhost",
            "--port",
            &port,
        ])
        .args([
            "--security",
            "starttls",
            "--username",
            &user,
            "--password-stdin",
            // A bulk send as fast as the server takes it: no limits of the user's.
            "--daily-limit",
            "off",
            "--min-wait",
            "0",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(add.stdin.take().unwrap(), "{pw}").unwrap();
    let out = add.wait_with_output().unwrap();
    assert!(out.status.success());
    let account: i64 = String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(ulak(d.path())
        .args(["accounts", "trust-ca", "--id", &account.to_string(), &ca])
        .status()
        .unwrap()
        .success());

    // `total` messages written to the store, as the composer would.
    // Named per call: the tests of this file run at once against one maildir.
    let tag = format!(
        "{name}-{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_millis()
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let vault = OsKeyring {
            disabled: true,
            ..OsKeyring::default()
        };
        let s = Store::open(
            OpenOptions::new(d.path(), &vault)
                .passphrase(Some(SecretString::from(PASS.to_string()))),
        )
        .await
        .unwrap();
        let ws = workspace::active(s.pool()).await.unwrap().id;
        for i in 0..total {
            let draft = Draft {
                account_id: Some(account),
                from: user.clone(),
                to: vec![format!("musteri{i}@firma.com.tr")],
                subject: format!("{tag} #{i}"),
                text: "Merhaba\n".into(),
                ..Default::default()
            };
            enqueue(s.pool(), ws, &draft, chrono::Utc::now())
                .await
                .unwrap();
        }
        s.close().await;
    });

    Some(Prepared {
        dir: d,
        tag,
        maildir,
    })
}

#[test]
fn a_killed_bulk_send_resumes_with_nothing_lost_and_at_most_one_batch_twice() {
    let Some(Prepared {
        dir: d,
        tag,
        maildir,
    }) = prepare("kill", TOTAL)
    else {
        return;
    };
    // An endpoint that hears of every sent message (nothing listens there: its
    // deliveries wait to be tried again, which is all this test needs).
    let hook = ulak(d.path())
        .args([
            "webhooks",
            "add",
            "http://127.0.0.1:9/ulak",
            "--events",
            "message.sent",
            "--allow-private",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        hook.status.success(),
        "{}",
        String::from_utf8_lossy(&hook.stderr)
    );
    let hook: serde_json::Value = serde_json::from_slice(&hook.stdout).unwrap();
    let hook_id = hook["endpoint"]["id"].to_string();

    // Kill the sender once a good part is out.
    let mut child = ulak(d.path())
        .args([
            "outbox",
            "drain",
            "--batch",
            &BATCH.to_string(),
            "--lease-secs",
            "3",
        ])
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while deliveries(&maildir, &tag).len() < TOTAL / 3 {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the drain made no progress"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let at_kill = deliveries(&maildir, &tag).len();
    assert!(at_kill < TOTAL, "killed before the end ({at_kill})");

    // Start again after the dead worker's lease ran out.
    std::thread::sleep(Duration::from_secs(4));
    let out = ulak(d.path())
        .args(["outbox", "drain", "--lease-secs", "3"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let start = Instant::now();
    let mut seen = deliveries(&maildir, &tag);
    while seen.len() < TOTAL && start.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(100));
        seen = deliveries(&maildir, &tag);
    }
    assert_eq!(seen.len(), TOTAL, "every message delivered, none lost");
    let duplicates: usize = seen.values().map(|n| n - 1).sum();
    eprintln!("killed after {at_kill} deliveries; {duplicates} delivered twice");
    assert!(
        duplicates <= BATCH,
        "{duplicates} duplicates, more than the {BATCH} in flight"
    );

    let status = ulak(d.path())
        .args(["outbox", "status", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(v["sent"], TOTAL as u64, "{v}");

    // One message.sent event per message, queued with its outcome: the kill lost none
    // and the resumed send queued none twice.
    let log = ulak(d.path())
        .args(["webhooks", "log", &hook_id, "--limit", "1000", "--json"])
        .output()
        .unwrap();
    let log: Vec<serde_json::Value> = serde_json::from_slice(&log.stdout).unwrap();
    let events: std::collections::HashSet<String> = log
        .iter()
        .filter(|l| l["event"] == "message.sent")
        .map(|l| l["eventId"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(log.len(), TOTAL, "one delivery per sent message");
    assert_eq!(events.len(), TOTAL, "each a different event");
}

fn states(dir: &Path) -> serde_json::Value {
    let status = ulak(dir)
        .args(["outbox", "status", "--json"])
        .output()
        .unwrap();
    serde_json::from_slice(&status.stdout).unwrap()
}

fn interrupt(child: &std::process::Child) {
    assert!(Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap()
        .success());
}

/// Ctrl-C during `ulak outbox drain`: the first one finishes the batch being sent,
/// records it, gives back the rest of the claim and exits 130, so nothing is held
/// for a lease and a second drain at once sends the rest, none twice; a second Ctrl-C
/// quits at once.
#[test]
fn ctrl_c_stops_a_drain_cleanly_and_the_next_one_sends_the_rest_once() {
    // Postfix puts mail in the maildir a little after it took it: enough messages that
    // the drain is still sending when the first tenth has arrived.
    const N: usize = 1200;
    let Some(Prepared {
        dir: d,
        tag,
        maildir,
    }) = prepare("ctrl-c", N)
    else {
        return;
    };
    let child = ulak(d.path())
        .args(["outbox", "drain", "--batch", &BATCH.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while deliveries(&maildir, &tag).len() < N / 10 {
        assert!(start.elapsed() < Duration::from_secs(120), "no progress");
        std::thread::sleep(Duration::from_millis(20));
    }
    // A crash of the drain would write no core file (with the store's key in it).
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", child.id())).unwrap();
    let core = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .unwrap();
    assert_eq!(
        core.split_whitespace().nth(4),
        Some("0"),
        "no core dumps: {core}"
    );
    interrupt(&child);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("stopped by Ctrl-C"), "{said}");
    let v = states(d.path());
    let sent = v["sent"].as_u64().unwrap_or(0) as usize;
    let queued = v["queued"].as_u64().unwrap_or(0) as usize;
    assert!(v.get("sending").is_none(), "nothing left held: {v}");
    assert_eq!(sent + queued, N, "{v}");
    assert!(queued > 0, "stopped before the end: {v}");

    // The next drain needs no lease to run out: the rest goes now, each once.
    let out = ulak(d.path()).args(["outbox", "drain"]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let start = Instant::now();
    let mut seen = deliveries(&maildir, &tag);
    while seen.len() < N && start.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(100));
        seen = deliveries(&maildir, &tag);
    }
    assert_eq!(seen.len(), N, "every message delivered");
    assert!(seen.values().all(|n| *n == 1), "none twice");

    // Twice: it quits at once (what it held comes back after its lease).
    let Some(Prepared {
        dir: d,
        tag,
        maildir,
    }) = prepare("ctrl-c-twice", N)
    else {
        return;
    };
    let mut child = ulak(d.path())
        .args(["outbox", "drain", "--batch", &BATCH.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    while deliveries(&maildir, &tag).len() < N / 5 {
        std::thread::sleep(Duration::from_millis(20));
    }
    interrupt(&child);
    interrupt(&child);
    assert_eq!(child.wait().unwrap().code(), Some(130));
    let v = states(d.path());
    assert!(v["queued"].as_u64().unwrap_or(0) > 0, "{v}");
}
