//! What each sending provider asks of the user, as data: one
//! `specs/<channel>/<provider>.toml` per provider, embedded at build time. A spec names
//! the provider's fields (which are secrets, their limits, labels and help in Turkish and
//! English), its default API base URL and what its connection test does.
//!
//! The window renders any spec with one form component (`ui/src/components/ProviderForm`),
//! gets the specs through bindings.ts (`PROVIDER_SPECS`), and the CLI prints them
//! (`ulak providers`) and names their fields in its messages. Limits are names in
//! [`ulak_core::validate::LIMITS`], resolved here, so every number has one home.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use ulak_core::validate::{self, ValidationError, LIMITS};
use ulak_outbox::Channel;

use crate::embedded::SPEC_FILES;

/// A text in both of the UI's languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(deny_unknown_fields)]
pub struct Words {
    pub tr: String,
    pub en: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// One line of text.
    Text,
    Email,
    /// A server name or IP address.
    Host,
    /// 1–65535.
    Port,
    /// One of the field's `options`.
    Choice,
    /// A password, key or token: stored encrypted, never shown again, never trimmed.
    Secret,
    /// Any way of writing a number; stored as E.164.
    Phone,
    /// `https://…` (or `http://` to this computer, for a local test server).
    Url,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Required {
    Always,
    /// Required when the account is created; empty on edit keeps the saved value
    /// (how secrets behave).
    OnCreate,
    Never,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub value: String,
    pub label: Words,
}

/// What the provider's connection test does (the account form's "Bağlantıyı Test Et").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ConnectionTest {
    /// Nothing to test (the sandboxes).
    None,
    /// The stepwise SMTP test: connect, greeting, EHLO, TLS, sign-in; sends nothing.
    SmtpSteps,
    /// One authenticated request to the provider's API that changes nothing; the
    /// expected status means the credentials work. `path` may name fields as `{key}`.
    Http {
        method: String,
        path: String,
        status: u16,
    },
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FieldSpec {
    /// The input's name (as in the form, the command and the error's `field`).
    pub key: &'static str,
    pub kind: FieldKind,
    pub required: Required,
    /// In characters, from `LIMITS`; none for ports and choices.
    pub max_length: Option<u32>,
    pub label: Words,
    pub help: Words,
    /// Help shown instead when editing (a secret: "leave empty to keep").
    pub help_edit: Option<Words>,
    pub options: Vec<Choice>,
    /// Fields naming the same row are laid out side by side.
    pub row: Option<String>,
    /// The browser's autocomplete token.
    pub autocomplete: Option<String>,
    /// The command line's flag: `--sender-name`; a secret is read with `--<flag>-stdin`.
    pub flag: String,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProviderSpec {
    pub channel: Channel,
    /// As stored on each message (`smtp`, `sandbox`, `twilio`, …).
    pub provider: &'static str,
    pub name: Words,
    pub summary: Words,
    /// Where the provider's API lives unless the account says otherwise.
    pub base_url: Option<String>,
    pub help_url: Option<String>,
    pub test: ConnectionTest,
    pub fields: Vec<FieldSpec>,
    /// Messages a second it sends at most unless the integration says otherwise; None:
    /// not paced by Ulak (SMTP, whose server paces, and the sandboxes).
    pub rate_per_second: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldFile {
    key: String,
    kind: FieldKind,
    #[serde(default = "never")]
    required: Required,
    /// A `LIMITS` name (camelCase, as in bindings.ts).
    limit: Option<String>,
    label: Words,
    help: Words,
    help_edit: Option<Words>,
    #[serde(default)]
    options: Vec<Choice>,
    row: Option<String>,
    autocomplete: Option<String>,
}

fn never() -> Required {
    Required::Never
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpecFile {
    name: Words,
    summary: Words,
    base_url: Option<String>,
    help_url: Option<String>,
    test: ConnectionTest,
    fields: Vec<FieldFile>,
    rate_per_second: Option<u32>,
}

fn leak(s: String) -> &'static str {
    // Specs are read once per process (see `all`), so this is a fixed, small amount.
    Box::leak(s.into_boxed_str())
}

fn kebab(key: &str) -> String {
    let mut out = String::new();
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn limit(name: &str) -> Option<u32> {
    let limits = serde_json::to_value(LIMITS).ok()?;
    u32::try_from(limits.get(name)?.as_u64()?).ok()
}

fn parse(channel: &str, provider: &str, text: &str) -> Result<ProviderSpec, String> {
    let at = format!("specs/{channel}/{provider}.toml");
    let channel = Channel::parse(channel).ok_or_else(|| format!("{at}: no such channel"))?;
    let f: SpecFile = toml::from_str(text).map_err(|e| format!("{at}: {e}"))?;
    if let Some(url) = &f.base_url {
        validate::url("baseUrl", url, true).map_err(|e| format!("{at}: base_url: {e}"))?;
    }
    if let Some(r) = f.rate_per_second {
        if r == 0 || r as usize > LIMITS.rate_per_second {
            return Err(format!("{at}: rate_per_second {r} is out of range"));
        }
    }
    let mut fields = Vec::with_capacity(f.fields.len());
    for field in f.fields {
        let max_length = match (&field.limit, field.kind) {
            (Some(name), _) => {
                Some(limit(name).ok_or_else(|| format!("{at}: {}: no limit {name}", field.key))?)
            }
            (None, FieldKind::Port | FieldKind::Choice) => None,
            (None, _) => return Err(format!("{at}: {} needs a limit", field.key)),
        };
        if (field.kind == FieldKind::Choice) == field.options.is_empty() {
            return Err(format!("{at}: {}: options belong to choices", field.key));
        }
        fields.push(FieldSpec {
            flag: kebab(&field.key),
            key: leak(field.key),
            kind: field.kind,
            required: field.required,
            max_length,
            label: field.label,
            help: field.help,
            help_edit: field.help_edit,
            options: field.options,
            row: field.row,
            autocomplete: field.autocomplete,
        });
    }
    Ok(ProviderSpec {
        channel,
        provider: leak(provider.to_string()),
        name: f.name,
        summary: f.summary,
        base_url: f.base_url,
        help_url: f.help_url,
        test: f.test,
        fields,
        rate_per_second: f.rate_per_second,
    })
}

/// Every built-in spec. The files are checked by the tests below, so a broken file
/// fails the build's tests, never a user's start-up.
pub fn all() -> &'static [ProviderSpec] {
    static ALL: OnceLock<Vec<ProviderSpec>> = OnceLock::new();
    ALL.get_or_init(|| {
        SPEC_FILES
            .iter()
            .filter_map(
                |(channel, provider, text)| match parse(channel, provider, text) {
                    Ok(s) => Some(s),
                    Err(e) => {
                        tracing::error!("{e}");
                        None
                    }
                },
            )
            .collect()
    })
}

pub fn get(channel: Channel, provider: &str) -> Option<&'static ProviderSpec> {
    all()
        .iter()
        .find(|s| s.channel == channel && s.provider == provider)
}

/// The SMTP provider's spec: always there (tested).
pub fn smtp() -> &'static ProviderSpec {
    get(Channel::Email, "smtp").expect("specs/email/smtp.toml is embedded")
}

impl ProviderSpec {
    pub fn field(&self, key: &str) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// The fields that must be filled and are not, in the spec's order. `filled` says
    /// whether the input has a value for a key.
    pub fn missing(&self, creating: bool, filled: impl Fn(&str) -> bool) -> Vec<&'static str> {
        self.fields
            .iter()
            .filter(|f| f.is_required(creating) && !filled(f.key))
            .map(|f| f.key)
            .collect()
    }

