//! `ulak inbound`: the webhook receiver, end to end against a real `ulak inbound serve`
//! on loopback. WhatsApp through the Meta-shaped server (tests/servers/meta.py), then
//! Meta's documented webhooks posted to the receiver as Meta would (signed with the
//! app secret): statuses settle the history's delivery column, a customer's message
//! opens the 24-hour window and a "RET" puts the number on the suppression list.
//! Vonage's delivery receipts arrive as a GET's query, as Vonage sends them by default.

mod common;

use std::path::Path;

use common::{failed, ok, ulak, ulak_stdin, Receiver, PASS};
use serde_json::{json, Value};
use ulak_channels::inbound::meta::signature;
use ulak_channels::testing::{FakeProvider, META_PHONE_ID, META_TOKEN};

const APP_SECRET: &str = "test-app-secret-not-real";

fn json_of(o: &std::process::Output) -> Value {
    serde_json::from_str(&ok(o)).unwrap()
}

fn history(p: &Path) -> Vec<Value> {
    json_of(&ulak(p, Some(PASS), &["history", "--json"]))
        .as_array()
        .unwrap()
        .clone()
}

fn notification(value: Value) -> String {
    json!({"object": "whatsapp_business_account",
           "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": value}]}]})
    .to_string()
}

fn metadata() -> Value {
    json!({"display_phone_number": "902129999999", "phone_number_id": META_PHONE_ID})
}

