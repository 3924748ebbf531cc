//! "Takvime Ekle": events in the salesperson's Google Calendar, filled in from a
//! company or contact, or from a CRM record (deal, quote, invoice, meeting, task)
//! handed over as JSON (`ulak calendar add --from-record FILE`). The calendar's Google
//! connection is the workspace's most recent one granted `calendar.events`. An event
//! may ask for a meeting: Google Meet (Google makes it with the event), Zoom (through
//! the workspace's Zoom integration) or Microsoft Teams (through Graph with the user's
//! Microsoft sign-in) — those two made first, their link written into the event, and
//! deleted again when the calendar refuses the event.

use chrono::{Datelike, TimeZone};
use serde::Deserialize;
use sqlx::SqlitePool;
use ulak_channels::calendar::google::{self, Answer};
use ulak_channels::calendar::{self, CalendarError, Event, EventInput};
use ulak_channels::integrations::{self, Integration};
use ulak_channels::meeting::teams;
use ulak_channels::meeting::zoom::{self, Zoom};
use ulak_channels::meeting::{MeetingError, MeetingKind, MeetingLink};
use ulak_channels::oauth::{self, connections, Provider};
use ulak_channels::provider::ClientError;
use ulak_core::settings::{self, Language};
use ulak_core::validate::ValidationError;
use ulak_core::words;

/// The Google connection "Takvime Ekle" uses: the latest active one that may write
/// events.
pub async fn connection(
    pool: &SqlitePool,
    workspace_id: i64,
) -> Result<connections::Connection, CalendarError> {
    connections::granted(pool, workspace_id, Provider::Google, calendar::SCOPE)
        .await?
        .ok_or(CalendarError::NotConnected)
}

