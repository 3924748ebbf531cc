//! Google Calendar API v3 on the user's primary calendar, as documented: JSON events
//! with `start`/`end` as `{dateTime, timeZone}`, `attendees: [{email}]`, reminder
//! overrides, and a Meet link through `conferenceData.createRequest` (which needs
//! `conferenceDataVersion=1`); a Zoom link made before is in the place and description. Invitations go to the attendees (`sendUpdates=all`).

use secrecy::{ExposeSecret, SecretString};
use serde_json::{json, Value};

use super::{CalendarError, Checked, Event};
use crate::meeting::{MeetingKind, MeetingLink};
use crate::oauth::OAuthError;

/// What a call came to, and whether Google refused the token itself (401) so the
/// caller can refresh it and try once more.
pub enum Answer<T> {
    Done(T),
    TokenRefused,
}

/// The client Calendar calls go through: the one every HTTP provider shares.
pub fn client() -> reqwest::Client {
    crate::http::client()
}

fn events_url(api_base: &str) -> String {
    format!(
        "{}/calendar/v3/calendars/primary/events",
        api_base.trim_end_matches('/')
    )
}

/// The request body of `events.insert` for `e`.
pub fn body(e: &Checked) -> Value {
    let at = |t: &chrono::NaiveDateTime| json!({ "dateTime": t.format("%Y-%m-%dT%H:%M:%S").to_string(), "timeZone": e.time_zone });
    let mut b = json!({
        "summary": e.title,
        "start": at(&e.start),
        "end": at(&e.end),
        "attendees": e.attendees.iter().map(|a| json!({ "email": a })).collect::<Vec<_>>(),
        "reminders": if e.reminders.is_empty() {
            json!({ "useDefault": true })
        } else {
            json!({
                "useDefault": false,
                "overrides": e.reminders.iter()
                    .map(|m| json!({ "method": "popup", "minutes": m }))
                    .collect::<Vec<_>>(),
            })
        },
    });
    if !e.description.is_empty() {
        b["description"] = json!(e.description);
    }
    if !e.location.is_empty() {
        b["location"] = json!(e.location);
    }
    if e.meeting == MeetingKind::Meet {
        b["conferenceData"] = json!({
            "createRequest": {
                "requestId": format!("ulak-{:016x}", rand::random::<u64>()),
                "conferenceSolutionKey": { "type": "hangoutsMeet" },
            }
        });
    }
    b
}

/// An event resource in Ulak's terms.
pub fn read(v: &Value) -> Event {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let when = |w: &Value| {
        w.get("dateTime")
            .or_else(|| w.get("date"))
            .map(s)
            .unwrap_or_default()
    };
    let meet = v
        .get("hangoutLink")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| {
            v["conferenceData"]["entryPoints"]
                .as_array()?
                .iter()
                .find(|p| p["entryPointType"] == "video")
                .and_then(|p| p["uri"].as_str())
                .map(str::to_string)
        })
        .map(|url| MeetingLink {
            kind: MeetingKind::Meet,
            url,
            id: None,
            passcode: None,
            service_id: None,
        });
    let elsewhere = || {
        [&v["location"], &v["description"]]
            .into_iter()
            .filter_map(Value::as_str)
            .find_map(meeting_link)
            .map(|(kind, url)| MeetingLink {
                kind,
                url,
                id: None,
                passcode: None,
                service_id: None,
            })
    };
    Event {
        id: s(&v["id"]),
        title: s(&v["summary"]),
        start: when(&v["start"]),
        end: when(&v["end"]),
        location: s(&v["location"]),
        attendees: v["attendees"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x["email"].as_str())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        html_link: s(&v["htmlLink"]),
        meeting: meet.or_else(elsewhere),
    }
}

/// The first Zoom (`https://…zoom.us/j/…`) or Teams
/// (`https://teams.microsoft.com/l/meetup-join/…`) join link in `text`.
fn meeting_link(text: &str) -> Option<(MeetingKind, String)> {
    text.split_whitespace()
        .map(|w| w.trim_end_matches(['.', ',', ')', ';']))
        .find_map(|w| {
            let (host, path) = w.strip_prefix("https://")?.split_once('/')?;
            let kind =
                if (host == "zoom.us" || host.ends_with(".zoom.us")) && path.starts_with("j/") {
                    MeetingKind::Zoom
                } else if host == "teams.microsoft.com" && path.starts_with("l/meetup-join/") {
                    MeetingKind::Teams
                } else {
                    return None;
                };
            Some((kind, w.to_string()))
        })
}

fn unreachable(e: reqwest::Error) -> CalendarError {
    if e.is_connect() {
        // No connection was made: the request surely did not arrive.
        return CalendarError::NotSent(e.without_url().to_string());
    }
    CalendarError::OAuth(OAuthError::Unreachable(e.without_url().to_string()))
}

/// A refusal in the user's terms: a token without the calendar scope means the
/// calendar is not connected; otherwise Google's own message.
async fn refusal<T>(r: reqwest::Response) -> Result<Answer<T>, CalendarError> {
    let status = r.status();
    if status == reqwest::StatusCode::UNAUTHORIZED {
        return Ok(Answer::TokenRefused);
    }
    let text = r.text().await.unwrap_or_default();
    let v: Value = serde_json::from_str(&text).unwrap_or_default();
    let reason = v["error"]["errors"][0]["reason"].as_str().unwrap_or("");
    let message: String = v["error"]["message"]
        .as_str()
        .unwrap_or("")
        .chars()
        .take(300)
        .collect();
    Err(match (status.as_u16(), reason) {
        (403, "insufficientPermissions") => CalendarError::NotConnected,
        // Busy or down: nothing about the event itself.
        (429 | 500..=599, _) | (403, "rateLimitExceeded" | "userRateLimitExceeded") => {
            CalendarError::OAuth(OAuthError::Unreachable(format!(
                "Google Calendar answered {}: {message}",
                status.as_u16()
            )))
        }
        _ => CalendarError::Refused(format!("{} {reason}: {message}", status.as_u16())),
    })
}

