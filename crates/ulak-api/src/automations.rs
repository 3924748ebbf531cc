//! Automations (issue 21): a CRM event comes in (`ulak event emit TYPE --json FILE`,
//! or the loopback endpoint `POST /events` with the workspace's token), and every
//! enabled rule that follows its type runs its actions through the outbox — an e-mail
//! from a saved template, an SMS, a WhatsApp template (a meeting's reminder queued
//! for an hour before it starts) — each under an idempotency key of (rule, event,
//! action), so an event sent twice queues nothing twice. The event's company and
//! contact are found by name and address (or phone), or added.
//!
//! The event: `{"type": "deal.created"|"quote.sent"|"meeting.scheduled"|"invoice.paid",
//! "id": "<the CRM's id, optional>", "data": {"title", "number", "amount", "start",
//! "timeZone", "url", "company": {"name"}, "contact": {"name", "email", "phone"}}}`.

use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;
use ulak_channels::whatsapp::Content;
use ulak_core::validate::{self, ValidationError};
use ulak_core::{ErrorCode, UserFacing};
use ulak_crm::automations::{self, Action, ActionRun, Automation, Run};
use ulak_crm::contacts::ContactInput;
use ulak_crm::{companies, contacts, CrmError};
use ulak_outbox::template::{self, CompanyVars, ContactVars, RecordVars, SenderVars, Vars};
use ulak_outbox::OutboxError;

use crate::compose::{self, ComposeInput};
use crate::sms::{self, SmsInput};
use crate::whatsapp::{self, WhatsappInput};

