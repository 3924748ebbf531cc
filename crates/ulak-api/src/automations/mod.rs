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

mod endpoint;

pub use endpoint::{event_token, events_router};

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

/// A CRM writes numbers and nulls where text is meant (`"id": 42`, `"amount": 1500.5`,
/// `"phone": null`): read as text, null as empty.
fn lenient<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => s,
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::Bool(b) => b.to_string(),
        serde_json::Value::Null => String::new(),
        _ => return Err(serde::de::Error::custom("expected text")),
    })
}

#[derive(Debug, Deserialize)]
struct EventIn {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default, deserialize_with = "lenient")]
    id: String,
    #[serde(default)]
    data: Record,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Record {
    #[serde(deserialize_with = "lenient")]
    title: String,
    #[serde(deserialize_with = "lenient")]
    number: String,
    #[serde(deserialize_with = "lenient")]
    amount: String,
    #[serde(deserialize_with = "lenient")]
    start: String,
    #[serde(deserialize_with = "lenient")]
    time_zone: String,
    #[serde(deserialize_with = "lenient")]
    url: String,
    company: Named,
    contact: ContactIn,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Named {
    #[serde(deserialize_with = "lenient")]
    name: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ContactIn {
    #[serde(deserialize_with = "lenient")]
    name: String,
    #[serde(deserialize_with = "lenient")]
    email: String,
    #[serde(deserialize_with = "lenient")]
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
    // One CRM record id can name a deal, then its invoice: the type is part of the id.
    // Without an id, the event's type and data make it (not a delivery time a CRM may
    // add to each retry).
    let event_id = match ev.id.trim() {
        "" => format!(
            "{kind}:sha256:{}",
            hex::encode(Sha256::digest(
                serde_json::json!({"type": kind, "data": value.get("data")})
                    .to_string()
                    .as_bytes()
            ))
        ),
        id => format!("{kind}:{}", validate::text("id", id, 200, true)?),
    };
    let r = &ev.data;
    let email = validate::email("contact.email", &r.contact.email, false)?;
    let phone = validate::phone("contact.phone", &r.contact.phone, false)?;
    let (start, zone) = start_of(r)?;
    let contact_name = validate::text("contact.name", &r.contact.name, 200, false)?;
    // An event taken before whose every action went answers with its runs; one with an
    // action that did not (a template not saved yet, a store busy) runs again — what
    // was queued is not queued twice (the actions' keys).
    let earlier = if automations::seen(pool, ws, &event_id).await? {
        let runs = earlier_runs(pool, ws, &event_id).await?;
        if runs.iter().all(|r| r.run.actions.iter().all(|a| a.ok)) {
            return Ok(Emitted {
                runs,
                event_id,
                duplicate: true,
            });
        }
        Some(runs)
    } else {
        None
    };
    let rules: Vec<Automation> = automations::following(pool, ws, kind)
        .await?
        .into_iter()
        .filter(|rule| {
            earlier.as_ref().is_none_or(|runs| {
                runs.iter()
                    .find(|r| r.automation_id == rule.id)
                    .is_none_or(|r| r.run.actions.iter().any(|a| !a.ok))
            })
        })
        .collect();
    let mut runs = Vec::new();
    if !rules.is_empty() {
        let (company_id, contact) = parties(pool, ws, r, &contact_name, &email, &phone).await?;
        // A contact Ulak knew may carry the address or phone the event left out.
        let (email, phone) = match &contact {
            Some(c) => (
                if email.is_empty() {
                    c.email.clone()
                } else {
                    email.clone()
                },
                if phone.is_empty() {
                    c.phone.clone()
                } else {
                    phone.clone()
                },
            ),
            None => (email.clone(), phone.clone()),
        };
        let vars = Vars {
            company: company_id.map(|_| CompanyVars {
                name: r.company.name.trim().to_string(),
            }),
            contact: contact.clone(),
            sender: sender(pool, ws).await,
            today: local(now, zone, "%d.%m.%Y"),
            record: Some(RecordVars {
                title: r.title.clone(),
                number: r.number.clone(),
                amount: r.amount.clone(),
                start: start
                    .map(|s| local(s, zone, "%d.%m.%Y %H:%M"))
                    .unwrap_or_default(),
                start_time: start.map(|s| local(s, zone, "%H:%M")).unwrap_or_default(),
                url: r.url.clone(),
            }),
        };
        for rule in &rules {
            let mut done = Vec::new();
            for (i, action) in rule.actions.iter().enumerate() {
                // The action's kind in its key: a rule edited between two sends of one
                // event cannot make one channel's key another's.
                let key = format!("auto:{}:{}:{}:{}", rule.id, event_id, i, action.kind());
                let step = Step {
                    pool,
                    ws,
                    event: (kind, &event_id),
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
fn start_of(r: &Record) -> Result<(Option<DateTime<Utc>>, chrono_tz::Tz), AutomationError> {
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
    let s = r.start.trim();
    if s.is_empty() {
        return Ok((None, zone));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok((Some(t.with_timezone(&Utc)), zone));
    }
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
    // A local time the clocks skipped (spring forward) is read as the hour after.
    let at = zone
        .from_local_datetime(&naive)
        .earliest()
        .or_else(|| {
            zone.from_local_datetime(&(naive + Duration::hours(1)))
                .earliest()
        })
        .ok_or(ValidationError::Choice {
            field: "start",
            options: vec!["a time that exists in that zone".into()],
        })?;
    Ok((Some(at.with_timezone(&Utc)), zone))
}

fn local(t: DateTime<Utc>, zone: chrono_tz::Tz, fmt: &str) -> String {
    t.with_timezone(&zone).format(fmt).to_string()
}

/// The event's company (by name, added when new) and contact (by address or phone
/// within it, added when new).
async fn parties(
    pool: &SqlitePool,
    ws: i64,
    r: &Record,
    contact_name: &str,
    email: &str,
    phone: &str,
) -> Result<(Option<i64>, Option<ContactVars>), AutomationError> {
    let name = validate::text("company.name", &r.company.name, 200, false)?;
    let company_id = if name.is_empty() {
        None
    } else {
        Some(match companies::by_name(pool, ws, &name).await? {
            Some(c) => c.id,
            None => {
                let made = companies::create(
                    pool,
                    ws,
                    &companies::CompanyInput {
                        name: name.clone(),
                        notes: "CRM olayından eklendi".into(),
                    },
                )
                .await;
                match made {
                    Ok(c) => c.id,
                    // Another event added it a moment ago.
                    Err(CrmError::DuplicateCompany(_)) => {
                        companies::by_name(pool, ws, &name)
                            .await?
                            .ok_or(CrmError::DuplicateCompany(name.clone()))?
                            .id
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        })
    };
    if email.is_empty() && phone.is_empty() {
        return Ok((company_id, None));
    }
    let contact_name = match contact_name.trim() {
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
                    || (!phone.is_empty()
                        && ulak_crm::phone(&c.phone).is_ok_and(|p| !p.is_empty() && p == phone))
            });
        match known {
            // Its stored address and phone fill what the event left out.
            Some(c) => {
                let email = if email.is_empty() {
                    c.email.as_str()
                } else {
                    email
                };
                let phone = if phone.is_empty() {
                    c.phone.as_str()
                } else {
                    phone
                };
                return Ok((company_id, Some(ContactVars::new(&c.name, email, phone))));
            }
            None => {
                let made = contacts::create(
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
                .await;
                match made {
                    Ok(_) | Err(CrmError::DuplicateContact(_)) => {}
                    Err(e) => return Err(e.into()),
                }
            }
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
    /// The event's type and id (a Sheets row names them).
    event: (&'a str, &'a str),
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
            // Its key queued a message already, worded a little otherwise (another
            // day's date in it): that message is this action's, not a second one.
            Err(ErrorCode::OutboxKeyReused) => ActionRun {
                kind,
                ok: true,
                message_ids: vec![],
                code: None,
            },
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
                // Never once the meeting itself has begun.
                let at = match (before_minutes, self.start) {
                    (Some(_), Some(s)) if s <= self.now => {
                        return Err(ErrorCode::AutomationTooLate)
                    }
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
            Action::SheetRow { spreadsheet, sheet } => {
                let v = self.vars;
                let record = v.record.clone().unwrap_or_default();
                let contact = v.contact.clone().unwrap_or_default();
                let cells = vec![
                    v.today.clone(),
                    self.event.0.to_string(),
                    v.company
                        .as_ref()
                        .map(|c| c.name.clone())
                        .unwrap_or_default(),
                    contact.name,
                    self.email.to_string(),
                    self.phone.to_string(),
                    record.number,
                    record.title,
                    record.amount,
                    // The row's own reference (the action's key: rule, event, step), so
                    // a retry finds it and two rules' rows of one event stay two.
                    self.key.clone(),
                ];
                crate::sheets::queue_row(
                    self.pool,
                    self.ws,
                    spreadsheet,
                    sheet.as_deref().unwrap_or(""),
                    cells,
                    &self.key,
                    self.now,
                )
                .await
                .map(|id| vec![id])
                .map_err(|e| match e {
                    crate::sheets::SheetsError::NotConnected => {
                        ErrorCode::AutomationSheetsNotConnected
                    }
                    other => other.code(),
                })
            }
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

/// Saves a rule after checking what only the templates know: every variable its texts
/// name exists (a typo would otherwise show only when an event comes).
pub async fn save(
    pool: &SqlitePool,
    ws: i64,
    id: Option<i64>,
    input: &automations::AutomationInput,
) -> Result<Automation, AutomationError> {
    let known = |part: &'static str, source: &str| -> Result<(), AutomationError> {
        let names = template::variables_in(part, source).map_err(|_| {
            AutomationError::Invalid(ValidationError::Choice {
                field: part,
                options: vec!["{{ contact.name }}".into(), "{{ record.number }}".into()],
            })
        })?;
        match names.into_iter().find(|n| {
            !template::VARIABLES.contains(&n.as_str())
                && !template::RECORD_VARIABLES.contains(&n.as_str())
        }) {
            None => Ok(()),
            Some(_) => Err(AutomationError::Invalid(ValidationError::Choice {
                field: part,
                options: template::VARIABLES
                    .iter()
                    .chain(template::RECORD_VARIABLES)
                    .map(|v| format!("{{{{ {v} }}}}"))
                    .collect(),
            })),
        }
    };
    for a in &input.actions {
        match a {
            Action::Sms { text, .. } => known("text", text)?,
            Action::Whatsapp {
                params,
                before_minutes,
                ..
            } => {
                for p in params {
                    known("params", p)?;
                }
                if before_minutes.is_some_and(|m| m > 10_080) {
                    return Err(ValidationError::Range {
                        field: "beforeMinutes",
                        min: 0,
                        max: 10_080,
                    }
                    .into());
                }
            }
            Action::Email { .. } | Action::SheetRow { .. } => {}
        }
    }
    Ok(automations::save(pool, ws, id, input).await?)
}
