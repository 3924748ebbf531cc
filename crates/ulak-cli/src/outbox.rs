//! `ulak send`, `ulak outbox status|drain|pause|resume`, `ulak history` and
//! `ulak templates`: queue a message, send what is due, see what happened.

use std::path::PathBuf;

use base64::Engine as _;
use clap::{Args, Subcommand};
use serde::Serialize;
use sqlx::SqlitePool;
use ulak_api::compose::{self, AttachmentInput, ComposeInput};
use ulak_core::ErrorPayload;
use ulak_outbox::queue::State;
use ulak_outbox::worker;
use ulak_outbox::{history, template};

use crate::{payload, print_json};

#[derive(Args)]
pub struct SendArgs {
    /// The SMTP account to send from (see `ulak accounts list`)
    #[arg(long, conflicts_with = "sandbox", required_unless_present = "sandbox")]
    account: Option<i64>,
    /// Send nothing: write the message into the sandbox ("Test kutusu") as an .eml file
    #[arg(long)]
    sandbox: bool,
    /// The customer company, by id or by name (see `ulak companies list`)
    #[arg(long)]
    company: String,
    #[arg(long, required = true)]
    to: Vec<String>,
    #[arg(long)]
    cc: Vec<String>,
    #[arg(long)]
    bcc: Vec<String>,
    /// The subject; with --template, the template's subject when left out
    #[arg(long, required_unless_present = "template")]
    subject: Option<String>,
    /// A UTF-8 file with the body: HTML when it ends in .html/.htm, plain text otherwise
    #[arg(
        long,
        required_unless_present = "template",
        conflicts_with = "template"
    )]
    body_file: Option<PathBuf>,
    /// A saved template by name (see `ulak templates list`)
    #[arg(long)]
    template: Option<String>,
    /// A file to attach (repeat for more; 25 MB in all)
    #[arg(long)]
    attach: Vec<PathBuf>,
    /// One message per --to address, each filled in for its own contact
    #[arg(long)]
    separate: bool,
    /// With --separate: put the --cc and --bcc addresses into each message (a copy
    /// per contact); without it such a send is refused
    #[arg(long, requires = "separate")]
    copies_each: bool,
    /// Queue at most once under this key (safe to repeat the command)
    #[arg(long)]
    idempotency_key: Option<String>,
    /// Send it later: "2026-12-08 09:00" (this computer's time) or RFC 3339; it waits
    /// queued until then (cancel it with `ulak history --cancel ID`)
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
}

#[derive(Subcommand)]
pub enum OutboxCmd {
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Ask the providers whether sent SMS and WhatsApp messages arrived (Twilio), and
    /// record it in the history (the app does this by itself)
    Delivery {
        #[arg(long)]
        json: bool,
    },
    /// Send what is due; exits when the queue is empty or only waiting messages remain.
    /// Exit status: 0 when nothing failed, 2 when some messages failed (see `ulak
    /// history --state failed`), 1 on an error, 130 after Ctrl-C (the first Ctrl-C
    /// finishes the messages being sent and gives back the rest; a second quits at once)
    Drain {
        #[arg(long)]
        json: bool,
        /// Messages claimed at a time (at most this many can be sent twice after a crash)
        #[arg(long, default_value_t = 20)]
        batch: i64,
        /// Seconds a claim is held before another worker may take it over
        #[arg(long, default_value_t = 120)]
        lease_secs: u64,
        /// Connections per account (messages in flight at once)
        #[arg(long, default_value_t = ulak_channels::email::delivery::DEFAULT_CONNECTIONS)]
        connections: usize,
    },
    /// Stop new send attempts (the app's too); nothing queued is lost
    Pause,
    /// How many queued e-mails each account sends today and on each following day,
    /// within its limits and its campaigns' windows
    Forecast {
        #[arg(long)]
        json: bool,
    },
    /// Start sending again
    Resume,
    /// How long a message that keeps failing (a server down, the network off) is tried
    /// before it is given up: shown, or set with --hours (1 to 720; 120, five days, by
    /// default). Messages are given up by age, never by how many tries they took
    Lifetime {
        #[arg(long)]
        hours: Option<i64>,
    },
    /// How many days the sandbox ("Test kutusu") keeps its files: shown, or set with
    /// --days (30 by default); older files go after the next drain
    SandboxKeep {
        #[arg(long)]
        days: Option<i64>,
    },
}

