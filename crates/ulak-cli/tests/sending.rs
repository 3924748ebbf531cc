//! The `ulak` binary sending: messages queued before anything goes out, drained into
//! the sandbox of their channel (e-mail .eml, SMS JSON), templates, attachments, the
//! history with its channels, and pausing.

mod common;

use common::{failed, files, ok, run_tag, ulak, PASS};

#[test]
fn send_queues_first_and_drain_puts_it_in_the_sandbox() {
    let d = tempfile::tempdir().unwrap();
    let body = d.path().join("body.txt");
    std::fs::write(&body, "Merhaba Ayşe Hanım,\nteklifimiz ektedir.\n").unwrap();
    let b = body.to_str().unwrap();
    let company = ok(&ulak(
        d.path(),
        Some(PASS),
        &["companies", "add", "Müşteri A.Ş."],
    ));
    let company = company.trim();
    let args = [
        "send",
        "--sandbox",
        "--company",
        company,
        "--to",
        "ayse@musteri.com.tr",
        "--subject",
        "Teklif — ğüşıöç",
        "--body-file",
        b,
        "--idempotency-key",
        "t1",
    ];
    let id = ok(&ulak(d.path(), Some(PASS), &args)).trim().to_string();
    let again = ok(&ulak(d.path(), Some(PASS), &args)).trim().to_string();
    assert_eq!(
        again, id,
        "the same key queues once and answers with its id"
    );
    let no_company = failed(&ulak(
        d.path(),
        Some(PASS),
        &[
            "send",
            "--sandbox",
            "--company",
            "Yok Böyle Firma",
            "--to",
            "a@b.com",
            "--subject",
            "x",
            "--body-file",
            b,
        ],
    ));
    assert!(no_company.contains("crm.company_not_found"), "{no_company}");
    let bad = [
        "send",
        "--sandbox",
        "--company",
        company,
        "--to",
        "ayse@",
        "--subject",
        "x",
        "--body-file",
        b,
    ];
    assert!(failed(&ulak(d.path(), Some(PASS), &bad)).contains("validation.email"));
    let status = ok(&ulak(d.path(), Some(PASS), &["outbox", "status", "--json"]));
    assert!(
        status.contains("\"queued\": 1"),
        "stored before anything is sent: {status}"
    );

    let out = ok(&ulak(d.path(), Some(PASS), &["outbox", "drain", "--json"]));
    assert!(out.contains("\"sent\": 1"), "{out}");
    let files: Vec<_> = std::fs::read_dir(d.path().join("sandbox"))
        .unwrap()
        .flatten()
        .collect();
    assert_eq!(files.len(), 1);
    let name = files[0].file_name().to_string_lossy().to_string();
    assert!(
        name.starts_with(&format!("{:08}-", id.parse::<i64>().unwrap())),
        "{name}"
    );
    let eml = std::fs::read_to_string(files[0].path()).unwrap();
    assert!(
        eml.contains("To: ayse@musteri.com.tr") && eml.contains("=?utf-8?"),
        "{eml}"
    );
    let out = ok(&ulak(d.path(), Some(PASS), &["outbox", "drain", "--json"]));
    assert!(out.contains("\"sent\": 0"), "never twice: {out}");
}

