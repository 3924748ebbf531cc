//! `ulak integrations` and SMS through Twilio, end to end: set up from the spec, the
//! connection test, an SMS queued then drained to the Twilio-shaped server on loopback
//! (`tests/servers/twilio.py`), and what the history says.

mod common;

use std::path::Path;
use std::process::Output;

use common::{failed, ok, ulak, ulak_stdin, PASS};
use ulak_channels::sms::testing::{TwilioServer, SID, TOKEN};

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
    let out = ok(&ulak(p, Some(PASS), &["outbox", "drain", "--json"]));
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
    use ulak_channels::sms::testing::{FakeProvider, VONAGE_KEY, VONAGE_SECRET};
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
    use ulak_channels::sms::testing::{FakeProvider, NETGSM_HEADER, NETGSM_PASSWORD, NETGSM_USER};
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
