//! `ulak accounts connect|disconnect` (an account signed in with Google or Microsoft)
//! and `ulak oauth config|show` (the OAuth apps: client IDs and endpoints).

use clap::{Args, Subcommand};
use sqlx::SqlitePool;
use ulak_api::oauth::{self as api, AccountChoice};
use ulak_channels::email::server::{Security, ServerParams};
use ulak_channels::oauth::{self, AppSettings, Provider, Redirect};
use ulak_core::{settings, ErrorPayload};

use crate::{payload, print_json};

fn parse_provider(s: &str) -> Result<Provider, String> {
    Provider::parse(s).ok_or_else(|| format!("\"{s}\" is not one of google, microsoft"))
}

fn parse_redirect(s: &str) -> Result<Redirect, String> {
    match s {
        "loopback" => Ok(Redirect::Loopback),
        "deep-link" => Ok(Redirect::DeepLink),
        _ => Err(format!("\"{s}\" is not one of loopback, deep-link")),
    }
}

fn parse_security(s: &str) -> Result<Security, String> {
    Security::parse(s).ok_or_else(|| format!("\"{s}\" is not one of starttls, tls, none"))
}

#[derive(Args)]
pub struct ConnectArgs {
    /// google (sends through the Gmail API) or microsoft (SMTP with OAuth)
    #[arg(long, value_parser = parse_provider)]
    provider: Provider,
    /// The address to sign in as (the provider's sign-in page starts with it)
    #[arg(long)]
    email: Option<String>,
    #[arg(long)]
    sender_name: Option<String>,
    /// Another SMTP server than the provider's (a tenant's own, or a test server)
    #[arg(long, requires = "port")]
    host: Option<String>,
    #[arg(long, allow_negative_numbers = true)]
    port: Option<i64>,
    #[arg(long, value_parser = parse_security)]
    security: Option<Security>,
    /// Only print the sign-in address; do not open a browser
    #[arg(long)]
    no_browser: bool,
}

