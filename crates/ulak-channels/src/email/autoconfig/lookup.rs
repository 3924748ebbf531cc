//! The network steps of the lookup, in Thunderbird's order plus DNS: autoconfig.<domain>,
//! .well-known, the ISPDB, SRV (RFC 8314 / 6186), then MX mapped to a provider. Every
//! source can be pointed elsewhere (tests, corporate networks) and each has a short timeout.

use std::net::SocketAddr;
use std::time::Duration;

use serde::Serialize;

use super::{builtin, from_mx, from_xml, xml, Source, Suggestion};
use crate::email::server::{Security, ServerParams};

pub const ISPDB_DEFAULT: &str = "https://autoconfig.thunderbird.net/v1.1/";

/// Where to look. `from_env` reads `ULAK_AUTOCONFIG_HTTP_BASE`, `ULAK_AUTOCONFIG_ISPDB_URL`
/// and `ULAK_DNS_SERVER=IP:PORT`.
#[derive(Debug, Clone)]
pub struct Sources {
    /// Replaces `https://autoconfig.<domain>` and `https://<domain>` in the two domain lookups.
    pub http_base: Option<String>,
    pub ispdb_base: String,
    /// A DNS server for SRV and MX; the system's resolver when unset.
    pub dns_server: Option<SocketAddr>,
    pub step_timeout: Duration,
    /// The ports a guessed host is tried on, best first (465 implicit TLS, then 587
    /// STARTTLS); tests point them at the local mail server.
    pub guess_ports: Vec<(u16, Security)>,
}

/// Where a guess is tried when no source knew the domain: Thunderbird's last step.
pub const GUESS_PORTS: [(u16, Security); 2] = [(465, Security::Tls), (587, Security::Starttls)];

