//! `ulak`: the command line over the same domain functions the app calls, for scripts
//! and for anyone without the window. Errors print their code and hint; exit code 1.

// ErrorPayload is the CLI's one error and ends the run; its size on the error path is moot.
#![allow(clippy::result_large_err)]

mod accounts;
mod automations;
mod calendar;
mod campaign;
mod chat;
mod companies;
mod drive;
mod google_contacts;
mod inbound;
mod integrations;
mod notify;
mod oauth;
mod outbox;
mod providers;
mod sheets;
mod sms;
mod suppress;
mod webhooks;
mod whatsapp;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use secrecy::SecretString;
use serde::Serialize;
use ulak_core::profile::{self, ProfileInput};
use ulak_core::vault::OsKeyring;
use ulak_core::{paths, workspace, ErrorPayload, OpenOptions, Store, UserFacing};

pub const PASSPHRASE_ENV: &str = "ULAK_DB_PASSPHRASE";

#[derive(Parser)]
#[command(name = "ulak", version, about = "Ulak from the command line")]
struct Cli {
    /// Data folder (default: the platform's app-data folder)
    #[arg(long, global = true, env = paths::DATA_DIR_ENV)]
    data_dir: Option<PathBuf>,
    /// Workspace id to act in (default: the active one)
    #[arg(long, global = true)]
    workspace: Option<i64>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Open the store and show where it is and how it is protected
    Status {
        #[arg(long)]
        json: bool,
    },
    /// The salesperson's profile in a workspace
    Profile {
        #[command(subcommand)]
        action: ProfileCmd,
    },
    /// Workspaces: the salesperson's own companies
    Workspace {
        #[command(subcommand)]
        action: WorkspaceCmd,
    },
    /// SMTP accounts to send from
    Accounts {
        #[command(subcommand)]
        action: accounts::AccountsCmd,
    },
    /// Customer companies (Firma) of the workspace
    Companies {
        #[command(subcommand)]
        action: companies::CompaniesCmd,
    },
    /// Contacts of a customer company
    Contacts {
        #[command(subcommand)]
        action: companies::ContactsCmd,
    },
    /// Queue a message (written to the store first; `ulak outbox drain` sends it)
    Send(outbox::SendArgs),
    /// Text messages
    Sms {
        #[command(subcommand)]
        action: sms::SmsCmd,
    },
    /// WhatsApp messages: free text or approved templates
    Whatsapp {
        #[command(subcommand)]
        action: whatsapp::WhatsappCmd,
    },
    /// Messages to the team's Slack channel or Telegram chat
    Chat {
        #[command(subcommand)]
        action: chat::ChatCmd,
    },
    /// Campaigns: one message per recipient, spread over accounts within their limits
    Campaign {
        #[command(subcommand)]
        action: campaign::CampaignCmd,
    },
    /// The queue of messages to send
    Outbox {
        #[command(subcommand)]
        action: outbox::OutboxCmd,
    },
    /// Every message sent or waiting: states, errors, the raw .eml, daily counts
    History(outbox::HistoryArgs),
    /// Saved subject and body templates
    Templates {
        #[command(subcommand)]
        action: outbox::TemplatesCmd,
    },
    /// The workspace's providers other than SMTP accounts (Twilio, …), set up from their
    /// specs
    Integrations {
        #[command(subcommand)]
        action: integrations::IntegrationsCmd,
    },
    /// Bildirimler: which events are told where, and how often
    Notify {
        #[command(subcommand)]
        action: notify::NotifyCmd,
    },
    /// Webhook endpoints that hear of sent and failed messages, signed (Standard Webhooks)
    Webhooks {
        #[command(subcommand)]
        action: webhooks::WebhooksCmd,
    },
    /// Google Calendar events ("Takvime Ekle"): connect, add, list, delete
    Calendar {
        #[command(subcommand)]
        action: calendar::CalendarCmd,
    },
    /// Google Drive backups: connect, back up the history, a campaign or sent e-mails
    Drive {
        #[command(subcommand)]
        action: drive::DriveCmd,
    },
    /// Google Contacts: connect, list a company's candidates, import them
    GoogleContacts {
        #[command(subcommand)]
        action: google_contacts::GoogleContactsCmd,
    },
    /// Google Sheets: connect, test, export the send history or a campaign's results
    Sheets {
        #[command(subcommand)]
        action: sheets::SheetsCmd,
    },
    /// The OAuth apps Google and Microsoft accounts sign in through (client IDs, endpoints)
    Oauth {
        #[command(subcommand)]
        action: oauth::OauthCmd,
    },
    /// The suppression list: addresses and numbers nothing more is sent to, on any
    /// channel (unsubscribed, refused through İYS, bounced, added by hand)
    Suppress {
        #[command(subcommand)]
        action: suppress::SuppressCmd,
    },
    /// CRM events (deal created, quote sent, meeting scheduled, invoice paid)
    Event {
        #[command(subcommand)]
        action: automations::EventCmd,
    },
    /// Rules that act on CRM events: "when EVENT then ACTIONS"
    Automations {
        #[command(subcommand)]
        action: automations::AutomationsCmd,
    },
    /// The receiver of providers' webhooks: customers' replies, delivery reports
    Inbound {
        #[command(subcommand)]
        action: inbound::InboundCmd,
    },
    /// The providers Ulak sends through and what each asks for (as the window's forms)
    Providers {
        #[command(subcommand)]
        action: providers::ProvidersCmd,
    },
    /// Suggested SMTP settings for an address, and where they came from
    Autoconfig {
        address: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum ProfileCmd {
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Change the given fields; the others keep their values
    Set {
        #[arg(long)]
        display_name: Option<String>,
        #[arg(long)]
        sender_email: Option<String>,
        #[arg(long)]
        sender_name: Option<String>,
    },
}

#[derive(Subcommand)]
enum WorkspaceCmd {
    List {
        #[arg(long)]
        json: bool,
    },
    Add {
        name: String,
    },
    /// Make a workspace the active one
    Use {
        id: i64,
    },
}

fn main() -> ExitCode {
    if let Err(e) = ulak_core::process::no_core_dumps() {
        eprintln!("warning: core dumps could not be turned off: {e}");
    }
    let cli = Cli::parse();
    let data_dir = paths::resolve_data_dir(cli.data_dir.clone());
    let _log = ulak_core::logging::init(Some(&data_dir), "warn");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let outcome = rt.block_on(run(cli, data_dir));
    // Tasks still running (a pool's maintenance) are not waited for past this.
    rt.shutdown_timeout(std::time::Duration::from_secs(2));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        // Some messages of a drain failed: its summary said which; not an error of
        // the command itself.
        Err(e) if e.code == ulak_core::ErrorCode::OutboxSomeFailed => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli, data_dir: PathBuf) -> Result<(), ErrorPayload> {
    // These need no store: answer before asking for a key.
    let command = match cli.command {
        Command::Autoconfig { address, json } => return accounts::autoconfig(&address, json).await,
        Command::Providers { action } => return providers::run(action),
        other => other,
    };
    let vault = OsKeyring::default();
    let passphrase = std::env::var(PASSPHRASE_ENV)
        .ok()
        .filter(|p| !p.is_empty())
        .map(SecretString::from);
    let store = Store::open(OpenOptions::new(data_dir, &vault).passphrase(passphrase))
        .await
        .map_err(|e| payload(&e))?;
    // Closed whatever the command's outcome: a pool left open at exit can keep sqlx's
    // maintenance task spinning while the runtime shuts down.
    let r = on_store(&store, cli.workspace, command).await;
    store.close().await;
    r
}

async fn on_store(
    store: &Store,
    workspace: Option<i64>,
    command: Command,
) -> Result<(), ErrorPayload> {
    let pool = store.pool();
    let ws_id = match workspace {
        Some(id) => id,
        None => workspace::active(pool).await.map_err(|e| payload(&e))?.id,
    };

    match command {
        Command::Status { json } => {
            let active = workspace::active(pool).await.map_err(|e| payload(&e))?;
            let status = StatusOut {
                data_dir: store.data_dir().display().to_string(),
                key_source: store.key_source(),
                workspace: active,
            };
            if json {
                print_json(&status);
            } else {
                println!("data dir:   {}", status.data_dir);
                println!("key:        {:?}", status.key_source);
                println!(
                    "workspace:  {} ({})",
                    status.workspace.name, status.workspace.id
                );
            }
        }
        Command::Profile {
            action: ProfileCmd::Show { json },
        } => {
            let p = profile::get(pool, ws_id).await.map_err(|e| payload(&e))?;
            if json {
                print_json(&p);
            } else {
                println!("display name:  {}", p.display_name);
                println!("sender email:  {}", p.sender_email);
                println!("sender name:   {}", p.sender_name);
            }
        }
        Command::Profile {
            action:
                ProfileCmd::Set {
                    display_name,
                    sender_email,
                    sender_name,
                },
        } => {
            let cur = profile::get(pool, ws_id).await.map_err(|e| payload(&e))?;
            let input = ProfileInput {
                display_name: display_name.unwrap_or(cur.display_name),
                sender_email: sender_email.unwrap_or(cur.sender_email),
                sender_name: sender_name.unwrap_or(cur.sender_name),
            };
            profile::save(pool, ws_id, &input)
                .await
                .map_err(|e| payload(&e))?;
            println!("profile saved");
        }
        Command::Workspace {
            action: WorkspaceCmd::List { json },
        } => {
            let list = workspace::list(pool).await.map_err(|e| payload(&e))?;
            if json {
                print_json(&list);
            } else {
                for w in list {
                    println!(
                        "{} {:>4}  {}",
                        if w.active { "*" } else { " " },
                        w.id,
                        w.name
                    );
                }
            }
        }
        Command::Workspace {
            action: WorkspaceCmd::Add { name },
        } => {
            let w = workspace::create(pool, &name)
                .await
                .map_err(|e| payload(&e))?;
            println!("{}", w.id);
        }
        Command::Workspace {
            action: WorkspaceCmd::Use { id },
        } => {
            let w = workspace::switch(pool, id).await.map_err(|e| payload(&e))?;
            println!("active workspace: {} ({})", w.name, w.id);
        }
        Command::Accounts { action } => accounts::run(pool, ws_id, action).await?,
        Command::Integrations { action } => integrations::run(pool, ws_id, action).await?,
        Command::Webhooks { action } => webhooks::run(pool, ws_id, action).await?,
        Command::Notify { action } => notify::run(pool, action).await?,
        Command::Oauth { action } => oauth::run(pool, ws_id, action).await?,
        Command::Calendar { action } => calendar::run(pool, ws_id, action).await?,
        Command::Sheets { action } => sheets::run(pool, ws_id, action).await?,
        Command::Drive { action } => drive::run(pool, ws_id, action).await?,
        Command::GoogleContacts { action } => google_contacts::run(pool, ws_id, action).await?,
        Command::Chat { action } => chat::run(pool, ws_id, action).await?,
        Command::Suppress { action } => suppress::run(pool, ws_id, action).await?,
        Command::Inbound { action } => inbound::run(pool, ws_id, action).await?,
        Command::Event { action } => automations::run_event(pool, ws_id, action).await?,
        Command::Automations { action } => automations::run(pool, ws_id, action).await?,
        Command::Campaign { action } => campaign::run(pool, ws_id, action).await?,
        Command::Companies { action } => companies::run(pool, ws_id, action).await?,
        Command::Send(args) => outbox::send(pool, ws_id, args).await?,
        Command::Sms { action } => sms::run(pool, ws_id, action).await?,
        Command::Whatsapp { action } => whatsapp::run(pool, ws_id, action).await?,
        Command::Outbox { action } => {
            outbox::run(pool, ws_id, store.data_dir().to_path_buf(), action).await?
        }
        Command::History(args) => outbox::history(pool, ws_id, args).await?,
        Command::Templates { action } => outbox::templates(pool, ws_id, action).await?,
        Command::Contacts { action } => companies::run_contacts(pool, ws_id, action).await?,
        Command::Autoconfig { .. } | Command::Providers { .. } => {
            unreachable!("answered before the store was opened")
        }
    }
    Ok(())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StatusOut {
    data_dir: String,
    key_source: ulak_core::KeySource,
    workspace: workspace::Workspace,
}

fn payload<E: UserFacing>(e: &E) -> ErrorPayload {
    ErrorPayload::from_error(e)
}

fn print_json<T: Serialize>(v: &T) {
    println!("{}", serde_json::to_string_pretty(v).expect("serializable"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// `ulak accounts add` takes every field of the SMTP spec, under the spec's flag.
    #[test]
    fn accounts_add_has_a_flag_for_every_smtp_spec_field() {
        let cli = Cli::command();
        let add = cli
            .find_subcommand("accounts")
            .and_then(|a| a.find_subcommand("add"))
            .expect("ulak accounts add");
        let longs: Vec<String> = add
            .get_arguments()
            .filter_map(|a| a.get_long().map(str::to_string))
            .collect();
        let spec = ulak_channels::spec::smtp();
        let keys: Vec<String> = spec.fields.iter().map(|f| f.key.to_string()).collect();
        for flag in providers::flags(spec, &keys) {
            assert!(
                longs.contains(&flag.trim_start_matches("--").to_string()),
                "{flag} missing from `ulak accounts add` ({longs:?})"
            );
        }
    }
}