#[derive(Debug, thiserror::Error)]
pub enum AutomationError {
    #[error("the CRM event could not be read: {0}")]
    BadJson(String),
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error(transparent)]
    Crm(#[from] CrmError),
    #[error(transparent)]
    Outbox(#[from] OutboxError),
}

impl UserFacing for AutomationError {
    fn code(&self) -> ErrorCode {
        match self {
            AutomationError::BadJson(_) => ErrorCode::EventBadJson,
            AutomationError::Invalid(e) => e.code(),
            AutomationError::Crm(e) => e.code(),
            AutomationError::Outbox(e) => e.code(),
        }
    }
    fn hint(&self) -> Option<String> {
        match self {
            AutomationError::BadJson(_) => Some(
                "Send a JSON object: {\"type\": \"deal.created\", \"id\": \"…\", \"data\": {\"company\": {\"name\"}, \"contact\": {\"name\", \"email\", \"phone\"}}}."
                    .into(),
            ),
            AutomationError::Invalid(e) => e.hint(),
            AutomationError::Crm(e) => e.hint(),
            AutomationError::Outbox(e) => e.hint(),
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            AutomationError::Invalid(e) => e.field(),
            AutomationError::Crm(e) => e.field(),
            _ => None,
        }
    }
    fn detail(&self) -> Option<String> {
        match self {
            AutomationError::BadJson(d) => Some(d.clone()),
            _ => None,
        }
    }
}

#[derive(Debug, Deserialize)]
struct EventIn {
    #[serde(rename = "type")]
    kind: String,
    id: Option<String>,
    #[serde(default)]
    data: Record,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Record {
    title: String,
    number: String,
    amount: String,
    start: String,
    time_zone: String,
    url: String,
    company: Named,
    contact: ContactIn,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Named {
    name: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ContactIn {
    name: String,
    email: String,
    phone: String,
}

/// Where an event came from (kept with it).
#[derive(Debug, Clone, Copy)]
pub enum Source {
    Cli,
    Http,
    /// The rules page's "Test olayı gönder".
    Window,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::Cli => "cli",
            Source::Http => "http",
            Source::Window => "window",
        }
    }
}

/// One rule's run for the event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RuleRun {
    pub automation_id: i64,
    pub name: String,
    pub run: Run,
}

/// What taking an event did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
#[serde(rename = "EventEmitted")]
pub struct Emitted {
    pub event_id: String,
    /// The event was taken before: nothing ran again (its earlier runs are shown).
    pub duplicate: bool,
    pub runs: Vec<RuleRun>,
}

/// Takes one CRM event: checked whole before anything is written (a bad one changes
/// nothing), then every enabled rule following its type runs.
pub async fn emit(
    pool: &SqlitePool,
    ws: i64,
    json: &str,
    source: Source,
    now: DateTime<Utc>,
) -> Result<Emitted, AutomationError> {
    // serde's words may quote the event (a customer's name): where it broke only.
    let value: serde_json::Value = serde_json::from_str(json).map_err(|e| {
        AutomationError::BadJson(format!("line {}, column {}", e.line(), e.column()))
    })?;
    let ev: EventIn = serde_json::from_value(value.clone())
        .map_err(|_| AutomationError::BadJson("not an event object with \"type\"".into()))?;
    let kind = automations::check_event(&ev.kind)?;
    let event_id = match ev.id.as_deref().map(str::trim) {
        Some(id) if !id.is_empty() => validate::text("id", id, 200, true)?,
        _ => format!(
            "sha256:{}",
            hex::encode(Sha256::digest(value.to_string().as_bytes()))
        ),
    };
    let r = &ev.data;
    let email = validate::email("contact.email", &r.contact.email, false)?;
    let phone = validate::phone("contact.phone", &r.contact.phone, false)?;
    let start = start_of(r)?;
    if automations::seen(pool, ws, &event_id).await? {
        return Ok(Emitted {
            runs: earlier_runs(pool, ws, &event_id).await?,
            event_id,
            duplicate: true,
        });
    }
    let rules = automations::following(pool, ws, kind).await?;
    let mut runs = Vec::new();
    if !rules.is_empty() {
        let (company_id, contact) = parties(pool, ws, r, &email, &phone).await?;
        let vars = Vars {
            company: company_id.map(|_| CompanyVars {
                name: r.company.name.trim().to_string(),
            }),
            contact: contact.clone(),
            sender: sender(pool, ws).await,
            today: local(now, "%d.%m.%Y"),
            record: Some(RecordVars {
                title: r.title.clone(),
                number: r.number.clone(),
                amount: r.amount.clone(),
                start: start
                    .map(|s| local(s, "%d.%m.%Y %H:%M"))
                    .unwrap_or_default(),
                start_time: start.map(|s| local(s, "%H:%M")).unwrap_or_default(),
                url: r.url.clone(),
            }),
        };
        for rule in &rules {
            let mut done = Vec::new();
            for (i, action) in rule.actions.iter().enumerate() {
                let key = format!("auto:{}:{}:{}", rule.id, event_id, i);
                let step = Step {
                    pool,
                    ws,
                    company_id,
                    email: &email,
                    phone: &phone,
                    start,
                    vars: &vars,
                    key,
                    now,
                };
                done.push(step.run(action).await);
            }
            runs.push(RuleRun {
                automation_id: rule.id,
                name: rule.name.clone(),
                run: Run {
                    event_id: event_id.clone(),
                    ran_at: ulak_outbox::queue::timestamp(now),
                    outcome: outcome(&done).into(),
                    actions: done,
                },
            });
        }
    }
    let pairs: Vec<(i64, Run)> = runs
        .iter()
        .map(|r| (r.automation_id, r.run.clone()))
        .collect();
    automations::record(
        pool,
        ws,
        &event_id,
        kind,
        &value.to_string(),
        source.as_str(),
        &pairs,
    )
    .await?;
    Ok(Emitted {
        event_id,
        duplicate: false,
        runs,
    })
}

fn outcome(done: &[ActionRun]) -> &'static str {
    match done.iter().filter(|a| a.ok).count() {
        n if n == done.len() => "queued",
        0 => "failed",
        _ => "partial",
    }
}

/// The record's start: RFC 3339, or a local `YYYY-MM-DD HH:MM` / `…THH:MM` in its
/// `timeZone` (Istanbul when none).
fn start_of(r: &Record) -> Result<Option<DateTime<Utc>>, AutomationError> {
    let s = r.start.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(Some(t.with_timezone(&Utc)));
    }
    let zone: chrono_tz::Tz = if r.time_zone.trim().is_empty() {
        chrono_tz::Europe::Istanbul
    } else {
        r.time_zone
            .trim()
            .parse()
            .map_err(|_| ValidationError::Choice {
                field: "timeZone",
                options: vec!["Europe/Istanbul".into(), "an IANA time zone".into()],
            })?
    };
    let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M"))
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| ValidationError::Choice {
            field: "start",
            options: vec![
                "2026-12-07T14:00:00+03:00".into(),
                "2026-12-07 14:00".into(),
            ],
        })?;
    zone.from_local_datetime(&naive)
        .earliest()
        .map(|t| Some(t.with_timezone(&Utc)))
        .ok_or_else(|| {
            ValidationError::Choice {
                field: "start",
                options: vec!["a time that exists in that zone".into()],
            }
            .into()
        })
}

