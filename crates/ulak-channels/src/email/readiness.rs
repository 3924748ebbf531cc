//! Is the sender's domain ready for bulk mail? (issue 23) Gmail and Yahoo since 2024,
//! Outlook.com since May 2025, junk or refuse bulk mail without SPF, DKIM and DMARC.
//! This reads the domain's SPF and DMARC from DNS and says plainly what is missing or
//! wrong; DKIM, whose selectors DNS cannot list, is read from the headers of a mail the
//! account sent (a test mail to itself, its headers pasted in).
//!
//! The records are parsed by `mail-auth` (Stalwart's); this module only walks them:
//! SPF's includes and redirects, counting the terms that cost a DNS lookup (RFC 7208
//! §4.6.4 allows ten), and whether the account's provider is authorised — by its
//! published include (providers/*.toml `spf_includes`) or, for any other server, by the
//! SMTP host's own addresses falling inside the record's ip4/ip6/a/mx terms.

use std::net::IpAddr;
use std::time::Duration;

use hickory_resolver::TokioResolver;
use mail_auth::common::parse::TxtRecordParser;
use mail_auth::common::verify::DomainKey;
use mail_auth::dkim::Signature;
use mail_auth::dmarc::{Dmarc, Policy};
use mail_auth::spf::{Macro, Mechanism, Qualifier, Spf};
use serde::Serialize;

