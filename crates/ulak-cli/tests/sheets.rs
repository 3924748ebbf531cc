//! `ulak sheets` (issue 20): Google Sheets connected through the test authorization
//! server (tests/servers/oauth.py), then the Sheets-shaped API (google_api.py): the send
//! history exported into a new spreadsheet (Turkish header, a CRM's "=…" kept as
//! text) and again into the chosen one; a bad or unknown spreadsheet told; an
//! automation's invoice row queued and sent once, also when Google's answer to the
//! append was lost (the retry finds its reference and adds nothing).

mod common;

use common::{configure_oauth, failed, ok, signing_in, ulak, PASS};
use serde_json::{json, Value};
use ulak_channels::testing::{browser_sign_in, FakeProvider};

fn json_of(o: &std::process::Output) -> Value {
    serde_json::from_str(&ok(o)).unwrap()
}

async fn book(api: &FakeProvider, id: &str) -> Value {
    let text = reqwest::get(format!("{}/_test/sheets/{id}", api.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn history_exports_and_automation_rows_reach_google_sheets_once() {
    let auth = FakeProvider::oauth(true, &[]);
    let api = FakeProvider::google_api();
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let run = |args: &[&str]| ulak(p, Some(PASS), args);
    configure_oauth(p, "google", &auth, &api.base);

    // Not connected: said, with the way to connect.
    assert_eq!(ok(&run(&["sheets", "status"])).trim(), "not connected");
    let err = failed(&run(&["sheets", "export-history"]));
    assert!(err.contains("sheets.not_connected"), "{err}");

    let (mut child, url) = signing_in(
        p,
        &[
            "sheets",
            "connect",
            "--no-browser",
            "--email",
            "ayse@gmail.com",
        ],
    );
    let (status, _) = browser_sign_in(&url).await;
    assert_eq!(status, 200);
    assert!(child.wait().unwrap().success());
    let s = json_of(&run(&["sheets", "status", "--json"]));
    assert!(
        s["scopes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x == "https://www.googleapis.com/auth/spreadsheets"),
        "{s}"
    );
    ok(&run(&["sheets", "test"]));

    // Something to export: a mail into the test box, its subject a CRM's formula.
    let company = ok(&run(&["companies", "add", "Öztürk Gıda"]));
    let body = p.join("govde.txt");
    std::fs::write(&body, "Merhaba Işıl Hanım").unwrap();
    ok(&run(&[
        "send",
        "--sandbox",
        "--company",
        company.trim(),
        "--to",
        "isil@musteri.com.tr",
        "--subject",
        "=HYPERLINK(\"http://x\") Teklif ğüşıöç",
        "--body-file",
        body.to_str().unwrap(),
    ]));
    ok(&run(&["outbox", "drain"]));

    let e = json_of(&run(&["sheets", "export-history", "--json"]));
    assert_eq!(e["rows"], 1, "{e}");
    assert_eq!(e["sheet"], "Gönderimler");
    let id = e["spreadsheet"]["id"].as_str().unwrap().to_string();
    assert!(
        e["spreadsheet"]["title"]
            .as_str()
            .unwrap()
            .starts_with("Ulak — Gönderim geçmişi"),
        "{e}"
    );
    let b = book(&api, &id).await;
    let rows = b["sheets"]["Gönderimler"].as_array().unwrap().clone();
    assert_eq!(rows.len(), 2, "{b}");
    assert_eq!(rows[0][0], "Tarih");
    assert_eq!(rows[0][4], "Konu");
    assert_eq!(rows[1][2], "Öztürk Gıda");
    assert_eq!(rows[1][3], "isil@musteri.com.tr");
    assert_eq!(rows[1][4], "=HYPERLINK(\"http://x\") Teklif ğüşıöç");
    assert_eq!(rows[1][5], "Gönderildi");
    let appends: Vec<Value> = api
        .requests()
        .into_iter()
        .filter(|r| r["path"].as_str().unwrap_or("").ends_with(":append"))
        .collect();
    assert_eq!(appends.len(), 1);
    assert_eq!(
        appends[0]["query"]["valueInputOption"], "RAW",
        "{:?}",
        appends[0]
    );
    for r in api.requests() {
        assert_eq!(r["problems"], json!([]), "{r}");
    }

    // Again, into the chosen spreadsheet by its address: appended under the first.
    let address = format!("https://docs.google.com/spreadsheets/d/{id}/edit#gid=0");
    let again = json_of(&run(&[
        "sheets",
        "export-history",
        "--spreadsheet",
        &address,
        "--json",
    ]));
    assert_eq!(again["spreadsheet"]["id"], id.as_str());
    let b = book(&api, &id).await;
    assert_eq!(b["sheets"]["Gönderimler"].as_array().unwrap().len(), 4);
    let err = failed(&run(&["sheets", "export-history", "--spreadsheet", "kısa"]));
    assert!(err.contains("sheets.bad_spreadsheet"), "{err}");
    let err = failed(&run(&[
        "sheets",
        "export-history",
        "--spreadsheet",
        "1AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ]));
    assert!(
        err.contains("sheets.refused") && err.contains("not found"),
        "{err}"
    );

    // An automation: invoice.paid → a row in the chosen spreadsheet's sheet "Ödemeler".
    let created = json_of(&run(&["sheets", "export-history", "--json"]));
    let sid = created["spreadsheet"]["id"].as_str().unwrap().to_string();
    // No sheet named: the row goes to the spreadsheet's first sheet ("Gönderimler").
    let rule = p.join("rule.json");
    std::fs::write(
        &rule,
        json!({"name": "Fatura ödendi → tablo", "event": "invoice.paid",
               "actions": [{"kind": "sheetRow", "spreadsheet": address.replace(&id, &sid)}]})
        .to_string(),
    )
    .unwrap();
    let rule_id = ok(&run(&[
        "automations",
        "add",
        "--json",
        rule.to_str().unwrap(),
    ]))
    .trim()
    .to_string();
    ok(&run(&["automations", "enable", &rule_id]));
    let invoice = p.join("invoice.json");
    std::fs::write(
        &invoice,
        json!({"id": "INV-7", "data": {"number": "FTR-2026-07", "title": "Aralık faturası", "amount": "12.500,00 TL",
               "company": {"name": "Öztürk Gıda"}, "contact": {"name": "Işıl Şahin", "email": "isil@musteri.com.tr"}}})
        .to_string(),
    )
    .unwrap();
    // Google takes the row but its answer is lost: the next try finds it, adds nothing.
    reqwest::Client::new()
        .post(format!("{}/_test/sheets/fail-after-append", api.base))
        .body(r#"{"count": 1}"#)
        .send()
        .await
        .unwrap();
    let emitted = json_of(&run(&[
        "event",
        "emit",
        "invoice.paid",
        "--json",
        invoice.to_str().unwrap(),
        "--print-json",
    ]));
    let ours = emitted["runs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Fatura ödendi → tablo")
        .expect("the rule ran")
        .clone();
    assert_eq!(ours["run"]["actions"][0]["ok"], true, "{ours}");
    let before = book(&api, &sid).await["sheets"]["Gönderimler"]
        .as_array()
        .unwrap()
        .len();
    let start = std::time::Instant::now();
    loop {
        ok(&run(&["outbox", "drain"]));
        let rows_queued = json_of(&run(&["history", "--channel", "webhook", "--json"]));
        let all_sent = rows_queued
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["state"] == "sent");
        let b = book(&api, &sid).await;
        let rows = b["sheets"]["Gönderimler"].as_array().unwrap().clone();
        let tries = api
            .requests()
            .iter()
            .filter(|r| {
                r["path"].as_str().unwrap_or("").ends_with(":append")
                    && r["json"]["values"][0][9]
                        .as_str()
                        .is_some_and(|k| k.contains("invoice.paid:INV-7"))
            })
            .count();
        if rows.len() == before + 1 && all_sent {
            assert_eq!(tries, 1, "appended once; the retry only read the column");
            break;
        }
        assert!(
            start.elapsed().as_secs() < 60,
            "the row went once: {rows:?} {rows_queued}"
        );
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    let b = book(&api, &sid).await;
    let rows = b["sheets"]["Gönderimler"].as_array().unwrap().clone();
    let row = rows.last().unwrap();
    assert_eq!(row[1], "invoice.paid", "{row}");
    assert_eq!(row[2], "Öztürk Gıda");
    assert_eq!(row[3], "Işıl Şahin");
    assert_eq!(row[6], "FTR-2026-07");
    assert_eq!(row[8], "12.500,00 TL");
    let reference = row[9].as_str().unwrap().to_string();
    assert!(reference.contains("invoice.paid:INV-7"), "{reference}");
    assert_eq!(
        rows.iter().filter(|r| r[9] == reference.as_str()).count(),
        1,
        "once, though Google's first answer was lost"
    );
    // The same event again: nothing new is queued.
    let dup = json_of(&run(&[
        "event",
        "emit",
        "invoice.paid",
        "--json",
        invoice.to_str().unwrap(),
        "--print-json",
    ]));
    assert_eq!(dup["duplicate"], true, "{dup}");
}
