//! E-posta Oluştur: what the composer (or `ulak send`) hands over becomes one or more
//! queued messages. The company is required; the sender comes from the chosen account
//! (or the profile, for the sandbox); subject and body are rendered as templates with
//! the company, the recipient's contact and the sender; attachments are checked.

use base64::Engine as _;
use chrono::{DateTime, Local, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;
use ulak_core::validate::ValidationError;
use ulak_core::{ErrorCode, StoreError, UserFacing};
use ulak_crm::CrmError;
use ulak_outbox::queue::{self, OutboxError};
use ulak_outbox::template::{self, CompanyVars, ContactVars, SenderVars, TemplateError, Vars};

use ulak_channels::email::accounts::{self, AccountError};
use ulak_channels::email::mime::{self, Attachment, Draft};

/// The From address of sandbox messages when the profile has none.
pub const SANDBOX_SENDER: &str = "test-kutusu@ulak.invalid";

#[derive(Debug, Clone, Default, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentInput {
    pub filename: String,
    pub content_type: String,
    /// The file's bytes, base64 (standard alphabet).
    pub data_base64: String,
}

#[derive(Debug, Clone, Default, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ComposeInput {
    /// None: the sandbox ("Test kutusu"); nothing is sent.
    pub account_id: Option<i64>,
    /// Required: every message belongs to a customer company.
    pub company_id: Option<i64>,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub bcc: Vec<String>,
    /// A template: `{{ company.name }}` and the other variables are filled in.
    pub subject: String,
    /// The rich-text body (HTML, a template); its plain-text alternative is made from it.
    pub html: Option<String>,
    /// A plain-text body (a template), used when there is no HTML.
    pub text: Option<String>,
    pub attachments: Vec<AttachmentInput>,
    /// One message per To address, each rendered for its own contact (a bulk send).
    pub separate: bool,
    /// In a separate send, Cc and Bcc go into every message only when the user said so
    /// (a copy per contact); with Cc or Bcc and without it, nothing is queued.
    #[serde(default)]
    pub copies_each: bool,
    pub idempotency_key: Option<String>,
    /// A scheduled send: when to send it (RFC 3339), at most a year ahead; None: now.
    #[serde(default)]
    pub send_at: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    #[error("attachment {0:?} could not be read")]
    BadAttachment(String),
    #[error("a separate send would put the Cc and Bcc addresses into each of its {0} messages; confirm it, or empty Cc and Bcc")]
    CopiesEachUnconfirmed(usize),
    #[error("{0:?} is not a time to send at: it must be a date and time in the coming year")]
    BadSendAt(String),
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error(transparent)]
    Outbox(#[from] OutboxError),
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error(transparent)]
    Account(#[from] AccountError),
    #[error(transparent)]
    Crm(#[from] CrmError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl UserFacing for ComposeError {
    fn code(&self) -> ErrorCode {
        match self {
            ComposeError::BadAttachment(_) => ErrorCode::ComposeBadAttachment,
            ComposeError::CopiesEachUnconfirmed(_) => ErrorCode::ComposeCopiesEach,
            ComposeError::BadSendAt(_) => ErrorCode::ComposeBadSendAt,
            ComposeError::Invalid(e) => e.code(),
            ComposeError::Outbox(e) => e.code(),
            ComposeError::Template(e) => e.code(),
            ComposeError::Account(e) => e.code(),
            ComposeError::Crm(e) => e.code(),
            ComposeError::Store(e) => e.code(),
        }
    }
    fn hint(&self) -> Option<String> {
        match self {
            ComposeError::BadAttachment(_) => Some("Remove the file and attach it again.".into()),
            ComposeError::CopiesEachUnconfirmed(_) => Some(
                "Tick \"Cc/Bcc into each message\" to send them a copy of every message, or empty Cc and Bcc."
                    .into(),
            ),
            ComposeError::BadSendAt(_) => Some(
                "Pick a later time today or a day in the coming year; to send now, clear the time."
                    .into(),
            ),
            ComposeError::Invalid(e) => e.hint(),
            ComposeError::Outbox(e) => e.hint(),
            ComposeError::Template(e) => e.hint(),
            ComposeError::Account(e) => e.hint(),
            ComposeError::Crm(e) => e.hint(),
            ComposeError::Store(e) => e.hint(),
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            ComposeError::BadAttachment(_) => Some("attachments"),
            ComposeError::CopiesEachUnconfirmed(_) => Some("cc"),
            ComposeError::BadSendAt(_) => Some("sendAt"),
            ComposeError::Invalid(e) => e.field(),
            ComposeError::Outbox(e) => e.field(),
            ComposeError::Template(e) => e.field(),
            ComposeError::Account(_) => Some("account"),
            ComposeError::Crm(CrmError::CompanyNotFound(_)) => Some("company"),
            ComposeError::Crm(e) => e.field(),
            ComposeError::Store(_) => None,
        }
    }
    fn detail(&self) -> Option<String> {
        match self {
            ComposeError::BadAttachment(name) => Some(name.clone()),
            ComposeError::CopiesEachUnconfirmed(n) => Some(n.to_string()),
            ComposeError::BadSendAt(t) => Some(t.clone()),
            ComposeError::Outbox(e) => e.detail(),
            ComposeError::Template(e) => e.detail(),
            _ => None,
        }
    }
}

/// One message as it will be sent, for the preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Rendered {
    /// As the recipient sees it: `Name <address>`.
    pub from: String,
    pub to: Vec<String>,
    pub subject: String,
    pub html: Option<String>,
    pub text: String,
    /// The contact the variables were filled from, if a recipient is one.
    pub contact_name: Option<String>,
}