/// RFC 7208 §4.6.4: at most ten terms that cause DNS lookups.
pub const SPF_LOOKUP_LIMIT: u32 = 10;
const TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum SpfState {
    /// A record that authorises the provider, within the lookup limit.
    Ok,
    /// No SPF record: receivers cannot tell the provider may send for the domain.
    Missing,
    /// More than one SPF record: a receiver must treat that as an error (permerror).
    Multiple,
    /// The record does not parse.
    Invalid,
    /// The record does not include the provider (or cover the SMTP server).
    LacksProvider,
    /// More than ten lookups: receivers give up on it (permerror).
    TooManyLookups,
    /// DNS did not answer.
    NoAnswer,
    /// The domain is the provider's own (gmail.com…): the provider keeps its records.
    ProviderDomain,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum DmarcState {
    /// A DMARC record (p=none is enough for now).
    Ok,
    Missing,
    Multiple,
    Invalid,
    NoAnswer,
    ProviderDomain,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum DkimKey {
    /// The selector's public key is in DNS.
    Found,
    /// The mail names this selector but DNS has no key for it: receivers fail DKIM.
    NotFound,
    /// Not known: no mail was read, and no guessed selector answered. Never "missing":
    /// DNS cannot list selectors.
    Unknown,
    NoAnswer,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SpfReport {
    pub state: SpfState,
    pub record: Option<String>,
    /// DNS-querying terms counted over the record and everything it includes.
    pub lookups: u32,
    /// What would authorise the provider: its include, or its SMTP host.
    pub wanted: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DmarcReport {
    pub state: DmarcState,
    pub record: Option<String>,
    /// none, quarantine or reject.
    pub policy: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DkimReport {
    /// The signing domain (d=).
    pub domain: String,
    /// The selector (s=).
    pub selector: String,
    /// Whether d= is the From domain or a parent of it (DMARC's relaxed alignment).
    pub aligned: bool,
    pub key: DkimKey,
    /// Read from a sent mail's DKIM-Signature (false: a guessed selector that answered).
    pub from_headers: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Readiness {
    pub domain: String,
    pub spf: SpfReport,
    pub dmarc: DmarcReport,
    /// Each DKIM signature found (in the headers given, or by guessing common selectors);
    /// empty: unknown.
    pub dkim: Vec<DkimReport>,
    /// Nothing stands in the way of bulk mail.
    pub ready: bool,
}

/// Who sends for the domain: the provider's published SPF includes (any one is
/// enough), and the SMTP host whose addresses must otherwise be covered.
#[derive(Debug, Clone, Default)]
pub struct Sender {
    pub includes: Vec<String>,
    pub host: Option<String>,
    /// The provider's own domains (gmail.com…), whose records are not the user's.
    pub provider_domains: Vec<String>,
}

/// Who sends for an account on SMTP host `host`: its built-in provider's includes and
/// own domains, or the host itself.
pub fn sender_for(host: &str) -> Sender {
    match crate::email::providers::by_host(host) {
        Some(p) => Sender {
            includes: p.spf_includes.clone(),
            host: Some(host.to_string()),
            provider_domains: p.domains.clone(),
        },
        None => Sender {
            includes: Vec::new(),
            host: Some(host.to_string()),
            provider_domains: Vec::new(),
        },
    }
}

enum Txt {
    Records(Vec<String>),
    None,
    NoAnswer,
}

async fn txt(resolver: &TokioResolver, name: &str) -> Txt {
    let q = format!("{}.", name.trim_end_matches('.'));
    match tokio::time::timeout(TIMEOUT, resolver.txt_lookup(q.as_str())).await {
        Ok(Ok(l)) => Txt::Records(
            l.iter()
                .map(|t| {
                    t.txt_data()
                        .iter()
                        .map(|part| String::from_utf8_lossy(part).into_owned())
                        .collect::<String>()
                })
                .collect(),
        ),
        Ok(Err(e)) if e.is_no_records_found() || e.is_nx_domain() => Txt::None,
        _ => Txt::NoAnswer,
    }
}

async fn ips(resolver: &TokioResolver, host: &str) -> Vec<IpAddr> {
    let q = format!("{}.", host.trim_end_matches('.'));
    match tokio::time::timeout(TIMEOUT, resolver.lookup_ip(q.as_str())).await {
        Ok(Ok(l)) => l.iter().collect(),
        _ => Vec::new(),
    }
}

async fn mx_hosts(resolver: &TokioResolver, domain: &str) -> Vec<String> {
    let q = format!("{}.", domain.trim_end_matches('.'));
    match tokio::time::timeout(TIMEOUT, resolver.mx_lookup(q.as_str())).await {
        Ok(Ok(l)) => l
            .iter()
            .map(|m| m.exchange().to_utf8().trim_end_matches('.').to_string())
            .collect(),
        _ => Vec::new(),
    }
}

fn literal(m: &Macro) -> Option<String> {
    match m {
        Macro::Literal(b) => Some(String::from_utf8_lossy(b).into_owned()),
        _ => None,
    }
}

fn in_net(ip: IpAddr, net: IpAddr, ip4_mask: u32, ip6_mask: u128) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => u32::from(a) & ip4_mask == u32::from(n) & ip4_mask,
        (IpAddr::V6(a), IpAddr::V6(n)) => u128::from(a) & ip6_mask == u128::from(n) & ip6_mask,
        _ => false,
    }
}

/// What the walk over one SPF tree found.
#[derive(Default)]
struct Walk {
    lookups: u32,
    includes: Vec<String>,
    /// Whether one of the host's addresses is authorised by a pass term.
    covers_host: bool,
    broken: bool,
}

/// Walks `domain`'s SPF record (already fetched as `spf`) and what it includes.
async fn walk(
    resolver: &TokioResolver,
    domain: &str,
    spf: &Spf,
    host_ips: &[IpAddr],
    w: &mut Walk,
    depth: u32,
) {
    if depth > 10 || w.lookups > SPF_LOOKUP_LIMIT {
        return;
    }
    for d in &spf.directives {
        let pass = d.qualifier == Qualifier::Pass;
        match &d.mechanism {
            Mechanism::Include { macro_string } => {
                w.lookups += 1;
                let Some(name) = literal(macro_string) else {
                    continue;
                };
                w.includes.push(name.to_lowercase());
                if let Some(inner) = fetch_spf(resolver, &name).await {
                    Box::pin(walk(resolver, &name, &inner, host_ips, w, depth + 1)).await;
                } else {
                    // An include that does not resolve is a permerror for receivers.
                    w.broken = true;
                }
            }
            Mechanism::A {
                macro_string,
                ip4_mask,
                ip6_mask,
            } => {
                w.lookups += 1;
                if pass && !host_ips.is_empty() && !w.covers_host {
                    let name = literal(macro_string).unwrap_or_else(|| domain.to_string());
                    let addrs = ips(resolver, &name).await;
                    w.covers_host |= host_ips
                        .iter()
                        .any(|h| addrs.iter().any(|a| in_net(*h, *a, *ip4_mask, *ip6_mask)));
                }
            }
            Mechanism::Mx {
                macro_string,
                ip4_mask,
                ip6_mask,
            } => {
                w.lookups += 1;
                if pass && !host_ips.is_empty() && !w.covers_host {
                    let name = literal(macro_string).unwrap_or_else(|| domain.to_string());
                    for mx in mx_hosts(resolver, &name).await.into_iter().take(10) {
                        let addrs = ips(resolver, &mx).await;
                        w.covers_host |= host_ips
                            .iter()
                            .any(|h| addrs.iter().any(|a| in_net(*h, *a, *ip4_mask, *ip6_mask)));
                    }
                }
            }
            Mechanism::Ptr { .. } | Mechanism::Exists { .. } => w.lookups += 1,
            Mechanism::Ip4 { addr, mask } => {
                w.covers_host |= pass
                    && host_ips
                        .iter()
                        .any(|h| in_net(*h, IpAddr::V4(*addr), *mask, 0));
            }
            Mechanism::Ip6 { addr, mask } => {
                w.covers_host |= pass
                    && host_ips
                        .iter()
                        .any(|h| in_net(*h, IpAddr::V6(*addr), 0, *mask));
            }
            // Terms after `all` are never reached.
            Mechanism::All => return,
        }
    }
    if let Some(name) = spf.redirect.as_ref().and_then(literal) {
        w.lookups += 1;
        match fetch_spf(resolver, &name).await {
            Some(inner) => Box::pin(walk(resolver, &name, &inner, host_ips, w, depth + 1)).await,
            None => w.broken = true,
        }
    }
}

fn spf_records(records: &[String]) -> Vec<&String> {
    records
        .iter()
        .filter(|r| {
            let l = r.trim_start().to_ascii_lowercase();
            l == "v=spf1" || l.starts_with("v=spf1 ")
        })
        .collect()
}

async fn fetch_spf(resolver: &TokioResolver, domain: &str) -> Option<Spf> {
    match txt(resolver, domain).await {
        Txt::Records(r) => match spf_records(&r).as_slice() {
            [one] => Spf::parse(one.as_bytes()).ok(),
            _ => None,
        },
        _ => None,
    }
}

fn is_provider_domain(domain: &str, sender: &Sender) -> bool {
    sender
        .provider_domains
        .iter()
        .any(|d| d.eq_ignore_ascii_case(domain))
}

pub async fn check_spf(resolver: &TokioResolver, domain: &str, sender: &Sender) -> SpfReport {
    let wanted = sender
        .includes
        .first()
        .map(|i| format!("include:{i}"))
        .or_else(|| sender.host.clone());
    let report = |state, record, lookups| SpfReport {
        state,
        record,
        lookups,
        wanted: wanted.clone(),
    };
    if is_provider_domain(domain, sender) {
        return report(SpfState::ProviderDomain, None, 0);
    }
    let records = match txt(resolver, domain).await {
        Txt::Records(r) => r,
        Txt::None => return report(SpfState::Missing, None, 0),
        Txt::NoAnswer => return report(SpfState::NoAnswer, None, 0),
    };
    let found = spf_records(&records);
    let record = match found.as_slice() {
        [] => return report(SpfState::Missing, None, 0),
        [one] => (*one).clone(),
        _ => {
            return report(
                SpfState::Multiple,
                Some(
                    found
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(" | "),
                ),
                0,
            )
        }
    };
    let Ok(spf) = Spf::parse(record.as_bytes()) else {
        return report(SpfState::Invalid, Some(record), 0);
    };
    let host_ips = match (&sender.host, sender.includes.is_empty()) {
        (Some(h), true) => ips(resolver, h).await,
        _ => Vec::new(),
    };
    let mut w = Walk::default();
    walk(resolver, domain, &spf, &host_ips, &mut w, 0).await;
    let state = if w.lookups > SPF_LOOKUP_LIMIT {
        SpfState::TooManyLookups
    } else if w.broken {
        SpfState::Invalid
    } else if !sender.includes.is_empty() {
        if sender
            .includes
            .iter()
            .any(|i| w.includes.contains(&i.to_lowercase()))
        {
            SpfState::Ok
        } else {
            SpfState::LacksProvider
        }
    } else if sender.host.is_some() && !w.covers_host {
        SpfState::LacksProvider
    } else {
        SpfState::Ok
    };
    report(state, Some(record), w.lookups)
}

pub async fn check_dmarc(resolver: &TokioResolver, domain: &str, sender: &Sender) -> DmarcReport {
    let report = |state, record, policy| DmarcReport {
        state,
        record,
        policy,
    };
    if is_provider_domain(domain, sender) {
        return report(DmarcState::ProviderDomain, None, None);
    }
    let records = match txt(resolver, &format!("_dmarc.{domain}")).await {
        Txt::Records(r) => r,
        Txt::None => return report(DmarcState::Missing, None, None),
        Txt::NoAnswer => return report(DmarcState::NoAnswer, None, None),
    };
    let found: Vec<&String> = records
        .iter()
        .filter(|r| r.trim_start().to_ascii_lowercase().starts_with("v=dmarc1"))
        .collect();
    match found.as_slice() {
        [] => report(DmarcState::Missing, None, None),
        [one] => match Dmarc::parse(one.as_bytes()) {
            Ok(d) if d.p != Policy::Unspecified => report(
                DmarcState::Ok,
                Some((*one).clone()),
                Some(
                    match d.p {
                        Policy::None => "none",
                        Policy::Quarantine => "quarantine",
                        _ => "reject",
                    }
                    .into(),
                ),
            ),
            _ => report(DmarcState::Invalid, Some((*one).clone()), None),
        },
        _ => report(DmarcState::Multiple, None, None),
    }
}

/// Selectors commonly used by providers and control panels, tried when no mail's
/// headers were given. One that answers is reported; none answering is "unknown".
pub const GUESSED_SELECTORS: [&str; 9] = [
    "google",
    "selector1",
    "selector2",
    "default",
    "dkim",
    "mail",
    "k1",
    "s1",
    "zoho",
];

async fn key(resolver: &TokioResolver, selector: &str, domain: &str) -> DkimKey {
    match txt(resolver, &format!("{selector}._domainkey.{domain}")).await {
        Txt::Records(r) if r.iter().any(|t| DomainKey::parse(t.as_bytes()).is_ok()) => {
            DkimKey::Found
        }
        Txt::Records(_) | Txt::None => DkimKey::NotFound,
        Txt::NoAnswer => DkimKey::NoAnswer,
    }
}

fn aligned(signing: &str, from: &str) -> bool {
    let (s, f) = (signing.to_ascii_lowercase(), from.to_ascii_lowercase());
    f == s || f.ends_with(&format!(".{s}"))
}

/// The DKIM signatures of a sent mail's headers (as pasted, or the whole .eml), each
/// with its key looked up; without headers, common selectors guessed.
pub async fn check_dkim(
    resolver: &TokioResolver,
    from_domain: &str,
    headers: Option<&str>,
) -> Vec<DkimReport> {
    let mut out = Vec::new();
    if let Some(h) = headers {
        let parts = crate::email::mime::read_back(h.as_bytes());
        for (name, value) in &parts.headers {
            if !name.eq_ignore_ascii_case("DKIM-Signature") {
                continue;
            }
            let Ok(sig) = Signature::parse(value.as_bytes()) else {
                continue;
            };
            out.push(DkimReport {
                aligned: aligned(&sig.d, from_domain),
                key: key(resolver, &sig.s, &sig.d).await,
                domain: sig.d,
                selector: sig.s,
                from_headers: true,
            });
        }
        return out;
    }
    for s in GUESSED_SELECTORS {
        if key(resolver, s, from_domain).await == DkimKey::Found {
            out.push(DkimReport {
                domain: from_domain.to_string(),
                selector: s.to_string(),
                aligned: true,
                key: DkimKey::Found,
                from_headers: false,
            });
        }
    }
    out
}

/// The whole check for a sender address.
pub async fn check(
    resolver: &TokioResolver,
    address: &str,
    sender: &Sender,
    headers: Option<&str>,
) -> Readiness {
    let domain = address
        .rsplit_once('@')
        .map(|(_, d)| d)
        .unwrap_or(address)
        .trim()
        .to_lowercase();
    let (spf, dmarc, dkim) = tokio::join!(
        check_spf(resolver, &domain, sender),
        check_dmarc(resolver, &domain, sender),
        check_dkim(resolver, &domain, headers),
    );
    let provider_domain = spf.state == SpfState::ProviderDomain;
    let ready = provider_domain
        || (spf.state == SpfState::Ok
            && dmarc.state == DmarcState::Ok
            && !dkim
                .iter()
                .any(|k| k.from_headers && (k.key == DkimKey::NotFound || !k.aligned)));
    Readiness {
        domain,
        spf,
        dmarc,
        dkim,
        ready,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_and_alignment() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert!(in_net(ip("192.0.2.77"), ip("192.0.2.0"), 0xffff_ff00, 0));
        assert!(!in_net(ip("192.0.3.1"), ip("192.0.2.0"), 0xffff_ff00, 0));
        assert!(!in_net(ip("::1"), ip("192.0.2.0"), 0xffff_ff00, 0));
        assert!(aligned("firma.com.tr", "firma.com.tr"));
        assert!(aligned("firma.com.tr", "satis.firma.com.tr"));
        assert!(!aligned("sendgrid.net", "firma.com.tr"));
        assert!(!aligned("ma.com.tr", "firma.com.tr"));
    }
}