fn read(path: &std::path::Path) -> Result<Vec<u8>, ErrorPayload> {
    std::fs::read(path).map_err(|e| payload(&crate::accounts::file_error(path, &e)))
}

pub async fn company_id(pool: &SqlitePool, ws: i64, s: &str) -> Result<i64, ErrorPayload> {
    let c = match s.trim().parse::<i64>() {
        Ok(id) => ulak_crm::companies::get(pool, ws, id).await,
        Err(_) => ulak_crm::companies::by_name(pool, ws, s)
            .await
            .and_then(|c| c.ok_or(ulak_crm::CrmError::CompanyNotFound(0))),
    };
    c.map(|c| c.id).map_err(|e| payload(&e))
}

pub async fn send(pool: &SqlitePool, ws: i64, a: SendArgs) -> Result<(), ErrorPayload> {
    let company_id = company_id(pool, ws, &a.company).await?;
    let (subject, html, text) = match (&a.template, &a.body_file) {
        (Some(name), _) => {
            let t = template::by_name(pool, ws, name)
                .await
                .map_err(|e| payload(&e))?;
            (a.subject.unwrap_or(t.subject), Some(t.body_html), None)
        }
        (None, Some(f)) => {
            let body = String::from_utf8(read(f)?).map_err(|_| {
                payload(&crate::accounts::file_error(
                    f,
                    &std::io::Error::new(std::io::ErrorKind::InvalidData, "not UTF-8"),
                ))
            })?;
            let is_html = f
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
            let subject = a.subject.unwrap_or_default();
            if is_html {
                (subject, Some(body), None)
            } else {
                (subject, None, Some(body))
            }
        }
        (None, None) => unreachable!("clap requires --body-file or --template"),
    };
    let mut attachments = Vec::new();
    for f in &a.attach {
        attachments.push(AttachmentInput {
            filename: f
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            content_type: content_type_of(f).to_string(),
            data_base64: base64::engine::general_purpose::STANDARD.encode(read(f)?),
        });
    }
    let input = ComposeInput {
        account_id: if a.sandbox { None } else { a.account },
        company_id: Some(company_id),
        to: a.to,
        cc: a.cc,
        bcc: a.bcc,
        subject,
        html,
        text,
        attachments,
        separate: a.separate,
        copies_each: a.copies_each,
        idempotency_key: a.idempotency_key,
        send_at: a.at,
    };
    let ids = compose::send(pool, ws, &input, chrono::Utc::now())
        .await
        .map_err(|e| payload(&e))?;
    for id in ids {
        println!("{id}");
    }
    Ok(())
}

/// The MIME type of a file by its extension; the receiving client decides the rest.
fn content_type_of(path: &std::path::Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "html" | "htm" => "text/html; charset=utf-8",
        "zip" => "application/zip",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _ => "application/octet-stream",
    }
}

/// Set by the first Ctrl-C during `ulak outbox drain`.
static STOP: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// `ulak outbox drain --json`: the run's report with what it left in the store.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DrainSummary<'a> {
    #[serde(flatten)]
    report: &'a worker::DrainReport,
    left: &'a worker::Left,
    interrupted: bool,
}

/// A stored UTC time as this computer's local time, for a person to read.
pub(crate) fn local_time(t: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(t)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_else(|_| t.to_string())
}

