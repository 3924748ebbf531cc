//! `ulak accounts …` and `ulak autoconfig`: SMTP accounts with the form's validation;
//! passwords only from standard input, never from an argument.

use std::io::Read;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use sqlx::SqlitePool;
use ulak_channels::email::accounts::{self, Account, AccountInput};
use ulak_channels::email::autoconfig;
use ulak_channels::email::server::Security;
use ulak_channels::spec;
use ulak_core::{ErrorCode, ErrorPayload};
use ulak_outbox::senders::Limits;

use crate::{payload, print_json};

/// A file given on the command line that cannot be read.
pub fn file_error(path: &std::path::Path, e: &std::io::Error) -> impl ulak_core::UserFacing {
    CliError::FileUnreadable {
        path: path.to_path_buf(),
        reason: e.to_string(),
    }
}

/// A file the command was to write could not be.
pub fn write_error(path: &std::path::Path, e: &std::io::Error) -> impl ulak_core::UserFacing {
    CliError::FileUnwritable {
        path: path.to_path_buf(),
        reason: e.to_string(),
    }
}

/// What the command line itself can get wrong, beside the domain's errors.
#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error("cannot read {}: {reason}", path.display())]
    CaUnreadable { path: PathBuf, reason: String },
    #[error("cannot read {}: {reason}", path.display())]
    FileUnreadable { path: PathBuf, reason: String },
    #[error("cannot write {}: {reason}", path.display())]
    FileUnwritable { path: PathBuf, reason: String },
    #[error("no settings known for {0}")]
    NoSuggestion(String),
    #[error("nothing answered the lookup for {0}: no web server, no DNS reply")]
    NoAnswer(String),
    #[error("{0:?} is not an e-mail address")]
    BadAddress(String),
    #[error("no SMTP account for {0} in this workspace")]
    NoAccountFor(String),
    #[error("{failed} of {total} account(s) failed the connection test")]
    TestFailed { failed: usize, total: usize },
    #[error("reading the password from standard input: {0}")]
    Stdin(String),
}

impl ulak_core::UserFacing for CliError {
    fn code(&self) -> ErrorCode {
        match self {
            CliError::CaUnreadable { .. } => ErrorCode::SmtpCaUnreadable,
            CliError::FileUnreadable { .. } => ErrorCode::CliFileUnreadable,
            CliError::FileUnwritable { .. } => ErrorCode::CliFileUnwritable,
            CliError::NoSuggestion(_) => ErrorCode::AutoconfigNotFound,
            CliError::NoAnswer(_) => ErrorCode::AutoconfigNoAnswer,
            CliError::BadAddress(_) => ErrorCode::ValidationEmail,
            CliError::NoAccountFor(_) => ErrorCode::SmtpAccountNotFound,
            CliError::TestFailed { .. } => ErrorCode::SmtpTestFailed,
            CliError::Stdin(_) => ErrorCode::CliStdin,
        }
    }
    fn hint(&self) -> Option<String> {
        match self {
            CliError::CaUnreadable { .. } => Some("Give the path of the company's CA certificate (.pem or .crt).".into()),
            CliError::FileUnreadable { .. } => Some("Check the path; the file must be readable UTF-8 text.".into()),
            CliError::FileUnwritable { .. } => Some("Choose a folder you can write to.".into()),
            CliError::NoSuggestion(_) => Some("Ask your IT department for the SMTP server, port and security mode.".into()),
            CliError::NoAnswer(_) => Some("Check the internet connection (or a firewall or proxy that blocks DNS), then try again; or type the settings by hand.".into()),
            CliError::BadAddress(_) => Some("Type one whole address, e.g. ali@firma.com.tr.".into()),
            CliError::NoAccountFor(_) => Some("List the accounts with `ulak accounts list`.".into()),
            CliError::TestFailed { .. } => Some("Each failed line above says what to fix.".into()),
            CliError::Stdin(_) => Some("Pipe the password in: printf '%s\\n' \"$PASS\" | ulak accounts add … --password-stdin".into()),
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            CliError::NoSuggestion(_) | CliError::NoAccountFor(_) => Some("email"),
            _ => None,
        }
    }
}

