//! Where suggested SMTP settings come from, tried in order: the built-in table,
//! Thunderbird-style autoconfig XML, DNS SRV, then MX records mapped to a provider.
//! (This release: the built-in table and the XML parser; the network lookups follow.)

pub mod lookup;
pub mod xml;

use serde::Serialize;

use crate::email::providers::{self, AuthKind, Hint};
use crate::email::server::ServerParams;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Ulak's own provider table.
    Builtin,
    /// `https://autoconfig.<domain>/mail/config-v1.1.xml`
    AutoconfigHost,
    /// `https://<domain>/.well-known/autoconfig/mail/config-v1.1.xml`
    WellKnown,
    /// Thunderbird's public ISPDB.
    Ispdb,
    /// DNS `_submissions._tcp` / `_submission._tcp` (RFC 8314 / 6186).
    Srv,
    /// The domain's MX records point at a known provider.
    Mx,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Suggestion {
    pub source: Source,
    pub provider_id: Option<String>,
    pub provider_name: Option<String>,
    pub auth: Option<AuthKind>,
    pub hint: Option<Hint>,
    pub help_url: Option<String>,
    /// Best first, usernames expanded for the address.
    pub servers: Vec<ServerParams>,
}

fn domain_of(email: &str) -> Option<&str> {
    email
        .trim()
        .rsplit_once('@')
        .map(|(_, d)| d)
        .filter(|d| !d.is_empty())
}

fn from_provider(p: &providers::Provider, email: &str, source: Source) -> Suggestion {
    Suggestion {
        source,
        provider_id: Some(p.id.clone()),
        provider_name: Some(p.name.clone()),
        auth: Some(p.auth),
        hint: Some(p.hint.clone()),
        help_url: Some(p.help_url.clone()),
        servers: p
            .servers
            .iter()
            .map(|s| s.expand_username(email.trim()))
            .collect(),
    }
}

/// Step 1: the built-in table, by the address's domain. No network.
pub fn builtin(email: &str) -> Option<Suggestion> {
    let p = providers::by_domain(domain_of(email)?)?;
    Some(from_provider(p, email, Source::Builtin))
}

/// Settings from a config-v1.1 document found for `email` at `source`.
pub fn from_xml(doc: &[u8], email: &str, source: Source) -> Result<Suggestion, xml::XmlError> {
    let cfg = xml::parse(doc)?;
    Ok(Suggestion {
        source,
        provider_id: None,
        provider_name: cfg.display_name,
        auth: None,
        hint: None,
        help_url: None,
        servers: cfg
            .servers
            .iter()
            .map(|s| s.expand_username(email.trim()))
            .collect(),
    })
}

/// Step 4: an MX host mapped to a provider (MX at google.com → Gmail settings).
pub fn from_mx(mx_host: &str, email: &str) -> Option<Suggestion> {
    providers::by_mx(mx_host).map(|p| from_provider(p, email, Source::Mx))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::email::server::Security;

    #[test]
    fn builtin_fills_gmail_with_the_address_as_username() {
        let s = builtin("Ayse.Yilmaz@gmail.com").unwrap();
        assert_eq!(s.source, Source::Builtin);
        assert_eq!(s.provider_id.as_deref(), Some("gmail"));
        assert_eq!(s.servers[0].host, "smtp.gmail.com");
        assert_eq!(s.servers[0].security, Security::Tls);
        assert_eq!(s.servers[0].username, "Ayse.Yilmaz@gmail.com");
        assert!(s.hint.unwrap().tr.contains("Uygulama Şifresi"));
    }

    #[test]
    fn unknown_domains_are_not_guessed_from_the_table() {
        assert!(builtin("ali@firma.com.tr").is_none());
        assert!(builtin("not-an-address").is_none());
    }

    #[test]
    fn mx_at_google_means_gmail_settings_for_a_company_domain() {
        let s = from_mx("aspmx.l.google.com", "ali@firma.com.tr").unwrap();
        assert_eq!(s.source, Source::Mx);
        assert_eq!(s.servers[0].username, "ali@firma.com.tr");
    }

    #[test]
    fn xml_suggestions_expand_placeholders() {
        let doc = br#"<clientConfig><emailProvider><outgoingServer type="smtp"><hostname>smtp.firma.com.tr</hostname><port>587</port><socketType>STARTTLS</socketType><username>%EMAILLOCALPART%</username></outgoingServer></emailProvider></clientConfig>"#;
        let s = from_xml(doc, "ali@firma.com.tr", Source::WellKnown).unwrap();
        assert_eq!(s.servers[0].username, "ali");
    }
}
