//! A company relay that needs no sign-in (issue 24): an account with no username and no
//! password is saved, tested (the test asks the relay whether it passes mail on, and
//! sends nothing) and sends through the real Postfix's relay port; the same account
//! against a server that wants a sign-in fails its test with why and the fix.

mod common;

use common::{failed, ok, run_tag, ulak, ulak_stdin, PASS};
use ulak_channels::email::testing::MailServer;

fn delivered_with(maildir: &str, tag: &str) -> usize {
    ["new", "cur"]
        .iter()
        .flat_map(|d| {
            std::fs::read_dir(format!("{maildir}/{d}"))
                .into_iter()
                .flatten()
        })
        .flatten()
        .filter(|e| {
            std::fs::read_to_string(e.path())
                .unwrap_or_default()
                .contains(tag)
        })
        .count()
}

#[test]
fn an_account_without_sign_in_sends_through_a_relay() {
    let Some(m) = MailServer::from_env() else {
        return;
    };
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let run = |args: &[&str]| ulak(p, Some(PASS), args);
    let relay = m.relay.to_string();
    let add = |email: &str, port: &str| {
        ok(&run(&[
            "accounts",
            "add",
            "--email",
            email,
            "--sender-name",
            "Satış — Işık",
            "--host",
            "localhost",
            "--port",
            port,
            "--security",
            "starttls",
            "--no-auth",
        ]))
        .trim()
        .to_string()
    };
    // Without --no-auth a username is still asked for.
    let err = failed(&ulak_stdin(
        p,
        &[
            "accounts",
            "add",
            "--email",
            "a@test.local",
            "--host",
            "localhost",
            "--port",
            &relay,
            "--security",
            "starttls",
            "--password-stdin",
        ],
        "x\n",
    ));
    assert!(err.contains("--username"), "{err}");

    let id = add("satis@işık-tekstil.com.tr", &relay);
    ok(&run(&["accounts", "trust-ca", "--id", &id, &m.ca]));
    let list: serde_json::Value =
        serde_json::from_str(&ok(&run(&["accounts", "list", "--json"]))).unwrap();
    let a = &list[0];
    assert_eq!(a["noAuth"], true, "{a}");
    assert_eq!(a["passwordSet"], false);
    assert_eq!(a["username"], "");

    let out = ok(&run(&["accounts", "test", "--id", &id, "--json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["success"], true, "{out}");
    let auth = v[0]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "auth")
        .expect("the sign-in step says it relays");
    assert!(
        auth["detail"]
            .as_str()
            .unwrap()
            .contains("without a sign-in"),
        "{auth}"
    );

    let company = ok(&run(&["companies", "add", "Işık Tekstil"]));
    let body = p.join("govde.txt");
    let tag = run_tag("relay-");
    std::fs::write(&body, format!("Röle üzerinden merhaba. {tag}\n")).unwrap();
    ok(&run(&[
        "send",
        "--account",
        &id,
        "--company",
        company.trim(),
        "--to",
        "musteri@örnek.com.tr",
        "--subject",
        "Röle denemesi",
        "--body-file",
        body.to_str().unwrap(),
    ]));
    let out = ok(&run(&["outbox", "drain"]));
    assert!(out.starts_with("sent 1, failed 0"), "{out}");
    let start = std::time::Instant::now();
    while delivered_with(&m.maildir, &tag) == 0 {
        assert!(start.elapsed().as_secs() < 30, "the relay delivered it");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }

    // The same account on a server that wants a sign-in: its test says so, and how.
    let other = add("ali@test.local", &m.starttls.to_string());
    ok(&run(&["accounts", "trust-ca", "--id", &other, &m.ca]));
    let out = run(&["accounts", "test", "--id", &other, "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["success"], false, "{v}");
    assert_eq!(v[0]["code"], "smtp.relay_refused", "{v}");
    assert!(
        v[0]["hint"]
            .as_str()
            .unwrap()
            .contains("username and password"),
        "{v}"
    );

    // Given a username and password later, it signs in again.
    let out = ok(&ulak_stdin(
        p,
        &[
            "accounts",
            "edit",
            "--id",
            &other,
            "--username",
            &m.user,
            "--password-stdin",
        ],
        &format!("{}\n", m.password),
    ));
    assert!(!out.is_empty());
    let out = ok(&run(&["accounts", "test", "--id", &other, "--json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["success"], true, "{out}");
}
