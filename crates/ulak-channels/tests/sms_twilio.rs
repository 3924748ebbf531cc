//! The Twilio provider against a Twilio-shaped server on loopback
//! (`tests/servers/twilio.py`), which checks each request against Twilio's documented
//! shape and answers with its documented bodies.

use std::collections::BTreeMap;

use secrecy::SecretString;
use ulak_channels::sms::twilio::{Settings, Twilio};
use ulak_channels::sms::{Sms, SmsProvider};
use ulak_channels::testing::{TwilioServer as Server, SID, TOKEN};
use ulak_outbox::failure::{FailureCode, Kind};

fn start() -> Server {
    Server::start()
}

fn requests(s: &Server) -> Vec<serde_json::Value> {
    s.requests()
}

fn twilio(s: &Server, token: &str, fields: &[(&str, &str)]) -> Twilio {
    let mut v: BTreeMap<String, String> = fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    v.insert("accountSid".into(), SID.into());
    let settings =
        Settings::from_fields(&s.base, &v, Some(SecretString::from(token.to_string()))).unwrap();
    Twilio::new(settings)
}

fn sms(to: &str) -> Sms {
    Sms {
        to: to.into(),
        text: "Merhaba Ayşe Hanım, teklifimiz ekte: şu ğ ı İ Ö ç\nİyi çalışmalar".into(),
        iys: None,
    }
}

#[tokio::test]
async fn a_turkish_sms_goes_out_in_twilios_documented_shape() {
    let s = start();
    let t = twilio(&s, TOKEN, &[("from", "+15005550006")]);
    let receipt = t.send(1, "ref-1", &sms("+905321234567")).await.unwrap();
    assert!(receipt.provider_id.starts_with("SM"), "{receipt:?}");
    t.check().await.expect("the account can be read");

    let seen = requests(&s);
    assert_eq!(seen.len(), 2);
    for r in &seen {
        assert_eq!(r["problems"], serde_json::json!([]), "{r}");
    }
    let form = &seen[0]["form"];
    assert_eq!(form["To"], "+905321234567");
    assert_eq!(form["From"], "+15005550006");
    assert_eq!(
        form["Body"],
        sms("+90").text,
        "the Turkish text arrives intact"
    );
    assert_eq!(seen[1]["method"], "GET");
    assert_eq!(seen[1]["path"], format!("/2010-04-01/Accounts/{SID}.json"));
}

#[tokio::test]
async fn a_messaging_service_replaces_the_sender_number() {
    let s = start();
    let service = "MG0123456789abcdef0123456789abcdef";
    let t = twilio(&s, TOKEN, &[("messagingServiceSid", service)]);
    t.send(1, "r", &sms("+905321234567")).await.unwrap();
    let seen = requests(&s);
    assert_eq!(seen[0]["problems"], serde_json::json!([]));
    assert_eq!(seen[0]["form"]["MessagingServiceSid"], service);
    assert!(seen[0]["form"].get("From").is_none());
}

#[tokio::test]
async fn each_documented_error_arrives_typed() {
    let s = start();
    let t = twilio(&s, TOKEN, &[("from", "+15005550006")]);
    let cases = [
        (
            "+15005550001",
            Kind::Permanent,
            FailureCode::NoSuchRecipient,
            "21211",
        ),
        (
            "+15005550009",
            Kind::Permanent,
            FailureCode::NoSuchRecipient,
            "21614",
        ),
        ("+15005550004", Kind::Policy, FailureCode::Refused, "21610"),
        ("+15005550008", Kind::Policy, FailureCode::Refused, "21608"),
    ];
    for (to, kind, code, twilio_code) in cases {
        let f = t.send(1, "r", &sms(to)).await.unwrap_err();
        assert_eq!((f.kind, f.code), (kind, code), "{to}: {}", f.text);
        assert!(f.text.contains(twilio_code), "{}", f.text);
    }
    // A 429 says how long to wait, and is tried again; the next try goes through.
    let f = t.send(1, "r", &sms("+15005550429")).await.unwrap_err();
    assert_eq!(f.kind, Kind::RateLimited);
    assert_eq!(f.retry_after, Some(std::time::Duration::from_secs(2)));
    assert!(t.send(1, "r", &sms("+15005550429")).await.is_ok());
    // A 503 is a passing trouble.
    let f = t.send(1, "r", &sms("+15005550503")).await.unwrap_err();
    assert_eq!(f.kind, Kind::Transient);
    assert!(t.send(1, "r", &sms("+15005550503")).await.is_ok());

    // A wrong token: sign-in, for the send and for the connection test alike.
    let wrong = twilio(&s, "yanlış", &[("from", "+15005550006")]);
    let f = wrong.send(1, "r", &sms("+905321234567")).await.unwrap_err();
    assert_eq!((f.kind, f.code), (Kind::SignIn, FailureCode::SignIn));
    assert!(
        !f.text.contains("yanlış"),
        "the secret never shows: {}",
        f.text
    );
    let f = wrong.check().await.unwrap_err();
    assert_eq!(f.kind, Kind::SignIn);

    for r in requests(&s) {
        assert_eq!(r["problems"], serde_json::json!([]), "{r}");
    }
}

#[tokio::test]
async fn a_dead_server_is_unreachable_and_retried() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let mut v = BTreeMap::new();
    v.insert("accountSid".to_string(), SID.to_string());
    v.insert("from".to_string(), "+15005550006".to_string());
    let t = Twilio::new(
        Settings::from_fields(
            &format!("http://{closed}"),
            &v,
            Some(SecretString::from(TOKEN.to_string())),
        )
        .unwrap(),
    );
    let f = t.send(1, "r", &sms("+905321234567")).await.unwrap_err();
    assert_eq!(
        (f.kind, f.code),
        (Kind::Unreachable, FailureCode::Unreachable)
    );
    assert!(f.kind.retries());
}
