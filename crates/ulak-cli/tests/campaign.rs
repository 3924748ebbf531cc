//! A campaign against the real Postfix (issue 17): 100 recipients over three accounts
//! with daily limits 40/40/10, sent by two `ulak outbox drain` processes at once. The
//! server receives exactly 90 — 40, 40 and 10 — each personalised, none twice; the
//! other 10 stay queued and the campaign says it waits for an account to free up at
//! local midnight. A second campaign over an account with a wrong password and a good
//! one: the wrong one goes to error and its messages go out from the other.

use std::collections::HashMap;
use std::path::Path;
use std::process::Stdio;

use ulak_channels::email::testing::MailServer;

mod common;
use common::{add_account, command, ok, run_tag, ulak, PASS};

/// This run's deliveries: (From, To, body) of each.
fn deliveries(maildir: &str, tag: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
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
                    .unwrap_or_default()
            };
            if !header("Subject: ").contains(tag) && !text.contains(tag) {
                continue;
            }
            out.push((header("From: "), header("To: "), text.clone()));
        }
    }
    out
}

fn campaign_json(dir: &Path, name: &str) -> serde_json::Value {
    serde_json::from_str(&ok(&ulak(
        dir,
        Some(PASS),
        &["campaign", "status", name, "--json"],
    )))
    .unwrap()
}

