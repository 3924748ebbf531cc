//! The sender domain's readiness against a real DNS server (dnsmasq on loopback) that
//! serves good and broken SPF, DMARC and DKIM records: each problem is named, nothing
//! is called missing that DNS cannot tell.

mod common;

use std::time::Duration;

use ulak_channels::email::dns;
use ulak_channels::email::readiness::{self, DkimKey, DmarcState, Sender, SpfState};

/// A real RSA public key (1024 bits, made for this test only).
const KEY: &str = "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCucfP2nQvEIJhUiSmuj6nmfgcvAMx0fjUdg7M4Yiu6J10txyV+fCPULdMpyI9lSS9V1vMINK8/HssYAtHrLkOWujZzvYGI8iMSbZ9opSsXQwoSaatwRHk3wCnMdQ8KYz+KbKCiZUySgYmKCBTnpvDjv5OyPiDWxhmK7I3+x65PpwIDAQAB";

fn txt(name: &str, value: &str) -> String {
    format!("--txt-record={name},{value}")
}

fn gmail() -> Sender {
    Sender {
        includes: vec!["_spf.google.com".into()],
        host: Some("smtp.gmail.com".into()),
        provider_domains: vec!["gmail.com".into(), "googlemail.com".into()],
    }
}

fn own_server() -> Sender {
    Sender {
        includes: vec![],
        host: Some("smtp.own.com.tr".into()),
        provider_domains: vec![],
    }
}

