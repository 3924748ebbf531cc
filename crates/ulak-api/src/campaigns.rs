//! Campaigns (issue 17) as the window and `ulak campaign` make them: a template, the
//! contacts of customer companies or a CSV, the accounts that share the sending, and a
//! window. Creating one queues a personalised message per recipient (waiting until it
//! runs); running, pausing, resuming and cancelling are the outbox's
//! (`ulak_outbox::campaigns`), and so is choosing each message's account at sending.

use std::collections::HashSet;

use chrono::{DateTime, Local, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;
use ulak_channels::email::campaign;
use ulak_crm::{companies, contacts, import};
use ulak_outbox::campaigns::{
    self, Action, Campaign, CampaignError, NewCampaign, Progress, Window,
};
use ulak_outbox::template::{self, CompanyVars, ContactVars, Vars};
use ulak_outbox::OutboxError;

/// What the form or `ulak campaign create` gives.
#[derive(Debug, Clone, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CampaignInput {
    pub name: String,
    /// A saved template, by name or id.
    pub template: String,
    /// Customer companies whose contacts (with an address) receive it.
    #[serde(default)]
    pub companies: Vec<i64>,
    /// A CSV's text (E-posta/Email, Ad Soyad/Name, Firma/Company columns), instead of
    /// or beside the companies.
    #[serde(default)]
    pub csv: Option<String>,
    pub accounts: Vec<i64>,
    pub window: Window,
    /// What is left of a day goes out evenly over what is left of the window.
    pub spread: bool,
    /// Marketing (commercial, for Turkish law and İYS) rather than informational: its
    /// content is checked, and individuals among the recipients are counted.
    #[serde(default)]
    pub commercial: bool,
}