fn local(t: DateTime<Utc>, fmt: &str) -> String {
    t.with_timezone(&chrono_tz::Europe::Istanbul)
        .format(fmt)
        .to_string()
}

/// The event's company (by name, added when new) and contact (by address or phone
/// within it, added when new).
async fn parties(
    pool: &SqlitePool,
    ws: i64,
    r: &Record,
    email: &str,
    phone: &str,
) -> Result<(Option<i64>, Option<ContactVars>), AutomationError> {
    let name = r.company.name.trim();
    let company_id = if name.is_empty() {
        None
    } else {
        Some(match companies::by_name(pool, ws, name).await? {
            Some(c) => c.id,
            None => {
                companies::create(
                    pool,
                    ws,
                    &companies::CompanyInput {
                        name: name.to_string(),
                        notes: "CRM olayından eklendi".into(),
                    },
                )
                .await?
                .id
            }
        })
    };
    if email.is_empty() && phone.is_empty() {
        return Ok((company_id, None));
    }
    let contact_name = match r.contact.name.trim() {
        "" if !email.is_empty() => email.to_string(),
        "" => phone.to_string(),
        n => n.to_string(),
    };
    if let Some(cid) = company_id {
        let known = contacts::of_company(pool, ws, cid)
            .await?
            .into_iter()
            .find(|c| {
                (!email.is_empty() && validate::fold(&c.email) == validate::fold(email))
                    || (!phone.is_empty() && c.phone == phone)
            });
        if known.is_none() {
            contacts::create(
                pool,
                ws,
                cid,
                &ContactInput {
                    name: contact_name.clone(),
                    email: email.to_string(),
                    phone: phone.to_string(),
                    notes: String::new(),
                    recipient_type: Default::default(),
                },
            )
            .await?;
        }
    }
    Ok((
        company_id,
        Some(ContactVars::new(&contact_name, email, phone)),
    ))
}

async fn sender(pool: &SqlitePool, ws: i64) -> SenderVars {
    match ulak_core::profile::get(pool, ws).await {
        Ok(p) => SenderVars {
            name: if p.sender_name.is_empty() {
                p.display_name
            } else {
                p.sender_name
            },
            email: p.sender_email,
        },
        Err(_) => SenderVars::default(),
    }
}

struct Step<'a> {
    pool: &'a SqlitePool,
    ws: i64,
    company_id: Option<i64>,
    email: &'a str,
    phone: &'a str,
    start: Option<DateTime<Utc>>,
    vars: &'a Vars,
    key: String,
    now: DateTime<Utc>,
}

