//! `ulak integrations …`: a workspace's providers other than SMTP accounts, set up from
//! their specs (the fields `ulak providers show` lists); secrets only from standard
//! input, never from an argument.

use std::collections::BTreeMap;

use clap::Subcommand;
use sqlx::SqlitePool;
use ulak_channels::integrations::IntegrationInput;
use ulak_core::{ErrorCode, ErrorPayload};
use ulak_outbox::Channel;

use crate::{payload, print_json};

#[derive(Subcommand)]
pub enum IntegrationsCmd {
    /// Set up (or change) a provider: `ulak integrations set sms twilio --field
    /// accountSid=AC… --field from=+1… --secret-stdin authToken`
    Set {
        /// email, sms, whatsapp, chat or webhook
        channel: String,
        /// e.g. twilio (see `ulak providers list`)
        provider: String,
        /// One of the provider's fields as key=value (repeat); secrets are refused here
        #[arg(long = "field", value_name = "KEY=VALUE")]
        fields: Vec<String>,
        /// Read this secret field's value from standard input (one line)
        #[arg(long, value_name = "KEY")]
        secret_stdin: Option<String>,
        /// Where the provider's API lives (regions, proxies, tests); empty: the default
        #[arg(long)]
        base_url: Option<String>,
        /// Messages a second at most through it (1–1000); default: the provider's limit
        #[arg(long, value_name = "N")]
        rate: Option<u32>,
    },
    List {
        #[arg(long)]
        json: bool,
    },
    /// The provider's connection test: a harmless call that sends nothing
    Test { channel: String, provider: String },
    /// Disconnect: delete the integration and its secrets (Resend: its sending account
    /// too); messages queued through it fail as "account missing"
    Remove { channel: String, provider: String },
}

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error("{0:?} is not KEY=VALUE")]
    NotAPair(String),
    #[error("{0} is a secret: give it with --secret-stdin {0}")]
    SecretInArgs(String),
    #[error("no channel {0}")]
    NoChannel(String),
    #[error("reading the secret from standard input: {0}")]
    Stdin(String),
}

impl ulak_core::UserFacing for CliError {
    fn code(&self) -> ErrorCode {
        match self {
            CliError::NotAPair(_) | CliError::SecretInArgs(_) | CliError::NoChannel(_) => {
                ErrorCode::CliBadState
            }
            CliError::Stdin(_) => ErrorCode::CliStdin,
        }
    }
    fn hint(&self) -> Option<String> {
        Some(match self {
            CliError::NotAPair(_) => "Write each field as --field key=value.".into(),
            CliError::SecretInArgs(k) => format!(
                "Pipe it in so it stays out of the shell history: printf '%s\\n' \"$TOKEN\" | ulak integrations set … --secret-stdin {k}"
            ),
            CliError::NoChannel(_) => "Use email, sms, whatsapp, chat or webhook.".into(),
            CliError::Stdin(_) => "Pipe the secret in on standard input.".into(),
        })
    }
}

fn channel(s: &str) -> Result<Channel, ErrorPayload> {
    Channel::parse(s).ok_or_else(|| payload(&CliError::NoChannel(s.into())))
}

pub async fn run(pool: &SqlitePool, ws: i64, cmd: IntegrationsCmd) -> Result<(), ErrorPayload> {
    match cmd {
        IntegrationsCmd::Set {
            channel: ch,
            provider,
            fields,
            secret_stdin,
            base_url,
            rate,
        } => {
            let ch = channel(&ch)?;
            let spec = ulak_channels::spec::get(ch, &provider);
            let mut values = BTreeMap::new();
            for f in fields {
                let (k, v) = f
                    .split_once('=')
                    .ok_or_else(|| payload(&CliError::NotAPair(f.clone())))?;
                let secret = spec
                    .and_then(|s| s.field(k))
                    .is_some_and(|x| x.kind == ulak_channels::spec::FieldKind::Secret);
                if secret {
                    return Err(payload(&CliError::SecretInArgs(k.into())));
                }
                values.insert(k.to_string(), v.to_string());
            }
            if let Some(key) = secret_stdin {
                let value = crate::accounts::read_stdin_line()
                    .map_err(|e| payload(&CliError::Stdin(e.to_string())))?;
                values.insert(key, value);
            }
            let input = IntegrationInput {
                values,
                base_url,
                rate_per_second: rate,
            };
            let i = ulak_api::integrations::save(pool, ws, ch, &provider, &input)
                .await
                .map_err(|e| payload(&e))?;
            println!("{}", i.id);
        }
        IntegrationsCmd::List { json } => {
            let list = ulak_api::integrations::list(pool, ws)
                .await
                .map_err(|e| payload(&e))?;
            if json {
                print_json(&list);
            } else {
                for i in list {
                    let secrets: Vec<String> = i
                        .secrets_set
                        .iter()
                        .map(|k| format!("{k}=••••••••"))
                        .collect();
                    let plain: Vec<String> =
                        i.settings.iter().map(|(k, v)| format!("{k}={v}")).collect();
                    let rate = ulak_channels::integrations::rate(&i)
                        .map(|r| format!(" ({r}/s)"))
                        .unwrap_or_default();
                    println!(
                        "{:<4} {:<9} {:<10} {} {}{rate}",
                        i.id,
                        i.channel.as_str(),
                        i.provider,
                        plain.join(" "),
                        secrets.join(" ")
                    );
                }
            }
        }
        IntegrationsCmd::Remove {
            channel: ch,
            provider,
        } => {
            let ch = channel(&ch)?;
            ulak_api::integrations::remove(pool, ws, ch, &provider)
                .await
                .map_err(|e| payload(&e))?;
            println!("removed: {} {}", ch.as_str(), provider);
        }
        IntegrationsCmd::Test {
            channel: ch,
            provider,
        } => {
            let ch = channel(&ch)?;
            if ulak_api::integrations::test(pool, ws, ch, &provider)
                .await
                .map_err(|e| payload(&e))?
            {
                println!(
                    "ok: {} {} answers and takes the credentials",
                    ch.as_str(),
                    provider
                );
            } else {
                println!("{} {}: nothing to test", ch.as_str(), provider);
            }
        }
    }
    Ok(())
}