pub async fn run(
    pool: &SqlitePool,
    ws: i64,
    data_dir: PathBuf,
    cmd: OutboxCmd,
) -> Result<(), ErrorPayload> {
    match cmd {
        OutboxCmd::Status { json } => {
            let counts = worker::status(pool, ws).await.map_err(|e| payload(&e))?;
            if json {
                print_json(
                    &counts
                        .into_iter()
                        .collect::<std::collections::BTreeMap<_, _>>(),
                );
            } else {
                for (state, n) in counts {
                    println!("{state:>8}  {n}");
                }
            }
        }
        OutboxCmd::Drain {
            json,
            batch,
            lease_secs,
            connections,
        } => {
            let opts = worker::DrainOptions {
                batch: batch.max(1),
                lease: std::time::Duration::from_secs(lease_secs),
                concurrency: connections.max(1),
                stop: Some(&STOP),
            };
            // A first Ctrl-C finishes the messages being sent, records them and gives
            // back the rest of the claim; a second one exits at once (what was claimed
            // comes back after its lease).
            let signals = tokio::spawn(async {
                if tokio::signal::ctrl_c().await.is_err() {
                    return;
                }
                STOP.store(true, std::sync::atomic::Ordering::SeqCst);
                eprintln!("stopping: finishing the messages being sent and giving back the rest (Ctrl-C again to quit at once)");
                if tokio::signal::ctrl_c().await.is_ok() {
                    eprintln!(
                        "quit: messages still claimed are sent by the next run after their lease"
                    );
                    std::process::exit(130);
                }
            });
            let owner = ulak_api::outbox::cli_owner();
            let r = ulak_api::outbox::drain(pool, &data_dir, &owner, opts, |_, _| {}).await;
            signals.abort();
            let r = r.map_err(|e| payload(&e))?;
            let left = worker::left(pool, &owner, chrono::Utc::now())
                .await
                .map_err(|e| payload(&e))?;
            let stopped = STOP.load(std::sync::atomic::Ordering::SeqCst);
            if json {
                print_json(&DrainSummary {
                    report: &r,
                    left: &left,
                    interrupted: stopped,
                });
            } else {
                println!(
                    "sent {}, failed {}, will retry {}{}{}",
                    r.sent,
                    r.failed,
                    left.retrying,
                    left.next_retry_at
                        .as_deref()
                        .map(|t| format!(" (next try {})", local_time(t)))
                        .unwrap_or_default(),
                    if r.paused { " (sending is paused)" } else { "" }
                );
                if left.scheduled > 0 {
                    println!(
                        "{} scheduled message(s) wait for their time (the first at {})",
                        left.scheduled,
                        left.next_scheduled_at
                            .as_deref()
                            .map(local_time)
                            .unwrap_or_default()
                    );
                }
                if r.skipped > 0 {
                    println!(
                        "skipped {}: a recipient is on the suppression list (see `ulak history --state failed`, `ulak suppress list`)",
                        r.skipped
                    );
                }
                if left.held_elsewhere > 0 {
                    println!(
                        "{} message(s) are held by another sender (the app, another drain, or one that stopped) until {}; if that sender is gone they are sent after that",
                        left.held_elsewhere,
                        left.held_until.as_deref().map(local_time).unwrap_or_default()
                    );
                }
                if stopped {
                    println!("stopped by Ctrl-C: the rest stays queued");
                }
                for url in &r.webhooks_failing {
                    println!("webhook endpoint {url} has not taken events for a day; Ulak stopped trying (see `ulak webhooks list`)");
                }
            }
            if stopped {
                std::process::exit(130);
            }
            if r.failed > 0 {
                return Err(ErrorPayload {
                    code: ulak_core::ErrorCode::OutboxSomeFailed,
                    message: format!("{} message(s) could not be sent", r.failed),
                    hint: Some(
                        "See why with `ulak history --state failed`; retry them once fixed.".into(),
                    ),
                    field: None,
                    fields: Vec::new(),
                    detail: Some(r.failed.to_string()),
                });
            }
        }
        OutboxCmd::Delivery { json } => {
            let r = ulak_api::delivery::refresh(pool, chrono::Utc::now())
                .await
                .map_err(|e| payload(&e))?;
            if json {
                print_json(&r);
            } else {
                println!(
                    "asked {}: {} delivered, {} undelivered, {} not known yet",
                    r.checked, r.delivered, r.undelivered, r.pending
                );
            }
        }
        OutboxCmd::Forecast { json } => {
            let f = ulak_outbox::forecast::forecast(pool, ws, chrono::Utc::now())
                .await
                .map_err(|e| payload(&e))?;
            if json {
                print_json(&f);
            } else {
                let shown = f.days.len().min(7);
                let head: Vec<String> = f.days[..shown]
                    .iter()
                    .map(|d| d.get(5..).unwrap_or(d).to_string())
                    .collect();
                println!("{:<34} {}", "account", head.join("  "));
                for a in &f.accounts {
                    let cells: Vec<String> = a.per_day[..shown]
                        .iter()
                        .map(|n| format!("{n:>5}"))
                        .collect();
                    println!("{:<34} {}", a.label, cells.join(" "));
                }
                for c in &f.campaigns {
                    let cells: Vec<String> = c.per_day[..shown]
                        .iter()
                        .map(|n| format!("{n:>5}"))
                        .collect();
                    println!("{:<34} {}", format!("campaign {}", c.name), cells.join(" "));
                }
                if f.unplaced > 0 {
                    println!(
                        "{} message(s) have no room in the next {} days (accounts off, in error, or full)",
                        f.unplaced,
                        f.days.len()
                    );
                }
            }
        }
        OutboxCmd::Pause => {
            ulak_api::outbox::set_paused(pool, true)
                .await
                .map_err(|e| payload(&e))?;
            println!("sending paused");
        }
        OutboxCmd::Resume => {
            ulak_api::outbox::set_paused(pool, false)
                .await
                .map_err(|e| payload(&e))?;
            println!("sending resumed");
        }
        OutboxCmd::SandboxKeep { days } => {
            if let Some(d) = days {
                ulak_api::outbox::set_sandbox_keep_days(pool, d)
                    .await
                    .map_err(|e| payload(&e))?;
            }
            let d = ulak_api::outbox::sandbox_keep_days(pool)
                .await
                .map_err(|e| payload(&e))?;
            println!("the sandbox keeps its files for {d} days");
        }
        OutboxCmd::Lifetime { hours } => {
            if let Some(h) = hours {
                worker::set_lifetime_hours(pool, h)
                    .await
                    .map_err(|e| payload(&e))?;
            }
            let h = worker::lifetime_hours(pool)
                .await
                .map_err(|e| payload(&e))?;
            println!("a failing message is tried for {h} hours before it is given up");
        }
    }
    Ok(())
}

