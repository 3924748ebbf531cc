//! "Bağlantıyı Test Et": resolve, connect, TLS, EHLO, AUTH — sends no mail — each step
//! timed, and on failure the step, the likely cause and the fix (App Password, 465 vs
//! 587, firewall, a company CA). A diagnostic dialogue of its own, because a sending
//! transport hides exactly what this must show: which step failed and what the server
//! said. Sending itself goes through lettre.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::pki_types::ServerName;
use secrecy::SecretString;
use serde::Serialize;
use tokio::io::{AsyncBufRead, AsyncWrite, BufReader};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use ulak_core::ErrorCode;

use crate::email::auth::{self, Credentials};
use crate::email::reply::{self, command, ReadError, Reply};

use crate::email::providers::AuthKind;
use crate::email::server::{Security, ServerParams};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    Resolve,
    Connect,
    Tls,
    Greeting,
    Ehlo,
    Starttls,
    Auth,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    pub kind: StepKind,
    pub ok: bool,
    pub millis: u64,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TlsInfo {
    pub protocol: String,
    pub subject: String,
    pub issuer: String,
    pub not_after: String,
}

impl ProbeReport {
    /// A test that ended at the sign-in before any connection: an OAuth account whose
    /// token could not be had (withdrawn, the provider unreachable).
    pub fn sign_in_failed(code: ErrorCode, message: String, hint: String) -> ProbeReport {
        ProbeReport {
            success: false,
            steps: vec![Step {
                kind: StepKind::Auth,
                ok: false,
                millis: 0,
                detail: message.clone(),
            }],
            tls: None,
            failure: Some(failure(StepKind::Auth, code, message, hint)),
        }
    }

    /// Whether the test ended because the provider refused the sign-in itself (a wrong
    /// password, a withdrawn grant), not because it could not be asked.
    pub fn sign_in_refused(&self) -> bool {
        self.failure.as_ref().is_some_and(|f| {
            f.step == StepKind::Auth
                && !matches!(
                    f.code,
                    ErrorCode::OauthUnreachable | ErrorCode::OauthNotConfigured
                )
        })
    }

    /// The failure's words, as the account's reason.
    pub fn failure_text(&self) -> Option<String> {
        self.failure.as_ref().map(|f| f.message.clone())
    }

    /// A Google account's test: it sends through the Gmail API, so the test is that a
    /// token was had (refreshed when due) for `address`.
    pub fn api_signed_in(address: &str, millis: u64) -> ProbeReport {
        Self::api_ok(format!("signed in as {address} (Gmail API)"), millis)
    }

    /// An account that sends through an API (Gmail, Resend) passed its check.
    pub fn api_ok(detail: String, millis: u64) -> ProbeReport {
        ProbeReport {
            success: true,
            steps: vec![Step {
                kind: StepKind::Auth,
                ok: true,
                millis,
                detail,
            }],
            tls: None,
            failure: None,
        }
    }
}

/// The mode and port that would work, when the test found out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ModeSuggestion {
    pub security: Security,
    pub port: u16,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Failure {
    pub step: StepKind,
    /// Stable, e.g. `smtp.auth_failed`; the UI translates by it.
    pub code: ErrorCode,
    pub message: String,
    pub hint: String,
    pub suggestion: Option<ModeSuggestion>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProbeReport {
    pub success: bool,
    pub steps: Vec<Step>,
    pub tls: Option<TlsInfo>,
    pub failure: Option<Failure>,
}

pub struct ProbeConfig<'a> {
    pub server: &'a ServerParams,
    pub password: &'a SecretString,
    /// A company CA the user chose to trust for this account (PEM).
    pub extra_ca_pem: Option<&'a str>,
    pub step_timeout: Duration,
    /// How long to wait for the first words of a plain connection; a port that expects
    /// SSL/TLS says nothing, and this is how the test finds out.
    pub greeting_timeout: Duration,
    /// What the provider table says about signing in, for a better hint.
    pub provider_auth: Option<AuthKind>,
    /// The DNS server to resolve the host with; the system's when unset.
    pub dns_server: Option<std::net::SocketAddr>,
    /// An OAuth account's access token: the sign-in step uses XOAUTH2 with it instead
    /// of the password.
    pub oauth_token: Option<SecretString>,
    /// The account's address: with no username (a relay that needs no sign-in), the
    /// test asks the server whether it would pass mail on from it.
    pub sender: Option<&'a str>,
}

