//! A campaign's e-mail: queued as its recipient and their values (no account yet, see
//! `ulak_outbox::campaigns`), rendered into its exact .eml at the moment of sending,
//! from the account the claim chose — its address in From, its sender name, and the
//! template's `sender.*` values — with a Message-ID of that account's domain.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;
use ulak_outbox::campaigns::{self, Campaign};
use ulak_outbox::failure::{Failure, FailureCode};
use ulak_outbox::queue::{Channel, Claimed, NewMessage, OutboxError};
use ulak_outbox::template::{self, SenderVars, Vars};

use crate::email::accounts;
use crate::email::mime::{self, Draft};
use crate::email::unsubscribe;

/// What a campaign's message holds until it is sent.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Payload {
    pub campaign_id: i64,
    pub company_id: Option<i64>,
    pub to: String,
    pub vars: Vars,
}

/// The queued form of one recipient's message. The subject shown in the history is
/// rendered now (its sender values are the account's only at sending).
pub fn message(
    c: &Campaign,
    company_id: Option<i64>,
    to: &str,
    vars: Vars,
) -> Result<NewMessage, OutboxError> {
    let to = ulak_core::validate::email("to", to, true)?;
    let subject = template::render_part("subject", &c.subject, &vars)?;
    template::render_part("body", &c.body_html, &vars)?;
    let payload = Payload {
        campaign_id: c.id,
        company_id,
        to: to.clone(),
        vars,
    };
    Ok(NewMessage {
        channel: Channel::Email,
        provider: campaigns::PROVIDER.into(),
        account_id: None,
        company_id,
        reference: format!("campaign-{}-{}", c.id, to),
        idempotency_key: format!("campaign:{}:{}", c.id, to.to_lowercase()),
        sender: String::new(),
        recipients: vec![to.clone()],
        to_display: to,
        subject,
        attachment_count: 0,
        payload: serde_json::to_vec(&payload).expect("plain struct"),
    })
}

/// The claimed message as SMTP sends it: rendered for the chosen account.
pub async fn render(
    pool: &SqlitePool,
    c: &Claimed,
    now: DateTime<Utc>,
) -> Result<Claimed, Failure> {
    let unsendable = |why: String| Failure::permanent(FailureCode::Unsendable, why);
    let p: Payload = serde_json::from_slice(&c.payload)
        .map_err(|e| unsendable(format!("a campaign message that cannot be read: {e}")))?;
    let account_id = c
        .account_id
        .ok_or_else(|| Failure::transient(FailureCode::AccountMissing, "no account chosen"))?;
    let account = accounts::get(pool, c.workspace_id, account_id)
        .await
        .map_err(|e| Failure::transient(FailureCode::AccountMissing, e.to_string()))?;
    let campaign = campaigns::get(pool, c.workspace_id, p.campaign_id)
        .await
        .map_err(|e| unsendable(e.to_string()))?;
    let mut vars = p.vars;
    vars.sender = SenderVars {
        name: account.sender_name.clone(),
        email: account.email.clone(),
    };
    let subject = template::render_part("subject", &campaign.subject, &vars)
        .map_err(|e| unsendable(e.to_string()))?;
    let body = template::render_part("body", &campaign.body_html, &vars)
        .map_err(|e| unsendable(e.to_string()))?;
    // The chosen account's signature and Reply-To, as the composer adds them.
    let (text, html) = mime::sign(
        mime::html_to_text(&mime::clean_html(&body)),
        Some(body),
        account.signature.as_deref(),
    );
    // Bulk mail done right: List-Unsubscribe (+ one-click) and a visible line.
    let links = unsubscribe::links(pool, c.workspace_id, campaign.id, &p.to, &account.email)
        .await
        .map_err(|e| Failure::transient(FailureCode::Other, e.to_string()))?;
    let (line_text, line_html) = unsubscribe::body_line(&links);
    let text = format!("{}\n\n{line_text}\n", text.trim_end());
    let html = html.map(|h| format!("{h}{line_html}"));
    let (unsubscribe, post) = links.headers();
    let built = mime::build_with(
        &Draft {
            account_id: Some(account.id),
            company_id: p.company_id,
            from: account.email.clone(),
            from_name: account.sender_name.clone(),
            to: vec![p.to],
            subject,
            text,
            html,
            reply_to: account.reply_to.clone(),
            ..Default::default()
        },
        now,
        Some(&mime::ListHeaders { unsubscribe, post }),
    )
    .map_err(|e| unsendable(e.to_string()))?;
    Ok(Claimed {
        provider: mime::SMTP.into(),
        sender: built.sender,
        reference: built.reference,
        subject: built.subject,
        payload: built.payload,
        ..c.clone()
    })
}
