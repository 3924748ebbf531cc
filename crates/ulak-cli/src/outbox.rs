//! `ulak send` and `ulak outbox status|drain`: queue a message, send what is due.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use sqlx::SqlitePool;
use ulak_core::ErrorPayload;
use ulak_mail::delivery::Router;
use ulak_outbox::queue::{self, Draft};
use ulak_outbox::worker;

use crate::{payload, print_json};

#[derive(Args)]
pub struct SendArgs {
    /// The SMTP account to send from (see `ulak accounts list`)
    #[arg(long, conflicts_with = "sandbox")]
    account: Option<i64>,
    /// Send nothing: write the message into the sandbox ("Test kutusu") as an .eml file
    #[arg(long)]
    sandbox: bool,
    #[arg(long)]
    company: Option<i64>,
    #[arg(long, required = true)]
    to: Vec<String>,
    #[arg(long)]
    cc: Vec<String>,
    #[arg(long)]
    bcc: Vec<String>,
    #[arg(long)]
    subject: String,
    /// A UTF-8 text file with the body
    #[arg(long)]
    body_file: PathBuf,
    /// Queue at most once under this key (safe to repeat the command)
    #[arg(long)]
    idempotency_key: Option<String>,
}

#[derive(Subcommand)]
pub enum OutboxCmd {
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Send what is due; exits when the queue is empty or only waiting messages remain
    Drain {
        #[arg(long)]
        json: bool,
        /// Messages claimed at a time (at most this many can be sent twice after a crash)
        #[arg(long, default_value_t = 20)]
        batch: i64,
        /// Seconds a claim is held before another worker may take it over
        #[arg(long, default_value_t = 120)]
        lease_secs: u64,
    },
}

pub async fn send(pool: &SqlitePool, ws: i64, a: SendArgs) -> Result<(), ErrorPayload> {
    let text = std::fs::read_to_string(&a.body_file)
        .map_err(|e| payload(&crate::accounts::file_error(&a.body_file, &e)))?;
    let (from, from_name) = match a.account {
        Some(id) => {
            let acc = ulak_mail::accounts::get(pool, ws, id)
                .await
                .map_err(|e| payload(&e))?;
            (acc.email, acc.sender_name)
        }
        None => {
            let p = ulak_core::profile::get(pool, ws)
                .await
                .map_err(|e| payload(&e))?;
            let from = if p.sender_email.is_empty() {
                "test-kutusu@ulak.invalid".to_string()
            } else {
                p.sender_email
            };
            (from, p.sender_name)
        }
    };
    let draft = Draft {
        account_id: if a.sandbox { None } else { a.account },
        company_id: a.company,
        from,
        from_name,
        to: a.to,
        cc: a.cc,
        bcc: a.bcc,
        subject: a.subject,
        text,
        idempotency_key: a.idempotency_key,
    };
    if let Some(c) = draft.company_id {
        ulak_crm::companies::get(pool, ws, c)
            .await
            .map_err(|e| payload(&e))?;
    }
    let id = queue::enqueue(pool, ws, &draft, chrono::Utc::now())
        .await
        .map_err(|e| payload(&e))?;
    println!("{id}");
    Ok(())
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
        } => {
            let owner = format!("cli-{}", std::process::id());
            let router = Router::new(pool.clone(), data_dir);
            let opts = worker::DrainOptions {
                batch: batch.max(1),
                lease: std::time::Duration::from_secs(lease_secs),
            };
            let r = worker::drain_with(pool, &owner, &router, opts)
                .await
                .map_err(|e| payload(&e))?;
            if json {
                print_json(&r);
            } else {
                println!(
                    "sent {}, failed {}, will retry {}",
                    r.sent, r.failed, r.retrying
                );
            }
        }
    }
    Ok(())
}
