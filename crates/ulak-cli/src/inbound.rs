//! `ulak inbound`: the receiver of providers' webhooks (a customer's WhatsApp or SMS
//! message, Meta's and Vonage's delivery reports). It listens on 127.0.0.1 only; a
//! tunnel of the user's choice (Cloudflare Tunnel, ngrok…) makes it reachable, and each
//! integration's address is pasted into the provider's console.

use clap::Subcommand;
use sqlx::SqlitePool;
use ulak_api::inbound::{self, InboundSettings};
use ulak_core::ErrorPayload;
use ulak_outbox::Channel;

use crate::{payload, print_json};

#[derive(Subcommand)]
pub enum InboundCmd {
    /// Receive webhooks until Ctrl-C (prints the address it listens on first)
    Serve {
        /// The port on 127.0.0.1 (default: the saved one; 0: any free port)
        #[arg(long)]
        port: Option<u16>,
    },
    /// Show or change the receiver's port and the tunnel's public address
    Settings {
        /// The port on 127.0.0.1 the window listens on while open (1024–65535), or `off`
        #[arg(long)]
        port: Option<String>,
        /// The tunnel's public address (https://…), or `none`
        #[arg(long)]
        public_url: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The address to paste into a provider's console (meta: also its verify token)
    Address {
        /// whatsapp or sms
        channel: String,
        /// meta, twilio or vonage
        provider: String,
        /// Make a new address (the old one stops answering at once)
        #[arg(long)]
        rotate: bool,
        #[arg(long)]
        json: bool,
    },
    /// What customers wrote, newest first
    List {
        #[arg(long, default_value_t = 50)]
        limit: i64,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(pool: &SqlitePool, ws: i64, cmd: InboundCmd) -> Result<(), ErrorPayload> {
    match cmd {
        InboundCmd::Serve { port } => {
            let port = match port {
                Some(p) => p,
                None => inbound::settings(pool)
                    .await
                    .map_err(|e| payload(&e))?
                    .port
                    .unwrap_or(0),
            };
            let listener = inbound::bind(port).await.map_err(|e| payload(&e))?;
            let addr = listener.local_addr().map_err(|e| {
                payload(&inbound::InboundError::PortInUse {
                    port,
                    why: e.to_string(),
                })
            })?;
            println!("listening on http://{addr}");
            let stop = async {
                let _ = tokio::signal::ctrl_c().await;
            };
            inbound::serve(pool.clone(), listener, stop, None)
                .await
                .map_err(|e| {
                    payload(&inbound::InboundError::PortInUse {
                        port,
                        why: e.to_string(),
                    })
                })?;
        }
        InboundCmd::Settings {
            port,
            public_url,
            json,
        } => {
            let mut s = inbound::settings(pool).await.map_err(|e| payload(&e))?;
            if port.is_some() || public_url.is_some() {
                if let Some(p) = port {
                    s.port = match p.as_str() {
                        "off" => None,
                        n => Some(n.parse().map_err(|_| {
                            payload(&ulak_core::validate::ValidationError::Range {
                                field: "port",
                                min: 1024,
                                max: 65535,
                            })
                        })?),
                    };
                }
                if let Some(u) = public_url {
                    s.public_url = (u != "none").then_some(u);
                }
                s = inbound::set_settings(pool, &s)
                    .await
                    .map_err(|e| payload(&e))?;
            }
            if json {
                print_json(&s);
            } else {
                print_settings(&s);
            }
        }
        InboundCmd::Address {
            channel,
            provider,
            rotate,
            json,
        } => {
            let channel = Channel::parse(&channel).ok_or_else(|| {
                payload(&ulak_core::validate::ValidationError::Choice {
                    field: "channel",
                    options: vec!["whatsapp".into(), "sms".into()],
                })
            })?;
            let a = inbound::address(pool, ws, channel, &provider, rotate)
                .await
                .map_err(|e| payload(&e))?;
            if json {
                print_json(&a);
            } else {
                match (&a.public_url, &a.local_url) {
                    (Some(u), _) => println!("address: {u}"),
                    (None, Some(l)) => println!(
                        "address: <your tunnel's https address>{} (on this computer: {l})",
                        a.path
                    ),
                    (None, None) => println!(
                        "address: <your tunnel's https address>{} (set a port: ulak inbound settings --port 8787)",
                        a.path
                    ),
                }
                if provider == "meta" {
                    println!("verify token: {}", a.verify_token);
                }
            }
        }
        InboundCmd::List { limit, json } => {
            let list = inbound::received(pool, ws, limit)
                .await
                .map_err(|e| payload(&e))?;
            if json {
                print_json(&list);
            } else {
                for r in list {
                    println!(
                        "{}  {}  {}  {}",
                        r.received_at,
                        r.channel,
                        r.sender,
                        r.body.unwrap_or_default()
                    );
                }
            }
        }
    }
    Ok(())
}

fn print_settings(s: &InboundSettings) {
    match s.port {
        Some(p) => println!("port: {p} (127.0.0.1)"),
        None => println!("port: off"),
    }
    println!(
        "public address: {}",
        s.public_url.as_deref().unwrap_or("(not set)")
    );
}
