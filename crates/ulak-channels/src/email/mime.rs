//! E-mail as it goes on the wire: a draft validated and rendered to its exact .eml
//! (HTML cleaned, a plain-text alternative made, attachments limited), and an .eml read
//! back into its parts for the history.

use chrono::{DateTime, Utc};
use lettre::message::{
    header::ContentType, Attachment as LettreAttachment, Mailbox, MultiPart, SinglePart,
};
use lettre::Message;
use mail_parser::{MessageParser, MimeHeaders};
use serde::Serialize;
use ulak_core::validate;
use ulak_outbox::queue::{Channel, NewMessage, OutboxError, SANDBOX};

/// The provider name of messages sent through an SMTP account.
pub const SMTP: &str = "smtp";

/// The default limit on all attachments of one message together.
pub const ATTACHMENTS_MAX_BYTES: usize = validate::LIMITS.attachments_bytes;

/// A file sent with a message.
#[derive(Clone, Default)]
pub struct Attachment {
    pub filename: String,
    /// A MIME type; empty or unparsable means application/octet-stream.
    pub content_type: String,
    pub data: Vec<u8>,
}

impl std::fmt::Debug for Attachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachment")
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .field("bytes", &self.data.len())
            .finish()
    }
}

/// What the composer (or `ulak send`) hands over.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    /// None: the sandbox ("Test kutusu"), which writes .eml files and sends nothing.
    pub account_id: Option<i64>,
    pub company_id: Option<i64>,
    pub from: String,
    pub from_name: String,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub bcc: Vec<String>,
    pub subject: String,
    /// The plain-text body; with `html` set and this empty, it is made from the HTML.
    pub text: String,
    /// A rich-text body; it is cleaned (no scripts, no remote forms) before it is stored.
    pub html: Option<String>,
    pub attachments: Vec<Attachment>,
    /// The same key twice queues one message (a double click, a retried command).
    pub idempotency_key: Option<String>,
    /// Where replies go, when not to `from` (the account's setting).
    pub reply_to: Option<String>,
}

fn addresses(field: &'static str, list: &[String]) -> Result<Vec<String>, OutboxError> {
    list.iter()
        .map(|a| Ok(validate::email(field, a, true)?))
        .collect()
}

fn mailbox(name: &str, addr: &str) -> Result<Mailbox, OutboxError> {
    let addr = addr
        .parse()
        .map_err(|e: lettre::address::AddressError| OutboxError::Build(e.to_string()))?;
    let name = name.trim();
    Ok(Mailbox::new(
        (!name.is_empty()).then(|| name.to_string()),
        addr,
    ))
}

/// The HTML that is stored and sent: what a mail client shows safely (no scripts,
/// event handlers or forms; links get rel="noopener noreferrer").
pub fn clean_html(html: &str) -> String {
    ammonia::clean(html)
}

/// The plain-text alternative of an HTML body, wrapped at 78 columns.
pub fn html_to_text(html: &str) -> String {
    html2text::from_read(html.as_bytes(), 78)
        .unwrap_or_default()
        .trim_end()
        .to_string()
}

/// Validates a draft and renders its exact .eml. Pure: no store, no network.
/// A message's bodies with the account's signature under them: RFC 3676's "-- " line
/// and the signature in the text; the same lines, escaped, in the HTML.
pub fn sign(
    text: String,
    html: Option<String>,
    signature: Option<&str>,
) -> (String, Option<String>) {
    let Some(sig) = signature.filter(|s| !s.trim().is_empty()) else {
        return (text, html);
    };
    let text = format!("{}\n\n-- \n{sig}\n", text.trim_end());
    let html = html.map(|mut h| {
        let lines: Vec<String> = sig.lines().map(escape_html).collect();
        h.push_str(&format!(
            "<p class=\"signature\">-- <br>{}</p>",
            lines.join("<br>")
        ));
        h
    });
    (text, html)
}

/// Text as HTML text: the five characters that mean something there, escaped.
fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub fn build(d: &Draft, now: DateTime<Utc>) -> Result<NewMessage, OutboxError> {
    build_with(d, now, None)
}

/// A `List-Unsubscribe` value and, for one-click, the `List-Unsubscribe-Post` one
/// (campaign mail only: see `unsubscribe`).
#[derive(Debug, Clone)]
pub struct ListHeaders {
    pub unsubscribe: String,
    pub post: Option<String>,
}