#[test]
fn templates_attachments_history_and_pause() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let company = ok(&ulak(p, Some(PASS), &["companies", "add", "Öztürk Gıda"]));
    let company = company.trim();
    ok(&ulak(
        p,
        Some(PASS),
        &[
            "contacts",
            "add",
            "--company",
            company,
            "--name",
            "Şule İnce",
            "--email",
            "sule@ozturk.com.tr",
        ],
    ));
    let body = p.join("teklif.html");
    std::fs::write(&body, "<p>Sayın {{ contact.first_name }},</p><p>{{ company.name }} için <b>teklifimiz</b> ektedir.</p><script>alert(1)</script>").unwrap();
    let bad = p.join("bad.html");
    std::fs::write(&bad, "<p>{{ contact.frist_name }}</p>").unwrap();
    let err = failed(&ulak(
        p,
        Some(PASS),
        &[
            "templates",
            "add",
            "--name",
            "Hatalı",
            "--subject",
            "x",
            "--body-file",
            bad.to_str().unwrap(),
        ],
    ));
    assert!(
        err.contains("template.unknown_variable") && err.contains("contact.frist_name"),
        "{err}"
    );
    ok(&ulak(
        p,
        Some(PASS),
        &[
            "templates",
            "add",
            "--name",
            "Teklif",
            "--subject",
            "{{ company.name }} — fiyat teklifi",
            "--body-file",
            body.to_str().unwrap(),
        ],
    ));
    let pdf = p.join("fiyat-listesi.pdf");
    std::fs::write(&pdf, b"%PDF-1.4 test bytes \x00\x01\x02").unwrap();

    ok(&ulak(p, Some(PASS), &["outbox", "pause"]));
    let id = ok(&ulak(
        p,
        Some(PASS),
        &[
            "send",
            "--sandbox",
            "--company",
            "öztürk gıda",
            "--to",
            "sule@ozturk.com.tr",
            "--template",
            "teklif",
            "--attach",
            pdf.to_str().unwrap(),
        ],
    ));
    let id = id.trim();
    let out = ok(&ulak(p, Some(PASS), &["outbox", "drain", "--json"]));
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["paused"], true, "{out}");
    assert_eq!(r["sent"], 0, "paused: nothing is sent: {out}");
    ok(&ulak(p, Some(PASS), &["outbox", "resume"]));
    let out = ok(&ulak(p, Some(PASS), &["outbox", "drain", "--json"]));
    assert!(out.contains("\"sent\": 1"), "{out}");

    let hist = ok(&ulak(
        p,
        Some(PASS),
        &["history", "--json", "--state", "sent"],
    ));
    let rows: serde_json::Value = serde_json::from_str(&hist).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1, "{hist}");
    assert_eq!(rows[0]["subject"], "Öztürk Gıda — fiyat teklifi");
    assert_eq!(rows[0]["companyName"], "Öztürk Gıda");
    assert_eq!(rows[0]["attachmentCount"], 1);
    assert_eq!(rows[0]["accountId"], serde_json::Value::Null);
    let none = ok(&ulak(
        p,
        Some(PASS),
        &["history", "--json", "--state", "failed"],
    ));
    assert_eq!(none.trim(), "[]");

    let detail = ok(&ulak(p, Some(PASS), &["history", "--show", id, "--json"]));
    let dt: serde_json::Value = serde_json::from_str(&detail).unwrap();
    let html = dt["email"]["html"].as_str().unwrap();
    assert!(
        html.contains("Sayın Şule,") && html.contains("<b>teklifimiz</b>"),
        "{html}"
    );
    assert!(!html.contains("script"), "scripts are removed: {html}");
    let text = dt["email"]["text"].as_str().unwrap();
    assert!(
        text.contains("Sayın Şule,") && text.contains("Öztürk Gıda için"),
        "{text}"
    );
    assert_eq!(
        dt["email"]["attachments"][0]["filename"],
        "fiyat-listesi.pdf"
    );
    assert_eq!(
        dt["email"]["attachments"][0]["contentType"],
        "application/pdf"
    );
    assert_eq!(dt["entry"]["channel"], "email");
    let raw = ok(&ulak(p, Some(PASS), &["history", "--show", id]));
    assert!(
        raw.contains("multipart/mixed") && raw.contains("multipart/alternative"),
        "{raw}"
    );
    assert!(
        !raw.contains("Şule"),
        "headers and bodies are 7-bit encoded: {raw}"
    );

    let daily = ok(&ulak(p, Some(PASS), &["history", "--daily", "--json"]));
    let days: serde_json::Value = serde_json::from_str(&daily).unwrap();
    assert_eq!(days[0]["sent"], 1, "{daily}");
    let err = failed(&ulak(p, Some(PASS), &["history", "--retry", id]));
    assert!(err.contains("outbox.not_retryable"), "{err}");
}

