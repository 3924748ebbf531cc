//! Netgsm's REST v2 SMS API (spec: `specs/sms/netgsm.toml`).
//!
//! - Send: `POST {base}/sms/rest/v2/send`, JSON `{msgheader, encoding?, iysfilter?,
//!   messages: [{msg, no}]}`, HTTP Basic auth (user code, API password). `encoding: "TR"`
//!   when the text does not fit GSM-7. A Turkish number goes as its ten digits
//!   (`5321234567`), another as `00` and its international digits. Netgsm answers
//!   `{code: "00", jobid}`; any other code is the failure, with its description.
//! - Connection test: `GET {base}/sms/rest/v2/msgheader` lists the registered headers;
//!   the account's must be among them.
//! - Delivery: `POST {base}/sms/rest/v2/report` with `{jobids: [jobid]}` answers each
//!   job's status: 0 waiting, 1 delivered, any other not delivered (with an errorCode);
//!   code "60" means no report yet.

use std::collections::BTreeMap;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use ulak_outbox::failure::{Failure, FailureCode, Kind};

use super::{gsm7, Receipt, Sms, SmsProvider};
use crate::provider::Delivery;

pub const PROVIDER: &str = "netgsm";

pub struct Settings {
    pub base_url: String,
    pub usercode: String,
    pub password: SecretString,
    pub msgheader: String,
    /// "0" informational, "11"/"12" commercial (İYS-checked); None: not sent.
    pub iysfilter: Option<String>,
}

impl Settings {
    pub fn from_fields(
        base_url: &str,
        values: &BTreeMap<String, String>,
        password: Option<SecretString>,
    ) -> Result<Settings, String> {
        let get = |k: &str| values.get(k).filter(|v| !v.is_empty()).cloned();
        Ok(Settings {
            base_url: base_url.trim_end_matches('/').to_string(),
            usercode: get("usercode").ok_or("Netgsm needs the user code")?,
            password: password.ok_or("Netgsm needs the API password")?,
            msgheader: get("msgheader").ok_or("Netgsm needs the message header")?,
            iysfilter: get("iysfilter"),
        })
    }
}

pub struct Netgsm {
    http: reqwest::Client,
    s: Settings,
}

#[derive(Serialize)]
struct Request<'a> {
    msgheader: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    encoding: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    iysfilter: Option<&'a str>,
    messages: [Message<'a>; 1],
}

#[derive(Serialize)]
struct Message<'a> {
    msg: &'a str,
    no: String,
}

#[derive(Deserialize)]
struct Job {
    status: serde_json::Value,
    #[serde(rename = "errorCode")]
    error_code: Option<serde_json::Value>,
}

#[derive(Deserialize, Default)]
struct Answer {
    code: Option<String>,
    jobid: Option<String>,
    description: Option<String>,
    msgheaders: Option<Vec<String>>,
    msgheader: Option<Vec<String>>,
    jobs: Option<Vec<Job>>,
}

/// The number as Netgsm takes it: ten digits for Türkiye, `00…` for abroad.
pub fn number(e164: &str) -> String {
    match e164.strip_prefix("+90") {
        Some(tr) => tr.to_string(),
        None => format!("00{}", e164.trim_start_matches('+')),
    }
}

impl Netgsm {
    pub fn new(s: Settings) -> Netgsm {
        Netgsm {
            http: crate::http::client(),
            s,
        }
    }

    async fn answer(&self, r: reqwest::RequestBuilder) -> Result<Answer, Failure> {
        let r = r
            .basic_auth(&self.s.usercode, Some(self.s.password.expose_secret()))
            .send()
            .await
            .map_err(unreachable)?;
        let status = r.status().as_u16();
        let body = r.text().await.unwrap_or_default();
        let answer: Answer = serde_json::from_str(&body).unwrap_or_default();
        match answer.code.as_deref() {
            Some("00") => Ok(answer),
            Some(code) => Err(failure(code, answer.description.as_deref().unwrap_or(""))),
            None if (500..600).contains(&status) => Err(Failure::transient(
                FailureCode::ServerBusy,
                format!("Netgsm answered HTTP {status}"),
            )),
            None if status == 401 => Err(failure("30", "")),
            None if (200..300).contains(&status) => Ok(answer),
            None => Err(Failure::permanent(
                FailureCode::Other,
                format!("Netgsm answered HTTP {status}: {body:.200}"),
            )),
        }
    }