#[test]
fn a_campaign_spreads_over_its_accounts_within_every_limit_with_two_senders() {
    let Some(m) = MailServer::from_env() else {
        return;
    };
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let add = |email: &str, password: &str, daily: &str| -> String {
        add_account(
            dir,
            &m,
            email,
            password,
            &["--daily-limit", daily, "--min-wait", "0"],
        )
    };
    let pw = m.password.clone();
    let a1 = add("ayse@test.local", &pw, "40");
    let a2 = add("burak@test.local", &pw, "40");
    let a3 = add("cigdem@test.local", &pw, "10");
    // One account with a Reply-To and a signature: they go with its share.
    let sig = dir.join("imza.txt");
    std::fs::write(&sig, "Çiğdem Demir\nSatış — İzmir\n").unwrap();
    ok(&ulak(
        dir,
        Some(PASS),
        &[
            "accounts",
            "extras",
            "--id",
            a3.trim(),
            "--reply-to",
            "teklif@firma.com.tr",
            "--signature-file",
            sig.to_str().unwrap(),
        ],
    ));

    let tag = run_tag("kmp");
    let body = dir.join("body.html");
    std::fs::write(
        &body,
        format!("<p>Merhaba {{{{ contact.first_name }}}}, {{{{ company.name }}}} için teklifimiz hazır. {tag}</p><p>{{{{ sender.name }}}}</p>"),
    )
    .unwrap();
    ok(&ulak(
        dir,
        Some(PASS),
        &[
            "templates",
            "add",
            "--name",
            "Bahar teklifi",
            "--subject",
            &format!("{tag} — {{{{ company.name }}}} için teklif"),
            "--body-file",
            body.to_str().unwrap(),
        ],
    ));
    let csv = dir.join("alicilar.csv");
    let mut rows = String::from("Firma;Ad Soyad;E-posta\n");
    for i in 0..100 {
        rows.push_str(&format!(
            "Öztürk Gıda {i};Işıl Çağlar {i};musteri{i}@firma.com.tr\n"
        ));
    }
    rows.push_str("Bozuk Satır;Ahmet;adres-değil\n");
    std::fs::write(&csv, rows).unwrap();
    let accounts = format!("{a1},{a2},{a3}");
    let created: serde_json::Value = serde_json::from_str(&ok(&ulak(
        dir,
        Some(PASS),
        &[
            "campaign",
            "create",
            "Bahar",
            "--template",
            "Bahar teklifi",
            "--csv",
            csv.to_str().unwrap(),
            "--accounts",
            &accounts,
            "--window",
            "daily 00:00-24:00",
            "--tz",
            "Europe/Istanbul",
            "--on-holidays",
            "--no-spread",
            "--json",
        ],
    )))
    .unwrap();
    assert_eq!(created["recipients"], 100);
    assert_eq!(
        created["skipped"].as_array().unwrap().len(),
        1,
        "the bad line"
    );
    // A draft sends nothing.
    ok(&ulak(dir, Some(PASS), &["outbox", "drain"]));
    assert!(deliveries(&m.maildir, &tag).is_empty());

    ok(&ulak(dir, Some(PASS), &["campaign", "run", "Bahar"]));
    let drain = || {
        command(dir)
            .args(["outbox", "drain", "--batch", "7"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let (first, second) = (drain(), drain());
    for mut c in [first, second] {
        c.wait().unwrap();
    }

    let got = deliveries(&m.maildir, &tag);
    let mut per_from: HashMap<String, usize> = HashMap::new();
    for (from, ..) in &got {
        let who = ["ayse@", "burak@", "cigdem@"]
            .into_iter()
            .find(|w| from.contains(w))
            .unwrap_or("?");
        *per_from.entry(who.to_string()).or_default() += 1;
    }
    assert_eq!(got.len(), 90, "{per_from:?}");
    assert_eq!(per_from["ayse@"], 40);
    assert_eq!(per_from["burak@"], 40);
    assert_eq!(per_from["cigdem@"], 10);
    let mut to: Vec<&String> = got.iter().map(|(_, t, _)| t).collect();
    to.sort();
    to.dedup();
    assert_eq!(to.len(), 90, "a recipient got it twice");
    // Personalised for the recipient, signed by the account that sent it.
    let (from, to, text) = &got[0];
    let n: String = to.chars().filter(char::is_ascii_digit).collect();
    assert!(
        text.contains("Merhaba I=C5=9F=C4=B1l") || text.contains("Merhaba Işıl"),
        "{text}"
    );
    assert!(
        text.contains(&format!("{n} için")) || text.contains(&format!("{n} i=C3=A7in")),
        "{to}: {text}"
    );
    assert!(from.contains("test.local"));
    // The account with a Reply-To and a signature put them on its messages, and only
    // that account.
    for (from, _, raw) in &got {
        let parts = ulak_channels::email::mime::read_back(raw.as_bytes());
        let text = parts.text.unwrap_or_default().replace("\r\n", "\n");
        let reply_to = parts
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("Reply-To"))
            .map(|(_, v)| v.clone());
        if from.contains("cigdem@") {
            assert_eq!(reply_to.as_deref(), Some("teklif@firma.com.tr"), "{from}");
            assert!(text.contains("-- \nÇiğdem Demir\nSatış — İzmir"), "{text}");
        } else {
            assert_eq!(reply_to, None, "{from}");
            assert!(!text.contains("Çiğdem Demir"), "{text}");
        }
    }

    let status = campaign_json(dir, "Bahar");
    assert_eq!(status["sent"], 90);
    assert_eq!(status["waiting"], 10);
    assert_eq!(status["campaign"]["state"], "running");
    assert_eq!(
        status["campaign"]["waiting"]["why"], "noAccount",
        "{status}"
    );
    let until: chrono::DateTime<chrono::Utc> = status["campaign"]["waiting"]["until"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let midnight = chrono::Local::now()
        .date_naive()
        .succ_opt()
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_local_timezone(chrono::Local)
        .earliest()
        .unwrap();
    assert_eq!(until, midnight.with_timezone(&chrono::Utc));
    let shares: Vec<i64> = status["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["sent"].as_i64().unwrap())
        .collect();
    assert_eq!(shares, [40, 40, 10]);

    // Pause and resume, as the window's buttons do; a paused campaign is not sent.
    ok(&ulak(dir, Some(PASS), &["campaign", "pause", "Bahar"]));
    assert_eq!(campaign_json(dir, "Bahar")["campaign"]["state"], "paused");
    ok(&ulak(dir, Some(PASS), &["campaign", "resume", "Bahar"]));

    // A wrong password: that account goes to error, its messages go out from the other.
    let wrong = add("deniz@test.local", "yanlış", "off");
    let good = add("emre@test.local", &pw, "off");
    let csv2 = dir.join("yaz.csv");
    let mut rows = String::from("E-posta,Ad Soyad\n");
    for i in 0..12 {
        rows.push_str(&format!("yaz{i}@firma.com.tr,Gülşen {i}\n"));
    }
    std::fs::write(&csv2, rows).unwrap();
    ok(&ulak(
        dir,
        Some(PASS),
        &[
            "campaign",
            "create",
            "Yaz",
            "--template",
            "Bahar teklifi",
            "--csv",
            csv2.to_str().unwrap(),
            "--accounts",
            &format!("{wrong},{good}"),
            "--window",
            "daily 00:00-24:00",
            "--on-holidays",
            "--no-spread",
        ],
    ));
    ok(&ulak(dir, Some(PASS), &["campaign", "run", "Yaz"]));
    let _ = ulak(dir, Some(PASS), &["outbox", "drain", "--batch", "4"]);
    let got: Vec<(String, String, String)> = deliveries(&m.maildir, &tag)
        .into_iter()
        .filter(|(_, to, _)| to.contains("yaz"))
        .collect();
    assert_eq!(got.len(), 12, "every message went, from the good account");
    assert!(got.iter().all(|(from, ..)| from.contains("emre@")));
    let status = campaign_json(dir, "Yaz");
    assert_eq!(status["sent"], 12);
    assert_eq!(status["failed"], 0, "a wrong password fails no message");
    let list: serde_json::Value =
        serde_json::from_str(&ok(&ulak(dir, Some(PASS), &["accounts", "list", "--json"]))).unwrap();
    let w = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"].as_i64() == wrong.parse::<i64>().ok())
        .unwrap();
    assert_eq!(w["status"], "error");
}
