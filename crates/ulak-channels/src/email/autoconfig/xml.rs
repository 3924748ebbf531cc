//! Thunderbird's autoconfig format (config-v1.1.xml): the `outgoingServer` entries of
//! type smtp. Hostile input (huge, deeply nested, DTD entities, wrong types) is refused.

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::email::server::{Security, ServerParams};

/// Larger than any real config (Thunderbird's ISPDB files are a few KiB).
pub const MAX_BYTES: usize = 256 * 1024;
pub const MAX_DEPTH: usize = 16;
const MAX_SERVERS: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlError {
    #[error("the autoconfig document is larger than {MAX_BYTES} bytes")]
    TooLarge,
    #[error("the autoconfig document is nested deeper than {MAX_DEPTH} levels")]
    TooDeep,
    #[error("the autoconfig document declares a DTD or entities, which are not accepted")]
    Dtd,
    #[error("the autoconfig document is not well-formed XML: {0}")]
    Malformed(String),
    #[error("the document is not a config-v1.1 clientConfig")]
    NotClientConfig,
    #[error("the autoconfig document has no usable SMTP server")]
    NoOutgoing,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    pub display_name: Option<String>,
    pub domains: Vec<String>,
    /// Valid SMTP servers that take a password, in the document's order; hostnames and
    /// usernames keep their placeholders (`%EMAILDOMAIN%`…).
    pub servers: Vec<ServerParams>,
    /// Servers whose only `<authentication>` is OAuth2: never offered for a password
    /// sign-in (Microsoft's consumer and 365 domains in the ISPDB).
    pub oauth_servers: Vec<ServerParams>,
}

#[derive(Default)]
struct Outgoing {
    hostname: Option<String>,
    port: Option<String>,
    socket: Option<String>,
    username: Option<String>,
    /// Every `<authentication>` value, lowercased.
    authentication: Vec<String>,
}

