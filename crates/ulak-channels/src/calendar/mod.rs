//! Events in the salesperson's own Google Calendar ("Takvime Ekle"): what an event
//! asks for, checked before any call (title, times, attendees, reminders, a meeting:
//! Google Meet or Zoom, see `crate::meeting`), and the calls (google.rs: Calendar API
//! v3 `events.insert/list/delete` on the primary calendar, with the user's OAuth token
//! of scope `calendar.events`).
//!
//! A time is written as the user means it — `2026-12-10T14:30` in the event's time
//! zone (Europe/Istanbul unless said otherwise) — or with an offset; Google is given the
//! local time and the zone's name, so no time-zone table is needed here.

pub mod google;

use chrono::{NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};
use ulak_core::validate::{self, ValidationError, LIMITS};
use ulak_core::{ErrorCode, UserFacing};

use crate::meeting::{MeetingError, MeetingKind, MeetingLink, MeetingRequest};
use crate::oauth::OAuthError;

/// The scope "Takvime Ekle" asks for: the user's events, not their calendars' settings.
pub const SCOPE: &str = "https://www.googleapis.com/auth/calendar.events";
/// The zone an event is in unless said otherwise.
pub const DEFAULT_TIME_ZONE: &str = "Europe/Istanbul";
/// Google keeps at most five reminder overrides, each at most four weeks ahead.
pub const MAX_REMINDERS: usize = 5;
pub const MAX_REMINDER_MINUTES: u32 = 40320;
/// How many people one event from Ulak invites at most.
pub const MAX_ATTENDEES: usize = 100;
/// The length an event has when only its start is given.
pub const DEFAULT_MINUTES: i64 = 60;

/// What the form, the CLI or a CRM record asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct EventInput {
    pub title: String,
    pub description: String,
    pub location: String,
    /// `YYYY-MM-DDTHH:MM[:SS]` in `time_zone`.
    pub start: String,
    /// Empty: `duration_minutes` (one hour if that is unset) after the start.
    pub end: String,
    pub duration_minutes: Option<u32>,
    /// An IANA zone name; empty: Europe/Istanbul.
    pub time_zone: String,
    pub attendees: Vec<String>,
    /// Pop-up reminders, minutes before the start.
    pub reminders: Vec<u32>,
    /// The meeting the event gets: none, Google Meet, or Zoom.
    pub meeting: MeetingKind,
}

/// An event as checked: ready for the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub title: String,
    pub description: String,
    pub location: String,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub time_zone: String,
    pub attendees: Vec<String>,
    pub reminders: Vec<u32>,
    pub meeting: MeetingKind,
}

impl Checked {
    /// What a meeting service is asked for: the event's title, description and time.
    pub fn meeting_request(&self) -> MeetingRequest {
        MeetingRequest {
            topic: self.title.clone(),
            agenda: self.description.clone(),
            start: self.start,
            minutes: u32::try_from((self.end - self.start).num_minutes()).unwrap_or(u32::MAX),
            time_zone: self.time_zone.clone(),
        }
    }

    /// The event with a meeting made elsewhere (Zoom): its link as the place when the
    /// event has none, and the link, id and passcode at the end of the description
    /// (`lines`: those words in the user's language), so every attendee's invitation
    /// carries them.
    pub fn with_meeting(mut self, link: &MeetingLink, lines: &[String]) -> Checked {
        if self.location.is_empty() {
            self.location = link.url.clone();
        }
        let mut d = self.description.clone();
        for l in lines {
            if !d.is_empty() {
                d.push('\n');
            }
            d.push_str(l);
        }
        self.description = d;
        self
    }
}

/// An event as the calendar has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub id: String,
    pub title: String,
    /// As Google answers: RFC 3339 with the offset, or a date for all-day events.
    pub start: String,
    pub end: String,
    pub location: String,
    pub attendees: Vec<String>,
    /// The event in Google Calendar, for the user to open.
    pub html_link: String,
    /// Where to join the event's meeting: Google Meet's, or a Zoom link in its place or
    /// description.
    pub meeting: Option<MeetingLink>,
}

