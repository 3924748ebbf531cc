//! `ulak campaign …`: campaigns that spread their messages over several accounts
//! within each account's limits and a sending window.

use std::path::PathBuf;

use clap::Subcommand;
use sqlx::SqlitePool;
use ulak_api::campaigns::{self, CampaignInput};
use ulak_core::ErrorPayload;
use ulak_outbox::campaigns::{Action, CampaignWait, Progress, Window};

use crate::{payload, print_json};

#[derive(Subcommand)]
pub enum CampaignCmd {
    /// Make a campaign and queue one personalised message per recipient (it sends
    /// once run)
    Create {
        name: String,
        /// A saved template, by name or id (see `ulak templates list`)
        #[arg(long)]
        template: String,
        /// A customer company whose contacts receive it (repeat for more)
        #[arg(long)]
        company: Vec<i64>,
        /// A CSV of recipients (E-posta/Email, Ad Soyad/Name, Firma/Company columns)
        #[arg(long, required_unless_present = "company")]
        csv: Option<PathBuf>,
        /// The accounts that share the sending, e.g. 1,2,3 (see `ulak accounts list`)
        #[arg(long, value_delimiter = ',', required = true)]
        accounts: Vec<i64>,
        /// Days and hours, e.g. 'Mon-Fri 09:00-18:00' or 'Pzt-Cum 09:00-18:00'
        #[arg(long, default_value = "Mon-Fri 09:00-18:00")]
        window: String,
        /// The window's time zone
        #[arg(long, default_value = "Europe/Istanbul")]
        tz: String,
        /// Send on Turkish public holidays too
        #[arg(long)]
        on_holidays: bool,
        /// Send as fast as the accounts' limits allow instead of spreading the day's
        /// messages over the window
        #[arg(long)]
        no_spread: bool,
        /// Marketing (commercial, for Turkish law and İYS): the template is checked for
        /// what the law asks, and individuals among the recipients are counted
        #[arg(long)]
        commercial: bool,
        #[arg(long)]
        json: bool,
    },
    List {
        #[arg(long)]
        json: bool,
    },
    /// Start sending (the app sends, or `ulak outbox drain`)
    Run {
        name: String,
        #[arg(long)]
        json: bool,
    },
    Pause {
        name: String,
        #[arg(long)]
        json: bool,
    },
    Resume {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Give up the messages not sent yet
    Cancel {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Progress: sent, failed, waiting, per account, and why it waits
    Status {
        name: String,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(pool: &SqlitePool, ws: i64, cmd: CampaignCmd) -> Result<(), ErrorPayload> {
    let act = |name: String, action: Action, json: bool| async move {
        let p = campaigns::act(pool, ws, &name, action)
            .await
            .map_err(|e| payload(&e))?;
        show(&p, json);
        Ok::<_, ErrorPayload>(())
    };
    match cmd {
        CampaignCmd::Create {
            name,
            template,
            company,
            csv,
            accounts,
            window,
            tz,
            on_holidays,
            no_spread,
            commercial,
            json,
        } => {
            let csv = match csv {
                Some(path) => Some(
                    std::fs::read_to_string(&path)
                        .map_err(|e| payload(&crate::accounts::file_error(&path, &e)))?,
                ),
                None => None,
            };
            let mut window = Window::parse(&window, &tz).map_err(|e| payload(&e))?;
            window.skip_holidays = !on_holidays;
            let created = campaigns::create(
                pool,
                ws,
                &CampaignInput {
                    name,
                    template,
                    companies: company,
                    csv,
                    accounts,
                    window,
                    spread: !no_spread,
                    commercial,
                },
                chrono::Utc::now(),
            )
            .await
            .map_err(|e| payload(&e))?;
            if json {
                print_json(&created);
            } else {
                println!(
                    "campaign {} \"{}\": {} message(s) queued; start it with `ulak campaign run {}`",
                    created.campaign.id,
                    created.campaign.name,
                    created.recipients,
                    created.campaign.id
                );
                for s in &created.skipped {
                    println!("skipped: {} ({})", s.who, s.reason);
                }
            }
            if let Some(check) = &created.iys {
                use ulak_channels::iys::Missing;
                for m in &check.missing {
                    let (what, fix) = match m {
                        Missing::TradeName => ("no trade name or MERSİS number", "add your trade name (… A.Ş., … Ltd. Şti.) or MERSİS number to the body"),
                        Missing::Contact => ("no way to reach you", "add a phone number, e-mail or web address to the body"),
                        Missing::Refusal => ("no way to refuse", "campaign mail carries an unsubscribe link; keep it"),
                        Missing::Marker => ("the subject does not say it is commercial", "begin the subject with \"Kampanya:\", \"Tanıtım:\" or \"Bilgilendirme:\""),
                    };
                    eprintln!("warning: commercial campaign: {what}; {fix}");
                }
                if check.individuals > 0 {
                    eprintln!(
                        "warning: {} recipient(s) may be individuals (BIREYSEL contacts, or from the CSV): send them commercial mail only with their İYS consent",
                        check.individuals
                    );
                }
            }
        }
        CampaignCmd::List { json } => {
            let all = campaigns::list(pool, ws).await.map_err(|e| payload(&e))?;
            if json {
                print_json(&all);
            } else {
                for p in &all {
                    println!(
                        "{:>4}  {:<30} {:<9} {}/{} sent, {} failed, {} waiting",
                        p.campaign.id,
                        p.campaign.name,
                        p.campaign.state.as_str(),
                        p.sent,
                        p.total,
                        p.failed,
                        p.waiting
                    );
                }
            }
        }
        CampaignCmd::Run { name, json } => act(name, Action::Run, json).await?,
        CampaignCmd::Pause { name, json } => act(name, Action::Pause, json).await?,
        CampaignCmd::Resume { name, json } => act(name, Action::Resume, json).await?,
        CampaignCmd::Cancel { name, json } => act(name, Action::Cancel, json).await?,
        CampaignCmd::Status { name, json } => {
            let p = campaigns::status(pool, ws, &name)
                .await
                .map_err(|e| payload(&e))?;
            show(&p, json);
        }
    }
    Ok(())
}

fn local(t: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(t)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%d.%m %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| t.to_string())
}

fn show(p: &Progress, json: bool) {
    if json {
        print_json(p);
        return;
    }
    let c = &p.campaign;
    println!(
        "{} \"{}\": {}; {}/{} sent, {} failed, {} waiting, {} being sent",
        c.id,
        c.name,
        c.state.as_str(),
        p.sent,
        p.total,
        p.failed,
        p.waiting,
        p.sending
    );
    match &c.waiting {
        Some(CampaignWait::OutsideWindow { opens }) => println!(
            "waiting: outside the sending window; it opens {}",
            opens
                .as_deref()
                .map(local)
                .unwrap_or_else(|| "never".into())
        ),
        Some(CampaignWait::NoAccount { until }) => println!(
            "waiting: no account free until {} (limits, waits or errors); nothing is dropped",
            until
                .as_deref()
                .map(local)
                .unwrap_or_else(|| "one is mended".into())
        ),
        Some(CampaignWait::Spreading { next }) => {
            println!("spreading the day over the window: next at {}", local(next))
        }
        None => {}
    }
    for a in &p.accounts {
        println!(
            "  account {:>3} {:<32} {} sent, {} failed",
            a.account_id, a.label, a.sent, a.failed
        );
    }
    for f in &p.failures {
        println!(
            "  failed: {} [{}] {}",
            f.to,
            f.code.map_or("", |c| c.as_str()),
            f.text.as_deref().unwrap_or("")
        );
    }
    if c.state == ulak_outbox::campaigns::State::Running {
        println!("sending needs the computer on (the app open, or `ulak outbox drain`)");
    }
}