impl Step<'_> {
    async fn run(&self, action: &Action) -> ActionRun {
        let kind = action.kind().to_string();
        match self.queue(action).await {
            Ok(ids) => ActionRun {
                kind,
                ok: true,
                message_ids: ids,
                code: None,
            },
            Err(code) => ActionRun {
                kind,
                ok: false,
                message_ids: vec![],
                code: Some(code.as_str().to_string()),
            },
        }
    }

    async fn queue(&self, action: &Action) -> Result<Vec<i64>, ErrorCode> {
        match action {
            Action::Email {
                template: name,
                account_id,
            } => {
                if self.email.is_empty() {
                    return Err(ErrorCode::AutomationNoRecipient);
                }
                let t = template::by_name(self.pool, self.ws, name)
                    .await
                    .map_err(|e| e.code())?;
                let input = ComposeInput {
                    account_id: *account_id,
                    company_id: self.company_id,
                    to: vec![self.email.to_string()],
                    subject: t.subject,
                    html: Some(t.body_html),
                    idempotency_key: Some(self.key.clone()),
                    ..Default::default()
                };
                compose::send(self.pool, self.ws, &input, self.now)
                    .await
                    .map_err(|e| e.code())
            }
            Action::Sms { provider, text } => {
                if self.phone.is_empty() {
                    return Err(ErrorCode::AutomationNoRecipient);
                }
                let text = template::render_part("text", text, self.vars).map_err(|e| e.code())?;
                let input = SmsInput {
                    account_id: None,
                    company_id: self.company_id,
                    to: self.phone.to_string(),
                    text,
                    idempotency_key: Some(self.key.clone()),
                    purpose: None,
                };
                sms::send_with(self.pool, self.ws, provider.as_deref(), &input, self.now)
                    .await
                    .map(|id| vec![id])
                    .map_err(|e| e.code())
            }
            Action::Whatsapp {
                provider,
                template: name,
                language,
                params,
                before_minutes,
            } => {
                if self.phone.is_empty() {
                    return Err(ErrorCode::AutomationNoRecipient);
                }
                let params = params
                    .iter()
                    .map(|p| template::render_part("params", p, self.vars))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| e.code())?;
                // Before the start: at that time, or at once when it has passed.
                let at = match (before_minutes, self.start) {
                    (Some(m), Some(s)) => {
                        Some(s - Duration::minutes(i64::from(*m))).filter(|at| *at > self.now)
                    }
                    (Some(_), None) => return Err(ErrorCode::ValidationRequired),
                    _ => None,
                };
                let input = WhatsappInput {
                    company_id: self.company_id,
                    to: self.phone.to_string(),
                    content: Content::Template {
                        name: name.clone(),
                        language: language.clone(),
                        params,
                    },
                    idempotency_key: Some(self.key.clone()),
                };
                whatsapp::send_at(
                    self.pool,
                    self.ws,
                    provider.as_deref(),
                    &input,
                    self.now,
                    at,
                )
                .await
                .map(|id| vec![id])
                .map_err(|e| e.code())
            }
            Action::SheetRow { .. } => Err(ErrorCode::AutomationSheetsNotConnected),
        }
    }
}

async fn earlier_runs(
    pool: &SqlitePool,
    ws: i64,
    event_id: &str,
) -> Result<Vec<RuleRun>, AutomationError> {
    let mut out = Vec::new();
    for a in automations::list(pool, ws).await? {
        for run in automations::runs(pool, a.id, 1000).await? {
            if run.event_id == event_id {
                out.push(RuleRun {
                    automation_id: a.id,
                    name: a.name.clone(),
                    run,
                });
            }
        }
    }
    Ok(out)
}

/// The workspace's rules with their last runs (the seeds' four made on first look).
pub async fn list(pool: &SqlitePool, ws: i64) -> Result<Vec<Automation>, AutomationError> {
    Ok(automations::list(pool, ws).await?)
}

pub async fn set_enabled(
    pool: &SqlitePool,
    ws: i64,
    id: i64,
    enabled: bool,
) -> Result<Automation, AutomationError> {
    Ok(automations::set_enabled(pool, ws, id, enabled).await?)
}

pub async fn save(
    pool: &SqlitePool,
    ws: i64,
    id: Option<i64>,
    input: &automations::AutomationInput,
) -> Result<Automation, AutomationError> {
    Ok(automations::save(pool, ws, id, input).await?)
}

// ---- the loopback endpoint ------------------------------------------------------

/// The secret a CRM on this computer sends CRM events with (`Authorization: Bearer`),
/// one per workspace, made on first ask (`rotate`: a new one; the old one stops).
pub async fn event_token(
    pool: &SqlitePool,
    ws: i64,
    rotate: bool,
) -> Result<String, AutomationError> {
    use secrecy::ExposeSecret;
    let current = ulak_core::secret::get(pool, ws, "events", "token")
        .await
        .map_err(|e| AutomationError::Crm(e.into()))?;
    if let (Some(t), false) = (&current, rotate) {
        return Ok(t.expose_secret().to_string());
    }
    let mut raw = [0u8; 24];
    rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut raw);
    let t = format!("ulak_evt_{}", hex::encode(raw));
    ulak_core::secret::set(
        pool,
        ws,
        "events",
        "token",
        &secrecy::SecretString::from(t.clone()),
    )
    .await
    .map_err(|e| AutomationError::Crm(e.into()))?;
    Ok(t)
}

