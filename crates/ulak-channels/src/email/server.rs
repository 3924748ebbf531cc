//! One outgoing server's parameters (host, port, security, username) and their checks:
//! the same rules for the form, the CLI and every autoconfig source.

use serde::{Deserialize, Serialize};
use ulak_core::validate::{self, ValidationError};
use ulak_core::ErrorCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// Plain connection upgraded with STARTTLS (usually port 587).
    Starttls,
    /// TLS from the first byte (usually port 465).
    Tls,
    /// No encryption: only for a server on this machine.
    None,
}

impl Security {
    pub fn as_str(self) -> &'static str {
        match self {
            Security::Starttls => "starttls",
            Security::Tls => "tls",
            Security::None => "none",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "starttls" => Some(Security::Starttls),
            "tls" | "ssl" | "ssl/tls" => Some(Security::Tls),
            "none" | "plain" => Some(Security::None),
            _ => None,
        }
    }

    /// The port people expect for this mode.
    pub fn default_port(self) -> u16 {
        match self {
            Security::Starttls => 587,
            Security::Tls => 465,
            Security::None => 25,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ServerParams {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// Username to sign in with; may hold `%EMAILADDRESS%`-style placeholders until expanded.
    pub username: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServerError {
    #[error(transparent)]
    Field(#[from] ValidationError),
    #[error("\"{0}\" is not a server name")]
    BadHost(String),
    #[error("port {0} is outside 1–65535")]
    BadPort(i64),
    #[error("an unencrypted connection is allowed only to this machine (localhost), not to {0}")]
    InsecureRemote(String),
}

impl ulak_core::UserFacing for ServerError {
    fn code(&self) -> ErrorCode {
        match self {
            ServerError::Field(v) => v.code(),
            ServerError::BadHost(_) => ErrorCode::SmtpBadHost,
            ServerError::BadPort(_) => ErrorCode::SmtpBadPort,
            ServerError::InsecureRemote(_) => ErrorCode::SmtpInsecureRemote,
        }
    }
    fn hint(&self) -> Option<String> {
        match self {
            ServerError::Field(v) => v.hint(),
            ServerError::BadHost(_) => {
                Some("Write the server name without spaces, e.g. smtp.firma.com.".into())
            }
            ServerError::BadPort(_) => Some("Usually 587 (STARTTLS) or 465 (SSL/TLS).".into()),
            ServerError::InsecureRemote(_) => {
                Some("Choose STARTTLS (587) or SSL/TLS (465).".into())
            }
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            ServerError::Field(v) => v.field(),
            ServerError::BadHost(_) => Some("host"),
            ServerError::BadPort(_) => Some("port"),
            ServerError::InsecureRemote(_) => Some("security"),
        }
    }
}

/// A server name or IP literal: no spaces or control characters, labels of letters,
/// digits and hyphens (Unicode letters allowed for IDN), at most 253 characters.
pub fn host(value: &str) -> Result<String, ServerError> {
    let h = validate::text("host", value, validate::LIMITS.host, true)?;
    if h.parse::<std::net::IpAddr>().is_ok() {
        return Ok(h);
    }
    let bare = h.strip_prefix('[').and_then(|s| s.strip_suffix(']'));
    if let Some(inner) = bare {
        if inner.parse::<std::net::Ipv6Addr>().is_ok() {
            return Ok(inner.to_string());
        }
    }
    let ok = h.split('.').all(|label| {
        !label.is_empty()
            && label.chars().count() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    });
    if !ok {
        return Err(ServerError::BadHost(h));
    }
    Ok(h.to_lowercase())
}

pub fn port(value: i64) -> Result<u16, ServerError> {
    match u16::try_from(value) {
        Ok(p) if p > 0 => Ok(p),
        _ => Err(ServerError::BadPort(value)),
    }
}

pub fn is_loopback(host: &str) -> bool {
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    if h == "localhost" || h.ends_with(".localhost") {
        return true;
    }
    h.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

impl ServerParams {
    /// Checks every field; `security = none` only towards this machine.
    pub fn validated(
        host_in: &str,
        port_in: i64,
        security: Security,
        username: &str,
    ) -> Result<Self, ServerError> {
        let host = host(host_in)?;
        let port = port(port_in)?;
        let username = validate::text("username", username, validate::LIMITS.smtp_username, true)?;
        if security == Security::None && !is_loopback(&host) {
            return Err(ServerError::InsecureRemote(host));
        }
        Ok(ServerParams {
            host,
            port,
            security,
            username,
        })
    }

    /// `validated` for a relay that takes mail without a sign-in: no username.
    pub fn validated_relay(
        host_in: &str,
        port_in: i64,
        security: Security,
    ) -> Result<Self, ServerError> {
        let host = host(host_in)?;
        let port = port(port_in)?;
        if security == Security::None && !is_loopback(&host) {
            return Err(ServerError::InsecureRemote(host));
        }
        Ok(ServerParams {
            host,
            port,
            security,
            username: String::new(),
        })
    }

    /// Replaces Thunderbird's placeholders, in the hostname and the username, with the
    /// parts of `email`.
    pub fn expand(&self, email: &str) -> ServerParams {
        let (local, domain) = email.rsplit_once('@').unwrap_or((email, ""));
        let fill = |s: &str| {
            s.replace("%EMAILADDRESS%", email)
                .replace("%EMAILLOCALPART%", local)
                .replace("%EMAILDOMAIN%", domain)
        };
        ServerParams {
            // Thunderbird fills the hostname as well (`smtp.%EMAILDOMAIN%`).
            host: fill(&self.host).to_lowercase(),
            username: fill(&self.username),
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ulak_core::UserFacing;

    #[test]
    fn hosts_with_spaces_or_line_breaks_are_refused() {
        assert_eq!(host("smtp.firma.com").unwrap(), "smtp.firma.com");
        assert_eq!(host(" SMTP.Firma.COM ").unwrap(), "smtp.firma.com");
        assert_eq!(host("posta.şirket.com.tr").unwrap(), "posta.şirket.com.tr");
        assert_eq!(host("127.0.0.1").unwrap(), "127.0.0.1");
        assert_eq!(host("[::1]").unwrap(), "::1");
        assert!(matches!(
            host("smtp firma.com"),
            Err(ServerError::BadHost(_))
        ));
        assert!(matches!(host("smtp..com"), Err(ServerError::BadHost(_))));
        assert!(matches!(host("-smtp.com"), Err(ServerError::BadHost(_))));
        assert_eq!(
            host("smtp.com\r\nRCPT").unwrap_err().code(),
            "validation.control_chars"
        );
        assert_eq!(host("").unwrap_err().code(), "validation.required");
    }

    #[test]
    fn port_zero_and_out_of_range_are_refused() {
        assert_eq!(port(587).unwrap(), 587);
        assert_eq!(port(65535).unwrap(), 65535);
        for bad in [0, -1, 65536, 100_000] {
            let e = port(bad).unwrap_err();
            assert_eq!(e.code(), "smtp.bad_port");
            assert_eq!(e.field(), Some("port"));
        }
    }

    #[test]
    fn no_encryption_only_to_this_machine() {
        assert!(ServerParams::validated("localhost", 25, Security::None, "u").is_ok());
        assert!(ServerParams::validated("127.0.0.1", 2525, Security::None, "u").is_ok());
        assert!(ServerParams::validated("::1", 2525, Security::None, "u").is_ok());
        let e = ServerParams::validated("smtp.firma.com", 25, Security::None, "u").unwrap_err();
        assert_eq!(e.code(), "smtp.insecure_remote");
        assert!(ServerParams::validated("smtp.firma.com", 587, Security::Starttls, "u").is_ok());
    }

    #[test]
    fn username_placeholders_expand_from_the_address() {
        let p = ServerParams {
            host: "h".into(),
            port: 587,
            security: Security::Starttls,
            username: "%EMAILLOCALPART%+%EMAILDOMAIN%|%EMAILADDRESS%".into(),
        };
        assert_eq!(
            p.expand("ali@firma.com").username,
            "ali+firma.com|ali@firma.com"
        );
    }

    #[test]
    fn security_names_from_forms_and_xml() {
        assert_eq!(Security::parse("SSL"), Some(Security::Tls));
        assert_eq!(Security::parse("STARTTLS"), Some(Security::Starttls));
        assert_eq!(Security::parse("plain"), Some(Security::None));
        assert_eq!(Security::parse("rot13"), None);
    }
}