#[derive(Subcommand)]
pub enum AccountsCmd {
    /// Add an SMTP account (password from standard input with --password-stdin)
    Add(Fields),
    /// Add (or reconnect) an account by signing in with Google or Microsoft in the browser
    Connect(crate::oauth::ConnectArgs),
    /// Disconnect an account signed in with Google or Microsoft: revoke, delete, remove
    Disconnect {
        #[arg(long)]
        id: i64,
    },
    /// Change the given fields of an account; the others keep their values
    Edit {
        #[arg(long)]
        id: i64,
        #[command(flatten)]
        fields: Fields,
    },
    Remove {
        #[arg(long)]
        id: i64,
    },
    /// Each account with its status, sent today against its daily limit and its
    /// provider's, and its next free moment
    List {
        /// Every account (the default), or one with --id / --email
        #[arg(long, conflicts_with_all = ["id", "email"])]
        all: bool,
        #[arg(long)]
        id: Option<i64>,
        #[arg(long, conflicts_with = "id")]
        email: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Test the connection (TLS, sign-in; sends nothing) of every account not switched
    /// off (--all: every account), or one. A success makes an account active again
    Test {
        #[arg(long, conflicts_with_all = ["id", "email"])]
        all: bool,
        #[arg(long)]
        id: Option<i64>,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Send a real test e-mail from an account to its own address
    SendTest {
        #[arg(long)]
        id: i64,
    },
    /// Is the account's domain ready for campaigns: SPF and DMARC from DNS, DKIM from
    /// a sent mail's headers (send a test mail with `send-test`, save its headers from
    /// your mail program, give them with --headers-file)
    DomainCheck {
        #[arg(long)]
        id: i64,
        /// A received mail from this account (.eml, or its headers as text)
        #[arg(long)]
        headers_file: Option<std::path::PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Trust a company CA certificate (PEM file) for one account
    /// What goes with the account's messages: a Reply-To address and a signature (put
    /// under every message the composer writes). Omitted ones keep their value; "" or
    /// --clear empties them
    Extras {
        #[arg(long)]
        id: i64,
        #[arg(long)]
        reply_to: Option<String>,
        /// A text file with the signature (a few lines)
        #[arg(long)]
        signature_file: Option<PathBuf>,
        #[arg(long, conflicts_with_all = ["reply_to", "signature_file"])]
        clear: bool,
    },
    TrustCa {
        #[arg(long)]
        id: i64,
        /// The CA certificate (PEM); checked before it is kept
        #[arg(required_unless_present = "remove", conflicts_with = "remove")]
        file: Option<PathBuf>,
        /// Stop trusting the account's company CA
        #[arg(long)]
        remove: bool,
    },
}

#[derive(Args)]
pub struct Fields {
    #[arg(long)]
    email: Option<String>,
    #[arg(long)]
    sender_name: Option<String>,
    #[arg(long)]
    host: Option<String>,
    /// 1–65535; usually 587 (STARTTLS) or 465 (SSL/TLS)
    #[arg(long, allow_negative_numbers = true)]
    port: Option<i64>,
    /// starttls, tls (SSL/TLS from the first byte) or none (localhost only)
    #[arg(long, value_parser = parse_security)]
    security: Option<Security>,
    #[arg(long)]
    username: Option<String>,
    /// Read the password from standard input (one line)
    #[arg(long)]
    password_stdin: bool,
    /// Sends per local calendar day, or "off" (new accounts: 30). Counted from what
    /// was sent: it starts again at local midnight by itself, with no reset command
    #[arg(long, value_parser = parse_count)]
    daily_limit: Option<Count>,
    /// The least wait between two sends, in seconds (new accounts: 1)
    #[arg(long, value_parser = parse_seconds)]
    min_wait: Option<u32>,
    /// A random extra wait of up to this many seconds after each send
    #[arg(long, value_parser = parse_seconds)]
    jitter: Option<u32>,
    /// Ramp-up: N sends on the first day, 2N on the second… up to the daily limit; or "off"
    #[arg(long, value_parser = parse_count)]
    ramp_up: Option<Count>,
    /// active (sends) or inactive (its messages wait)
    #[arg(long, value_parser = parse_status)]
    status: Option<bool>,
    /// A company relay that takes mail from this computer without a sign-in: no
    /// username, no password (the connection test checks that it relays)
    #[arg(long, conflicts_with_all = ["username", "password_stdin"])]
    no_auth: bool,
}

/// A limit as given: a number, or "off" (None).
#[derive(Debug, Clone, Copy)]
pub struct Count(Option<u32>);

fn parse_count(s: &str) -> Result<Count, String> {
    if s.eq_ignore_ascii_case("off") {
        return Ok(Count(None));
    }
    match s.parse::<u32>() {
        Ok(n) if n > 0 => Ok(Count(Some(n))),
        _ => Err(format!("\"{s}\" is not a whole number above 0, or off")),
    }
}

/// Seconds as given (1, 0.5) → milliseconds.
fn parse_seconds(s: &str) -> Result<u32, String> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && (0.0..=86_400.0).contains(&x) => Ok((x * 1000.0).round() as u32),
        _ => Err(format!(
            "\"{s}\" is not a number of seconds between 0 and 86400"
        )),
    }
}

fn parse_status(s: &str) -> Result<bool, String> {
    match s {
        "active" => Ok(true),
        "inactive" => Ok(false),
        _ => Err(format!("\"{s}\" is not one of active, inactive")),
    }
}

fn parse_security(s: &str) -> Result<Security, String> {
    Security::parse(s).ok_or_else(|| format!("\"{s}\" is not one of starttls, tls, none"))
}

/// Standard input without its final line break: how secrets reach the command line.
pub fn read_stdin_line() -> std::io::Result<String> {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s)?;
    Ok(s.strip_suffix('\n')
        .map(|x| x.strip_suffix('\r').unwrap_or(x))
        .unwrap_or(&s)
        .to_string())
}