#[derive(Clone)]
struct ListUnsubscribe(String);
#[derive(Clone)]
struct ListUnsubscribePost(String);

macro_rules! raw_header {
    ($t:ident, $name:literal) => {
        impl lettre::message::header::Header for $t {
            fn name() -> lettre::message::header::HeaderName {
                lettre::message::header::HeaderName::new_from_ascii_str($name)
            }
            fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
                Ok($t(s.to_string()))
            }
            fn display(&self) -> lettre::message::header::HeaderValue {
                lettre::message::header::HeaderValue::new(Self::name(), self.0.clone())
            }
        }
    };
}
raw_header!(ListUnsubscribe, "List-Unsubscribe");
raw_header!(ListUnsubscribePost, "List-Unsubscribe-Post");

/// `build`, with the list headers a campaign's message carries.
pub fn build_with(
    d: &Draft,
    now: DateTime<Utc>,
    list: Option<&ListHeaders>,
) -> Result<NewMessage, OutboxError> {
    let from = validate::email("from", &d.from, true)?;
    let from_name = validate::text("fromName", &d.from_name, validate::LIMITS.from_name, false)?;
    let to = addresses("to", &d.to)?;
    let cc = addresses("cc", &d.cc)?;
    let bcc = addresses("bcc", &d.bcc)?;
    if to.is_empty() {
        return Err(OutboxError::NoRecipients);
    }
    // One line, as a header must be; RFC 5322 allows 998 octets per line.
    let subject = validate::text("subject", &d.subject, validate::LIMITS.subject, false)?;
    let total: usize = d.attachments.iter().map(|a| a.data.len()).sum();
    if total > ATTACHMENTS_MAX_BYTES {
        return Err(OutboxError::AttachmentsTooLarge {
            bytes: total,
            limit: ATTACHMENTS_MAX_BYTES,
        });
    }
    let domain = from.rsplit('@').next().unwrap_or("localhost").to_string();
    let message_id = format!(
        "<{:016x}{:08x}@{domain}>",
        rand::random::<u64>(),
        rand::random::<u32>()
    );

    let mut b = Message::builder()
        .from(mailbox(&from_name, &from)?)
        .subject(subject.clone())
        .message_id(Some(message_id.clone()))
        .date(now.into());
    for a in &to {
        b = b.to(mailbox("", a)?);
    }
    for a in &cc {
        b = b.cc(mailbox("", a)?);
    }
    if let Some(rt) = d.reply_to.as_deref().filter(|r| !r.trim().is_empty()) {
        let rt = validate::email("replyTo", rt, true)?;
        b = b.reply_to(mailbox("", &rt)?);
    }
    if let Some(l) = list {
        // Made by Ulak from checked parts; a line break would be a header injection.
        if l.unsubscribe.chars().any(char::is_control)
            || l.post
                .as_deref()
                .is_some_and(|p| p.chars().any(char::is_control))
        {
            return Err(OutboxError::Build(
                "a List-Unsubscribe with a line break".into(),
            ));
        }
        b = b.header(ListUnsubscribe(l.unsubscribe.clone()));
        if let Some(p) = &l.post {
            b = b.header(ListUnsubscribePost(p.clone()));
        }
    }
    // Bcc addresses go only into the envelope, never into the stored headers.
    let build_err = |e: lettre::error::Error| OutboxError::Build(e.to_string());
    let text_body = match &d.html {
        Some(html) if d.text.trim().is_empty() => html_to_text(&clean_html(html)),
        _ => d.text.clone(),
    };
    let mut parts = Vec::new();
    for a in &d.attachments {
        let name = validate::text(
            "attachments",
            &a.filename,
            validate::LIMITS.attachment_name,
            true,
        )?;
        let ct = ContentType::parse(&a.content_type)
            .unwrap_or_else(|_| ContentType::parse("application/octet-stream").expect("valid"));
        parts.push(LettreAttachment::new(name).body(a.data.clone(), ct));
    }
    let msg = match (&d.html, parts.is_empty()) {
        (None, true) => b
            .header(ContentType::TEXT_PLAIN)
            .body(text_body)
            .map_err(build_err)?,
        (html, _) => {
            let main = match html {
                Some(h) => MultiPart::alternative_plain_html(text_body, clean_html(h)),
                None => MultiPart::mixed().singlepart(SinglePart::plain(text_body)),
            };
            let body = if parts.is_empty() {
                main
            } else {
                let mut mixed = match html {
                    Some(_) => MultiPart::mixed().multipart(main),
                    None => main,
                };
                for p in parts {
                    mixed = mixed.singlepart(p);
                }
                mixed
            };
            b.multipart(body).map_err(build_err)?
        }
    };
    let recipients: Vec<String> = to.iter().chain(&cc).chain(&bcc).cloned().collect();
    Ok(NewMessage {
        channel: Channel::Email,
        provider: match d.account_id {
            Some(_) => SMTP.into(),
            None => SANDBOX.into(),
        },
        account_id: d.account_id,
        company_id: d.company_id,
        idempotency_key: d
            .idempotency_key
            .clone()
            .unwrap_or_else(|| message_id.clone()),
        reference: message_id,
        sender: from,
        to_display: to.join(", "),
        recipients,
        subject,
        attachment_count: d.attachments.len() as i64,
        payload: msg.formatted(),
    })
}

