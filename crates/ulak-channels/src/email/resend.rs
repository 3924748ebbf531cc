//! Resend (spec: `specs/email/resend.toml`) as an e-mail account's way out.
//!
//! Resend's API does not take a whole .eml: the message Ulak built (and stores, as every
//! e-mail) is read back into Resend's fields — `from`, `to`, `cc`, `bcc` (the envelope's
//! recipients its To and Cc do not show), `reply_to`, `subject`, `html`, `text`, the
//! list headers, attachments as base64 — and posted to `POST {base}/emails` with the
//! API key as a Bearer token and an `Idempotency-Key`: the .eml's Message-ID, unique to
//! this message, so a try repeated within Resend's 24 hours (a crash after the request,
//! before its answer was recorded) is answered with the first send's id, not sent again.
//!
//! The connection test lists the team's domains (`GET {base}/domains`) and looks for
//! the sender's: verified, or why not. A sending-only key cannot list domains
//! (`restricted_api_key`): the key is good, the domain is not checked.
//!
//! The key never appears in errors or logs; Resend's error body is
//! `{statusCode, name, message}` (its documented error names are mapped below).

use std::time::Duration;

use base64::Engine as _;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use ulak_outbox::failure::{Failure, FailureCode, Kind};

pub const PROVIDER: &str = "resend";

/// Where a Resend account's SMTP record points (Resend's own relay, user "resend",
/// the API key as password): what the account would use without the API.
pub const SMTP_HOST: &str = "smtp.resend.com";
pub const SMTP_PORT: u16 = 465;
pub const SMTP_USER: &str = "resend";

/// Recipients Resend takes in one request (to, cc and bcc each).
const MAX_RECIPIENTS: usize = 50;

/// How long a daily or monthly quota's refusal waits before the next try.
const QUOTA_WAIT: Duration = Duration::from_secs(3600);

/// A Resend team's key and where its API lives.
pub struct Resend {
    http: reqwest::Client,
    base_url: String,
    key: SecretString,
    /// The sender's address (the integration's `email`), for the connection test.
    pub from: String,
}

/// What Resend answers with: an id, or `{statusCode, name, message}`.
#[derive(Deserialize, Default)]
struct Answer {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

#[derive(Deserialize)]
struct Domains {
    #[serde(default)]
    data: Vec<Domain>,
}

#[derive(Deserialize)]
struct Domain {
    name: String,
    #[serde(default)]
    status: String,
}

impl Resend {
    /// The Resend client of a workspace's integration: its key and sender address.
    pub async fn for_integration(
        pool: &sqlx::SqlitePool,
        i: &crate::integrations::Integration,
    ) -> Result<Resend, crate::provider::ClientError> {
        use crate::provider::ClientError;
        let key = crate::integrations::secret(pool, i, "apiKey")
            .await?
            .ok_or_else(|| ClientError::Setup("Resend needs its API key".into()))?;
        let from = i
            .settings
            .get("email")
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| ClientError::Setup("Resend needs the sender's address".into()))?;
        let base = crate::integrations::base_url(i).unwrap_or_default();
        Ok(Resend::new(&base, key, from))
    }

    pub fn new(base_url: &str, key: SecretString, from: &str) -> Resend {
        Resend {
            http: crate::http::client(),
            base_url: base_url.trim_end_matches('/').to_string(),
            key,
            from: from.to_string(),
        }
    }

    /// Sends the stored .eml `raw` to `recipients` (the envelope's) under the
    /// outbox message's `key` (see `idempotency_key`); the answer's id.
    pub async fn send(
        &self,
        raw: &[u8],
        recipients: &[String],
        key: &str,
    ) -> Result<String, Failure> {
        let body = request(raw, recipients)?;
        let r = self
            .http
            .post(format!("{}/emails", self.base_url))
            .bearer_auth(self.key.expose_secret())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("Idempotency-Key", key)
            .body(serde_json::to_vec(&body).expect("plain JSON"))
            .send()
            .await
            .map_err(|e| crate::http::unreachable("Resend", e))?;
        if r.status().is_success() {
            let a: Answer =
                serde_json::from_str(&r.text().await.unwrap_or_default()).unwrap_or_default();
            return Ok(format!("Resend {}", a.id.unwrap_or_default()));
        }
        let (status, wait, text) = crate::http::refusal(r).await;
        Err(refusal(status.as_u16(), wait, &text))
    }

