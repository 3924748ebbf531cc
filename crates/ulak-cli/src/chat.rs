//! `ulak chat send`: a message to the team's Slack channel or Telegram chat, through
//! the integration set up with `ulak integrations set chat slack|telegram …`; `ulak
//! outbox drain` sends it.

use clap::Subcommand;
use sqlx::SqlitePool;
use ulak_core::ErrorPayload;

use crate::payload;

#[derive(Subcommand)]
pub enum ChatCmd {
    /// Queue a message (written to the store first; `ulak outbox drain` sends it)
    Send {
        /// slack or telegram
        #[arg(long)]
        provider: String,
        /// The text (line breaks allowed)
        #[arg(long)]
        text: String,
        /// Queue at most once under this key (safe to repeat the command)
        #[arg(long)]
        idempotency_key: Option<String>,
    },
}

pub async fn run(pool: &SqlitePool, ws: i64, cmd: ChatCmd) -> Result<(), ErrorPayload> {
    let ChatCmd::Send {
        provider,
        text,
        idempotency_key,
    } = cmd;
    let id = ulak_api::chat::send(
        pool,
        ws,
        &provider,
        &text,
        idempotency_key,
        chrono::Utc::now(),
    )
    .await
    .map_err(|e| payload(&e))?;
    println!("{id}");
    Ok(())
}