impl<'a> ProbeConfig<'a> {
    pub fn new(server: &'a ServerParams, password: &'a SecretString) -> Self {
        ProbeConfig {
            server,
            password,
            extra_ca_pem: None,
            step_timeout: Duration::from_secs(15),
            greeting_timeout: Duration::from_secs(8),
            provider_auth: None,
            dns_server: crate::email::dns::server_from_env(),
            oauth_token: None,
            sender: None,
        }
    }
}

struct Run {
    steps: Vec<Step>,
    tls: Option<TlsInfo>,
    started: Instant,
}

impl Run {
    fn begin(&mut self) {
        self.started = Instant::now();
    }
    fn ok(&mut self, kind: StepKind, detail: impl Into<String>) {
        let millis = self.started.elapsed().as_millis() as u64;
        self.steps.push(Step {
            kind,
            ok: true,
            millis,
            detail: detail.into(),
        });
        self.started = Instant::now();
    }
    /// Records the TLS step with what the certificate says.
    fn tls_done(&mut self, info: TlsInfo) {
        self.ok(
            StepKind::Tls,
            format!("{}; {}", info.protocol, info.subject),
        );
        self.tls = Some(info);
    }
    fn fail(mut self, f: Failure) -> ProbeReport {
        let millis = self.started.elapsed().as_millis() as u64;
        self.steps.push(Step {
            kind: f.step,
            ok: false,
            millis,
            detail: f.message.clone(),
        });
        ProbeReport {
            success: false,
            steps: self.steps,
            tls: self.tls,
            failure: Some(f),
        }
    }
}

fn failure(
    step: StepKind,
    code: ErrorCode,
    message: impl Into<String>,
    hint: impl Into<String>,
) -> Failure {
    Failure {
        step,
        code,
        message: message.into(),
        hint: hint.into(),
        suggestion: None,
    }
}

async fn read_reply<S: AsyncBufRead + Unpin>(
    s: &mut S,
    limit: Duration,
) -> Result<Reply, ReadError> {
    reply::read(s, limit).await
}

enum TlsOutcome {
    Ok(Box<TlsStream<TcpStream>>, TlsInfo),
    /// The peer did not answer like a TLS server at all (a plain SMTP port).
    NotTls(String),
    Failed(Failure),
}

async fn handshake(
    tcp: TcpStream,
    host: &str,
    cfg: &Arc<rustls::ClientConfig>,
    limit: Duration,
) -> TlsOutcome {
    let name = match ServerName::try_from(host.to_string()) {
        Ok(n) => n,
        Err(_) => {
            return TlsOutcome::Failed(failure(
                StepKind::Tls,
                ErrorCode::SmtpBadHost,
                format!("\"{host}\" cannot be checked against a certificate"),
                "Use the server's name as written on its certificate.",
            ))
        }
    };
    let connector = tokio_rustls::TlsConnector::from(cfg.clone());
    let r = tokio::time::timeout(limit, connector.connect(name, tcp)).await;
    let stream = match r {
        Err(_) => return TlsOutcome::NotTls("no TLS answer within the time limit".into()),
        Ok(Ok(s)) => s,
        Ok(Err(e)) => return classify_tls_error(e, host),
    };
    let (_, conn) = stream.get_ref();
    let protocol = conn
        .protocol_version()
        .map(|v| format!("{v:?}").replace('_', "."))
        .unwrap_or_default();
    let (subject, issuer, not_after) = conn
        .peer_certificates()
        .and_then(|c| c.first())
        .and_then(|der| x509_parser::parse_x509_certificate(der.as_ref()).ok())
        .map(|(_, cert)| {
            (
                cert.subject().to_string(),
                cert.issuer().to_string(),
                cert.validity().not_after.to_string(),
            )
        })
        .unwrap_or_default();
    TlsOutcome::Ok(
        Box::new(stream),
        TlsInfo {
            protocol,
            subject,
            issuer,
            not_after,
        },
    )
}