fn read_password() -> Result<String, ErrorPayload> {
    read_stdin_line().map_err(|e| payload(&CliError::Stdin(e.to_string())))
}

impl Fields {
    fn merge(self, base: Option<&Account>) -> Result<AccountInput, ErrorPayload> {
        let keep =
            |new: Option<String>, old: Option<&String>| new.or(old.cloned()).unwrap_or_default();
        Ok(AccountInput {
            email: keep(self.email, base.map(|a| &a.email)),
            sender_name: keep(self.sender_name, base.map(|a| &a.sender_name)),
            host: keep(self.host, base.map(|a| &a.host)),
            port: self.port.or(base.map(|a| i64::from(a.port))),
            security: self.security.or(base.map(|a| a.security)),
            username: if self.no_auth {
                String::new()
            } else {
                keep(self.username.clone(), base.map(|a| &a.username))
            },
            password: if self.password_stdin {
                Some(read_password()?)
            } else {
                None
            },
            limits: {
                let given = self.daily_limit.is_some()
                    || self.min_wait.is_some()
                    || self.jitter.is_some()
                    || self.ramp_up.is_some();
                match base {
                    // A new account starts from what the team knows.
                    None => Some(Limits::PROPOSED),
                    Some(a) if given => Some(a.limits),
                    Some(_) => None,
                }
                .map(|l| Limits {
                    daily: self.daily_limit.map_or(l.daily, |c| c.0),
                    min_wait_ms: self.min_wait.unwrap_or(l.min_wait_ms),
                    jitter_ms: self.jitter.unwrap_or(l.jitter_ms),
                    ramp_up: self.ramp_up.map_or(l.ramp_up, |c| c.0),
                })
            },
            active: self.status,
            // Kept on an edit that gives no sign-in details.
            no_auth: self.no_auth
                || (base.is_some_and(|a| a.no_auth)
                    && self.username.is_none()
                    && !self.password_stdin),
        })
    }
}

