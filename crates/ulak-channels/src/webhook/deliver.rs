//! One delivery: the stored body POSTed to the endpoint with the Standard Webhooks
//! headers. The host's addresses are checked by the resolver the connection uses (no
//! private address unless allowed, no proxy, no second lookup), no redirect is
//! followed, at most `READ_LIMIT` bytes of the answer are read, and the request has
//! `TIMEOUT` in all.

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use chrono::Utc;
use sqlx::SqlitePool;
use ulak_outbox::failure::{Failure, FailureCode, Kind};
use ulak_outbox::queue::Claimed;

use super::address::{self, Blocked};
use super::{endpoints, sign};

/// A receiver has this long to answer, connection included.
pub const TIMEOUT: Duration = Duration::from_secs(15);
/// The most of an answer that is read (and kept, shortened, in the log).
pub const READ_LIMIT: usize = 4096;
/// What of an answer's body is kept in the delivery log.
const KEEP: usize = 200;

/// Delivers `c` (a message of channel `webhook`); `Ok` holds what the log shows.
pub async fn deliver(pool: &SqlitePool, c: &Claimed) -> Result<String, Failure> {
    let id = c.account_id.ok_or_else(|| {
        Failure::permanent(
            FailureCode::AccountMissing,
            "the delivery names no endpoint",
        )
    })?;
    let endpoint = endpoints::find(pool, c.workspace_id, id)
        .await
        .map_err(|e| Failure::transient(FailureCode::AccountMissing, e.to_string()))?
        .ok_or_else(|| {
            Failure::permanent(
                FailureCode::AccountMissing,
                "the webhook endpoint was removed",
            )
        })?;
    let outcome = post(pool, c, &endpoint).await;
    let (status, error) = match &outcome {
        Ok((status, _)) => (Some(*status), None),
        Err((status, f)) => (*status, Some(f.text.as_str())),
    };
    if let Err(e) = endpoints::record(pool, id, status, error, Utc::now()).await {
        tracing::warn!(endpoint_id = id, "webhook endpoint status not saved: {e}");
    }
    outcome.map(|(_, log)| log).map_err(|(_, f)| f)
}

type Answer = Result<(u16, String), (Option<u16>, Failure)>;

/// A resolver that refuses a host with any private, loopback or link-local address
/// (unless allowed): the check and the connection use the same lookup, so a name cannot
/// be re-pointed between them.
struct Guarded {
    allow_private: bool,
}

