//! `ulak suppress`: the suppression list from the command line, and a drain that skips
//! a listed recipient and says so (the sandbox gets only the rest).

mod common;

use common::{failed, files, ok, ulak, PASS};

#[test]
fn a_listed_number_is_skipped_by_the_drain_and_the_list_round_trips_as_csv() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let run = |args: &[&str]| ulak(p, Some(PASS), args);

    // Bad input changes nothing.
    let err = failed(&run(&["suppress", "add", "0532 12"]));
    assert!(err.contains("validation.phone"), "{err}");
    let err = failed(&run(&["suppress", "add", "a@b.com\nBcc: c@d.com"]));
    assert!(err.contains("validation"), "{err}");
    let err = failed(&run(&["suppress", "remove", "+905329990000"]));
    assert!(err.contains("suppress.not_listed"), "{err}");
    let err = failed(&run(&[
        "suppress",
        "add",
        "+905321234567",
        "--requested-at",
        "dün",
    ]));
    assert!(err.contains("outbox.bad_date"), "{err}");
    assert_eq!(ok(&run(&["suppress", "list"])), "");

    let out = ok(&run(&[
        "suppress",
        "add",
        "0532 123 45 67",
        "--reason",
        "iys",
        "--note",
        "RET yanıtı — Şükrü Bey",
        "--requested-at",
        "2026-12-04",
    ]));
    assert!(
        out.contains("+905321234567 is on the suppression list (iys)"),
        "{out}"
    );
    let out = ok(&run(&["suppress", "add", "+90 532 123 4567"]));
    assert!(
        out.contains("was on the list already (iys since 2026-12-0"),
        "{out}"
    );

    // Two SMS queued; one number listed.
    for to in ["+905321234567", "+905329876543"] {
        ok(&run(&[
            "sms",
            "send",
            "--sandbox",
            "--to",
            to,
            "--text",
            "Kış kampanyamız başladı",
        ]));
    }
    let out = ok(&run(&["outbox", "drain"]));
    assert!(
        out.starts_with("sent 1, failed 0"),
        "a skip is not a failure: {out}"
    );
    assert!(
        out.contains("skipped 1: a recipient is on the suppression list"),
        "{out}"
    );
    let sandbox: Vec<String> = files(&p.join("sandbox").join("sms"))
        .into_iter()
        .map(|(_, b)| String::from_utf8(b).unwrap())
        .collect();
    assert_eq!(sandbox.len(), 1, "{sandbox:?}");
    assert!(sandbox[0].contains("+905329876543"));
    assert!(!sandbox.iter().any(|s| s.contains("+905321234567")));

    // The history says who and why.
    let rows: serde_json::Value =
        serde_json::from_str(&ok(&run(&["history", "--state", "failed", "--json"]))).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 1);
    let id = rows[0]["id"].as_i64().unwrap().to_string();
    let detail: serde_json::Value =
        serde_json::from_str(&ok(&run(&["history", "--show", &id, "--json"]))).unwrap();
    assert_eq!(detail["entry"]["lastCode"], "suppressed", "{detail}");
    assert_eq!(detail["skipped"][0]["recipient"], "+905321234567");
    assert_eq!(detail["skipped"][0]["reason"], "iys");

    // Export, then import into a fresh store: the same list.
    let csv = p.join("liste.csv");
    ok(&run(&[
        "suppress",
        "add",
        "Çağla@Örnek.com.tr",
        "--reason",
        "unsubscribed",
    ]));
    ok(&run(&["suppress", "export", csv.to_str().unwrap()]));
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.starts_with("value,reason,note,requested_at\n"),
        "{text}"
    );
    assert!(text.contains("Çağla@Örnek.com.tr,unsubscribed"), "{text}");
    let list: serde_json::Value =
        serde_json::from_str(&ok(&run(&["suppress", "list", "--json"]))).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(
        list[1]["deadlineTr"], "2026-12-09",
        "Friday the 4th + 3 business days"
    );

    let d2 = tempfile::tempdir().unwrap();
    std::fs::write(d2.path().join("x.csv"), format!("{text}yanlış@,manual,,\n")).unwrap();
    let out = ok(&ulak(
        d2.path(),
        Some(PASS),
        &[
            "suppress",
            "import",
            d2.path().join("x.csv").to_str().unwrap(),
        ],
    ));
    assert!(
        out.starts_with("added 2, already listed 0, not taken 1"),
        "{out}"
    );
    assert!(
        out.contains("line 4: \"yanlış@\" (validation.email)"),
        "{out}"
    );
    let again: serde_json::Value = serde_json::from_str(&ok(&ulak(
        d2.path(),
        Some(PASS),
        &["suppress", "list", "--json"],
    )))
    .unwrap();
    let key = |v: &serde_json::Value| -> Vec<(String, String, String)> {
        let mut v: Vec<_> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["value"].as_str().unwrap().to_string(),
                    e["reason"].as_str().unwrap().to_string(),
                    e["requestedAt"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(key(&again), key(&list));

    // Off the list and retried: it goes.
    ok(&run(&["suppress", "remove", "0532 123 45 67"]));
    ok(&run(&["history", "--retry", &id]));
    let out = ok(&run(&["outbox", "drain"]));
    assert!(out.starts_with("sent 1, failed 0"), "{out}");
    assert_eq!(files(&p.join("sandbox").join("sms")).len(), 2);
}