#[test]
fn an_sms_to_the_sandbox_is_queued_sent_by_drain_and_listed_with_its_channel() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let text = "Merhaba Işıl Hanım,\nteklifiniz hazır — Öztürk Gıda";
    let args = [
        "sms",
        "send",
        "--sandbox",
        "--to",
        "0532 123 45 67",
        "--text",
        text,
        "--idempotency-key",
        "sms-1",
    ];
    let id = ok(&ulak(p, Some(PASS), &args)).trim().to_string();
    assert_eq!(
        ok(&ulak(p, Some(PASS), &args)).trim(),
        id,
        "the same key queues once"
    );
    for (to, text, code) in [
        ("12", "x", "validation.phone"),
        ("0532 123 45 67", " ", "validation.required"),
        ("0532 123 45 67", "a\tb", "validation.control_chars"),
    ] {
        let err = failed(&ulak(
            p,
            Some(PASS),
            &["sms", "send", "--sandbox", "--to", to, "--text", text],
        ));
        assert!(err.contains(code), "{to:?} {text:?}: {err}");
    }
    let status = ok(&ulak(p, Some(PASS), &["outbox", "status", "--json"]));
    assert!(status.contains("\"queued\": 1"), "stored first: {status}");

    let out = ok(&ulak(p, Some(PASS), &["outbox", "drain", "--json"]));
    assert!(out.contains("\"sent\": 1"), "{out}");
    let dir = p.join("sandbox").join("sms");
    let written = files(&dir);
    assert_eq!(written.len(), 1, "one JSON file per SMS");
    let name = written[0]
        .0
        .file_name()
        .unwrap()
        .to_string_lossy()
        .to_string();
    assert!(
        name.starts_with(&format!("{:08}-", id.parse::<i64>().unwrap())) && name.ends_with(".json"),
        "{name}"
    );
    let sms: serde_json::Value = serde_json::from_slice(&written[0].1).unwrap();
    assert_eq!(sms["to"], "+905321234567", "E.164");
    assert_eq!(sms["text"], text);

    let history: serde_json::Value =
        serde_json::from_str(&ok(&ulak(p, Some(PASS), &["history", "--json"]))).unwrap();
    let entries = history.as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["channel"], "sms");
    assert_eq!(entries[0]["provider"], "sandbox");
    assert_eq!(entries[0]["state"], "sent");
    assert_eq!(entries[0]["to"], "+905321234567");
    let emails = ok(&ulak(
        p,
        Some(PASS),
        &["history", "--json", "--channel", "email"],
    ));
    assert_eq!(emails.trim(), "[]", "narrowed to a channel");
    let texts = ok(&ulak(
        p,
        Some(PASS),
        &["history", "--json", "--channel", "sms"],
    ));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&texts).unwrap(),
        history
    );
    let shown: serde_json::Value = serde_json::from_str(&ok(&ulak(
        p,
        Some(PASS),
        &["history", "--show", &id, "--json"],
    )))
    .unwrap();
    assert_eq!(shown["email"], serde_json::Value::Null);
    assert_eq!(shown["attempts"].as_array().unwrap().len(), 1, "{shown}");
    assert_eq!(shown["attempts"][0]["outcome"], "sent");
    let out = ok(&ulak(p, Some(PASS), &["outbox", "drain", "--json"]));
    assert!(out.contains("\"sent\": 0"), "never twice: {out}");
}

#[test]
fn the_sandbox_keeps_its_files_for_the_days_set_and_a_drain_removes_older_ones() {
    let d = tempfile::tempdir().unwrap();
    let said = ok(&ulak(d.path(), Some(PASS), &["outbox", "sandbox-keep"]));
    assert!(said.contains("30 days"), "{said}");
    let bad = failed(&ulak(
        d.path(),
        Some(PASS),
        &["outbox", "sandbox-keep", "--days", "0"],
    ));
    assert!(bad.contains("validation.range"), "{bad}");
    ok(&ulak(
        d.path(),
        Some(PASS),
        &["outbox", "sandbox-keep", "--days", "7"],
    ));
    let dir = d.path().join("sandbox");
    std::fs::create_dir_all(dir.join("sms")).unwrap();
    let day = std::time::Duration::from_secs(24 * 3600);
    let now = std::time::SystemTime::now();
    let files = [
        (dir.join("00000001-eski.eml"), 8),
        (dir.join("sms").join("00000002-eski.json"), 10),
        (dir.join("00000003-yeni.eml"), 6),
    ];
    for (p, age) in &files {
        std::fs::write(p, "Kime: müşteri@firma.com.tr").unwrap();
        std::fs::File::options()
            .write(true)
            .open(p)
            .unwrap()
            .set_modified(now - day * *age)
            .unwrap();
    }
    ok(&ulak(d.path(), Some(PASS), &["outbox", "drain"]));
    assert!(
        !files[0].0.exists() && !files[1].0.exists(),
        "older than 7 days"
    );
    assert!(files[2].0.exists(), "within 7 days");
}

