//! Automations (issue 21): simple rules, "when a CRM event comes, then these actions",
//! kept per workspace (migration 0026), with the seeds' four scenarios as ready-made
//! examples, off until the user turns them on:
//! - deal created → e-mail the customer;
//! - quote sent → SMS and e-mail;
//! - meeting scheduled → WhatsApp one hour before it starts (a scheduled send);
//! - invoice paid → e-mail, and a row in Google Sheets.
//!
//! This module keeps the rules, the events that came and each rule's runs; running the
//! actions (queueing through the outbox) is ulak-api's `automations`.

use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;
use ulak_core::store::now;
use ulak_core::validate::{self, ValidationError};

use crate::CrmError;

/// The CRM events an automation can follow.
pub const EVENTS: [&str; 4] = [
    "deal.created",
    "quote.sent",
    "meeting.scheduled",
    "invoice.paid",
];

pub fn check_event(kind: &str) -> Result<&'static str, ValidationError> {
    EVENTS
        .iter()
        .find(|e| **e == kind)
        .copied()
        .ok_or_else(|| ValidationError::Choice {
            field: "type",
            options: EVENTS.iter().map(|e| e.to_string()).collect(),
        })
}

/// One thing a rule does. Texts are templates (`{{ contact.first_name }}`,
/// `{{ record.number }}`…); a provider of None sends to the sandbox ("Test kutusu").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[serde(rename = "AutomationAction")]
pub enum Action {
    /// A saved e-mail template (by name) to the event's contact, from an account.
    Email {
        template: String,
        account_id: Option<i64>,
    },
    /// A text to the event's contact's phone.
    Sms {
        provider: Option<String>,
        text: String,
    },
    /// An approved WhatsApp template to the contact's phone; `before_minutes`: that
    /// long before the record's start (a meeting), else at once.
    Whatsapp {
        provider: Option<String>,
        template: String,
        language: String,
        params: Vec<String>,
        before_minutes: Option<u32>,
    },
    /// A row in a Google Sheets spreadsheet (its address or id), in the sheet named
    /// (empty: its first sheet): the event's date, type, company, contact, e-mail, phone, the
    /// record's number, title and amount, and the event's id — queued, sent when
    /// Google can be reached.
    SheetRow {
        spreadsheet: String,
        #[serde(default)]
        #[specta(optional)]
        sheet: Option<String>,
    },
}