pub fn parse(input: &[u8]) -> Result<ClientConfig, XmlError> {
    if input.len() > MAX_BYTES {
        return Err(XmlError::TooLarge);
    }
    let text = std::str::from_utf8(input).map_err(|e| XmlError::Malformed(e.to_string()))?;
    // Not trimming per event: `Firma &amp; Ortak` arrives as text, reference, text.
    let mut reader = Reader::from_str(text);

    let mut path: Vec<String> = Vec::new();
    let mut current: Option<Outgoing> = None;
    let mut cfg = ClientConfig {
        display_name: None,
        domains: Vec::new(),
        servers: Vec::new(),
        oauth_servers: Vec::new(),
    };
    let mut saw_root = false;
    let mut buf_text = String::new();

    loop {
        let ev = reader
            .read_event()
            .map_err(|e| XmlError::Malformed(e.to_string()))?;
        match ev {
            Event::DocType(_) => return Err(XmlError::Dtd),
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if path.is_empty() {
                    if name != "clientConfig" {
                        return Err(XmlError::NotClientConfig);
                    }
                    saw_root = true;
                }
                if name == "outgoingServer" && path.last().is_some_and(|p| p == "emailProvider") {
                    let is_smtp = e
                        .try_get_attribute("type")
                        .ok()
                        .flatten()
                        .is_some_and(|a| a.value.as_ref() == b"smtp");
                    current = is_smtp.then(Outgoing::default);
                }
                path.push(name);
                if path.len() > MAX_DEPTH {
                    return Err(XmlError::TooDeep);
                }
                buf_text.clear();
            }
            Event::Empty(_) if path.is_empty() => return Err(XmlError::NotClientConfig),
            Event::Empty(_) => {}
            Event::Text(t) => {
                let s = t.decode().map_err(|e| XmlError::Malformed(e.to_string()))?;
                buf_text.push_str(&s);
            }
            Event::CData(t) => {
                let s = t.decode().map_err(|e| XmlError::Malformed(e.to_string()))?;
                buf_text.push_str(&s);
            }
            Event::GeneralRef(r) => {
                if let Some(c) = r
                    .resolve_char_ref()
                    .map_err(|e| XmlError::Malformed(e.to_string()))?
                {
                    buf_text.push(c);
                } else {
                    let name = r.decode().map_err(|e| XmlError::Malformed(e.to_string()))?;
                    let c = match name.as_ref() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        // Anything else needs a DTD to mean something: refuse it.
                        _ => return Err(XmlError::Dtd),
                    };
                    buf_text.push(c);
                }
            }
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                let parent = path.last().map(String::as_str);
                let value = buf_text.trim().to_string();
                buf_text.clear();
                match (parent, name.as_str()) {
                    (Some("emailProvider"), "displayName") if cfg.display_name.is_none() => {
                        cfg.display_name = Some(value)
                    }
                    (Some("emailProvider"), "domain") if cfg.domains.len() < 64 => {
                        cfg.domains.push(value)
                    }
                    (Some("outgoingServer"), field) => {
                        if let Some(o) = current.as_mut() {
                            if field == "authentication" {
                                if o.authentication.len() < 8 {
                                    o.authentication.push(value.to_ascii_lowercase());
                                }
                                continue;
                            }
                            let slot = match field {
                                "hostname" => &mut o.hostname,
                                "port" => &mut o.port,
                                "socketType" => &mut o.socket,
                                "username" => &mut o.username,
                                _ => &mut None,
                            };
                            *slot = Some(value);
                        }
                    }
                    (Some("emailProvider"), "outgoingServer") => {
                        if let Some(o) = current.take() {
                            // Listed methods, and every one of them OAuth2: no password.
                            let oauth_only = !o.authentication.is_empty()
                                && o.authentication.iter().all(|a| a == "oauth2");
                            if let Some(s) = to_server(o) {
                                let list = if oauth_only {
                                    &mut cfg.oauth_servers
                                } else {
                                    &mut cfg.servers
                                };
                                if list.len() < MAX_SERVERS && !list.contains(&s) {
                                    list.push(s);
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
    if !saw_root {
        return Err(XmlError::NotClientConfig);
    }
    if cfg.servers.is_empty() && cfg.oauth_servers.is_empty() {
        return Err(XmlError::NoOutgoing);
    }
    Ok(cfg)
}

/// A server entry the way Thunderbird reads it; an entry with a wrong type (a port
/// that is not a number, an unknown socketType, a bad host) is skipped, not guessed.
fn to_server(o: Outgoing) -> Option<ServerParams> {
    let security = match o.socket.as_deref().map(str::to_ascii_uppercase).as_deref() {
        Some("SSL") | Some("TLS") => Security::Tls,
        Some("STARTTLS") => Security::Starttls,
        Some("PLAIN") => Security::None,
        _ => return None,
    };
    let port: i64 = o.port?.parse().ok()?;
    let host = o.hostname?;
    let username = o
        .username
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "%EMAILADDRESS%".into());
    // Plain SMTP from a document on the network is never offered.
    if security == Security::None {
        return None;
    }
    // A hostname with placeholders (`smtp.%EMAILDOMAIN%`) is checked with a stand-in
    // domain here and again once filled in for the address (`ServerParams::expand`).
    if host.contains('%') {
        let sample = ServerParams {
            host: host.clone(),
            port: 0,
            security,
            username: username.clone(),
        }
        .expand("ali@example.com");
        ServerParams::validated(&sample.host, port, security, &sample.username).ok()?;
        return Some(ServerParams {
            host,
            port: u16::try_from(port).ok()?,
            security,
            username,
        });
    }
    ServerParams::validated(&host, port, security, &username).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="firma.com.tr">
    <domain>firma.com.tr</domain>
    <displayName>Firma &amp; Ortakları</displayName>
    <incomingServer type="imap">
      <hostname>imap.firma.com.tr</hostname><port>993</port><socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.firma.com.tr</hostname>
      <port>465</port>
      <socketType>SSL</socketType>
      <username>%EMAILLOCALPART%</username>
      <authentication>password-cleartext</authentication>
    </outgoingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.firma.com.tr</hostname>
      <port>587</port>
      <socketType>STARTTLS</socketType>
      <username>%EMAILADDRESS%</username>
    </outgoingServer>
  </emailProvider>
</clientConfig>"#;

    #[test]
    fn reads_smtp_servers_in_order_and_ignores_imap() {
        let c = parse(GOOD.as_bytes()).unwrap();
        assert_eq!(c.display_name.as_deref(), Some("Firma & Ortakları"));
        assert_eq!(c.domains, vec!["firma.com.tr"]);
        assert_eq!(c.servers.len(), 2);
        assert_eq!(c.servers[0].host, "smtp.firma.com.tr");
        assert_eq!(c.servers[0].port, 465);
        assert_eq!(c.servers[0].security, Security::Tls);
        assert_eq!(c.servers[0].username, "%EMAILLOCALPART%");
        assert_eq!(c.servers[1].security, Security::Starttls);
    }

    #[test]
    fn entries_with_wrong_types_are_skipped() {
        let doc = r#"<clientConfig><emailProvider>
          <outgoingServer type="smtp"><hostname>a.com</hostname><port>five</port><socketType>SSL</socketType></outgoingServer>
          <outgoingServer type="smtp"><hostname>a.com</hostname><port>0</port><socketType>SSL</socketType></outgoingServer>
          <outgoingServer type="smtp"><hostname>bad host</hostname><port>465</port><socketType>SSL</socketType></outgoingServer>
          <outgoingServer type="smtp"><hostname>a.com</hostname><port>465</port><socketType>ROT13</socketType></outgoingServer>
          <outgoingServer type="smtp"><hostname>a.com</hostname><port>25</port><socketType>plain</socketType></outgoingServer>
          <outgoingServer type="smtp"><hostname>ok.com</hostname><port>587</port><socketType>STARTTLS</socketType></outgoingServer>
        </emailProvider></clientConfig>"#;
        let c = parse(doc.as_bytes()).unwrap();
        assert_eq!(c.servers.len(), 1);
        assert_eq!(c.servers[0].host, "ok.com");
        assert_eq!(
            c.servers[0].username, "%EMAILADDRESS%",
            "missing username means the address"
        );
    }

    #[test]
    fn entity_expansion_is_refused() {
        let bomb = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<clientConfig><emailProvider><displayName>&lol2;</displayName></emailProvider></clientConfig>"#;
        assert_eq!(parse(bomb.as_bytes()), Err(XmlError::Dtd));
        let undeclared = "<clientConfig><emailProvider><displayName>&lol;</displayName></emailProvider></clientConfig>";
        assert_eq!(parse(undeclared.as_bytes()), Err(XmlError::Dtd));
    }

    #[test]
    fn deep_nesting_and_huge_documents_are_refused_quickly() {
        let deep = format!(
            "<clientConfig>{}{}</clientConfig>",
            "<a>".repeat(10_000),
            "</a>".repeat(10_000)
        );
        assert_eq!(parse(deep.as_bytes()), Err(XmlError::TooDeep));
        let huge = format!("<clientConfig>{}</clientConfig>", " ".repeat(MAX_BYTES));
        assert_eq!(parse(huge.as_bytes()), Err(XmlError::TooLarge));
    }

    #[test]
    fn other_documents_are_not_configs() {
        assert_eq!(
            parse(b"<html><body>404</body></html>"),
            Err(XmlError::NotClientConfig)
        );
        assert!(matches!(
            parse(b"<clientConfig><emailProvider>"),
            Err(XmlError::Malformed(_)) | Err(XmlError::NoOutgoing)
        ));
        assert_eq!(parse(b"<clientConfig/>"), Err(XmlError::NotClientConfig));
        assert_eq!(
            parse(b"<clientConfig><emailProvider><domain>x.com</domain></emailProvider></clientConfig>"),
            Err(XmlError::NoOutgoing)
        );
        assert!(matches!(
            parse(&[0xff, 0xfe, 0x00]),
            Err(XmlError::Malformed(_))
        ));
    }
}
