//! Microsoft Teams meetings through Microsoft Graph: `POST {graph}/v1.0/me/onlineMeetings`
//! with the event's subject and its start and end as RFC 3339 times with their offset
//! (the event's local time read in its IANA zone), signed in with the user's Microsoft
//! account for `OnlineMeetings.ReadWrite` — a work or school account: Graph makes no
//! online meetings for personal accounts. `DELETE …/onlineMeetings/{id}` undoes one
//! whose event the calendar refused.
//!
//! A Graph token is good for Graph only, so this sign-in is a connection of its own
//! (resource `graph`), beside the same account's Outlook sending (see oauth::resource_of).

use chrono::TimeZone;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{json, Value};
use ulak_outbox::failure::{Failure, FailureCode, Kind};

use super::{MeetingKind, MeetingLink, MeetingRequest};
use crate::calendar::google::Answer;

/// What making Teams meetings needs of Graph.
pub const SCOPE: &str = "https://graph.microsoft.com/OnlineMeetings.ReadWrite";

fn meetings_url(api_base: &str) -> String {
    format!("{}/v1.0/me/onlineMeetings", api_base.trim_end_matches('/'))
}

/// The event's local time in its zone as RFC 3339 with the offset; a time the clocks
/// skip (a spring-forward gap) is taken an hour later, as calendars do.
fn instant(m: &MeetingRequest, t: chrono::NaiveDateTime) -> Result<String, Failure> {
    let tz: chrono_tz::Tz = m.time_zone.parse().map_err(|_| {
        Failure::permanent(
            FailureCode::Unsendable,
            format!("{} is not a time zone Microsoft Teams knows", m.time_zone),
        )
    })?;
    let at = tz
        .from_local_datetime(&t)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(t + chrono::Duration::hours(1)))
                .earliest()
        })
        .ok_or_else(|| Failure::permanent(FailureCode::Unsendable, "a time that does not exist"))?;
    Ok(at.to_rfc3339_opts(chrono::SecondsFormat::Secs, false))
}

/// The request body of "Create onlineMeeting".
pub fn body(m: &MeetingRequest) -> Result<Value, Failure> {
    let end = m.start + chrono::Duration::minutes(i64::from(m.minutes));
    Ok(json!({
        "subject": m.topic,
        "startDateTime": instant(m, m.start)?,
        "endDateTime": instant(m, end)?,
    }))
}

fn unreachable(e: reqwest::Error) -> Failure {
    crate::http::unreachable("Microsoft Teams", e)
}

/// Graph's no, in Ulak's terms (`{"error": {"code", "message"}}`).
fn refusal(status: u16, wait: Option<std::time::Duration>, text: &str) -> Failure {
    let v: Value = serde_json::from_str(text).unwrap_or_default();
    let code = v["error"]["code"].as_str().unwrap_or("");
    let message: String = v["error"]["message"]
        .as_str()
        .unwrap_or("no reason given")
        .chars()
        .take(300)
        .collect();
    match status {
        429 => Failure::new(
            Kind::RateLimited,
            FailureCode::ServerBusy,
            format!("Microsoft Teams asks to slow down: {message}"),
        )
        .retry_after(wait),
        500..=599 => Failure::transient(
            FailureCode::ServerBusy,
            format!("Microsoft Teams answered {status}: {message}"),
        ),
        403 => Failure::new(
            Kind::Policy,
            FailureCode::Refused,
            format!(
                "Microsoft Teams refused ({code}): {message}; Teams meetings need a work or school account whose organization allows them"
            ),
        ),
        _ => Failure::permanent(
            FailureCode::Refused,
            format!("Microsoft Teams refused the meeting ({status} {code}): {message}"),
        ),
    }
}