impl Action {
    pub fn kind(&self) -> &'static str {
        match self {
            Action::Email { .. } => "email",
            Action::Sms { .. } => "sms",
            Action::Whatsapp { .. } => "whatsapp",
            Action::SheetRow { .. } => "sheetRow",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Automation {
    pub id: i64,
    pub name: String,
    pub event: String,
    pub actions: Vec<Action>,
    pub enabled: bool,
    pub seed: Option<String>,
    /// The latest runs, newest first (at most five).
    pub last_runs: Vec<Run>,
}

/// One action's outcome in a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
#[serde(rename = "AutomationActionRun")]
pub struct ActionRun {
    pub kind: String,
    pub ok: bool,
    /// What it queued (the history shows how each went).
    pub message_ids: Vec<i64>,
    /// Why it did not: an error code (`automation.sheets_not_connected`, …).
    pub code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
#[serde(rename = "AutomationRun")]
pub struct Run {
    pub event_id: String,
    pub ran_at: String,
    /// queued (every action), partial, failed (none).
    pub outcome: String,
    pub actions: Vec<ActionRun>,
}

struct Seed {
    key: &'static str,
    name: &'static str,
    event: &'static str,
    actions: fn() -> Vec<Action>,
}

const SEEDS: [Seed; 4] = [
    Seed {
        key: "deal-email",
        name: "Yeni fırsat → müşteriye e-posta",
        event: "deal.created",
        actions: || {
            vec![Action::Email {
                template: "Fırsat teşekkür".into(),
                account_id: None,
            }]
        },
    },
    Seed {
        key: "quote-sms-email",
        name: "Teklif gönderildi → SMS ve e-posta",
        event: "quote.sent",
        actions: || {
            vec![
                Action::Sms {
                    provider: None,
                    text: "Sayın {{ contact.name }}, {{ record.number }} numaralı teklifimizi e-posta ile ilettik. {{ sender.name }}".into(),
                },
                Action::Email {
                    template: "Teklif".into(),
                    account_id: None,
                },
            ]
        },
    },
    Seed {
        key: "meeting-whatsapp",
        name: "Toplantı → 1 saat önce WhatsApp hatırlatma",
        event: "meeting.scheduled",
        actions: || {
            vec![Action::Whatsapp {
                provider: None,
                template: "toplanti_hatirlatma".into(),
                language: "tr".into(),
                params: vec![
                    "{{ contact.first_name }}".into(),
                    "{{ record.start_time }}".into(),
                ],
                before_minutes: Some(60),
            }]
        },
    },
    Seed {
        key: "invoice-email-sheet",
        name: "Fatura ödendi → e-posta ve tabloya satır",
        event: "invoice.paid",
        actions: || {
            vec![
                Action::Email {
                    template: "Ödeme teşekkür".into(),
                    account_id: None,
                },
                Action::SheetRow {
                    spreadsheet: String::new(),
                    sheet: None,
                },
            ]
        },
    },
];

/// Adds the seeds' four (off), once per workspace: a seed the user changed keeps the
/// user's version.
pub async fn ensure_seeds(pool: &SqlitePool, ws: i64) -> Result<(), CrmError> {
    let seeded: Option<String> = sqlx::query_scalar(
        "SELECT value FROM app_settings WHERE key = 'automations.seeded.' || ?1",
    )
    .bind(ws)
    .fetch_optional(pool)
    .await?;
    if seeded.is_some() {
        return Ok(());
    }
    let mut tx = pool.begin().await?;
    let at = now();
    for s in &SEEDS {
        sqlx::query(
            "INSERT INTO automations (workspace_id, name, event, actions, enabled, seed, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6, ?6)
             ON CONFLICT DO NOTHING",
        )
        .bind(ws)
        .bind(s.name)
        .bind(s.event)
        .bind(serde_json::to_string(&(s.actions)()).expect("plain JSON"))
        .bind(s.key)
        .bind(&at)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "INSERT INTO app_settings (key, value) VALUES ('automations.seeded.' || ?1, ?2)
         ON CONFLICT (key) DO NOTHING",
    )
    .bind(ws)
    .bind(&at)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    name: String,
    event: String,
    actions: String,
    enabled: bool,
    seed: Option<String>,
}

fn actions_of(json: &str) -> Result<Vec<Action>, CrmError> {
    serde_json::from_str(json).map_err(|_| CrmError::CorruptRow("automations"))
}

/// The workspace's automations (the seeds made first), each with its last runs.
pub async fn list(pool: &SqlitePool, ws: i64) -> Result<Vec<Automation>, CrmError> {
    ensure_seeds(pool, ws).await?;
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, name, event, actions, enabled, seed FROM automations
         WHERE workspace_id = ?1 ORDER BY id",
    )
    .bind(ws)
    .fetch_all(pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(Automation {
            last_runs: runs(pool, r.id, 5).await?,
            actions: actions_of(&r.actions)?,
            id: r.id,
            name: r.name,
            event: r.event,
            enabled: r.enabled,
            seed: r.seed,
        });
    }
    Ok(out)
}

pub async fn get(pool: &SqlitePool, ws: i64, id: i64) -> Result<Automation, CrmError> {
    list(pool, ws)
        .await?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(CrmError::AutomationNotFound(id))
}

/// The enabled automations that follow `event`.
pub async fn following(
    pool: &SqlitePool,
    ws: i64,
    event: &str,
) -> Result<Vec<Automation>, CrmError> {
    Ok(list(pool, ws)
        .await?
        .into_iter()
        .filter(|a| a.enabled && a.event == event)
        .collect())
}

pub async fn set_enabled(
    pool: &SqlitePool,
    ws: i64,
    id: i64,
    enabled: bool,
) -> Result<Automation, CrmError> {
    let r = sqlx::query(
        "UPDATE automations SET enabled = ?1, updated_at = ?2 WHERE workspace_id = ?3 AND id = ?4",
    )
    .bind(enabled)
    .bind(now())
    .bind(ws)
    .bind(id)
    .execute(pool)
    .await?;
    if r.rows_affected() == 0 {
        return Err(CrmError::AutomationNotFound(id));
    }
    get(pool, ws, id).await
}

/// A rule as the user writes it (`ulak automations set ID --json FILE`).
#[derive(Debug, Clone, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AutomationInput {
    pub name: String,
    pub event: String,
    pub actions: Vec<Action>,
}

fn check(input: &AutomationInput) -> Result<AutomationInput, CrmError> {
    let name = validate::text("name", &input.name, 120, true)?;
    let event = check_event(&input.event)?.to_string();
    if input.actions.is_empty() {
        return Err(ValidationError::Required { field: "actions" }.into());
    }
    for a in &input.actions {
        match a {
            Action::Email { template, .. } => {
                validate::text("template", template, 120, true)?;
            }
            Action::Sms { text, .. } => {
                // An SMS may span lines; other control characters are refused.
                if text.trim().is_empty() {
                    return Err(ValidationError::Required { field: "text" }.into());
                }
                if text.chars().count() > 1600 {
                    return Err(ValidationError::TooLong {
                        field: "text",
                        max: 1600,
                    }
                    .into());
                }
                if text
                    .chars()
                    .any(|c| c.is_control() && c != '\n' && c != '\r')
                {
                    return Err(ValidationError::ControlChars { field: "text" }.into());
                }
            }
            Action::Whatsapp {
                template, language, ..
            } => {
                validate::text("template", template, 512, true)?;
                validate::text("language", language, 15, true)?;
            }
            Action::SheetRow { .. } => {}
        }
    }
    Ok(AutomationInput {
        name,
        event,
        actions: input.actions.clone(),
    })
}

/// Adds a rule (off) or, with `id`, changes one; checked before anything is written.
pub async fn save(
    pool: &SqlitePool,
    ws: i64,
    id: Option<i64>,
    input: &AutomationInput,
) -> Result<Automation, CrmError> {
    let c = check(input)?;
    let actions = serde_json::to_string(&c.actions).expect("plain JSON");
    let id = match id {
        Some(id) => {
            let r = sqlx::query(
                "UPDATE automations SET name = ?1, event = ?2, actions = ?3, updated_at = ?4
                 WHERE workspace_id = ?5 AND id = ?6",
            )
            .bind(&c.name)
            .bind(&c.event)
            .bind(&actions)
            .bind(now())
            .bind(ws)
            .bind(id)
            .execute(pool)
            .await
            .map_err(|e| unique(e, &c.name))?;
            if r.rows_affected() == 0 {
                return Err(CrmError::AutomationNotFound(id));
            }
            id
        }
        None => sqlx::query(
            "INSERT INTO automations (workspace_id, name, event, actions, enabled, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, 0, ?5, ?5)",
        )
        .bind(ws)
        .bind(&c.name)
        .bind(&c.event)
        .bind(&actions)
        .bind(now())
        .execute(pool)
        .await
        .map_err(|e| unique(e, &c.name))?
        .last_insert_rowid(),
    };
    get(pool, ws, id).await
}

/// The latest runs of one automation, newest first.
pub async fn runs(pool: &SqlitePool, automation_id: i64, limit: i64) -> Result<Vec<Run>, CrmError> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT event_id, ran_at, outcome, actions FROM automation_runs
         WHERE automation_id = ?1 ORDER BY ran_at DESC, id DESC LIMIT ?2",
    )
    .bind(automation_id)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|(event_id, ran_at, outcome, actions)| {
            Ok(Run {
                event_id,
                ran_at,
                outcome,
                actions: serde_json::from_str(&actions)
                    .map_err(|_| CrmError::CorruptRow("automation_runs"))?,
            })
        })
        .collect()
}

