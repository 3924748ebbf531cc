//! `ulak oauth config` and `ulak accounts connect|disconnect` as a user runs them: the
//! sign-in address printed, the test playing the browser, an Outlook account that then
//! sends by SMTP with XOAUTH2 to the test Postfix, a Gmail account through the
//! Gmail-shaped API; Ctrl-C ends a sign-in cleanly.

mod common;

use common::{configure_oauth as configure, failed, ok, run_tag, signing_in, ulak, PASS};
use std::process::Command;
use ulak_channels::email::testing::MailServer;

use ulak_channels::testing::{browser_sign_in, FakeProvider, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET};

/// `ulak accounts connect …` started, and the sign-in address it printed.
fn connect(dir: &std::path::Path, args: &[&str]) -> (std::process::Child, String) {
    let mut all = vec!["accounts", "connect", "--no-browser"];
    all.extend_from_slice(args);
    signing_in(dir, &all)
}

#[tokio::test]
async fn an_outlook_account_connected_from_the_cli_sends_and_disconnects() {
    let Some(m) = MailServer::from_env() else {
        return;
    };
    let auth = FakeProvider::oauth(false, &["--expires-in", "30"]);
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    configure(p, "microsoft", &auth, &auth.base);
    let shown = ok(&ulak(p, Some(PASS), &["oauth", "show"]));
    assert!(
        shown.contains(OAUTH_CLIENT_ID) && shown.contains("revoke (none)"),
        "{shown}"
    );

    let port = m.starttls.to_string();
    let (child, url) = connect(
        p,
        &[
            "--provider",
            "microsoft",
            "--email",
            &m.user,
            "--sender-name",
            "Satış — Işıl",
            "--host",
            "localhost",
            "--port",
            &port,
            "--security",
            "starttls",
        ],
    );
    let (status, page) = browser_sign_in(&url).await;
    assert_eq!(status, 200, "{page}");
    let out = child.wait_with_output().unwrap();
    let id = ok(&out).trim().to_string();
    let ca = m.ca.clone();
    ok(&ulak(
        p,
        Some(PASS),
        &["accounts", "trust-ca", "--id", &id, &ca],
    ));
    let list = ok(&ulak(p, Some(PASS), &["accounts", "list"]));
    assert!(list.contains("oauth microsoft (connected)"), "{list}");
    assert!(!list.contains("ya29."), "{list}");

    let company = ok(&ulak(p, Some(PASS), &["companies", "add", "Öztürk Gıda"]));
    let body = p.join("govde.txt");
    std::fs::write(&body, "Merhaba Işıl Hanım, teklifimiz ektedir.\n").unwrap();
    let tag = run_tag("cli-xoauth2-");
    ok(&ulak(
        p,
        Some(PASS),
        &[
            "send",
            "--account",
            &id,
            "--company",
            company.trim(),
            "--to",
            "isil@öztürkgıda.com.tr",
            "--subject",
            &tag,
            "--body-file",
            body.to_str().unwrap(),
        ],
    ));
    let out = ok(&ulak(p, Some(PASS), &["outbox", "drain", "--json"]));
    assert!(out.contains("\"sent\": 1"), "{out}");
    ok(&ulak(
        p,
        Some(PASS),
        &["accounts", "send-test", "--id", &id],
    ));

    let out = ok(&ulak(
        p,
        Some(PASS),
        &["accounts", "disconnect", "--id", &id],
    ));
    assert!(out.contains("no revocation"), "{out}");
    let list = ok(&ulak(p, Some(PASS), &["accounts", "list"]));
    assert!(!list.contains(&m.user), "{list}");
    // The store keeps no token of it.
    let err = failed(&ulak(
        p,
        Some(PASS),
        &["accounts", "disconnect", "--id", &id],
    ));
    assert!(err.contains("smtp.account_not_found"), "{err}");
}

#[tokio::test]
async fn a_gmail_account_from_the_cli_is_revoked_on_disconnect() {
    let auth = FakeProvider::oauth(true, &[]);
    let api = FakeProvider::google_api();
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    configure(p, "google", &auth, &api.base);
    let shown = ok(&ulak(p, Some(PASS), &["oauth", "show", "--json"]));
    assert!(!shown.contains(OAUTH_CLIENT_SECRET), "{shown}");
    let (child, url) = connect(p, &["--provider", "google", "--email", "ayşe@gmail.com"]);
    browser_sign_in(&url).await;
    let id = ok(&child.wait_with_output().unwrap()).trim().to_string();
    ok(&ulak(
        p,
        Some(PASS),
        &["accounts", "send-test", "--id", &id],
    ));
    let sent = api
        .requests()
        .into_iter()
        .find(|r| r["id"].is_string())
        .expect("the test e-mail went through the Gmail API");
    assert_eq!(sent["from"], "ayşe@gmail.com");
    let out = ok(&ulak(
        p,
        Some(PASS),
        &["accounts", "disconnect", "--id", &id],
    ));
    assert!(out.contains("revoked"), "{out}");
    assert!(auth
        .requests()
        .iter()
        .any(|r| r["path"] == "/revoke" && r["revoked"] == true));
}