/// Makes the meeting; where to join it.
pub async fn create(
    client: &reqwest::Client,
    api_base: &str,
    token: &SecretString,
    m: &MeetingRequest,
) -> Result<Answer<MeetingLink>, Failure> {
    let r = client
        .post(meetings_url(api_base))
        .bearer_auth(token.expose_secret())
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body(m)?.to_string())
        .send()
        .await
        .map_err(unreachable)?;
    let status = r.status().as_u16();
    if status == 401 {
        return Ok(Answer::TokenRefused);
    }
    let (_, wait, text) = crate::http::refusal(r).await;
    if !(200..300).contains(&status) {
        return Err(refusal(status, wait, &text));
    }
    let v: Value = serde_json::from_str(&text).unwrap_or_default();
    let url = v["joinWebUrl"].as_str().unwrap_or_default().to_string();
    if !url.starts_with("https://") {
        return Err(Failure::transient(
            FailureCode::Other,
            "Microsoft Teams' answer held no join link",
        ));
    }
    let s = |x: &Value| x.as_str().filter(|s| !s.is_empty()).map(str::to_string);
    Ok(Answer::Done(MeetingLink {
        kind: MeetingKind::Teams,
        url,
        id: s(&v["joinMeetingIdSettings"]["joinMeetingId"]),
        passcode: s(&v["joinMeetingIdSettings"]["passcode"]),
        service_id: s(&v["id"]),
    }))
}

/// Deletes a meeting made for an event the calendar then refused.
pub async fn delete(
    client: &reqwest::Client,
    api_base: &str,
    token: &SecretString,
    id: &str,
) -> Result<(), Failure> {
    // Graph's ids are base64: letters, digits, -, _, = (and + /, percent-encoded here).
    let id: String = url::form_urlencoded::byte_serialize(id.as_bytes()).collect();
    let r = client
        .delete(format!("{}/{id}", meetings_url(api_base)))
        .bearer_auth(token.expose_secret())
        .send()
        .await
        .map_err(unreachable)?;
    let status = r.status().as_u16();
    if (200..300).contains(&status) || status == 404 {
        return Ok(());
    }
    let (_, wait, text) = crate::http::refusal(r).await;
    Err(refusal(status, wait, &text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(zone: &str, date: (i32, u32, u32), time: (u32, u32)) -> MeetingRequest {
        MeetingRequest {
            topic: "Öztürk Gıda — teklif".into(),
            agenda: String::new(),
            start: chrono::NaiveDate::from_ymd_opt(date.0, date.1, date.2)
                .unwrap()
                .and_hms_opt(time.0, time.1, 0)
                .unwrap(),
            minutes: 45,
            time_zone: zone.into(),
        }
    }

    #[test]
    fn times_carry_their_zones_offset() {
        let b = body(&request("Europe/Istanbul", (2026, 12, 10), (14, 30))).unwrap();
        assert_eq!(b["startDateTime"], "2026-12-10T14:30:00+03:00");
        assert_eq!(b["endDateTime"], "2026-12-10T15:15:00+03:00");
        assert_eq!(b["subject"], "Öztürk Gıda — teklif");
        // Berlin in winter and in summer.
        let b = body(&request("Europe/Berlin", (2026, 7, 1), (9, 0))).unwrap();
        assert_eq!(b["startDateTime"], "2026-07-01T09:00:00+02:00");
        // A time the clocks skip (Berlin, 29 March 2026, 02:30) is an hour later.
        let b = body(&request("Europe/Berlin", (2026, 3, 29), (2, 30))).unwrap();
        assert_eq!(b["startDateTime"], "2026-03-29T03:30:00+02:00");
        let f = body(&request("Mars/Olympus", (2026, 7, 1), (9, 0))).unwrap_err();
        assert!(f.text.contains("Mars/Olympus"));
    }

    #[test]
    fn graphs_refusals_say_why() {
        let f = refusal(
            403,
            None,
            r#"{"error":{"code":"Forbidden","message":"Online meetings are not supported for this account."}}"#,
        );
        assert_eq!(f.code, FailureCode::Refused);
        assert!(f.text.contains("work or school"), "{}", f.text);
        assert!(refusal(503, None, "").kind.retries());
        assert_eq!(refusal(429, None, "{}").kind, Kind::RateLimited);
    }
}