/// The largest event read.
const EVENT_LIMIT: usize = 256 * 1024;

/// `POST /events` on the receiver's port: a CRM event for the workspace whose token is
/// the bearer. Only from this computer: a request a tunnel forwarded (it names the
/// original client in X-Forwarded-For, Forwarded, CF-Connecting-IP or X-Real-IP) is
/// refused, as is one without the token. Answers the `Emitted` JSON, or the error as
/// `{code, message, hint}` with 400; 401/403 without a body worth reading.
/// `on_queued` is told when an event queued something (the window wakes its worker).
pub fn events_router(
    pool: SqlitePool,
    on_queued: Option<ulak_channels::inbound::OnRecorded>,
) -> axum::Router {
    axum::Router::new()
        .route("/events", axum::routing::post(event_in))
        .with_state((pool, on_queued))
}

type EventState = (SqlitePool, Option<ulak_channels::inbound::OnRecorded>);

async fn event_in(
    axum::extract::State((pool, on_queued)): axum::extract::State<EventState>,
    headers: axum::http::HeaderMap,
    body: axum::body::Body,
) -> (
    axum::http::StatusCode,
    [(axum::http::HeaderName, &'static str); 1],
    String,
) {
    use axum::http::StatusCode;
    let json = [(axum::http::header::CONTENT_TYPE, "application/json")];
    let forwarded = [
        "x-forwarded-for",
        "forwarded",
        "cf-connecting-ip",
        "x-real-ip",
    ]
    .iter()
    .any(|h| headers.contains_key(*h));
    if forwarded {
        return (
            StatusCode::FORBIDDEN,
            json,
            "{\"code\":\"forbidden\"}".into(),
        );
    }
    let bearer = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or_default()
        .to_string();
    let ws = match workspace_of(&pool, &bearer).await {
        Some(ws) => ws,
        None => {
            return (
                StatusCode::UNAUTHORIZED,
                json,
                "{\"code\":\"unauthorized\"}".into(),
            )
        }
    };
    let bytes = match tokio::time::timeout(
        std::time::Duration::from_secs(10),
        axum::body::to_bytes(body, EVENT_LIMIT),
    )
    .await
    {
        Ok(Ok(b)) => b,
        _ => {
            let e =
                AutomationError::BadJson("the body was cut off, too slow or over 256 KiB".into());
            let p = ulak_core::ErrorPayload::from_error(&e);
            return (
                StatusCode::BAD_REQUEST,
                json,
                serde_json::to_string(&p).expect("plain JSON"),
            );
        }
    };
    let text = String::from_utf8_lossy(&bytes);
    match emit(&pool, ws, &text, Source::Http, Utc::now()).await {
        Ok(e) => {
            let queued = e.runs.iter().any(|r| r.run.actions.iter().any(|a| a.ok));
            if let (true, Some(f)) = (queued, &on_queued) {
                f(&ulak_outbox::inbound::Recorded::default());
            }
            (
                StatusCode::OK,
                json,
                serde_json::to_string(&e).expect("plain JSON"),
            )
        }
        Err(e) => {
            let p = ulak_core::ErrorPayload::from_error(&e);
            (
                StatusCode::BAD_REQUEST,
                json,
                serde_json::to_string(&p).expect("plain JSON"),
            )
        }
    }
}

/// The workspace whose event token this is (compared by hash: no timing to learn from).
async fn workspace_of(pool: &SqlitePool, token: &str) -> Option<i64> {
    use secrecy::ExposeSecret;
    if token.is_empty() {
        return None;
    }
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT workspace_id FROM secrets WHERE owner = 'events' AND name = 'token'",
    )
    .fetch_all(pool)
    .await
    .ok()?;
    for (ws,) in rows {
        if let Ok(Some(t)) = ulak_core::secret::get(pool, ws, "events", "token").await {
            if Sha256::digest(t.expose_secret().as_bytes()) == Sha256::digest(token.as_bytes()) {
                return Some(ws);
            }
        }
    }
    None
}
