//! A Resend integration's sending account (issue 20): made and kept in step with the
//! integration (address, name, a new key mending a refused one), and what E-posta
//! Ayarları may change of it (its limits and on/off, not its address or server).

use sqlx::SqlitePool;
use ulak_core::store::now;
use ulak_outbox::Channel;

use crate::email::accounts::{get, register, Account, AccountError, AccountInput};
use crate::spec;

/// A Resend account edited on E-posta Ayarları: its limits and on/off change; its
/// address, name and server are the integration's (a form sending them unchanged, as
/// the edit form does, is fine).
pub(crate) async fn update_managed(
    pool: &SqlitePool,
    workspace_id: i64,
    before: &Account,
    input: &AccountInput,
) -> Result<Account, AccountError> {
    let same = input.email.trim().eq_ignore_ascii_case(&before.email)
        && (input.host.trim().is_empty() || input.host.trim().eq_ignore_ascii_case(&before.host))
        && input.password.as_deref().is_none_or(str::is_empty);
    if !same {
        return Err(AccountError::Managed);
    }
    let mut tx = pool.begin().await?;
    register(
        &mut tx,
        workspace_id,
        before.id,
        &before.email,
        &before.host,
        input,
    )
    .await?;
    tx.commit().await?;
    get(pool, workspace_id, before.id).await
}

/// The sending account of a Resend integration (`i`, channel e-mail): made with its
/// address and name (Resend's SMTP relay as its record), or changed to them. Another
/// account with that address is refused (`Duplicate`): remove it first.
pub async fn link_integration(
    pool: &SqlitePool,
    workspace_id: i64,
    i: &crate::integrations::Integration,
    new_key: bool,
) -> Result<Account, AccountError> {
    use crate::email::resend;
    let spec = spec::get(Channel::Email, resend::PROVIDER).expect("specs/email/resend.toml");
    let field = |key: &str| spec.field(key).expect("a field of specs/email/resend.toml");
    let value = |key: &str| i.settings.get(key).cloned().unwrap_or_default();
    let email = field("email").check(&value("email"))?;
    let sender_name = field("senderName").check(&value("senderName"))?;
    let mut tx = pool.begin().await?;
    let ts = now();
    let linked: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM smtp_accounts WHERE workspace_id = ?1 AND integration_id = ?2",
    )
    .bind(workspace_id)
    .bind(i.id)
    .fetch_optional(&mut *tx)
    .await?;
    let r = match linked {
        Some(id) => {
            sqlx::query(
                "UPDATE smtp_accounts SET email = ?3, sender_name = ?4, updated_at = ?5
                 WHERE workspace_id = ?1 AND id = ?2 RETURNING id",
            )
            .bind(workspace_id)
            .bind(id)
            .bind(&email)
            .bind(&sender_name)
            .bind(&ts)
            .fetch_one(&mut *tx)
            .await
        }
        None => {
            sqlx::query(
                "INSERT INTO smtp_accounts (workspace_id, email, sender_name, host, port, security, username, integration_id, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'tls', ?6, ?7, ?8, ?8) RETURNING id",
            )
            .bind(workspace_id)
            .bind(&email)
            .bind(&sender_name)
            .bind(resend::SMTP_HOST)
            .bind(i64::from(resend::SMTP_PORT))
            .bind(resend::SMTP_USER)
            .bind(i.id)
            .bind(&ts)
            .fetch_one(&mut *tx)
            .await
        }
    };
    let id: i64 = match r {
        Ok(row) => sqlx::Row::get(&row, 0),
        Err(sqlx::Error::Database(d)) if d.is_unique_violation() => {
            return Err(AccountError::Duplicate(email))
        }
        Err(e) => return Err(e.into()),
    };
    let fresh = AccountInput::default();
    register(&mut tx, workspace_id, id, &email, resend::SMTP_HOST, &fresh).await?;
    if new_key {
        // A new key mends a refused one: the account sends again, untested.
        sqlx::query(
            "UPDATE senders SET status = 'pending', status_reason = NULL, blocked_until = NULL
             WHERE channel = 'email' AND account_id = ?1 AND status = 'error'",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    tracing::info!(
        workspace_id,
        account_id = id,
        integration_id = i.id,
        "smtp account linked to a resend integration"
    );
    get(pool, workspace_id, id).await
}

/// The account a Resend integration sends through, if it has one.
pub async fn of_integration(
    pool: &SqlitePool,
    workspace_id: i64,
    integration_id: i64,
) -> Result<Option<Account>, AccountError> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM smtp_accounts WHERE workspace_id = ?1 AND integration_id = ?2",
    )
    .bind(workspace_id)
    .bind(integration_id)
    .fetch_optional(pool)
    .await?;
    match id {
        Some(id) => Ok(Some(get(pool, workspace_id, id).await?)),
        None => Ok(None),
    }
}
