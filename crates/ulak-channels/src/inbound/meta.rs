//! Meta's WhatsApp Cloud API webhooks, as Meta documents them: a GET that checks the
//! address once (`hub.mode=subscribe`, `hub.verify_token`, `hub.challenge` echoed), then
//! POSTs of JSON (`object: whatsapp_business_account`, `entry[].changes[].value` with
//! `messages` from customers and `statuses` of sent messages), each signed with the
//! app's secret: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`.

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;
use ulak_core::validate;
use ulak_outbox::inbound::Event;

/// The subscription check: the challenge to echo when the verify token is ours.
pub fn challenge(query: &str, verify_token: &str) -> Option<String> {
    let mut mode = None;
    let mut token = None;
    let mut challenge = None;
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        match k.as_ref() {
            "hub.mode" => mode = Some(v.into_owned()),
            "hub.verify_token" => token = Some(v.into_owned()),
            "hub.challenge" => challenge = Some(v.into_owned()),
            _ => {}
        }
    }
    let ok = mode.as_deref() == Some("subscribe")
        && token.is_some_and(|t| super::same(t.as_bytes(), verify_token.as_bytes()));
    // Meta's challenge is a number; anything else is not echoed into a page.
    challenge.filter(|c| {
        ok && !c.is_empty()
            && c.len() <= 64
            && c.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

/// Whether `X-Hub-Signature-256` is the app secret's signature of exactly these bytes.
pub fn signed(app_secret: &str, header: Option<&str>, body: &[u8]) -> bool {
    let Some(hex_sig) = header.and_then(|h| h.trim().strip_prefix("sha256=")) else {
        return false;
    };
    let Ok(sig) = hex::decode(hex_sig) else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(app_secret.as_bytes()).expect("any key length");
    mac.update(body);
    mac.verify_slice(&sig).is_ok()
}

/// The signature Meta would send (for tests and the CLI's self-check).
pub fn signature(app_secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(app_secret.as_bytes()).expect("any key length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

#[derive(Deserialize)]
struct Notification {
    object: String,
    #[serde(default)]
    entry: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(default)]
    changes: Vec<Change>,
}

#[derive(Deserialize)]
struct Change {
    field: String,
    value: Value,
}

#[derive(Deserialize)]
struct Value {
    metadata: Option<Metadata>,
    #[serde(default)]
    messages: Vec<Message>,
    #[serde(default)]
    statuses: Vec<Status>,
}

#[derive(Deserialize)]
struct Metadata {
    phone_number_id: String,
}

#[derive(Deserialize)]
struct Message {
    id: String,
    from: String,
    timestamp: String,
    #[serde(rename = "type")]
    kind: String,
    text: Option<Text>,
    button: Option<Text>,
    interactive: Option<Interactive>,
}

/// A reply button or list row the customer chose (its title is what they "said").
#[derive(Deserialize)]
struct Interactive {
    button_reply: Option<Titled>,
    list_reply: Option<Titled>,
}

#[derive(Deserialize)]
struct Titled {
    title: String,
}

#[derive(Deserialize)]
struct Text {
    #[serde(alias = "text")]
    body: String,
}

#[derive(Deserialize)]
struct Status {
    id: String,
    status: String,
    #[serde(default)]
    errors: Vec<ErrorItem>,
}

#[derive(Deserialize)]
struct ErrorItem {
    code: i64,
    title: Option<String>,
    message: Option<String>,
}

/// Reads one notification: the messages and statuses that concern `phone_number_id`
/// (one Meta app may send every number's events to one address; others are left).
pub fn read(body: &[u8], phone_number_id: &str) -> Result<Vec<Event>, String> {
    // serde's words can quote the body (a customer's text): only where it broke.
    let n: Notification = serde_json::from_slice(body).map_err(|e| {
        format!(
            "not a Meta notification ({:?} at line {} column {})",
            e.classify(),
            e.line(),
            e.column()
        )
    })?;
    if n.object != "whatsapp_business_account" {
        return Err("object is not whatsapp_business_account".into());
    }
    let mut out = Vec::new();
    for change in n.entry.iter().flat_map(|e| &e.changes) {
        if change.field != "messages" {
            continue;
        }
        let v = &change.value;
        if v.metadata
            .as_ref()
            .is_some_and(|m| m.phone_number_id != phone_number_id)
        {
            continue;
        }
        // One unreadable item is left; the rest of the batch is kept (a 400 would make
        // Meta send the whole batch again, for days).
        for m in &v.messages {
            let Ok(from) = validate::phone("from", &format!("+{}", m.from), true) else {
                continue;
            };
            let Some(at) = m
                .timestamp
                .parse::<i64>()
                .ok()
                .and_then(|s| DateTime::<Utc>::from_timestamp(s, 0))
            else {
                continue;
            };
            let text = match m.kind.as_str() {
                "text" => m.text.as_ref().map(|t| t.body.clone()),
                "button" => m.button.as_ref().map(|t| t.body.clone()),
                "interactive" => m.interactive.as_ref().and_then(|i| {
                    i.button_reply
                        .as_ref()
                        .or(i.list_reply.as_ref())
                        .map(|t| t.title.clone())
                }),
                _ => None,
            };
            out.push(Event::Received {
                provider_id: m.id.clone(),
                from,
                at,
                text,
            });
        }
        for s in &v.statuses {
            match s.status.as_str() {
                "delivered" | "read" => out.push(Event::Delivered {
                    provider_id: s.id.clone(),
                }),
                "failed" => out.push(Event::Undelivered {
                    provider_id: s.id.clone(),
                    why: match s.errors.first() {
                        Some(e) => match e.title.as_deref().or(e.message.as_deref()) {
                            Some(t) => format!("Meta {}: {t}", e.code),
                            None => format!("Meta {}", e.code),
                        },
                        None => "Meta: failed".into(),
                    },
                }),
                _ => {}
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_checked_over_the_exact_bytes() {
        let body = br#"{"object":"whatsapp_business_account","entry":[]}"#;
        let sig = signature("app-secret", body);
        // Computed apart (Python's hmac) from Meta's documented recipe.
        assert_eq!(
            sig,
            "sha256=d3e4f9da0ce6c71ab3dba55929b8eeeee2455349e534924ead19f98d143e904f"
        );
        assert!(signed("app-secret", Some(&sig), body));
        assert!(!signed("other", Some(&sig), body));
        assert!(!signed(
            "app-secret",
            Some(&sig),
            b"{\"object\": \"whatsapp_business_account\",\"entry\":[]}"
        ));
        assert!(!signed("app-secret", None, body));
        assert!(!signed("app-secret", Some("sha1=abc"), body));
    }

    #[test]
    fn the_challenge_is_echoed_only_for_our_token() {
        let q = "hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=tok";
        assert_eq!(challenge(q, "tok").as_deref(), Some("1158201444"));
        assert_eq!(challenge(q, "other"), None);
        assert_eq!(
            challenge(
                "hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=tok",
                "tok"
            ),
            None
        );
        assert_eq!(
            challenge(
                "hub.mode=subscribe&hub.challenge=%3Cscript%3E&hub.verify_token=tok",
                "tok"
            ),
            None
        );
    }

    #[test]
    fn messages_and_statuses_of_other_numbers_are_left_and_failures_say_why() {
        let body = serde_json::json!({
            "object": "whatsapp_business_account",
            "entry": [{"id": "WABA", "changes": [
                {"field": "messages", "value": {"messaging_product": "whatsapp",
                    "metadata": {"display_phone_number": "902120000000", "phone_number_id": "111"},
                    "contacts": [{"profile": {"name": "Ayşe"}, "wa_id": "905551234567"}],
                    "messages": [{"from": "905551234567", "id": "wamid.IN1", "timestamp": "1765000000",
                                  "type": "text", "text": {"body": "Merhaba, fiyat?"}}],
                    "statuses": [
                        {"id": "wamid.OUT1", "status": "delivered", "timestamp": "1765000001", "recipient_id": "905551234567"},
                        {"id": "wamid.OUT2", "status": "sent", "timestamp": "1765000001", "recipient_id": "905551234567"},
                        {"id": "wamid.OUT3", "status": "failed", "timestamp": "1765000002", "recipient_id": "905551234567",
                         "errors": [{"code": 131047, "title": "Re-engagement message"}]}]}},
                {"field": "messages", "value": {"messaging_product": "whatsapp",
                    "metadata": {"display_phone_number": "1", "phone_number_id": "999"},
                    "statuses": [{"id": "wamid.OTHER", "status": "read", "timestamp": "1", "recipient_id": "1"}]}}
            ]}]
        });
        let events = read(body.to_string().as_bytes(), "111").unwrap();
        assert_eq!(
            events,
            vec![
                Event::Received {
                    provider_id: "wamid.IN1".into(),
                    from: "+905551234567".into(),
                    at: DateTime::<Utc>::from_timestamp(1_765_000_000, 0).unwrap(),
                    text: Some("Merhaba, fiyat?".into()),
                },
                Event::Delivered {
                    provider_id: "wamid.OUT1".into()
                },
                Event::Undelivered {
                    provider_id: "wamid.OUT3".into(),
                    why: "Meta 131047: Re-engagement message".into()
                },
            ]
        );
        // A reply button's title is what the customer said; an item without a readable
        // time is left, the rest kept.
        let body = serde_json::json!({"object": "whatsapp_business_account", "entry": [{"changes": [
            {"field": "messages", "value": {"metadata": {"phone_number_id": "111"}, "messages": [
                {"from": "905551234567", "id": "wamid.B", "timestamp": "soon", "type": "text", "text": {"body": "x"}},
                {"from": "905551234567", "id": "wamid.I", "timestamp": "1765000000", "type": "interactive",
                 "interactive": {"type": "button_reply", "button_reply": {"id": "stop", "title": "STOP"}}}]}}]}]});
        let events = read(body.to_string().as_bytes(), "111").unwrap();
        assert!(
            matches!(&events[..], [Event::Received { provider_id, text: Some(t), .. }] if provider_id == "wamid.I" && t == "STOP"),
            "{events:?}"
        );
        // What is said about an unreadable body never quotes it.
        let err = read(
            "{\"object\": \"whatsapp_business_account\", \"entry\": \"Işıl 0555\"}".as_bytes(),
            "111",
        )
        .unwrap_err();
        assert!(!err.contains("Işıl") && !err.contains("0555"), "{err}");
        assert!(read(br#"{"object":"page","entry":[]}"#, "111").is_err());
        assert!(read(b"not json", "111").is_err());
    }
}
