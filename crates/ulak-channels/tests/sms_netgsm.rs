//! The Netgsm provider against a Netgsm-shaped server on loopback
//! (`tests/servers/netgsm.py`), which checks each request against Netgsm's documented
//! REST v2 shape — JSON, Basic auth, the number as ten digits, encoding TR for Turkish.

use std::collections::BTreeMap;

use secrecy::SecretString;
use ulak_channels::sms::netgsm::{Netgsm, Settings};
use ulak_channels::sms::{Sms, SmsProvider};
use ulak_channels::testing::{FakeProvider, NETGSM_HEADER, NETGSM_PASSWORD, NETGSM_USER};
use ulak_outbox::failure::{FailureCode, Kind};

fn netgsm(s: &FakeProvider, password: &str, header: &str, iys: Option<&str>) -> Netgsm {
    let mut v: BTreeMap<String, String> = [("usercode", NETGSM_USER), ("msgheader", header)]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    if let Some(i) = iys {
        v.insert("iysfilter".into(), i.into());
    }
    Netgsm::new(
        Settings::from_fields(&s.base, &v, Some(SecretString::from(password.to_string()))).unwrap(),
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
async fn a_turkish_sms_goes_with_encoding_tr_and_the_ten_digit_number() {
    let s = FakeProvider::netgsm();
    let n = netgsm(&s, NETGSM_PASSWORD, NETGSM_HEADER, Some("11"));
    let text = "Sayın Işıl Hanım, kampanyamız başladı: %20 indirim. Çıkış için RET yazın.";
    let r = n.send(1, "r", &sms("+905321234567", text)).await.unwrap();
    assert!(!r.provider_id.is_empty());
    n.send(1, "r", &sms("+4915112345678", "Hello from Ozturk"))
        .await
        .unwrap();
    n.check().await.expect("the header is registered");

    let seen = s.requests();
    assert_eq!(seen.len(), 3);
    for r in &seen {
        assert_eq!(r["problems"], serde_json::json!([]), "{r}");
    }
    let body = &seen[0]["body"];
    assert_eq!(body["msgheader"], NETGSM_HEADER);
    assert_eq!(body["encoding"], "TR");
    assert_eq!(body["iysfilter"], "11");
    assert_eq!(body["messages"][0]["no"], "5321234567");
    assert_eq!(body["messages"][0]["msg"], text);
    assert_eq!(seen[1]["body"]["messages"][0]["no"], "004915112345678");
    assert!(seen[1]["body"].get("encoding").is_none(), "GSM-7 text");
}

#[tokio::test]
async fn each_documented_code_arrives_typed() {
    let s = FakeProvider::netgsm();
    let n = netgsm(&s, NETGSM_PASSWORD, NETGSM_HEADER, None);
    let f = n
        .send(1, "r", &sms("+905550000040", "x"))
        .await
        .unwrap_err();
    assert_eq!((f.kind, f.code), (Kind::Policy, FailureCode::Refused));
    assert!(
        f.text.contains("40") && f.text.contains("tanımlı değil"),
        "{}",
        f.text
    );
    let f = n
        .send(1, "r", &sms("+905550000070", "x"))
        .await
        .unwrap_err();
    assert_eq!((f.kind, f.code), (Kind::Permanent, FailureCode::Unsendable));
    let f = n
        .send(1, "r", &sms("+905550000085", "x"))
        .await
        .unwrap_err();
    assert_eq!(f.kind, Kind::RateLimited);
    assert!(f.retry_after.is_some());
    assert!(n.send(1, "r", &sms("+905550000085", "x")).await.is_ok());

    let wrong = netgsm(&s, "yanlış", NETGSM_HEADER, None);
    let f = wrong
        .send(1, "r", &sms("+905321234567", "x"))
        .await
        .unwrap_err();
    assert_eq!((f.kind, f.code), (Kind::SignIn, FailureCode::SignIn));
    assert_eq!(wrong.check().await.unwrap_err().kind, Kind::SignIn);
    // A header the account does not have: the test says which ones it has.
    let other = netgsm(&s, NETGSM_PASSWORD, "BASKAFIRMA", None);
    let f = other.check().await.unwrap_err();
    assert_eq!(f.kind, Kind::Policy);
    assert!(f.text.contains(NETGSM_HEADER), "{}", f.text);
    for r in s.requests() {
        assert_eq!(r["problems"], serde_json::json!([]), "{r}");
    }
}

#[tokio::test]
async fn a_jobs_report_says_whether_it_arrived() {
    use ulak_channels::provider::Delivery;
    let s = FakeProvider::netgsm();
    let n = netgsm(&s, NETGSM_PASSWORD, NETGSM_HEADER, None);
    let arrived = n
        .send(1, "r", &sms("+905321234567", "Merhaba"))
        .await
        .unwrap();
    let lost = n
        .send(2, "r", &sms("+905320000030", "Merhaba"))
        .await
        .unwrap();
    assert_eq!(
        n.delivery(&arrived.provider_id).await.unwrap(),
        Some(Delivery::Delivered)
    );
    match n.delivery(&lost.provider_id).await.unwrap() {
        Some(Delivery::Undelivered(why)) => assert!(why.contains("119"), "{why}"),
        other => panic!("{other:?}"),
    }
    // No report yet (a job Netgsm does not know): not known, not a failure.
    assert_eq!(n.delivery("1234567890").await.unwrap(), None);
    let wrong = netgsm(&s, "yanlış", NETGSM_HEADER, None);
    assert_eq!(
        wrong.delivery(&arrived.provider_id).await.unwrap_err().code,
        ulak_outbox::failure::FailureCode::SignIn
    );
    for r in s.requests() {
        assert_eq!(r["problems"], serde_json::json!([]), "{r}");
    }
}
