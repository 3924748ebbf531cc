//! The WhatsApp providers against provider-shaped servers on loopback: Meta's Cloud API
//! (`tests/servers/meta.py`) and Twilio's WhatsApp (`tests/servers/twilio.py`), which
//! check each request against the documented shape and answer with documented bodies.

use std::collections::BTreeMap;
use std::time::Duration;

use secrecy::SecretString;
use ulak_channels::testing::{FakeProvider, META_PHONE_ID, META_TOKEN, SID, TOKEN};
use ulak_channels::whatsapp::{meta, twilio, Content, WhatsApp, WhatsappProvider};
use ulak_outbox::failure::{FailureCode, Kind};

fn meta_client(s: &FakeProvider, token: &str) -> meta::Meta {
    let mut v = BTreeMap::new();
    v.insert("phoneNumberId".to_string(), META_PHONE_ID.to_string());
    let base = format!("{}/v21.0", s.base);
    meta::Meta::new(
        meta::Settings::from_fields(&base, &v, Some(SecretString::from(token.to_string())))
            .unwrap(),
    )
}

fn template(to: &str, name: &str, params: &[&str]) -> WhatsApp {
    WhatsApp {
        to: to.into(),
        content: Content::Template {
            name: name.into(),
            language: "tr".into(),
            params: params.iter().map(|p| p.to_string()).collect(),
        },
    }
}

fn text(to: &str, body: &str) -> WhatsApp {
    WhatsApp {
        to: to.into(),
        content: Content::Text { body: body.into() },
    }
}

fn posts(s: &FakeProvider) -> Vec<serde_json::Value> {
    s.requests()
        .into_iter()
        .filter(|r| r["method"] == "POST")
        .collect()
}

#[tokio::test]
async fn a_template_and_a_text_go_to_meta_in_the_documented_shape() {
    let s = FakeProvider::meta();
    let m = meta_client(&s, META_TOKEN);
    m.check().await.expect("the number can be read");
    let r = m
        .send(
            1,
            "wa-1",
            &template(
                "+905321234567",
                "teklif_hatirlatma",
                &["Işıl Hanım", "Öztürk Gıda"],
            ),
        )
        .await
        .unwrap();
    assert!(r.provider_id.starts_with("wamid."), "{r:?}");
    let body = "Merhaba Şükrü Bey,\nkataloğumuz ekte — iyi çalışmalar.";
    m.send(2, "wa-2", &text("+905321234567", body))
        .await
        .unwrap();

    let seen = s.requests();
    assert_eq!(seen.len(), 3);
    for r in &seen {
        assert_eq!(r["problems"], serde_json::json!([]), "{r}");
    }
    assert_eq!(seen[0]["method"], "GET");
    let t = &seen[1]["body"];
    assert_eq!(t["to"], "905321234567");
    assert_eq!(
        t["template"]["components"][0]["parameters"][0]["text"],
        "Işıl Hanım"
    );
    assert_eq!(seen[2]["body"]["text"]["body"], body, "Turkish text intact");
}

#[tokio::test]
async fn metas_errors_become_typed_failures() {
    let s = FakeProvider::meta();
    let m = meta_client(&s, META_TOKEN);
    let fail = |msg: WhatsApp| {
        let m = &m;
        async move { m.send(9, "wa-x", &msg).await.unwrap_err() }
    };
    // Unknown template, wrong parameter count.
    let f = fail(template("+905321234567", "yok_boyle", &[])).await;
    assert_eq!(
        (f.kind, f.code),
        (Kind::Permanent, FailureCode::TemplateInvalid)
    );
    let f = fail(template("+905321234567", "teklif_hatirlatma", &["tek"])).await;
    assert_eq!(f.code, FailureCode::TemplateInvalid);
    assert!(f.text.contains("132000"), "{}", f.text);
    // Not on WhatsApp.
    let f = fail(template("+905320000026", "teklif_hatirlatma", &["a", "b"])).await;
    assert_eq!(f.code, FailureCode::NoSuchRecipient);
    // Rate limited, with the server's wait; then accepted.
    let msg = template("+905320000429", "teklif_hatirlatma", &["a", "b"]);
    let f = fail(msg.clone()).await;
    assert_eq!(
        (f.kind, f.retry_after),
        (Kind::RateLimited, Some(Duration::from_secs(2)))
    );
    m.send(9, "wa-z", &msg).await.unwrap();
    // Meta's side fails once: tried again.
    let msg = template("+905320000500", "teklif_hatirlatma", &["a", "b"]);
    assert_eq!(fail(msg.clone()).await.kind, Kind::Transient);
    m.send(9, "wa-w", &msg).await.unwrap();
    for r in posts(&s) {
        assert_eq!(r["problems"], serde_json::json!([]), "{r}");
    }

    // A wrong token: the test and a send both say sign-in, and never echo the token.
    let bad = meta_client(&s, "EAAGexpiredToken");
    let f = bad.check().await.unwrap_err();
    assert_eq!((f.kind, f.code), (Kind::SignIn, FailureCode::SignIn));
    let f = bad
        .send(10, "wa-v", &template("+905321234567", "hello_world", &[]))
        .await
        .unwrap_err();
    assert_eq!(f.code, FailureCode::SignIn);
    assert!(
        f.text.contains("190") && !f.text.contains("EAAGexpiredToken"),
        "{}",
        f.text
    );
}

#[tokio::test]
async fn twilio_whatsapp_prefixes_both_numbers_and_sends_content_templates() {
    let s = FakeProvider::start();
    let mut v = BTreeMap::new();
    v.insert("accountSid".to_string(), SID.to_string());
    v.insert("from".to_string(), "+14155238886".to_string());
    let t = twilio::Twilio::new(
        twilio::Settings::from_fields(&s.base, &v, Some(SecretString::from(TOKEN.to_string())))
            .unwrap(),
    );
    let sid = "HX0123456789abcdef0123456789abcdef";
    let r = t
        .send(
            1,
            "wa-1",
            &template("+905321234567", sid, &["Işıl Hanım", "15 Aralık"]),
        )
        .await
        .unwrap();
    assert!(r.provider_id.starts_with("SM"));
    // Free text outside the 24-hour window: Twilio takes it, then reports it failed
    // with 63016 when its status is fetched.
    let late = t
        .send(2, "wa-2", &text("+15005550016", "Merhaba"))
        .await
        .unwrap();
    match t.delivery(&late.provider_id).await.unwrap() {
        Some(ulak_channels::provider::Delivery::Undelivered(why)) => {
            assert!(why.contains("63016"), "{why}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        t.delivery(&r.provider_id).await.unwrap(),
        Some(ulak_channels::provider::Delivery::Delivered)
    );
    let seen = posts(&s);
    assert_eq!(seen.len(), 2);
    for r in &seen {
        assert_eq!(r["problems"], serde_json::json!([]), "{r}");
    }
    let form = &seen[0]["form"];
    assert_eq!(form["To"], "whatsapp:+905321234567");
    assert_eq!(form["From"], "whatsapp:+14155238886");
    assert_eq!(form["ContentSid"], sid);
    let vars: serde_json::Value =
        serde_json::from_str(form["ContentVariables"].as_str().unwrap()).unwrap();
    assert_eq!(
        vars,
        serde_json::json!({"1": "Işıl Hanım", "2": "15 Aralık"})
    );
}