    /// Checks every field of a generic input (key → text as typed): missing ones first,
    /// then each field's own rule. Returns the cleaned values (secrets untouched, empty
    /// optional fields left out).
    pub fn check(
        &self,
        values: &BTreeMap<String, String>,
        creating: bool,
    ) -> Result<BTreeMap<&'static str, String>, SpecError> {
        let missing = self.missing(creating, |k| {
            values.get(k).is_some_and(|v| !v.trim().is_empty())
        });
        if !missing.is_empty() {
            return Err(SpecError::Missing(missing));
        }
        if let Some(unknown) = values.keys().find(|k| self.field(k).is_none()) {
            return Err(SpecError::Unknown(unknown.clone()));
        }
        let mut out = BTreeMap::new();
        for f in &self.fields {
            let raw = values.get(f.key).map(String::as_str).unwrap_or("");
            let v = f.check(raw)?;
            if !v.is_empty() {
                out.insert(f.key, v);
            }
        }
        Ok(out)
    }
}

impl FieldSpec {
    pub fn is_required(&self, creating: bool) -> bool {
        match self.required {
            Required::Always => true,
            Required::OnCreate => creating,
            Required::Never => false,
        }
    }

    fn max(&self) -> usize {
        self.max_length.map_or(usize::MAX, |m| m as usize)
    }

