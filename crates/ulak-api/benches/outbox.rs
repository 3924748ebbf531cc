//! Outbox benchmark (not a test): enqueue N messages into the encrypted store, then
//! drain them over SMTP to Postfix's smtp-sink on loopback, the way the app's worker
//! and `ulak outbox drain` do (`ulak_api::outbox::drain`, through the dispatcher). Run by scripts/bench-outbox.sh,
//! which also measures Postfix's own smtp-source against the same sink; this prints one
//! JSON object with the rates.

use std::time::Instant;

use secrecy::SecretString;
use ulak_channels::email::accounts::{self, AccountInput};
use ulak_channels::email::mime::{enqueue, enqueue_many, Draft};
use ulak_channels::email::server::Security;
use ulak_core::store::KdfParams;
use ulak_core::vault::OsKeyring;
use ulak_core::{workspace, OpenOptions, Store};
use ulak_outbox::worker::DrainOptions;

/// This process's user + system CPU time so far, in milliseconds (Linux /proc).
fn cpu_ms() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command's closing parenthesis; utime and stime are 14 and 15.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) * 10.0
}

#[tokio::main]
async fn main() {
    let port: i64 = std::env::var("ULAK_BENCH_SINK_PORT")
        .expect("ULAK_BENCH_SINK_PORT")
        .parse()
        .unwrap();
    let n: usize = std::env::var("ULAK_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().unwrap();
    let vault = OsKeyring {
        disabled: true,
        ..OsKeyring::default()
    };
    let mut o = OpenOptions::new(dir.path(), &vault)
        .passphrase(Some(SecretString::from("benchmark parola".to_string())));
    o.kdf = KdfParams::fast_for_tests();
    let s = Store::open(o).await.unwrap();
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    // ULAK_BENCH_ACCOUNTS sending accounts (issue 17: 4), limits off and no wait, the
    // messages dealt out among them; each account gets its own connections.
    let n_accounts: usize = std::env::var("ULAK_BENCH_ACCOUNTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
        .max(1);
    let mut ids = Vec::new();
    for k in 0..n_accounts {
        let a = accounts::create(
            p,
            ws,
            &AccountInput {
                email: format!("bench{k}@test.local"),
                sender_name: "Bench".into(),
                host: "127.0.0.1".into(),
                port: Some(port),
                security: Some(Security::None),
                username: "bench".into(),
                password: Some("bench".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        ids.push(a.id);
    }
    // About 2 KB of body, like smtp-source -l 2048.
    let body = "Merhaba, bu bir deneme iletisidir. ".repeat(58);
    let draft = |i: usize| Draft {
        account_id: Some(ids[i % n_accounts]),
        from: format!("bench{}@test.local", i % n_accounts),
        to: vec![format!("m{i}@firma.com.tr")],
        subject: format!("bench #{i}"),
        text: body.clone(),
        ..Default::default()
    };
    // A bulk send (what the composer's "one per recipient" and `ulak send --separate`
    // do): one transaction per 1,000 messages.
    let t = Instant::now();
    let drafts: Vec<Draft> = (0..n).map(draft).collect();
    for chunk in drafts.chunks(1000) {
        enqueue_many(p, ws, chunk, chrono::Utc::now())
            .await
            .unwrap();
    }
    let enqueue_secs = t.elapsed().as_secs_f64();
    // One message at a time, each its own transaction (the composer's single send).
    let single = 1000.min(n);
    let t = Instant::now();
    for i in 0..single {
        enqueue(p, ws, &draft(n + i), chrono::Utc::now())
            .await
            .unwrap();
    }
    let single_secs = t.elapsed().as_secs_f64();
    let total = n + single;

    let connections: usize = std::env::var("ULAK_BENCH_CONNECTIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20 / n_accounts)
        .max(1);
    let batch: i64 = std::env::var("ULAK_BENCH_BATCH")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400);
    let cpu = cpu_ms();
    let t = Instant::now();
    let opts = DrainOptions {
        batch,
        concurrency: connections,
        ..Default::default()
    };
    let r = ulak_api::outbox::drain(p, dir.path(), "bench", opts, |_, _| {})
        .await
        .unwrap();
    let drain_secs = t.elapsed().as_secs_f64();
    let drain_cpu = cpu_ms() - cpu;
    assert_eq!(r.sent as usize, total, "{r:?}");
    println!(
        "{{\"messages\": {n}, \"enqueue_per_s\": {:.0}, \"enqueue_single_per_s\": {:.0}, \"drain_per_s\": {:.0}, \"drain_cpu_us_per_message\": {:.1}, \"drain_connections\": {connections}, \"drain_batch\": {batch}, \"accounts\": {n_accounts}}}",
        n as f64 / enqueue_secs,
        single as f64 / single_secs,
        total as f64 / drain_secs,
        drain_cpu * 1000.0 / total as f64
    );
}
