//! `ulak integrations` and SMS through Twilio, end to end: set up from the spec, the
//! connection test, an SMS queued then drained to the Twilio-shaped server on loopback
//! (`tests/servers/twilio.py`), and what the history says.

mod common;

use std::path::Path;
use std::process::Output;

use common::{failed, ok, some_failed, ulak, ulak_stdin, PASS};
use ulak_channels::testing::{TwilioServer, SID, TOKEN};

fn set_up(p: &Path, base: &str, token: &str) -> Output {
    ulak_stdin(
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
            base,
        ],
        &format!("{token}\n"),
    )
}

#[test]
fn an_sms_goes_through_twilio_and_the_history_shows_twilios_id() {
    let server = TwilioServer::start();
    let d = tempfile::tempdir().unwrap();
    let p = d.path();

    // Bad input changes nothing: a secret on the command line, an unknown field, a
    // base URL to the internet in clear.
    let err = failed(&ulak(
        p,
        Some(PASS),
        &[
            "integrations",
            "set",
            "sms",
            "twilio",
            "--field",
            "authToken=x",
        ],
    ));
    assert!(err.contains("--secret-stdin authToken"), "{err}");
    let err = failed(&ulak_stdin(
        p,
        &[
            "integrations",
            "set",
            "sms",
            "twilio",
            "--field",
            &format!("accountSid={SID}"),
            "--field",
            "colour=red",
            "--secret-stdin",
            "authToken",
        ],
        "t\n",
    ));
    assert!(err.contains("integration.unknown_field"), "{err}");
    let err = failed(&set_up(p, "http://api.twilio.com", TOKEN));
    assert!(err.contains("validation.url"), "{err}");
    let err = failed(&ulak_stdin(
        p,
        &[
            "integrations",
            "set",
            "sms",
            "twilio",
            "--field",
            "from=+15005550006",
            "--secret-stdin",
            "authToken",
        ],
        "t\n",
    ));
    assert!(
        err.contains("integration.incomplete") && err.contains("accountSid"),
        "{err}"
    );
    let list = ok(&ulak(p, Some(PASS), &["integrations", "list", "--json"]));
    assert_eq!(list.trim(), "[]", "nothing saved");

    // Sending before it is set up says so.
    let err = failed(&ulak(
        p,
        Some(PASS),
        &[
            "sms",
            "send",
            "--provider",
            "twilio",
            "--to",
            "0532 123 45 67",
            "--text",
            "x",
        ],
    ));
    assert!(err.contains("integration.not_set_up"), "{err}");

    // Set up; the token is stored, never listed.
    ok(&set_up(p, &server.base, TOKEN));
    let list = ok(&ulak(p, Some(PASS), &["integrations", "list"]));
    assert!(list.contains("authToken=••••••••"), "{list}");
    assert!(!list.contains(TOKEN), "the token is never shown: {list}");
    let json: serde_json::Value = serde_json::from_str(&ok(&ulak(
        p,
        Some(PASS),
        &["integrations", "list", "--json"],
    )))
    .unwrap();
    assert_eq!(json[0]["secretsSet"], serde_json::json!(["authToken"]));
    assert_eq!(json[0]["settings"]["from"], "+15005550006");
    let test = ok(&ulak(
        p,
        Some(PASS),
        &["integrations", "test", "sms", "twilio"],
    ));
    assert!(test.contains("ok"), "{test}");

    // Queued first, sent by the drain, in Twilio's shape.
    let text = "Merhaba Işıl Hanım, teklifiniz hazır — Öztürk Gıda";
    let id = ok(&ulak(
        p,
        Some(PASS),
        &[
            "sms",
            "send",
            "--provider",
            "twilio",
            "--to",
            "0532 123 45 67",
            "--text",
            text,
        ],
    ))
    .trim()
    .to_string();
    assert!(
        server.requests().iter().all(|r| r["method"] != "POST"),
        "nothing is sent before the drain (the test only read the account)"
    );
    let out = ok(&ulak(p, Some(PASS), &["outbox", "drain", "--json"]));
    assert!(out.contains("\"sent\": 1"), "{out}");
    let seen = server.requests();
    let posts: Vec<_> = seen.iter().filter(|r| r["method"] == "POST").collect();
    assert_eq!(posts.len(), 1, "sent once: {seen:?}");
    assert_eq!(posts[0]["problems"], serde_json::json!([]));
    assert_eq!(posts[0]["form"]["To"], "+905321234567");
    assert_eq!(posts[0]["form"]["Body"], text);

    let history: serde_json::Value =
        serde_json::from_str(&ok(&ulak(p, Some(PASS), &["history", "--json"]))).unwrap();
    let e = &history[0];
    assert_eq!(e["id"].to_string(), id);
    assert_eq!(
        (e["channel"].as_str(), e["provider"].as_str()),
        (Some("sms"), Some("twilio"))
    );
    assert_eq!(e["state"], "sent");

    // A wrong token: the test says so, and a send fails as a sign-in, kept for the user.
    ok(&set_up(p, &server.base, "yanlış"));
    let err = failed(&ulak(
        p,
        Some(PASS),
        &["integrations", "test", "sms", "twilio"],
    ));
    assert!(
        err.contains("integration.test_failed") && err.contains("20003"),
        "{err}"
    );
    assert!(!err.contains("yanlış"), "{err}");
    ok(&ulak(
        p,
        Some(PASS),
        &[
            "sms",
            "send",
            "--provider",
            "twilio",
            "--to",
            "0532 123 45 68",
            "--text",
            "x",
        ],
    ));
    let out = some_failed(&ulak(p, Some(PASS), &["outbox", "drain", "--json"]));
    assert!(out.contains("\"failed\": 1"), "{out}");
    // The integration says it is in trouble, and why…
    let listed = |p: &Path| -> serde_json::Value {
        serde_json::from_str(&ok(&ulak(
            p,
            Some(PASS),
            &["integrations", "list", "--json"],
        )))
        .unwrap()
    };
    let trouble = &listed(p)[0]["lastError"];
    assert_eq!(trouble["code"], "signIn", "{trouble}");
    assert!(trouble["text"].as_str().unwrap().contains("20003"));
    assert!(!trouble.to_string().contains("yanlış"), "no secret in it");
    // …until the right token passes the test.
    ok(&set_up(p, &server.base, TOKEN));
    ok(&ulak(
        p,
        Some(PASS),
        &["integrations", "test", "sms", "twilio"],
    ));
    assert!(listed(p)[0]["lastError"].is_null());
}