/// Renders every message the input would queue, without queueing: the preview, and
/// the first half of `send`.
pub async fn prepare(
    pool: &SqlitePool,
    workspace_id: i64,
    input: &ComposeInput,
) -> Result<Vec<(Draft, Rendered)>, ComposeError> {
    let company_id = input
        .company_id
        .ok_or(ValidationError::Required { field: "company" })?;
    let company = ulak_crm::companies::get(pool, workspace_id, company_id).await?;
    let contacts = ulak_crm::contacts::of_company(pool, workspace_id, company_id).await?;
    // The account's Reply-To and signature go with every message it sends.
    let mut reply_to = None;
    let mut signature = None;
    let (from, from_name) = match input.account_id {
        Some(id) => {
            let a = accounts::get(pool, workspace_id, id).await?;
            reply_to = a.reply_to;
            signature = a.signature;
            (a.email, a.sender_name)
        }
        None => {
            let p = ulak_core::profile::get(pool, workspace_id)
                .await
                .map_err(|e| match e {
                    ulak_core::profile::ProfileError::Store(s) => ComposeError::Store(s),
                    ulak_core::profile::ProfileError::Invalid(v) => ComposeError::Invalid(v),
                })?;
            let from = if p.sender_email.is_empty() {
                SANDBOX_SENDER.to_string()
            } else {
                p.sender_email
            };
            (from, p.sender_name)
        }
    };
    let mut attachments = Vec::with_capacity(input.attachments.len());
    for a in &input.attachments {
        let data = base64::engine::general_purpose::STANDARD
            .decode(a.data_base64.trim())
            .map_err(|_| ComposeError::BadAttachment(a.filename.clone()))?;
        attachments.push(Attachment {
            filename: a.filename.clone(),
            content_type: a.content_type.clone(),
            data,
        });
    }
    let copies = !input
        .cc
        .iter()
        .chain(&input.bcc)
        .all(|a| a.trim().is_empty());
    if input.separate && input.to.len() > 1 && copies && !input.copies_each {
        return Err(ComposeError::CopiesEachUnconfirmed(input.to.len()));
    }
    let groups: Vec<Vec<String>> = if input.separate {
        input.to.iter().map(|t| vec![t.clone()]).collect()
    } else {
        vec![input.to.clone()]
    };
    let today = Local::now().format("%d.%m.%Y").to_string();
    let mut out = Vec::with_capacity(groups.len());
    for to in groups {
        let contact = to.iter().find_map(|addr| {
            contacts
                .iter()
                .find(|c| !c.email.is_empty() && c.email.eq_ignore_ascii_case(addr.trim()))
        });
        let vars = Vars {
            company: Some(CompanyVars {
                name: company.name.clone(),
            }),
            contact: contact.map(|c| ContactVars::new(&c.name, &c.email, &c.phone)),
            sender: SenderVars {
                name: from_name.clone(),
                email: from.clone(),
            },
            today: today.clone(),
            record: None,
        };
        let subject = template::render_part("subject", &input.subject, &vars)?;
        let html = match &input.html {
            Some(h) if !h.trim().is_empty() => {
                Some(mime::clean_html(&template::render_part("body", h, &vars)?))
            }
            _ => None,
        };
        let text = match (&html, &input.text) {
            (Some(h), _) => mime::html_to_text(h),
            (None, Some(t)) => template::render_part("text", t, &vars)?,
            (None, None) => String::new(),
        };
        let (text, html) = mime::sign(text, html, signature.as_deref());
        let key = input.idempotency_key.as_ref().map(|k| {
            if input.separate {
                format!("{k}:{}", to.join(","))
            } else {
                k.clone()
            }
        });
        let draft = Draft {
            account_id: input.account_id,
            company_id: Some(company.id),
            from: from.clone(),
            from_name: from_name.clone(),
            to: to.clone(),
            cc: input.cc.clone(),
            bcc: input.bcc.clone(),
            subject: subject.clone(),
            text: text.clone(),
            html: html.clone(),
            attachments: attachments.clone(),
            idempotency_key: key,
            reply_to: reply_to.clone(),
        };
        out.push((
            draft,
            Rendered {
                from: if from_name.trim().is_empty() {
                    from.clone()
                } else {
                    format!("{} <{from}>", from_name.trim())
                },
                to,
                subject,
                html,
                text,
                contact_name: contact.map(|c| c.name.clone()),
            },
        ));
    }
    Ok(out)
}

