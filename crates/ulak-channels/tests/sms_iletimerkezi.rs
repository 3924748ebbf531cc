//! The İleti Merkezi provider against an İleti Merkezi-shaped server on loopback
//! (`tests/servers/iletimerkezi.py`), which checks each request against the documented
//! JSON API and answers with its documented status codes.

use std::collections::BTreeMap;

use secrecy::SecretString;
use ulak_channels::sms::iletimerkezi::{IletiMerkezi, Settings};
use ulak_channels::sms::{Sms, SmsProvider};
use ulak_channels::testing::{FakeProvider, ILETI_HASH, ILETI_KEY, ILETI_SENDER};
use ulak_outbox::failure::{FailureCode, Kind};

fn client(s: &FakeProvider, hash: &str, sender: &str, iys: &str) -> IletiMerkezi {
    let mut v = BTreeMap::new();
    v.insert("apiKey".to_string(), ILETI_KEY.to_string());
    v.insert("sender".to_string(), sender.to_string());
    v.insert("iysList".to_string(), iys.to_string());
    IletiMerkezi::new(
        Settings::from_fields(&s.base, &v, Some(SecretString::from(hash.to_string()))).unwrap(),
    )
}

fn sms(to: &str) -> Sms {
    Sms {
        to: to.into(),
        text: "Sayın Işıl Hanım, teklifimiz hazır. Öztürk Gıda".into(),
        iys: None,
    }
}

#[tokio::test]
async fn a_turkish_sms_goes_in_the_documented_shape_and_the_test_reads_the_balance() {
    let s = FakeProvider::iletimerkezi();
    let im = client(&s, ILETI_HASH, ILETI_SENDER, "BIREYSEL");
    im.check().await.expect("the balance can be read");
    let r = im.send(1, "sms-1", &sms("+905321234567")).await.unwrap();
    assert!(r.provider_id.parse::<u64>().is_ok(), "an order id: {r:?}");
    let seen = s.requests();
    assert_eq!(seen.len(), 2);
    for r in &seen {
        assert_eq!(r["problems"], serde_json::json!([]), "{r}");
    }
    let order = &seen[1]["body"]["request"]["order"];
    assert_eq!(order["message"]["receipents"]["number"][0], "5321234567");
    assert_eq!(
        order["message"]["text"],
        sms("").text,
        "Turkish text intact"
    );
    assert_eq!(
        (order["iys"].as_str(), order["iysList"].as_str()),
        (Some("1"), Some("BIREYSEL"))
    );
}

#[tokio::test]
async fn its_status_codes_arrive_typed() {
    let s = FakeProvider::iletimerkezi();
    let bad = client(&s, "yanlış-hash", ILETI_SENDER, "0");
    let f = bad.check().await.unwrap_err();
    assert_eq!((f.kind, f.code), (Kind::SignIn, FailureCode::SignIn));
    assert!(
        f.text.contains("401") && !f.text.contains("yanlış-hash"),
        "{}",
        f.text
    );
    let f = bad.send(1, "r", &sms("+905321234567")).await.unwrap_err();
    assert_eq!(f.code, FailureCode::SignIn);

    let other_title = client(&s, ILETI_HASH, "BASKAFIRMA", "0");
    let f = other_title
        .send(2, "r", &sms("+905321234567"))
        .await
        .unwrap_err();
    assert_eq!((f.kind, f.code), (Kind::Policy, FailureCode::Refused));
    assert!(f.text.contains("450"), "{}", f.text);

    let ok = client(&s, ILETI_HASH, ILETI_SENDER, "0");
    let f = ok.send(3, "r", &sms("+905320000402")).await.unwrap_err();
    assert_eq!(f.code, FailureCode::Refused);
    assert!(f.text.contains("Bakiye yetersiz"), "{}", f.text);

    // Nothing listening: kept to try again.
    let dead = {
        let mut v = BTreeMap::new();
        v.insert("apiKey".to_string(), ILETI_KEY.to_string());
        v.insert("sender".to_string(), ILETI_SENDER.to_string());
        IletiMerkezi::new(
            Settings::from_fields(
                "http://127.0.0.1:9",
                &v,
                Some(SecretString::from(ILETI_HASH.to_string())),
            )
            .unwrap(),
        )
    };
    let f = dead.send(4, "r", &sms("+905321234567")).await.unwrap_err();
    assert_eq!(f.kind, Kind::Unreachable);
    for r in s.requests() {
        assert_eq!(r["problems"], serde_json::json!([]), "{r}");
    }
}

#[tokio::test]
async fn an_orders_report_says_whether_it_arrived() {
    use ulak_channels::provider::Delivery;
    let s = FakeProvider::iletimerkezi();
    let im = client(&s, ILETI_HASH, ILETI_SENDER, "0");
    let arrived = im.send(1, "r", &sms("+905321234567")).await.unwrap();
    let lost = im.send(2, "r", &sms("+905320000030")).await.unwrap();
    assert_eq!(
        im.delivery(&arrived.provider_id).await.unwrap(),
        Some(Delivery::Delivered)
    );
    match im.delivery(&lost.provider_id).await.unwrap() {
        Some(Delivery::Undelivered(why)) => assert!(why.contains("112"), "{why}"),
        other => panic!("{other:?}"),
    }
    // An order İleti Merkezi does not know is a failure, not an answer.
    assert!(im.delivery("999999").await.is_err());
    for r in s.requests() {
        assert_eq!(r["problems"], serde_json::json!([]), "{r}");
    }
}