fn classify_tls_error(e: std::io::Error, host: &str) -> TlsOutcome {
    use rustls::CertificateError as C;
    let inner = e
        .get_ref()
        .and_then(|i| i.downcast_ref::<rustls::Error>())
        .cloned();
    match inner {
        Some(rustls::Error::InvalidCertificate(c)) => {
            let (code, message, hint) = match c {
                C::NotValidForName | C::NotValidForNameContext { .. } => (
                    ErrorCode::SmtpCertNameMismatch,
                    format!("the server's certificate is not for \"{host}\""),
                    "Use the server name on the certificate (ask IT), e.g. mail.firma.com instead of its IP address.",
                ),
                C::Expired | C::ExpiredContext { .. } => (
                    ErrorCode::SmtpCertExpired,
                    "the server's certificate has expired".to_string(),
                    "The server's administrator must renew its certificate; until then sending is not safe.",
                ),
                _ => (
                    ErrorCode::SmtpCertUntrusted,
                    "the server's certificate is not from an authority this computer trusts".to_string(),
                    "If your company uses its own certificate authority, get its CA file from IT and trust it for this account (\"Şirket sertifikasına güven\").",
                ),
            };
            TlsOutcome::Failed(failure(StepKind::Tls, code, message, hint))
        }
        Some(rustls::Error::InvalidMessage(_))
        | Some(rustls::Error::InappropriateMessage { .. }) => {
            TlsOutcome::NotTls("the server answered without TLS".into())
        }
        _ if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            TlsOutcome::NotTls("the server closed the connection".into())
        }
        _ => TlsOutcome::Failed(failure(
            StepKind::Tls,
            ErrorCode::SmtpTlsFailed,
            format!("the TLS handshake failed: {e}"),
            "Check the security mode: 465 uses SSL/TLS, 587 uses STARTTLS.",
        )),
    }
}

async fn resolve(
    host: &str,
    port: u16,
    dns: Option<SocketAddr>,
    limit: Duration,
) -> Option<Vec<SocketAddr>> {
    if let Ok(ip) = host.parse::<std::net::IpAddr>() {
        return Some(vec![SocketAddr::new(ip, port)]);
    }
    // "localhost" is this machine by definition (RFC 6761), whatever DNS says.
    if crate::email::server::is_loopback(host) {
        return Some(vec![SocketAddr::from(([127, 0, 0, 1], port))]);
    }
    match dns {
        // The system resolver knows /etc/hosts (localhost) and the machine's own setup.
        None => match tokio::time::timeout(limit, tokio::net::lookup_host((host, port))).await {
            Ok(Ok(a)) => Some(a.collect()),
            _ => None,
        },
        Some(server) => {
            let r = crate::email::dns::resolver(Some(server), limit);
            match tokio::time::timeout(limit, r.lookup_ip(format!("{host}."))).await {
                Ok(Ok(ips)) => Some(ips.iter().map(|ip| SocketAddr::new(ip, port)).collect()),
                _ => None,
            }
        }
    }
}

