//! The built-in provider table: one `providers/<id>.toml` per provider (domains, MX
//! suffixes, SMTP servers, how to sign in, a Turkish and English hint, a help link).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::email::server::{Security, ServerParams};
use ulak_outbox::senders::{Ceilings, Unit};

use crate::embedded::PROVIDER_FILES;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum AuthKind {
    /// The account password works.
    Password,
    /// Needs an app password (2-step verification on).
    AppPassword,
    /// A relay's API key or SMTP key is the password.
    ApiKey,
    /// Password SMTP is being switched off; OAuth is the way.
    OauthPreferred,
    /// The provider takes no password at all, only OAuth sign-in (its autoconfig lists
    /// OAuth2 alone): never offered as a password login.
    OauthOnly,
}

/// The provider's advice, in Turkish and English.
pub use crate::spec::Words as Hint;

#[derive(Debug, Clone, Deserialize)]
struct SmtpEntry {
    host: String,
    port: u16,
    security: Security,
}

/// A provider's own sending ceilings, as its file gives them.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
struct CeilingEntry {
    day: Option<u32>,
    #[serde(default)]
    unit: Unit,
    minute: Option<u32>,
    /// The day's ceiling for an address of the user's own domain on the provider's
    /// servers (Google Workspace), when it differs.
    custom_domain_day: Option<u32>,
}

#[derive(Debug, Clone, Deserialize)]
struct ProviderFile {
    name: String,
    domains: Vec<String>,
    mx_suffixes: Vec<String>,
    auth: AuthKind,
    username: String,
    help_url: String,
    last_checked: String,
    smtp: Vec<SmtpEntry>,
    hint: Hint,
    #[serde(default)]
    ceiling: CeilingEntry,
    #[serde(default)]
    spf_includes: Vec<String>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Provider {
    pub id: String,
    pub name: String,
    pub domains: Vec<String>,
    pub mx_suffixes: Vec<String>,
    pub auth: AuthKind,
    pub help_url: String,
    pub last_checked: String,
    /// Best first; usernames still hold placeholders.
    pub servers: Vec<ServerParams>,
    pub hint: Hint,
    /// The SPF includes the provider publishes for domains that send through it (any
    /// one is enough); empty: the SMTP host's addresses must be in the domain's SPF.
    pub spf_includes: Vec<String>,
    #[serde(skip)]
    ceiling: CeilingEntry,
}

fn parse(id: &str, text: &str) -> Result<Provider, String> {
    let f: ProviderFile = toml::from_str(text).map_err(|e| format!("providers/{id}.toml: {e}"))?;
    Ok(Provider {
        id: id.to_string(),
        name: f.name,
        domains: f.domains.into_iter().map(|d| d.to_lowercase()).collect(),
        mx_suffixes: f
            .mx_suffixes
            .into_iter()
            .map(|d| d.to_lowercase())
            .collect(),
        auth: f.auth,
        help_url: f.help_url,
        last_checked: f.last_checked,
        servers: f
            .smtp
            .into_iter()
            .map(|s| ServerParams {
                host: s.host,
                port: s.port,
                security: s.security,
                username: f.username.clone(),
            })
            .collect(),
        hint: f.hint,
        spf_includes: f.spf_includes,
        ceiling: f.ceiling,
    })
}

impl Provider {
    /// What the provider lets one account send, for an account of address `email`:
    /// its own domains get the day's ceiling, others on its servers (Google
    /// Workspace) theirs.
    pub fn ceilings(&self, email: &str) -> Ceilings {
        let c = &self.ceiling;
        let domain = email.rsplit('@').next().unwrap_or("").to_lowercase();
        let own = self.domains.is_empty() || self.domains.contains(&domain);
        Ceilings {
            day: if own {
                c.day
            } else {
                c.custom_domain_day.or(c.day)
            },
            unit: c.unit,
            minute: c.minute,
        }
    }
}

/// Every built-in provider. The files are checked by the tests below, so a broken
/// file fails the build's tests, never a user's start-up.
pub fn all() -> &'static [Provider] {
    static ALL: OnceLock<Vec<Provider>> = OnceLock::new();
    ALL.get_or_init(|| {
        PROVIDER_FILES
            .iter()
            .filter_map(|(id, text)| match parse(id, text) {
                Ok(p) => Some(p),
                Err(e) => {
                    tracing::error!("{e}");
                    None
                }
            })
            .collect()
    })
}

pub fn by_id(id: &str) -> Option<&'static Provider> {
    all().iter().find(|p| p.id == id)
}