#[test]
fn vonage_gets_the_number_without_plus_and_turkish_as_unicode_through_the_outbox() {
    use ulak_channels::testing::{FakeProvider, VONAGE_KEY, VONAGE_SECRET};
    let server = FakeProvider::vonage();
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    ok(&ulak_stdin(
        p,
        &[
            "integrations",
            "set",
            "sms",
            "vonage",
            "--field",
            &format!("apiKey={VONAGE_KEY}"),
            "--field",
            "from=FIRMA",
            "--secret-stdin",
            "apiSecret",
            "--base-url",
            &server.base,
        ],
        &format!("{VONAGE_SECRET}\n"),
    ));
    let test = ok(&ulak(
        p,
        Some(PASS),
        &["integrations", "test", "sms", "vonage"],
    ));
    assert!(test.starts_with("ok"), "{test}");
    let text = "Sayın Işıl Hanım, görüşmemiz için teşekkürler.";
    ok(&ulak(
        p,
        Some(PASS),
        &[
            "sms",
            "send",
            "--provider",
            "vonage",
            "--to",
            "0532 123 45 67",
            "--text",
            text,
        ],
    ));
    let out = ok(&ulak(p, Some(PASS), &["outbox", "drain", "--json"]));
    assert!(out.contains("\"sent\": 1"), "{out}");
    let posts: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r["method"] == "POST")
        .collect();
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0]["problems"], serde_json::json!([]));
    assert_eq!(posts[0]["form"]["to"], "905321234567");
    assert_eq!(posts[0]["form"]["type"], "unicode");
    assert_eq!(posts[0]["form"]["text"], text);
}

