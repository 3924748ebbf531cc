//! `ulak event emit` and `ulak automations`: CRM events from a script or a CRM on this
//! computer, and the rules that act on them (the seeds' four ready-made, off until
//! turned on). The same events also enter through `POST /events` on the receiver's
//! port (`ulak inbound serve`, or the window while open) with `ulak event token`.

use clap::Subcommand;
use sqlx::SqlitePool;
use ulak_api::automations::{self, Source};
use ulak_core::ErrorPayload;
use ulak_crm::automations::AutomationInput;

use crate::{payload, print_json};

#[derive(Subcommand)]
pub enum EventCmd {
    /// Take a CRM event now: every enabled rule following its type runs (its messages
    /// are queued; `ulak outbox drain` sends them)
    Emit {
        /// deal.created, quote.sent, meeting.scheduled or invoice.paid
        #[arg(value_name = "TYPE")]
        kind: String,
        /// The event as JSON: {"id", "data": {…}} or only its data ({"title", "number",
        /// "start", "company": {"name"}, "contact": {"name", "email", "phone"}})
        #[arg(long, value_name = "FILE")]
        json: std::path::PathBuf,
        /// Print what ran as JSON
        #[arg(long = "print-json")]
        print_json: bool,
    },
    /// The token a CRM sends events with: `Authorization: Bearer TOKEN` on `POST
    /// http://127.0.0.1:PORT/events`
    Token {
        /// Make a new one (the old one stops working)
        #[arg(long)]
        rotate: bool,
    },
}

#[derive(Subcommand)]
pub enum AutomationsCmd {
    /// The rules, whether each is on, and their last runs
    List {
        #[arg(long)]
        json: bool,
    },
    /// Turn a rule on
    Enable { id: i64 },
    /// Turn a rule off
    Disable { id: i64 },
    /// Change a rule: {"name", "event", "actions": [{"kind": "email", "template",
    /// "accountId"} | {"kind": "sms", "provider", "text"} | {"kind": "whatsapp",
    /// "provider", "template", "language", "params", "beforeMinutes"} | {"kind":
    /// "sheetRow", "spreadsheet", "sheet"}]}
    Set {
        id: i64,
        #[arg(long, value_name = "FILE")]
        json: std::path::PathBuf,
    },
    /// Add a rule (off), written as for `set`
    Add {
        #[arg(long, value_name = "FILE")]
        json: std::path::PathBuf,
    },
}

fn read(path: &std::path::Path) -> Result<String, ErrorPayload> {
    std::fs::read_to_string(path).map_err(|e| {
        payload(&automations::AutomationError::BadJson(format!(
            "{}: {}",
            path.display(),
            e.kind()
        )))
    })
}

fn rule(path: &std::path::Path) -> Result<AutomationInput, ErrorPayload> {
    serde_json::from_str(&read(path)?).map_err(|e| {
        payload(&automations::AutomationError::BadJson(format!(
            "line {}, column {}",
            e.line(),
            e.column()
        )))
    })
}

pub async fn run_event(pool: &SqlitePool, ws: i64, cmd: EventCmd) -> Result<(), ErrorPayload> {
    match cmd {
        EventCmd::Emit {
            kind,
            json,
            print_json: as_json,
        } => {
            let text = read(&json)?;
            // The file is the whole event, or only its data.
            let mut v: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
                payload(&automations::AutomationError::BadJson(format!(
                    "line {}, column {}",
                    e.line(),
                    e.column()
                )))
            })?;
            let whole = v.get("data").is_some() || v.get("type").is_some();
            if !whole {
                v = serde_json::json!({ "data": v });
            }
            match v.get("type").and_then(|t| t.as_str()) {
                Some(t) if t != kind => {
                    return Err(payload(&automations::AutomationError::BadJson(format!(
                        "the file's type is {t}, not {kind}"
                    ))))
                }
                _ => v["type"] = serde_json::Value::String(kind),
            }
            let e = automations::emit(pool, ws, &v.to_string(), Source::Cli, chrono::Utc::now())
                .await
                .map_err(|e| payload(&e))?;
            if as_json {
                print_json(&e);
            } else {
                if e.duplicate {
                    println!("event {} was taken before: nothing ran again", e.event_id);
                }
                if e.runs.is_empty() && !e.duplicate {
                    println!("event {}: no enabled rule follows it", e.event_id);
                }
                for r in &e.runs {
                    println!("{} — {}", r.name, r.run.outcome);
                    for a in &r.run.actions {
                        match &a.code {
                            None => println!("  {}: queued {:?}", a.kind, a.message_ids),
                            Some(c) => println!("  {}: not run [{c}]", a.kind),
                        }
                    }
                }
            }
        }
        EventCmd::Token { rotate } => {
            let t = automations::event_token(pool, ws, rotate)
                .await
                .map_err(|e| payload(&e))?;
            println!("{t}");
        }
    }
    Ok(())
}

pub async fn run(pool: &SqlitePool, ws: i64, cmd: AutomationsCmd) -> Result<(), ErrorPayload> {
    match cmd {
        AutomationsCmd::List { json } => {
            let list = automations::list(pool, ws).await.map_err(|e| payload(&e))?;
            if json {
                print_json(&list);
            } else {
                for a in list {
                    println!(
                        "{}  [{}]  {}  (when {})",
                        a.id,
                        if a.enabled { "on" } else { "off" },
                        a.name,
                        a.event
                    );
                    for r in a.last_runs {
                        println!("     {}  {}  {}", r.ran_at, r.outcome, r.event_id);
                    }
                }
            }
        }
        AutomationsCmd::Enable { id } | AutomationsCmd::Disable { id } => {
            let on = matches!(cmd, AutomationsCmd::Enable { .. });
            let a = automations::set_enabled(pool, ws, id, on)
                .await
                .map_err(|e| payload(&e))?;
            println!("{} is {}", a.name, if a.enabled { "on" } else { "off" });
        }
        AutomationsCmd::Set { id, json } => {
            let a = automations::save(pool, ws, Some(id), &rule(&json)?)
                .await
                .map_err(|e| payload(&e))?;
            println!("{}", a.id);
        }
        AutomationsCmd::Add { json } => {
            let a = automations::save(pool, ws, None, &rule(&json)?)
                .await
                .map_err(|e| payload(&e))?;
            println!("{}", a.id);
        }
    }
    Ok(())
}