async fn connect(run: &mut Run, cfg: &ProbeConfig<'_>) -> Result<TcpStream, Failure> {
    let (host, port, limit) = (cfg.server.host.as_str(), cfg.server.port, cfg.step_timeout);
    let addrs: Vec<_> = match resolve(host, port, cfg.dns_server, limit).await {
        Some(a) => a,
        None => {
            return Err(failure(
                StepKind::Resolve,
                ErrorCode::SmtpUnknownHost,
                format!("the server name \"{host}\" was not found"),
                "Check the spelling of the SMTP server (e.g. smtp.gmail.com), and that this computer is online.",
            ))
        }
    };
    if addrs.is_empty() {
        return Err(failure(
            StepKind::Resolve,
            ErrorCode::SmtpUnknownHost,
            format!("\"{host}\" has no address"),
            "Check the spelling of the SMTP server.",
        ));
    }
    run.ok(
        StepKind::Resolve,
        addrs
            .iter()
            .map(|a| a.ip().to_string())
            .collect::<Vec<_>>()
            .join(", "),
    );
    let mut last = None;
    for a in &addrs {
        match tokio::time::timeout(limit, TcpStream::connect(a)).await {
            Ok(Ok(s)) => {
                // Without it every command waits for the peer's delayed ACK (40 ms).
                let _ = s.set_nodelay(true);
                run.ok(StepKind::Connect, format!("connected to {a}"));
                return Ok(s);
            }
            Ok(Err(e)) => last = Some(Some(e)),
            Err(_) => last = Some(None),
        }
    }
    Err(match last.flatten() {
        Some(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => failure(
            StepKind::Connect,
            ErrorCode::SmtpConnectionRefused,
            format!("{host} refused connections on port {port}"),
            "The port is probably wrong: 587 is for STARTTLS, 465 for SSL/TLS. If it is right, the mail server is down.",
        ),
        Some(e) => failure(
            StepKind::Connect,
            ErrorCode::SmtpConnectFailed,
            format!("could not connect to {host}:{port}: {e}"),
            "Check the network connection, and that a firewall or antivirus does not block this port.",
        ),
        None => failure(
            StepKind::Connect,
            ErrorCode::SmtpConnectTimeout,
            format!("no answer from {host}:{port} within {} s", limit.as_secs()),
            "A firewall or antivirus is probably blocking the port (common for 25 and 465); try 587 with STARTTLS, or ask IT.",
        ),
    })
}

fn read_failure(step: StepKind, e: ReadError, host: &str) -> Failure {
    match e {
        ReadError::Timeout => failure(
            step,
            ErrorCode::SmtpTimeout,
            format!("{host} stopped answering"),
            "Try again; if it repeats, check the security mode and port.",
        ),
        ReadError::Closed => failure(
            step,
            ErrorCode::SmtpConnectionClosed,
            format!("{host} closed the connection"),
            "The server may limit connections; try again later or check the port.",
        ),
        ReadError::Io(e) => failure(
            step,
            ErrorCode::SmtpConnectionClosed,
            format!("the connection broke: {e}"),
            "Check the network and try again.",
        ),
        ReadError::Garbage(_) => failure(
            step,
            ErrorCode::SmtpNotSmtp,
            format!("{host} does not speak SMTP on this port"),
            "Check the port: 587 (STARTTLS) or 465 (SSL/TLS).",
        ),
    }
}

fn auth_hint(auth: Option<AuthKind>) -> &'static str {
    match auth {
        Some(AuthKind::AppPassword) => "This provider needs an App Password: turn on 2-step verification, create an App Password and enter it instead of your normal password.",
        Some(AuthKind::OauthOnly) => "This provider accepts no password for sending, only its own sign-in: use \"Connect\" (OAuth) in E-posta Ayarları.",
        Some(AuthKind::OauthPreferred) => "Password sign-in (SMTP AUTH) is probably turned off for this Microsoft account; connect it with OAuth, or ask IT to enable SMTP AUTH.",
        Some(AuthKind::ApiKey) => "Enter the service's API key (SMTP key) as the password, with the username it documents.",
        _ => "Check the username (often the full e-mail address) and the password.",
    }
}

/// Talks SMTP up to AUTH over an established stream.
async fn converse<S: AsyncBufRead + AsyncWrite + Unpin>(
    run: &mut Run,
    s: &mut S,
    cfg: &ProbeConfig<'_>,
    greeted: bool,
) -> Result<Reply, Failure> {
    let host = &cfg.server.host;
    let limit = cfg.step_timeout;
    if !greeted {
        let g = read_reply(s, limit)
            .await
            .map_err(|e| read_failure(StepKind::Greeting, e, host))?;
        if g.code != 220 {
            return Err(failure(
                StepKind::Greeting,
                ErrorCode::SmtpRejected,
                format!("the server turned us away: {} {}", g.code, g.text()),
                "The server does not accept connections from here now; try later or ask IT.",
            ));
        }
        run.ok(StepKind::Greeting, g.text());
    }
    let e = command(s, "EHLO localhost", limit)
        .await
        .map_err(|e| read_failure(StepKind::Ehlo, e, host))?;
    if e.code != 250 {
        return Err(failure(
            StepKind::Ehlo,
            ErrorCode::SmtpRejected,
            format!("EHLO refused: {} {}", e.code, e.text()),
            "The server refused to talk; ask IT whether this computer may send through it.",
        ));
    }
    run.ok(StepKind::Ehlo, e.lines.first().cloned().unwrap_or_default());
    Ok(e)
}

