//! Video meetings for calendar events (Entegrasyonlar › Toplantı): what a user can
//! choose when adding an event — no meeting, Google Meet (made by Google Calendar with
//! the event, calendar/google.rs), Zoom (zoom.rs) or Microsoft Teams (teams.rs): those
//! two are made first through their own APIs, their link written into the event.

pub mod teams;
pub mod zoom;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use ulak_core::{ErrorCode, UserFacing};
use ulak_outbox::failure::{Failure, Kind};

/// The meeting an event gets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum MeetingKind {
    #[default]
    None,
    /// Google Meet, made by Google Calendar with the event.
    Meet,
    /// Zoom, made through the workspace's Zoom integration.
    Zoom,
    /// Microsoft Teams, made through Microsoft Graph with the user's Microsoft sign-in.
    Teams,
}

impl MeetingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MeetingKind::None => "none",
            MeetingKind::Meet => "meet",
            MeetingKind::Zoom => "zoom",
            MeetingKind::Teams => "teams",
        }
    }

    pub fn parse(s: &str) -> Option<MeetingKind> {
        [
            MeetingKind::None,
            MeetingKind::Meet,
            MeetingKind::Zoom,
            MeetingKind::Teams,
        ]
        .into_iter()
        .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// The service's name as people say it.
    pub fn name(self) -> &'static str {
        match self {
            MeetingKind::None => "",
            MeetingKind::Meet => "Google Meet",
            MeetingKind::Zoom => "Zoom",
            MeetingKind::Teams => "Microsoft Teams",
        }
    }
}

/// Where people join a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MeetingLink {
    pub kind: MeetingKind,
    pub url: String,
    /// The meeting id people type to join (Zoom's number, Teams' join id), when it has
    /// one.
    pub id: Option<String>,
    pub passcode: Option<String>,
    /// The service's own id for the meeting (what deletes it): Zoom's number, Graph's
    /// onlineMeeting id. Never shown.
    #[serde(skip)]
    pub service_id: Option<String>,
}

/// What a meeting is made of: the event's title, description and time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRequest {
    pub topic: String,
    pub agenda: String,
    pub start: NaiveDateTime,
    pub minutes: u32,
    /// An IANA zone name.
    pub time_zone: String,
}

#[derive(Debug, thiserror::Error)]
pub enum MeetingError {
    #[error("{} is not connected on Entegrasyonlar › Toplantı", .0.name())]
    NotConnected(MeetingKind),
    /// The saved settings cannot make a client (a field missing).
    #[error("{0}")]
    Setup(String),
    /// The service answered no, or could not be reached: its own words.
    #[error("{}", .0.text)]
    Failed(Failure),
}

impl UserFacing for MeetingError {
    fn code(&self) -> ErrorCode {
        match self {
            MeetingError::NotConnected(_) => ErrorCode::MeetingNotConnected,
            MeetingError::Setup(_) => ErrorCode::IntegrationIncomplete,
            MeetingError::Failed(f) => match f.kind {
                Kind::SignIn => ErrorCode::MeetingSignIn,
                Kind::Unreachable | Kind::Tls | Kind::RateLimited | Kind::Transient => {
                    ErrorCode::MeetingUnreachable
                }
                _ => ErrorCode::MeetingRefused,
            },
        }
    }
    fn hint(&self) -> Option<String> {
        Some(
            match self {
                MeetingError::NotConnected(_) => {
                    "Connect it on Entegrasyonlar › Toplantı, or choose another meeting."
                }
                MeetingError::Setup(_) => "Fill in what the message names on Entegrasyonlar › Toplantı and save.",
                MeetingError::Failed(f) => match f.kind {
                    Kind::SignIn => "Copy the account ID, client ID and client secret again from the app's page in the Zoom App Marketplace; the app must be activated.",
                    Kind::Unreachable | Kind::Tls => "Check the internet connection; a firewall may block the meeting service.",
                    Kind::RateLimited | Kind::Transient => "The meeting service is busy; try again in a minute.",
                    _ => "The service's answer above says what to change.",
                },
            }
            .into(),
        )
    }
    fn detail(&self) -> Option<String> {
        match self {
            MeetingError::Failed(f) => Some(f.text.clone()),
            MeetingError::Setup(s) => Some(s.clone()),
            MeetingError::NotConnected(k) => Some(k.name().to_string()),
        }
    }
}