/// A save's error; "incomplete" names the flags to give, from the SMTP spec.
fn account_error(e: &accounts::AccountError) -> ErrorPayload {
    let mut p = payload(e);
    if p.code == ErrorCode::SmtpSettingsIncomplete {
        let flags = crate::providers::flags(spec::smtp(), &p.fields);
        p.hint = Some(format!("Give {}.", flags.join(" ")));
    }
    p
}

pub async fn run(pool: &SqlitePool, ws: i64, cmd: AccountsCmd) -> Result<(), ErrorPayload> {
    match cmd {
        AccountsCmd::Add(fields) => {
            let input = fields.merge(None)?;
            let a = accounts::create(pool, ws, &input)
                .await
                .map_err(|e| account_error(&e))?;
            println!("{}", a.id);
        }
        AccountsCmd::Connect(args) => crate::oauth::connect(pool, ws, args).await?,
        AccountsCmd::Disconnect { id } => crate::oauth::disconnect(pool, ws, id).await?,
        AccountsCmd::Edit { id, fields } => {
            let cur = accounts::get(pool, ws, id).await.map_err(|e| payload(&e))?;
            let input = fields.merge(Some(&cur))?;
            accounts::update(pool, ws, id, &input)
                .await
                .map_err(|e| account_error(&e))?;
            println!("account {id} saved");
        }
        AccountsCmd::Remove { id } => {
            accounts::remove(pool, ws, id)
                .await
                .map_err(|e| payload(&e))?;
            println!("account {id} removed");
        }
        AccountsCmd::List {
            all: _,
            id,
            email,
            json,
        } => {
            let mut list = accounts::list(pool, ws).await.map_err(|e| payload(&e))?;
            if let Some(id) = id {
                list.retain(|a| a.id == id);
                if list.is_empty() {
                    return Err(payload(&accounts::AccountError::NotFound(id)));
                }
            }
            if let Some(addr) = &email {
                list.retain(|a| a.email.eq_ignore_ascii_case(addr.trim()));
                if list.is_empty() {
                    return Err(payload(&CliError::NoAccountFor(addr.clone())));
                }
            }
            let sending = ulak_api::accounts::sending(pool, ws, chrono::Utc::now())
                .await
                .map_err(|e| payload(&e))?;
            let of = |id: i64| sending.iter().find(|s| s.id == id).map(|s| &s.sending);
            if json {
                let rows: Vec<serde_json::Value> = list
                    .iter()
                    .map(|a| {
                        let mut v = serde_json::to_value(a).expect("plain struct");
                        v["sending"] = serde_json::to_value(of(a.id)).expect("plain struct");
                        v
                    })
                    .collect();
                print_json(&rows);
            } else {
                for a in list {
                    let today = match of(a.id) {
                        Some(s) => sending_line(s),
                        None => String::new(),
                    };
                    let pw = match (&a.oauth, a.password_set) {
                        (Some(o), _) => format!(
                            "oauth {} ({})",
                            o.provider.as_str(),
                            match o.status {
                                ulak_channels::oauth::ConnectionStatus::Active => "connected",
                                ulak_channels::oauth::ConnectionStatus::Error =>
                                    "connect again: ulak accounts connect",
                            }
                        ),
                        (None, true) => format!("password {}", ulak_core::secret::MASK),
                        (None, false) => "(no password)".into(),
                    };
                    println!(
                        "{:>4}  {}  {}:{} {}  user {}  {}\n      {}",
                        a.id,
                        a.email,
                        a.host,
                        a.port,
                        a.security.as_str(),
                        a.username,
                        pw,
                        today
                    );
                }
            }
        }
        AccountsCmd::Test {
            all,
            id,
            email,
            json,
        } => return test(pool, ws, all, id, email, json).await,
        AccountsCmd::DomainCheck {
            id,
            headers_file,
            json,
        } => {
            let headers = match headers_file {
                None => None,
                Some(f) => {
                    Some(std::fs::read_to_string(&f).map_err(|e| payload(&file_error(&f, &e)))?)
                }
            };
            let r = ulak_api::accounts::domain_check(pool, ws, id, headers.as_deref())
                .await
                .map_err(|e| payload(&e))?;
            if json {
                print_json(&r);
            } else {
                print_readiness(&r);
            }
        }
        AccountsCmd::SendTest { id } => {
            let sent = ulak_channels::email::send::send_test_email(pool, ws, id)
                .await
                .map_err(|e| payload(&e))?;
            println!(
                "sent to {} ({}): {}",
                sent.to, sent.message_id, sent.server_reply
            );
        }
        AccountsCmd::Extras {
            id,
            reply_to,
            signature_file,
            clear,
        } => {
            let a = accounts::get(pool, ws, id).await.map_err(|e| payload(&e))?;
            let signature = match signature_file {
                Some(f) => std::fs::read_to_string(&f).map_err(|e| payload(&file_error(&f, &e)))?,
                None if clear => String::new(),
                None => a.signature.unwrap_or_default(),
            };
            let reply_to = match reply_to {
                Some(r) => r,
                None if clear => String::new(),
                None => a.reply_to.unwrap_or_default(),
            };
            let a = accounts::set_extras(pool, ws, id, &reply_to, &signature)
                .await
                .map_err(|e| payload(&e))?;
            println!(
                "account {id}: reply-to {}, signature {}",
                a.reply_to.as_deref().unwrap_or("none"),
                if a.signature.is_some() { "set" } else { "none" }
            );
        }
        AccountsCmd::TrustCa { id, file, remove } => {
            let Some(file) = file.filter(|_| !remove) else {
                accounts::set_trusted_ca(pool, ws, id, None)
                    .await
                    .map_err(|e| payload(&e))?;
                println!("account {id} no longer trusts a company CA");
                return Ok(());
            };
            let pem = std::fs::read_to_string(&file).map_err(|e| {
                payload(&CliError::CaUnreadable {
                    path: file.clone(),
                    reason: e.to_string(),
                })
            })?;
            accounts::set_trusted_ca(pool, ws, id, Some(&pem))
                .await
                .map_err(|e| payload(&e))?;
            println!("account {id} now trusts the CA in {}", file.display());
        }
    }
    Ok(())
}