/// Whether this event was taken already (its runs are then not made again).
pub async fn seen(pool: &SqlitePool, ws: i64, event_id: &str) -> Result<bool, CrmError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM crm_events WHERE workspace_id = ?1 AND event_id = ?2",
    )
    .bind(ws)
    .bind(event_id)
    .fetch_one(pool)
    .await?;
    Ok(n > 0)
}

/// Keeps the event and its runs, in one transaction (after the actions were queued:
/// an event whose actions were cut off midway is run again when sent again, and the
/// actions' idempotency keys keep what was queued from being queued twice).
pub async fn record(
    pool: &SqlitePool,
    ws: i64,
    event_id: &str,
    kind: &str,
    payload: &str,
    source: &str,
    runs: &[(i64, Run)],
) -> Result<(), CrmError> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO crm_events (workspace_id, event_id, type, payload, source, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
    )
    .bind(ws)
    .bind(event_id)
    .bind(kind)
    .bind(payload)
    .bind(source)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    for (automation_id, run) in runs {
        sqlx::query(
                        "INSERT INTO automation_runs (automation_id, event_id, ran_at, outcome, actions)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (automation_id, event_id) DO UPDATE
                SET ran_at = excluded.ran_at, outcome = excluded.outcome, actions = excluded.actions",)
        .bind(automation_id)
        .bind(event_id)
        .bind(&run.ran_at)
        .bind(&run.outcome)
        .bind(serde_json::to_string(&run.actions).expect("plain JSON"))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

fn unique(e: sqlx::Error, name: &str) -> CrmError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            CrmError::DuplicateAutomation(name.to_string())
        }
        _ => e.into(),
    }
}