#[derive(Debug, thiserror::Error)]
pub enum CalendarError {
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error("{field} is not a date and time (YYYY-MM-DDTHH:MM)")]
    BadTime { field: &'static str },
    #[error("the event ends before it starts")]
    EndBeforeStart,
    #[error("no Google account with calendar access is connected")]
    NotConnected,
    #[error("Google refused the calendar request: {0}")]
    Refused(String),
    #[error("no event with id {0} in the calendar")]
    NotFound(String),
    #[error(transparent)]
    OAuth(#[from] OAuthError),
    #[error(transparent)]
    Meeting(#[from] MeetingError),
    /// Google could not be reached at all (no connection made): the request surely did
    /// not arrive.
    #[error("Google Calendar could not be reached: {0}")]
    NotSent(String),
}

impl UserFacing for CalendarError {
    fn code(&self) -> ErrorCode {
        match self {
            CalendarError::Invalid(v) => v.code(),
            CalendarError::BadTime { .. } => ErrorCode::CalendarBadTime,
            CalendarError::EndBeforeStart => ErrorCode::CalendarEndBeforeStart,
            CalendarError::NotConnected => ErrorCode::CalendarNotConnected,
            CalendarError::Refused(_) => ErrorCode::CalendarRefused,
            CalendarError::NotFound(_) => ErrorCode::CalendarNotFound,
            CalendarError::OAuth(o) => o.code(),
            CalendarError::Meeting(m) => m.code(),
            CalendarError::NotSent(_) => ErrorCode::OauthUnreachable,
        }
    }
    fn hint(&self) -> Option<String> {
        match self {
            CalendarError::Invalid(v) => v.hint(),
            CalendarError::BadTime { .. } => Some("Write it as 2026-12-10T14:30.".into()),
            CalendarError::EndBeforeStart => Some("Set the end after the start.".into()),
            CalendarError::NotConnected => Some(
                "Connect your Google account for the calendar (`ulak calendar connect`).".into(),
            ),
            CalendarError::Refused(_) => Some("Check the event's fields and try again.".into()),
            CalendarError::NotFound(_) => {
                Some("It may have been deleted in Google Calendar.".into())
            }
            CalendarError::OAuth(o) => o.hint(),
            CalendarError::Meeting(m) => m.hint(),
            CalendarError::NotSent(_) => {
                Some("Check the internet connection; a firewall may block Google.".into())
            }
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            CalendarError::Invalid(v) => v.field(),
            CalendarError::BadTime { field } => Some(field),
            CalendarError::EndBeforeStart => Some("end"),
            _ => None,
        }
    }
    fn detail(&self) -> Option<String> {
        match self {
            CalendarError::OAuth(o) => o.detail(),
            CalendarError::Meeting(m) => m.detail(),
            _ => None,
        }
    }
}

/// A local date and time as typed: `2026-12-10T14:30`, with seconds, or with a space.
fn time(field: &'static str, s: &str) -> Result<NaiveDateTime, CalendarError> {
    let s = s.trim();
    [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    .ok_or(CalendarError::BadTime { field })
}

/// Every rule, before any call.
pub fn check(input: &EventInput) -> Result<Checked, CalendarError> {
    let title = validate::text("title", &input.title, LIMITS.event_title, true)?;
    // A description may have line breaks; only its length is limited.
    if input.description.chars().count() > LIMITS.notes {
        return Err(ValidationError::TooLong {
            field: "description",
            max: LIMITS.notes,
        }
        .into());
    }
    let location = validate::text("location", &input.location, LIMITS.event_location, false)?;
    if input.start.trim().is_empty() {
        return Err(ValidationError::Required { field: "start" }.into());
    }
    let start = time("start", &input.start)?;
    let end = if input.end.trim().is_empty() {
        let minutes = input
            .duration_minutes
            .map(i64::from)
            .unwrap_or(DEFAULT_MINUTES);
        if !(1..=24 * 60 * 14).contains(&minutes) {
            return Err(ValidationError::Range {
                field: "durationMinutes",
                min: 1,
                max: 24 * 60 * 14,
            }
            .into());
        }
        start + TimeDelta::minutes(minutes)
    } else {
        time("end", &input.end)?
    };
    if end <= start {
        return Err(CalendarError::EndBeforeStart);
    }
    let zone = input.time_zone.trim();
    let time_zone = if zone.is_empty() {
        DEFAULT_TIME_ZONE.to_string()
    } else if zone.len() <= 64
        && zone
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/_+-".contains(c))
    {
        zone.to_string()
    } else {
        return Err(ValidationError::Choice {
            field: "timeZone",
            options: vec![DEFAULT_TIME_ZONE.into(), "UTC".into()],
        }
        .into());
    };
    let mut attendees: Vec<String> = Vec::new();
    for a in &input.attendees {
        let a = validate::email("attendees", a, true)?;
        if !attendees.iter().any(|x| x.eq_ignore_ascii_case(&a)) {
            attendees.push(a);
        }
    }
    if attendees.len() > MAX_ATTENDEES {
        return Err(ValidationError::Range {
            field: "attendees",
            min: 0,
            max: MAX_ATTENDEES as u64,
        }
        .into());
    }
    let mut reminders = input.reminders.clone();
    reminders.sort_unstable();
    reminders.dedup();
    if reminders.len() > MAX_REMINDERS || reminders.iter().any(|m| *m > MAX_REMINDER_MINUTES) {
        return Err(ValidationError::Range {
            field: "reminders",
            min: 0,
            max: u64::from(MAX_REMINDER_MINUTES),
        }
        .into());
    }
    Ok(Checked {
        title,
        description: input.description.trim().to_string(),
        location,
        start,
        end,
        time_zone,
        attendees,
        reminders,
        meeting: input.meeting,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> EventInput {
        EventInput {
            title: "Öztürk Gıda — teklif görüşmesi".into(),
            start: "2026-12-10T14:30".into(),
            attendees: vec![
                "isil@öztürkgıda.com.tr".into(),
                "ISIL@öztürkgıda.com.tr".into(),
            ],
            reminders: vec![30, 10, 30],
            ..Default::default()
        }
    }

    #[test]
    fn an_hour_from_the_start_in_istanbul_by_default() {
        let c = check(&input()).unwrap();
        assert_eq!(c.end - c.start, TimeDelta::minutes(60));
        assert_eq!(c.time_zone, "Europe/Istanbul");
        assert_eq!(c.attendees.len(), 1);
        assert_eq!(c.reminders, vec![10, 30]);
    }

    #[test]
    fn bad_input_is_named() {
        let code = |i: EventInput| check(&i).unwrap_err().code().as_str();
        assert_eq!(
            code(EventInput {
                title: "a\r\nBcc: x".into(),
                ..input()
            }),
            "validation.control_chars"
        );
        assert_eq!(
            code(EventInput {
                start: "yarın".into(),
                ..input()
            }),
            "calendar.bad_time"
        );
        assert_eq!(
            code(EventInput {
                end: "2026-12-10T14:00".into(),
                ..input()
            }),
            "calendar.end_before_start"
        );
        assert_eq!(
            code(EventInput {
                attendees: vec!["kimse".into()],
                ..input()
            }),
            "validation.email"
        );
        assert_eq!(
            code(EventInput {
                reminders: vec![1, 2, 3, 4, 5, 6],
                ..input()
            }),
            "validation.range"
        );
        assert_eq!(
            code(EventInput {
                time_zone: "Europe/Ist anbul".into(),
                ..input()
            }),
            "validation.choice"
        );
        assert_eq!(
            code(EventInput {
                title: " ".into(),
                ..input()
            }),
            "validation.required"
        );
    }
}
