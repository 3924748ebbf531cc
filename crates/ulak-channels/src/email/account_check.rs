//! "Bağlantıyı Test Et": the stepwise connection test of a saved account, or of the
//! settings as typed before they are saved, and what a saved account's test changes
//! (a success makes it active, a refused sign-in stops it).

use secrecy::SecretString;
use sqlx::SqlitePool;
use ulak_core::store::now;
use ulak_core::UserFacing;
use ulak_outbox::senders::Status;

use crate::email::accounts::{check, get, password, trusted_ca, AccountError, AccountInput};
use crate::oauth;

/// "Bağlantıyı Test Et" for a saved account: its password (or OAuth token, refreshed
/// when due), its trusted CA, and what the provider table knows about signing in. Sends
/// nothing. A Google account (Gmail API) is tested by getting its token.
pub async fn test_connection(
    pool: &SqlitePool,
    workspace_id: i64,
    id: i64,
) -> Result<crate::email::probe::ProbeReport, AccountError> {
    use crate::email::probe::ProbeReport;
    let a = get(pool, workspace_id, id).await?;
    if let Some(integration_id) = a.integration_id {
        let report = resend_check(pool, workspace_id, &a.email, integration_id).await?;
        record_test(pool, id, &report).await?;
        return Ok(report);
    }
    let password = password(pool, workspace_id, id)
        .await?
        .unwrap_or_else(|| SecretString::from(String::new()));
    let mut token = None;
    if let Some(o) = &a.oauth {
        let started = std::time::Instant::now();
        // The test asks the provider: the token is refreshed, not taken from the store.
        let fresh = match oauth::connections::expire(pool, workspace_id, o.connection_id).await {
            Ok(()) => oauth::connections::access_token(pool, workspace_id, o.connection_id).await,
            Err(e) => Err(e),
        };
        match fresh {
            Ok(_) if a.sends_by_gmail_api() => {
                let millis = started.elapsed().as_millis() as u64;
                let report = ProbeReport::api_signed_in(&a.email, millis);
                record_test(pool, id, &report).await?;
                return Ok(report);
            }
            Ok(t) => token = Some(t),
            Err(e) => {
                let report = ProbeReport::sign_in_failed(
                    e.code(),
                    e.to_string(),
                    e.hint().unwrap_or_default(),
                );
                record_test(pool, id, &report).await?;
                return Ok(report);
            }
        }
    }
    let ca = trusted_ca(pool, workspace_id, id).await?;
    let server = a.server();
    let mut cfg = crate::email::probe::ProbeConfig::new(&server, &password);
    cfg.oauth_token = token;
    cfg.extra_ca_pem = ca.as_deref();
    cfg.sender = Some(&a.email);
    cfg.provider_auth = crate::email::autoconfig::builtin(&a.email).and_then(|s| s.auth);
    let report = crate::email::probe::probe(&cfg).await;
    record_test(pool, id, &report).await?;
    tracing::info!(
        workspace_id,
        account_id = id,
        success = report.success,
        "connection test"
    );
    Ok(report)
}

/// A Resend account's test: its integration's key and domain (the integration's
/// status follows, as its own test does).
async fn resend_check(
    pool: &SqlitePool,
    workspace_id: i64,
    address: &str,
    integration_id: i64,
) -> Result<crate::email::probe::ProbeReport, AccountError> {
    use crate::email::probe::ProbeReport;
    use crate::integrations;
    let started = std::time::Instant::now();
    let gone = || {
        ProbeReport::sign_in_failed(
            ulak_core::ErrorCode::IntegrationNotSetUp,
            "the Resend integration was removed".into(),
            "Connect Resend again on Entegrasyonlar › E-posta.".into(),
        )
    };
    let Some(i) = integrations::by_id(pool, workspace_id, integration_id).await? else {
        return Ok(gone());
    };
    let client = match crate::email::resend::Resend::for_integration(pool, &i).await {
        Ok(c) => c,
        Err(crate::provider::ClientError::Store(e)) => return Err(e.into()),
        Err(e) => {
            return Ok(ProbeReport::sign_in_failed(
                ulak_core::ErrorCode::IntegrationIncomplete,
                e.to_string(),
                "Fill in Resend's form on Entegrasyonlar › E-posta and save.".into(),
            ))
        }
    };
    let checked = client.check().await;
    integrations::record(pool, workspace_id, i.id, checked.as_ref().map(|_| ())).await?;
    Ok(resend_report(
        address,
        checked.as_ref().map(|_| ()),
        started.elapsed().as_millis() as u64,
    ))
}

