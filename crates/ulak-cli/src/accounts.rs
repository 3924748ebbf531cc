//! `ulak accounts …` and `ulak autoconfig`: SMTP accounts with the form's validation;
//! passwords only from standard input, never from an argument.

use std::io::Read;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use sqlx::SqlitePool;
use ulak_core::ErrorPayload;
use ulak_mail::accounts::{self, Account, AccountInput};
use ulak_mail::autoconfig;
use ulak_mail::server::Security;

use crate::{payload, print_json};

#[derive(Subcommand)]
pub enum AccountsCmd {
    /// Add an SMTP account (password from standard input with --password-stdin)
    Add(Fields),
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
    List {
        #[arg(long)]
        json: bool,
    },
    /// Trust a company CA certificate (PEM file) for one account
    TrustCa {
        #[arg(long)]
        id: i64,
        file: PathBuf,
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
}

fn parse_security(s: &str) -> Result<Security, String> {
    Security::parse(s).ok_or_else(|| format!("\"{s}\" is not one of starttls, tls, none"))
}

fn read_password() -> Result<String, ErrorPayload> {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).map_err(|e| {
        ErrorPayload::internal(format!("reading the password from standard input: {e}"))
    })?;
    Ok(s.strip_suffix('\n')
        .map(|x| x.strip_suffix('\r').unwrap_or(x))
        .unwrap_or(&s)
        .to_string())
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
            username: keep(self.username, base.map(|a| &a.username)),
            password: if self.password_stdin {
                Some(read_password()?)
            } else {
                None
            },
        })
    }
}

pub async fn run(pool: &SqlitePool, ws: i64, cmd: AccountsCmd) -> Result<(), ErrorPayload> {
    match cmd {
        AccountsCmd::Add(fields) => {
            let input = fields.merge(None)?;
            let a = accounts::create(pool, ws, &input)
                .await
                .map_err(|e| payload(&e))?;
            println!("{}", a.id);
        }
        AccountsCmd::Edit { id, fields } => {
            let cur = accounts::get(pool, ws, id).await.map_err(|e| payload(&e))?;
            let input = fields.merge(Some(&cur))?;
            accounts::update(pool, ws, id, &input)
                .await
                .map_err(|e| payload(&e))?;
            println!("account {id} saved");
        }
        AccountsCmd::Remove { id } => {
            accounts::remove(pool, ws, id)
                .await
                .map_err(|e| payload(&e))?;
            println!("account {id} removed");
        }
        AccountsCmd::List { json } => {
            let list = accounts::list(pool, ws).await.map_err(|e| payload(&e))?;
            if json {
                print_json(&list);
            } else {
                for a in list {
                    let pw = if a.password_set {
                        ulak_core::secret::MASK
                    } else {
                        "(no password)"
                    };
                    println!(
                        "{:>4}  {}  {}:{} {}  user {}  password {}",
                        a.id,
                        a.email,
                        a.host,
                        a.port,
                        a.security.as_str(),
                        a.username,
                        pw
                    );
                }
            }
        }
        AccountsCmd::TrustCa { id, file } => {
            let pem = std::fs::read_to_string(&file).map_err(|e| ErrorPayload {
                code: "smtp.ca_unreadable".into(),
                message: format!("cannot read {}: {e}", file.display()),
                hint: Some("Give the path of the company's CA certificate (.pem or .crt).".into()),
                field: None,
            })?;
            if !pem.contains("-----BEGIN CERTIFICATE-----") {
                return Err(ErrorPayload {
                    code: "smtp.ca_not_pem".into(),
                    message: format!("{} is not a PEM certificate", file.display()),
                    hint: Some("Export the CA as PEM (Base-64); it starts with -----BEGIN CERTIFICATE-----.".into()),
                    field: None,
                });
            }
            accounts::set_trusted_ca(pool, ws, id, Some(&pem))
                .await
                .map_err(|e| payload(&e))?;
            println!("account {id} now trusts the CA in {}", file.display());
        }
    }
    Ok(())
}

/// `ulak autoconfig ADDRESS`: the suggested settings and where they came from.
pub fn autoconfig(address: &str, json: bool) -> Result<(), ErrorPayload> {
    let Some(s) = autoconfig::builtin(address) else {
        return Err(ErrorPayload {
            code: "autoconfig.not_found".into(),
            message: format!("no settings known for {address}"),
            hint: Some(
                "Ask your IT department for the SMTP server, port and security mode.".into(),
            ),
            field: Some("email".into()),
        });
    };
    if json {
        print_json(&s);
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
