//! Resend (issue 20): set up as an integration (`ulak integrations set email resend`),
//! which makes it a sending account; its test lists the domains and finds the
//! sender's verified; an e-mail from it (Turkish letters, Cc, Bcc, an attachment)
//! reaches the Resend-shaped server (tests/servers/resend.py) in Resend's documented
//! fields with an Idempotency-Key, once, also when the server limits it once first; the
//! same request repeated (a crash before the answer was recorded) is not sent twice;
//! an unverified domain, a wrong key and an address another account holds are told;
//! removing the integration removes its account.

mod common;

use std::path::Path;

use common::{failed, ok, ulak, ulak_stdin, PASS};
use serde_json::Value;
use ulak_channels::testing::{FakeProvider, RESEND_KEY, RESEND_SEND_ONLY_KEY};

fn json_of(o: &std::process::Output) -> Value {
    serde_json::from_str(&ok(o)).unwrap()
}

fn set_resend(p: &Path, base: &str, email: &str, key: &str) -> std::process::Output {
    ulak_stdin(
        p,
        &[
            "integrations",
            "set",
            "email",
            "resend",
            "--field",
            &format!("email={email}"),
            "--field",
            "senderName=Ayşe Yılmaz, Satış",
            "--secret-stdin",
            "apiKey",
            "--base-url",
            base,
        ],
        &format!("{key}\n"),
    )
}