    /// The connection test: the key is taken and the sender's domain is verified.
    pub async fn check(&self) -> Result<(), Failure> {
        let r = self
            .http
            .get(format!("{}/domains", self.base_url))
            .bearer_auth(self.key.expose_secret())
            .send()
            .await
            .map_err(|e| crate::http::unreachable("Resend", e))?;
        let status = r.status().as_u16();
        if !(200..300).contains(&status) {
            let (_, wait, text) = crate::http::refusal(r).await;
            let a: Answer = serde_json::from_str(&text).unwrap_or_default();
            // A sending-only key: good for sending, it cannot read the domains.
            if a.name.as_deref() == Some("restricted_api_key") {
                return Ok(());
            }
            return Err(refusal(status, wait, &text));
        }
        let domains: Domains =
            serde_json::from_str(&r.text().await.unwrap_or_default()).map_err(|_| {
                Failure::transient(FailureCode::Other, "Resend's domain list was unreadable")
            })?;
        domain_ready(&self.from, &domains.data)
    }
}

/// Whether the sender's domain is among the team's and verified (a subdomain of a
/// verified domain counts, as Resend sends for it).
fn domain_ready(from: &str, domains: &[Domain]) -> Result<(), Failure> {
    let domain = from.rsplit('@').next().unwrap_or("").to_lowercase();
    let found = domains
        .iter()
        .filter(|d| {
            let name = d.name.to_lowercase();
            domain == name || domain.ends_with(&format!(".{name}"))
        })
        .max_by_key(|d| d.name.len());
    match found {
        Some(d) if d.status == "verified" => Ok(()),
        Some(d) => Err(Failure::new(
            Kind::Policy,
            FailureCode::RelayDenied,
            format!(
                "Resend: the domain {} is not verified yet (status: {}); add the DNS records Resend shows at resend.com/domains and verify it",
                d.name, d.status
            ),
        )),
        None => Err(Failure::new(
            Kind::Policy,
            FailureCode::RelayDenied,
            format!(
                "Resend: {domain} is not among this team's domains; add it at resend.com/domains and verify it, or send from a verified domain's address"
            ),
        )),
    }
}

/// Resend's JSON error in the outbox's terms.
pub fn refusal(status: u16, wait: Option<Duration>, body: &str) -> Failure {
    let a: Answer = serde_json::from_str(body).unwrap_or_default();
    let name = a.name.unwrap_or_default();
    let message: String = a.message.unwrap_or_default().chars().take(300).collect();
    let text = if name.is_empty() {
        format!("Resend {status}")
    } else {
        format!("Resend {status} {name}: {message}")
    };
    let about_key = message.to_lowercase().contains("api key");
    let f = match (status, name.as_str()) {
        (429, "daily_quota_exceeded" | "monthly_quota_exceeded") => {
            return Failure::new(Kind::RateLimited, FailureCode::ServerBusy, text)
                .retry_after(Some(wait.unwrap_or(QUOTA_WAIT)))
        }
        (429, _) => Failure::new(Kind::RateLimited, FailureCode::ServerBusy, text),
        (_, "missing_api_key" | "invalid_api_key" | "restricted_api_key") => {
            Failure::new(Kind::SignIn, FailureCode::SignIn, text)
        }
        // Resend words a key that does not exist as a validation error (400 on most
        // endpoints, 401 on sending).
        (_, "validation_error") if about_key => {
            Failure::new(Kind::SignIn, FailureCode::SignIn, text)
        }
        // The domain is not verified, or a test account sends only to its owner.
        (403, _) => Failure::new(Kind::Policy, FailureCode::RelayDenied, text),
        (401, _) => Failure::new(Kind::SignIn, FailureCode::SignIn, text),
        (409, "concurrent_idempotent_requests") => {
            Failure::transient(FailureCode::ServerBusy, text)
        }
        (413, _) => Failure::permanent(FailureCode::TooLarge, text),
        (400 | 409 | 422, _) => Failure::permanent(FailureCode::Unsendable, text),
        (500..=599, _) => Failure::transient(FailureCode::ServerBusy, text),
        _ => Failure::permanent(FailureCode::Other, text),
    };
    f.retry_after(wait)
}