/// Builds a draft and stores it; nothing goes on the network here.
pub async fn enqueue(
    pool: &sqlx::SqlitePool,
    workspace_id: i64,
    d: &Draft,
    now: DateTime<Utc>,
) -> Result<i64, OutboxError> {
    ulak_outbox::queue::enqueue(pool, workspace_id, &build(d, now)?, now).await
}

/// Builds every draft, then stores them all in one transaction (or none, when any
/// draft is invalid).
pub async fn enqueue_many(
    pool: &sqlx::SqlitePool,
    workspace_id: i64,
    drafts: &[Draft],
    now: DateTime<Utc>,
) -> Result<Vec<i64>, OutboxError> {
    let built = drafts
        .iter()
        .map(|d| build(d, now))
        .collect::<Result<Vec<_>, _>>()?;
    ulak_outbox::queue::enqueue_many(pool, workspace_id, &built, now).await
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentInfo {
    pub filename: String,
    pub content_type: String,
    pub size: i64,
}

/// An .eml read back: its bodies, attachments and headers (decoded: RFC 2047 words
/// turned back into Turkish letters).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Parts {
    pub html: Option<String>,
    pub text: Option<String>,
    pub attachments: Vec<AttachmentInfo>,
    /// Headers in order.
    pub headers: Vec<(String, String)>,
}

pub fn read_back(raw: &[u8]) -> Parts {
    let Some(m) = MessageParser::default().parse(raw) else {
        return Parts::default();
    };
    let has_html = m
        .html_body
        .iter()
        .any(|&i| m.parts.get(i as usize).is_some_and(|p| p.is_text_html()));
    Parts {
        html: has_html
            .then(|| m.body_html(0).map(|s| s.into_owned()))
            .flatten(),
        text: m.body_text(0).map(|s| s.into_owned()),
        attachments: m
            .attachments()
            .map(|p| AttachmentInfo {
                filename: p.attachment_name().unwrap_or("").to_string(),
                content_type: p
                    .content_type()
                    .map(|c| match c.subtype() {
                        Some(s) => format!("{}/{s}", c.ctype()),
                        None => c.ctype().to_string(),
                    })
                    .unwrap_or_default(),
                size: p.len() as i64,
            })
            .collect(),
        headers: m
            .headers()
            .iter()
            .map(|h| (h.name().to_string(), header_text(&m, h)))
            .collect(),
    }
}

// Decoded where mail-parser decodes it (subject, addresses), raw text otherwise.
fn header_text(m: &mail_parser::Message<'_>, h: &mail_parser::Header<'_>) -> String {
    use mail_parser::HeaderValue;
    match &h.value {
        HeaderValue::Text(t) => t.to_string(),
        HeaderValue::TextList(l) => l.join(", "),
        HeaderValue::Address(a) => a
            .iter()
            .map(|addr| match (addr.name(), addr.address()) {
                (Some(n), Some(e)) => format!("{n} <{e}>"),
                (None, Some(e)) => e.to_string(),
                (Some(n), None) => n.to_string(),
                (None, None) => String::new(),
            })
            .collect::<Vec<_>>()
            .join(", "),
        _ => m
            .raw_message()
            .get(h.offset_start() as usize..h.offset_end() as usize)
            .map(|b| String::from_utf8_lossy(b).trim().to_string())
            .unwrap_or_default(),
    }
}