#[tokio::test(flavor = "multi_thread")]
async fn meta_statuses_and_a_customers_messages_arrive_signed_and_settle_what_the_user_sees() {
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
    for to in ["0555 123 45 67", "0555 765 43 21"] {
        ok(&ulak(
            p,
            Some(PASS),
            &[
                "whatsapp",
                "send",
                "--provider",
                "meta",
                "--to",
                to,
                "--template",
                "hello_world",
                "--lang",
                "en_US",
            ],
        ));
    }
    ok(&ulak(p, Some(PASS), &["outbox", "drain", "--json"]));
    let sent = history(p);
    let wamid = |to: &str| {
        sent.iter()
            .find(|e| e["to"] == to)
            .and_then(|e| e["serverReply"].as_str())
            .unwrap_or_else(|| panic!("no reply for {to}: {sent:?}"))
            .to_string()
    };
    let (first, second) = (wamid("+905551234567"), wamid("+905557654321"));

    // Before a window is known: closed, a template needed.
    let w = json_of(&ulak(
        p,
        Some(PASS),
        &["whatsapp", "window", "--to", "0555 123 45 67", "--json"],
    ));
    assert_eq!(
        (w["open"].clone(), w["lastReceivedAt"].clone()),
        (json!(false), Value::Null),
        "{w}"
    );

    let addr = json_of(&ulak(
        p,
        Some(PASS),
        &["inbound", "address", "whatsapp", "meta", "--json"],
    ));
    let path = addr["path"].as_str().unwrap().to_string();
    let token = addr["verifyToken"].as_str().unwrap().to_string();
    assert!(path.ends_with(&token) && token.len() >= 32, "{addr}");
    // The address is the same when asked again; Netgsm (asked, never telling) has none.
    let again = json_of(&ulak(
        p,
        Some(PASS),
        &["inbound", "address", "whatsapp", "meta", "--json"],
    ));
    assert_eq!(again["path"], addr["path"]);
    let err = failed(&ulak(
        p,
        Some(PASS),
        &["inbound", "address", "sms", "netgsm"],
    ));
    assert!(err.contains("inbound.not_received"), "{err}");

    let rx = Receiver::start(p);
    let http = reqwest::Client::new();
    let url = format!("{}{path}", rx.base);

    // Meta's subscription check: the challenge comes back only with our verify token.
    let r = http
        .get(format!(
            "{url}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token={token}"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.unwrap(), "1158201444");
    let r = http
        .get(format!(
            "{url}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=guess"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    // A wrong token in the address is not an address at all.
    let wrong = url.replace(&token, &"0".repeat(token.len()));
    let body = notification(
        json!({"messaging_product": "whatsapp", "metadata": metadata(),
        "statuses": [{"id": first, "status": "delivered", "timestamp": "1765000000", "recipient_id": "905551234567"}]}),
    );
    let post = |u: &str, body: &str, sig: Option<String>| {
        let mut rq = http
            .post(u)
            .header("content-type", "application/json")
            .body(body.to_string());
        if let Some(s) = sig {
            rq = rq.header("x-hub-signature-256", s);
        }
        rq.send()
    };
    assert_eq!(
        post(&wrong, &body, Some(signature(APP_SECRET, body.as_bytes())))
            .await
            .unwrap()
            .status(),
        404
    );
    // No app secret saved yet: nothing from "Meta" is taken, signed or not.
    assert_eq!(
        post(&url, &body, Some(signature(APP_SECRET, body.as_bytes())))
            .await
            .unwrap()
            .status(),
        401
    );
    ok(&ulak_stdin(
        p,
        &[
            "integrations",
            "set",
            "whatsapp",
            "meta",
            "--secret-stdin",
            "appSecret",
        ],
        &format!("{APP_SECRET}\n"),
    ));
    // Unsigned, or signed with another secret: refused, nothing recorded.
    assert_eq!(post(&url, &body, None).await.unwrap().status(), 401);
    assert_eq!(
        post(
            &url,
            &body,
            Some(signature("someone else", body.as_bytes()))
        )
        .await
        .unwrap()
        .status(),
        401
    );
    assert!(history(p).iter().all(|e| e["delivery"].is_null()));

    // Signed: delivered for the first, failed outside the window for the second.
    assert_eq!(
        post(&url, &body, Some(signature(APP_SECRET, body.as_bytes())))
            .await
            .unwrap()
            .status(),
        200
    );
    let failed_status = notification(
        json!({"messaging_product": "whatsapp", "metadata": metadata(),
        "statuses": [{"id": second, "status": "failed", "timestamp": "1765000001", "recipient_id": "905557654321",
                      "errors": [{"code": 131047, "title": "Re-engagement message"}]}]}),
    );
    assert_eq!(
        post(
            &url,
            &failed_status,
            Some(signature(APP_SECRET, failed_status.as_bytes()))
        )
        .await
        .unwrap()
        .status(),
        200
    );
    // A late "failed" never takes back a "delivered" (statuses come out of order).
    let late = notification(
        json!({"messaging_product": "whatsapp", "metadata": metadata(),
        "statuses": [{"id": first, "status": "failed", "timestamp": "1765000002", "recipient_id": "905551234567",
                      "errors": [{"code": 131026, "title": "Message undeliverable"}]}]}),
    );
    assert_eq!(
        post(&url, &late, Some(signature(APP_SECRET, late.as_bytes())))
            .await
            .unwrap()
            .status(),
        200
    );
    let now = history(p);
    let by = |to: &str| now.iter().find(|e| e["to"] == to).unwrap().clone();
    assert_eq!(by("+905551234567")["delivery"], "delivered", "{now:?}");
    let lost = by("+905557654321");
    assert_eq!(lost["delivery"], "undelivered");
    assert_eq!(lost["deliveryError"], "Meta 131047: Re-engagement message");

    // The customer writes: the window opens for 24 hours from their message.
    let at = chrono::Utc::now().timestamp() - 3600;
    let hello = notification(
        json!({"messaging_product": "whatsapp", "metadata": metadata(),
        "contacts": [{"profile": {"name": "Işıl Öztürk"}, "wa_id": "905551234567"}],
        "messages": [{"from": "905551234567", "id": "wamid.IN-1", "timestamp": at.to_string(),
                      "type": "text", "text": {"body": "Merhaba, teklifi aldım; ödeme şartları nedir?"}}]}),
    );
    for _ in 0..2 {
        // Meta sends again when unsure: one message kept.
        assert_eq!(
            post(&url, &hello, Some(signature(APP_SECRET, hello.as_bytes())))
                .await
                .unwrap()
                .status(),
            200
        );
    }
    let w = json_of(&ulak(
        p,
        Some(PASS),
        &["whatsapp", "window", "--to", "+90 555 123 4567", "--json"],
    ));
    assert_eq!(w["open"], true, "{w}");
    let until = chrono::DateTime::parse_from_rfc3339(w["openUntil"].as_str().unwrap()).unwrap();
    assert_eq!(until.timestamp(), at + 24 * 3600);
    let other = json_of(&ulak(
        p,
        Some(PASS),
        &["whatsapp", "window", "--to", "0555 765 43 21", "--json"],
    ));
    assert_eq!(
        other["open"], false,
        "another customer's window stays closed"
    );
    let list = json_of(&ulak(p, Some(PASS), &["inbound", "list", "--json"]));
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(
        list[0]["body"],
        "Merhaba, teklifi aldım; ödeme şartları nedir?"
    );

    // Another number of the same Meta app: not this integration's, left alone.
    let elsewhere = notification(json!({"messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "1", "phone_number_id": "999"},
        "messages": [{"from": "905550000000", "id": "wamid.IN-X", "timestamp": at.to_string(), "type": "text", "text": {"body": "x"}}]}));
    assert_eq!(
        post(
            &url,
            &elsewhere,
            Some(signature(APP_SECRET, elsewhere.as_bytes()))
        )
        .await
        .unwrap()
        .status(),
        200
    );
    assert_eq!(
        json_of(&ulak(p, Some(PASS), &["inbound", "list", "--json"]))
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // "RET" from the second customer: on the suppression list, and the next send to
    // them is held back as suppressed.
    let ret = notification(
        json!({"messaging_product": "whatsapp", "metadata": metadata(),
        "messages": [{"from": "905557654321", "id": "wamid.IN-2", "timestamp": at.to_string(), "type": "text", "text": {"body": " Ret "}}]}),
    );
    assert_eq!(
        post(&url, &ret, Some(signature(APP_SECRET, ret.as_bytes())))
            .await
            .unwrap()
            .status(),
        200
    );
    let listed = json_of(&ulak(p, Some(PASS), &["suppress", "list", "--json"]));
    let entry = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["value"] == "+905557654321")
        .cloned();
    let entry = entry.unwrap_or_else(|| panic!("{listed}"));
    assert_eq!(entry["reason"], "unsubscribed");
    ok(&ulak(
        p,
        Some(PASS),
        &[
            "whatsapp",
            "send",
            "--provider",
            "meta",
            "--to",
            "0555 765 43 21",
            "--template",
            "hello_world",
            "--lang",
            "en_US",
        ],
    ));
    let posts_before = server
        .requests()
        .iter()
        .filter(|r| r["method"] == "POST")
        .count();
    ok(&ulak(p, Some(PASS), &["outbox", "drain", "--json"]));
    assert_eq!(
        server
            .requests()
            .iter()
            .filter(|r| r["method"] == "POST")
            .count(),
        posts_before,
        "nothing sent to who said RET"
    );

    // Not Meta's format: 400, so Meta sends again; nothing recorded.
    let junk = "{\"object\":\"page\"}";
    assert_eq!(
        post(&url, junk, Some(signature(APP_SECRET, junk.as_bytes())))
            .await
            .unwrap()
            .status(),
        400
    );

    // Rotating the address: the old one stops answering at once.
    let rotated = json_of(&ulak(
        p,
        Some(PASS),
        &[
            "inbound", "address", "whatsapp", "meta", "--rotate", "--json",
        ],
    ));
    assert_ne!(rotated["path"], addr["path"]);
    assert_eq!(
        post(&url, &body, Some(signature(APP_SECRET, body.as_bytes())))
            .await
            .unwrap()
            .status(),
        404
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn vonage_receipts_by_query_settle_the_history_and_a_stop_reply_lists_the_number() {
    use ulak_channels::testing::{VONAGE_KEY, VONAGE_SECRET};
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
    for to in ["0532 123 45 67", "0532 765 43 21"] {
        ok(&ulak(
            p,
            Some(PASS),
            &[
                "sms",
                "send",
                "--provider",
                "vonage",
                "--to",
                to,
                "--text",
                "Teklifimiz ekte, Işıl Hanım.",
            ],
        ));
    }
    ok(&ulak(p, Some(PASS), &["outbox", "drain", "--json"]));
    let sent = history(p);
    let id_of = |to: &str| {
        sent.iter()
            .find(|e| e["to"] == to)
            .and_then(|e| e["serverReply"].as_str())
            .unwrap()
            .to_string()
    };
    let addr = json_of(&ulak(
        p,
        Some(PASS),
        &["inbound", "address", "sms", "vonage", "--json"],
    ));
    let rx = Receiver::start(p);
    let url = format!("{}{}", rx.base, addr["path"].as_str().unwrap());
    let http = reqwest::Client::new();
    let dlr = |id: String, status: &str, err: &str| {
        format!(
            "{url}?msisdn=905321234567&to=FIRMA&network-code=28601&messageId={id}&price=0.03&status={status}&scts=2612071000&err-code={err}&api-key={VONAGE_KEY}&message-timestamp=2026-12-07+10%3A00%3A00"
        )
    };
    // An intermediate "accepted", then the final words.
    for (id, status, err) in [
        (id_of("+905321234567"), "accepted", "0"),
        (id_of("+905321234567"), "delivered", "0"),
        (id_of("+905327654321"), "failed", "6"),
    ] {
        let r = http.get(dlr(id, status, err)).send().await.unwrap();
        assert_eq!(r.status(), 200);
    }
    let now = history(p);
    let by = |to: &str| now.iter().find(|e| e["to"] == to).unwrap().clone();
    assert_eq!(by("+905321234567")["delivery"], "delivered");
    assert_eq!(
        by("+905327654321")["deliveryError"],
        "Vonage failed (err-code 6)"
    );

    // A reply "STOP" as a JSON POST (the other way Vonage's settings allow).
    let r = http
        .post(&url)
        .header("content-type", "application/json")
        .body(
            json!({"msisdn": "905321234567", "to": "447700900000", "messageId": "IN-1",
                   "text": "STOP", "type": "text", "keyword": "STOP",
                   "message-timestamp": "2026-12-07 09:58:00"})
            .to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let listed = ok(&ulak(p, Some(PASS), &["suppress", "list", "--json"]));
    assert!(listed.contains("+905321234567"), "{listed}");
    // A receipt missing its id is not Vonage's format.
    let r = http
        .get(format!("{url}?status=delivered"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test(flavor = "multi_thread")]
async fn twilio_signs_with_the_tunnels_address_and_its_status_and_a_stop_arrive() {
    use ulak_channels::inbound::twilio;
    use ulak_channels::testing::{TwilioServer, SID, TOKEN};
    let server = TwilioServer::start();
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
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
            &server.base,
        ],
        &format!("{TOKEN}\n"),
    ));
    // Twilio signs the address it was given: the tunnel's, as saved here (never called).
    let tunnel = "https://ulak-test.example.invalid";
    ok(&ulak(
        p,
        Some(PASS),
        &["inbound", "settings", "--public-url", tunnel],
    ));
    ok(&ulak(
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
            "Teklif hazır, Işıl Hanım.",
        ],
    ));
    ok(&ulak(p, Some(PASS), &["outbox", "drain", "--json"]));
    let sid = history(p)[0]["serverReply"].as_str().unwrap().to_string();
    let addr = json_of(&ulak(
        p,
        Some(PASS),
        &["inbound", "address", "sms", "twilio", "--json"],
    ));
    let path = addr["path"].as_str().unwrap().to_string();
    assert_eq!(addr["publicUrl"], format!("{tunnel}{path}"));

    let rx = Receiver::start(p);
    let http = reqwest::Client::new();
    let form = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let encode = |m: &std::collections::BTreeMap<String, String>| {
        url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(m.iter())
            .finish()
    };
    let send = |m: std::collections::BTreeMap<String, String>, sig: String| {
        http.post(format!("{}{path}", rx.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-twilio-signature", sig)
            .body(encode(&m))
            .send()
    };
    let status = form(&[
        ("AccountSid", SID),
        ("MessageSid", &sid),
        ("MessageStatus", "delivered"),
        ("To", "+905321234567"),
        ("From", "+15005550006"),
    ]);
    // Signed over this computer's address instead of the tunnel's, or with another token: refused.
    let local = format!("{}{path}", rx.base);
    let r = send(status.clone(), twilio::signature(TOKEN, &local, &status))
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = send(
        status.clone(),
        twilio::signature("başka", &format!("{tunnel}{path}"), &status),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 401);
    assert!(history(p)[0]["delivery"].is_null());
    let r = send(
        status.clone(),
        twilio::signature(TOKEN, &format!("{tunnel}{path}"), &status),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/xml");
    assert!(r.text().await.unwrap().contains("<Response></Response>"));
    assert_eq!(history(p)[0]["delivery"], "delivered");

    // Another account's request through this address is not taken.
    let other = form(&[
        ("AccountSid", "ACffffffffffffffffffffffffffffffff"),
        ("MessageSid", "SMx"),
        ("MessageStatus", "failed"),
    ]);
    let r = send(
        other.clone(),
        twilio::signature(TOKEN, &format!("{tunnel}{path}"), &other),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 400);

    // The customer answers STOP (Twilio's Advanced Opt-Out names it): listed.
    let stop = form(&[
        ("AccountSid", SID),
        ("MessageSid", "SMin1"),
        ("SmsStatus", "received"),
        ("From", "+905321234567"),
        ("To", "+15005550006"),
        ("Body", "stop"),
        ("OptOutType", "STOP"),
    ]);
    let r = send(
        stop.clone(),
        twilio::signature(TOKEN, &format!("{tunnel}{path}"), &stop),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    let listed = ok(&ulak(p, Some(PASS), &["suppress", "list", "--json"]));
    assert!(listed.contains("+905321234567"), "{listed}");
}