#[test]
fn netgsm_test_names_the_registered_headers_when_the_chosen_one_is_not() {
    use ulak_channels::testing::{FakeProvider, NETGSM_HEADER, NETGSM_PASSWORD, NETGSM_USER};
    let server = FakeProvider::netgsm();
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let set = |header: &str| {
        ulak_stdin(
            p,
            &[
                "integrations",
                "set",
                "sms",
                "netgsm",
                "--field",
                &format!("usercode={NETGSM_USER}"),
                "--field",
                &format!("msgheader={header}"),
                "--field",
                "iysfilter=11",
                "--secret-stdin",
                "password",
                "--base-url",
                &server.base,
            ],
            &format!("{NETGSM_PASSWORD}\n"),
        )
    };
    let err = failed(&ulak_stdin(
        p,
        &[
            "integrations",
            "set",
            "sms",
            "netgsm",
            "--field",
            &format!("usercode={NETGSM_USER}"),
            "--field",
            "msgheader=X",
            "--field",
            "iysfilter=99",
            "--secret-stdin",
            "password",
        ],
        "p\n",
    ));
    assert!(err.contains("validation.choice"), "{err}");
    ok(&set("BASKAFIRMA"));
    let err = failed(&ulak(
        p,
        Some(PASS),
        &["integrations", "test", "sms", "netgsm"],
    ));
    assert!(
        err.contains("integration.test_failed") && err.contains(NETGSM_HEADER),
        "{err}"
    );
    ok(&set(NETGSM_HEADER));
    let test = ok(&ulak(
        p,
        Some(PASS),
        &["integrations", "test", "sms", "netgsm"],
    ));
    assert!(test.starts_with("ok"), "{test}");
    ok(&ulak(
        p,
        Some(PASS),
        &[
            "sms",
            "send",
            "--provider",
            "netgsm",
            "--to",
            "0532 123 45 67",
            "--text",
            "Teşekkürler, görüşmek üzere.",
        ],
    ));
    let out = ok(&ulak(p, Some(PASS), &["outbox", "drain", "--json"]));
    assert!(out.contains("\"sent\": 1"), "{out}");
    let post = server
        .requests()
        .into_iter()
        .find(|r| r["method"] == "POST")
        .unwrap();
    assert_eq!(post["problems"], serde_json::json!([]));
    assert_eq!(post["body"]["messages"][0]["no"], "5321234567");
    assert_eq!(post["body"]["encoding"], "TR");
    assert_eq!(post["body"]["iysfilter"], "11");
}