/// The provider whose SMTP server this is (`smtp.gmail.com` → Gmail).
pub fn by_host(host: &str) -> Option<&'static Provider> {
    let h = host.trim_end_matches('.').to_lowercase();
    all()
        .iter()
        .find(|p| p.servers.iter().any(|s| s.host.eq_ignore_ascii_case(&h)))
}

/// The provider whose mail domain this is (`ali@gmail.com` → Gmail).
pub fn by_domain(domain: &str) -> Option<&'static Provider> {
    let d = domain.trim_end_matches('.').to_lowercase();
    all().iter().find(|p| p.domains.contains(&d))
}

/// The provider that hosts a domain whose MX is `mx_host` (`aspmx.l.google.com` → Gmail).
pub fn by_mx(mx_host: &str) -> Option<&'static Provider> {
    let h = mx_host.trim_end_matches('.').to_lowercase();
    all().iter().find(|p| {
        p.mx_suffixes
            .iter()
            .any(|s| h == *s || h.ends_with(&format!(".{s}")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_provider_file_parses_and_is_complete() {
        assert_eq!(
            all().len(),
            PROVIDER_FILES.len(),
            "a provider file failed to parse"
        );
        for (id, text) in PROVIDER_FILES {
            let p = parse(id, text).unwrap();
            assert!(!p.servers.is_empty(), "{id}: no smtp server");
            for s in &p.servers {
                ServerParams::validated(&s.host, s.port.into(), s.security, &s.username)
                    .unwrap_or_else(|e| panic!("{id}: {e}"));
                assert_ne!(
                    s.security,
                    Security::None,
                    "{id}: a public server without TLS"
                );
            }
            assert!(
                !p.hint.tr.is_empty() && !p.hint.en.is_empty(),
                "{id}: hint in both languages"
            );
            assert!(p.help_url.starts_with("https://"), "{id}: help link");
        }
    }

    #[test]
    fn no_domain_belongs_to_two_providers() {
        let mut seen = HashSet::new();
        for p in all() {
            for d in &p.domains {
                assert!(seen.insert(d.clone()), "{d} listed twice");
            }
        }
    }

    #[test]
    fn the_providers_salespeople_use_are_there() {
        for id in [
            "gmail",
            "outlook",
            "microsoft365",
            "yahoo",
            "yandex",
            "zoho",
            "icloud",
            "gmx",
            "mailru",
            "sendgrid",
            "brevo",
        ] {
            assert!(by_id(id).is_some(), "{id} missing");
        }
    }

    #[test]
    fn lookups_by_domain_and_mx() {
        assert_eq!(by_domain("GMAIL.com").unwrap().id, "gmail");
        assert_eq!(by_domain("hotmail.com.tr").unwrap().id, "outlook");
        assert_eq!(by_domain("yandex.com.tr").unwrap().id, "yandex");
        assert!(by_domain("firma.com.tr").is_none());
        assert_eq!(by_mx("aspmx.l.google.com.").unwrap().id, "gmail");
        assert_eq!(
            by_mx("firma-com-tr.mail.protection.outlook.com")
                .unwrap()
                .id,
            "microsoft365"
        );
        assert_eq!(by_mx("mx.yandex.net").unwrap().id, "yandex");
        assert!(
            by_mx("mail.notgoogle.com").is_none(),
            "suffix must match a whole label"
        );
    }

    #[test]
    fn the_ceilings_the_team_knows_are_data() {
        let gmail = by_host("SMTP.gmail.com").unwrap();
        assert_eq!(gmail.ceilings("ali@gmail.com").day, Some(500));
        assert_eq!(
            gmail.ceilings("ali@firma.com.tr").day,
            Some(2000),
            "Workspace"
        );
        let outlook = by_host("smtp-mail.outlook.com")
            .unwrap()
            .ceilings("a@hotmail.com");
        assert_eq!((outlook.day, outlook.unit), (Some(5000), Unit::Recipients));
        let m365 = by_host("smtp.office365.com")
            .unwrap()
            .ceilings("a@firma.com.tr");
        assert_eq!(m365.minute, Some(30));
        assert_eq!(
            by_host("smtp.yandex.com")
                .unwrap()
                .ceilings("a@yandex.com.tr"),
            Ceilings::default(),
            "no published ceiling: none assumed"
        );
        assert!(by_host("smtp.firma.com.tr").is_none());
    }

    #[test]
    fn relays_sign_in_with_a_key() {
        let sg = by_id("sendgrid").unwrap();
        assert_eq!(sg.auth, AuthKind::ApiKey);
        assert_eq!(sg.servers[0].username, "apikey");
        assert_eq!(by_id("gmail").unwrap().auth, AuthKind::AppPassword);
        assert_eq!(
            by_id("microsoft365").unwrap().auth,
            AuthKind::OauthPreferred
        );
    }
}
