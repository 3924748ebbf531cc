//! Gmail's API as a Google account's way out: `users.messages.send` with the message's
//! exact bytes, base64url-encoded as `raw`, and the account's OAuth access token.
//!
//! Why the API and not SMTP with XOAUTH2: the API's scope `gmail.send` can only send,
//! where Gmail's SMTP needs `https://mail.google.com/`, the whole mailbox, a restricted
//! scope whose app must pass a yearly security assessment. The message is the same
//! .eml SMTP would carry; Gmail takes its recipients from the To, Cc and Bcc headers, so
//! envelope-only recipients (Bcc, which the .eml leaves out) are put in a Bcc header
//! that Gmail removes before delivery.

use std::collections::HashSet;
use std::time::Duration;

use base64::Engine;
use secrecy::{ExposeSecret, SecretString};
use ulak_outbox::failure::{Failure, FailureCode, Kind};
use ulak_outbox::queue::Outcome;

/// What a send came to: the outcome, and whether Google refused the token itself (401)
/// so the caller can make the next try refresh it.
pub struct Sent {
    pub outcome: Outcome,
    pub token_refused: bool,
}

/// Sends `raw` for the account behind `token` through the Gmail API at `api_base`;
/// `recipients` are the message's envelope recipients.
pub async fn send(
    client: &reqwest::Client,
    api_base: &str,
    token: &SecretString,
    raw: &[u8],
    recipients: &[String],
) -> Sent {
    let raw = with_bcc(raw, recipients);
    let body = serde_json::json!({
        "raw": base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&raw),
    })
    .to_string();
    let url = format!(
        "{}/gmail/v1/users/me/messages/send",
        api_base.trim_end_matches('/')
    );
    let r = client
        .post(url)
        .bearer_auth(token.expose_secret())
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body)
        .send()
        .await;
    let r = match r {
        Ok(r) => r,
        Err(e) => {
            return Sent {
                outcome: Outcome::Failed(crate::http::unreachable("Gmail", e)),
                token_refused: false,
            }
        }
    };
    if r.status().is_success() {
        let text = r.text().await.unwrap_or_default();
        let id = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v.get("id").and_then(|i| i.as_str()).map(str::to_string))
            .unwrap_or_default();
        return Sent {
            outcome: Outcome::Sent {
                reply: format!("Gmail {id}"),
            },
            token_refused: false,
        };
    }
    let (status, wait, text) = crate::http::refusal(r).await;
    Sent {
        token_refused: status == reqwest::StatusCode::UNAUTHORIZED,
        outcome: Outcome::Failed(refusal(status.as_u16(), wait, &text)),
    }
}

/// Google's JSON error in the outbox's terms.
pub fn refusal(status: u16, wait: Option<Duration>, body: &str) -> Failure {
    let v: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    let e = &v["error"];
    let reason = e["errors"][0]["reason"].as_str().unwrap_or("");
    let message = e["message"].as_str().unwrap_or("").chars().take(300);
    let text = format!("Gmail {status} {reason}: {}", message.collect::<String>());
    let f = match (status, reason) {
        // The token itself was refused: the next try refreshes it first.
        (401, _) => Failure::transient(FailureCode::SignIn, text),
        (403, "insufficientPermissions") => {
            Failure::new(Kind::SignIn, FailureCode::Reconnect, text)
        }
        (429, _) | (403, "rateLimitExceeded" | "userRateLimitExceeded" | "dailyLimitExceeded") => {
            Failure::new(Kind::RateLimited, FailureCode::ServerBusy, text)
        }
        (403, "domainPolicy") => Failure::new(Kind::Policy, FailureCode::Refused, text),
        (400, _) => Failure::permanent(FailureCode::Unsendable, text),
        (413, _) => Failure::permanent(FailureCode::TooLarge, text),
        (500..=599, _) => Failure::transient(FailureCode::ServerBusy, text),
        _ => Failure::permanent(FailureCode::Other, text),
    };
    f.retry_after(wait)
}

/// `raw` with a Bcc header naming the recipients its To and Cc do not.
fn with_bcc<'a>(raw: &'a [u8], recipients: &[String]) -> std::borrow::Cow<'a, [u8]> {
    let Some(m) = mail_parser::MessageParser::new().parse_headers(raw) else {
        return raw.into();
    };
    let mut shown = HashSet::new();
    for list in [m.to(), m.cc(), m.bcc()].into_iter().flatten() {
        for a in list.iter() {
            if let Some(addr) = a.address() {
                shown.insert(addr.to_lowercase());
            }
        }
    }
    let hidden: Vec<&str> = recipients
        .iter()
        .filter(|r| !shown.contains(&r.to_lowercase()))
        .map(String::as_str)
        .collect();
    if hidden.is_empty() {
        return raw.into();
    }
    let mut out = format!("Bcc: {}\r\n", hidden.join(", ")).into_bytes();
    out.extend_from_slice(raw);
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_only_recipients_become_a_bcc_header() {
        let raw = b"From: a@x.com\r\nTo: B <b@y.com>\r\nCc: c@z.com\r\nSubject: s\r\n\r\nbody\r\n";
        let same = with_bcc(raw, &["b@y.com".into(), "C@z.com".into()]);
        assert_eq!(same.as_ref(), raw.as_slice());
        let more = with_bcc(
            raw,
            &["b@y.com".into(), "gizli@örnek.com".into(), "d@w.com".into()],
        );
        assert!(more.starts_with("Bcc: gizli@örnek.com, d@w.com\r\nFrom:".as_bytes()));
    }

    #[test]
    fn google_errors_map_to_kinds() {
        let body = |reason: &str| {
            format!(
                r#"{{"error":{{"code":403,"message":"m","errors":[{{"reason":"{reason}"}}]}}}}"#
            )
        };
        assert_eq!(refusal(401, None, "{}").kind, Kind::Transient);
        let f = refusal(403, None, &body("insufficientPermissions"));
        assert_eq!((f.kind, f.code), (Kind::SignIn, FailureCode::Reconnect));
        let f = refusal(
            429,
            Some(Duration::from_secs(2)),
            &body("rateLimitExceeded"),
        );
        assert_eq!(f.kind, Kind::RateLimited);
        assert_eq!(f.retry_after, Some(Duration::from_secs(2)));
        assert_eq!(refusal(400, None, "nonsense").kind, Kind::Permanent);
        assert_eq!(refusal(503, None, "").kind, Kind::Transient);
    }
}