#[test]
fn whatsapp_through_meta_a_template_goes_and_an_unknown_one_says_why() {
    use ulak_channels::testing::{FakeProvider, META_PHONE_ID, META_TOKEN};
    let server = FakeProvider::meta();
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let base = format!("{}/v21.0", server.base);
    ok(&ulak_stdin(
        p,
        &[
            "integrations",
            "set",
            "whatsapp",
            "meta",
            "--field",
            &format!("phoneNumberId={META_PHONE_ID}"),
            "--secret-stdin",
            "accessToken",
            "--base-url",
            &base,
        ],
        &format!("{META_TOKEN}\n"),
    ));
    let test = ok(&ulak(
        p,
        Some(PASS),
        &["integrations", "test", "whatsapp", "meta"],
    ));
    assert!(test.starts_with("ok"), "{test}");
    let send = |args: &[&str]| {
        let mut all = vec!["whatsapp", "send", "--provider", "meta"];
        all.extend_from_slice(args);
        ulak(p, Some(PASS), &all)
    };
    // Bad input is refused before queueing, with the reason.
    let err = failed(&send(&[
        "--to",
        "0532 123 45 67",
        "--template",
        "Teklif Şablonu",
    ]));
    assert!(err.contains("whatsapp.template_name"), "{err}");
    let err = failed(&send(&["--to", "12", "--text", "x"]));
    assert!(err.contains("validation.phone"), "{err}");
    let both = send(&["--to", "0532 123 45 67", "--text", "x", "--template", "a"]);
    assert_eq!(both.status.code(), Some(2), "the command line refuses both");
    assert!(String::from_utf8_lossy(&both.stderr).contains("--template"));

    ok(&send(&[
        "--to",
        "0532 123 45 67",
        "--template",
        "teklif_hatirlatma",
        "--lang",
        "tr",
        "--param",
        "Işıl Hanım",
        "--param",
        "Öztürk Gıda",
    ]));
    ok(&send(&[
        "--to",
        "0532 000 00 47",
        "--template",
        "yok_boyle_sablon",
    ]));
    assert!(server.requests().iter().all(|r| r["method"] != "POST"));
    let out = some_failed(&ulak(p, Some(PASS), &["outbox", "drain", "--json"]));
    assert!(
        out.contains("\"sent\": 1") && out.contains("\"failed\": 1"),
        "{out}"
    );
    let posts: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r["method"] == "POST")
        .collect();
    assert_eq!(posts.len(), 2, "each sent once");
    for r in &posts {
        assert_eq!(r["problems"], serde_json::json!([]), "{r}");
    }
    let t = posts
        .iter()
        .find(|r| r["body"]["type"] == "template")
        .unwrap();
    assert_eq!(t["body"]["to"], "905321234567");
    assert_eq!(
        t["body"]["template"]["components"][0]["parameters"][1]["text"],
        "Öztürk Gıda"
    );

    let history: serde_json::Value =
        serde_json::from_str(&ok(&ulak(p, Some(PASS), &["history", "--json"]))).unwrap();
    let rows = history.as_array().unwrap();
    let failed_one = rows.iter().find(|e| e["state"] == "failed").unwrap();
    assert_eq!(failed_one["channel"], "whatsapp");
    assert_eq!(failed_one["lastCode"], "templateInvalid", "{failed_one}");
    let sent_one = rows.iter().find(|e| e["state"] == "sent").unwrap();
    assert_eq!(
        sent_one["subject"],
        "teklif_hatirlatma (tr): Işıl Hanım, Öztürk Gıda"
    );
    // A template that does not fit is the message's trouble, not the integration's.
    let list: serde_json::Value = serde_json::from_str(&ok(&ulak(
        p,
        Some(PASS),
        &["integrations", "list", "--json"],
    )))
    .unwrap();
    assert!(list[0]["lastError"].is_null(), "{list}");
}

#[test]
fn whatsapp_to_the_sandbox_writes_a_file_and_sends_nothing() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    ok(&ulak(
        p,
        Some(PASS),
        &[
            "whatsapp",
            "send",
            "--sandbox",
            "--to",
            "+90 532 123 45 67",
            "--text",
            "Merhaba Ayşe Hanım",
        ],
    ));
    let out = ok(&ulak(p, Some(PASS), &["outbox", "drain", "--json"]));
    assert!(out.contains("\"sent\": 1"), "{out}");
    let dir = p.join("sandbox").join("whatsapp");
    let files: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert_eq!(files.len(), 1);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(files[0].as_ref().unwrap().path()).unwrap()).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"to": "+905321234567", "type": "text", "body": "Merhaba Ayşe Hanım"})
    );
}

#[test]
fn an_integrations_rate_spaces_its_sends_and_a_rate_out_of_range_is_refused() {
    let server = TwilioServer::start();
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    ok(&set_up(p, &server.base, TOKEN));
    let list = ok(&ulak(p, Some(PASS), &["integrations", "list"]));
    assert!(list.contains("(1/s)"), "Twilio's default: {list}");
    for bad in ["0", "1001"] {
        let err = failed(&ulak(
            p,
            Some(PASS),
            &["integrations", "set", "sms", "twilio", "--rate", bad],
        ));
        assert!(err.contains("validation.range"), "{err}");
    }
    ok(&ulak(
        p,
        Some(PASS),
        &["integrations", "set", "sms", "twilio", "--rate", "4"],
    ));
    let list = ok(&ulak(p, Some(PASS), &["integrations", "list"]));
    assert!(
        list.contains("(4/s)") && list.contains("from=+15005550006"),
        "{list}"
    );
    for n in 0..6 {
        ok(&ulak(
            p,
            Some(PASS),
            &[
                "sms",
                "send",
                "--provider",
                "twilio",
                "--to",
                &format!("0532 123 45 6{n}"),
                "--text",
                "Hatırlatma",
            ],
        ));
    }
    let out = ok(&ulak(p, Some(PASS), &["outbox", "drain", "--json"]));
    assert!(out.contains("\"sent\": 6"), "{out}");
    let at: Vec<f64> = server
        .requests()
        .iter()
        .filter(|r| r["method"] == "POST")
        .map(|r| r["at"].as_f64().unwrap())
        .collect();
    assert_eq!(at.len(), 6, "each once");
    // Four a second: never two within a quarter second (less the clocks' slack).
    for w in at.windows(2) {
        assert!(w[1] - w[0] >= 0.2, "spaced: {at:?}");
    }
}

