//! İleti Merkezi's JSON API (spec: `specs/sms/iletimerkezi.toml`).
//!
//! - Send: `POST {base}/v1/send-sms/json`, JSON `{request: {authentication: {key, hash},
//!   order: {sender, iys, iysList?, message: {text, receipents: {number: [..]}}}}}` (the
//!   API spells it "receipents"). The key and hash come from the panel. `iys` is "1"
//!   with `iysList` BIREYSEL or TACIR for commercial messages, "0" otherwise. A Turkish
//!   number goes as its ten digits (`5321234567`).
//! - It answers `{response: {status: {code, message}, order: {id}}}`; code "200" is
//!   success, any other is the failure ([`failure`] maps them).
//! - Connection test: `POST {base}/v1/get-balance/json` with the same authentication,
//!   which sends nothing.
//! - Delivery: `POST {base}/v1/get-report/json` with `order: {id}` answers each
//!   message's status: 110 being sent, 111 sent (delivered), 112 not sent.

use std::collections::BTreeMap;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::{json, Value};
use ulak_outbox::failure::{Failure, FailureCode, Kind};

use super::{Receipt, Sms, SmsProvider};
use crate::provider::Delivery;

pub const PROVIDER: &str = "iletimerkezi";

pub struct Settings {
    pub base_url: String,
    pub api_key: String,
    pub hash: SecretString,
    pub sender: String,
    /// None: informational (iys "0"); Some: commercial, to this İYS list.
    pub iys_list: Option<String>,
}

impl Settings {
    pub fn from_fields(
        base_url: &str,
        values: &BTreeMap<String, String>,
        hash: Option<SecretString>,
    ) -> Result<Settings, String> {
        let get = |k: &str| values.get(k).filter(|v| !v.is_empty()).cloned();
        let sender = get("sender").ok_or("İleti Merkezi needs the sender title")?;
        if sender.chars().count() > 11 || !sender.is_ascii() {
            return Err(
                "İleti Merkezi's sender title is at most 11 characters, without Turkish letters"
                    .into(),
            );
        }
        Ok(Settings {
            base_url: base_url.trim_end_matches('/').to_string(),
            api_key: get("apiKey").ok_or("İleti Merkezi needs the API key")?,
            hash: hash.ok_or("İleti Merkezi needs the API hash")?,
            sender,
            iys_list: get("iysList").filter(|l| l != "0"),
        })
    }
}

pub struct IletiMerkezi {
    http: reqwest::Client,
    s: Settings,
}

#[derive(Deserialize, Default)]
struct Answer {
    #[serde(default)]
    response: Response,
}

#[derive(Deserialize, Default)]
struct Response {
    #[serde(default)]
    status: Status,
    order: Option<Order>,
}

#[derive(Deserialize, Default)]
struct Status {
    code: Option<Value>,
    message: Option<String>,
}

#[derive(Deserialize)]
struct Order {
    id: Value,
    #[serde(default)]
    message: Vec<Reported>,
}

#[derive(Deserialize)]
struct Reported {
    status: Value,
}

/// A JSON string or number as text (`"200"` and `200` alike).
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The number as İleti Merkezi takes it: ten digits for Türkiye, else its digits.
pub fn number(e164: &str) -> String {
    match e164.strip_prefix("+90") {
        Some(tr) => tr.to_string(),
        None => e164.trim_start_matches('+').to_string(),
    }
}

impl IletiMerkezi {
    pub fn new(s: Settings) -> IletiMerkezi {
        IletiMerkezi {
            http: crate::http::client(),
            s,
        }
    }

    fn authentication(&self) -> Value {
        json!({ "key": self.s.api_key, "hash": self.s.hash.expose_secret() })
    }

