//! The Vonage provider against a Vonage-shaped server on loopback
//! (`tests/servers/vonage.py`), which checks each request against Vonage's documented
//! shape — including that a text outside GSM-7 is declared `type=unicode`.

use std::collections::BTreeMap;

use secrecy::SecretString;
use ulak_channels::sms::vonage::{Settings, Vonage};
use ulak_channels::sms::{Sms, SmsProvider};
use ulak_channels::testing::{FakeProvider, VONAGE_KEY, VONAGE_SECRET};
use ulak_outbox::failure::{FailureCode, Kind};

fn vonage(s: &FakeProvider, secret: &str) -> Vonage {
    let v: BTreeMap<String, String> = [("apiKey", VONAGE_KEY), ("from", "FIRMA")]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Vonage::new(
        Settings::from_fields(&s.base, &v, Some(SecretString::from(secret.to_string()))).unwrap(),
    )
}

fn sms(to: &str, text: &str) -> Sms {
    Sms {
        to: to.into(),
        text: text.into(),
        iys: None,
    }
}

#[tokio::test]
async fn turkish_text_goes_as_unicode_and_plain_text_as_gsm7() {
    let s = FakeProvider::vonage();
    let v = vonage(&s, VONAGE_SECRET);
    let turkish = "Sayın Işıl Hanım, teşekkürler — ğüşiöç";
    let r = v
        .send(1, "r", &sms("+905321234567", turkish))
        .await
        .unwrap();
    assert!(!r.provider_id.is_empty());
    v.send(1, "r", &sms("+905321234567", "Merhaba Ömer, ÜRÜN hazir."))
        .await
        .unwrap();
    v.check().await.expect("the balance can be read");

    let seen = s.requests();
    assert_eq!(seen.len(), 3);
    for r in &seen {
        assert_eq!(r["problems"], serde_json::json!([]), "{r}");
    }
    assert_eq!(seen[0]["form"]["to"], "905321234567", "no '+' for Vonage");
    assert_eq!(seen[0]["form"]["text"], turkish);
    assert_eq!(seen[0]["form"]["type"], "unicode");
    assert!(seen[1]["form"].get("type").is_none(), "GSM-7 needs no type");
    assert!(
        seen.iter().all(|r| r["form"].get("api_secret").is_none()),
        "the server never logs the secret (it checks it)"
    );
}

#[tokio::test]
async fn each_documented_status_arrives_typed() {
    let s = FakeProvider::vonage();
    let v = vonage(&s, VONAGE_SECRET);
    let f = v
        .send(1, "r", &sms("+905550000006", "x"))
        .await
        .unwrap_err();
    assert_eq!(
        (f.kind, f.code),
        (Kind::Permanent, FailureCode::NoSuchRecipient)
    );
    let f = v
        .send(1, "r", &sms("+905550000029", "x"))
        .await
        .unwrap_err();
    assert_eq!((f.kind, f.code), (Kind::Policy, FailureCode::Refused));
    assert!(f.text.contains("Non White-listed"), "{}", f.text);
    let f = v
        .send(1, "r", &sms("+905550000001", "x"))
        .await
        .unwrap_err();
    assert_eq!(f.kind, Kind::RateLimited);
    assert!(v.send(1, "r", &sms("+905550000001", "x")).await.is_ok());

    let wrong = vonage(&s, "yanlış");
    let f = wrong
        .send(1, "r", &sms("+905321234567", "x"))
        .await
        .unwrap_err();
    assert_eq!((f.kind, f.code), (Kind::SignIn, FailureCode::SignIn));
    assert!(!f.text.contains("yanlış"));
    assert_eq!(wrong.check().await.unwrap_err().kind, Kind::SignIn);
    for r in s.requests() {
        assert_eq!(r["problems"], serde_json::json!([]), "{r}");
    }
}