/// `ulak autoconfig ADDRESS`: the suggested settings, where they came from, and what
/// was tried on the way (sources settable through ULAK_AUTOCONFIG_* and ULAK_DNS_SERVER).
pub async fn autoconfig(address: &str, json: bool) -> Result<(), ErrorPayload> {
    let d = autoconfig::lookup::discover(address, &autoconfig::lookup::Sources::from_env()).await;
    if json {
        print_json(&d);
    } else {
        for t in &d.tried {
            println!(
                "tried:    {:?} {} {}",
                t.source,
                if t.found { "✓" } else { "–" },
                t.detail
            );
        }
    }
    let Some(s) = d.suggestion else {
        return Err(payload(&match d.outcome {
            autoconfig::lookup::LookupOutcome::BadAddress => {
                CliError::BadAddress(address.to_string())
            }
            autoconfig::lookup::LookupOutcome::NoAnswer => CliError::NoAnswer(address.to_string()),
            _ => CliError::NoSuggestion(address.to_string()),
        }));
    };
    if json {
        return Ok(());
    }
    println!("source:   {:?}", s.source);
    if let Some(n) = &s.provider_name {
        println!("provider: {n}");
    }
    for srv in &s.servers {
        println!(
            "server:   {}:{} {}  user {}",
            srv.host,
            srv.port,
            srv.security.as_str(),
            srv.username
        );
    }
    if let Some(h) = &s.hint {
        println!("note:     {}", h.en);
    }
    Ok(())
}

#[derive(serde::Serialize)]
struct TestOut {
    success: bool,
    message: String,
    account_email: String,
    code: Option<ErrorCode>,
    hint: Option<String>,
    steps: Vec<ulak_channels::email::probe::Step>,
}

