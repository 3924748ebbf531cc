//! `ulak providers …`: the sending providers' specs, the same data the window's forms
//! are drawn from (crates/ulak-channels/specs/).

use clap::Subcommand;
use ulak_channels::spec::{self, ConnectionTest, FieldKind, ProviderSpec, Required};
use ulak_core::{ErrorCode, ErrorPayload};
use ulak_outbox::Channel;

use crate::{payload, print_json};

#[derive(Subcommand)]
pub enum ProvidersCmd {
    /// Every provider Ulak can send through, by channel
    List {
        #[arg(long)]
        json: bool,
    },
    /// What one provider asks for: its fields, which are secret, their limits and help
    Show {
        /// email, sms, whatsapp, chat or webhook
        channel: String,
        /// e.g. smtp or sandbox (see `ulak providers list`)
        provider: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, thiserror::Error)]
#[error("no provider {channel}/{provider}")]
struct UnknownProvider {
    channel: String,
    provider: String,
}

impl ulak_core::UserFacing for UnknownProvider {
    fn code(&self) -> ErrorCode {
        ErrorCode::CliBadState
    }
    fn hint(&self) -> Option<String> {
        Some("See `ulak providers list` for the channels and providers.".into())
    }
}

pub fn run(cmd: ProvidersCmd) -> Result<(), ErrorPayload> {
    match cmd {
        ProvidersCmd::List { json } => {
            if json {
                print_json(&spec::all());
            } else {
                for s in spec::all() {
                    println!("{:<9} {:<10} {}", s.channel.as_str(), s.provider, s.name.en);
                }
            }
        }
        ProvidersCmd::Show {
            channel,
            provider,
            json,
        } => {
            let found = Channel::parse(&channel).and_then(|c| spec::get(c, &provider));
            let Some(s) = found else {
                return Err(payload(&UnknownProvider { channel, provider }));
            };
            if json {
                print_json(s);
            } else {
                print_spec(s);
            }
        }
    }
    Ok(())
}

fn print_spec(s: &ProviderSpec) {
    println!("{} ({}/{})", s.name.en, s.channel.as_str(), s.provider);
    println!("{}", s.summary.en);
    if let Some(url) = &s.base_url {
        println!("base URL: {url}");
    }
    match &s.test {
        ConnectionTest::None => {}
        ConnectionTest::SmtpSteps => {
            println!("connection test: connect, greeting, EHLO, TLS, sign-in (sends nothing)")
        }
        ConnectionTest::Http {
            method,
            path,
            status,
        } => println!("connection test: {method} {path}, expecting {status}"),
    }
    if s.fields.is_empty() {
        println!("nothing to set up");
        return;
    }
    println!();
    for f in &s.fields {
        let flag = if f.kind == FieldKind::Secret {
            format!("--{}-stdin", f.flag)
        } else {
            format!("--{}", f.flag)
        };
        let need = match f.required {
            Required::Always => "required",
            Required::OnCreate => "required when adding",
            Required::Never => "optional",
        };
        let mut about = vec![need.to_string()];
        if f.kind == FieldKind::Secret {
            about.push("secret: read from standard input, stored encrypted".into());
        }
        if let Some(max) = f.max_length {
            about.push(format!("at most {max} characters"));
        }
        if !f.options.is_empty() {
            let values: Vec<_> = f.options.iter().map(|o| o.value.as_str()).collect();
            about.push(format!("one of {}", values.join(", ")));
        }
        println!("  {flag:<22} {} ({})", f.label.en, about.join("; "));
        println!("  {:<22} {}", "", f.help.en);
    }
}

/// The command-line flags of the given fields of a spec, for "what is missing" hints.
pub fn flags(spec: &ProviderSpec, keys: &[String]) -> Vec<String> {
    keys.iter()
        .filter_map(|k| spec.field(k))
        .map(|f| {
            if f.kind == FieldKind::Secret {
                format!("--{}-stdin", f.flag)
            } else {
                format!("--{}", f.flag)
            }
        })
        .collect()
}