#[derive(Args)]
pub struct HistoryArgs {
    #[arg(long)]
    json: bool,
    /// Only this company (id or name)
    #[arg(long)]
    company: Option<String>,
    /// Only this channel
    #[arg(long, value_parser = ["email", "sms", "whatsapp", "chat", "webhook"])]
    channel: Option<String>,
    /// Only this state: queued, sending, sent, failed, retry
    #[arg(long)]
    state: Option<String>,
    /// From this day, YYYY-MM-DD
    #[arg(long)]
    since: Option<String>,
    /// To this day, YYYY-MM-DD
    #[arg(long)]
    until: Option<String>,
    #[arg(long, default_value_t = 500)]
    limit: i64,
    /// Print one message exactly as it was sent (its raw .eml)
    #[arg(long, value_name = "ID", conflicts_with = "daily")]
    show: Option<i64>,
    /// Retry one failed message now
    #[arg(long, value_name = "ID", conflicts_with_all = ["show", "daily"])]
    retry: Option<i64>,
    /// Take a queued or waiting message out of the queue before it goes (it stays in
    /// the history as cancelled), whether sending is paused or not
    #[arg(long, value_name = "ID", conflicts_with_all = ["show", "daily", "retry", "delete"])]
    cancel: Option<i64>,
    /// Delete a queued, waiting or failed message with its content (sent ones stay)
    #[arg(long, value_name = "ID", conflicts_with_all = ["show", "daily", "retry"])]
    delete: Option<i64>,
    /// Messages sent and failed per day and account
    #[arg(long)]
    daily: bool,
}

