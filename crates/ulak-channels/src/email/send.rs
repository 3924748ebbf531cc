//! The test e-mail the settings page sends: one short message to the sender's own
//! address, over the same SMTP dialogue (`connection`) the outbox sends bulk mail with,
//! or the Gmail API for a Google account.

use lettre::message::{header::ContentType, Mailbox};
use lettre::Message;
use serde::Serialize;
use sqlx::SqlitePool;

use crate::email::accounts;
pub use crate::email::connection::SendError;
use crate::email::connection::{self, End, Job, Sent};
use crate::email::gmail;
use crate::oauth;

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
    let ca = accounts::trusted_ca(pool, workspace_id, id).await?;

    let (envelope, raw, message_id) = test_message(&a.email, &a.sender_name)?;
    if let (true, Some(o)) = (a.sends_by_gmail_api(), &a.oauth) {
        let token = oauth::connections::access_token(pool, workspace_id, o.connection_id).await?;
        let app = oauth::app(pool, oauth::Provider::Google).await?;
        let sent = gmail::send(
            &crate::http::client(),
            &app.api_base,
            &token,
            &raw,
            std::slice::from_ref(&a.email),
        )
        .await;
        if sent.token_refused {
            oauth::connections::expire(pool, workspace_id, o.connection_id).await?;
        }
        let server_reply = match sent.outcome {
            ulak_outbox::Outcome::Sent { reply } => reply,
            ulak_outbox::Outcome::Failed(f) if f.kind.retries() => {
                return Err(SendError::Transient(f.text))
            }
            ulak_outbox::Outcome::Failed(f) => return Err(SendError::Permanent(f.text)),
        };
        tracing::info!(
            workspace_id,
            account_id = id,
            "test e-mail sent through the Gmail API"
        );
        return Ok(SentInfo {
            to: a.email,
            message_id,
            server_reply,
        });
    }
    let creds = accounts::credentials(pool, &a).await?;
    let server_reply = over_smtp(&a.server(), &creds, ca.as_deref(), &envelope, &raw).await?;
    tracing::info!(workspace_id, account_id = id, "test e-mail sent");
    Ok(SentInfo {
        to: a.email,
        message_id,
        server_reply,
    })
}

/// The test message from `email` (named `sender_name`) to itself: its bytes, envelope
/// and Message-ID.
fn test_message(
    email: &str,
    sender_name: &str,
) -> Result<(lettre::address::Envelope, Vec<u8>, String), SendError> {
    let mailbox: Mailbox = format!("{} <{}>", quote_name(sender_name), email)
        .parse()
        .or_else(|_| email.parse())
        .map_err(|e: lettre::address::AddressError| SendError::Build(e.to_string()))?;
    let message_id = format!(
        "<{}.ulak-test@{}>",
        hex_id(),
        email.rsplit('@').next().unwrap_or("localhost")
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
    Ok((msg.envelope().clone(), msg.formatted(), message_id))
}

/// The test e-mail of the settings as typed, before (or instead of) saving them, by
/// the connection test's rules: nothing is stored; for a saved account being edited,
/// an empty password means the saved one on the same server only, and its company CA
/// applies. SMTP only (a Google account signed in with OAuth has its saved test).
pub async fn send_test_typed(
    pool: &SqlitePool,
    workspace_id: i64,
    input: &accounts::AccountInput,
    saved: Option<i64>,
) -> Result<SentInfo, SendError> {
    let typed = crate::email::account_check::typed(pool, workspace_id, input, saved).await?;
    let creds = if input.no_auth {
        crate::email::auth::Credentials::None
    } else {
        crate::email::auth::Credentials::Password {
            user: typed.server.username.clone(),
            password: typed.password.clone(),
        }
    };
    let (envelope, raw, message_id) = test_message(&typed.email, &typed.sender_name)?;
    let server_reply =
        over_smtp(&typed.server, &creds, typed.ca.as_deref(), &envelope, &raw).await?;
    tracing::info!(workspace_id, "test e-mail of a typed form sent");
    Ok(SentInfo {
        to: typed.email,
        message_id,
        server_reply,
    })
}

/// One message over one SMTP connection: the server's final reply, or why not.
async fn over_smtp(
    server: &crate::email::server::ServerParams,
    creds: &crate::email::auth::Credentials,
    ca: Option<&str>,
    envelope: &lettre::address::Envelope,
    raw: &[u8],
) -> Result<String, SendError> {
    let mut conn = connection::open_server(server, creds, ca).await?;
    let mut job = Some(Job { envelope, raw });
    let mut result = None;
    let end = conn
        .send_all(|| job.take().map(|j| ((), j)), |(), r| result = Some(r))
        .await;
    if end == End::Drained {
        conn.quit().await;
    }
    let server_reply = match result {
        Some(Ok(Sent::Accepted(reply))) => reply,
        Some(Ok(Sent::Refused(r))) if r.code >= 500 => {
            return Err(SendError::Permanent(r.describe()))
        }
        Some(Ok(Sent::Refused(r))) => return Err(SendError::Transient(r.describe())),
        Some(Ok(Sent::Unsendable(why))) => return Err(SendError::Build(why)),
        Some(Err(b)) => return Err(SendError::Network(b.text)),
        None => return Err(SendError::Network("the message was not sent".into())),
    };
    Ok(server_reply)
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