    /// Whether job `jobid` (one message) reached the handset; None while Netgsm does not
    /// know yet.
    pub async fn delivery(&self, jobid: &str) -> Result<Option<Delivery>, Failure> {
        let r = self
            .http
            .post(format!("{}/sms/rest/v2/report", self.s.base_url))
            .basic_auth(&self.s.usercode, Some(self.s.password.expose_secret()))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(serde_json::to_vec(&serde_json::json!({ "jobids": [jobid] })).expect("JSON"))
            .send()
            .await
            .map_err(unreachable)?;
        let body = r.text().await.unwrap_or_default();
        let a: Answer = serde_json::from_str(&body).unwrap_or_default();
        let code = a.code.as_deref().unwrap_or("");
        if code == "60" {
            return Ok(None);
        }
        if code != "00" {
            return Err(failure(code, a.description.as_deref().unwrap_or("")));
        }
        let job = a.jobs.unwrap_or_default().into_iter().next();
        let text = |v: &serde_json::Value| match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        Ok(
            match job.map(|j| (text(&j.status), j.error_code.map(|e| text(&e)))) {
                None => None,
                Some((s, _)) if s == "0" => None,
                Some((s, _)) if s == "1" => Some(Delivery::Delivered),
                Some((s, err)) => Some(Delivery::Undelivered(match err {
                    Some(e) if e != "0" => format!("Netgsm: status {s}, error {e}"),
                    _ => format!("Netgsm: status {s}"),
                })),
            },
        )
    }

    /// The connection test: lists the registered headers; sends nothing.
    pub async fn check(&self) -> Result<(), Failure> {
        let a = self
            .answer(
                self.http
                    .get(format!("{}/sms/rest/v2/msgheader", self.s.base_url)),
            )
            .await?;
        let headers = a.msgheaders.or(a.msgheader).unwrap_or_default();
        if headers.iter().any(|h| h == &self.s.msgheader) {
            Ok(())
        } else {
            Err(Failure::new(
                Kind::Policy,
                FailureCode::Refused,
                format!(
                    "Netgsm has no message header {:?} for this account (registered: {})",
                    self.s.msgheader,
                    headers.join(", ")
                ),
            ))
        }
    }
}

impl SmsProvider for Netgsm {
    async fn send(&self, _id: i64, _reference: &str, sms: &Sms) -> Result<Receipt, Failure> {
        let body = Request {
            msgheader: &self.s.msgheader,
            encoding: (!gsm7(&sms.text)).then_some("TR"),
            // The message's own İYS kind first, else the integration's setting.
            iysfilter: sms
                .iys
                .map(|k| k.netgsm_filter())
                .or(self.s.iysfilter.as_deref()),
            messages: [Message {
                msg: &sms.text,
                no: number(&sms.to),
            }],
        };
        let a = self
            .answer(
                self.http
                    .post(format!("{}/sms/rest/v2/send", self.s.base_url))
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(serde_json::to_vec(&body).expect("plain strings")),
            )
            .await?;
        Ok(Receipt {
            provider_id: a.jobid.unwrap_or_default(),
        })
    }
}

fn unreachable(e: reqwest::Error) -> Failure {
    crate::http::unreachable("Netgsm", e)
}

/// Netgsm's error map (REST v2 send codes) → a typed failure with its description.
pub fn failure(code: &str, description: &str) -> Failure {
    let text = format!("Netgsm {code}: {description}");
    let (kind, fc) = match code {
        // The message text has a problem or is longer than allowed.
        "20" => (Kind::Permanent, FailureCode::TooLarge),
        // Wrong user code or password, no API access, or an IP not allowed.
        "30" => (Kind::SignIn, FailureCode::SignIn),
        // The message header is not defined for the account.
        "40" => (Kind::Policy, FailureCode::Refused),
        // İYS: commercial sends not allowed for the account; no İYS brand.
        "50" | "51" => (Kind::Policy, FailureCode::Refused),
        // Invalid parameters.
        "70" => (Kind::Permanent, FailureCode::Unsendable),
        // Sending limit exceeded; the same number too often in a minute.
        "80" | "85" => (Kind::RateLimited, FailureCode::ServerBusy),
        _ => (Kind::Permanent, FailureCode::Other),
    };
    let mut f = Failure::new(kind, fc, text);
    if code == "85" {
        // "No more than 20 sends to one number within a minute."
        f.retry_after = Some(Duration::from_secs(60));
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mapped_code_has_its_kind_and_code() {
        let cases = [
            ("20", Kind::Permanent, FailureCode::TooLarge),
            ("30", Kind::SignIn, FailureCode::SignIn),
            ("40", Kind::Policy, FailureCode::Refused),
            ("50", Kind::Policy, FailureCode::Refused),
            ("51", Kind::Policy, FailureCode::Refused),
            ("70", Kind::Permanent, FailureCode::Unsendable),
            ("80", Kind::RateLimited, FailureCode::ServerBusy),
            ("85", Kind::RateLimited, FailureCode::ServerBusy),
            ("99", Kind::Permanent, FailureCode::Other),
        ];
        for (code, kind, fc) in cases {
            let f = failure(code, "açıklama");
            assert_eq!((f.kind, f.code), (kind, fc), "{code}");
            assert!(f.text.contains("açıklama"));
        }
        assert_eq!(failure("85", "").retry_after, Some(Duration::from_secs(60)));
        assert_eq!(failure("80", "").retry_after, None);
    }

    #[test]
    fn numbers_go_in_netgsms_form() {
        assert_eq!(number("+905321234567"), "5321234567");
        assert_eq!(number("+4915112345678"), "004915112345678");
    }
}
