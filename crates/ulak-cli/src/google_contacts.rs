//! `ulak google-contacts`: connect Google Contacts, see a company's candidates, import
//! them (the same e-mail or phone merged into one contact).

use clap::Subcommand;
use sqlx::SqlitePool;
use ulak_api::google_contacts as api_contacts;
use ulak_api::oauth::Purpose;
use ulak_core::ErrorPayload;

use crate::outbox::company_id;
use crate::{payload, print_json};

#[derive(Subcommand)]
pub enum GoogleContactsCmd {
    /// Sign in with Google to read contacts (read-only)
    Connect {
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        no_browser: bool,
    },
    /// The Google account contacts are read from, if any
    Status {
        #[arg(long)]
        json: bool,
    },
    /// The Google contacts for a company: suggested ones (its name as organization,
    /// its contacts' e-mail domain) first, "known" ones already its contacts
    List {
        /// The company, by id or name
        #[arg(long)]
        company: String,
        #[arg(long)]
        json: bool,
    },
    /// Import into a company: the suggested contacts, every one (--all), or those
    /// with the given e-mail addresses (--email, repeat)
    Import {
        #[arg(long)]
        company: String,
        #[arg(long, conflicts_with = "email")]
        all: bool,
        #[arg(long)]
        email: Vec<String>,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(pool: &SqlitePool, ws: i64, cmd: GoogleContactsCmd) -> Result<(), ErrorPayload> {
    match cmd {
        GoogleContactsCmd::Connect { email, no_browser } => {
            crate::oauth::connect_google(
                pool,
                ws,
                Purpose::Contacts,
                email.as_deref(),
                no_browser,
                "Google Kişiler bağlandı / Google Contacts connected",
            )
            .await?;
        }
        GoogleContactsCmd::Status { json } => {
            let c = api_contacts::status(pool, ws)
                .await
                .map_err(|e| payload(&e))?;
            if json {
                print_json(&c);
            } else {
                match c {
                    Some(c) => println!("{} (connection {})", c.address, c.id),
                    None => println!("not connected"),
                }
            }
        }
        GoogleContactsCmd::List { company, json } => {
            let id = company_id(pool, ws, &company).await?;
            let list = api_contacts::candidates(pool, ws, id, |n| eprintln!("{n} read"))
                .await
                .map_err(|e| payload(&e))?;
            if json {
                print_json(&list);
            } else {
                for c in list {
                    println!(
                        "{} {} {:<28} {:<32} {:<16} {}",
                        if c.suggested { "*" } else { " " },
                        if c.known { "known" } else { "     " },
                        c.person.name,
                        c.person.email,
                        c.person.phone,
                        c.person.organization
                    );
                }
            }
        }
        GoogleContactsCmd::Import {
            company,
            all,
            email,
            json,
        } => {
            let id = company_id(pool, ws, &company).await?;
            let list = api_contacts::candidates(pool, ws, id, |_| {})
                .await
                .map_err(|e| payload(&e))?;
            let chosen: Vec<_> = list
                .into_iter()
                .filter(|c| {
                    if all {
                        true
                    } else if !email.is_empty() {
                        email
                            .iter()
                            .any(|e| e.trim().eq_ignore_ascii_case(&c.person.email))
                    } else {
                        c.suggested
                    }
                })
                .map(|c| c.person)
                .collect();
            let report = api_contacts::import(pool, ws, id, &chosen, |done, total| {
                if total > 0 {
                    eprint!("\r{done}/{total}");
                }
            })
            .await
            .map_err(|e| payload(&e))?;
            eprintln!();
            if json {
                print_json(&report);
            } else {
                println!(
                    "{} kişi: {} eklendi, {} birleştirildi, {} zaten vardı, {} alınamadı",
                    report.people,
                    report.added,
                    report.merged,
                    report.unchanged,
                    report.rejected.len()
                );
            }
        }
    }
    Ok(())
}
