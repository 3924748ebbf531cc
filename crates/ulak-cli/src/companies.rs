//! `ulak companies …` and `ulak contacts add`: customer companies of the workspace.

use std::path::PathBuf;

use clap::Subcommand;
use sqlx::SqlitePool;
use ulak_core::ErrorPayload;
use ulak_crm::companies::{self, CompanyInput};
use ulak_crm::contacts::{self, ContactInput};
use ulak_crm::import;

use crate::{payload, print_json};

#[derive(Subcommand)]
pub enum CompaniesCmd {
    Add {
        name: String,
        #[arg(long, default_value = "")]
        notes: String,
    },
    List {
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Import companies and contacts from a CSV file (header row: Firma, Ad Soyad, E-posta, Telefon, Notlar, Alıcı Tipi — BIREYSEL or TACIR)
    Import {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum ContactsCmd {
    Add {
        #[arg(long)]
        company: i64,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        email: String,
        #[arg(long, default_value = "")]
        phone: String,
        #[arg(long, default_value = "")]
        notes: String,
        /// For İYS: BIREYSEL (an individual, whose consent commercial messages need)
        /// or TACIR (a merchant, the default)
        #[arg(long, value_parser = ["BIREYSEL", "TACIR", "bireysel", "tacir"], default_value = "TACIR")]
        recipient_type: String,
    },
    List {
        #[arg(long)]
        company: i64,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(pool: &SqlitePool, ws: i64, cmd: CompaniesCmd) -> Result<(), ErrorPayload> {
    match cmd {
        CompaniesCmd::Add { name, notes } => {
            let c = companies::create(pool, ws, &CompanyInput { name, notes })
                .await
                .map_err(|e| payload(&e))?;
            println!("{}", c.id);
        }
        CompaniesCmd::List { search, json } => {
            let list = companies::list(pool, ws, search.as_deref())
                .await
                .map_err(|e| payload(&e))?;
            if json {
                print_json(&list);
            } else {
                for c in list {
                    println!("{:>4}  {}  ({} contacts)", c.id, c.name, c.contact_count);
                }
            }
        }
        CompaniesCmd::Import { file, json } => {
            let data = std::fs::read(&file).map_err(|e| {
                payload(&ulak_crm::import::ImportError::Csv(format!(
                    "{}: {e}",
                    file.display()
                )))
            })?;
            let report = import::import_csv(pool, ws, &data, None, |done, total| {
                if !json {
                    eprint!("\rimporting… {done}/{total}");
                }
            })
            .await
            .map_err(|e| payload(&e))?;
            if json {
                print_json(&report);
            } else {
                eprintln!();
                println!(
                    "{} rows: {} contacts added, {} new companies, {} rejected",
                    report.rows,
                    report.contacts_added,
                    report.companies_added,
                    report.rejected.len()
                );
                for r in &report.rejected {
                    println!("  line {}: {} [{}]", r.line, r.reason, r.code);
                }
            }
        }
    }
    Ok(())
}

pub async fn run_contacts(
    pool: &SqlitePool,
    ws: i64,
    cmd: ContactsCmd,
) -> Result<(), ErrorPayload> {
    match cmd {
        ContactsCmd::Add {
            company,
            name,
            email,
            phone,
            notes,
            recipient_type,
        } => {
            let input = ContactInput {
                name,
                email,
                phone,
                notes,
                recipient_type: ulak_crm::contacts::RecipientType::parse(&recipient_type)
                    .expect("clap checked the value"),
            };
            let c = contacts::create(pool, ws, company, &input)
                .await
                .map_err(|e| payload(&e))?;
            println!("{}", c.id);
        }
        ContactsCmd::List { company, json } => {
            let list = contacts::of_company(pool, ws, company)
                .await
                .map_err(|e| payload(&e))?;
            if json {
                print_json(&list);
            } else {
                for c in list {
                    println!("{:>4}  {}  {}  {}", c.id, c.name, c.email, c.phone);
                }
            }
        }
    }
    Ok(())
}
