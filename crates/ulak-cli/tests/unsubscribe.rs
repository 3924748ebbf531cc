//! Unsubscribing, end to end against the real Postfix (issue 23): campaign mail carries
//! List-Unsubscribe (https + mailto), List-Unsubscribe-Post (RFC 8058) and a visible
//! line; composer mail carries none. A recipient's unsubscribe mail, as their client
//! sends it to the mailto address, is delivered and recorded from the .eml; the next
//! campaign skips them and the history says why.

use std::path::Path;

use ulak_channels::email::mime::read_back;
use ulak_channels::email::testing::MailServer;

mod common;
use common::{add_account, failed, ok, run_tag, ulak, PASS};

/// This run's delivered mails whose text contains `tag`.
fn delivered(maildir: &str, tag: &str) -> Vec<String> {
    let mut out = Vec::new();
    for d in ["new", "cur"] {
        for e in std::fs::read_dir(format!("{maildir}/{d}"))
            .into_iter()
            .flatten()
            .flatten()
        {
            let text = std::fs::read_to_string(e.path()).unwrap_or_default();
            if text.contains(tag) {
                out.push(text);
            }
        }
    }
    out
}

fn header(raw: &str, name: &str) -> Option<String> {
    read_back(raw.as_bytes())
        .headers
        .into_iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn to_of(raw: &str) -> String {
    header(raw, "To").unwrap_or_default()
}

fn campaign(dir: &Path, name: &str, template: &str, csv: &Path, account: &str) {
    ok(&ulak(
        dir,
        Some(PASS),
        &[
            "campaign",
            "create",
            name,
            "--template",
            template,
            "--csv",
            csv.to_str().unwrap(),
            "--accounts",
            account,
            "--window",
            "daily 00:00-24:00",
            "--tz",
            "Europe/Istanbul",
            "--on-holidays",
            "--no-spread",
        ],
    ));
    ok(&ulak(dir, Some(PASS), &["campaign", "run", name]));
}

#[test]
fn campaign_mail_can_be_unsubscribed_from_and_the_next_campaign_skips_them() {
    let Some(m) = MailServer::from_env() else {
        return;
    };
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let run = |args: &[&str]| ulak(dir, Some(PASS), args);
    let account = add_account(
        dir,
        &m,
        "satis@test.local",
        &m.password,
        &["--daily-limit", "off", "--min-wait", "0"],
    );
    let account = account.trim();

    // The https address must be one the salesperson's site serves, with the token.
    let err = failed(&run(&[
        "suppress",
        "unsubscribe-settings",
        "--url",
        "http://firma.com.tr/abonelik",
    ]));
    assert!(err.contains("validation.url"), "{err}");
    ok(&run(&[
        "suppress",
        "unsubscribe-settings",
        "--url",
        "https://firma.com.tr/abonelik?t={token}",
    ]));

    let tag = run_tag("abn");
    let body = dir.join("body.html");
    std::fs::write(
        &body,
        format!("<p>Merhaba {{{{ contact.first_name }}}}, kış fırsatları başladı. {tag}</p>"),
    )
    .unwrap();
    ok(&run(&[
        "templates",
        "add",
        "--name",
        "Kış",
        "--subject",
        &format!("{tag} Kış fırsatları"),
        "--body-file",
        body.to_str().unwrap(),
    ]));
    let csv = dir.join("alicilar.csv");
    std::fs::write(
        &csv,
        "E-posta;Ad Soyad\nşule@test.local;Şule İnce\nirmak@test.local;Irmak Öz\nguler@test.local;Güler Ak\n",
    )
    .unwrap();
    campaign(dir, "Kış-1", "Kış", &csv, account);
    // A one-to-one mail from the composer, the same day.
    ok(&run(&["companies", "add", "Öztürk Gıda"]));
    let note = dir.join("not.txt");
    std::fs::write(&note, format!("Toplantı notları ektedir. {tag}-birebir")).unwrap();
    ok(&run(&[
        "send",
        "--account",
        account,
        "--company",
        "Öztürk Gıda",
        "--to",
        "guler@test.local",
        "--subject",
        "Toplantı",
        "--body-file",
        note.to_str().unwrap(),
    ]));
    let out = ok(&run(&["outbox", "drain"]));
    assert!(out.starts_with("sent 4, failed 0"), "{out}");

    let got = delivered(&m.maildir, &tag);
    let (one_to_one, campaign_mail): (Vec<_>, Vec<_>) = got
        .iter()
        .partition(|raw| raw.contains(&format!("{tag}-birebir")));
    assert_eq!((one_to_one.len(), campaign_mail.len()), (1, 3));
    assert_eq!(header(one_to_one[0], "List-Unsubscribe"), None);
    assert_eq!(header(one_to_one[0], "List-Unsubscribe-Post"), None);
    let mut mailto_of_irmak = String::new();
    for raw in &campaign_mail {
        let lu = header(raw, "List-Unsubscribe").expect("List-Unsubscribe");
        assert_eq!(
            header(raw, "List-Unsubscribe-Post").as_deref(),
            Some("List-Unsubscribe=One-Click")
        );
        // <https://…?t=TOKEN>, <mailto:satis@test.local?subject=unsubscribe%20TOKEN>
        let parts: Vec<&str> = lu.split(", ").collect();
        assert_eq!(parts.len(), 2, "{lu}");
        let https = parts[0].trim_matches(['<', '>']);
        let mailto = parts[1].trim_matches(['<', '>']);
        assert!(
            https.starts_with("https://firma.com.tr/abonelik?t=u1."),
            "{lu}"
        );
        assert!(
            mailto.starts_with("mailto:satis@test.local?subject=unsubscribe%20u1."),
            "{lu}"
        );
        let token = https.rsplit("t=").next().unwrap();
        assert!(mailto.ends_with(token), "the same token: {lu}");
        // The visible line, Turkish first, with the same address.
        let text = read_back(raw.as_bytes()).text.unwrap_or_default();
        assert!(
            text.contains(&format!(
                "Bu e-postaları artık almak istemiyorsanız: {https}"
            )),
            "{text}"
        );
        if to_of(raw).contains("irmak@") {
            mailto_of_irmak = mailto.to_string();
        }
    }
    assert!(!mailto_of_irmak.is_empty());

    // Irmak's mail client sends the unsubscribe mail the mailto names; it lands in the
    // salesperson's mailbox, and is recorded from the delivered file.
    let token = mailto_of_irmak.rsplit("%20").next().unwrap().to_string();
    let empty = dir.join("bos.txt");
    std::fs::write(&empty, "This message was automatically generated.").unwrap();
    ok(&run(&[
        "send",
        "--account",
        account,
        "--company",
        "Öztürk Gıda",
        "--to",
        "satis@test.local",
        "--subject",
        &format!("unsubscribe {token}"),
        "--body-file",
        empty.to_str().unwrap(),
    ]));
    ok(&run(&["outbox", "drain"]));
    let request = delivered(&m.maildir, &token)
        .into_iter()
        .find(|raw| header(raw, "Subject").is_some_and(|s| s.starts_with("unsubscribe")))
        .expect("the unsubscribe mail was delivered");
    let saved = dir.join("istek.eml");
    std::fs::write(&saved, &request).unwrap();
    let out = ok(&run(&[
        "suppress",
        "unsubscribe",
        "--file",
        saved.to_str().unwrap(),
    ]));
    assert!(
        out.contains("irmak@test.local unsubscribed (campaign"),
        "{out}"
    );
    // A token altered on the way lists nobody.
    let forged = format!("{}A", &token[..token.len() - 1]);
    let forged = if forged == token {
        format!("{}B", &token[..token.len() - 1])
    } else {
        forged
    };
    let out = ok(&run(&["suppress", "unsubscribe", &forged]));
    assert!(out.contains("not recorded"), "{out}");
    let list: serde_json::Value =
        serde_json::from_str(&ok(&run(&["suppress", "list", "--json"]))).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list[0]["value"], "irmak@test.local");
    assert_eq!(list[0]["reason"], "unsubscribed");

    // The next campaign to the same three: Irmak is skipped, and the history says why.
    let tag2 = format!("{tag}-ikinci");
    std::fs::write(&body, format!("<p>Son gün! {tag2}</p>")).unwrap();
    ok(&run(&[
        "templates",
        "add",
        "--name",
        "Kış 2",
        "--subject",
        &format!("{tag2} Son gün"),
        "--body-file",
        body.to_str().unwrap(),
    ]));
    campaign(dir, "Kış-2", "Kış 2", &csv, account);
    let out = ok(&run(&["outbox", "drain"]));
    assert!(out.starts_with("sent 2, failed 0"), "{out}");
    assert!(out.contains("skipped 1"), "{out}");
    let second = delivered(&m.maildir, &tag2);
    assert_eq!(second.len(), 2);
    assert!(second.iter().all(|raw| !to_of(raw).contains("irmak@")));
    let failed_rows: serde_json::Value =
        serde_json::from_str(&ok(&run(&["history", "--state", "failed", "--json"]))).unwrap();
    let rows = failed_rows.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{failed_rows}");
    assert_eq!(rows[0]["lastCode"], "suppressed");
    let id = rows[0]["id"].as_i64().unwrap().to_string();
    let detail: serde_json::Value =
        serde_json::from_str(&ok(&run(&["history", "--show", &id, "--json"]))).unwrap();
    assert_eq!(detail["skipped"][0]["recipient"], "irmak@test.local");
    assert_eq!(detail["skipped"][0]["reason"], "unsubscribed");
}