/// Opens `url` in the system browser, best effort (the address is printed anyway).
fn open_browser(url: &str) {
    let (cmd, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("rundll32", vec!["url.dll,FileProtocolHandler", url])
    } else {
        ("xdg-open", vec![url])
    };
    let _ = std::process::Command::new(cmd)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

/// Ctrl-C from now on (caught before the sign-in address is printed, so it always
/// ends the sign-in cleanly: the listener closes, nothing is saved).
pub fn interrupted() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let mut interrupt =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()).ok();
    async move {
        #[cfg(unix)]
        match interrupt.as_mut() {
            Some(s) => {
                s.recv().await;
            }
            None => std::future::pending::<()>().await,
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// `work`, unless Ctrl-C comes first (then the sign-in is cancelled).
pub async fn until_interrupted<T>(
    interrupted: impl std::future::Future<Output = ()>,
    work: impl std::future::Future<Output = T>,
) -> Result<T, ErrorPayload> {
    tokio::select! {
        r = work => Ok(r),
        _ = interrupted => {
            api::cancel();
            Err(payload(&oauth::OAuthError::Cancelled))
        }
    }
}

/// Prints the sign-in address (and opens the browser at it unless told not to).
pub fn show(url: &str, no_browser: bool) {
    eprintln!(
        "Tarayıcıda girişi tamamlayın / Finish the sign-in in the browser (5 minutes):\n{url}"
    );
    if !no_browser {
        open_browser(url);
    }
}

pub async fn connect(pool: &SqlitePool, ws: i64, a: ConnectArgs) -> Result<(), ErrorPayload> {
    let server = match (&a.host, a.port) {
        (Some(host), Some(port)) => Some(
            ServerParams::validated(
                host,
                port,
                a.security.unwrap_or(Security::Starttls),
                a.email.as_deref().unwrap_or_default(),
            )
            .map_err(|e| payload(&e))?,
        ),
        _ => None,
    };
    let interrupted = interrupted();
    let pending = api::begin(pool, ws, a.provider, a.email.as_deref())
        .await
        .map_err(|e| payload(&e))?;
    show(&pending.authorize_url, a.no_browser);
    let lang = settings::language(pool)
        .await
        .unwrap_or(settings::Language::Tr);
    let choice = AccountChoice {
        sender_name: a.sender_name.unwrap_or_default(),
        server,
    };
    let account = until_interrupted(interrupted, api::finish(pool, ws, pending, lang, &choice))
        .await?
        .map_err(|e| payload(&e))?;
    println!("{}", account.id);
    eprintln!("{} bağlandı / connected", account.email);
    Ok(())
}

pub async fn disconnect(pool: &SqlitePool, ws: i64, id: i64) -> Result<(), ErrorPayload> {
    let d = api::disconnect(pool, ws, id)
        .await
        .map_err(|e| payload(&e))?;
    let said = match d.revocation {
        oauth::connections::Revocation::Revoked => "access revoked at the provider",
        oauth::connections::Revocation::NotOffered => {
            "the provider has no revocation; the tokens are deleted here"
        }
        oauth::connections::Revocation::Failed => {
            "the provider could not be reached to revoke; the tokens are deleted here and expire on their own"
        }
    };
    println!("account {id} disconnected: {said}");
    Ok(())
}

#[derive(Subcommand)]
pub enum OauthCmd {
    /// Set the OAuth app of a provider (client ID, endpoints); unset fields keep their values
    Config {
        #[arg(value_parser = parse_provider)]
        provider: Provider,
        #[arg(long)]
        client_id: Option<String>,
        /// Google desktop clients' secret (not secret, but not shown either): one line on stdin
        #[arg(long)]
        client_secret_stdin: bool,
        #[arg(long)]
        authorize_url: Option<String>,
        #[arg(long)]
        token_url: Option<String>,
        /// "none": the provider has no revocation endpoint (an empty value, like for every
        /// address here, goes back to the built-in one)
        #[arg(long)]
        revoke_url: Option<String>,
        #[arg(long)]
        api_base: Option<String>,
        /// loopback (http://127.0.0.1:PORT) or deep-link (ulak://oauth/callback; not Google)
        #[arg(long, value_parser = parse_redirect)]
        redirect: Option<Redirect>,
        /// Drop every earlier setting first (back to the built-in values)
        #[arg(long)]
        reset: bool,
    },
    /// The OAuth apps as Ulak uses them
    Show {
        #[arg(long)]
        json: bool,
    },
    /// The workspace's sign-ins (Google, Microsoft) and what each was granted
    Connections {
        #[arg(long)]
        json: bool,
    },
    /// Test a sign-in: a fresh token is asked for (nothing else is called)
    Test {
        #[arg(long)]
        id: i64,
    },
    /// Remove a sign-in (revoked where the provider can); a sending account that signs
    /// in with it goes too
    Disconnect {
        #[arg(long)]
        id: i64,
    },
}

pub async fn run(pool: &SqlitePool, ws: i64, cmd: OauthCmd) -> Result<(), ErrorPayload> {
    match cmd {
        OauthCmd::Config {
            provider,
            client_id,
            client_secret_stdin,
            authorize_url,
            token_url,
            revoke_url,
            api_base,
            redirect,
            reset,
        } => {
            let client_secret = if client_secret_stdin {
                Some(crate::accounts::read_stdin_line().map_err(|e| {
                    payload(&crate::accounts::file_error(std::path::Path::new("-"), &e))
                })?)
            } else {
                None
            };
            let s = AppSettings {
                client_id,
                client_secret,
                authorize_url,
                token_url,
                revoke_url,
                api_base,
                redirect,
            };
            let app = oauth::configure(pool, provider, &s, reset)
                .await
                .map_err(|e| payload(&e))?;
            println!("{} saved", app.provider.as_str());
        }
        OauthCmd::Show { json } => {
            let apps = api::apps(pool).await.map_err(|e| payload(&e))?;
            if json {
                print_json(&apps);
            } else {
                for a in apps {
                    println!(
                        "{}  client {}  redirect {:?}\n  authorize {}\n  token {}\n  revoke {}\n  api {}",
                        a.provider.as_str(),
                        if a.client_id.is_empty() { "(not set)" } else { &a.client_id },
                        a.redirect,
                        a.authorize_url,
                        a.token_url,
                        a.revoke_url.as_deref().unwrap_or("(none)"),
                        a.api_base
                    );
                }
            }
        }
        OauthCmd::Connections { json } => {
            let list = oauth::connections::list(pool, ws)
                .await
                .map_err(|e| payload(&e))?;
            if json {
                print_json(&list);
            } else {
                for c in list {
                    println!(
                        "{}  {}  {}  {:?}\n  {}",
                        c.id,
                        c.provider.as_str(),
                        c.address,
                        c.status,
                        c.scopes.join(" ")
                    );
                }
            }
        }
        OauthCmd::Test { id } => {
            api::test_grant(pool, ws, id)
                .await
                .map_err(|e| payload(&e))?;
            println!("sign-in {id} works");
        }
        OauthCmd::Disconnect { id } => {
            let r = api::disconnect_grant(pool, ws, id)
                .await
                .map_err(|e| payload(&e))?;
            println!("sign-in {id} removed ({:?})", r.revocation);
            if r.accounts_removed > 0 {
                eprintln!(
                    "{} sending account(s) that signed in with it removed too",
                    r.accounts_removed
                );
            }
        }
    }
    Ok(())
}

/// `ulak calendar|sheets|google-contacts|drive connect`: a Google sign-in for
/// `purpose` (the address printed for the browser, Ctrl-C ends it), the connection's
/// id printed and `done` said with its address.
pub async fn connect_google(
    pool: &SqlitePool,
    ws: i64,
    purpose: api::Purpose,
    email: Option<&str>,
    no_browser: bool,
    done: &str,
) -> Result<(), ErrorPayload> {
    connect_grant(pool, ws, Provider::Google, purpose, email, no_browser, done).await
}

/// A sign-in with `provider` for `purpose` (no account): the browser, then the
/// connection's id on stdout.
pub async fn connect_grant(
    pool: &SqlitePool,
    ws: i64,
    provider: Provider,
    purpose: api::Purpose,
    email: Option<&str>,
    no_browser: bool,
    done: &str,
) -> Result<(), ErrorPayload> {
    let stop = interrupted();
    let pending = api::begin_for(pool, ws, provider, purpose, email)
        .await
        .map_err(|e| payload(&e))?;
    show(&pending.authorize_url, no_browser);
    let lang = settings::language(pool)
        .await
        .unwrap_or(settings::Language::Tr);
    let limit = oauth::flow::LIMIT;
    let c = until_interrupted(stop, api::sign_in(pool, ws, pending, lang, limit))
        .await?
        .map_err(|e| payload(&e))?;
    println!("{}", c.id);
    eprintln!("{}: {done}", c.address);
    Ok(())
}