    /// One field's own rule, whatever its provider: the value cleaned (trimmed; a
    /// phone as E.164) or why not. Emptiness is `missing`'s business, not this.
    pub fn check(&self, raw: &str) -> Result<String, ValidationError> {
        let field = self.key;
        match self.kind {
            FieldKind::Text => validate::text(field, raw, self.max(), false),
            FieldKind::Email => {
                validate::text(field, raw, self.max(), false)?;
                validate::email(field, raw, false)
            }
            FieldKind::Phone => validate::phone(field, raw, false),
            FieldKind::Url => validate::url(field, raw, false),
            // Host and port rules live with the SMTP server parameters; this keeps a
            // generic spec's values to one clean line.
            FieldKind::Host | FieldKind::Port => validate::text(field, raw, self.max(), false),
            FieldKind::Choice => {
                let v = validate::text(field, raw, usize::MAX, false)?;
                if v.is_empty() || self.options.iter().any(|o| o.value == v) {
                    Ok(v)
                } else {
                    Err(ValidationError::Choice {
                        field,
                        options: self.options.iter().map(|o| o.value.clone()).collect(),
                    })
                }
            }
            FieldKind::Secret => {
                // Never trimmed: a key may end in a space. One line, though.
                if raw.contains(['\r', '\n', '\0']) {
                    return Err(ValidationError::ControlChars { field });
                }
                if raw.chars().count() > self.max() {
                    return Err(ValidationError::TooLong {
                        field,
                        max: self.max(),
                    });
                }
                Ok(raw.to_string())
            }
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("settings are incomplete: {}", .0.join(", "))]
    Missing(Vec<&'static str>),
    #[error("{0} is not a setting of this provider")]
    Unknown(String),
    #[error(transparent)]
    Invalid(#[from] ValidationError),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn every_spec_file_parses_and_is_complete() {
        for (channel, provider, text) in SPEC_FILES {
            let s = parse(channel, provider, text).unwrap_or_else(|e| panic!("{e}"));
            for w in [&s.name, &s.summary] {
                assert!(!w.tr.is_empty() && !w.en.is_empty(), "{provider}: words");
            }
            let mut keys = std::collections::HashSet::new();
            for f in &s.fields {
                assert!(keys.insert(f.key), "{provider}: {} twice", f.key);
                assert!(
                    !f.label.tr.is_empty() && !f.help.en.is_empty(),
                    "{provider}.{}",
                    f.key
                );
                assert!(
                    f.key.chars().all(|c| c.is_ascii_alphanumeric()),
                    "{provider}.{}: a camelCase key",
                    f.key
                );
            }
            if let ConnectionTest::Http { path, .. } = &s.test {
                assert!(path.starts_with('/'), "{provider}: test path");
                assert!(
                    s.base_url.is_some(),
                    "{provider}: an HTTP test needs a base URL"
                );
            }
        }
        assert_eq!(all().len(), SPEC_FILES.len());
    }

    #[test]
    fn every_channel_has_its_sandbox() {
        for channel in [Channel::Email, Channel::Sms] {
            let s = get(channel, "sandbox").expect("sandbox spec");
            assert!(s.fields.is_empty());
            assert_eq!(s.test, ConnectionTest::None);
        }
    }

    #[test]
    fn limits_come_from_the_one_table() {
        let smtp = smtp();
        assert_eq!(
            smtp.field("host").unwrap().max_length,
            Some(LIMITS.host as u32)
        );
        assert_eq!(
            smtp.field("senderName").unwrap().max_length,
            Some(LIMITS.sender_name as u32)
        );
        assert_eq!(smtp.field("port").unwrap().max_length, None);
        let bad = "key = \"x\"\nkind = \"text\"\nlimit = \"nope\"\nlabel = { tr = \"a\", en = \"a\" }\nhelp = { tr = \"a\", en = \"a\" }";
        let file = format!(
            "name = {{ tr = \"a\", en = \"a\" }}\nsummary = {{ tr = \"a\", en = \"a\" }}\ntest = {{ kind = \"none\" }}\n[[fields]]\n{bad}\n"
        );
        let e = parse("sms", "x", &file).unwrap_err();
        assert!(e.contains("no limit nope"), "{e}");
        let e = parse("fax", "x", "").unwrap_err();
        assert!(e.contains("no such channel"), "{e}");
    }

    #[test]
    fn smtp_spec_marks_the_password_secret_and_names_flags() {
        let smtp = smtp();
        let pw = smtp.field("password").unwrap();
        assert_eq!(pw.kind, FieldKind::Secret);
        assert_eq!(pw.required, Required::OnCreate);
        assert_eq!(smtp.field("senderName").unwrap().flag, "sender-name");
        assert_eq!(smtp.test, ConnectionTest::SmtpSteps);
        let security = smtp.field("security").unwrap();
        let values: Vec<_> = security.options.iter().map(|o| o.value.as_str()).collect();
        assert_eq!(values, ["starttls", "tls", "none"]);
        for v in values {
            assert!(crate::email::server::Security::parse(v).is_some(), "{v}");
        }
    }

    #[test]
    fn check_reports_missing_in_order_then_each_rule() {
        let smtp = smtp();
        match smtp.check(&input(&[("host", "smtp.firma.com.tr")]), true) {
            Err(SpecError::Missing(m)) => {
                assert_eq!(m, ["email", "port", "security", "username", "password"])
            }
            other => panic!("{other:?}"),
        }
        // On edit the secret may stay empty.
        let full = [
            ("email", "satış@örnek.com.tr"),
            ("host", "smtp.örnek.com.tr"),
            ("port", "587"),
            ("security", "starttls"),
            ("username", " ayşe "),
        ];
        let ok = smtp.check(&input(&full), false).unwrap();
        assert_eq!(ok["username"], "ayşe");
        assert!(!ok.contains_key("password"));

        let mut bad = input(&full);
        bad.insert("security".into(), "ssl".into());
        assert!(matches!(
            smtp.check(&bad, false),
            Err(SpecError::Invalid(ValidationError::Choice {
                field: "security",
                ..
            }))
        ));
        let mut bad = input(&full);
        bad.insert("email".into(), "ayşe@".into());
        assert!(matches!(
            smtp.check(&bad, false),
            Err(SpecError::Invalid(ValidationError::Email {
                field: "email"
            }))
        ));
        let mut bad = input(&full);
        bad.insert("password".into(), "gizli\r\nRCPT TO:<x@y.com>".into());
        assert!(matches!(
            smtp.check(&bad, false),
            Err(SpecError::Invalid(ValidationError::ControlChars {
                field: "password"
            }))
        ));
        let mut bad = input(&full);
        bad.insert("apiKey".into(), "x".into());
        assert!(matches!(smtp.check(&bad, false), Err(SpecError::Unknown(k)) if k == "apiKey"));
    }

    #[test]
    fn secrets_are_kept_as_typed() {
        let pw = smtp().field("password").unwrap();
        assert_eq!(
            pw.check(" şifre ile boşluk ").unwrap(),
            " şifre ile boşluk "
        );
        let long = "x".repeat(LIMITS.secret + 1);
        assert!(matches!(
            pw.check(&long),
            Err(ValidationError::TooLong { .. })
        ));
    }
}

/// Whether `url` is one of the help pages Ulak's own tables link to (a provider's
/// setup page, an e-mail provider's App Password page): the window may open only
/// these in the browser, never an address that came from elsewhere.
pub fn is_help_link(url: &str) -> bool {
    url.starts_with("https://")
        && (all().iter().any(|s| s.help_url.as_deref() == Some(url))
            || crate::email::providers::all()
                .iter()
                .any(|p| p.help_url == url))
}

#[cfg(test)]
mod help_link_tests {
    #[test]
    fn only_the_tables_help_pages_are_help_links() {
        let gmail = crate::email::providers::by_id("gmail")
            .unwrap()
            .help_url
            .clone();
        assert!(super::is_help_link(&gmail));
        let twilio = super::all()
            .iter()
            .find_map(|s| s.help_url.clone())
            .expect("a provider spec with a help page");
        assert!(super::is_help_link(&twilio));
        assert!(!super::is_help_link("https://example.com/phish"));
        assert!(!super::is_help_link("file:///etc/passwd"));
        assert!(!super::is_help_link(&format!("{gmail}?x=1")));
    }
}
