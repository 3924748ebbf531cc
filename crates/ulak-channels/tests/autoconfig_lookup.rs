//! The lookup chain against local stand-ins: an HTTP server that answers autoconfig,
//! .well-known and ISPDB requests (and checks they have Thunderbird's form), and
//! dnsmasq serving SRV and MX records on loopback.

use std::sync::{Arc, Mutex};
use std::time::Duration;

mod common;

use common::{dnsmasq, Dns};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use ulak_channels::email::autoconfig::lookup::{discover, LookupOutcome, Sources};
use ulak_channels::email::autoconfig::Source;
use ulak_channels::email::server::Security;

const AUTOCONF_XML: &str = include_str!("fixtures/autoconf.test.xml");

fn xml_for(host: &str, port: u16, socket: &str) -> String {
    AUTOCONF_XML
        .replace("smtp.autoconf.test", host)
        .replace("<port>587</port>", &format!("<port>{port}</port>"))
        .replace("STARTTLS", socket)
}

/// Serves by path and the `emailaddress` query; records every request line.
async fn http_server() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let log = Arc::new(Mutex::new(Vec::new()));
    let seen = log.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let n = sock.read(&mut buf).await.unwrap_or(0);
                let req = String::from_utf8_lossy(&buf[..n]).to_string();
                let target = req.split_whitespace().nth(1).unwrap_or("").to_string();
                seen.lock().unwrap().push(target.clone());
                let (path, query) = target.split_once('?').unwrap_or((&target, ""));
                let body: Option<String> = match (path, query) {
                    ("/mail/config-v1.1.xml", "emailaddress=ali%40autoconf.test") => Some(AUTOCONF_XML.into()),
                    ("/.well-known/autoconfig/mail/config-v1.1.xml", "emailaddress=ali%40wellknown.test") => {
                        Some(xml_for("smtp.wellknown.test", 465, "SSL"))
                    }
                    ("/ispdb/ispdb.test", "") => Some(xml_for("smtp.ispdb.test", 587, "STARTTLS")),
                    ("/mail/config-v1.1.xml", "emailaddress=ali%40hostile.test") => Some(
                        r#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><clientConfig>&b;</clientConfig>"#.into(),
                    ),
                    ("/.well-known/autoconfig/mail/config-v1.1.xml", "emailaddress=ali%40hostile.test") => {
                        Some(format!("<clientConfig>{}</clientConfig>", "<x>".repeat(400_000)))
                    }
                    _ => None,
                };
                let resp = match body {
                    Some(b) => format!("HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{b}", b.len()),
                    None => "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".into(),
                };
                let _ = sock.write_all(resp.as_bytes()).await;
            });
        }
    });
    (base, log)
}

const DNS_RECORDS: &[&str] = &[
    "--srv-host=_submissions._tcp.srv.test,mail.srv.test,465,0,10",
    "--srv-host=_submission._tcp.srv.test,mail.srv.test,587,0,10",
    "--srv-host=_submission._tcp.starttls-only.test,smtp.starttls-only.test,587",
    "--mx-host=mx.test,aspmx.l.google.com,10",
    "--mx-host=unknown-mx.test,mx.nowhere.example,10",
    // A company whose servers nothing describes, but whose smtp. host answers.
    "--address=/guess.test/127.0.0.1",
];

fn sources(base: &str, dns: &Dns) -> Sources {
    Sources {
        http_base: Some(base.to_string()),
        ispdb_base: format!("{base}/ispdb/"),
        dns_server: Some(dns.addr),
        step_timeout: Duration::from_secs(3),
        // A guess is tried on the test mail server's STARTTLS port when there is one.
        guess_ports: ulak_channels::email::testing::MailServer::from_env()
            .map(|m| vec![(m.starttls, Security::Starttls)])
            .unwrap_or_default(),
    }
}

#[tokio::test]
async fn each_source_is_tried_in_order_and_named() {
    let Some(dns) = dnsmasq(DNS_RECORDS) else {
        return;
    };
    let (base, log) = http_server().await;
    let src = sources(&base, &dns);

    // 1. Built-in table: no network at all.
    let d = discover("ayse@gmail.com", &src).await;
    assert_eq!(d.suggestion.unwrap().source, Source::Builtin);
    assert!(
        log.lock().unwrap().is_empty(),
        "a known provider needs no request"
    );

    // 2. autoconfig.<domain>, in Thunderbird's form (path + emailaddress query).
    let d = discover("ali@autoconf.test", &src).await;
    let s = d.suggestion.expect("autoconfig host");
    assert_eq!(s.source, Source::AutoconfigHost);
    assert_eq!(s.provider_name.as_deref(), Some("Autoconf Test AŞ"));
    assert_eq!(
        (s.servers[0].host.as_str(), s.servers[0].port),
        ("smtp.autoconf.test", 587)
    );
    assert_eq!(s.servers[0].username, "ali", "%EMAILLOCALPART% expanded");
    assert_eq!(
        log.lock().unwrap().last().unwrap(),
        "/mail/config-v1.1.xml?emailaddress=ali%40autoconf.test"
    );

    // 3. .well-known after a 404 from autoconfig.<domain>.
    let d = discover("ali@wellknown.test", &src).await;
    let s = d.suggestion.expect("well-known");
    assert_eq!(
        (s.source, s.servers[0].security),
        (Source::WellKnown, Security::Tls)
    );
    assert_eq!(
        d.tried.iter().map(|a| a.source).collect::<Vec<_>>(),
        [Source::Builtin, Source::AutoconfigHost, Source::WellKnown]
    );

    // 4. The ISPDB by domain.
    let s = discover("ali@ispdb.test", &src)
        .await
        .suggestion
        .expect("ispdb");
    assert_eq!(
        (s.source, s.servers[0].host.as_str()),
        (Source::Ispdb, "smtp.ispdb.test")
    );

    // 5. SRV: submissions (implicit TLS) before submission (STARTTLS).
    let s = discover("ali@srv.test", &src)
        .await
        .suggestion
        .expect("srv");
    assert_eq!(s.source, Source::Srv);
    assert_eq!(
        (
            s.servers[0].host.as_str(),
            s.servers[0].port,
            s.servers[0].security
        ),
        ("mail.srv.test", 465, Security::Tls)
    );
    let s = discover("ali@starttls-only.test", &src)
        .await
        .suggestion
        .expect("srv submission");
    assert_eq!(
        (s.servers[0].port, s.servers[0].security),
        (587, Security::Starttls)
    );

    // 6. MX at google.com means Gmail's settings for a company domain.
    let s = discover("ali@mx.test", &src).await.suggestion.expect("mx");
    assert_eq!(
        (s.source, s.provider_id.as_deref()),
        (Source::Mx, Some("gmail"))
    );
    assert_eq!(s.servers[0].username, "ali@mx.test");
}

