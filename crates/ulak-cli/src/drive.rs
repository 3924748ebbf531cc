//! `ulak drive`: connect Google Drive and back up the send history, a campaign's
//! results or the sent e-mails into a folder (Ulak's own "Ulak yedekleri" by default).

use clap::Subcommand;
use sqlx::SqlitePool;
use ulak_api::drive::{self, What};
use ulak_api::oauth::Purpose;
use ulak_core::ErrorPayload;
use ulak_outbox::history;

use crate::{payload, print_json};

#[derive(Subcommand)]
pub enum DriveCmd {
    /// Sign in with Google for Drive backups (Ulak sees only the files it makes)
    Connect {
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        no_browser: bool,
    },
    /// The Google account backups go to, if any
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Back up into --folder (its address or id) or Ulak's own folder: the send history
    /// as CSV (history), a campaign's results as CSV (campaign --id N), or the sent
    /// e-mails as .eml files (emails)
    Backup {
        /// history, campaign or emails
        #[arg(value_parser = ["history", "campaign", "emails"])]
        what: String,
        /// The campaign (with `campaign`)
        #[arg(long, required_if_eq("what", "campaign"))]
        id: Option<i64>,
        #[arg(long)]
        folder: Option<String>,
        /// First day, YYYY-MM-DD
        #[arg(long)]
        since: Option<String>,
        /// Last day, YYYY-MM-DD
        #[arg(long)]
        until: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(pool: &SqlitePool, ws: i64, cmd: DriveCmd) -> Result<(), ErrorPayload> {
    match cmd {
        DriveCmd::Connect { email, no_browser } => {
            crate::oauth::connect_google(
                pool,
                ws,
                Purpose::Drive,
                email.as_deref(),
                no_browser,
                "Google Drive bağlandı / connected",
            )
            .await?;
        }
        DriveCmd::Status { json } => {
            let c = drive::status(pool, ws).await.map_err(|e| payload(&e))?;
            if json {
                print_json(&c);
            } else {
                match c {
                    Some(c) => println!("{} (connection {})", c.address, c.id),
                    None => println!("not connected"),
                }
            }
        }
        DriveCmd::Backup {
            what,
            id,
            folder,
            since,
            until,
            json,
        } => {
            let filter = history::Filter {
                since,
                until,
                ..Default::default()
            };
            let what = match what.as_str() {
                "campaign" => What::Campaign {
                    id: id.unwrap_or_default(),
                },
                "emails" => What::Emails { filter },
                _ => What::History { filter },
            };
            let done = drive::backup(pool, ws, &what, folder.as_deref(), |d, t| {
                if t > 1 {
                    eprint!("\r{d}/{t}");
                }
            })
            .await
            .map_err(|e| payload(&e))?;
            eprintln!();
            if json {
                print_json(&done);
            } else {
                println!("{} ({})", done.folder.url, done.folder.name);
                for f in &done.files {
                    println!("  {}", f.name);
                }
            }
        }
    }
    Ok(())
}
