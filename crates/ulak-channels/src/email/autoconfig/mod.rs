//! Where suggested SMTP settings come from, tried in order: the built-in table,
//! Thunderbird-style autoconfig XML, DNS SRV, MX records mapped to a provider, and last
//! a guess (smtp./mail./the MX host) checked by connecting to it.

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
    /// Nothing knew the domain: smtp.<domain>, mail.<domain> or its MX host answered
    /// as an SMTP server when Ulak connected to it.
    Guess,
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
        servers: p.servers.iter().map(|s| s.expand(email.trim())).collect(),
    }
}

/// Step 1: the built-in table, by the address's domain. No network.
pub fn builtin(email: &str) -> Option<Suggestion> {
    let p = providers::by_domain(domain_of(email)?)?;
    Some(from_provider(p, email, Source::Builtin))
}

/// Settings from a config-v1.1 document found for `email` at `source`.
/// Placeholders are filled in for the address and each server checked again; servers
/// that take OAuth2 alone make an `AuthKind::OauthOnly` suggestion, offered only when
/// no server takes a password.
pub fn from_xml(doc: &[u8], email: &str, source: Source) -> Result<Suggestion, xml::XmlError> {
    let cfg = xml::parse(doc)?;
    let fill = |list: &[ServerParams]| -> Vec<ServerParams> {
        list.iter()
            .map(|s| s.expand(email.trim()))
            .filter_map(|s| {
                ServerParams::validated(&s.host, i64::from(s.port), s.security, &s.username).ok()
            })
            .collect()
    };
    let servers = fill(&cfg.servers);
    let (servers, auth) = if servers.is_empty() {
        let oauth = fill(&cfg.oauth_servers);
        if oauth.is_empty() {
            return Err(xml::XmlError::NoOutgoing);
        }
        (oauth, Some(AuthKind::OauthOnly))
    } else {
        (servers, None)
    };
    Ok(Suggestion {
        source,
        provider_id: None,
        provider_name: cfg.display_name,
        auth,
        hint: None,
        help_url: None,
        servers,
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

#[cfg(test)]
mod xml_tests {
    use super::*;

    #[test]
    fn placeholders_in_the_hostname_are_filled_for_the_address() {
        let doc = br#"<clientConfig><emailProvider><outgoingServer type="smtp"><hostname>smtp.%EMAILDOMAIN%</hostname><port>465</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></outgoingServer></emailProvider></clientConfig>"#;
        let s = from_xml(doc, "Ali@Firma.com.tr", Source::Ispdb).unwrap();
        assert_eq!(s.servers[0].host, "smtp.firma.com.tr");
        assert_eq!(s.servers[0].username, "Ali@Firma.com.tr");
        assert_eq!(s.auth, None);
    }

    #[test]
    fn a_provider_listing_oauth2_alone_is_never_offered_as_a_password_login() {
        // As the ISPDB lists office365.com, outlook.de and hotmail.co.uk.
        let oauth_only = br#"<clientConfig version="1.1"><emailProvider id="office365.com"><outgoingServer type="smtp"><hostname>smtp.office365.com</hostname><port>587</port><socketType>STARTTLS</socketType><username>%EMAILADDRESS%</username><authentication>OAuth2</authentication></outgoingServer></emailProvider></clientConfig>"#;
        let s = from_xml(oauth_only, "ali@firma.com.tr", Source::Ispdb).unwrap();
        assert_eq!(s.auth, Some(AuthKind::OauthOnly));
        // Both: only the password server is offered for a password.
        let both = br#"<clientConfig><emailProvider><outgoingServer type="smtp"><hostname>smtp.a.test</hostname><port>587</port><socketType>STARTTLS</socketType><authentication>OAuth2</authentication></outgoingServer><outgoingServer type="smtp"><hostname>smtp.b.test</hostname><port>465</port><socketType>SSL</socketType><authentication>OAuth2</authentication><authentication>password-cleartext</authentication></outgoingServer></emailProvider></clientConfig>"#;
        let s = from_xml(both, "ali@firma.com.tr", Source::Ispdb).unwrap();
        assert_eq!(s.auth, None);
        assert_eq!(
            s.servers
                .iter()
                .map(|s| s.host.as_str())
                .collect::<Vec<_>>(),
            ["smtp.b.test"]
        );
    }

    #[test]
    fn the_builtin_table_agrees_with_the_ispdb_for_gmx_com() {
        let ispdb = include_bytes!("../../../tests/fixtures/ispdb-gmx.com.xml");
        let from_ispdb = from_xml(ispdb, "ayse@gmx.com", Source::Ispdb).unwrap();
        let ours = builtin("ayse@gmx.com").unwrap();
        let key = |s: &Suggestion| {
            let mut v: Vec<_> = s
                .servers
                .iter()
                .map(|s| (s.host.clone(), s.port, s.security, s.username.clone()))
                .collect();
            v.sort_by_key(|t| t.1);
            v
        };
        assert_eq!(key(&ours), key(&from_ispdb));
        assert_eq!(ours.servers[0].host, "mail.gmx.com");
        // GMX Germany keeps its own server.
        assert_eq!(
            builtin("ayse@gmx.de").unwrap().servers[0].host,
            "mail.gmx.net"
        );
    }
}