async fn authenticate<S: AsyncBufRead + AsyncWrite + Unpin>(
    run: &mut Run,
    s: &mut S,
    cfg: &ProbeConfig<'_>,
    ehlo: &Reply,
) -> Result<(), Failure> {
    let limit = cfg.step_timeout;
    let host = &cfg.server.host;
    let user = &cfg.server.username;
    if user.is_empty() && cfg.oauth_token.is_none() {
        return relays(run, s, cfg).await;
    }
    let creds = match &cfg.oauth_token {
        Some(t) => Credentials::OAuth2 {
            user: user.clone(),
            access_token: t.clone(),
        },
        None => Credentials::Password {
            user: user.clone(),
            password: cfg.password.clone(),
        },
    };
    let offered = ehlo.auth_mechanisms();
    // Unlike the sender, the test does not guess PLAIN when nothing is offered: it says
    // so, since that is what a salesperson needs to fix (usually: encrypt first).
    let end = if offered.is_empty() {
        auth::SignIn::NoMechanism
    } else {
        auth::sign_in(s, &creds, &offered, limit)
            .await
            .map_err(|e| read_failure(StepKind::Auth, e, host))?
    };
    let auth::SignIn::Answered(reply) = end else {
        return Err(failure(
            StepKind::Auth,
            ErrorCode::SmtpAuthUnavailable,
            format!("{host} offers no password sign-in on this connection"),
            if cfg.server.security == Security::None {
                "Many servers allow sign-in only over an encrypted connection: choose STARTTLS (587) or SSL/TLS (465)."
            } else {
                "This server does not take a password here; ask IT which port and method to use."
            },
        ));
    };
    match reply.code {
        200..=299 => {
            run.ok(StepKind::Auth, format!("signed in as {user}"));
            Ok(())
        }
        530 | 538 => Err(failure(
            StepKind::Auth,
            ErrorCode::SmtpTlsRequired,
            format!(
                "{host} wants an encrypted connection first: {}",
                reply.text()
            ),
            "Choose STARTTLS (587) or SSL/TLS (465).",
        )),
        454 | 421 | 451 => Err(failure(
            StepKind::Auth,
            ErrorCode::SmtpAuthTemporary,
            format!("sign-in failed for now: {} {}", reply.code, reply.text()),
            "Try again in a few minutes.",
        )),
        _ => Err(failure(
            StepKind::Auth,
            ErrorCode::SmtpAuthFailed,
            format!(
                "{host} did not accept the username or password: {} {}",
                reply.code,
                reply.text()
            ),
            auth_hint(cfg.provider_auth),
        )),
    }
}

/// A relay that needs no sign-in: would it pass mail on from the account's address to
/// a domain not its own? MAIL FROM and RCPT TO, then RSET: nothing is sent.
async fn relays<S: AsyncBufRead + AsyncWrite + Unpin>(
    run: &mut Run,
    s: &mut S,
    cfg: &ProbeConfig<'_>,
) -> Result<(), Failure> {
    let limit = cfg.step_timeout;
    let host = &cfg.server.host;
    let from = cfg.sender.unwrap_or("");
    // As the sender will write it: an IDN domain in its ASCII form; a local part that
    // needs SMTPUTF8 is not what this asks about, so the domain's postmaster stands in.
    let envelope = match from.rsplit_once('@') {
        Some((local, domain)) => {
            let domain = idna::domain_to_ascii(domain).unwrap_or_else(|_| domain.to_string());
            let local = if local.is_ascii() {
                local
            } else {
                "postmaster"
            };
            format!("{local}@{domain}")
        }
        None => String::new(),
    };
    let mail = command(s, &format!("MAIL FROM:<{envelope}>"), limit)
        .await
        .map_err(|e| read_failure(StepKind::Auth, e, host))?;
    let rcpt = if mail.code / 100 == 2 {
        // example.com is reserved (RFC 2606): never a real recipient, always "another
        // domain", so only a relay that passes mail on accepts it.
        Some(
            command(s, "RCPT TO:<postmaster@example.com>", limit)
                .await
                .map_err(|e| read_failure(StepKind::Auth, e, host))?,
        )
    } else {
        None
    };
    let _ = command(s, "RSET", limit).await;
    let refused = match &rcpt {
        Some(r) if r.code / 100 == 2 => None,
        Some(r) => Some(r),
        None => Some(&mail),
    };
    match refused {
        None => {
            run.ok(
                StepKind::Auth,
                format!("{host} takes mail from {from} without a sign-in (a relay)"),
            );
            Ok(())
        }
        Some(r) => Err(failure(
            StepKind::Auth,
            ErrorCode::SmtpRelayRefused,
            format!(
                "{host} does not pass mail on without a sign-in: {} {}",
                r.code,
                r.text()
            ),
            "This server wants a username and password: untick \"no sign-in\" and enter them, or ask IT whether this computer may relay through it.",
        )),
    }
}