#[test]
fn a_bulk_sms_through_iletimerkezi_is_all_or_nothing_and_each_number_goes_once() {
    use ulak_channels::testing::{FakeProvider, ILETI_HASH, ILETI_KEY, ILETI_SENDER};
    let server = FakeProvider::iletimerkezi();
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    ok(&ulak_stdin(
        p,
        &[
            "integrations",
            "set",
            "sms",
            "iletimerkezi",
            "--field",
            &format!("apiKey={ILETI_KEY}"),
            "--field",
            &format!("sender={ILETI_SENDER}"),
            "--field",
            "iysList=0",
            "--secret-stdin",
            "hash",
            "--base-url",
            &server.base,
        ],
        &format!("{ILETI_HASH}\n"),
    ));
    let test = ok(&ulak(
        p,
        Some(PASS),
        &["integrations", "test", "sms", "iletimerkezi"],
    ));
    assert!(test.starts_with("ok"), "{test}");
    let send = |to: &[&str]| {
        let mut args = vec!["sms", "send", "--provider", "iletimerkezi"];
        for t in to {
            args.extend_from_slice(&["--to", t]);
        }
        args.extend_from_slice(&[
            "--text",
            "Yeni kataloğumuz çıktı — Öztürk Gıda",
            "--idempotency-key",
            "katalog-aralik",
        ]);
        ulak(p, Some(PASS), &args)
    };
    // One bad number: nothing is queued.
    let err = failed(&send(&["0532 123 45 67", "12", "0533 765 43 21"]));
    assert!(
        err.contains("validation.phone") && err.contains("12"),
        "{err}"
    );
    let history = ok(&ulak(p, Some(PASS), &["history", "--json"]));
    assert_eq!(history.trim(), "[]", "nothing queued");
    // The same number written twice goes once.
    let list = ["0532 123 45 67", "+90 533 765 43 21", "905321234567"];
    let ids = ok(&send(&list));
    assert_eq!(ids.lines().count(), 2, "{ids}");
    assert_eq!(
        ok(&send(&list)),
        ids,
        "repeating the send queues nothing new"
    );
    let out = ok(&ulak(p, Some(PASS), &["outbox", "drain", "--json"]));
    assert!(out.contains("\"sent\": 2"), "{out}");
    let posts: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r["path"] == "/v1/send-sms/json")
        .collect();
    assert_eq!(posts.len(), 2);
    let mut numbers: Vec<String> = posts
        .iter()
        .map(|r| {
            assert_eq!(r["problems"], serde_json::json!([]), "{r}");
            r["body"]["request"]["order"]["message"]["receipents"]["number"][0]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    numbers.sort();
    assert_eq!(numbers, ["5321234567", "5337654321"]);
}

#[test]
fn after_sending_twilio_is_asked_whether_each_sms_arrived_and_the_history_says() {
    let server = TwilioServer::start();
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    ok(&set_up(p, &server.base, TOKEN));
    ok(&ulak(
        p,
        Some(PASS),
        &["integrations", "set", "sms", "twilio", "--rate", "50"],
    ));
    for to in ["0532 123 45 67", "0532 000 00 30"] {
        ok(&ulak(
            p,
            Some(PASS),
            &[
                "sms",
                "send",
                "--provider",
                "twilio",
                "--to",
                to,
                "--text",
                "Merhaba",
            ],
        ));
    }
    // Nothing sent yet: nothing to ask about.
    let before: serde_json::Value =
        serde_json::from_str(&ok(&ulak(p, Some(PASS), &["outbox", "delivery", "--json"]))).unwrap();
    assert_eq!(before["checked"], 0, "{before}");
    let out = ok(&ulak(p, Some(PASS), &["outbox", "drain", "--json"]));
    assert!(out.contains("\"sent\": 2"), "{out}");
    let r: serde_json::Value =
        serde_json::from_str(&ok(&ulak(p, Some(PASS), &["outbox", "delivery", "--json"]))).unwrap();
    assert_eq!(
        (
            &r["checked"],
            &r["delivered"],
            &r["undelivered"],
            &r["pending"]
        ),
        (&2.into(), &1.into(), &1.into(), &0.into()),
        "{r}"
    );
    let history: serde_json::Value =
        serde_json::from_str(&ok(&ulak(p, Some(PASS), &["history", "--json"]))).unwrap();
    let by_to = |to: &str| {
        history
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["to"] == to)
            .unwrap()
            .clone()
    };
    assert_eq!(by_to("+905321234567")["delivery"], "delivered");
    let lost = by_to("+905320000030");
    assert_eq!(lost["delivery"], "undelivered");
    assert!(
        lost["deliveryError"].as_str().unwrap().contains("30003"),
        "{lost}"
    );
    // Known now: not asked again.
    let again: serde_json::Value =
        serde_json::from_str(&ok(&ulak(p, Some(PASS), &["outbox", "delivery", "--json"]))).unwrap();
    assert_eq!(again["checked"], 0, "{again}");
    let fetches = server
        .requests()
        .iter()
        .filter(|r| r["method"] == "GET" && r["path"].as_str().unwrap().contains("/Messages/"))
        .count();
    assert_eq!(fetches, 2, "each message asked about once");
}

