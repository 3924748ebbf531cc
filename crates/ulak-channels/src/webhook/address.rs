//! Where a webhook may go. An endpoint's URL is `https://`, or `http://` on loopback
//! (for testing); at delivery its host is resolved and every address it names must be
//! public, unless the user allowed private ones for that endpoint. The delivery then
//! connects to exactly the addresses checked here (no second lookup to rebind).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use reqwest::Url;

/// Why an endpoint's URL is refused when it is saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlProblem {
    #[error("not a web address (https://…)")]
    Malformed,
    #[error(
        "plain http:// is allowed only for this computer (127.0.0.1, localhost); use https://"
    )]
    Insecure,
    #[error("{0} is a private or local address")]
    Private(IpAddr),
}

/// Why a delivery does not go out.
#[derive(Debug, thiserror::Error)]
pub enum Blocked {
    #[error("{host} is a private or local address ({ip}); allow private addresses for this endpoint to deliver there")]
    Private { host: String, ip: IpAddr },
    #[error("{host} could not be looked up: {why}")]
    Lookup { host: String, why: String },
}

/// Whether `ip` is somewhere only a local network reaches: loopback, private ranges,
/// link-local, shared (CGNAT), unique-local, unspecified, multicast, documentation…
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => private_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return private_v4(v4);
            }
            let s = v6.segments();
            // An IPv4 address carried inside: 6to4 (2002:AABB:CCDD::), IPv4-compatible
            // (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) are judged by it.
            let inner = |hi: u16, lo: u16| {
                Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8)
            };
            if s[0] == 0x2002 {
                return private_v4(inner(s[1], s[2]));
            }
            if s[..6] == [0; 6] && !v6.is_loopback() && !v6.is_unspecified() {
                return private_v4(inner(s[6], s[7]));
            }
            if s[0] == 0x0064 && s[1] == 0xff9b && s[2..6] == [0; 4] {
                return private_v4(inner(s[6], s[7]));
            }
            // Anything outside global unicast (2000::/3) is not on the internet.
            (s[0] & 0xe000) != 0x2000 || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        }
    }
}

fn private_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 192 && b == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240
}

/// Whether the URL's host is this computer.
fn is_loopback_host(u: &Url) -> bool {
    match u.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// The URL as saved: https (or http on loopback), a host, no credentials or fragment.
/// A literal private address is refused here already unless `allow_private`.
pub fn check_url(value: &str, allow_private: bool) -> Result<Url, UrlProblem> {
    let u = Url::parse(value.trim()).map_err(|_| UrlProblem::Malformed)?;
    if u.host().is_none()
        || !u.username().is_empty()
        || u.password().is_some()
        || u.fragment().is_some()
    {
        return Err(UrlProblem::Malformed);
    }
    match u.scheme() {
        "https" => {}
        "http" if is_loopback_host(&u) => {}
        "http" => return Err(UrlProblem::Insecure),
        _ => return Err(UrlProblem::Malformed),
    }
    let literal = match u.host() {
        Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
        _ => None,
    };
    match literal {
        Some(ip) if !allow_private && is_private(ip) => Err(UrlProblem::Private(ip)),
        None if !allow_private && is_loopback_host(&u) => {
            Err(UrlProblem::Private(IpAddr::V4(Ipv4Addr::LOCALHOST)))
        }
        _ => Ok(u),
    }
}

/// The addresses a delivery to `u` may connect to: all of the host's, each checked.
pub async fn resolve(u: &Url, allow_private: bool) -> Result<Vec<SocketAddr>, Blocked> {
    let host = u.host_str().unwrap_or_default().to_string();
    let port = u.port_or_known_default().unwrap_or(443);
    let addrs: Vec<SocketAddr> = match u.host() {
        Some(url::Host::Ipv4(ip)) => vec![SocketAddr::new(IpAddr::V4(ip), port)],
        Some(url::Host::Ipv6(ip)) => vec![SocketAddr::new(IpAddr::V6(ip), port)],
        _ => tokio::net::lookup_host((host.as_str(), port))
            .await
            .map_err(|e| Blocked::Lookup {
                host: host.clone(),
                why: e.to_string(),
            })?
            .collect(),
    };
    if addrs.is_empty() {
        return Err(Blocked::Lookup {
            host,
            why: "no address".into(),
        });
    }
    if !allow_private {
        if let Some(a) = addrs.iter().find(|a| is_private(a.ip())) {
            return Err(Blocked::Private { host, ip: a.ip() });
        }
    }
    Ok(addrs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_local_addresses_are_known() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.10",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
            "::ffff:127.0.0.1",
        ] {
            assert!(is_private(private.parse().unwrap()), "{private}");
        }
        for private in [
            "::10.0.0.1",
            "2002:c0a8:0101::1",
            "64:ff9b::a00:1",
            "64:ff9b:1::1",
            "fec0::1",
            "ff02::1",
        ] {
            assert!(is_private(private.parse().unwrap()), "{private}");
        }
        for public in [
            "2002:0808:0808::1",
            "64:ff9b::808:808",
            "93.184.216.34",
            "1.1.1.1",
            "2606:4700:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert!(!is_private(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn urls_are_https_or_loopback_http_and_not_private_unless_allowed() {
        assert!(check_url("https://hooks.example.com/ulak?k=1", false).is_ok());
        assert_eq!(
            check_url("http://hooks.example.com/", false),
            Err(UrlProblem::Insecure)
        );
        assert!(check_url("http://127.0.0.1:9000/hook", true).is_ok());
        assert!(check_url("http://localhost:9000/hook", true).is_ok());
        assert!(matches!(
            check_url("http://localhost:9000/hook", false),
            Err(UrlProblem::Private(_))
        ));
        assert_eq!(
            check_url("https://10.0.0.5/hook", false),
            Err(UrlProblem::Private("10.0.0.5".parse().unwrap()))
        );
        assert!(check_url("https://10.0.0.5/hook", true).is_ok());
        for bad in [
            "hooks.example.com",
            "ftp://x.com",
            "https://u:p@x.com/",
            "https://x.com/#a",
            "",
        ] {
            assert_eq!(check_url(bad, false), Err(UrlProblem::Malformed), "{bad}");
        }
    }

    #[tokio::test]
    async fn a_name_for_a_private_address_is_blocked_unless_allowed() {
        let u = Url::parse("http://localhost:9/x").unwrap();
        assert!(matches!(
            resolve(&u, false).await,
            Err(Blocked::Private { .. })
        ));
        let ok = resolve(&u, true).await.unwrap();
        assert!(ok.iter().all(|a| a.port() == 9 && a.ip().is_loopback()));
    }
}
