//! `ulak sms`: queue an SMS through a provider the workspace has set up (`ulak
//! integrations set sms twilio …`) or the sandbox; `ulak outbox drain` sends it.

use clap::{Args, Subcommand};
use sqlx::SqlitePool;
use ulak_api::sms::{self, SmsBulkInput};
use ulak_core::ErrorPayload;

use crate::payload;

#[derive(Subcommand)]
pub enum SmsCmd {
    /// Queue an SMS (written to the store first; `ulak outbox drain` sends it)
    Send(SendArgs),
}

#[derive(Args)]
pub struct SendArgs {
    /// Send nothing: write the SMS into the sandbox ("Test kutusu") as a JSON file
    #[arg(
        long,
        required_unless_present = "provider",
        conflicts_with = "provider"
    )]
    sandbox: bool,
    /// The provider to send through, as set up with `ulak integrations set sms …`
    #[arg(long)]
    provider: Option<String>,
    /// The number: +90 532 123 45 67, 0532 123 45 67…; repeat for several (queued
    /// together, all or nothing, each number once)
    #[arg(long, required = true)]
    to: Vec<String>,
    /// The text (line breaks allowed)
    #[arg(long)]
    text: String,
    /// The customer company, by id or by name
    #[arg(long)]
    company: Option<String>,
    /// Queue at most once under this key (safe to repeat the command)
    #[arg(long)]
    idempotency_key: Option<String>,
}

pub async fn run(pool: &SqlitePool, ws: i64, cmd: SmsCmd) -> Result<(), ErrorPayload> {
    match cmd {
        SmsCmd::Send(a) => {
            let company_id = match &a.company {
                Some(c) => Some(crate::outbox::company_id(pool, ws, c).await?),
                None => None,
            };
            debug_assert!(a.sandbox != a.provider.is_some(), "clap: one of the two");
            // One number or many, the same way: each number's message under its own
            // key, so repeating a send, or part of it, queues nothing twice.
            let input = SmsBulkInput {
                company_id,
                to: a.to,
                text: a.text,
                idempotency_key: a.idempotency_key,
            };
            let ids = sms::send_many(pool, ws, a.provider.as_deref(), &input, chrono::Utc::now())
                .await
                .map_err(|e| payload(&e))?;
            for id in ids {
                println!("{id}");
            }
            Ok(())
        }
    }
}
