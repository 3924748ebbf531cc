//! `ulak calendar`: Google Calendar events ("Takvime Ekle") — connect the calendar,
//! add an event (by hand, from a company/contact, or from a CRM record as JSON), list
//! the coming ones, delete one.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use sqlx::SqlitePool;
use ulak_api::calendar;
use ulak_api::oauth::Purpose;
use ulak_channels::calendar::{Event, EventInput};
use ulak_channels::meeting::MeetingKind;
use ulak_core::{settings, ErrorPayload};

use crate::{payload, print_json};

#[derive(Subcommand)]
pub enum CalendarCmd {
    /// Sign in with Google for the calendar (the same account keeps sending mail)
    Connect {
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        no_browser: bool,
    },
    /// Sign in with Microsoft (a work or school account) for Teams meetings
    ConnectTeams {
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        no_browser: bool,
    },
    /// Create an event (attendees are invited by Google)
    Add(Box<AddArgs>),
    /// The events of the coming days
    List {
        #[arg(long, default_value_t = 7)]
        days: u32,
        #[arg(long)]
        json: bool,
    },
    /// Delete an event (attendees are told)
    Delete { id: String },
}

#[derive(Args)]
pub struct AddArgs {
    /// A CRM record as JSON (deal, quote, invoice, meeting, task; see the README)
    #[arg(long, conflicts_with_all = ["company", "title"])]
    from_record: Option<PathBuf>,
    /// Fill in from a customer company (by id or name), and one of its contacts
    #[arg(long)]
    company: Option<String>,
    #[arg(long, requires = "company")]
    contact: Option<i64>,
    #[arg(long)]
    title: Option<String>,
    /// YYYY-MM-DDTHH:MM in the event's time zone
    #[arg(long)]
    start: Option<String>,
    #[arg(long, conflicts_with = "minutes")]
    end: Option<String>,
    #[arg(long)]
    minutes: Option<u32>,
    #[arg(long)]
    location: Option<String>,
    #[arg(long)]
    description: Option<String>,
    /// Another person to invite (repeat for more)
    #[arg(long)]
    attendee: Vec<String>,
    /// A pop-up reminder this many minutes before (repeat for more; at most 5)
    #[arg(long)]
    reminder: Vec<u32>,
    /// Add a Google Meet link (the same as --meeting meet)
    #[arg(long, conflicts_with = "meeting")]
    meet: bool,
    /// The event's meeting: none, meet (Google Meet), teams (after `ulak calendar
    /// connect-teams`) or zoom (through the Zoom
    /// integration, `ulak integrations set meeting zoom`)
    #[arg(long, value_parser = parse_meeting)]
    meeting: Option<MeetingKind>,
    /// An IANA time zone (default Europe/Istanbul)
    #[arg(long)]
    time_zone: Option<String>,
    #[arg(long)]
    json: bool,
}

fn parse_meeting(s: &str) -> Result<MeetingKind, String> {
    MeetingKind::parse(s).ok_or_else(|| "none, meet, zoom or teams".to_string())
}

fn print_event(e: &Event) {
    println!("{}  {}  {} → {}", e.id, e.title, e.start, e.end);
    println!("  {}", e.html_link);
    if let Some(m) = &e.meeting {
        println!("  {}: {}", m.kind.name(), m.url);
        if let Some(id) = &m.id {
            println!(
                "  ID: {id}{}",
                m.passcode
                    .as_deref()
                    .map(|p| format!("  ({p})"))
                    .unwrap_or_default()
            );
        }
    }
}

async fn input(pool: &SqlitePool, ws: i64, a: &AddArgs) -> Result<EventInput, ErrorPayload> {
    let lang = settings::language(pool)
        .await
        .unwrap_or(settings::Language::Tr);
    let mut i = if let Some(path) = &a.from_record {
        let json = std::fs::read_to_string(path)
            .map_err(|e| payload(&crate::accounts::file_error(path, &e)))?;
        calendar::from_record(&json, lang).map_err(|e| payload(&e))?
    } else if let Some(company) = &a.company {
        let id = crate::outbox::company_id(pool, ws, company).await?;
        calendar::prefill(pool, ws, id, a.contact)
            .await
            .map_err(|e| payload(&e))?
    } else {
        EventInput::default()
    };
    let set = |to: &mut String, v: &Option<String>| {
        if let Some(v) = v {
            *to = v.clone();
        }
    };
    set(&mut i.title, &a.title);
    set(&mut i.start, &a.start);
    set(&mut i.end, &a.end);
    set(&mut i.location, &a.location);
    set(&mut i.description, &a.description);
    set(&mut i.time_zone, &a.time_zone);
    if a.minutes.is_some() {
        i.duration_minutes = a.minutes;
    }
    i.attendees.extend(a.attendee.iter().cloned());
    if !a.reminder.is_empty() {
        i.reminders = a.reminder.clone();
    }
    if a.meet {
        i.meeting = MeetingKind::Meet;
    }
    if let Some(m) = a.meeting {
        i.meeting = m;
    }
    Ok(i)
}

pub async fn run(pool: &SqlitePool, ws: i64, cmd: CalendarCmd) -> Result<(), ErrorPayload> {
    match cmd {
        CalendarCmd::Connect { email, no_browser } => {
            crate::oauth::connect_google(
                pool,
                ws,
                Purpose::Calendar,
                email.as_deref(),
                no_browser,
                "takvim bağlandı / calendar connected",
            )
            .await?;
        }
        CalendarCmd::ConnectTeams { email, no_browser } => {
            crate::oauth::connect_grant(
                pool,
                ws,
                ulak_channels::oauth::Provider::Microsoft,
                Purpose::Teams,
                email.as_deref(),
                no_browser,
                "Teams toplantıları bağlandı / Teams meetings connected",
            )
            .await?;
        }
        CalendarCmd::Add(a) => {
            let i = input(pool, ws, &a).await?;
            let e = calendar::add(pool, ws, &i).await.map_err(|e| payload(&e))?;
            if a.json {
                print_json(&e);
            } else {
                print_event(&e);
            }
        }
        CalendarCmd::List { days, json } => {
            let list = calendar::upcoming(pool, ws, days)
                .await
                .map_err(|e| payload(&e))?;
            if json {
                print_json(&list);
            } else {
                list.iter().for_each(print_event);
            }
        }
        CalendarCmd::Delete { id } => {
            calendar::delete(pool, ws, &id)
                .await
                .map_err(|e| payload(&e))?;
            println!("event {id} deleted");
        }
    }
    Ok(())
}
