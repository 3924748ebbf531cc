//! `ulak suppress add|remove|list|import|export`: the workspace's suppression list
//! (Engelleme Listesi). Every send reads it when the message is about to go: a listed
//! recipient's message is not sent and the history says why.

use std::path::PathBuf;

use clap::Subcommand;
use sqlx::SqlitePool;
use ulak_api::suppression::{self, Reason};
use ulak_core::ErrorPayload;

use crate::{payload, print_json};

#[derive(Subcommand)]
pub enum SuppressCmd {
    /// Send nothing more to an e-mail address or phone number, on any channel
    Add {
        /// An e-mail address, or a phone number (+90…, or 05… read as Turkish)
        value: String,
        #[arg(long, value_parser = ["unsubscribed", "iys", "bounce", "manual"], default_value = "manual")]
        reason: String,
        #[arg(long, default_value = "")]
        note: String,
        /// When the recipient refused, if earlier than now (YYYY-MM-DD or RFC 3339);
        /// the legal deadlines count from it
        #[arg(long)]
        requested_at: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Take an address or number off the list: it may be sent to again
    Remove { value: String },
    /// The list, newest first, with the deadlines each refusal set
    List {
        #[arg(long)]
        json: bool,
    },
    /// Read a CSV onto the list (columns value,reason,note,requested_at; `,` `;` or tab)
    Import {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Write the list as CSV (to the file, or to standard output)
    Export { file: Option<PathBuf> },
    /// Record unsubscribe requests from campaign mail: the tokens in a text (an
    /// unsubscribe mail as .eml, its subject, the address the recipient opened, or a
    /// list of them) put their recipients on the list as `unsubscribed`
    Unsubscribe {
        /// The text itself
        #[arg(conflicts_with = "file", required_unless_present = "file")]
        text: Option<String>,
        /// A file holding it (an .eml keeps the mail's Date as the refusal's time)
        #[arg(long)]
        file: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Where campaign mail's unsubscribe links point: an https address on your own site
    /// with {token} in it (one-click), and the mailbox unsubscribe mail goes to (by
    /// default the sending account's own). Without flags: show them
    UnsubscribeSettings {
        /// e.g. https://firma.com.tr/abonelik?t={token} (empty: none)
        #[arg(long)]
        url: Option<String>,
        /// e.g. abonelik@firma.com.tr (empty: the sending account)
        #[arg(long)]
        mailto: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

fn reason(s: &str) -> Reason {
    Reason::parse(s).expect("clap checked the value")
}

pub async fn run(pool: &SqlitePool, ws: i64, cmd: SuppressCmd) -> Result<(), ErrorPayload> {
    match cmd {
        SuppressCmd::Add {
            value,
            reason: r,
            note,
            requested_at,
            json,
        } => {
            let a = suppression::add(pool, ws, &value, reason(&r), &note, requested_at.as_deref())
                .await
                .map_err(|e| payload(&e))?;
            if json {
                print_json(&a);
            } else if a.new {
                println!(
                    "{} is on the suppression list ({}); nothing more is sent to it",
                    a.entry.value,
                    a.entry.reason.as_str()
                );
            } else {
                println!(
                    "{} was on the list already ({} since {}); left as it was",
                    a.entry.value,
                    a.entry.reason.as_str(),
                    day(&a.entry.requested_at)
                );
            }
        }
        SuppressCmd::Remove { value } => {
            suppression::remove(pool, ws, &value)
                .await
                .map_err(|e| payload(&e))?;
            println!("{value} is off the suppression list");
        }
        SuppressCmd::List { json } => {
            let list = suppression::list(pool, ws).await.map_err(|e| payload(&e))?;
            if json {
                print_json(&list);
            } else {
                for e in list {
                    println!(
                        "{:<36}  {:<12}  refused {}  TR deadline {}  {}",
                        e.value,
                        e.reason.as_str(),
                        day(&e.requested_at),
                        e.deadline_tr,
                        e.note
                    );
                }
            }
        }
        SuppressCmd::Import { file, json } => {
            let bytes = std::fs::read(&file)
                .map_err(|e| payload(&crate::accounts::file_error(&file, &e)))?;
            let r = suppression::import(pool, ws, &bytes)
                .await
                .map_err(|e| payload(&e))?;
            if json {
                print_json(&r);
            } else {
                println!(
                    "added {}, already listed {}, not taken {}",
                    r.added,
                    r.already,
                    r.rejected.len()
                );
                for x in &r.rejected {
                    println!("  line {}: {:?} ({})", x.line, x.value, x.code);
                }
            }
        }
        SuppressCmd::Export { file } => {
            let csv = suppression::export(pool, ws)
                .await
                .map_err(|e| payload(&e))?;
            match file {
                None => print!("{csv}"),
                Some(f) => {
                    std::fs::write(&f, csv)
                        .map_err(|e| payload(&crate::accounts::write_error(&f, &e)))?;
                    println!("written to {}", f.display());
                }
            }
        }
        SuppressCmd::Unsubscribe { text, file, json } => {
            let text = match (text, file) {
                (Some(t), _) => t,
                (None, Some(f)) => {
                    let bytes = std::fs::read(&f)
                        .map_err(|e| payload(&crate::accounts::file_error(&f, &e)))?;
                    String::from_utf8_lossy(&bytes).into_owned()
                }
                (None, None) => unreachable!("clap requires one"),
            };
            let r = ulak_api::suppression::record_unsubscribes(pool, ws, &text)
                .await
                .map_err(|e| payload(&e))?;
            if json {
                print_json(&r);
            } else {
                for x in &r.recorded {
                    if x.new {
                        println!(
                            "{} unsubscribed (campaign {}); nothing more is sent to it",
                            x.address, x.campaign_id
                        );
                    } else {
                        println!("{} was on the list already", x.address);
                    }
                }
                for t in &r.unknown {
                    println!(
                        "not recorded: {t} was not made by this workspace (altered or cut short?)"
                    );
                }
                if r.recorded.is_empty() && r.unknown.is_empty() {
                    println!("no unsubscribe token found in the text");
                }
            }
        }
        SuppressCmd::UnsubscribeSettings { url, mailto, json } => {
            let mut s = ulak_api::suppression::unsubscribe_settings(pool, ws)
                .await
                .map_err(|e| payload(&e))?;
            if url.is_some() || mailto.is_some() {
                if let Some(u) = url {
                    s.url = u;
                }
                if let Some(m) = mailto {
                    s.mailto = m;
                }
                s = ulak_api::suppression::save_unsubscribe_settings(pool, ws, &s)
                    .await
                    .map_err(|e| payload(&e))?;
            }
            if json {
                print_json(&s);
            } else {
                println!(
                    "url:    {}",
                    if s.url.is_empty() {
                        "(none: no one-click unsubscribe)"
                    } else {
                        &s.url
                    }
                );
                println!(
                    "mailto: {}",
                    if s.mailto.is_empty() {
                        "(the sending account)"
                    } else {
                        &s.mailto
                    }
                );
            }
        }
    }
    Ok(())
}

/// A stored time as this computer's calendar day.
fn day(t: &str) -> String {
    let local = crate::outbox::local_time(t);
    local.get(..10).unwrap_or(&local).to_string()
}