/// What `preview` answers: the first messages rendered, and how many there are.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    pub messages: Vec<Rendered>,
    pub count: u32,
}

/// Renders without queueing; also validates every address, as `send` would.
pub async fn preview(
    pool: &SqlitePool,
    workspace_id: i64,
    input: &ComposeInput,
) -> Result<Preview, ComposeError> {
    let all = prepare(pool, workspace_id, input).await?;
    for (d, _) in &all {
        mime::build(d, Utc::now())?;
    }
    Ok(Preview {
        count: all.len() as u32,
        messages: all.into_iter().take(20).map(|(_, r)| r).collect(),
    })
}

/// Queues the message(s) in one transaction and returns their ids; nothing goes on the
/// network here — the worker sends them.
pub async fn send(
    pool: &SqlitePool,
    workspace_id: i64,
    input: &ComposeInput,
    now: DateTime<Utc>,
) -> Result<Vec<i64>, ComposeError> {
    let at = send_at(input.send_at.as_deref(), now)?;
    // A scheduled message is dated when it goes, as a mail program sending it then would.
    let dated = at.unwrap_or(now);
    let built = prepare(pool, workspace_id, input)
        .await?
        .into_iter()
        .map(|(d, _)| mime::build(&d, dated))
        .collect::<Result<Vec<_>, _>>()?;
    if built.is_empty() {
        return Err(OutboxError::NoRecipients.into());
    }
    Ok(queue::enqueue_many_at(pool, workspace_id, &built, now, at).await?)
}

/// The scheduled time, if any: RFC 3339, or a local `YYYY-MM-DD HH:MM` /
/// `YYYY-MM-DDTHH:MM` (the window's date-time field); a time already past (by less
/// than a minute: the user's "now") sends at once; more than a year ahead is refused.
pub fn send_at(
    value: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, ComposeError> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let bad = || ComposeError::BadSendAt(v.to_string());
    let at = match DateTime::parse_from_rfc3339(v) {
        Ok(t) => t.with_timezone(&Utc),
        Err(_) => {
            let local = [
                "%Y-%m-%d %H:%M",
                "%Y-%m-%dT%H:%M",
                "%Y-%m-%d %H:%M:%S",
                "%Y-%m-%dT%H:%M:%S",
            ]
            .iter()
            .find_map(|f| chrono::NaiveDateTime::parse_from_str(v, f).ok())
            .ok_or_else(bad)?;
            local
                .and_local_timezone(Local)
                .earliest()
                .ok_or_else(bad)?
                .with_timezone(&Utc)
        }
    };
    if at < now - chrono::Duration::minutes(1) || at > now + chrono::Duration::days(366) {
        return Err(bad());
    }
    Ok((at > now).then_some(at))
}
