//! `ulak webhooks` end to end: an endpoint added (its secret printed once), bad
//! endpoints refused with nothing saved, a sandbox SMS drained and heard of by the
//! HTTPS receiver (`tests/servers/webhook_receiver.py`, which verifies the signature
//! itself), a test event, a rotation, the delivery log, and removal.

mod common;

use common::{failed, ok, ulak, PASS};
use ulak_channels::testing::FakeProvider;

fn json(out: &str) -> serde_json::Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[test]
fn webhooks_from_the_command_line() {
    let certs = tempfile::tempdir().unwrap();
    // The child `ulak` processes trust the receiver's test CA (the native roots read it).
    std::env::set_var("SSL_CERT_FILE", certs.path().join("ca.pem"));
    let secrets = certs.path().join("secrets");
    let r = FakeProvider::webhook_receiver(&secrets, certs.path());
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let run = |args: &[&str]| ulak(p, Some(PASS), args);

    // Bad endpoints: refused, with what to do, and nothing saved.
    let err = failed(&run(&[
        "webhooks",
        "add",
        "http://crm.example.com/h",
        "--events",
        "message.sent",
    ]));
    assert!(err.contains("webhook.insecure"), "{err}");
    let err = failed(&run(&[
        "webhooks",
        "add",
        &format!("{}/ok", r.base),
        "--events",
        "deal.won",
        "--allow-private",
    ]));
    assert!(
        err.contains("webhook.events") && err.contains("message.failed"),
        "{err}"
    );
    let err = failed(&run(&[
        "webhooks",
        "add",
        &format!("{}/ok", r.base),
        "--events",
        "message.sent",
    ]));
    assert!(err.contains("webhook.private_address"), "{err}");
    assert_eq!(
        json(&ok(&run(&["webhooks", "list", "--json"]))),
        serde_json::json!([])
    );

    let added = json(&ok(&run(&[
        "webhooks",
        "add",
        &format!("{}/ok", r.base),
        "--events",
        "message.sent,message.failed",
        "--allow-private",
        "--json",
    ])));
    let secret = added["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"));
    std::fs::write(&secrets, &secret).unwrap();
    let id = added["endpoint"]["id"].as_i64().unwrap().to_string();

    // A sandbox SMS, drained: the receiver hears of it, signed.
    ok(&run(&[
        "sms",
        "send",
        "--sandbox",
        "--to",
        "0532 765 43 21",
        "--text",
        "Işıl Hanım, teklifiniz hazır",
    ]));
    ok(&run(&["outbox", "drain"]));
    ok(&run(&["webhooks", "test", &id]));
    ok(&run(&["outbox", "drain"]));
    let seen = r.requests();
    assert_eq!(seen.len(), 2, "{seen:#?}");
    assert_eq!(seen[0]["body"]["type"], "message.sent");
    assert_eq!(seen[0]["body"]["data"]["to"], "+905327654321");
    assert_eq!(seen[1]["body"]["type"], "webhook.test");
    for s in &seen {
        assert_eq!(s["problems"], serde_json::json!([]), "{s}");
    }

    // The secret is never shown again; a rotation prints the new one once.
    let listed = ok(&run(&["webhooks", "list"]));
    assert!(
        listed.contains("last answer 200") && !listed.contains("whsec_"),
        "{listed}"
    );
    let rotated = ok(&run(&["webhooks", "rotate-secret", &id]));
    let fresh = rotated
        .split_whitespace()
        .find(|w| w.starts_with("whsec_"))
        .unwrap();
    assert_ne!(fresh, secret);
    assert!(!ok(&run(&["webhooks", "list", "--json"])).contains("whsec_"));

    // The log has both deliveries; the history only the SMS.
    let log = json(&ok(&run(&["webhooks", "log", &id, "--json"])));
    assert_eq!(log.as_array().unwrap().len(), 2);
    assert!(log.as_array().unwrap().iter().all(|l| l["state"] == "sent"));
    let history = json(&ok(&run(&["history", "--json"])));
    assert_eq!(history.as_array().unwrap().len(), 1, "{history}");

    ok(&run(&["webhooks", "remove", &id]));
    let err = failed(&run(&["webhooks", "test", &id]));
    assert!(err.contains("webhook.not_found"), "{err}");
}