/// `ulak accounts test`: one line (or JSON object) per account; exit 1 if any failed.
async fn test(
    pool: &SqlitePool,
    ws: i64,
    every: bool,
    id: Option<i64>,
    email: Option<String>,
    json: bool,
) -> Result<(), ErrorPayload> {
    let all = accounts::list(pool, ws).await.map_err(|e| payload(&e))?;
    let chosen: Vec<Account> = match (id, email.as_deref()) {
        (Some(id), _) => vec![accounts::get(pool, ws, id).await.map_err(|e| payload(&e))?],
        (None, Some(addr)) => match accounts::by_email(pool, ws, addr)
            .await
            .map_err(|e| payload(&e))?
        {
            Some(a) => vec![a],
            None => return Err(payload(&CliError::NoAccountFor(addr.to_string()))),
        },
        (None, None) => all
            .into_iter()
            .filter(|a| every || a.status != ulak_outbox::senders::Status::Inactive)
            .collect(),
    };
    let mut outs = Vec::new();
    for a in &chosen {
        let r = accounts::test_connection(pool, ws, a.id)
            .await
            .map_err(|e| payload(&e))?;
        let (message, code, hint) = match &r.failure {
            None => ("connection and sign-in work".to_string(), None, None),
            Some(f) => (f.message.clone(), Some(f.code), Some(f.hint.clone())),
        };
        outs.push(TestOut {
            success: r.success,
            message,
            account_email: a.email.clone(),
            code,
            hint,
            steps: r.steps,
        });
    }
    if json {
        print_json(&outs);
    } else {
        for o in &outs {
            let steps: Vec<String> = o
                .steps
                .iter()
                .map(|s| {
                    format!(
                        "{:?} {}ms{}",
                        s.kind,
                        s.millis,
                        if s.ok { "" } else { " ✗" }
                    )
                })
                .collect();
            if o.success {
                println!("ok    {}  ({})", o.account_email, steps.join(" → "));
            } else {
                println!(
                    "FAIL  {}  {} [{}]  ({})\n      fix: {}",
                    o.account_email,
                    o.message,
                    o.code.map_or("", ErrorCode::as_str),
                    steps.join(" → "),
                    o.hint.as_deref().unwrap_or("")
                );
            }
        }
    }
    let failed = outs.iter().filter(|o| !o.success).count();
    if failed > 0 {
        return Err(payload(&CliError::TestFailed {
            failed,
            total: outs.len(),
        }));
    }
    if outs.is_empty() {
        println!("no accounts to test (switched-off ones are tested with --all)");
    }
    Ok(())
}

/// "active · today 12/30 · Gmail 12/500 a day · next 14:05 (daily limit)".
fn sending_line(s: &ulak_outbox::senders::Sending) -> String {
    use ulak_outbox::senders::{Unit, Wait};
    let mut parts = vec![s.status.as_str().to_string()];
    if let Some(r) = &s.status_reason {
        let why = match ulak_outbox::senders::bounce_reason(r) {
            Some((b, t)) => format!(
                "{b} of {t} messages in 28 days bounced, above 2%: clean the list, then test it"
            ),
            None => r.clone(),
        };
        parts[0] = format!("{} ({why})", s.status.as_str());
    }
    parts.push(match s.daily_today {
        Some(l) => format!("today {}/{l}", s.sent_today),
        None => format!("today {} (no daily limit)", s.sent_today),
    });
    if let Some(day) = s.ceilings.day {
        let unit = match s.ceilings.unit {
            Unit::Messages => "messages",
            Unit::Recipients => "recipients",
        };
        parts.push(format!("provider {}/{day} {unit} in 24 h", s.provider_used));
    }
    if let Some(m) = s.ceilings.minute {
        parts.push(format!("{}/{m} a minute", s.minute_used));
    }
    if s.limits.min_wait_ms > 0 {
        parts.push(format!(
            "wait {:.1} s",
            f64::from(s.limits.min_wait_ms) / 1000.0
        ));
    }
    parts.push(format!("{} queued", s.queued));
    match (&s.next_free_at, &s.waiting) {
        (Some(t), Some(w)) => {
            let local = chrono::DateTime::parse_from_rfc3339(t)
                .map(|t| {
                    t.with_timezone(&chrono::Local)
                        .format("%d.%m %H:%M:%S")
                        .to_string()
                })
                .unwrap_or_else(|_| t.clone());
            let why = match w {
                Wait::Inactive => "switched off".to_string(),
                Wait::Error { .. } => "in error: test it again".to_string(),
                Wait::DailyLimit { limit } => format!("daily limit {limit}"),
                Wait::ProviderDay { limit, .. } => format!("provider's {limit} in 24 h"),
                Wait::ProviderMinute { limit } => format!("provider's {limit} a minute"),
                Wait::Pacing => "wait between sends".to_string(),
            };
            parts.push(format!("next free {local} ({why})"));
        }
        _ => parts.push("free now".into()),
    }
    if let Some(e) = &s.last_error {
        parts.push(format!("last error: {e}"));
    }
    parts.join(" · ")
}