/// A recipient left out, and why.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Skipped {
    pub who: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Created {
    pub campaign: Campaign,
    pub recipients: u32,
    pub skipped: Vec<Skipped>,
    /// For a commercial campaign: what its template lacks, and how many recipients
    /// are individuals (BIREYSEL contacts, and a CSV's, whose type is not known), who
    /// may only get it with their İYS consent.
    pub iys: Option<EmailIysCheck>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EmailIysCheck {
    pub missing: Vec<ulak_channels::iys::Missing>,
    pub individuals: u32,
}

fn template_error(e: template::TemplateError) -> CampaignError {
    CampaignError::Outbox(OutboxError::Template(e))
}

fn crm_error(e: impl std::fmt::Display) -> CampaignError {
    CampaignError::Outbox(OutboxError::Build(e.to_string()))
}

/// Makes the campaign (a draft) and queues its messages, all of them or none.
pub async fn create(
    pool: &SqlitePool,
    workspace_id: i64,
    input: &CampaignInput,
    now: DateTime<Utc>,
) -> Result<Created, CampaignError> {
    let t = match input.template.trim().parse::<i64>() {
        Ok(id) => template::get(pool, workspace_id, id).await,
        Err(_) => template::by_name(pool, workspace_id, &input.template).await,
    }
    .map_err(template_error)?;
    let today = Local::now().format("%d.%m.%Y").to_string();
    // Each address once, in the order given: companies first, then the CSV.
    let mut seen = HashSet::new();
    let mut recipients: Vec<(Option<i64>, String, Vars)> = Vec::new();
    let mut skipped = Vec::new();
    let mut individuals = 0u32;
    for company_id in &input.companies {
        let company = companies::get(pool, workspace_id, *company_id)
            .await
            .map_err(crm_error)?;
        for c in contacts::of_company(pool, workspace_id, *company_id)
            .await
            .map_err(crm_error)?
        {
            if c.email.trim().is_empty() {
                skipped.push(Skipped {
                    who: format!("{} ({})", c.name, company.name),
                    reason: "no e-mail address".into(),
                });
                continue;
            }
            if !seen.insert(c.email.to_lowercase()) {
                continue;
            }
            if c.recipient_type == contacts::RecipientType::Bireysel {
                individuals += 1;
            }
            recipients.push((
                Some(company.id),
                c.email.clone(),
                Vars {
                    company: Some(CompanyVars {
                        name: company.name.clone(),
                    }),
                    contact: Some(ContactVars::new(&c.name, &c.email, &c.phone)),
                    sender: Default::default(),
                    today: today.clone(),
                    record: None,
                },
            ));
        }
    }
    if let Some(csv) = &input.csv {
        for r in import::recipients(csv.as_bytes()).map_err(crm_error)? {
            if ulak_core::validate::email("email", &r.email, true).is_err() {
                skipped.push(Skipped {
                    who: format!("line {}: {}", r.line, r.email),
                    reason: "not an e-mail address".into(),
                });
                continue;
            }
            if !seen.insert(r.email.to_lowercase()) {
                continue;
            }
            // A CSV's recipient: whether a merchant is not known, so an individual.
            individuals += 1;
            recipients.push((
                None,
                r.email.clone(),
                Vars {
                    company: Some(CompanyVars { name: r.company }),
                    contact: Some(ContactVars::new(&r.name, &r.email, "")),
                    sender: Default::default(),
                    today: today.clone(),
                    record: None,
                },
            ));
        }
    }
    if recipients.is_empty() {
        return Err(CampaignError::NoRecipients);
    }
    let c = campaigns::create(
        pool,
        workspace_id,
        &NewCampaign {
            name: input.name.clone(),
            subject: t.subject.clone(),
            body_html: t.body_html.clone(),
            window: input.window.clone(),
            spread: input.spread,
            commercial: input.commercial,
            accounts: input.accounts.clone(),
        },
        now,
    )
    .await?;
    let built: Result<Vec<_>, OutboxError> = recipients
        .into_iter()
        .map(|(company, to, vars)| campaign::message(&c, company, &to, vars))
        .collect();
    let queued = match built {
        Ok(messages) => campaigns::queue(pool, workspace_id, c.id, &messages, now).await,
        Err(e) => Err(e.into()),
    };
    let queued = match queued {
        Ok(n) => n,
        Err(e) => {
            // Nothing half made: the campaign goes with its failure.
            let _ = sqlx::query("DELETE FROM campaigns WHERE id = ?1")
                .bind(c.id)
                .execute(pool)
                .await;
            return Err(e);
        }
    };
    // Campaign mail always carries an unsubscribe link (email::unsubscribe).
    let iys = input.commercial.then(|| EmailIysCheck {
        missing: ulak_channels::iys::check_email(
            &t.subject,
            &ulak_channels::email::mime::html_to_text(&t.body_html),
            true,
        ),
        individuals,
    });
    Ok(Created {
        campaign: campaigns::get(pool, workspace_id, c.id).await?,
        recipients: queued as u32,
        skipped,
        iys,
    })
}

/// Run, pause, resume or cancel, by name or id.
pub async fn act(
    pool: &SqlitePool,
    workspace_id: i64,
    name: &str,
    action: Action,
) -> Result<Progress, CampaignError> {
    let c = campaigns::find(pool, workspace_id, name).await?;
    campaigns::act(pool, workspace_id, c.id, action, Utc::now()).await?;
    campaigns::progress(pool, workspace_id, c.id).await
}

pub async fn status(
    pool: &SqlitePool,
    workspace_id: i64,
    name: &str,
) -> Result<Progress, CampaignError> {
    let c = campaigns::find(pool, workspace_id, name).await?;
    campaigns::progress(pool, workspace_id, c.id).await
}

/// Every campaign with its progress, newest first.
pub async fn list(pool: &SqlitePool, workspace_id: i64) -> Result<Vec<Progress>, CampaignError> {
    let mut out = Vec::new();
    for c in campaigns::list(pool, workspace_id).await? {
        out.push(campaigns::progress(pool, workspace_id, c.id).await?);
    }
    Ok(out)
}