/// Checks that the other mode works on the same port, to turn "it hangs" into "use X".
async fn other_mode_works(
    cfg: &ProbeConfig<'_>,
    tls: &Arc<rustls::ClientConfig>,
    want_tls: bool,
) -> bool {
    let limit = cfg.step_timeout;
    let addr = (cfg.server.host.as_str(), cfg.server.port);
    let Ok(Ok(tcp)) = tokio::time::timeout(limit, TcpStream::connect(addr)).await else {
        return false;
    };
    if want_tls {
        match handshake(tcp, &cfg.server.host, tls, limit).await {
            TlsOutcome::Ok(..) => true,
            // A certificate problem still proves the port speaks TLS.
            TlsOutcome::Failed(f) => f.code.as_str().starts_with("smtp.cert_"),
            TlsOutcome::NotTls(_) => false,
        }
    } else {
        let mut s = BufReader::new(tcp);
        matches!(read_reply(&mut s, limit).await, Ok(r) if r.code == 220)
    }
}

fn mismatch(cfg: &ProbeConfig<'_>, needs: Security) -> Failure {
    let port = cfg.server.port;
    let (message, hint) = match needs {
        Security::Tls => (
            format!("port {port} expects SSL/TLS from the first byte, but STARTTLS or no encryption was chosen"),
            "Choose SSL/TLS for this port (465 is SSL/TLS; 587 is STARTTLS).".to_string(),
        ),
        _ => (
            format!("port {port} starts without encryption (STARTTLS), but SSL/TLS was chosen"),
            "Choose STARTTLS for this port (587 is STARTTLS; 465 is SSL/TLS).".to_string(),
        ),
    };
    Failure {
        step: if needs == Security::Tls {
            StepKind::Greeting
        } else {
            StepKind::Tls
        },
        code: ErrorCode::SmtpTlsModeMismatch,
        message,
        hint,
        suggestion: Some(ModeSuggestion {
            security: needs,
            port,
        }),
    }
}

