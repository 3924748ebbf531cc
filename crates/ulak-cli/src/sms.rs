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
    /// A commercial message (marketing): for İYS, individuals need consent; the text is
    /// checked for what the law asks (trade name, contact, RET to 3338, a marker)
    #[arg(long, conflicts_with = "informational")]
    commercial: bool,
    /// An informational message (an order, a reminder): sent as not commercial
    #[arg(long)]
    informational: bool,
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
            let purpose = if a.commercial {
                Some(sms::Purpose::Commercial)
            } else if a.informational {
                Some(sms::Purpose::Informational)
            } else {
                None
            };
            if a.commercial {
                let check =
                    sms::iys_check(pool, ws, a.provider.as_deref(), company_id, &a.to, &a.text)
                        .await
                        .map_err(|e| payload(&e))?;
                warn_iys(&check, a.provider.as_deref());
            }
            let input = SmsBulkInput {
                company_id,
                to: a.to,
                text: a.text,
                idempotency_key: a.idempotency_key,
                purpose,
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

/// What a commercial SMS lacks, each with its fix, on standard error (it is still queued).
fn warn_iys(check: &sms::IysCheck, provider: Option<&str>) {
    use ulak_channels::iys::Missing;
    for m in &check.missing {
        let (what, fix) = match m {
            Missing::TradeName => (
                "no trade name or MERSİS number",
                "add your trade name (… A.Ş., … Ltd. Şti.) or MERSİS number",
            ),
            Missing::Contact => (
                "no way to reach you",
                "add a phone number, e-mail or web address",
            ),
            Missing::Refusal => (
                "no refusal instruction",
                "add \"Ret için RET <MARKA> yazıp 3338'e gönderin\"",
            ),
            Missing::Marker => (
                "not marked as commercial at its start",
                "begin with \"Kampanya:\", \"Tanıtım:\" or \"Bilgilendirme:\"",
            ),
        };
        eprintln!("warning: commercial SMS: {what}; {fix}");
    }
    if check.unfiltered_individuals() {
        eprintln!(
            "warning: {} recipient(s) are individuals (BIREYSEL) and {} does not check İYS consent: send only to those who agreed, or use Netgsm or İleti Merkezi",
            check.individuals,
            provider.unwrap_or("this provider")
        );
    }
}
