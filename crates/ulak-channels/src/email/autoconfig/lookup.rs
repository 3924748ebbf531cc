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
}

impl Sources {
    pub fn from_env() -> Self {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        Sources {
            http_base: var("ULAK_AUTOCONFIG_HTTP_BASE")
                .map(|b| b.trim_end_matches('/').to_string()),
            ispdb_base: var("ULAK_AUTOCONFIG_ISPDB_URL").unwrap_or_else(|| ISPDB_DEFAULT.into()),
            dns_server: crate::email::dns::server_from_env(),
            step_timeout: Duration::from_secs(4),
        }
    }
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Attempt {
    pub source: Source,
    pub found: bool,
    /// What was asked (a URL or a DNS name) and what came of it, for the user to see.
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Discovery {
    pub suggestion: Option<Suggestion>,
    pub tried: Vec<Attempt>,
}

fn split(email: &str) -> Option<(&str, String)> {
    let e = email.trim();
    let (local, domain) = e.rsplit_once('@')?;
    if local.is_empty() || domain.is_empty() || domain.contains(['/', '?', '#', ' ', '\\', '@']) {
        return None;
    }
    Some((e, domain.trim_end_matches('.').to_lowercase()))
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
        };
    };
    if let Some(s) = builtin(email) {
        tried.push(Attempt {
            source: Source::Builtin,
            found: true,
            detail: s.provider_name.clone().unwrap_or_default(),
        });
        return Discovery {
            suggestion: Some(s),
            tried,
        };
    }
    tried.push(Attempt {
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
            match fetch(&client, &url).await {
                Ok(body) => match from_xml(&body, email, source) {
                    Ok(s) => {
                        tried.push(Attempt {
                            source,
                            found: true,
                            detail: url,
                        });
                        return Discovery {
                            suggestion: Some(s),
                            tried,
                        };
                    }
                    Err(e) => tried.push(Attempt {
                        source,
                        found: false,
                        detail: format!("{url}: {e}"),
                    }),
                },
                Err(e) => tried.push(Attempt {
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
                if !servers.is_empty() {
                    tried.push(Attempt {
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
                    return Discovery {
                        suggestion: Some(s),
                        tried,
                    };
                }
                tried.push(Attempt {
                    source: Source::Srv,
                    found: false,
                    detail: format!("{q}: no service"),
                });
            }
            Ok(Err(_)) => tried.push(Attempt {
                source: Source::Srv,
                found: false,
                detail: format!("{q}: no record"),
            }),
            Err(_) => tried.push(Attempt {
                source: Source::Srv,
                found: false,
                detail: format!("{q}: timed out"),
            }),
        }
    }

    let q = format!("{domain}.");
    match tokio::time::timeout(t, resolver.mx_lookup(q.as_str())).await {
        Ok(Ok(mx)) => {
            let mut records: Vec<_> = mx.iter().collect();
            records.sort_by_key(|r| r.preference());
            for r in records {
                let host = r.exchange().to_utf8();
                if let Some(s) = from_mx(&host, email) {
                    tried.push(Attempt {
                        source: Source::Mx,
                        found: true,
                        detail: host,
                    });
                    return Discovery {
                        suggestion: Some(s),
                        tried,
                    };
                }
            }
            tried.push(Attempt {
                source: Source::Mx,
                found: false,
                detail: format!("{q}: MX of no known provider"),
            });
        }
        Ok(Err(_)) => tried.push(Attempt {
            source: Source::Mx,
            found: false,
            detail: format!("{q}: no MX record"),
        }),
        Err(_) => tried.push(Attempt {
            source: Source::Mx,
            found: false,
            detail: format!("{q}: timed out"),
        }),
    }
    Discovery {
        suggestion: None,
        tried,
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