/// The Idempotency-Key of one outbox message, the same on every try of it: its
/// workspace, id and queued reference (a campaign's message is rendered again at each
/// try, with a new Message-ID, so the .eml cannot name it), hashed to a short key.
pub fn idempotency_key(workspace_id: i64, message_id: i64, reference: &str) -> String {
    use sha2::Digest;
    let h = sha2::Sha256::digest(format!("{workspace_id}:{message_id}:{reference}").as_bytes());
    format!("ulak:{:x}", h)
}

/// The request Resend takes for the stored .eml.
pub fn request(raw: &[u8], recipients: &[String]) -> Result<serde_json::Value, Failure> {
    use mail_parser::{Address, MessageParser, MimeHeaders};
    let bad = |why: &str| Failure::permanent(FailureCode::Unsendable, format!("Resend: {why}"));
    let m = MessageParser::default()
        .parse(raw)
        .ok_or_else(|| bad("the stored message could not be read"))?;
    let list = |a: Option<&Address<'_>>| -> Vec<String> {
        a.map(|a| {
            a.iter()
                .filter_map(|x| {
                    let addr = x.address()?;
                    Some(match x.name().map(str::trim).filter(|n| !n.is_empty()) {
                        Some(n) => format!("{} <{addr}>", display_name(n)),
                        None => addr.to_string(),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
    };
    let bare = |a: Option<&Address<'_>>| -> Vec<String> {
        a.map(|a| {
            a.iter()
                .filter_map(|x| x.address().map(str::to_lowercase))
                .collect()
        })
        .unwrap_or_default()
    };
    let from = list(m.from())
        .into_iter()
        .next()
        .ok_or_else(|| bad("the message has no sender"))?;
    let to = list(m.to());
    let cc = list(m.cc());
    let shown: Vec<String> = bare(m.to()).into_iter().chain(bare(m.cc())).collect();
    let bcc: Vec<String> = recipients
        .iter()
        .filter(|r| !shown.contains(&r.to_lowercase()))
        .cloned()
        .collect();
    if to.is_empty() && cc.is_empty() && bcc.is_empty() {
        return Err(bad("the message has no recipients"));
    }
    if to.len() > MAX_RECIPIENTS || cc.len() > MAX_RECIPIENTS || bcc.len() > MAX_RECIPIENTS {
        return Err(bad(
            "Resend takes at most 50 addresses in To, Cc and Bcc each",
        ));
    }
    let mut body = serde_json::json!({
        "from": from,
        // Resend needs a `to`; a message only to hidden recipients goes to them as `to`.
        "to": if to.is_empty() && cc.is_empty() { bcc.clone() } else { to },
        "subject": m.subject().unwrap_or(""),
    });
    if !cc.is_empty() {
        body["cc"] = cc.into();
    }
    let bcc_shown = body["to"].as_array().is_some_and(|t| {
        t.iter()
            .any(|x| bcc.iter().any(|b| x.as_str() == Some(b.as_str())))
    });
    if !bcc.is_empty() && !bcc_shown {
        body["bcc"] = bcc.into();
    }
    let reply_to = list(m.reply_to());
    if !reply_to.is_empty() {
        body["reply_to"] = reply_to.into();
    }
    let has_html = m
        .html_body
        .iter()
        .any(|&i| m.parts.get(i as usize).is_some_and(|p| p.is_text_html()));
    if has_html {
        body["html"] = m.body_html(0).unwrap_or_default().into_owned().into();
    }
    // An empty text tells Resend not to make one from the HTML: Ulak made its own.
    body["text"] = m.body_text(0).unwrap_or_default().into_owned().into();
    let mut headers = serde_json::Map::new();
    for name in ["List-Unsubscribe", "List-Unsubscribe-Post"] {
        // Unfolded: a long value is folded over lines in the .eml (CRLF + space).
        if let Some(v) = m.header_raw(name) {
            let one: Vec<&str> = v
                .split(['\r', '\n'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            headers.insert(name.into(), one.join(" ").into());
        }
    }
    if !headers.is_empty() {
        body["headers"] = headers.into();
    }
    let attachments: Vec<serde_json::Value> = m
        .attachments()
        .map(|p| {
            let mut a = serde_json::json!({
                "filename": p.attachment_name().unwrap_or("ek"),
                "content": base64::engine::general_purpose::STANDARD.encode(p.contents()),
            });
            if let Some(c) = p.content_type() {
                a["content_type"] = match c.subtype() {
                    Some(s) => format!("{}/{s}", c.ctype()),
                    None => c.ctype().to_string(),
                }
                .into();
            }
            a
        })
        .collect();
    if !attachments.is_empty() {
        body["attachments"] = attachments.into();
    }
    Ok(body)
}

/// A display name as an address list needs it: quoted when it holds a special.
fn display_name(n: &str) -> String {
    if n.chars().any(|c| "()<>[]:;@\\,.\"".contains(c)) {
        format!("\"{}\"", n.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        n.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eml() -> Vec<u8> {
        let d = crate::email::mime::Draft {
            account_id: Some(1),
            company_id: Some(1),
            from: "satis@ornek.com.tr".into(),
            from_name: "Ayşe Yılmaz, Satış".into(),
            to: vec!["isil@musteri.com.tr".into()],
            cc: vec!["cc@musteri.com.tr".into()],
            bcc: vec!["gizli@musteri.com.tr".into()],
            subject: "Teklif: Öztürk Gıda".into(),
            text: "Merhaba Işıl Hanım,\nteklifimiz ektedir.".into(),
            html: Some("<p>Merhaba Işıl Hanım,</p><p>teklifimiz ektedir.</p>".into()),
            attachments: vec![crate::email::mime::Attachment {
                filename: "teklif-ğüş.pdf".into(),
                content_type: "application/pdf".into(),
                data: b"%PDF-1.4 teklif".to_vec(),
            }],
            idempotency_key: None,
            reply_to: Some("yanit@ornek.com.tr".into()),
        };
        crate::email::mime::build(&d, chrono::Utc::now())
            .expect("a valid draft")
            .payload
    }

    #[test]
    fn a_folded_list_header_goes_as_one_line() {
        let raw = b"From: a@ornek.com.tr\r\nTo: b@musteri.com.tr\r\nSubject: s\r\nList-Unsubscribe: <https://ornek.com.tr/u/uzun-bir-belirtec-0123456789abcdef>,\r\n <mailto:a@ornek.com.tr?subject=unsubscribe>\r\nContent-Type: text/plain\r\n\r\nmetin\r\n";
        let b = request(raw, &["b@musteri.com.tr".to_string()]).unwrap();
        let v = b["headers"]["List-Unsubscribe"].as_str().unwrap();
        assert_eq!(
            v,
            "<https://ornek.com.tr/u/uzun-bir-belirtec-0123456789abcdef>, <mailto:a@ornek.com.tr?subject=unsubscribe>"
        );
    }

    #[test]
    fn the_stored_message_becomes_resends_fields() {
        let raw = eml();
        let recipients = vec![
            "isil@musteri.com.tr".to_string(),
            "cc@musteri.com.tr".to_string(),
            "gizli@musteri.com.tr".to_string(),
        ];
        let b = request(&raw, &recipients).unwrap();
        assert_eq!(b["from"], "\"Ayşe Yılmaz, Satış\" <satis@ornek.com.tr>");
        assert_eq!(b["to"], serde_json::json!(["isil@musteri.com.tr"]));
        assert_eq!(b["cc"], serde_json::json!(["cc@musteri.com.tr"]));
        assert_eq!(b["bcc"], serde_json::json!(["gizli@musteri.com.tr"]));
        assert_eq!(b["reply_to"], serde_json::json!(["yanit@ornek.com.tr"]));
        assert_eq!(b["subject"], "Teklif: Öztürk Gıda");
        assert!(b["html"].as_str().unwrap().contains("Işıl Hanım"));
        assert!(b["text"].as_str().unwrap().contains("teklifimiz ektedir"));
        let a = &b["attachments"][0];
        assert_eq!(a["filename"], "teklif-ğüş.pdf");
        assert_eq!(a["content_type"], "application/pdf");
        assert_eq!(
            base64::engine::general_purpose::STANDARD
                .decode(a["content"].as_str().unwrap())
                .unwrap(),
            b"%PDF-1.4 teklif"
        );
        // The same message keeps its key on every try; another message has another.
        let key = idempotency_key(1, 42, "campaign-7-isil@musteri.com.tr");
        assert!(key.starts_with("ulak:") && key.len() <= 256, "{key}");
        assert_eq!(
            key,
            idempotency_key(1, 42, "campaign-7-isil@musteri.com.tr")
        );
        assert_ne!(
            key,
            idempotency_key(1, 43, "campaign-7-isil@musteri.com.tr")
        );
        assert_ne!(
            key,
            idempotency_key(2, 42, "campaign-7-isil@musteri.com.tr")
        );
    }

    #[test]
    fn resends_errors_map_to_kinds() {
        let body = |code: u16, name: &str, msg: &str| {
            format!(r#"{{"statusCode":{code},"name":"{name}","message":"{msg}"}}"#)
        };
        let f = refusal(
            403,
            None,
            &body(403, "invalid_api_key", "API key is invalid"),
        );
        assert_eq!((f.kind, f.code), (Kind::SignIn, FailureCode::SignIn));
        let f = refusal(
            401,
            None,
            &body(401, "validation_error", "API key is invalid"),
        );
        assert_eq!(f.kind, Kind::SignIn);
        let f = refusal(
            400,
            None,
            &body(400, "validation_error", "API key is invalid"),
        );
        assert_eq!(f.kind, Kind::SignIn);
        let f = refusal(
            403,
            None,
            &body(
                403,
                "validation_error",
                "The firma.com domain is not verified.",
            ),
        );
        assert_eq!((f.kind, f.code), (Kind::Policy, FailureCode::RelayDenied));
        assert!(f.text.contains("not verified"), "{}", f.text);
        let f = refusal(
            429,
            Some(Duration::from_secs(1)),
            &body(429, "rate_limit_exceeded", "Too many requests"),
        );
        assert_eq!(
            (f.kind, f.retry_after),
            (Kind::RateLimited, Some(Duration::from_secs(1)))
        );
        let f = refusal(429, None, &body(429, "daily_quota_exceeded", "quota"));
        assert_eq!(f.retry_after, Some(QUOTA_WAIT));
        assert_eq!(
            refusal(422, None, &body(422, "invalid_attachment", "x")).kind,
            Kind::Permanent
        );
        assert_eq!(
            refusal(409, None, &body(409, "concurrent_idempotent_requests", "x")).kind,
            Kind::Transient
        );
        assert_eq!(refusal(502, None, "<html>").kind, Kind::Transient);
    }

    #[test]
    fn the_senders_domain_must_be_verified() {
        let d = |name: &str, status: &str| Domain {
            name: name.into(),
            status: status.into(),
        };
        let all = [d("firma.com.tr", "verified"), d("yeni.com", "pending")];
        assert!(domain_ready("satis@firma.com.tr", &all).is_ok());
        assert!(domain_ready("satis@posta.firma.com.tr", &all).is_ok());
        let f = domain_ready("a@yeni.com", &all).unwrap_err();
        assert!(f.text.contains("pending"), "{}", f.text);
        let f = domain_ready("a@baska.com", &all).unwrap_err();
        assert!(f.text.contains("baska.com"), "{}", f.text);
        assert!(domain_ready("a@kotufirma.com.tr", &all).is_err());
    }
}