/// The domain check in words, each problem with its fix.
fn print_readiness(r: &ulak_channels::email::readiness::Readiness) {
    use ulak_channels::email::readiness::{DkimKey, DmarcState, SpfState};
    let d = &r.domain;
    let wanted = r.spf.wanted.as_deref().unwrap_or("your mail server");
    let spf = match r.spf.state {
        SpfState::Ok => format!("SPF ok ({} lookups of 10)", r.spf.lookups),
        SpfState::Missing => format!("SPF missing: add a TXT record to {d}: \"v=spf1 {} ~all\"", if wanted.starts_with("include:") { wanted.to_string() } else { format!("a:{wanted}") }),
        SpfState::Multiple => format!("SPF: {d} has more than one SPF record; receivers reject that. Merge them into one"),
        SpfState::Invalid => format!("SPF: the record of {d} (or one it includes) cannot be read; check it with your DNS provider"),
        SpfState::LacksProvider => format!("SPF does not name your provider: add {wanted} to the SPF record of {d}"),
        SpfState::TooManyLookups => format!("SPF needs {} DNS lookups; receivers stop at 10. Remove includes you no longer use", r.spf.lookups),
        SpfState::NoAnswer => "SPF: DNS did not answer; check the internet connection and try again".into(),
        SpfState::ProviderDomain => format!("SPF: {d} belongs to the provider, who keeps its records"),
    };
    println!("{spf}");
    if let Some(rec) = &r.spf.record {
        println!("    {rec}");
    }
    let dmarc = match r.dmarc.state {
        DmarcState::Ok => format!("DMARC ok (p={})", r.dmarc.policy.as_deref().unwrap_or("?")),
        DmarcState::Missing => format!("DMARC missing: add a TXT record at _dmarc.{d}: \"v=DMARC1; p=none; rua=mailto:dmarc@{d}\""),
        DmarcState::Multiple => format!("DMARC: _dmarc.{d} has more than one record; keep one"),
        DmarcState::Invalid => format!("DMARC: the record at _dmarc.{d} cannot be read (it needs v=DMARC1; p=none|quarantine|reject)"),
        DmarcState::NoAnswer => "DMARC: DNS did not answer; try again".into(),
        DmarcState::ProviderDomain => format!("DMARC: {d} belongs to the provider"),
    };
    println!("{dmarc}");
    if r.dkim.is_empty() {
        println!("DKIM unknown: send a test mail (`ulak accounts send-test`), save it from your mail program and give it with --headers-file");
    }
    for k in &r.dkim {
        let key = match k.key {
            DkimKey::Found => "key found",
            DkimKey::NotFound => "key NOT in DNS: receivers will fail DKIM",
            DkimKey::Unknown => "key unknown",
            DkimKey::NoAnswer => "DNS did not answer",
        };
        println!(
            "DKIM d={} s={}: {}, {key}{}",
            k.domain,
            k.selector,
            if k.aligned {
                "aligned with From"
            } else {
                "NOT aligned with From (DMARC needs d= to be your domain)"
            },
            if k.from_headers {
                ""
            } else {
                " (a common selector that answered)"
            }
        );
    }
    println!(
        "{}",
        if r.ready {
            "ready for campaigns"
        } else {
            "not ready for campaigns yet: fix the points above"
        }
    );
}
