//! `ulak sheets`: Google Sheets — connect it, test it, export the send history or a
//! campaign's results into a new or a chosen spreadsheet.

use clap::Subcommand;
use sqlx::SqlitePool;
use ulak_api::oauth::Purpose;
use ulak_api::sheets::{self, Target};
use ulak_core::ErrorPayload;
use ulak_outbox::history;

use crate::{payload, print_json};

#[derive(Subcommand)]
pub enum SheetsCmd {
    /// Sign in with Google for spreadsheets (the same account keeps its other uses)
    Connect {
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        no_browser: bool,
    },
    /// The Google account that writes spreadsheets, if any
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Get a fresh token and, with --spreadsheet, open that spreadsheet (writes nothing)
    Test {
        #[arg(long)]
        spreadsheet: Option<String>,
    },
    /// Write the send history into a spreadsheet: a new one, or --spreadsheet (its
    /// address or id) and --sheet (its first sheet otherwise)
    ExportHistory {
        #[arg(long)]
        spreadsheet: Option<String>,
        #[arg(long)]
        sheet: Option<String>,
        /// First day, YYYY-MM-DD
        #[arg(long)]
        since: Option<String>,
        /// Last day, YYYY-MM-DD
        #[arg(long)]
        until: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Write a campaign's messages and how each went into a spreadsheet
    ExportCampaign {
        #[arg(long)]
        id: i64,
        #[arg(long)]
        spreadsheet: Option<String>,
        #[arg(long)]
        sheet: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

fn print_export(e: &sheets::Exported, json: bool) {
    if json {
        print_json(e);
    } else {
        println!("{}", e.spreadsheet.url);
        eprintln!(
            "{} satır «{}» › {} / {} rows",
            e.rows, e.spreadsheet.title, e.sheet, e.rows
        );
    }
}

pub async fn run(pool: &SqlitePool, ws: i64, cmd: SheetsCmd) -> Result<(), ErrorPayload> {
    match cmd {
        SheetsCmd::Connect { email, no_browser } => {
            crate::oauth::connect_google(
                pool,
                ws,
                Purpose::Sheets,
                email.as_deref(),
                no_browser,
                "Google Sheets bağlandı / connected",
            )
            .await?;
        }
        SheetsCmd::Status { json } => {
            let c = sheets::status(pool, ws).await.map_err(|e| payload(&e))?;
            if json {
                print_json(&c);
            } else {
                match c {
                    Some(c) => println!("{} (connection {})", c.address, c.id),
                    None => println!("not connected"),
                }
            }
        }
        SheetsCmd::Test { spreadsheet } => {
            match sheets::check(pool, ws, spreadsheet.as_deref())
                .await
                .map_err(|e| payload(&e))?
            {
                Some(s) => println!("ok: «{}» {}", s.title, s.url),
                None => println!("ok: Google Sheets answers"),
            }
        }
        SheetsCmd::ExportHistory {
            spreadsheet,
            sheet,
            since,
            until,
            json,
        } => {
            let filter = history::Filter {
                since,
                until,
                ..Default::default()
            };
            let e = sheets::export_history(pool, ws, &filter, &Target { spreadsheet, sheet })
                .await
                .map_err(|e| payload(&e))?;
            print_export(&e, json);
        }
        SheetsCmd::ExportCampaign {
            id,
            spreadsheet,
            sheet,
            json,
        } => {
            let e = sheets::export_campaign(pool, ws, id, &Target { spreadsheet, sheet })
                .await
                .map_err(|e| payload(&e))?;
            print_export(&e, json);
        }
    }
    Ok(())
}
