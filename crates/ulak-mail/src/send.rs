//! Sending through an account's SMTP server with lettre. For now the one message the
//! settings page sends — a test e-mail to the sender's own address; the outbox builds
//! on the same transport.

use std::time::Duration;

use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;
use serde::Serialize;
use sqlx::SqlitePool;
use ulak_core::{ErrorCode, UserFacing};

use crate::accounts::{self, AccountError};
use crate::server::Security;

#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error(transparent)]
    Account(#[from] AccountError),
    #[error("the message could not be built: {0}")]
    Build(String),
    #[error("the server did not accept the sign-in: {0}")]
    Auth(String),
    #[error("the server refused the message: {0}")]
    Permanent(String),
    #[error("the server could not take the message now: {0}")]
    Transient(String),
    #[error("sending failed: {0}")]
    Network(String),
    #[error("a secure connection could not be made: {0}")]
    Tls(String),
}

impl UserFacing for SendError {
    fn code(&self) -> ErrorCode {
        match self {
            SendError::Account(a) => a.code(),
            SendError::Build(_) => ErrorCode::SendBuildFailed,
            SendError::Auth(_) => ErrorCode::SmtpAuthFailed,
            SendError::Permanent(_) => ErrorCode::SendRejected,
            SendError::Transient(_) => ErrorCode::SendDeferred,
            SendError::Network(_) | SendError::Tls(_) => ErrorCode::SendNetwork,
        }
    }
    fn hint(&self) -> Option<String> {
        match self {
            SendError::Account(a) => a.hint(),
            SendError::Build(_) => Some("Check the sender address and name in the account.".into()),
            SendError::Auth(_) => Some("Run the connection test: it says what to change.".into()),
            SendError::Permanent(_) => Some("The server's reply above says why; often the sender address is not allowed for this account.".into()),
            SendError::Transient(_) => Some("Try again in a few minutes.".into()),
            SendError::Network(_) | SendError::Tls(_) => Some("Run the connection test: it shows which step fails.".into()),
        }
    }
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SentInfo {
    pub to: String,
    pub message_id: String,
    /// The server's final reply, e.g. "2.0.0 Ok: queued as 4F2A1".
    pub server_reply: String,
}

pub const TEST_SUBJECT: &str = "Ulak test e-postası / test message";

/// Sends a short message from the account to its own address.
pub async fn send_test_email(
    pool: &SqlitePool,
    workspace_id: i64,
    id: i64,
) -> Result<SentInfo, SendError> {
    let a = accounts::get(pool, workspace_id, id).await?;
    let password = accounts::password(pool, workspace_id, id)
        .await?
        .unwrap_or_default();
    let ca = accounts::trusted_ca(pool, workspace_id, id).await?;

    let mailbox: Mailbox = format!("{} <{}>", quote_name(&a.sender_name), a.email)
        .parse()
        .or_else(|_| a.email.parse())
        .map_err(|e: lettre::address::AddressError| SendError::Build(e.to_string()))?;
    let message_id = format!(
        "<{}.ulak-test@{}>",
        hex_id(),
        a.email.rsplit('@').next().unwrap_or("localhost")
    );
    let msg = Message::builder()
        .from(mailbox.clone())
        .to(mailbox)
        .subject(TEST_SUBJECT)
        .message_id(Some(message_id.clone()))
        .header(ContentType::TEXT_PLAIN)
        .body(String::from(
            "Bu ileti Ulak'tan bir deneme e-postasıdır: hesabınız gönderebiliyor.\n\
             This is a test message from Ulak: your account can send.\n",
        ))
        .map_err(|e| SendError::Build(e.to_string()))?;

    let transport = smtp_transport(&a, &password, ca.as_deref())?;
    let response = transport.send(msg).await.map_err(classify)?;
    let server_reply = response.message().collect::<Vec<_>>().join(" ");
    tracing::info!(workspace_id, account_id = id, "test e-mail sent");
    Ok(SentInfo {
        to: a.email,
        message_id,
        server_reply,
    })
}

/// A pooled lettre transport for one account: its server, mode, credentials and the
/// company CA it trusts, if any.
pub fn smtp_transport(
    a: &accounts::Account,
    password: &secrecy::SecretString,
    ca_pem: Option<&str>,
) -> Result<AsyncSmtpTransport<Tokio1Executor>, SendError> {
    let mut tls = TlsParameters::builder(a.host.clone());
    if let Some(pem) = ca_pem {
        let cert =
            Certificate::from_pem(pem.as_bytes()).map_err(|e| SendError::Network(e.to_string()))?;
        tls = tls.add_root_certificate(cert);
    }
    let tls = tls
        .build_rustls()
        .map_err(|e| SendError::Network(e.to_string()))?;
    let mode = match a.security {
        Security::Tls => Tls::Wrapper(tls),
        Security::Starttls => Tls::Required(tls),
        Security::None => Tls::None,
    };
    Ok(
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(a.host.clone())
            .port(a.port)
            .tls(mode)
            .credentials(Credentials::new(
                a.username.clone(),
                password.expose_secret().to_string(),
            ))
            .timeout(Some(Duration::from_secs(30)))
            .build(),
    )
}

fn classify(e: lettre::transport::smtp::Error) -> SendError {
    let text = e.to_string();
    match e.status() {
        Some(code) if u16::from(code) == 535 || u16::from(code) == 534 => SendError::Auth(text),
        Some(_) if e.is_permanent() => SendError::Permanent(text),
        Some(_) if e.is_transient() => SendError::Transient(text),
        _ => SendError::Network(text),
    }
}

/// A display name with characters that need quoting in a header, quoted.
fn quote_name(name: &str) -> String {
    let n = name.trim();
    if n.is_empty() {
        return String::new();
    }
    format!("\"{}\"", n.replace(['\\', '"'], ""))
}

fn hex_id() -> String {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{t:x}.{:x}", std::process::id())
}
