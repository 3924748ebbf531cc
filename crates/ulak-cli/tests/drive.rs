//! `ulak drive` (issue 20): Google Drive connected through the test authorization
//! server, then backups to the Drive-shaped API (google_api.py, which keeps `drive.file`'s
//! rule: an app sees only what it made): the send history as a CSV (Turkish letters,
//! a CRM's "=…" never a formula) into Ulak's own folder, made once and found again;
//! the sent e-mails as .eml files, exactly as they went; a folder Ulak did not make is
//! refused on the folder field.

mod common;

use common::{configure_oauth, failed, ok, signing_in, ulak, PASS};
use serde_json::{json, Value};
use ulak_channels::testing::{browser_sign_in, FakeProvider};

fn json_of(o: &std::process::Output) -> Value {
    serde_json::from_str(&ok(o)).unwrap()
}

async fn folder(api: &FakeProvider, id: &str) -> Value {
    let text = reqwest::get(format!("{}/_test/drive/{id}", api.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_history_and_sent_mails_are_backed_up_to_drive() {
    let auth = FakeProvider::oauth(true, &[]);
    let api = FakeProvider::google_api();
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let run = |args: &[&str]| ulak(p, Some(PASS), args);
    configure_oauth(p, "google", &auth, &api.base);

    let err = failed(&run(&["drive", "backup", "history"]));
    assert!(err.contains("drive.not_connected"), "{err}");
    let (mut child, url) = signing_in(
        p,
        &[
            "drive",
            "connect",
            "--no-browser",
            "--email",
            "ayse@gmail.com",
        ],
    );
    assert!(url.contains("drive.file"), "{url}");
    assert_eq!(browser_sign_in(&url).await.0, 200);
    assert!(child.wait().unwrap().success());

    let company = ok(&run(&["companies", "add", "Öztürk Gıda"]));
    let body = p.join("govde.txt");
    std::fs::write(&body, "Merhaba Işıl Hanım, teklifimiz ektedir.").unwrap();
    for subject in ["=SUM(1;2) Teklif ğüşıöç", "Şubat fiyat listesi"] {
        ok(&run(&[
            "send",
            "--sandbox",
            "--company",
            company.trim(),
            "--to",
            "isil@musteri.com.tr",
            "--subject",
            subject,
            "--body-file",
            body.to_str().unwrap(),
        ]));
    }
    ok(&run(&["outbox", "drain"]));

    let h = json_of(&run(&["drive", "backup", "history", "--json"]));
    assert_eq!(h["folder"]["name"], "Ulak yedekleri", "{h}");
    let fid = h["folder"]["id"].as_str().unwrap().to_string();
    let f = folder(&api, &fid).await;
    let files = f["files"].as_array().unwrap();
    assert_eq!(files.len(), 1, "{f}");
    assert_eq!(files[0]["mimeType"], "text/csv");
    let csv = files[0]["text"].as_str().unwrap();
    assert!(csv.starts_with('\u{feff}'), "a BOM for Excel");
    assert!(csv.contains("Tarih,Kanal,Firma,Alıcı,Konu"), "{csv}");
    assert!(
        csv.contains("'=SUM(1;2) Teklif ğüşıöç"),
        "never a formula: {csv}"
    );
    assert_eq!(csv.lines().count(), 3, "{csv}");

    // The sent e-mails, into the same folder (remembered), exactly as they went.
    let e = json_of(&run(&["drive", "backup", "emails", "--json"]));
    assert_eq!(e["folder"]["id"], fid.as_str(), "{e}");
    assert_eq!(e["files"].as_array().unwrap().len(), 2);
    let f = folder(&api, &fid).await;
    let emls: Vec<&Value> = f["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["mimeType"] == "message/rfc822")
        .collect();
    assert_eq!(emls.len(), 2, "{f}");
    assert!(emls
        .iter()
        .all(|x| x["name"].as_str().unwrap().ends_with(".eml")
            && x["text"].as_str().unwrap().contains("Message-ID:")));
    assert!(emls
        .iter()
        .any(|x| x["name"].as_str().unwrap().contains("şubat-fiyat-listesi")));

    // A folder Ulak did not make: refused, on the folder field.
    let err = failed(&run(&[
        "drive",
        "backup",
        "history",
        "--folder",
        "https://drive.google.com/drive/folders/1dyUEebJaFnWa3Z4n0BFMVAXQ7mfUH11g",
    ]));
    assert!(err.contains("drive.bad_folder"), "{err}");
    for r in api.requests() {
        assert_eq!(r["problems"], json!([]), "{r}");
    }
    let uploads = api
        .requests()
        .into_iter()
        .filter(|r| r["path"] == "/upload/drive/v3/files")
        .count();
    assert_eq!(uploads, 3);
}
