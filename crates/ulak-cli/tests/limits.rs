//! Accounts' limits against the real Postfix with two processes sending at once (issue
//! 17): three accounts with daily limits 6/6/3, one of them with a second's wait between
//! sends, 10 messages queued for each. Two `ulak outbox drain` run side by side: the
//! server receives exactly 6/6/3, the rest stays queued with its reason, nothing twice;
//! the paced account's sends are a second apart. An account with a wrong password goes
//! to error and keeps its messages until it is mended and tested.

use std::collections::HashMap;
use std::process::Stdio;

use secrecy::SecretString;
use ulak_channels::email::mime::{enqueue, Draft};
use ulak_channels::email::testing::MailServer;
use ulak_core::vault::OsKeyring;
use ulak_core::{workspace, OpenOptions, Store};

mod common;
use common::{add_account, command, ok, run_tag, ulak, ulak_stdin, PASS};

/// The deliveries of this run per sender address, with the second each was received.
fn deliveries(maildir: &str, tag: &str) -> HashMap<String, Vec<(String, String)>> {
    let mut seen: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for d in ["new", "cur"] {
        for e in std::fs::read_dir(format!("{maildir}/{d}"))
            .into_iter()
            .flatten()
            .flatten()
        {
            let text = std::fs::read_to_string(e.path()).unwrap_or_default();
            let header = |name: &str| {
                text.lines()
                    .find(|l| l.starts_with(name))
                    .map(|l| l[name.len()..].trim().to_string())
            };
            let Some(subject) = header("Subject: ").filter(|s| s.contains(tag)) else {
                continue;
            };
            let from = header("From: ").unwrap_or_default();
            // The date of the last Received line, the one Postfix's smtpd wrote as the
            // message came in: when it was sent, to the second.
            let received = text
                .lines()
                .take_while(|l| !l.is_empty())
                .filter(|l| l.contains("; ") && l.contains(" +0000"))
                .last()
                .unwrap_or_default()
                .to_string();
            seen.entry(from).or_default().push((subject, received));
        }
    }
    seen
}

