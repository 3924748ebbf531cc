//! `ulak whatsapp`: queue a WhatsApp text or template through a provider the workspace
//! has set up (`ulak integrations set whatsapp meta …`) or the sandbox; `ulak outbox
//! drain` sends it.

use clap::{Args, Subcommand};
use sqlx::SqlitePool;
use ulak_api::whatsapp::{self, WhatsappBulkInput};
use ulak_channels::whatsapp::Content;
use ulak_core::ErrorPayload;

use crate::payload;

#[derive(Subcommand)]
pub enum WhatsappCmd {
    /// Queue a WhatsApp message (written to the store first; `ulak outbox drain` sends it)
    Send(SendArgs),
    /// Whether free text can go to a number now: the customer's last message through
    /// the provider (Meta's webhooks, `ulak inbound`) opens 24 hours
    Window {
        #[arg(long, default_value = "meta")]
        provider: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct SendArgs {
    /// Send nothing: write the message into the sandbox ("Test kutusu") as a JSON file
    #[arg(
        long,
        required_unless_present = "provider",
        conflicts_with = "provider"
    )]
    sandbox: bool,
    /// The provider to send through, as set up with `ulak integrations set whatsapp …`
    /// (meta, twilio)
    #[arg(long)]
    provider: Option<String>,
    /// The number: +90 532 123 45 67, 0532 123 45 67…; repeat for several (queued
    /// together, all or nothing, each number once)
    #[arg(long, required = true)]
    to: Vec<String>,
    /// Free text: goes only when the customer wrote to you within 24 hours
    #[arg(
        long,
        required_unless_present = "template",
        conflicts_with = "template"
    )]
    text: Option<String>,
    /// An approved template: Meta's template name, or Twilio's Content SID (HX…)
    #[arg(long)]
    template: Option<String>,
    /// The template's language (tr, en, en_US)
    #[arg(long, default_value = "tr", requires = "template")]
    lang: String,
    /// A value for the template's {{1}}, {{2}}… in order; repeat for each
    #[arg(long = "param", requires = "template")]
    params: Vec<String>,
    /// The customer company, by id or by name
    #[arg(long)]
    company: Option<String>,
    /// Queue at most once under this key (safe to repeat the command)
    #[arg(long)]
    idempotency_key: Option<String>,
}

pub async fn run(pool: &SqlitePool, ws: i64, cmd: WhatsappCmd) -> Result<(), ErrorPayload> {
    match cmd {
        WhatsappCmd::Send(a) => {
            let company_id = match &a.company {
                Some(c) => Some(crate::outbox::company_id(pool, ws, c).await?),
                None => None,
            };
            let content = match (a.text, a.template) {
                (Some(body), _) => Content::Text { body },
                (None, Some(name)) => Content::Template {
                    name,
                    language: a.lang,
                    params: a.params,
                },
                (None, None) => unreachable!("clap: --text or --template"),
            };
            // One number or many, the same way (see `ulak sms send`).
            let input = WhatsappBulkInput {
                company_id,
                to: a.to,
                content,
                idempotency_key: a.idempotency_key,
            };
            let ids =
                whatsapp::send_many(pool, ws, a.provider.as_deref(), &input, chrono::Utc::now())
                    .await
                    .map_err(|e| payload(&e))?;
            for id in ids {
                println!("{id}");
            }
            Ok(())
        }
        WhatsappCmd::Window { provider, to, json } => {
            let w = ulak_api::inbound::window(pool, ws, Some(&provider), &to, chrono::Utc::now())
                .await
                .map_err(|e| payload(&e))?;
            if json {
                crate::print_json(&w);
            } else {
                match w {
                    None => println!("unknown: {provider} does not tell Ulak when customers write"),
                    Some(w) if w.open => println!(
                        "open until {} (free text can go)",
                        w.open_until.unwrap_or_default()
                    ),
                    Some(w) => match w.last_received_at {
                        Some(at) => {
                            println!("closed (last message {at}): send an approved template")
                        }
                        None => println!(
                            "closed (no message from this number): send an approved template"
                        ),
                    },
                }
            }
            Ok(())
        }
    }
}