#[test]
fn a_separate_send_puts_cc_into_each_message_only_when_asked() {
    let d = tempfile::tempdir().unwrap();
    let body = d.path().join("govde.txt");
    std::fs::write(
        &body,
        "Merhaba {{ contact.first_name }},\nkataloğumuz ektedir.\n",
    )
    .unwrap();
    let company = ok(&ulak(
        d.path(),
        Some(PASS),
        &["companies", "add", "Ege Tekstil A.Ş."],
    ));
    for (name, email) in [
        ("Ayşe Kaya", "ayse@ege.com.tr"),
        ("Mehmet Öz", "mehmet@ege.com.tr"),
    ] {
        ok(&ulak(
            d.path(),
            Some(PASS),
            &[
                "contacts",
                "add",
                "--company",
                company.trim(),
                "--name",
                name,
                "--email",
                email,
            ],
        ));
    }
    let send = |extra: &[&str]| {
        let mut args = vec![
            "send",
            "--sandbox",
            "--company",
            company.trim(),
            "--to",
            "ayse@ege.com.tr",
            "--to",
            "mehmet@ege.com.tr",
            "--cc",
            "satis-muduru@firma.com.tr",
            "--subject",
            "Katalog — İzmir",
            "--body-file",
            body.to_str().unwrap(),
            "--separate",
        ];
        args.extend_from_slice(extra);
        ulak(d.path(), Some(PASS), &args)
    };
    let refused = failed(&send(&[]));
    assert!(refused.contains("compose.copies_each"), "{refused}");
    let status = ok(&ulak(d.path(), Some(PASS), &["outbox", "status", "--json"]));
    assert!(!status.contains("queued"), "nothing queued: {status}");

    let ids = ok(&send(&["--copies-each"]));
    assert_eq!(ids.lines().count(), 2, "{ids}");
    ok(&ulak(d.path(), Some(PASS), &["outbox", "drain"]));
    let emls: Vec<String> = files(&d.path().join("sandbox"))
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "eml"))
        .map(|(_, b)| String::from_utf8(b).unwrap())
        .collect();
    assert_eq!(emls.len(), 2);
    for m in &emls {
        assert!(m.contains("Cc: satis-muduru@firma.com.tr"), "{m}");
    }
}