#[tokio::test]
async fn nothing_found_lists_every_step_tried() {
    let Some(dns) = dnsmasq(DNS_RECORDS) else {
        return;
    };
    let (base, _) = http_server().await;
    let d = discover("ali@unknown-mx.test", &sources(&base, &dns)).await;
    assert!(d.suggestion.is_none());
    let steps: Vec<Source> = d.tried.iter().map(|a| a.source).collect();
    assert_eq!(
        steps,
        [
            Source::Builtin,
            Source::AutoconfigHost,
            Source::WellKnown,
            Source::Ispdb,
            Source::Srv,
            Source::Srv,
            Source::Mx,
            Source::Guess
        ]
    );
    assert!(d.tried.iter().all(|a| !a.found));
    assert_eq!(d.outcome, LookupOutcome::NothingKnown);
}

#[tokio::test]
async fn hostile_documents_are_refused_and_the_search_goes_on() {
    let Some(dns) = dnsmasq(DNS_RECORDS) else {
        return;
    };
    let (base, _) = http_server().await;
    let d = discover("ali@hostile.test", &sources(&base, &dns)).await;
    assert!(d.suggestion.is_none());
    let host = &d.tried[1];
    assert!(host.detail.contains("DTD"), "{host:?}");
    let wk = &d.tried[2];
    assert!(wk.detail.contains("too large"), "{wk:?}");
}

#[tokio::test]
async fn a_domain_nothing_describes_gets_the_host_that_answers_as_smtp() {
    let Some(m) = ulak_channels::email::testing::MailServer::from_env() else {
        eprintln!("skipped: no test mail server");
        return;
    };
    let Some(dns) = dnsmasq(DNS_RECORDS) else {
        return;
    };
    let (base, _) = http_server().await;
    let d = discover("ali@guess.test", &sources(&base, &dns)).await;
    assert_eq!(d.outcome, LookupOutcome::Found, "{:?}", d.tried);
    let s = d.suggestion.unwrap();
    assert_eq!(s.source, Source::Guess);
    assert_eq!(
        (
            s.servers[0].host.as_str(),
            s.servers[0].port,
            s.servers[0].security
        ),
        ("smtp.guess.test", m.starttls, Security::Starttls),
        "smtp.<domain> first, checked by connecting"
    );
    assert_eq!(s.servers[0].username, "ali@guess.test");
    assert_eq!(d.tried.last().unwrap().source, Source::Guess);
}

#[tokio::test]
async fn a_malformed_address_is_refused_before_any_lookup() {
    let src = Sources {
        http_base: Some("http://127.0.0.1:9".into()),
        ispdb_base: "http://127.0.0.1:9/".into(),
        dns_server: Some("127.0.0.1:9".parse().unwrap()),
        step_timeout: Duration::from_millis(300),
        guess_ports: Vec::new(),
    };
    for bad in [
        "a@b@firma.com",
        "ali@firma.com.",
        "ali@.firma.com",
        "ali@firma..com",
        "ali@firma",
        "@firma.com",
        "ali@",
    ] {
        let d = discover(bad, &src).await;
        assert_eq!(d.outcome, LookupOutcome::BadAddress, "{bad}");
        assert!(d.tried.is_empty(), "{bad}: nothing looked up");
    }
}

#[tokio::test]
async fn a_network_that_does_not_answer_is_told_apart_from_an_unknown_domain() {
    // Nothing listens on port 9 here: no HTTP server, no DNS reply.
    let src = Sources {
        http_base: Some("http://127.0.0.1:9".into()),
        ispdb_base: "http://127.0.0.1:9/".into(),
        dns_server: Some("127.0.0.1:9".parse().unwrap()),
        step_timeout: Duration::from_millis(500),
        guess_ports: Vec::new(),
    };
    let d = discover("ali@firma.com.tr", &src).await;
    assert!(d.suggestion.is_none());
    assert_eq!(d.outcome, LookupOutcome::NoAnswer, "{:?}", d.tried);
    assert!(
        d.tried.iter().all(|a| a.source != Source::Guess),
        "no guessing without DNS"
    );
}