async fn sent(server: &FakeProvider) -> Vec<Value> {
    let text = reqwest::get(format!("{}/_test/sent", server.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    v["sent"].as_array().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn resend_sends_the_composers_mail_in_its_documented_shape_once() {
    let server = FakeProvider::resend();
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let run = |args: &[&str]| ulak(p, Some(PASS), args);

    // An address an SMTP account already sends from is refused; nothing is saved.
    ok(&ulak_stdin(
        p,
        &[
            "accounts",
            "add",
            "--email",
            "eski@ornek.com.tr",
            "--host",
            "smtp.ornek.com.tr",
            "--port",
            "587",
            "--security",
            "starttls",
            "--username",
            "eski@ornek.com.tr",
            "--password-stdin",
        ],
        "parola\n",
    ));
    let err = failed(&set_resend(
        p,
        &server.base,
        "eski@ornek.com.tr",
        RESEND_KEY,
    ));
    assert!(err.contains("smtp.duplicate_account"), "{err}");
    let listed = json_of(&run(&["integrations", "list", "--json"]));
    assert_eq!(listed.as_array().unwrap().len(), 0, "{listed}");

    // Set up: it is an integration and a sending account; the key is never shown.
    ok(&set_resend(
        p,
        &server.base,
        "satis@ornek.com.tr",
        RESEND_KEY,
    ));
    let listed = ok(&run(&["integrations", "list"]));
    assert!(listed.contains("apiKey=••••"), "{listed}");
    assert!(!listed.contains(RESEND_KEY), "{listed}");
    let accounts = json_of(&run(&["accounts", "list", "--json"]));
    let a = accounts
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["email"] == "satis@ornek.com.tr")
        .expect("the Resend account is listed")
        .clone();
    assert_eq!(a["provider"], "Resend", "{a}");
    assert_eq!(a["senderName"], "Ayşe Yılmaz, Satış");
    assert!(a["integrationId"].as_i64().is_some(), "{a}");
    let id = a["id"].as_i64().unwrap().to_string();
    // Its address belongs to the integration: E-posta Ayarları cannot move it.
    let err = failed(&run(&[
        "accounts",
        "edit",
        "--id",
        &id,
        "--email",
        "x@ornek.com.tr",
    ]));
    assert!(err.contains("smtp.managed_by_integration"), "{err}");
    // Its limits can change there.
    ok(&run(&[
        "accounts",
        "edit",
        "--id",
        &id,
        "--daily-limit",
        "200",
        "--min-wait",
        "0",
    ]));

    // The test: the key is taken and ornek.com.tr is verified — as the integration's
    // and as the account's.
    ok(&run(&["integrations", "test", "email", "resend"]));
    // The integration's test is its account's too: it is active ("Test edildi") now.
    let listed = json_of(&run(&["accounts", "list", "--id", &id, "--json"]));
    assert_eq!(listed[0]["status"], "active", "{listed}");
    let t = json_of(&run(&["accounts", "test", "--id", &id, "--json"]));
    assert_eq!(t[0]["success"], true, "{t}");

    // An e-mail with Turkish letters, Cc, Bcc and an attachment.
    let company = ok(&run(&["companies", "add", "Öztürk Gıda"]));
    let body = p.join("govde.html");
    std::fs::write(
        &body,
        "<p>Merhaba Işıl Hanım,</p><p>Teklifimiz ektedir; iyi çalışmalar.</p>",
    )
    .unwrap();
    let pdf = p.join("teklif-şubat.pdf");
    std::fs::write(&pdf, b"%PDF-1.4 teklif").unwrap();
    ok(&run(&[
        "send",
        "--account",
        &id,
        "--company",
        company.trim(),
        "--to",
        "isil@musteri.com.tr",
        "--cc",
        "muhasebe@musteri.com.tr",
        "--bcc",
        "arsiv@ornek.com.tr",
        "--subject",
        "Teklif: {{ company.name }} — Şubat",
        "--body-file",
        body.to_str().unwrap(),
        "--attach",
        pdf.to_str().unwrap(),
    ]));
    // Resend limits once (429, Retry-After: 1): the message waits and goes on the next
    // try, once.
    reqwest::Client::new()
        .post(format!("{}/_test/fail", server.base))
        .body(r#"{"count": 1, "status": 429}"#)
        .send()
        .await
        .unwrap();
    let out = run(&["outbox", "drain"]);
    let first = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(first.contains("failed 0"), "{first}");
    assert_eq!(sent(&server).await.len(), 0);
    let start = std::time::Instant::now();
    loop {
        let out = ok(&run(&["outbox", "drain"]));
        if sent(&server).await.len() == 1 {
            break;
        }
        assert!(
            start.elapsed().as_secs() < 60,
            "sent after its retry: {out}"
        );
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    ok(&run(&["outbox", "drain"]));
    let all = sent(&server).await;
    assert_eq!(all.len(), 1, "sent once: {all:?}");
    let m = &all[0];
    assert_eq!(
        m["from"], "\"Ayşe Yılmaz, Satış\" <satis@ornek.com.tr>",
        "{m}"
    );
    assert_eq!(m["to"], serde_json::json!(["isil@musteri.com.tr"]));
    assert_eq!(m["cc"], serde_json::json!(["muhasebe@musteri.com.tr"]));
    assert_eq!(m["bcc"], serde_json::json!(["arsiv@ornek.com.tr"]));
    assert_eq!(m["subject"], "Teklif: Öztürk Gıda — Şubat");
    assert!(m["html"].as_str().unwrap().contains("Işıl Hanım"), "{m}");
    assert!(
        m["text"].as_str().unwrap().contains("Teklifimiz ektedir"),
        "{m}"
    );
    assert_eq!(m["attachments"][0]["filename"], "teklif-şubat.pdf");
    let key = m["idempotency_key"].as_str().unwrap().to_string();
    assert!(key.starts_with("ulak:"), "{key}");
    // Every request was in Resend's shape, and the try that failed used the same key.
    let requests = server.requests();
    let posts: Vec<&Value> = requests.iter().filter(|r| r["path"] == "/emails").collect();
    assert_eq!(posts.len(), 2, "{posts:?}");
    for r in &posts {
        assert_eq!(r["problems"], serde_json::json!([]), "{r}");
        assert_eq!(r["idempotency_key"], key.as_str());
    }
    let history = json_of(&run(&["history", "--json"]));
    let h = &history[0];
    assert_eq!(h["state"], "sent", "{h}");
    assert!(
        h["serverReply"].as_str().unwrap().starts_with("Resend "),
        "{h}"
    );

    // The same request again (a crash after Resend took it, before Ulak recorded it):
    // Resend answers the first id and sends nothing more.
    let mut again = ulak_channels::email::resend::Resend::new(
        &server.base,
        secrecy::SecretString::from(RESEND_KEY.to_string()),
        "satis@ornek.com.tr",
    );
    let raw = b"From: =?utf-8?b?QXnFn2U=?= <satis@ornek.com.tr>\r\nTo: isil@musteri.com.tr\r\nSubject: Yeniden\r\nMessage-ID: <bir-kez@ornek.com.tr>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBir kez gider.\r\n";
    let recipients = vec!["isil@musteri.com.tr".to_string()];
    let key = ulak_channels::email::resend::idempotency_key(1, 99, "<bir-kez@ornek.com.tr>");
    let one = again.send(raw, &recipients, &key).await.unwrap();
    let two = again.send(raw, &recipients, &key).await.unwrap();
    assert_eq!(one, two);
    assert_eq!(sent(&server).await.len(), 2, "the repeat was not sent");

    // A sending-only key: good to send, the domain cannot be checked — the test passes.
    again = ulak_channels::email::resend::Resend::new(
        &server.base,
        secrecy::SecretString::from(RESEND_SEND_ONLY_KEY.to_string()),
        "satis@ornek.com.tr",
    );
    assert!(again.check().await.is_ok());

    // A sender on a pending domain: the test says so, and what to do.
    ok(&set_resend(p, &server.base, "satis@yeni.com.tr", ""));
    let err = failed(&run(&["integrations", "test", "email", "resend"]));
    assert!(
        err.contains("yeni.com.tr") && err.contains("pending"),
        "{err}"
    );
    let accounts = json_of(&run(&["accounts", "list", "--json"]));
    assert!(
        accounts
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["email"] == "satis@yeni.com.tr" && a["integrationId"].is_i64()),
        "the account follows the integration's address: {accounts}"
    );

    // A wrong key: the test fails as a sign-in, the integration shows "Hata", and the
    // key's text never appears.
    ok(&set_resend(
        p,
        &server.base,
        "satis@ornek.com.tr",
        "re_yanlis_anahtar",
    ));
    let err = failed(&run(&["integrations", "test", "email", "resend"]));
    assert!(err.contains("integration.test_failed"), "{err}");
    assert!(!err.contains("re_yanlis_anahtar"), "{err}");
    let listed = json_of(&run(&["integrations", "list", "--json"]));
    let i = &listed[0];
    assert_eq!(i["lastError"]["code"], "signIn", "{i}");

    // Removed: the integration, its key and its account are gone.
    ok(&run(&["integrations", "remove", "email", "resend"]));
    let listed = json_of(&run(&["integrations", "list", "--json"]));
    assert_eq!(listed.as_array().unwrap().len(), 0, "{listed}");
    let accounts = json_of(&run(&["accounts", "list", "--json"]));
    assert!(
        accounts
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["integrationId"].is_null()),
        "{accounts}"
    );
    let err = failed(&run(&["integrations", "remove", "email", "resend"]));
    assert!(err.contains("integration.not_set_up"), "{err}");
}