/// Runs the whole test. Never sends a message; ends with QUIT.
pub async fn probe(cfg: &ProbeConfig<'_>) -> ProbeReport {
    let mut run = Run {
        steps: Vec::new(),
        tls: None,
        started: Instant::now(),
    };
    run.begin();
    let tls_cfg = match crate::email::tls::config(cfg.extra_ca_pem) {
        Ok(c) => c,
        Err(m) => {
            return run.fail(failure(
                StepKind::Tls,
                ErrorCode::SmtpCaInvalid,
                m,
                "Choose the company's CA certificate file again (PEM).",
            ))
        }
    };
    let host = cfg.server.host.clone();
    let limit = cfg.step_timeout;
    let tcp = match connect(&mut run, cfg).await {
        Ok(t) => t,
        Err(f) => return run.fail(f),
    };

    match cfg.server.security {
        Security::Tls => {
            let stream = match handshake(tcp, &host, &tls_cfg, limit).await {
                TlsOutcome::Ok(s, info) => {
                    run.tls_done(info);
                    s
                }
                TlsOutcome::Failed(f) => return run.fail(f),
                TlsOutcome::NotTls(why) => {
                    if other_mode_works(cfg, &tls_cfg, false).await {
                        return run.fail(mismatch(cfg, Security::Starttls));
                    }
                    return run.fail(failure(
                        StepKind::Tls,
                        ErrorCode::SmtpTlsFailed,
                        why,
                        "Check the port and security mode: 465 is SSL/TLS, 587 is STARTTLS.",
                    ));
                }
            };
            let mut s = BufReader::new(stream);
            finish(run, &mut s, cfg, false).await
        }
        Security::Starttls | Security::None => {
            let mut s = BufReader::new(tcp);
            run.begin();
            let g = match read_reply(&mut s, cfg.greeting_timeout).await {
                Ok(g) => g,
                Err(ReadError::Timeout) | Err(ReadError::Garbage(_))
                    if other_mode_works(cfg, &tls_cfg, true).await =>
                {
                    return run.fail(mismatch(cfg, Security::Tls));
                }
                Err(e) => return run.fail(read_failure(StepKind::Greeting, e, &host)),
            };
            if g.code != 220 {
                return run.fail(failure(
                    StepKind::Greeting,
                    ErrorCode::SmtpRejected,
                    format!("the server turned us away: {} {}", g.code, g.text()),
                    "Try later or ask IT.",
                ));
            }
            run.ok(StepKind::Greeting, g.text());
            if cfg.server.security == Security::None {
                return finish(run, &mut s, cfg, true).await;
            }
            let ehlo = match converse(&mut run, &mut s, cfg, true).await {
                Ok(e) => e,
                Err(f) => return run.fail(f),
            };
            if !ehlo.has_capability("STARTTLS") {
                return run.fail(failure(
                    StepKind::Starttls,
                    ErrorCode::SmtpStarttlsUnsupported,
                    format!("{host} does not offer STARTTLS on port {}", cfg.server.port),
                    "Use port 587 with STARTTLS or 465 with SSL/TLS.",
                ));
            }
            let r = match command(&mut s, "STARTTLS", limit).await {
                Ok(r) => r,
                Err(e) => return run.fail(read_failure(StepKind::Starttls, e, &host)),
            };
            if r.code != 220 {
                return run.fail(failure(
                    StepKind::Starttls,
                    ErrorCode::SmtpStarttlsUnsupported,
                    format!("STARTTLS refused: {} {}", r.code, r.text()),
                    "Use port 465 with SSL/TLS instead.",
                ));
            }
            run.ok(StepKind::Starttls, r.text());
            let tcp = s.into_inner();
            let stream = match handshake(tcp, &host, &tls_cfg, limit).await {
                TlsOutcome::Ok(s, info) => {
                    run.tls_done(info);
                    s
                }
                TlsOutcome::Failed(f) => return run.fail(f),
                TlsOutcome::NotTls(why) => {
                    return run.fail(failure(
                        StepKind::Tls,
                        ErrorCode::SmtpTlsFailed,
                        why,
                        "The server's STARTTLS is broken; try port 465 with SSL/TLS.",
                    ))
                }
            };
            // After STARTTLS the server sends no new greeting: EHLO straight away.
            let mut s = BufReader::new(stream);
            finish(run, &mut s, cfg, true).await
        }
    }
}

/// EHLO (after the greeting unless `greeted`), AUTH, QUIT.
async fn finish<S: AsyncBufRead + AsyncWrite + Unpin>(
    mut run: Run,
    s: &mut S,
    cfg: &ProbeConfig<'_>,
    greeted: bool,
) -> ProbeReport {
    let ehlo = match converse(&mut run, s, cfg, greeted).await {
        Ok(e) => e,
        Err(f) => return run.fail(f),
    };
    if let Err(f) = authenticate(&mut run, s, cfg, &ehlo).await {
        return run.fail(f);
    }
    quit(run, s, cfg.step_timeout).await
}

async fn quit<S: AsyncBufRead + AsyncWrite + Unpin>(
    run: Run,
    s: &mut S,
    limit: Duration,
) -> ProbeReport {
    let _ = command(s, "QUIT", limit).await;
    ProbeReport {
        success: true,
        steps: run.steps,
        tls: run.tls,
        failure: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reply_parsing_reads_multiline_capabilities() {
        let data =
            b"250-mail.test.local\r\n250-AUTH PLAIN LOGIN\r\n250-STARTTLS\r\n250 8BITMIME\r\n";
        let mut s = BufReader::new(&data[..]);
        let r = read_reply(&mut s, Duration::from_secs(1)).await.unwrap();
        assert_eq!(r.code, 250);
        assert!(r.has_capability("starttls"));
        assert_eq!(r.auth_mechanisms(), vec!["PLAIN", "LOGIN"]);
    }

    #[tokio::test]
    async fn a_non_smtp_peer_is_garbage_not_a_hang() {
        let mut s = BufReader::new(&b"HTTP/1.1 400 Bad Request\r\n"[..]);
        assert!(matches!(
            read_reply(&mut s, Duration::from_secs(1)).await,
            Err(ReadError::Garbage(_))
        ));
        let mut s = BufReader::new(&b""[..]);
        assert!(matches!(
            read_reply(&mut s, Duration::from_secs(1)).await,
            Err(ReadError::Closed)
        ));
    }
}