#[test]
fn two_processes_sending_at_once_never_cross_an_accounts_limits() {
    let Some(m) = MailServer::from_env() else {
        return;
    };
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let add = |email: &str, password: &str, limits: &[&str]| -> i64 {
        add_account(dir, &m, email, password, limits)
            .parse()
            .unwrap()
    };
    let pw = m.password.clone();
    let a1 = add(
        "ayse@test.local",
        &pw,
        // Two seconds between sends: the server's Received time has a second's
        // resolution and a few milliseconds' jitter, so with a 2-second wait no two
        // sends may share a second, however the two processes interleave.
        &["--daily-limit", "6", "--min-wait", "2"],
    );
    let a2 = add(
        "burak@test.local",
        &pw,
        &["--daily-limit", "6", "--min-wait", "0"],
    );
    let a3 = add(
        "cigdem@test.local",
        &pw,
        &["--daily-limit", "3", "--min-wait", "0"],
    );
    let wrong = add(
        "deniz@test.local",
        "yanlış-parola",
        &["--daily-limit", "off", "--min-wait", "0"],
    );

    let tag = run_tag("limits-");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let vault = OsKeyring {
            disabled: true,
            ..OsKeyring::default()
        };
        let s = Store::open(
            OpenOptions::new(dir, &vault).passphrase(Some(SecretString::from(PASS.to_string()))),
        )
        .await
        .unwrap();
        let ws = workspace::active(s.pool()).await.unwrap().id;
        for (account, from, n) in [
            (a1, "ayse@test.local", 10),
            (a2, "burak@test.local", 10),
            (a3, "cigdem@test.local", 10),
            (wrong, "deniz@test.local", 3),
        ] {
            for i in 0..n {
                let draft = Draft {
                    account_id: Some(account),
                    from: from.into(),
                    to: vec![format!("musteri{i}@firma.com.tr")],
                    subject: format!("{tag} {from} #{i} — Işıl Hanım'a teklif"),
                    text: "Merhaba\n".into(),
                    ..Default::default()
                };
                enqueue(s.pool(), ws, &draft, chrono::Utc::now())
                    .await
                    .unwrap();
            }
        }
        s.close().await;
    });

    // The app and a CLI run, as two processes draining the same store at once.
    let drain = || {
        command(dir)
            .args(["outbox", "drain", "--batch", "4"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (first, second) = (drain(), drain());
    for c in [first, second] {
        let out = c.wait_with_output().unwrap();
        // A drain ends non-zero when a message failed (the wrong password's).
        let _ = out;
    }

    let got = deliveries(&m.maildir, &tag);
    let count = |from: &str| {
        got.iter()
            .filter(|(k, _)| k.contains(from))
            .map(|(_, v)| v.len())
            .sum::<usize>()
    };
    assert_eq!(count("ayse@test.local"), 6, "{got:?}");
    assert_eq!(count("burak@test.local"), 6);
    assert_eq!(count("cigdem@test.local"), 3);
    assert_eq!(count("deniz@test.local"), 0);
    for v in got.values() {
        let mut subjects: Vec<&String> = v.iter().map(|(s, _)| s).collect();
        subjects.sort();
        let before = subjects.len();
        subjects.dedup();
        assert_eq!(before, subjects.len(), "a message arrived twice");
    }
    // The paced account's wait held across both processes: no two of its sends in
    // the same second of the server's clock.
    let paced: Vec<&String> = got
        .iter()
        .filter(|(k, _)| k.contains("ayse@"))
        .flat_map(|(_, v)| v.iter().map(|(_, r)| r))
        .collect();
    let mut seconds: Vec<String> = paced
        .iter()
        .filter_map(|r| r.split(" +0000").next())
        .map(|s| s.rsplit(' ').next().unwrap_or_default().to_string())
        .collect();
    seconds.sort();
    seconds.dedup();
    assert_eq!(seconds.len(), 6, "sends a second apart: {paced:?}");

    // What the list says: today's count against the limit, the next free moment at
    // local midnight, the rest queued; the wrong password in error with the reason.
    let list: serde_json::Value =
        serde_json::from_str(&ok(&ulak(dir, Some(PASS), &["accounts", "list", "--json"]))).unwrap();
    let of = |id: i64| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .unwrap()
            .clone()
    };
    let s1 = of(a1)["sending"].clone();
    assert_eq!(s1["sentToday"], 6);
    assert_eq!(s1["dailyToday"], 6);
    assert_eq!(s1["queued"], 4);
    assert_eq!(s1["waiting"]["why"], "dailyLimit");
    let midnight = chrono::Local::now()
        .date_naive()
        .succ_opt()
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_local_timezone(chrono::Local)
        .earliest()
        .unwrap();
    let next: chrono::DateTime<chrono::Utc> = s1["nextFreeAt"].as_str().unwrap().parse().unwrap();
    assert_eq!(next, midnight.with_timezone(&chrono::Utc));
    assert_eq!(of(a3)["sending"]["queued"], 7);
    // One account by its address, as `accounts test --email` picks one.
    let one: serde_json::Value = serde_json::from_str(&ok(&ulak(
        dir,
        Some(PASS),
        &["accounts", "list", "--email", "CIGDEM@test.local", "--json"],
    )))
    .unwrap();
    assert_eq!(one.as_array().unwrap().len(), 1);
    assert_eq!(one[0]["sending"]["sentToday"], 3);
    let w = of(wrong);
    assert_eq!(w["status"], "error");
    assert!(w["statusReason"].as_str().unwrap().contains("535"), "{w}");
    assert_eq!(
        w["sending"]["queued"], 3,
        "none failed for the account's password: all three wait"
    );

    // Mended and tested, it is active and its two go; nobody else's limit moves.
    ok(&ulak_stdin(
        dir,
        &[
            "accounts",
            "edit",
            "--id",
            &wrong.to_string(),
            "--password-stdin",
        ],
        &format!("{pw}\n"),
    ));
    let tested = ok(&ulak(
        dir,
        Some(PASS),
        &["accounts", "test", "--id", &wrong.to_string()],
    ));
    assert!(tested.starts_with("ok"), "{tested}");
    let list: serde_json::Value =
        serde_json::from_str(&ok(&ulak(dir, Some(PASS), &["accounts", "list", "--json"]))).unwrap();
    let w = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == wrong)
        .unwrap();
    assert_eq!(w["status"], "active");
    let _ = ulak(dir, Some(PASS), &["outbox", "drain"]);
    let got = deliveries(&m.maildir, &tag);
    let count = |from: &str| {
        got.iter()
            .filter(|(k, _)| k.contains(from))
            .map(|(_, v)| v.len())
            .sum::<usize>()
    };
    assert_eq!(count("deniz@test.local"), 3);
    assert_eq!(
        (count("ayse@"), count("burak@"), count("cigdem@")),
        (6, 6, 3)
    );
}