/// The connection the calendar uses; None when none is connected for it.
pub async fn status(
    pool: &SqlitePool,
    workspace_id: i64,
) -> Result<Option<connections::Connection>, CalendarError> {
    match connection(pool, workspace_id).await {
        Ok(c) => Ok(Some(c)),
        Err(CalendarError::NotConnected) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Runs one Calendar call with the connection's token; a token Google refuses (401)
/// is refreshed and the call made once more.
async fn with_token<T, F, Fut>(
    pool: &SqlitePool,
    workspace_id: i64,
    call: F,
) -> Result<T, CalendarError>
where
    F: Fn(reqwest::Client, String, secrecy::SecretString) -> Fut,
    Fut: std::future::Future<Output = Result<Answer<T>, CalendarError>>,
{
    let c = connection(pool, workspace_id).await?;
    with_connection(pool, workspace_id, &c, call).await
}

/// Runs one call with `c`'s token against its provider's API; a token refused (401)
/// is refreshed and the call made once more.
async fn with_connection<T, F, Fut>(
    pool: &SqlitePool,
    workspace_id: i64,
    c: &connections::Connection,
    call: F,
) -> Result<T, CalendarError>
where
    F: Fn(reqwest::Client, String, secrecy::SecretString) -> Fut,
    Fut: std::future::Future<Output = Result<Answer<T>, CalendarError>>,
{
    let base = oauth::app(pool, c.provider).await?.api_base;
    let client = google::client();
    for attempt in 0..2 {
        let token = connections::access_token(pool, workspace_id, c.id).await?;
        match call(client.clone(), base.clone(), token).await? {
            Answer::Done(v) => return Ok(v),
            Answer::TokenRefused if attempt == 0 => {
                connections::expire(pool, workspace_id, c.id).await?;
            }
            Answer::TokenRefused => break,
        }
    }
    Err(CalendarError::OAuth(oauth::OAuthError::Reconnect {
        address: c.address.clone(),
    }))
}

/// The Microsoft connection Teams meetings are made with: the latest one granted
/// Graph's onlineMeetings; None when none is.
pub async fn teams_connection(
    pool: &SqlitePool,
    workspace_id: i64,
) -> Result<Option<connections::Connection>, CalendarError> {
    Ok(connections::granted(pool, workspace_id, Provider::Microsoft, teams::SCOPE).await?)
}

/// The workspace's Zoom integration and its client; `meeting.not_connected` when Zoom
/// is not set up (or switched off) on Entegrasyonlar › Toplantı.
pub async fn zoom(
    pool: &SqlitePool,
    workspace_id: i64,
) -> Result<(Integration, Zoom), CalendarError> {
    let i = integrations::get(
        pool,
        workspace_id,
        ulak_outbox::Channel::Meeting,
        zoom::PROVIDER,
    )
    .await
    .map_err(|e| MeetingError::Setup(e.to_string()))?
    .filter(|i| i.active)
    .ok_or(MeetingError::NotConnected(MeetingKind::Zoom))?;
    let client = Zoom::for_integration(pool, &i).await.map_err(|e| match e {
        ClientError::Setup(s) => MeetingError::Setup(s),
        other => MeetingError::Setup(other.to_string()),
    })?;
    Ok((i, client))
}

/// The lines a Zoom or Teams meeting adds to the event's description, in the app's
/// language.
fn meeting_lines(lang: Language, link: &MeetingLink) -> Vec<String> {
    let key = match link.kind {
        MeetingKind::Teams => "calendar.teams.link",
        _ => "calendar.zoom.link",
    };
    let mut lines = vec![words::text(lang, key, &[("url", &link.url)])];
    if let Some(id) = &link.id {
        lines.push(words::text(lang, "calendar.zoom.id", &[("id", id)]));
    }
    if let Some(p) = &link.passcode {
        lines.push(words::text(
            lang,
            "calendar.zoom.passcode",
            &[("passcode", p)],
        ));
    }
    lines
}

/// A meeting made for an event before the event itself: how to undo it.
enum Made {
    Zoom(Zoom, MeetingLink),
    Teams(connections::Connection, MeetingLink),
}

impl Made {
    fn link(&self) -> &MeetingLink {
        match self {
            Made::Zoom(_, l) | Made::Teams(_, l) => l,
        }
    }

    /// Deletes the meeting (its event was not made); a failure is only logged.
    async fn undo(&self, pool: &SqlitePool, workspace_id: i64) {
        let Some(id) = self.link().service_id.clone() else {
            return;
        };
        let done = match self {
            Made::Zoom(client, _) => client.delete(&id).await.map_err(|f| f.text),
            Made::Teams(c, _) => with_connection(pool, workspace_id, c, |client, base, token| {
                let id = id.clone();
                async move {
                    teams::delete(&client, &base, &token, &id)
                        .await
                        .map(Answer::Done)
                        .map_err(|f| MeetingError::Failed(f).into())
                }
            })
            .await
            .map_err(|e| e.to_string()),
        };
        if let Err(e) = done {
            tracing::warn!(
                workspace_id,
                "a meeting without its event was not deleted: {e}"
            );
        }
    }
}

/// Makes the event's Zoom or Teams meeting (None for none and for Meet, which Google
/// makes with the event). Zoom's answer is its integration's status too.
async fn make_meeting(
    pool: &SqlitePool,
    workspace_id: i64,
    checked: &calendar::Checked,
) -> Result<Option<Made>, CalendarError> {
    match checked.meeting {
        MeetingKind::Zoom => {
            let (i, client) = zoom(pool, workspace_id).await?;
            let outcome = client.create(&checked.meeting_request()).await;
            if let Err(e) =
                integrations::record(pool, workspace_id, i.id, outcome.as_ref().map(|_| ())).await
            {
                tracing::warn!(integration_id = i.id, "zoom's status not recorded: {e}");
            }
            let link = outcome.map_err(MeetingError::Failed)?;
            Ok(Some(Made::Zoom(client, link)))
        }
        MeetingKind::Teams => {
            let c = teams_connection(pool, workspace_id)
                .await?
                .ok_or(MeetingError::NotConnected(MeetingKind::Teams))?;
            let request = checked.meeting_request();
            let link = with_connection(pool, workspace_id, &c, |client, base, token| {
                let request = request.clone();
                async move {
                    teams::create(&client, &base, &token, &request)
                        .await
                        .map_err(|f| MeetingError::Failed(f).into())
                }
            })
            .await?;
            Ok(Some(Made::Teams(c, link)))
        }
        MeetingKind::None | MeetingKind::Meet => Ok(None),
    }
}

/// Checks `input` and creates the event (inviting its attendees); answers it with its
/// link and its meeting's, when it asked for one. A Zoom or Teams meeting is made once
/// the calendar is known to be connected, and deleted again when the event is not
/// made, so nothing is left behind.
pub async fn add(
    pool: &SqlitePool,
    workspace_id: i64,
    input: &EventInput,
) -> Result<Event, CalendarError> {
    let mut checked = calendar::check(input)?;
    // The calendar must be able to take the event before any meeting is made for it.
    let cal = connection(pool, workspace_id).await?;
    if cal.status != connections::ConnectionStatus::Active {
        return Err(CalendarError::OAuth(oauth::OAuthError::Reconnect {
            address: cal.address,
        }));
    }
    let made = make_meeting(pool, workspace_id, &checked).await?;
    if let Some(m) = &made {
        let lang = settings::language(pool).await.unwrap_or(Language::Tr);
        checked = checked.with_meeting(m.link(), &meeting_lines(lang, m.link()));
    }
    let inserted = with_token(pool, workspace_id, |client, base, token| {
        let checked = checked.clone();
        async move { google::insert(&client, &base, &token, &checked).await }
    })
    .await;
    let mut e = match inserted {
        Ok(e) => e,
        Err(err) => {
            // Undone only when the calendar surely made no event: after a lost answer
            // Google may have made it and invited everyone with the meeting's link.
            let surely_not_made = matches!(
                err,
                CalendarError::Invalid(_)
                    | CalendarError::Refused(_)
                    | CalendarError::NotConnected
                    | CalendarError::NotSent(_)
                    | CalendarError::OAuth(oauth::OAuthError::Reconnect { .. })
            );
            match &made {
                Some(m) if surely_not_made => m.undo(pool, workspace_id).await,
                Some(m) => tracing::warn!(
                    workspace_id,
                    meeting = m.link().kind.as_str(),
                    "the calendar's answer was lost: the meeting is kept, the event may exist"
                ),
                None => {}
            }
            return Err(err);
        }
    };
    if let Some(m) = made {
        e.meeting = Some(m.link().clone());
    }
    tracing::info!(
        workspace_id,
        meeting = e
            .meeting
            .as_ref()
            .map(|m| m.kind.as_str())
            .unwrap_or("none"),
        "calendar event created"
    );
    Ok(e)
}

/// The events of the next `days` days (from now).
pub async fn upcoming(
    pool: &SqlitePool,
    workspace_id: i64,
    days: u32,
) -> Result<Vec<Event>, CalendarError> {
    let now = chrono::Utc::now();
    let from = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let to = (now + chrono::Duration::days(i64::from(days.clamp(1, 366))))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    with_token(pool, workspace_id, |client, base, token| {
        let (from, to) = (from.clone(), to.clone());
        async move { google::list(&client, &base, &token, &from, &to).await }
    })
    .await
}

pub async fn delete(pool: &SqlitePool, workspace_id: i64, id: &str) -> Result<(), CalendarError> {
    with_token(pool, workspace_id, |client, base, token| async move {
        google::delete(&client, &base, &token, id).await
    })
    .await?;
    tracing::info!(workspace_id, "calendar event deleted");
    Ok(())
}

/// Tomorrow at 10:00 here: where a new event starts unless the user says otherwise.
fn tomorrow_ten() -> String {
    let t = chrono::Local::now() + chrono::Duration::days(1);
    chrono::Local
        .with_ymd_and_hms(t.year(), t.month(), t.day(), 10, 0, 0)
        .single()
        .map(|d| d.format("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default()
}

/// "Takvime Ekle" on a company (and one of its contacts): the event's fields filled in
/// — a title naming them, tomorrow at 10:00 for an hour, the contact invited, a
/// reminder half an hour before.
pub async fn prefill(
    pool: &SqlitePool,
    workspace_id: i64,
    company_id: i64,
    contact_id: Option<i64>,
) -> Result<EventInput, ulak_crm::CrmError> {
    let lang = settings::language(pool).await.unwrap_or(Language::Tr);
    let company = ulak_crm::companies::get(pool, workspace_id, company_id).await?;
    let contact = match contact_id {
        Some(id) => Some(ulak_crm::contacts::get(pool, workspace_id, id).await?),
        None => None,
    };
    let title = match &contact {
        Some(c) => words::text(
            lang,
            "calendar.meetingWithContact",
            &[("company", &company.name), ("contact", &c.name)],
        ),
        None => words::text(lang, "calendar.meetingWith", &[("company", &company.name)]),
    };
    Ok(EventInput {
        title,
        start: tomorrow_ten(),
        duration_minutes: Some(60),
        time_zone: calendar::DEFAULT_TIME_ZONE.into(),
        attendees: contact
            .iter()
            .map(|c| c.email.clone())
            .filter(|e| !e.is_empty())
            .collect(),
        reminders: vec![30],
        ..Default::default()
    })
}

/// A CRM record as the CRM hands it over (`ulak calendar add --from-record FILE`).
/// `type` says what it is; the rest is optional and read as it applies:
/// `{"type": "deal"|"quote"|"invoice"|"meeting"|"task", "title", "number", "start",
/// "end", "due" (a date or date-time: quotes' validity, invoices' due date, tasks),
/// "durationMinutes", "location", "description", "amount", "url",
/// "company": {"name"}, "contact": {"name", "email"}, "attendees": [emails],
/// "reminders": [minutes], "meet": bool (Google Meet), "meeting": "meet"|"zoom"|"teams"|"none",
/// "timeZone"}`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Record {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub number: String,
    pub start: String,
    pub end: String,
    pub due: String,
    pub duration_minutes: Option<u32>,
    pub location: String,
    pub description: String,
    pub amount: String,
    pub url: String,
    pub company: Party,
    pub contact: Party,
    pub attendees: Vec<String>,
    pub reminders: Option<Vec<u32>>,
    pub meet: bool,
    pub meeting: String,
    pub time_zone: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Party {
    pub name: String,
    pub email: String,
}

const KINDS: [&str; 5] = ["deal", "quote", "invoice", "meeting", "task"];

/// The event a CRM record asks for, in the app's language: deadlines (quotes,
/// invoices, tasks) as a half-hour slot at 09:00 on their day unless timed.
pub fn from_record(json: &str, lang: Language) -> Result<EventInput, CalendarError> {
    let r: Record = serde_json::from_str(json).map_err(|_| {
        CalendarError::Invalid(ValidationError::Choice {
            field: "record",
            options: vec!["a JSON object with \"type\"".into()],
        })
    })?;
    let kind = r.kind.trim().to_lowercase();
    if !KINDS.contains(&kind.as_str()) {
        return Err(ValidationError::Choice {
            field: "type",
            options: KINDS.iter().map(|k| k.to_string()).collect(),
        }
        .into());
    }
    let named = |key: &str| {
        words::text(
            lang,
            &format!("calendar.record.{kind}.{key}"),
            &[
                ("title", r.title.trim()),
                ("number", r.number.trim()),
                ("company", r.company.name.trim()),
            ],
        )
    };
    let title = if r.title.trim().is_empty() && r.number.trim().is_empty() {
        named("untitled")
    } else {
        named("title")
    };
    // A record without a company or number leaves a dangling dash or double space.
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let title = title.trim_end_matches('—').trim().to_string();
    let when = if !r.start.trim().is_empty() {
        r.start.trim().to_string()
    } else if r.due.trim().len() == 10 {
        format!("{}T09:00", r.due.trim())
    } else {
        r.due.trim().to_string()
    };
    let deadline =
        r.start.trim().is_empty() && matches!(kind.as_str(), "quote" | "invoice" | "task");
    let mut description = r.description.trim().to_string();
    for (key, value) in [("amount", &r.amount), ("link", &r.url)] {
        if !value.trim().is_empty() {
            if !description.is_empty() {
                description.push('\n');
            }
            description.push_str(&words::text(
                lang,
                &format!("calendar.record.{key}"),
                &[("value", value.trim())],
            ));
        }
    }
    let meeting = match r.meeting.trim() {
        "" if r.meet => MeetingKind::Meet,
        "" => MeetingKind::None,
        m => MeetingKind::parse(m).ok_or_else(|| ValidationError::Choice {
            field: "meeting",
            options: vec!["none".into(), "meet".into(), "zoom".into(), "teams".into()],
        })?,
    };
    let mut attendees = r.attendees.clone();
    if !r.contact.email.trim().is_empty() {
        attendees.insert(0, r.contact.email.trim().to_string());
    }
    Ok(EventInput {
        title,
        description,
        location: r.location.trim().to_string(),
        start: when,
        end: r.end.trim().to_string(),
        duration_minutes: r
            .duration_minutes
            .or(if deadline { Some(30) } else { Some(60) }),
        time_zone: r.time_zone.trim().to_string(),
        attendees,
        reminders: r
            .reminders
            .unwrap_or_else(|| if deadline { vec![24 * 60] } else { vec![30] }),
        meeting,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_become_events_in_turkish() {
        let quote = from_record(
            r#"{"type":"quote","number":"TKL-2026-014","due":"2026-12-20","company":{"name":"Öztürk Gıda"},
                "contact":{"name":"Işıl","email":"isil@ozturkgida.com.tr"},"amount":"12.500 TL","url":"https://crm.example/q/14"}"#,
            Language::Tr,
        )
        .unwrap();
        assert_eq!(quote.title, "Teklif TKL-2026-014 geçerliliği — Öztürk Gıda");
        assert_eq!(quote.start, "2026-12-20T09:00");
        assert_eq!(quote.duration_minutes, Some(30));
        assert_eq!(quote.attendees, vec!["isil@ozturkgida.com.tr"]);
        assert_eq!(quote.reminders, vec![1440]);
        assert!(
            quote.description.contains("Tutar: 12.500 TL"),
            "{}",
            quote.description
        );
        let c = calendar::check(&quote).unwrap();
        assert_eq!(c.time_zone, "Europe/Istanbul");

        let meeting = from_record(
            r#"{"type":"meeting","title":"Yıllık sözleşme","start":"2026-12-11T15:00","meet":true}"#,
            Language::En,
        )
        .unwrap();
        assert_eq!(meeting.title, "Yıllık sözleşme");
        assert_eq!(meeting.meeting, MeetingKind::Meet);
        let zoom = from_record(
            r#"{"type":"meeting","title":"Demo","start":"2026-12-11T15:00","meeting":"Zoom"}"#,
            Language::Tr,
        )
        .unwrap();
        assert_eq!(zoom.meeting, MeetingKind::Zoom);
        let e = from_record(
            r#"{"type":"meeting","title":"Demo","start":"2026-12-11T15:00","meeting":"skype"}"#,
            Language::Tr,
        )
        .unwrap_err();
        assert_eq!(ulak_core::UserFacing::field(&e), Some("meeting"));
        assert_eq!(meeting.reminders, vec![30]);

        let e = from_record(r#"{"type":"lunch"}"#, Language::Tr).unwrap_err();
        assert_eq!(ulak_core::UserFacing::code(&e), "validation.choice");
        let e = from_record("not json", Language::Tr).unwrap_err();
        assert_eq!(ulak_core::UserFacing::code(&e), "validation.choice");
    }
}