#[test]
fn a_whatsapp_template_to_several_numbers_goes_once_to_each_through_meta() {
    use ulak_channels::testing::{FakeProvider, META_PHONE_ID, META_TOKEN};
    let server = FakeProvider::meta();
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    ok(&ulak_stdin(
        p,
        &[
            "integrations",
            "set",
            "whatsapp",
            "meta",
            "--field",
            &format!("phoneNumberId={META_PHONE_ID}"),
            "--secret-stdin",
            "accessToken",
            "--base-url",
            &format!("{}/v21.0", server.base),
        ],
        &format!("{META_TOKEN}\n"),
    ));
    let send = |to: &[&str]| {
        let mut args = vec!["whatsapp", "send", "--provider", "meta"];
        for t in to {
            args.extend_from_slice(&["--to", t]);
        }
        args.extend_from_slice(&[
            "--template",
            "teklif_hatirlatma",
            "--param",
            "Değerli müşterimiz",
            "--param",
            "Aralık kataloğu",
            "--idempotency-key",
            "aralik",
        ]);
        ulak(p, Some(PASS), &args)
    };
    let err = failed(&send(&["0532 123 45 67", "0000"]));
    assert!(
        err.contains("validation.phone") && err.contains("0000"),
        "{err}"
    );
    let list = ["0532 123 45 67", "0533 765 43 21", "+905321234567"];
    let ids = ok(&send(&list));
    assert_eq!(ids.lines().count(), 2, "{ids}");
    assert_eq!(ok(&send(&list)), ids, "repeating queues nothing new");
    let out = ok(&ulak(p, Some(PASS), &["outbox", "drain", "--json"]));
    assert!(out.contains("\"sent\": 2"), "{out}");
    let mut to: Vec<String> = server
        .requests()
        .iter()
        .filter(|r| r["method"] == "POST")
        .map(|r| {
            assert_eq!(r["problems"], serde_json::json!([]), "{r}");
            r["body"]["to"].as_str().unwrap().to_string()
        })
        .collect();
    to.sort();
    assert_eq!(to, ["905321234567", "905337654321"]);
}
