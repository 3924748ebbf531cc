//! `ulak notify prefs`: the defaults (failures on, successes off), a row changed, the
//! desktop switched off, and bad input refused with nothing changed.

mod common;

use common::{failed, ok, ulak, PASS};

fn prefs(p: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&ok(&ulak(
        p,
        Some(PASS),
        &["notify", "prefs", "show", "--json"],
    )))
    .unwrap()
}

fn row(v: &serde_json::Value, event: &str) -> serde_json::Value {
    v["prefs"]["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["event"] == event)
        .unwrap()
        .clone()
}

#[test]
fn notification_preferences_from_the_command_line() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let v = prefs(p);
    assert_eq!(v["enabled"], true);
    assert_eq!(
        row(&v, "message.failed")["channels"],
        serde_json::json!(["desktop"])
    );
    assert_eq!(row(&v, "message.sent")["channels"], serde_json::json!([]));

    ok(&ulak(
        p,
        Some(PASS),
        &[
            "notify",
            "prefs",
            "set",
            "message.failed",
            "--digest",
            "10m",
            "--every",
            "90s",
        ],
    ));
    ok(&ulak(
        p,
        Some(PASS),
        &[
            "notify",
            "prefs",
            "set",
            "message.sent",
            "--channels",
            "desktop,email",
        ],
    ));
    ok(&ulak(
        p,
        Some(PASS),
        &["notify", "prefs", "set", "--desktop", "off"],
    ));
    let v = prefs(p);
    assert_eq!(v["enabled"], false);
    let failed_row = row(&v, "message.failed");
    assert_eq!(
        (
            failed_row["digestSecs"].as_u64(),
            failed_row["minIntervalSecs"].as_u64()
        ),
        (Some(600), Some(90))
    );
    assert_eq!(
        row(&v, "message.sent")["channels"],
        serde_json::json!(["desktop", "email"])
    );
    let table = ok(&ulak(p, Some(PASS), &["notify", "prefs", "show"]));
    assert!(table.contains("desktop notifications: off"), "{table}");
    assert!(table.contains("10m"), "{table}");

    for bad in [
        vec![
            "notify",
            "prefs",
            "set",
            "deal.won",
            "--channels",
            "desktop",
        ],
        vec![
            "notify",
            "prefs",
            "set",
            "message.sent",
            "--channels",
            "güvercin",
        ],
        vec![
            "notify",
            "prefs",
            "set",
            "message.sent",
            "--digest",
            "2 gün",
        ],
        vec!["notify", "prefs", "set", "message.sent", "--every", "25h"],
        vec!["notify", "prefs", "set", "--desktop", "belki"],
    ] {
        let err = failed(&ulak(p, Some(PASS), &bad));
        assert!(err.contains("validation.choice"), "{bad:?}: {err}");
    }
    assert_eq!(prefs(p), v, "nothing changed");
}
