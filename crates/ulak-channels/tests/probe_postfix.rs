//! The connection test against a real Postfix + Dovecot on loopback
//! (tests/servers/mailserver.sh, started by scripts/test.sh, which exports its ports).

mod common;

use std::time::Duration;

use secrecy::SecretString;
use ulak_channels::email::probe::{probe, ProbeConfig, ProbeReport, StepKind};
use ulak_channels::email::providers::AuthKind;
use ulak_channels::email::server::{Security, ServerParams};

struct Env {
    plain: u16,
    starttls: u16,
    tls: u16,
    ca: String,
    user: String,
    password: String,
}

fn env() -> Option<Env> {
    let m = ulak_channels::email::testing::MailServer::from_env()?;
    Some(Env {
        plain: m.plain,
        starttls: m.starttls,
        tls: m.tls,
        ca: m.ca_pem(),
        user: m.user,
        password: m.password,
    })
}

async fn run(
    e: &Env,
    port: u16,
    security: Security,
    password: &str,
    trust: bool,
    auth: Option<AuthKind>,
) -> ProbeReport {
    let server = ServerParams {
        host: "localhost".into(),
        port,
        security,
        username: e.user.clone(),
    };
    let pw = SecretString::from(password.to_string());
    let mut cfg = ProbeConfig::new(&server, &pw);
    cfg.step_timeout = Duration::from_secs(15);
    cfg.greeting_timeout = Duration::from_secs(4);
    cfg.extra_ca_pem = trust.then_some(e.ca.as_str());
    cfg.provider_auth = auth;
    probe(&cfg).await
}

fn kinds(r: &ProbeReport) -> Vec<StepKind> {
    r.steps.iter().map(|s| s.kind).collect()
}

fn code(r: &ProbeReport) -> &str {
    r.failure
        .as_ref()
        .map(|f| f.code.as_str())
        .unwrap_or("none")
}

#[tokio::test]
async fn starttls_with_the_company_ca_signs_in_and_reports_each_step() {
    let Some(e) = env() else { return };
    let r = run(&e, e.starttls, Security::Starttls, &e.password, true, None).await;
    assert!(r.success, "{r:#?}");
    use StepKind::*;
    assert_eq!(
        kinds(&r),
        vec![Resolve, Connect, Greeting, Ehlo, Starttls, Tls, Ehlo, Auth]
    );
    let tls = r.tls.unwrap();
    assert!(tls.protocol.starts_with("TLSv1"), "{}", tls.protocol);
    assert!(tls.subject.contains("localhost"), "{}", tls.subject);
    assert!(!tls.not_after.is_empty());
}

#[tokio::test]
async fn implicit_tls_signs_in() {
    let Some(e) = env() else { return };
    let r = run(&e, e.tls, Security::Tls, &e.password, true, None).await;
    assert!(r.success, "{r:#?}");
    assert_eq!(
        kinds(&r)[2],
        StepKind::Tls,
        "TLS comes before the greeting on 465-style ports"
    );
}

#[tokio::test]
async fn no_encryption_to_localhost_signs_in() {
    let Some(e) = env() else { return };
    let r = run(&e, e.plain, Security::None, &e.password, false, None).await;
    assert!(r.success, "{r:#?}");
    assert!(r.tls.is_none());
}

#[tokio::test]
async fn wrong_password_names_the_auth_step_and_the_app_password_fix() {
    let Some(e) = env() else { return };
    let r = run(
        &e,
        e.tls,
        Security::Tls,
        "yanlış-şifre",
        true,
        Some(AuthKind::AppPassword),
    )
    .await;
    assert!(!r.success);
    let f = r.failure.as_ref().unwrap();
    assert_eq!(
        (f.step, f.code.as_str()),
        (StepKind::Auth, "smtp.auth_failed"),
        "{r:#?}"
    );
    assert!(f.hint.contains("App Password"), "{}", f.hint);
    assert!(
        f.message.contains("535"),
        "the server's own reply is kept: {}",
        f.message
    );
    assert!(
        !format!("{r:?}").contains("yanlış-şifre"),
        "the password is nowhere in the report"
    );
    let r = run(
        &e,
        e.tls,
        Security::Tls,
        "yanlış",
        true,
        Some(AuthKind::OauthPreferred),
    )
    .await;
    let f = r.failure.unwrap();
    assert!(f.hint.contains("OAuth"), "{f:?}");
}

#[tokio::test]
async fn ssl_tls_on_a_starttls_port_is_detected_and_the_right_mode_offered() {
    let Some(e) = env() else { return };
    let r = run(&e, e.starttls, Security::Tls, &e.password, true, None).await;
    assert_eq!(code(&r), "smtp.tls_mode_mismatch", "{r:#?}");
    let s = r.failure.unwrap().suggestion.unwrap();
    assert_eq!((s.security, s.port), (Security::Starttls, e.starttls));
}

#[tokio::test]
async fn starttls_on_an_ssl_port_is_detected_and_the_right_mode_offered() {
    let Some(e) = env() else { return };
    let r = run(&e, e.tls, Security::Starttls, &e.password, true, None).await;
    assert_eq!(code(&r), "smtp.tls_mode_mismatch", "{r:#?}");
    let s = r.failure.unwrap().suggestion.unwrap();
    assert_eq!((s.security, s.port), (Security::Tls, e.tls));
}

