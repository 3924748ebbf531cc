//! Vonage's SMS API webhooks, as Vonage documents them: delivery receipts (`messageId`,
//! `status` delivered/expired/failed/rejected/accepted/buffered/unknown, `err-code`) and
//! inbound messages (`msisdn`, `to`, `messageId`, `text`, `type`, `message-timestamp`
//! "YYYY-MM-DD HH:MM:SS" UTC), sent as a GET's query, a POST form or a POST of JSON —
//! whichever the account's settings chose. Vonage wants a 200 or 204 back, or it sends
//! again for a day.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use ulak_core::validate;
use ulak_outbox::inbound::Event;

/// The parameters of one webhook, wherever Vonage put them.
pub fn params(
    query: &str,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<HashMap<String, String>, String> {
    let ct = content_type.unwrap_or_default().to_ascii_lowercase();
    if !body.is_empty() && ct.starts_with("application/json") {
        let v: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(body).map_err(|e| {
                format!(
                    "not a JSON object ({:?} at column {})",
                    e.classify(),
                    e.column()
                )
            })?;
        return Ok(v
            .into_iter()
            .filter_map(|(k, v)| match v {
                serde_json::Value::String(s) => Some((k, s)),
                serde_json::Value::Number(n) => Some((k, n.to_string())),
                serde_json::Value::Bool(b) => Some((k, b.to_string())),
                _ => None,
            })
            .collect());
    }
    let source = if !body.is_empty() && ct.starts_with("application/x-www-form-urlencoded") {
        body
    } else {
        query.as_bytes()
    };
    Ok(url::form_urlencoded::parse(source).into_owned().collect())
}

/// What one webhook says: a delivery receipt, an inbound message, or nothing Ulak
/// keeps (an intermediate status such as `accepted` or `buffered`).
pub fn read(
    p: &HashMap<String, String>,
    api_key: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Event>, String> {
    // Vonage names the account; a request for another account is not this one's.
    if p.get("api-key").is_some_and(|k| k != api_key) {
        return Err("api-key is not this integration's".into());
    }
    let id = p
        .get("messageId")
        .filter(|s| !s.is_empty())
        .ok_or("no messageId")?
        .clone();
    if let Some(status) = p.get("status") {
        return Ok(match status.as_str() {
            "delivered" => vec![Event::Delivered { provider_id: id }],
            "expired" | "failed" | "rejected" => vec![Event::Undelivered {
                provider_id: id,
                why: match p.get("err-code").filter(|c| c.as_str() != "0") {
                    Some(c) => format!("Vonage {status} (err-code {c})"),
                    None => format!("Vonage {status}"),
                },
            }],
            _ => vec![],
        });
    }
    let msisdn = p.get("msisdn").ok_or("neither status nor msisdn")?;
    // A short code or a sender name cannot be answered or listed: taken, not kept (a
    // 400 would make Vonage send it again for a day).
    let Ok(from) = validate::phone(
        "msisdn",
        &format!("+{}", msisdn.trim_start_matches('+')),
        true,
    ) else {
        return Ok(vec![]);
    };
    let at = p
        .get("message-timestamp")
        .and_then(|s| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").ok())
        .map(|t| t.and_utc())
        .unwrap_or(now);
    // A binary message carries no text to read.
    let text = match p.get("type").map(String::as_str) {
        Some("binary") => None,
        _ => p.get("text").cloned(),
    };
    Ok(vec![Event::Received {
        provider_id: id,
        from,
        at,
        text,
    }])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-07T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn a_receipt_reads_the_same_from_a_query_a_form_and_json() {
        let q = "msisdn=905551234567&to=ULAK&network-code=28601&messageId=0A000001&price=0.03&status=failed&scts=2612071000&err-code=1&api-key=abc&message-timestamp=2026-12-07+10%3A00%3A00";
        let from_query = read(&params(q, None, b"").unwrap(), "abc", now()).unwrap();
        let from_form = read(
            &params("", Some("application/x-www-form-urlencoded"), q.as_bytes()).unwrap(),
            "abc",
            now(),
        )
        .unwrap();
        let json = serde_json::json!({"msisdn": "905551234567", "messageId": "0A000001", "status": "failed", "err-code": "1"});
        let from_json = read(
            &params(
                "",
                Some("application/json; charset=utf-8"),
                json.to_string().as_bytes(),
            )
            .unwrap(),
            "abc",
            now(),
        )
        .unwrap();
        let want = vec![Event::Undelivered {
            provider_id: "0A000001".into(),
            why: "Vonage failed (err-code 1)".into(),
        }];
        assert_eq!(from_query, want);
        assert_eq!(from_form, want);
        assert_eq!(from_json, want);
    }

    #[test]
    fn intermediate_statuses_are_not_kept_and_delivered_is() {
        let p =
            |s: &str| params(&format!("messageId=X1&status={s}&err-code=0"), None, b"").unwrap();
        assert_eq!(read(&p("accepted"), "abc", now()).unwrap(), vec![]);
        assert_eq!(read(&p("buffered"), "abc", now()).unwrap(), vec![]);
        assert_eq!(
            read(&p("delivered"), "abc", now()).unwrap(),
            vec![Event::Delivered {
                provider_id: "X1".into()
            }]
        );
        assert_eq!(
            read(&p("expired"), "abc", now()).unwrap(),
            vec![Event::Undelivered {
                provider_id: "X1".into(),
                why: "Vonage expired".into()
            }]
        );
    }

    #[test]
    fn an_inbound_message_names_its_sender_in_e164_and_its_time() {
        let q = "msisdn=905551234567&to=447700900000&messageId=IN-1&text=RET&type=text&keyword=RET&message-timestamp=2026-12-07+09%3A58%3A00";
        assert_eq!(
            read(&params(q, None, b"").unwrap(), "abc", now()).unwrap(),
            vec![Event::Received {
                provider_id: "IN-1".into(),
                from: "+905551234567".into(),
                at: DateTime::parse_from_rfc3339("2026-12-07T09:58:00Z")
                    .unwrap()
                    .with_timezone(&Utc),
                text: Some("RET".into()),
            }]
        );
        // A sender name is taken and left; another account's request is refused.
        assert_eq!(
            read(
                &params("msisdn=BANKA&messageId=IN-2&text=x", None, b"").unwrap(),
                "abc",
                now()
            )
            .unwrap(),
            vec![]
        );
        assert!(read(
            &params(
                "msisdn=905551234567&messageId=IN-3&text=x&api-key=other",
                None,
                b""
            )
            .unwrap(),
            "abc",
            now()
        )
        .is_err());
        assert!(read(
            &params("status=delivered", None, b"").unwrap(),
            "abc",
            now()
        )
        .is_err());
    }
}