impl Sources {
    pub fn from_env() -> Self {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        Sources {
            http_base: var("ULAK_AUTOCONFIG_HTTP_BASE")
                .map(|b| b.trim_end_matches('/').to_string()),
            ispdb_base: var("ULAK_AUTOCONFIG_ISPDB_URL").unwrap_or_else(|| ISPDB_DEFAULT.into()),
            dns_server: crate::email::dns::server_from_env(),
            step_timeout: Duration::from_secs(4),
            guess_ports: GUESS_PORTS.to_vec(),
        }
    }
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LookupAttempt {
    pub source: Source,
    pub found: bool,
    /// What was asked (a URL or a DNS name) and what came of it, for the user to see.
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Discovery {
    pub suggestion: Option<Suggestion>,
    pub tried: Vec<LookupAttempt>,
    pub outcome: LookupOutcome,
}

/// How a lookup ended, so the window can say which of these it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum LookupOutcome {
    Found,
    /// Every source answered and none knows the domain: type the settings by hand.
    NothingKnown,
    /// Nothing answered at all (no HTTP server, no DNS reply): the network or DNS is
    /// down, not the domain unknown.
    NoAnswer,
    /// Not an address (`a@b@c`, a trailing dot): nothing was looked up.
    BadAddress,
}

impl Discovery {
    fn found(suggestion: Suggestion, tried: Vec<LookupAttempt>) -> Self {
        Discovery {
            suggestion: Some(suggestion),
            tried,
            outcome: LookupOutcome::Found,
        }
    }
}

/// The address and its domain (lowercase), or None for anything that is not one
/// address: a second `@`, an empty part, a dot at either end of the domain or two in a
/// row, or characters that would go into a URL as something else.
fn split(email: &str) -> Option<(&str, String)> {
    let e = email.trim();
    let (local, domain) = e.split_once('@')?;
    if local.is_empty()
        || domain.is_empty()
        || domain.contains(['/', '?', '#', ' ', '\\', '@', '%'])
        || domain.starts_with('.')
        || domain.ends_with('.')
        || domain.contains("..")
        || !domain.contains('.')
    {
        return None;
    }
    Some((e, domain.to_lowercase()))
}

/// Reads at most `xml::MAX_BYTES`; a bigger answer is refused without reading it all.
async fn fetch(client: &reqwest::Client, url: &str) -> Result<Vec<u8>, String> {
    let mut resp = client.get(url).send().await.map_err(|e| short(&e))?;
    if !resp.status().is_success() {
        return Err(format!("HTTP {}", resp.status().as_u16()));
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| short(&e))? {
        if body.len() + chunk.len() > xml::MAX_BYTES {
            return Err("answer too large".into());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn short(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timed out".into()
    } else if e.is_connect() {
        "could not connect".into()
    } else {
        "request failed".into()
    }
}

/// Tries every source in order and stops at the first that gives usable settings.
pub async fn discover(email: &str, sources: &Sources) -> Discovery {
    let mut tried = Vec::new();
    let Some((email, domain)) = split(email) else {
        return Discovery {
            suggestion: None,
            tried,
            outcome: LookupOutcome::BadAddress,
        };
    };
    if let Some(s) = builtin(email) {
        tried.push(LookupAttempt {
            source: Source::Builtin,
            found: true,
            detail: s.provider_name.clone().unwrap_or_default(),
        });
        return Discovery::found(s, tried);
    }
    // Whether anything answered at all: an HTTP status (a 404 too) or a DNS reply
    // (NXDOMAIN too). None: the network or DNS is down.
    let mut answered = false;
    tried.push(LookupAttempt {
        source: Source::Builtin,
        found: false,
        detail: domain.clone(),
    });

    let client = reqwest::Client::builder()
        .timeout(sources.step_timeout)
        .redirect(reqwest::redirect::Policy::limited(3))
        .https_only(sources.http_base.is_none())
        .build();
    if let Ok(client) = client {
        let q = format!("emailaddress={}", encode(email));
        let urls = match &sources.http_base {
            Some(base) => [
                (
                    Source::AutoconfigHost,
                    format!("{base}/mail/config-v1.1.xml?{q}"),
                ),
                (
                    Source::WellKnown,
                    format!("{base}/.well-known/autoconfig/mail/config-v1.1.xml?{q}"),
                ),
            ],
            None => [
                (
                    Source::AutoconfigHost,
                    format!("https://autoconfig.{domain}/mail/config-v1.1.xml?{q}"),
                ),
                (
                    Source::WellKnown,
                    format!("https://{domain}/.well-known/autoconfig/mail/config-v1.1.xml?{q}"),
                ),
            ],
        };
        let ispdb = format!("{}/{}", sources.ispdb_base.trim_end_matches('/'), domain);
        for (source, url) in urls.into_iter().chain([(Source::Ispdb, ispdb)]) {
            let got = fetch(&client, &url).await;
            answered |= got.is_ok() || got.as_ref().is_err_and(|e| e.starts_with("HTTP "));
            match got {
                Ok(body) => match from_xml(&body, email, source) {
                    Ok(s) => {
                        tried.push(LookupAttempt {
                            source,
                            found: true,
                            detail: url,
                        });
                        return Discovery::found(s, tried);
                    }
                    Err(e) => tried.push(LookupAttempt {
                        source,
                        found: false,
                        detail: format!("{url}: {e}"),
                    }),
                },
                Err(e) => tried.push(LookupAttempt {
                    source,
                    found: false,
                    detail: format!("{url}: {e}"),
                }),
            }
        }
    }

    let resolver = crate::email::dns::resolver(sources.dns_server, sources.step_timeout);
    let t = sources.step_timeout;
    // RFC 8314 prefers implicit TLS (submissions) over STARTTLS (submission).
    for (name, security) in [
        ("_submissions._tcp", Security::Tls),
        ("_submission._tcp", Security::Starttls),
    ] {
        let q = format!("{name}.{domain}.");
        match tokio::time::timeout(t, resolver.srv_lookup(q.as_str())).await {
            Ok(Ok(srv)) => {
                let mut records: Vec<_> = srv.iter().collect();
                records.sort_by_key(|r| (r.priority(), std::cmp::Reverse(r.weight())));
                // A target of "." means "no such service here" (RFC 2782).
                let servers: Vec<ServerParams> = records
                    .iter()
                    .filter(|r| !r.target().is_root() && r.port() != 0)
                    .map(|r| ServerParams {
                        host: r.target().to_utf8().trim_end_matches('.').to_string(),
                        port: r.port(),
                        security,
                        username: email.to_string(),
                    })
                    .collect();
                answered = true;
                if !servers.is_empty() {
                    tried.push(LookupAttempt {
                        source: Source::Srv,
                        found: true,
                        detail: q,
                    });
                    let s = Suggestion {
                        source: Source::Srv,
                        provider_id: None,
                        provider_name: None,
                        auth: None,
                        hint: None,
                        help_url: None,
                        servers,
                    };
                    return Discovery::found(s, tried);
                }
                tried.push(LookupAttempt {
                    source: Source::Srv,
                    found: false,
                    detail: format!("{q}: no service"),
                });
            }
            Ok(Err(e)) => {
                let known = e.is_no_records_found() || e.is_nx_domain();
                answered |= known;
                tried.push(LookupAttempt {
                    source: Source::Srv,
                    found: false,
                    detail: if known {
                        format!("{q}: no record")
                    } else {
                        format!("{q}: DNS did not answer")
                    },
                });
            }
            Err(_) => tried.push(LookupAttempt {
                source: Source::Srv,
                found: false,
                detail: format!("{q}: timed out"),
            }),
        }
    }

    let q = format!("{domain}.");
    let mut mx_hosts = Vec::new();
    match tokio::time::timeout(t, resolver.mx_lookup(q.as_str())).await {
        Ok(Ok(mx)) => {
            answered = true;
            let mut records: Vec<_> = mx.iter().collect();
            records.sort_by_key(|r| r.preference());
            for r in records {
                let host = r.exchange().to_utf8();
                if let Some(s) = from_mx(&host, email) {
                    tried.push(LookupAttempt {
                        source: Source::Mx,
                        found: true,
                        detail: host,
                    });
                    return Discovery::found(s, tried);
                }
                mx_hosts.push(host.trim_end_matches('.').to_lowercase());
            }
            tried.push(LookupAttempt {
                source: Source::Mx,
                found: false,
                detail: format!("{q}: MX of no known provider"),
            });
        }
        Ok(Err(e)) => {
            let known = e.is_no_records_found() || e.is_nx_domain();
            answered |= known;
            tried.push(LookupAttempt {
                source: Source::Mx,
                found: false,
                detail: if known {
                    format!("{q}: no MX record")
                } else {
                    format!("{q}: DNS did not answer")
                },
            });
        }
        Err(_) => tried.push(LookupAttempt {
            source: Source::Mx,
            found: false,
            detail: format!("{q}: timed out"),
        }),
    }

    // Last, as Thunderbird does: guess smtp.<domain>, mail.<domain> and the MX host,
    // and offer only what answers as an SMTP server when connected to.
    let mut hosts = vec![format!("smtp.{domain}"), format!("mail.{domain}")];
    hosts.extend(mx_hosts.into_iter().take(2));
    hosts.dedup();
    if answered {
        if let Some(server) = guess(&hosts, email, sources).await {
            tried.push(LookupAttempt {
                source: Source::Guess,
                found: true,
                detail: format!("{}:{}", server.host, server.port),
            });
            let s = Suggestion {
                source: Source::Guess,
                provider_id: None,
                provider_name: None,
                auth: None,
                hint: None,
                help_url: None,
                servers: vec![server],
            };
            return Discovery::found(s, tried);
        }
        tried.push(LookupAttempt {
            source: Source::Guess,
            found: false,
            detail: format!("{}: no SMTP server answered", hosts.join(", ")),
        });
    }
    Discovery {
        suggestion: None,
        tried,
        outcome: if answered {
            LookupOutcome::NothingKnown
        } else {
            LookupOutcome::NoAnswer
        },
    }
}

/// The first of `hosts` × the guess ports that answers as an SMTP server, in that
/// order of preference: each host looked up once, every connection tried at once,
/// each within the step timeout.
async fn guess(hosts: &[String], email: &str, sources: &Sources) -> Option<ServerParams> {
    let resolver = crate::email::dns::resolver(sources.dns_server, sources.step_timeout);
    let lookups = hosts.iter().map(|h| {
        let resolver = &resolver;
        async move {
            let ips = tokio::time::timeout(
                sources.step_timeout,
                resolver.lookup_ip(format!("{h}.").as_str()),
            )
            .await;
            ips.ok()?.ok()?.iter().next()
        }
    });
    let ips = futures_util::future::join_all(lookups).await;
    let mut tries = Vec::new();
    for (h, ip) in hosts.iter().zip(ips) {
        let Some(ip) = ip else { continue };
        for (port, security) in &sources.guess_ports {
            tries.push((h.clone(), ip, *port, *security));
        }
    }
    let probes = tries.iter().map(|(h, ip, port, security)| async move {
        tokio::time::timeout(sources.step_timeout, answers_smtp(h, *ip, *port, *security))
            .await
            .unwrap_or(false)
    });
    let answers = futures_util::future::join_all(probes).await;
    tries
        .into_iter()
        .zip(answers)
        .find(|(_, ok)| *ok)
        .and_then(|((host, _, port, security), _)| {
            ServerParams::validated(&host, i64::from(port), security, email).ok()
        })
}

/// Whether `host` at `ip:port` greets as an SMTP server ("220 …"): after a TLS
/// handshake on an implicit-TLS port, and offering STARTTLS on a submission port.
async fn answers_smtp(host: &str, ip: std::net::IpAddr, port: u16, security: Security) -> bool {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let Ok(tcp) = tokio::net::TcpStream::connect((ip, port)).await else {
        return false;
    };
    async fn greets<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin>(
        s: S,
        want_starttls: bool,
    ) -> bool {
        let mut s = BufReader::new(s);
        let mut line = String::new();
        if s.read_line(&mut line).await.is_err() || !line.starts_with("220") {
            return false;
        }
        if !want_starttls {
            return true;
        }
        if s.get_mut()
            .write_all(b"EHLO ulak.invalid\r\n")
            .await
            .is_err()
        {
            return false;
        }
        loop {
            line.clear();
            if s.read_line(&mut line).await.unwrap_or(0) == 0 || !line.starts_with("250") {
                return false;
            }
            if line.to_ascii_uppercase().contains("STARTTLS") {
                let _ = s.get_mut().write_all(b"QUIT\r\n").await;
                return true;
            }
            if line.as_bytes().get(3) == Some(&b' ') {
                return false;
            }
        }
    }
    match security {
        Security::Tls => {
            let Ok(cfg) = crate::email::tls::config(None) else {
                return false;
            };
            let Ok(name) = rustls::pki_types::ServerName::try_from(host.to_string()) else {
                return false;
            };
            match tokio_rustls::TlsConnector::from(cfg)
                .connect(name, tcp)
                .await
            {
                Ok(tls) => greets(tls, false).await,
                Err(_) => false,
            }
        }
        Security::Starttls => greets(tcp, true).await,
        Security::None => false,
    }
}

/// Percent-encodes an address for a query string (`@` and `+` included).
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_encoded_for_the_query() {
        assert_eq!(
            encode("ali+satış@firma.com"),
            "ali%2Bsat%C4%B1%C5%9F%40firma.com"
        );
    }

    #[test]
    fn only_real_addresses_are_looked_up() {
        assert!(split("ali@firma.com").is_some());
        assert!(
            split("ali@firma.com/../x").is_none(),
            "no path tricks into the URL"
        );
        assert!(split("firma.com").is_none());
    }
}
