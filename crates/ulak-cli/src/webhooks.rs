//! `ulak webhooks …`: the endpoints Ulak posts its events to, signed per Standard
//! Webhooks. The signing secret is printed once, by `add` and `rotate-secret`.

use clap::Subcommand;
use sqlx::SqlitePool;
use ulak_api::webhooks;
use ulak_channels::webhook::EndpointInput;
use ulak_core::ErrorPayload;

use crate::{payload, print_json};

#[derive(Subcommand)]
pub enum WebhooksCmd {
    /// Add an endpoint; prints its signing secret (whsec_…) this once
    Add {
        /// https://… (http:// only on this computer, for testing)
        url: String,
        /// The events it gets, comma separated: message.sent, message.failed, or * for all
        #[arg(long, value_delimiter = ',', required = true)]
        events: Vec<String>,
        /// Deliver even though the address is private, loopback or link-local
        #[arg(long)]
        allow_private: bool,
        #[arg(long)]
        json: bool,
    },
    List {
        #[arg(long)]
        json: bool,
    },
    Remove {
        id: i64,
    },
    /// Queue a webhook.test event to the endpoint (`ulak outbox drain` sends it)
    Test {
        id: i64,
    },
    /// A new signing secret, printed this once; the old one still signs for 24 hours
    RotateSecret {
        id: i64,
    },
    /// The endpoint's latest deliveries and the answers they got
    Log {
        id: i64,
        #[arg(long, default_value_t = 20)]
        limit: i64,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(pool: &SqlitePool, ws: i64, cmd: WebhooksCmd) -> Result<(), ErrorPayload> {
    match cmd {
        WebhooksCmd::Add {
            url,
            events,
            allow_private,
            json,
        } => {
            let input = EndpointInput {
                url,
                events,
                allow_private,
            };
            let added = webhooks::add(pool, ws, &input)
                .await
                .map_err(|e| payload(&e))?;
            if json {
                print_json(&added);
            } else {
                println!(
                    "endpoint {} added: {}",
                    added.endpoint.id, added.endpoint.url
                );
                println!("signing secret (shown only now): {}", added.secret);
            }
        }
        WebhooksCmd::List { json } => {
            let list = webhooks::list(pool, ws).await.map_err(|e| payload(&e))?;
            if json {
                print_json(&list);
            } else {
                for e in list {
                    let status = match (&e.failing_since, e.last_status) {
                        (Some(since), _) => format!("FAILING since {since}"),
                        (None, Some(s)) => format!("last answer {s}"),
                        (None, None) => "no deliveries yet".into(),
                    };
                    println!("{:>4}  {}  [{}]  {status}", e.id, e.url, e.events.join(","));
                }
            }
        }
        WebhooksCmd::Remove { id } => {
            webhooks::remove(pool, ws, id)
                .await
                .map_err(|e| payload(&e))?;
            println!("endpoint {id} removed");
        }
        WebhooksCmd::Test { id } => {
            let m = webhooks::send_test(pool, ws, id)
                .await
                .map_err(|e| payload(&e))?;
            println!("test event queued as message {m}; `ulak outbox drain` sends it");
        }
        WebhooksCmd::RotateSecret { id } => {
            let s = webhooks::rotate_secret(pool, ws, id)
                .await
                .map_err(|e| payload(&e))?;
            println!("new signing secret (shown only now): {s}");
            println!("the previous secret still signs for 24 hours");
        }
        WebhooksCmd::Log { id, limit, json } => {
            let log = webhooks::deliveries(pool, ws, id, limit)
                .await
                .map_err(|e| payload(&e))?;
            if json {
                print_json(&log);
            } else {
                for d in log {
                    let said = d
                        .answer
                        .as_deref()
                        .or(d.last_error.as_deref())
                        .unwrap_or("");
                    println!(
                        "{:>6}  {:<14} {:<7} tries {}  {}  {said}",
                        d.id, d.event, d.state, d.attempts, d.updated_at
                    );
                }
            }
        }
    }
    Ok(())
}