/// A Resend check's outcome as the account's test report.
fn resend_report(
    address: &str,
    checked: Result<(), &ulak_outbox::failure::Failure>,
    millis: u64,
) -> crate::email::probe::ProbeReport {
    use crate::email::probe::ProbeReport;
    match checked {
        Ok(()) => ProbeReport::api_ok(format!("Resend took the key; {address} may send"), millis),
        Err(f) => ProbeReport::sign_in_failed(
            ulak_core::ErrorCode::IntegrationTestFailed,
            f.text.clone(),
            match f.kind {
                ulak_outbox::failure::Kind::SignIn => {
                    "Copy the API key again from resend.com/api-keys and save it on Entegrasyonlar › E-posta › Resend."
                }
                ulak_outbox::failure::Kind::Policy => {
                    "Verify the sender's domain at resend.com/domains, or send from a verified domain's address."
                }
                _ => "Check the internet connection; a firewall may block api.resend.com.",
            }
            .into(),
        ),
    }
}

/// A Resend integration's test (Entegrasyonlar) is its account's too: a success makes
/// the account active ("Test edildi"), a refused key stops it, as its own test would.
pub async fn record_resend_test(
    pool: &SqlitePool,
    workspace_id: i64,
    integration_id: i64,
    checked: Result<(), &ulak_outbox::failure::Failure>,
) -> Result<(), AccountError> {
    if let Some(a) =
        crate::email::accounts::of_integration(pool, workspace_id, integration_id).await?
    {
        record_test(pool, a.id, &resend_report(&a.email, checked, 0)).await?;
    }
    Ok(())
}

/// The connection test on the settings as typed, before (or instead of) saving them:
/// nothing is stored or changed. For a saved account being edited (`saved`), an empty
/// password means the saved one — on the same server only (`PasswordAgain` otherwise,
/// as saving says) — and its trusted company CA applies.
pub async fn test_typed(
    pool: &SqlitePool,
    workspace_id: i64,
    input: &AccountInput,
    saved: Option<i64>,
) -> Result<crate::email::probe::ProbeReport, AccountError> {
    let t = typed(pool, workspace_id, input, saved).await?;
    let mut cfg = crate::email::probe::ProbeConfig::new(&t.server, &t.password);
    cfg.extra_ca_pem = t.ca.as_deref();
    cfg.provider_auth = crate::email::autoconfig::builtin(&t.email).and_then(|s| s.auth);
    cfg.sender = Some(&t.email);
    Ok(crate::email::probe::probe(&cfg).await)
}

/// A form as typed, ready to be tried: its server, the password to sign in with (the
/// saved one for an account being edited on the same server only), its company CA.
pub(crate) struct Typed {
    pub(crate) email: String,
    pub(crate) sender_name: String,
    pub(crate) server: crate::email::server::ServerParams,
    pub(crate) password: SecretString,
    pub(crate) ca: Option<String>,
}

/// The connection test's and the test e-mail's rules for a form as typed.
pub(crate) async fn typed(
    pool: &SqlitePool,
    workspace_id: i64,
    input: &AccountInput,
    saved: Option<i64>,
) -> Result<Typed, AccountError> {
    let c = check(input, saved.is_none())?;
    let (password, ca) = match saved {
        None => (
            c.password
                .clone()
                .unwrap_or_else(|| SecretString::from(String::new())),
            None,
        ),
        Some(id) => {
            let before = get(pool, workspace_id, id).await?;
            let pw = match c.password.clone() {
                Some(p) => p,
                None => {
                    let moved = (c.server.host.as_str(), c.server.port, c.server.security)
                        != (before.host.as_str(), before.port, before.security);
                    if moved && before.oauth.is_none() && !input.no_auth {
                        return Err(AccountError::PasswordAgain);
                    }
                    password(pool, workspace_id, id)
                        .await?
                        .unwrap_or_else(|| SecretString::from(String::new()))
                }
            };
            (pw, trusted_ca(pool, workspace_id, id).await?)
        }
    };
    Ok(Typed {
        email: c.email,
        sender_name: c.sender_name,
        server: c.server,
        password,
        ca,
    })
}

/// What a connection test says of the account: a success makes it active (out of
/// error or pending), a refused sign-in puts it in error with the reason; any other
/// failure (an unreachable server) changes nothing. A switched-off account stays off.
async fn record_test(
    pool: &SqlitePool,
    id: i64,
    report: &crate::email::probe::ProbeReport,
) -> Result<(), AccountError> {
    let to = if report.success {
        Some((Status::Active, None))
    } else if report.sign_in_refused() {
        Some((Status::Error, report.failure_text()))
    } else {
        None
    };
    if let Some((status, reason)) = to {
        sqlx::query(
            "UPDATE senders SET status = ?2, status_reason = ?3, blocked_until = NULL,
                blocked_reason = NULL,
                error_told_at = CASE WHEN ?2 = 'error' AND status <> 'error' THEN NULL ELSE error_told_at END,
                updated_at = ?4
             WHERE channel = 'email' AND account_id = ?1 AND status <> 'inactive'",
        )
        .bind(id)
        .bind(status.as_str())
        .bind(reason)
        .bind(now())
        .execute(pool)
        .await?;
    }
    Ok(())
}