#[tokio::test]
async fn a_closed_port_says_refused_with_the_port_advice() {
    let Some(e) = env() else { return };
    // Bound and dropped at once: nothing listens there now.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let r = run(&e, port, Security::Starttls, &e.password, true, None).await;
    let f = r.failure.as_ref().unwrap();
    assert_eq!(
        (f.step, f.code.as_str()),
        (StepKind::Connect, "smtp.connection_refused"),
        "{r:#?}"
    );
    assert!(f.hint.contains("587") && f.hint.contains("465"));
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused_and_trusting_the_ca_is_offered() {
    let Some(e) = env() else { return };
    let r = run(&e, e.starttls, Security::Starttls, &e.password, false, None).await;
    let f = r.failure.as_ref().unwrap();
    assert_eq!(
        (f.step, f.code.as_str()),
        (StepKind::Tls, "smtp.cert_untrusted"),
        "{r:#?}"
    );
    assert!(f.hint.contains("CA"), "{}", f.hint);
    assert!(
        !r.steps.iter().any(|s| s.kind == StepKind::Auth),
        "no password is sent over an untrusted connection"
    );
}

#[tokio::test]
async fn a_misspelt_server_name_is_reported_as_unknown() {
    let Some(e) = env() else { return };
    let Some(dns) = common::dnsmasq(&["--address=/mail.firma.test/127.0.0.1"]) else {
        return;
    };
    let server = ServerParams {
        host: "mial.firma.test".into(),
        port: e.starttls,
        security: Security::Starttls,
        username: e.user.clone(),
    };
    let pw = SecretString::from(e.password.clone());
    let mut cfg = ProbeConfig::new(&server, &pw);
    cfg.dns_server = Some(dns.addr);
    let r = probe(&cfg).await;
    let f = r.failure.as_ref().unwrap();
    assert_eq!(
        (f.step, f.code.as_str()),
        (StepKind::Resolve, "smtp.unknown_host"),
        "{r:#?}"
    );
    assert!(f.hint.contains("spelling"), "{}", f.hint);
}

#[tokio::test]
async fn a_certificate_for_another_name_is_reported_as_such() {
    let Some(e) = env() else { return };
    let Some(dns) = common::dnsmasq(&["--address=/mail.firma.test/127.0.0.1"]) else {
        return;
    };
    let server = ServerParams {
        host: "mail.firma.test".into(),
        port: e.starttls,
        security: Security::Starttls,
        username: e.user.clone(),
    };
    let pw = SecretString::from(e.password.clone());
    let mut cfg = ProbeConfig::new(&server, &pw);
    cfg.dns_server = Some(dns.addr);
    cfg.extra_ca_pem = Some(&e.ca);
    let r = probe(&cfg).await;
    assert_eq!(
        r.steps[0].detail, "127.0.0.1",
        "resolved through the given DNS server"
    );
    let f = r.failure.as_ref().unwrap();
    assert_eq!(
        (f.step, f.code.as_str()),
        (StepKind::Tls, "smtp.cert_name_mismatch"),
        "{r:#?}"
    );
}

#[tokio::test]
async fn typed_settings_are_tested_before_saving_and_nothing_is_stored() {
    use ulak_channels::email::accounts::{self, AccountInput};
    let Some(e) = env() else { return };
    let d = tempfile::tempdir().unwrap();
    let s = ulak_core::testing::temp_store(d.path()).await;
    let p = s.pool();
    let ws = ulak_core::workspace::active(p).await.unwrap().id;
    let typed = |password: &str| AccountInput {
        email: e.user.clone(),
        sender_name: "Satış — Gülşen".into(),
        host: "localhost".into(),
        port: Some(i64::from(e.plain)),
        security: Some(Security::None),
        username: e.user.clone(),
        password: Some(password.into()),
        ..Default::default()
    };
    // A new account, not saved: the right password passes, a wrong one says so.
    let ok = accounts::test_typed(p, ws, &typed(&e.password), None)
        .await
        .unwrap();
    assert!(ok.success, "{ok:#?}");
    let wrong = accounts::test_typed(p, ws, &typed("yanlış-parola"), None)
        .await
        .unwrap();
    assert!(!wrong.success);
    assert_eq!(wrong.failure.as_ref().map(|f| f.step), Some(StepKind::Auth));
    assert!(
        accounts::list(p, ws).await.unwrap().is_empty(),
        "testing saves nothing"
    );
    // Editing a saved account: an empty password means the saved one on the same
    // server, and is refused for another port.
    let saved = accounts::create(p, ws, &typed(&e.password)).await.unwrap();
    let keep = AccountInput {
        password: None,
        ..typed("")
    };
    let r = accounts::test_typed(p, ws, &keep, Some(saved.id))
        .await
        .unwrap();
    assert!(r.success, "{r:#?}");
    let moved = AccountInput {
        port: Some(i64::from(e.starttls)),
        security: Some(Security::Starttls),
        ..keep
    };
    let err = accounts::test_typed(p, ws, &moved, Some(saved.id))
        .await
        .unwrap_err();
    assert_eq!(
        ulak_core::UserFacing::code(&err),
        ulak_core::ErrorCode::SmtpPasswordAgain
    );
}
