//! SMS benchmark (not a test): N SMS (default 1,000) queued through a Twilio
//! integration and drained to the Twilio-shaped server on loopback
//! (`tests/servers/twilio.py`, which checks every request's shape), the way the app's
//! worker and `ulak outbox drain` do. Run by `scripts/bench-sms.sh`; prints one JSON
//! object: the rates, the peak memory, and how many the server saw (each exactly once).

use std::collections::BTreeMap;
use std::time::Instant;

use secrecy::SecretString;
use ulak_api::sms::{self, SmsInput};
use ulak_channels::integrations::{self, IntegrationInput};
use ulak_channels::testing::{FakeProvider, SID, TOKEN};
use ulak_core::store::KdfParams;
use ulak_core::vault::OsKeyring;
use ulak_core::{workspace, OpenOptions, Store};
use ulak_outbox::worker::DrainOptions;
use ulak_outbox::Channel;

/// A line of /proc/self/status in kB (VmRSS now, VmHWM the peak so far).
fn status_kb(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("ULAK_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000);
    let rate: u32 = std::env::var("ULAK_BENCH_RATE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000);
    let server = FakeProvider::start();
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
    let mut values = BTreeMap::new();
    values.insert("accountSid".to_string(), SID.to_string());
    values.insert("from".to_string(), "+15005550006".to_string());
    values.insert("authToken".to_string(), TOKEN.to_string());
    integrations::set(
        p,
        ws,
        Channel::Sms,
        "twilio",
        &IntegrationInput {
            values,
            base_url: Some(server.base.clone()),
            rate_per_second: Some(rate),
        },
    )
    .await
    .unwrap();
    let rss_before = status_kb("VmRSS:");

    // Queued one at a time, as SMS Gönder and `ulak sms send` do.
    let t = Instant::now();
    for i in 0..n {
        let input = SmsInput {
            to: format!("+90532{:07}", 1_000_000 + i),
            text: format!("Sayın müşterimiz, {i} numaralı teklifiniz hazır. Öztürk Gıda"),
            ..Default::default()
        };
        sms::send_with(p, ws, Some("twilio"), &input, chrono::Utc::now())
            .await
            .unwrap();
    }
    let enqueue_secs = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let r = ulak_api::outbox::drain(p, dir.path(), "bench", DrainOptions::default(), |_, _| {})
        .await
        .unwrap();
    let drain_secs = t.elapsed().as_secs_f64();
    assert_eq!(r.sent as usize, n, "{r:?}");
    let posts: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r["method"] == "POST")
        .collect();
    let clean = posts.iter().all(|r| r["problems"] == serde_json::json!([]));
    let mut to: Vec<&str> = posts
        .iter()
        .filter_map(|r| r["form"]["To"].as_str())
        .collect();
    to.sort_unstable();
    to.dedup();
    println!(
        "{{\"messages\": {n}, \"rate_limit_per_s\": {rate}, \"enqueue_per_s\": {:.0}, \"drain_per_s\": {:.0}, \"server_saw\": {}, \"distinct_recipients\": {}, \"shapes_clean\": {clean}, \"rss_before_kb\": {rss_before}, \"rss_after_kb\": {}, \"peak_rss_kb\": {}}}",
        n as f64 / enqueue_secs,
        n as f64 / drain_secs,
        posts.len(),
        to.len(),
        status_kb("VmRSS:"),
        status_kb("VmHWM:")
    );
}