    /// The request body for one SMS.
    pub fn body(&self, sms: &Sms) -> Value {
        // The message's own İYS kind first, else the integration's setting.
        let (iys, list) = match sms.iys {
            Some(k) => {
                let (iys, list) = k.iletimerkezi();
                (iys, list.map(str::to_string))
            }
            None => (
                if self.s.iys_list.is_some() { "1" } else { "0" },
                self.s.iys_list.clone(),
            ),
        };
        let mut order = json!({
            "sender": self.s.sender,
            "sendDateTime": [],
            "iys": iys,
            "message": { "text": sms.text, "receipents": { "number": [number(&sms.to)] } },
        });
        if let Some(list) = list {
            order["iysList"] = json!(list);
        }
        json!({ "request": { "authentication": self.authentication(), "order": order } })
    }

    async fn post(&self, path: &str, body: &Value) -> Result<Response, Failure> {
        let r = self
            .http
            .post(format!("{}{path}", self.s.base_url))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(serde_json::to_vec(body).expect("plain JSON"))
            .send()
            .await
            .map_err(unreachable)?;
        let status = r.status().as_u16();
        let retry_after = crate::http::retry_after(&r);
        let raw = r.text().await.unwrap_or_default();
        let answer: Answer = serde_json::from_str(&raw).unwrap_or_default();
        let code = answer
            .response
            .status
            .code
            .as_ref()
            .map(text)
            .unwrap_or_else(|| status.to_string());
        if code == "200" {
            return Ok(answer.response);
        }
        let mut f = failure(
            &code,
            answer.response.status.message.as_deref().unwrap_or(""),
        );
        if f.kind.retries() {
            f.retry_after = retry_after;
        }
        Err(f)
    }

    /// Whether order `id` (one message) reached the handset; None while being sent.
    pub async fn delivery(&self, id: &str) -> Result<Option<Delivery>, Failure> {
        let body = json!({ "request": {
            "authentication": self.authentication(),
            "order": { "id": id, "page": "1", "rowCount": "1000" },
        } });
        let r = self.post("/v1/get-report/json", &body).await?;
        let status = r
            .order
            .and_then(|o| o.message.into_iter().next())
            .map(|m| text(&m.status));
        Ok(match status.as_deref() {
            Some("111") => Some(Delivery::Delivered),
            Some("112") => Some(Delivery::Undelivered(
                "İleti Merkezi 112: Mesaj gönderilemedi".into(),
            )),
            _ => None,
        })
    }

    /// The connection test: reads the balance, sends nothing.
    pub async fn check(&self) -> Result<(), Failure> {
        let body = json!({ "request": { "authentication": self.authentication() } });
        self.post("/v1/get-balance/json", &body).await.map(|_| ())
    }
}

impl SmsProvider for IletiMerkezi {
    async fn send(&self, _id: i64, _reference: &str, sms: &Sms) -> Result<Receipt, Failure> {
        let r = self.post("/v1/send-sms/json", &self.body(sms)).await?;
        match r.order {
            Some(o) => Ok(Receipt {
                provider_id: text(&o.id),
            }),
            // Taken (200) without an order id: never send it twice.
            None => Err(Failure::permanent(
                FailureCode::Other,
                "İleti Merkezi took the message but named no order id",
            )),
        }
    }
}

fn unreachable(e: reqwest::Error) -> Failure {
    crate::http::unreachable("İleti Merkezi", e)
}

