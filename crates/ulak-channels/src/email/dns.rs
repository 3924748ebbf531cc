//! One way to ask DNS, for autoconfig (SRV, MX) and the connection test (A/AAAA):
//! the system's resolver, or the server named by `ULAK_DNS_SERVER=IP:PORT`.

use std::net::SocketAddr;
use std::time::Duration;

use hickory_resolver::config::{NameServerConfigGroup, ResolverConfig};
use hickory_resolver::name_server::TokioConnectionProvider;
use hickory_resolver::TokioResolver;

pub const DNS_SERVER_ENV: &str = "ULAK_DNS_SERVER";

pub fn server_from_env() -> Option<SocketAddr> {
    std::env::var(DNS_SERVER_ENV)
        .ok()
        .and_then(|v| v.parse().ok())
}

pub fn resolver(server: Option<SocketAddr>, timeout: Duration) -> TokioResolver {
    let mut builder = match server {
        Some(addr) => {
            let group = NameServerConfigGroup::from_ips_clear(&[addr.ip()], addr.port(), true);
            TokioResolver::builder_with_config(
                ResolverConfig::from_parts(None, vec![], group),
                TokioConnectionProvider::default(),
            )
        }
        None => TokioResolver::builder_tokio().unwrap_or_else(|_| {
            TokioResolver::builder_with_config(
                ResolverConfig::default(),
                TokioConnectionProvider::default(),
            )
        }),
    };
    builder.options_mut().timeout = timeout;
    builder.options_mut().attempts = 1;
    builder.build()
}