pub async fn insert(
    client: &reqwest::Client,
    api_base: &str,
    token: &SecretString,
    e: &Checked,
) -> Result<Answer<Event>, CalendarError> {
    let mut url = format!("{}?sendUpdates=all", events_url(api_base));
    if e.meeting == MeetingKind::Meet {
        url.push_str("&conferenceDataVersion=1");
    }
    let r = client
        .post(url)
        .bearer_auth(token.expose_secret())
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body(e).to_string())
        .send()
        .await
        .map_err(unreachable)?;
    if !r.status().is_success() {
        return refusal(r).await;
    }
    let v: Value = serde_json::from_str(&r.text().await.map_err(unreachable)?)
        .map_err(|_| CalendarError::Refused("Google's answer is not an event".into()))?;
    Ok(Answer::Done(read(&v)))
}

/// Events from `from` to `to` (RFC 3339), one by one (recurring ones expanded), in
/// start order.
pub async fn list(
    client: &reqwest::Client,
    api_base: &str,
    token: &SecretString,
    from: &str,
    to: &str,
) -> Result<Answer<Vec<Event>>, CalendarError> {
    let r = client
        .get(events_url(api_base))
        .query(&[
            ("timeMin", from),
            ("timeMax", to),
            ("singleEvents", "true"),
            ("orderBy", "startTime"),
            ("maxResults", "250"),
        ])
        .bearer_auth(token.expose_secret())
        .send()
        .await
        .map_err(unreachable)?;
    if !r.status().is_success() {
        return refusal(r).await;
    }
    let v: Value = serde_json::from_str(&r.text().await.map_err(unreachable)?)
        .map_err(|_| CalendarError::Refused("Google's answer is not an event list".into()))?;
    Ok(Answer::Done(
        v["items"]
            .as_array()
            .map(|a| a.iter().map(read).collect())
            .unwrap_or_default(),
    ))
}

/// An event id as Google makes them (base32hex, or a client's own letters and digits);
/// anything else never reaches a URL.
fn valid_id(id: &str) -> bool {
    (1..=1024).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

pub async fn delete(
    client: &reqwest::Client,
    api_base: &str,
    token: &SecretString,
    id: &str,
) -> Result<Answer<()>, CalendarError> {
    if !valid_id(id) {
        return Err(CalendarError::NotFound(id.chars().take(60).collect()));
    }
    let r = client
        .delete(format!("{}/{id}?sendUpdates=all", events_url(api_base)))
        .bearer_auth(token.expose_secret())
        .send()
        .await
        .map_err(unreachable)?;
    match r.status().as_u16() {
        200..=299 => Ok(Answer::Done(())),
        // Google answers 410 Gone for an event deleted already.
        404 | 410 => Err(CalendarError::NotFound(id.to_string())),
        _ => refusal(r).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_is_googles_shape() {
        let c = super::super::check(&super::super::EventInput {
            title: "Öztürk Gıda — görüşme".into(),
            start: "2026-12-10T14:30".into(),
            attendees: vec!["a@b.com".into()],
            reminders: vec![15],
            meeting: MeetingKind::Meet,
            ..Default::default()
        })
        .unwrap();
        let b = body(&c);
        assert_eq!(b["start"]["dateTime"], "2026-12-10T14:30:00");
        assert_eq!(b["end"]["dateTime"], "2026-12-10T15:30:00");
        assert_eq!(b["start"]["timeZone"], "Europe/Istanbul");
        assert_eq!(b["attendees"][0]["email"], "a@b.com");
        assert_eq!(b["reminders"]["overrides"][0]["minutes"], 15);
        assert_eq!(
            b["conferenceData"]["createRequest"]["conferenceSolutionKey"]["type"],
            "hangoutsMeet"
        );
        assert!(b.get("location").is_none());
    }

    #[test]
    fn a_zoom_link_in_the_place_or_description_is_the_events_meeting() {
        let e = read(&json!({
            "id": "e1",
            "location": "Ofis",
            "description": "Gündem\nZoom: https://us05web.zoom.us/j/85746065432?pwd=abc.",
        }));
        assert_eq!(
            e.meeting.map(|m| (m.kind, m.url)),
            Some((
                MeetingKind::Zoom,
                "https://us05web.zoom.us/j/85746065432?pwd=abc".to_string()
            ))
        );
        let e = read(&json!({ "id": "e2", "hangoutLink": "https://meet.google.com/abc-defg-hij" }));
        assert_eq!(e.meeting.map(|m| m.kind), Some(MeetingKind::Meet));
        let e = read(&json!({ "id": "e3", "location": "https://evil.example/zoom.us/j/1" }));
        assert!(e.meeting.is_none());
        let e = read(&json!({
            "id": "e4",
            "description": "Microsoft Teams toplantısı: https://teams.microsoft.com/l/meetup-join/19%3ameeting_N2E%40thread.v2/0",
        }));
        assert_eq!(e.meeting.map(|m| m.kind), Some(MeetingKind::Teams));
    }

    #[test]
    fn ids_that_could_bend_the_url_are_refused() {
        assert!(valid_id("abc123def_20261210T113000Z"));
        assert!(!valid_id("../../users/me"));
        assert!(!valid_id("a?b=c"));
        assert!(!valid_id(""));
    }
}
