//! Automations end to end (issue 21): the seeds' four rules are there, off; one is set
//! to send an SMS through the Twilio-shaped server and an e-mail through the real
//! Postfix, turned on, and a CRM event comes in through the loopback endpoint
//! (`POST /events`, the workspace's token) of a real `ulak inbound serve`. Both
//! messages are queued once (the same event again runs nothing), drained, and seen
//! where they went and in the history. A meeting's WhatsApp reminder is queued for an
//! hour before it starts; an action that cannot run (Google Sheets) says why.

mod common;

use common::{add_account, failed, ok, run_tag, ulak, ulak_stdin, Receiver, PASS};
use serde_json::{json, Value};
use ulak_channels::email::testing::MailServer;
use ulak_channels::testing::{TwilioServer, SID, TOKEN};

fn json_of(o: &std::process::Output) -> Value {
    serde_json::from_str(&ok(o)).unwrap()
}

fn delivered(maildir: &str, tag: &str) -> usize {
    ["new", "cur"]
        .iter()
        .flat_map(|d| {
            std::fs::read_dir(format!("{maildir}/{d}"))
                .into_iter()
                .flatten()
                .flatten()
        })
        .filter(|e| {
            std::fs::read_to_string(e.path())
                .unwrap_or_default()
                .contains(tag)
        })
        .count()
}