/// İleti Merkezi's status codes → a typed failure, its words kept beside it. Codes:
/// "Durum Kodları ve Mesajları" in its API documentation.
pub fn failure(code: &str, message: &str) -> Failure {
    let text = if message.is_empty() {
        format!("İleti Merkezi {code}")
    } else {
        format!("İleti Merkezi {code}: {message}")
    };
    let (kind, fc) = match code {
        // Membership details wrong (or API access not allowed in the panel).
        "401" => (Kind::SignIn, FailureCode::SignIn),
        // Out of credit: the account must be topped up; every message would fail.
        "402" => (Kind::Policy, FailureCode::Refused),
        // The sender title is not approved, empty, too long or has Turkish letters.
        "450" | "459" | "460" => (Kind::Policy, FailureCode::Refused),
        // Recipients wrong, a number invalid.
        "452" | "466" => (Kind::Permanent, FailureCode::NoSuchRecipient),
        // The text is empty, the order too large.
        "454" | "453" => (Kind::Permanent, FailureCode::Unsendable),
        // İYS settings missing: the integration's form must change.
        "468" | "469" | "470" => (Kind::Policy, FailureCode::Refused),
        // A repeated order: İleti Merkezi already has it; not sent again.
        "451" => (Kind::Permanent, FailureCode::Other),
        "429" => (Kind::RateLimited, FailureCode::ServerBusy),
        c if c.starts_with('5') => (Kind::Transient, FailureCode::ServerBusy),
        _ => (Kind::Permanent, FailureCode::Other),
    };
    let mut f = Failure::new(kind, fc, text);
    if kind == Kind::RateLimited {
        f.retry_after = Some(Duration::from_secs(1));
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mapped_code_has_its_kind_and_code() {
        use FailureCode as C;
        let cases = [
            ("401", Kind::SignIn, C::SignIn),
            ("402", Kind::Policy, C::Refused),
            ("450", Kind::Policy, C::Refused),
            ("460", Kind::Policy, C::Refused),
            ("452", Kind::Permanent, C::NoSuchRecipient),
            ("466", Kind::Permanent, C::NoSuchRecipient),
            ("454", Kind::Permanent, C::Unsendable),
            ("469", Kind::Policy, C::Refused),
            ("451", Kind::Permanent, C::Other),
            ("429", Kind::RateLimited, C::ServerBusy),
            ("503", Kind::Transient, C::ServerBusy),
            ("400", Kind::Permanent, C::Other),
        ];
        for (code, kind, fc) in cases {
            let f = failure(code, "Bakiye yetersiz");
            assert_eq!((f.kind, f.code), (kind, fc), "{code}");
            assert_eq!(f.text, format!("İleti Merkezi {code}: Bakiye yetersiz"));
        }
    }

    fn settings(values: &[(&str, &str)]) -> Result<Settings, String> {
        let v = values
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_fields(
            "https://api.iletimerkezi.com/",
            &v,
            Some(SecretString::from("h".to_string())),
        )
    }

    #[test]
    fn the_body_follows_the_documented_shape() {
        let s = settings(&[
            ("apiKey", "k"),
            ("sender", "OZTURKGIDA"),
            ("iysList", "BIREYSEL"),
        ])
        .unwrap();
        let im = IletiMerkezi::new(s);
        let b = im.body(&Sms {
            to: "+905321234567".into(),
            text: "Işıl Hanım, teklifiniz hazır.".into(),
            iys: None,
        });
        let order = &b["request"]["order"];
        assert_eq!(
            b["request"]["authentication"],
            json!({"key": "k", "hash": "h"})
        );
        assert_eq!(order["iys"], "1");
        assert_eq!(order["iysList"], "BIREYSEL");
        assert_eq!(
            order["message"]["receipents"]["number"],
            json!(["5321234567"])
        );
        let informational = IletiMerkezi::new(
            settings(&[("apiKey", "k"), ("sender", "X"), ("iysList", "0")]).unwrap(),
        );
        let b = informational.body(&Sms {
            to: "+905321234567".into(),
            text: "x".into(),
            iys: None,
        });
        assert_eq!(b["request"]["order"]["iys"], "0");
        assert!(b["request"]["order"].get("iysList").is_none());
    }

    #[test]
    fn settings_need_a_key_a_hash_and_an_ascii_title_of_eleven() {
        assert!(settings(&[("sender", "OZTURK")]).is_err());
        assert!(settings(&[("apiKey", "k")]).is_err());
        assert!(settings(&[("apiKey", "k"), ("sender", "ÖZTÜRK")]).is_err());
        assert!(settings(&[("apiKey", "k"), ("sender", "OZTURKGIDAAS")]).is_err());
        assert!(settings(&[("apiKey", "k"), ("sender", "OZTURKGIDA")]).is_ok());
    }
}