#[tokio::test]
async fn spf_dmarc_and_dkim_are_read_and_each_problem_named() {
    let mut records = vec![
        txt("good.com.tr", "v=spf1 include:_spf.google.com ~all"),
        txt("_spf.google.com", "v=spf1 ip4:192.0.2.0/24 ~all"),
        txt(
            "_dmarc.good.com.tr",
            "v=DMARC1; p=none; rua=mailto:dmarc@good.com.tr",
        ),
        txt("google._domainkey.good.com.tr", KEY),
        // Another TXT beside the SPF record is not an SPF record.
        txt("good.com.tr", "google-site-verification=abc"),
        txt("twospf.com.tr", "v=spf1 -all"),
        txt("twospf.com.tr", "v=spf1 include:_spf.google.com -all"),
        txt(
            "lacks.com.tr",
            "v=spf1 include:spf.protection.outlook.com -all",
        ),
        txt(
            "spf.protection.outlook.com",
            "v=spf1 ip4:198.51.100.0/24 -all",
        ),
        txt("_dmarc.lacks.com.tr", "v=DMARC1; p=reject"),
        txt("broken.com.tr", "v=spf1 include:nowhere.invalid -all"),
        txt("_dmarc.broken.com.tr", "v=DMARC1"),
        // Generic SMTP: the server's address must be inside the record.
        "--address=/smtp.own.com.tr/203.0.113.5".to_string(),
        txt("own.com.tr", "v=spf1 a:smtp.own.com.tr -all"),
        txt("mx.com.tr", "v=spf1 mx -all"),
        "--mx-host=mx.com.tr,smtp.own.com.tr,10".to_string(),
        txt("ip.com.tr", "v=spf1 ip4:203.0.113.0/28 -all"),
        txt("other.com.tr", "v=spf1 ip4:198.51.100.7 -all"),
    ];
    // Eleven includes: one past RFC 7208's ten lookups.
    let many: Vec<String> = (1..=11)
        .map(|i| format!("include:a{i}.many.com.tr"))
        .collect();
    records.push(txt(
        "many.com.tr",
        &format!("v=spf1 {} -all", many.join(" ")),
    ));
    for i in 1..=11 {
        records.push(txt(
            &format!("a{i}.many.com.tr"),
            "v=spf1 ip4:192.0.2.1 -all",
        ));
    }
    let args: Vec<&str> = records.iter().map(String::as_str).collect();
    let Some(dns_server) = common::dnsmasq(&args) else {
        return;
    };
    let r = dns::resolver(Some(dns_server.addr), Duration::from_secs(3));

    let good = readiness::check(&r, "ayşe@good.com.tr", &gmail(), None).await;
    assert_eq!(good.spf.state, SpfState::Ok, "{good:?}");
    assert_eq!(good.spf.lookups, 1);
    assert_eq!(good.dmarc.state, DmarcState::Ok);
    assert_eq!(good.dmarc.policy.as_deref(), Some("none"));
    // No mail read: the guessed "google" selector answered.
    assert_eq!(good.dkim.len(), 1, "{good:?}");
    assert_eq!(good.dkim[0].selector, "google");
    assert!(!good.dkim[0].from_headers);
    assert!(good.ready);

    let none = readiness::check(&r, "satis@nothing.com.tr", &gmail(), None).await;
    assert_eq!(none.spf.state, SpfState::Missing);
    assert_eq!(none.dmarc.state, DmarcState::Missing);
    assert!(none.dkim.is_empty(), "unknown, never missing: {none:?}");
    assert!(!none.ready);
    assert_eq!(none.spf.wanted.as_deref(), Some("include:_spf.google.com"));

    let two = readiness::check(&r, "a@twospf.com.tr", &gmail(), None).await;
    assert_eq!(two.spf.state, SpfState::Multiple);

    let lacks = readiness::check(&r, "a@lacks.com.tr", &gmail(), None).await;
    assert_eq!(lacks.spf.state, SpfState::LacksProvider);
    assert_eq!(lacks.dmarc.policy.as_deref(), Some("reject"));

    let broken = readiness::check(&r, "a@broken.com.tr", &gmail(), None).await;
    assert_eq!(
        broken.spf.state,
        SpfState::Invalid,
        "an include that is not there"
    );
    assert_eq!(broken.dmarc.state, DmarcState::Invalid, "no p=");

    let many = readiness::check(&r, "a@many.com.tr", &gmail(), None).await;
    assert_eq!(many.spf.state, SpfState::TooManyLookups);
    assert!(many.spf.lookups > 10, "{many:?}");

    for (domain, want) in [
        ("own.com.tr", SpfState::Ok),
        ("mx.com.tr", SpfState::Ok),
        ("ip.com.tr", SpfState::Ok),
        ("other.com.tr", SpfState::LacksProvider),
    ] {
        let c = readiness::check(&r, &format!("satis@{domain}"), &own_server(), None).await;
        assert_eq!(c.spf.state, want, "{domain}: {c:?}");
    }

    // The provider's own domain is the provider's business.
    let free = readiness::check(&r, "birisi@gmail.com", &gmail(), None).await;
    assert_eq!(free.spf.state, SpfState::ProviderDomain);
    assert!(free.ready);

    // A sent mail's headers: Google's signature for the domain (aligned, key found),
    // and a relay's own (not aligned, its selector unknown to DNS).
    let headers = "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=good.com.tr;\r\n \
                   s=google; h=from:to:subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\r\n \
                   b=dGVzdA==\r\n\
                   DKIM-Signature: v=1; a=rsa-sha256; d=relay.example; s=s1; h=from;\r\n \
                   bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=dGVzdA==\r\n\
                   From: ayse@good.com.tr\r\nSubject: deneme\r\n\r\n";
    let read = readiness::check(&r, "ayse@good.com.tr", &gmail(), Some(headers)).await;
    assert_eq!(read.dkim.len(), 2, "{read:?}");
    let google = read
        .dkim
        .iter()
        .find(|k| k.domain == "good.com.tr")
        .unwrap();
    assert!(google.aligned && google.from_headers);
    assert_eq!(google.key, DkimKey::Found);
    let relay = read
        .dkim
        .iter()
        .find(|k| k.domain == "relay.example")
        .unwrap();
    assert!(!relay.aligned);
    assert_eq!(relay.key, DkimKey::NotFound);
    assert!(!read.ready, "a signature whose key is gone");
}

#[tokio::test]
async fn a_dns_server_that_does_not_answer_is_told_as_such() {
    // A UDP port with nothing behind it.
    let port = std::net::UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let r = dns::resolver(
        Some(format!("127.0.0.1:{port}").parse().unwrap()),
        Duration::from_millis(300),
    );
    let c = readiness::check(&r, "a@good.com.tr", &gmail(), None).await;
    assert_eq!(c.spf.state, SpfState::NoAnswer);
    assert_eq!(c.dmarc.state, DmarcState::NoAnswer);
    assert!(c.dkim.is_empty());
    assert!(!c.ready);
}