impl reqwest::dns::Resolve for Guarded {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let host = name.as_str().to_string();
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if !allow_private {
                if let Some(a) = addrs.iter().find(|a| address::is_private(a.ip())) {
                    return Err(Box::new(Blocked::Private { host, ip: a.ip() }) as _);
                }
            }
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// The two clients deliveries share (connections kept alive, the roots read once): one
/// for endpoints that allow private addresses, one for those that do not. No proxy: a
/// proxy would look the name up itself, past the check.
fn client(allow_private: bool) -> &'static reqwest::Client {
    static STRICT: OnceLock<reqwest::Client> = OnceLock::new();
    static OPEN: OnceLock<reqwest::Client> = OnceLock::new();
    let cell = if allow_private { &OPEN } else { &STRICT };
    cell.get_or_init(|| {
        reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .dns_resolver(Arc::new(Guarded { allow_private }))
            .user_agent(concat!("Ulak-Webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("a client with rustls")
    })
}

/// The address refusal inside a request's error, if that is why it failed.
fn blocked(e: &reqwest::Error) -> Option<String> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cause {
        if let Some(b) = c.downcast_ref::<Blocked>() {
            return Some(b.to_string());
        }
        cause = c.source();
    }
    None
}

async fn post(pool: &SqlitePool, c: &Claimed, e: &endpoints::Endpoint) -> Answer {
    let fail = |f: Failure| Err((None, f));
    let url = match address::check_url(&e.url, e.allow_private) {
        Ok(u) => u,
        Err(p) => {
            return fail(Failure::permanent(
                FailureCode::BlockedAddress,
                p.to_string(),
            ))
        }
    };
    // Plain http only to this computer: every address of the name must be loopback.
    if url.scheme() == "http" {
        match address::resolve(&url, true).await {
            Ok(addrs) if addrs.iter().all(|a| a.ip().is_loopback()) => {}
            Ok(addrs) => {
                return fail(Failure::permanent(
                    FailureCode::BlockedAddress,
                    format!(
                        "plain http:// goes only to this computer, and {} is {}",
                        url.host_str().unwrap_or_default(),
                        addrs[0].ip()
                    ),
                ))
            }
            Err(b) => {
                return fail(Failure::new(
                    Kind::Unreachable,
                    FailureCode::Unreachable,
                    b.to_string(),
                ))
            }
        }
    }
    let now = Utc::now();
    let secrets = match endpoints::signing_secrets(pool, c.workspace_id, e, now).await {
        Ok(s) => s,
        Err(err) => {
            return fail(Failure::transient(
                FailureCode::AccountMissing,
                err.to_string(),
            ))
        }
    };
    let signature = match sign::signature(&secrets, &c.reference, now.timestamp(), &c.payload) {
        Ok(s) => s,
        Err(err) => return fail(Failure::permanent(FailureCode::SignIn, err.to_string())),
    };
    let host = url.host_str().unwrap_or_default().to_string();
    let sent = client(e.allow_private)
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("webhook-id", &c.reference)
        .header("webhook-timestamp", now.timestamp().to_string())
        .header("webhook-signature", signature)
        .body(c.payload.clone())
        .send()
        .await;
    let mut r = match sent {
        Ok(r) => r,
        Err(err) => {
            if let Some(why) = blocked(&err) {
                return fail(Failure::permanent(FailureCode::BlockedAddress, why));
            }
            let why = if err.is_timeout() {
                format!("{host} did not answer within {} s", TIMEOUT.as_secs())
            } else {
                format!("{host} could not be reached: {}", err.without_url())
            };
            return fail(Failure::new(
                Kind::Unreachable,
                FailureCode::Unreachable,
                why,
            ));
        }
    };
    let status = r.status();
    let wait = crate::http::retry_after(&r);
    let location = r
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = read_capped(&mut r).await;
    let code = status.as_u16();
    let said = if body.trim().is_empty() {
        format!("HTTP {code}")
    } else {
        format!("HTTP {code}: {}", body.trim())
    };
    if status.is_success() {
        return Ok((code, said));
    }
    let f = if status.is_redirection() {
        Failure::transient(
            FailureCode::Refused,
            format!(
                "HTTP {code}: redirected to {}; redirects are not followed, save the new address",
                location.as_deref().unwrap_or("another address")
            ),
        )
    } else if code == 429 || status.is_server_error() {
        Failure::new(Kind::Transient, FailureCode::ServerBusy, said).retry_after(wait)
    } else if code == 410 {
        // Gone: the receiver says it will never take these again.
        Failure::permanent(FailureCode::Refused, said)
    } else {
        Failure::transient(FailureCode::Refused, said)
    };
    Err((Some(code), f))
}

/// At most `READ_LIMIT` bytes of the answer, the start of it kept as text.
async fn read_capped(r: &mut reqwest::Response) -> String {
    let mut got = Vec::new();
    while got.len() < READ_LIMIT {
        match tokio::time::timeout(TIMEOUT, r.chunk()).await {
            Ok(Ok(Some(chunk))) => {
                got.extend_from_slice(&chunk[..chunk.len().min(READ_LIMIT - got.len())])
            }
            _ => break,
        }
    }
    let text = String::from_utf8_lossy(&got);
    let mut kept: String = text
        .chars()
        .filter(|c| !c.is_control() || *c == ' ')
        .take(KEEP)
        .collect();
    if text.chars().count() > KEEP {
        kept.push('…');
    }
    kept
}
