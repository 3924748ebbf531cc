//! Twilio's messaging webhooks, as Twilio documents them: form-encoded POSTs to the
//! address set on the number (or Messaging Service) — a customer's message (`MessageSid`,
//! `AccountSid`, `From`, `To`, `Body`, and `OptOutType` where Advanced Opt-Out is on;
//! WhatsApp numbers as `whatsapp:+…`) and status callbacks (`MessageSid`,
//! `MessageStatus`, `ErrorCode`). Each is signed: `X-Twilio-Signature` is base64
//! HMAC-SHA1, keyed with the account's auth token, over the full address Twilio was
//! given followed by every POST parameter sorted by name, name and value joined.

use std::collections::BTreeMap;

use base64::Engine;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha1::Sha1;
use ulak_core::validate;
use ulak_outbox::inbound::Event;

/// The form's parameters, sorted by name (Twilio sends each once).
pub fn params(body: &[u8]) -> BTreeMap<String, String> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

/// The signature Twilio sends for `url` and these parameters.
pub fn signature(auth_token: &str, url: &str, params: &BTreeMap<String, String>) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(auth_token.as_bytes()).expect("any key length");
    mac.update(url.as_bytes());
    for (k, v) in params {
        mac.update(k.as_bytes());
        mac.update(v.as_bytes());
    }
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

pub fn signed(
    auth_token: &str,
    url: &str,
    params: &BTreeMap<String, String>,
    header: Option<&str>,
) -> bool {
    let Some(sig) = header
        .map(str::trim)
        .and_then(|h| base64::engine::general_purpose::STANDARD.decode(h).ok())
    else {
        return false;
    };
    let mut mac = Hmac::<Sha1>::new_from_slice(auth_token.as_bytes()).expect("any key length");
    mac.update(url.as_bytes());
    for (k, v) in params {
        mac.update(k.as_bytes());
        mac.update(v.as_bytes());
    }
    mac.verify_slice(&sig).is_ok()
}

/// What one webhook says, for the integration whose account is `account_sid`.
pub fn read(
    p: &BTreeMap<String, String>,
    account_sid: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Event>, String> {
    if p.get("AccountSid").map(String::as_str) != Some(account_sid) {
        return Err("AccountSid is not this integration's account".into());
    }
    let id = p
        .get("MessageSid")
        .or_else(|| p.get("SmsSid"))
        .filter(|s| !s.is_empty())
        .ok_or("no MessageSid")?
        .clone();
    if let Some(status) = p.get("MessageStatus").or_else(|| p.get("SmsStatus")) {
        // A customer's message comes with SmsStatus "received": not a status.
        if status != "received" {
            return Ok(match status.as_str() {
                "delivered" | "read" => vec![Event::Delivered { provider_id: id }],
                "undelivered" | "failed" => vec![Event::Undelivered {
                    provider_id: id,
                    why: match p.get("ErrorCode").filter(|c| !c.is_empty()) {
                        Some(c) => format!("Twilio {c}"),
                        None => format!("Twilio: {status}"),
                    },
                }],
                _ => vec![],
            });
        }
    }
    let from = p.get("From").ok_or("neither MessageStatus nor From")?;
    let from = validate::phone("From", from.strip_prefix("whatsapp:").unwrap_or(from), true)
        .map_err(|_| "From is not a phone number".to_string())?;
    // With Advanced Opt-Out Twilio names the keyword's meaning; STOP counts as one.
    let text = match p.get("OptOutType").map(String::as_str) {
        Some("STOP") => Some("STOP".to_string()),
        _ => p.get("Body").cloned(),
    };
    Ok(vec![Event::Received {
        provider_id: id,
        from,
        at: now,
        text,
    }])
}

/// The empty TwiML answer: take no action.
pub const EMPTY_TWIML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>";

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_signature_follows_twilios_recipe() {
        // Twilio's own example (auth token 12345), checked apart with Python's hmac.
        let params = p(&[
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+12349013030"),
            ("Digits", "1234"),
            ("From", "+12349013030"),
            ("To", "+18005551212"),
        ]);
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        assert_eq!(
            signature("12345", url, &params),
            "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
        );
        assert!(signed(
            "12345",
            url,
            &params,
            Some("0/KCTR6DLpKmkAf8muzZqo1nDgQ=")
        ));
        assert!(!signed(
            "12346",
            url,
            &params,
            Some("0/KCTR6DLpKmkAf8muzZqo1nDgQ=")
        ));
        assert!(!signed(
            "12345",
            "https://mycompany.com/myapp.php",
            &params,
            Some("0/KCTR6DLpKmkAf8muzZqo1nDgQ=")
        ));
        assert!(!signed("12345", url, &params, None));
    }

    #[test]
    fn messages_statuses_and_other_accounts() {
        let now = Utc::now();
        let acct = "AC0123456789abcdef0123456789abcdef";
        let msg = p(&[
            ("AccountSid", acct),
            ("MessageSid", "SM1"),
            ("SmsStatus", "received"),
            ("From", "whatsapp:+905551234567"),
            ("To", "whatsapp:+14155238886"),
            ("Body", "Merhaba"),
        ]);
        assert_eq!(
            read(&msg, acct, now).unwrap(),
            vec![Event::Received {
                provider_id: "SM1".into(),
                from: "+905551234567".into(),
                at: now,
                text: Some("Merhaba".into())
            }]
        );
        assert!(read(&msg, "ACother", now).is_err());
        let failed = p(&[
            ("AccountSid", acct),
            ("MessageSid", "SM2"),
            ("MessageStatus", "undelivered"),
            ("ErrorCode", "63016"),
        ]);
        assert_eq!(
            read(&failed, acct, now).unwrap(),
            vec![Event::Undelivered {
                provider_id: "SM2".into(),
                why: "Twilio 63016".into()
            }]
        );
        let sent = p(&[
            ("AccountSid", acct),
            ("MessageSid", "SM3"),
            ("MessageStatus", "sent"),
        ]);
        assert_eq!(read(&sent, acct, now).unwrap(), vec![]);
        let stop = p(&[
            ("AccountSid", acct),
            ("MessageSid", "SM4"),
            ("From", "+905551234567"),
            ("Body", "Dur lütfen"),
            ("OptOutType", "STOP"),
        ]);
        assert!(
            matches!(&read(&stop, acct, now).unwrap()[0], Event::Received { text: Some(t), .. } if t == "STOP")
        );
    }
}