fn seed(list: &Value, key: &str) -> Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|a| a["seed"] == key)
        .unwrap()
        .clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_crm_event_through_the_loopback_endpoint_sends_an_sms_and_an_email_once() {
    let Some(m) = MailServer::from_env() else {
        return;
    };
    let twilio = TwilioServer::start();
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let run = |args: &[&str]| ulak(p, Some(PASS), args);
    let tag = run_tag("otomasyon-");
    let account = add_account(
        p,
        &m,
        "satis@test.local",
        &m.password,
        &["--daily-limit", "off", "--min-wait", "0"],
    );
    let body = p.join("teklif.html");
    std::fs::write(
        &body,
        format!("<p>Sayın {{{{ contact.name }}}}, teklifimiz ektedir. {tag}</p>"),
    )
    .unwrap();
    let subject = format!("{tag} Kış teklifi — {{{{ company.name }}}}");
    ok(&run(&[
        "templates",
        "add",
        "--name",
        "Teklif",
        "--subject",
        &subject,
        "--body-file",
        body.to_str().unwrap(),
    ]));
    ok(&ulak_stdin(
        p,
        &[
            "integrations",
            "set",
            "sms",
            "twilio",
            "--field",
            &format!("accountSid={SID}"),
            "--field",
            "from=+15005550006",
            "--secret-stdin",
            "authToken",
            "--base-url",
            &twilio.base,
        ],
        &format!("{TOKEN}\n"),
    ));

    // The seeds' four, all off.
    let list = json_of(&run(&["automations", "list", "--json"]));
    assert_eq!(list.as_array().unwrap().len(), 4, "{list}");
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["enabled"] == false));
    let quote = seed(&list, "quote-sms-email");
    assert_eq!(quote["event"], "quote.sent");
    let id = quote["id"].to_string();

    // A rule that names an unknown event is refused and changes nothing.
    let bad = p.join("bad.json");
    std::fs::write(&bad, json!({"name": "x", "event": "deal.won", "actions": [{"kind": "sheetRow", "spreadsheet": ""}]}).to_string()).unwrap();
    let err = failed(&run(&[
        "automations",
        "set",
        &id,
        "--json",
        bad.to_str().unwrap(),
    ]));
    assert!(err.contains("validation.choice"), "{err}");

    let rule = p.join("rule.json");
    std::fs::write(
        &rule,
        json!({"name": "Teklif gönderildi → SMS ve e-posta", "event": "quote.sent", "actions": [
            {"kind": "sms", "provider": "twilio", "text": format!("Sayın {{{{ contact.name }}}}, {{{{ record.number }}}} numaralı teklifimiz e-postanızda. {tag}")},
            {"kind": "email", "template": "Teklif", "accountId": account.trim().parse::<i64>().unwrap()}
        ]})
        .to_string(),
    )
    .unwrap();
    ok(&run(&[
        "automations",
        "set",
        &id,
        "--json",
        rule.to_str().unwrap(),
    ]));
    ok(&run(&["automations", "enable", &id]));

    let token = ok(&run(&["event", "token"])).trim().to_string();
    assert!(token.starts_with("ulak_evt_"), "{token}");
    let rx = Receiver::start(p);
    let http = reqwest::Client::new();
    let url = format!("{}/events", rx.base);
    let event = json!({"type": "quote.sent", "id": "crm-quote-2026-117", "data": {
        "number": "TKL-2026-117", "title": "Ambalaj teklifi", "amount": "48.500 TL",
        "company": {"name": "Öztürk Gıda"},
        "contact": {"name": "Işıl Öztürk", "email": "isil@test.local", "phone": "0532 123 45 67"}}})
    .to_string();
    let post = |auth: Option<&str>, forwarded: bool, body: String| {
        let mut rq = http
            .post(&url)
            .header("content-type", "application/json")
            .body(body);
        if let Some(a) = auth {
            rq = rq.header("authorization", format!("Bearer {a}"));
        }
        if forwarded {
            rq = rq.header("x-forwarded-for", "203.0.113.9");
        }
        rq.send()
    };
    // No token, a wrong one, or through a tunnel: refused, nothing queued.
    assert_eq!(
        post(None, false, event.clone()).await.unwrap().status(),
        401
    );
    assert_eq!(
        post(Some("ulak_evt_guess"), false, event.clone())
            .await
            .unwrap()
            .status(),
        401
    );
    assert_eq!(
        post(Some(&token), true, event.clone())
            .await
            .unwrap()
            .status(),
        403
    );
    // A tunnel that names no client still names the public host it was called at.
    let r = http
        .post(&url)
        .header("host", "ulak.example.invalid")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(event.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = post(
        Some(&token),
        false,
        "{\"type\": \"quote.sent\", \"data\": ".into(),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("event.bad_json"));
    assert_eq!(
        ok(&run(&["history", "--json"])).trim(),
        "[]",
        "nothing queued by refused events"
    );

    let r = post(Some(&token), false, event.clone()).await.unwrap();
    assert_eq!(r.status(), 200);
    let emitted: Value = r.json_or_text().await;
    assert_eq!(emitted["duplicate"], false, "{emitted}");
    assert_eq!(emitted["runs"][0]["run"]["outcome"], "queued", "{emitted}");
    // The same event again (a CRM retrying): nothing new.
    let again: Value = post(Some(&token), false, event.clone())
        .await
        .unwrap()
        .json_or_text()
        .await;
    assert_eq!(again["duplicate"], true, "{again}");
    let history = json_of(&run(&["history", "--json"]));
    assert_eq!(history.as_array().unwrap().len(), 2, "{history}");

    // The company and contact the CRM named are in Ulak now.
    let companies = ok(&run(&["companies", "list", "--json"]));
    assert!(companies.contains("Öztürk Gıda"), "{companies}");

    ok(&run(&["outbox", "drain", "--json"]));
    let sms: Vec<Value> = twilio
        .requests()
        .into_iter()
        .filter(|r| r["method"] == "POST")
        .collect();
    assert_eq!(sms.len(), 1, "the SMS went once");
    assert_eq!(sms[0]["problems"], json!([]));
    assert_eq!(sms[0]["form"]["To"], "+905321234567");
    assert_eq!(
        sms[0]["form"]["Body"],
        format!("Sayın Işıl Öztürk, TKL-2026-117 numaralı teklifimiz e-postanızda. {tag}")
    );
    // Postfix hands the mail to the mailbox a moment after it took it.
    let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while delivered(&m.maildir, &tag) == 0 && std::time::Instant::now() < until {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert_eq!(delivered(&m.maildir, &tag), 1, "the e-mail arrived once");
    let history = json_of(&run(&["history", "--json"]));
    let states: Vec<(String, String)> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["channel"].as_str().unwrap().to_string(),
                e["state"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        states.contains(&("sms".into(), "sent".into()))
            && states.contains(&("email".into(), "sent".into())),
        "{states:?}"
    );

    // The rule's last run is shown with it.
    let list = json_of(&run(&["automations", "list", "--json"]));
    let runs = &seed(&list, "quote-sms-email")["lastRuns"];
    assert_eq!(runs.as_array().unwrap().len(), 1, "{runs}");
    assert_eq!(runs[0]["eventId"], "quote.sent:crm-quote-2026-117");
}

trait JsonOrText {
    async fn json_or_text(self) -> Value;
}

impl JsonOrText for reqwest::Response {
    async fn json_or_text(self) -> Value {
        let t = self.text().await.unwrap();
        serde_json::from_str(&t).unwrap_or_else(|_| panic!("not JSON: {t}"))
    }
}

#[test]
fn a_meeting_reminder_is_queued_an_hour_before_and_sheets_says_why_it_did_not_run() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let run = |args: &[&str]| ulak(p, Some(PASS), args);
    let list = json_of(&run(&["automations", "list", "--json"]));
    ok(&run(&[
        "automations",
        "enable",
        &seed(&list, "meeting-whatsapp")["id"].to_string(),
    ]));
    ok(&run(&[
        "automations",
        "enable",
        &seed(&list, "invoice-email-sheet")["id"].to_string(),
    ]));
    let start = chrono::Utc::now() + chrono::Duration::hours(3);
    let meeting = p.join("meeting.json");
    std::fs::write(
        &meeting,
        json!({"type": "meeting.scheduled", "id": "crm-meeting-9", "data": {"title": "Tanışma", "start": start.to_rfc3339(),
               "company": {"name": "Işık Tekstil"}, "contact": {"name": "Çağla Işık", "phone": "+90 533 444 55 66"}}})
        .to_string(),
    )
    .unwrap();
    let e = json_of(&run(&[
        "event",
        "emit",
        "meeting.scheduled",
        "--json",
        meeting.to_str().unwrap(),
        "--print-json",
    ]));
    assert_eq!(e["runs"][0]["run"]["outcome"], "queued", "{e}");
    let id = e["runs"][0]["run"]["actions"][0]["messageIds"][0].to_string();
    let shown = json_of(&run(&["history", "--show", &id, "--json"]));
    let at: chrono::DateTime<chrono::Utc> = shown["entry"]["scheduledAt"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (at - (start - chrono::Duration::hours(1)))
            .num_seconds()
            .abs()
            <= 1,
        "{at} vs {start}"
    );
    // The file's type must be the one named.
    let err = failed(&run(&[
        "event",
        "emit",
        "deal.created",
        "--json",
        meeting.to_str().unwrap(),
    ]));
    assert!(err.contains("event.bad_json"), "{err}");

    // Invoice paid: no "Ödeme teşekkür" template saved, and no Google Sheets: both say why.
    let invoice = p.join("invoice.json");
    std::fs::write(&invoice, json!({"company": {"name": "Işık Tekstil"}, "contact": {"name": "Çağla Işık", "email": "cagla@test.local"}, "number": "FTR-88"}).to_string()).unwrap();
    let e = json_of(&run(&[
        "event",
        "emit",
        "invoice.paid",
        "--json",
        invoice.to_str().unwrap(),
        "--print-json",
    ]));
    let run0 = &e["runs"][0]["run"];
    assert_eq!(run0["outcome"], "failed", "{e}");
    assert_eq!(run0["actions"][0]["code"], "template.not_found");
    assert_eq!(
        run0["actions"][1]["code"],
        "automation.sheets_not_connected"
    );

    // The template saved, the same event again: the step that failed runs now (the
    // event is not a mere duplicate while an action of it did not go).
    let body = p.join("odeme.html");
    std::fs::write(
        &body,
        "<p>Ödemeniz için teşekkürler, {{ contact.first_name }} Hanım.</p>",
    )
    .unwrap();
    ok(&run(&[
        "templates",
        "add",
        "--name",
        "Ödeme teşekkür",
        "--subject",
        "Ödemeniz alındı",
        "--body-file",
        body.to_str().unwrap(),
    ]));
    let again = json_of(&run(&[
        "event",
        "emit",
        "invoice.paid",
        "--json",
        invoice.to_str().unwrap(),
        "--print-json",
    ]));
    assert_eq!(again["duplicate"], false, "{again}");
    let run1 = &again["runs"][0]["run"];
    assert_eq!(run1["outcome"], "partial", "{again}");
    assert_eq!(run1["actions"][0]["ok"], true);
    // Once more: the e-mail is not queued twice (its key), Sheets still cannot run.
    let third = json_of(&run(&[
        "event",
        "emit",
        "invoice.paid",
        "--json",
        invoice.to_str().unwrap(),
        "--print-json",
    ]));
    assert_eq!(
        third["runs"][0]["run"]["actions"][0]["messageIds"], run1["actions"][0]["messageIds"],
        "{third}"
    );

    // A CRM's numbers and nulls are read as text; one record id names a deal and an
    // invoice apart (the type is part of the event's id).
    let deal = p.join("deal.json");
    std::fs::write(&deal, json!({"id": 42, "data": {"number": 1024, "amount": 1500.5, "company": {"name": "Işık Tekstil"}, "contact": {"name": "Çağla Işık", "email": "cagla@test.local", "phone": null}}}).to_string()).unwrap();
    let d1 = json_of(&run(&[
        "event",
        "emit",
        "deal.created",
        "--json",
        deal.to_str().unwrap(),
        "--print-json",
    ]));
    assert_eq!(
        (d1["eventId"].as_str(), d1["duplicate"].as_bool()),
        (Some("deal.created:42"), Some(false)),
        "{d1}"
    );
    let d2 = json_of(&run(&[
        "event",
        "emit",
        "quote.sent",
        "--json",
        deal.to_str().unwrap(),
        "--print-json",
    ]));
    assert_eq!(d2["eventId"], "quote.sent:42");

    // A meeting that has begun gets no reminder, and says why.
    let late = p.join("late.json");
    std::fs::write(&late, json!({"type": "meeting.scheduled", "id": "crm-meeting-10", "data": {"start": (chrono::Utc::now() - chrono::Duration::minutes(5)).to_rfc3339(), "contact": {"name": "Çağla Işık", "phone": "+90 533 444 55 66"}}}).to_string()).unwrap();
    let e = json_of(&run(&[
        "event",
        "emit",
        "meeting.scheduled",
        "--json",
        late.to_str().unwrap(),
        "--print-json",
    ]));
    assert_eq!(
        e["runs"][0]["run"]["actions"][0]["code"], "automation.too_late",
        "{e}"
    );
}