#[tokio::test]
async fn ctrl_c_ends_a_sign_in_and_saves_nothing() {
    let auth = FakeProvider::oauth(false, &[]);
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    configure(p, "microsoft", &auth, &auth.base);
    let (child, url) = connect(p, &["--provider", "microsoft"]);
    let redirect = url
        .split("redirect_uri=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .replace("%3A", ":")
        .replace("%2F", "/");
    assert!(redirect.starts_with("http://127.0.0.1:"), "{redirect}");
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    // The listener is gone with it, and no account was made.
    assert!(reqwest::get(&redirect).await.is_err());
    let list = ok(&ulak(p, Some(PASS), &["accounts", "list", "--json"]));
    assert_eq!(list.trim(), "[]");
    // Without a client ID a sign-in says what to set.
    let d2 = tempfile::tempdir().unwrap();
    let err = failed(&ulak(
        d2.path(),
        Some(PASS),
        &[
            "accounts",
            "connect",
            "--provider",
            "microsoft",
            "--no-browser",
        ],
    ));
    assert!(err.contains("oauth.not_configured"), "{err}");
}

#[tokio::test]
async fn calendar_events_from_the_cli_and_a_crm_record() {
    let auth = FakeProvider::oauth(true, &[]);
    let api = FakeProvider::google_api();
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    configure(p, "google", &auth, &api.base);
    let err = failed(&ulak(p, Some(PASS), &["calendar", "list"]));
    assert!(err.contains("calendar.not_connected"), "{err}");
    let (child, url) = signing_in(
        p,
        &[
            "calendar",
            "connect",
            "--no-browser",
            "--email",
            "ayşe@gmail.com",
        ],
    );
    assert!(url.contains("calendar.events"), "{url}");
    browser_sign_in(&url).await;
    ok(&child.wait_with_output().unwrap());

    let record = p.join("teklif.json");
    std::fs::write(
        &record,
        r#"{"type":"quote","number":"TKL-14","due":"2030-03-01","company":{"name":"Öztürk Gıda"},
            "contact":{"name":"Işıl","email":"isil@ozturkgida.com.tr"},"url":"https://crm.example/q/14"}"#,
    )
    .unwrap();
    let out = ok(&ulak(
        p,
        Some(PASS),
        &[
            "calendar",
            "add",
            "--from-record",
            record.to_str().unwrap(),
            "--json",
        ],
    ));
    let e: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(e["title"], "Teklif TKL-14 geçerliliği — Öztürk Gıda");
    assert_eq!(e["attendees"][0], "isil@ozturkgida.com.tr");

    let company = ok(&ulak(p, Some(PASS), &["companies", "add", "Öztürk Gıda"]));
    let tomorrow = (chrono_tomorrow()).to_string();
    let out = ok(&ulak(
        p,
        Some(PASS),
        &[
            "calendar",
            "add",
            "--company",
            company.trim(),
            "--start",
            &tomorrow,
            "--minutes",
            "45",
            "--attendee",
            "satis@firma.com.tr",
            "--meet",
        ],
    ));
    assert!(out.contains("Öztürk Gıda ile görüşme"), "{out}");
    assert!(out.contains("Meet: https://meet.google.com/"), "{out}");
    let list = ok(&ulak(
        p,
        Some(PASS),
        &["calendar", "list", "--days", "3", "--json"],
    ));
    let events: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(events.as_array().unwrap().len(), 1, "{list}");
    let id = events[0]["id"].as_str().unwrap().to_string();
    ok(&ulak(p, Some(PASS), &["calendar", "delete", &id]));
    let err = failed(&ulak(p, Some(PASS), &["calendar", "delete", &id]));
    assert!(err.contains("calendar.not_found"), "{err}");
    let err = failed(&ulak(
        p,
        Some(PASS),
        &["calendar", "add", "--title", "X", "--start", "yarın 10:00"],
    ));
    assert!(err.contains("calendar.bad_time"), "{err}");
}

/// Tomorrow at 11:00, as `YYYY-MM-DDTHH:MM` (the date from `date`, no extra crate).
fn chrono_tomorrow() -> String {
    let out = Command::new("date")
        .args(["-d", "tomorrow", "+%Y-%m-%dT11:00"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}