#[test]
fn an_accounts_reply_to_and_signature_go_with_its_messages() {
    let Some(m) = ulak_channels::email::testing::MailServer::from_env() else {
        eprintln!("skipped: no test mail server");
        return;
    };
    let d = tempfile::tempdir().unwrap();
    let id = common::add_account(d.path(), &m, &m.user, &m.password, &["--min-wait", "0"])
        .trim()
        .to_string();
    let sig = d.path().join("imza.txt");
    std::fs::write(
        &sig,
        "Gülşen Çağlar\nSatış Müdürü — Öztürk Gıda\n<b>www.ozturk.com.tr</b>\n",
    )
    .unwrap();
    let bad = failed(&ulak(
        d.path(),
        Some(PASS),
        &["accounts", "extras", "--id", &id, "--reply-to", "yanit@"],
    ));
    assert!(bad.contains("validation.email"), "{bad}");
    let said = ok(&ulak(
        d.path(),
        Some(PASS),
        &[
            "accounts",
            "extras",
            "--id",
            &id,
            "--reply-to",
            "teklif@ozturk.com.tr",
            "--signature-file",
            sig.to_str().unwrap(),
        ],
    ));
    assert!(said.contains("teklif@ozturk.com.tr"), "{said}");
    let company = ok(&ulak(
        d.path(),
        Some(PASS),
        &["companies", "add", "Deniz Lojistik"],
    ));
    let body = d.path().join("govde.txt");
    std::fs::write(&body, "Merhaba,\nteklifimiz ektedir.\n").unwrap();
    let tag = run_tag("imza-");
    ok(&ulak(
        d.path(),
        Some(PASS),
        &[
            "send",
            "--account",
            &id,
            "--company",
            company.trim(),
            "--to",
            "alici@deniz.com.tr",
            "--subject",
            &tag,
            "--body-file",
            body.to_str().unwrap(),
        ],
    ));
    ok(&ulak(d.path(), Some(PASS), &["outbox", "drain"]));
    let stored = ok(&ulak(d.path(), Some(PASS), &["history", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&stored).unwrap();
    let mid = v[0]["id"].to_string();
    let raw = ok(&ulak(d.path(), Some(PASS), &["history", "--show", &mid]));
    assert!(raw.contains("Reply-To: teklif@ozturk.com.tr"), "{raw}");
    let text = ulak_channels::email::mime::read_back(raw.as_bytes())
        .text
        .unwrap_or_default()
        .replace("\r\n", "\n");
    assert!(
        text.contains("-- \nGülşen Çağlar\nSatış Müdürü — Öztürk Gıda\n<b>www.ozturk.com.tr</b>"),
        "{text}"
    );
    // Cleared: the next message goes without either.
    ok(&ulak(
        d.path(),
        Some(PASS),
        &["accounts", "extras", "--id", &id, "--clear"],
    ));
    let listed = ok(&ulak(d.path(), Some(PASS), &["accounts", "list", "--json"]));
    assert!(listed.contains("\"replyTo\": null"), "{listed}");
}

/// `ulak send --at`: the message waits queued until its time, whatever drains before;
/// the drain says so; it goes after its time, dated then. A time past or more than a
/// year ahead is refused and queues nothing.
#[test]
fn a_scheduled_message_waits_for_its_time() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let body = p.join("body.txt");
    std::fs::write(&body, "Yarınki toplantı için gündem ektedir.\n").unwrap();
    let company = ok(&ulak(p, Some(PASS), &["companies", "add", "Işık Tekstil"]));
    let company = company.trim();
    let send = |at: &str| {
        ulak(
            p,
            Some(PASS),
            &[
                "send",
                "--sandbox",
                "--company",
                company,
                "--to",
                "sule@isik.com.tr",
                "--subject",
                "Gündem — Çarşamba",
                "--body-file",
                body.to_str().unwrap(),
                "--at",
                at,
            ],
        )
    };
    let fmt = |t: chrono::DateTime<chrono::Local>| t.format("%Y-%m-%d %H:%M:%S").to_string();
    for bad in [
        fmt(chrono::Local::now() - chrono::Duration::hours(2)),
        fmt(chrono::Local::now() + chrono::Duration::days(400)),
        "yarın 10:00".to_string(),
    ] {
        let err = failed(&send(&bad));
        assert!(err.contains("compose.bad_send_at"), "{bad}: {err}");
    }
    let at = chrono::Local::now() + chrono::Duration::seconds(3);
    let at = at - chrono::Duration::nanoseconds(at.timestamp_subsec_nanos() as i64);
    let id = ok(&send(&fmt(at))).trim().to_string();
    let out = ok(&ulak(p, Some(PASS), &["outbox", "drain"]));
    assert!(out.starts_with("sent 0, failed 0"), "{out}");
    assert!(
        out.contains("1 scheduled message(s) wait for their time"),
        "{out}"
    );
    assert!(!p.join("sandbox").exists() || files(&p.join("sandbox")).is_empty());
    let e: serde_json::Value = serde_json::from_str(&ok(&ulak(
        p,
        Some(PASS),
        &["history", "--show", &id, "--json"],
    )))
    .unwrap();
    assert_eq!(e["entry"]["state"], "queued");
    let scheduled: chrono::DateTime<chrono::Utc> =
        e["entry"]["scheduledAt"].as_str().unwrap().parse().unwrap();
    assert_eq!(scheduled, at.with_timezone(&chrono::Utc));

    while chrono::Local::now() < at {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let out = ok(&ulak(p, Some(PASS), &["outbox", "drain"]));
    assert!(out.starts_with("sent 1, failed 0"), "{out}");
    let emls = files(&p.join("sandbox"));
    assert_eq!(emls.len(), 1);
    let eml = String::from_utf8(emls[0].1.clone()).unwrap();
    let date = eml
        .lines()
        .find_map(|l| l.strip_prefix("Date: "))
        .expect("a Date header");
    let date = chrono::DateTime::parse_from_rfc2822(date.trim()).unwrap();
    assert_eq!(
        date.with_timezone(&chrono::Utc),
        scheduled,
        "dated when it goes"
    );
}