pub async fn history(pool: &SqlitePool, ws: i64, a: HistoryArgs) -> Result<(), ErrorPayload> {
    if let Some(id) = a.show {
        let d = ulak_api::history::detail(pool, ws, id)
            .await
            .map_err(|e| payload(&e))?;
        if a.json {
            print_json(&d);
        } else {
            print!("{}", d.raw);
        }
        return Ok(());
    }
    if let Some(id) = a.retry {
        let e = history::retry(pool, ws, id)
            .await
            .map_err(|e| payload(&e))?;
        println!("message {} queued again", e.id);
        return Ok(());
    }
    if let Some(id) = a.cancel {
        let e = history::cancel(pool, ws, id)
            .await
            .map_err(|e| payload(&e))?;
        println!("message {} cancelled; it will not be sent", e.id);
        return Ok(());
    }
    if let Some(id) = a.delete {
        history::delete(pool, ws, id)
            .await
            .map_err(|e| payload(&e))?;
        println!("message {id} deleted");
        return Ok(());
    }
    if a.daily {
        let days = history::daily(pool, ws, 30)
            .await
            .map_err(|e| payload(&e))?;
        if a.json {
            print_json(&days);
        } else {
            for d in days {
                let account = d.account_email.as_deref().unwrap_or("Test kutusu");
                println!(
                    "{}  {account:<32} sent {:>5}  failed {:>4}",
                    d.day, d.sent, d.failed
                );
            }
        }
        return Ok(());
    }
    let state = match a.state.as_deref() {
        None => None,
        Some(s) => Some(State::try_from(s.to_string()).map_err(|_| ErrorPayload {
            code: ulak_core::ErrorCode::CliBadState,
            message: format!("{s:?} is not a state"),
            hint: Some("Use queued, sending, sent, failed or retry.".into()),
            field: Some("state".into()),
            fields: vec!["state".into()],
            detail: Some(s.to_string()),
        })?),
    };
    let company_id = match &a.company {
        Some(c) => Some(company_id(pool, ws, c).await?),
        None => None,
    };
    let filter = history::Filter {
        company_id,
        channel: a.channel.as_deref().and_then(ulak_outbox::Channel::parse),
        state,
        since: a.since,
        until: a.until,
        limit: Some(a.limit),
        campaign_id: None,
    };
    let rows = history::list(pool, ws, &filter)
        .await
        .map_err(|e| payload(&e))?;
    if a.json {
        print_json(&rows);
    } else {
        for r in rows {
            println!(
                "{:>6}  {:<5}  {:<7}  {}  {:<24}  {:<28}  {}{}",
                r.id,
                r.channel.as_str(),
                r.state.as_str(),
                r.created_at.get(..16).unwrap_or(&r.created_at),
                r.company_name.as_deref().unwrap_or("-"),
                r.to,
                r.subject,
                r.last_error.map(|e| format!("  [{e}]")).unwrap_or_default()
            );
        }
    }
    Ok(())
}

#[derive(Subcommand)]
pub enum TemplatesCmd {
    List {
        #[arg(long)]
        json: bool,
    },
    /// Save a template; subject and body may use {{ company.name }}, {{ contact.first_name }}…
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        subject: String,
        /// An HTML (or plain text) file with the body
        #[arg(long)]
        body_file: PathBuf,
    },
    Remove {
        name: String,
    },
}

pub async fn templates(pool: &SqlitePool, ws: i64, cmd: TemplatesCmd) -> Result<(), ErrorPayload> {
    match cmd {
        TemplatesCmd::List { json } => {
            let list = template::list(pool, ws).await.map_err(|e| payload(&e))?;
            if json {
                print_json(&list);
            } else {
                for t in list {
                    println!("{:>4}  {:<24}  {}", t.id, t.name, t.subject);
                }
            }
        }
        TemplatesCmd::Add {
            name,
            subject,
            body_file,
        } => {
            let body = String::from_utf8_lossy(&read(&body_file)?).into_owned();
            let t = template::create(
                pool,
                ws,
                &template::TemplateInput {
                    name,
                    subject,
                    body_html: body,
                },
            )
            .await
            .map_err(|e| payload(&e))?;
            println!("{}", t.id);
        }
        TemplatesCmd::Remove { name } => {
            let t = template::by_name(pool, ws, &name)
                .await
                .map_err(|e| payload(&e))?;
            template::delete(pool, ws, t.id)
                .await
                .map_err(|e| payload(&e))?;
            println!("template removed");
        }
    }
    Ok(())
}
