//! Templates: a saved subject and HTML body with variables such as `{{ company.name }}`
//! and `{{ contact.first_name }}`, rendered by minijinja. Values are HTML-escaped in
//! the body and not in the subject. A variable outside the known set is refused before
//! anything is rendered, with its name, so a typo never reaches a customer as a blank.

use std::collections::BTreeSet;

use minijinja::{Environment, ErrorKind, UndefinedBehavior};
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;
use ulak_core::store::now;
use ulak_core::validate::{self, fold};
use ulak_core::{ErrorCode, StoreError, UserFacing};

/// Every variable a template may use; the composer lists them for insertion.
pub const VARIABLES: &[&str] = &[
    "company.name",
    "contact.name",
    "contact.first_name",
    "contact.last_name",
    "contact.email",
    "contact.phone",
    "sender.name",
    "sender.email",
    "today",
];

/// What an automation's texts may also name: the CRM record its event carried
/// (`ulak event emit`); known only when a record is given.
pub const RECORD_VARIABLES: &[&str] = &[
    "record.title",
    "record.number",
    "record.amount",
    "record.start",
    "record.start_time",
    "record.url",
];

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("unknown template variable {name} in the {part}")]
    UnknownVariable { part: &'static str, name: String },
    #[error("the {part} uses contact variables but no recipient is a contact of this company")]
    NeedsContact { part: &'static str },
    #[error("the {part} is not a valid template (line {line}): {detail}")]
    Syntax {
        part: &'static str,
        line: usize,
        detail: String,
    },
    #[error("a template named {0:?} exists already")]
    Duplicate(String),
    #[error("no such template")]
    NotFound,
    #[error(transparent)]
    Invalid(#[from] validate::ValidationError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for TemplateError {
    fn from(e: sqlx::Error) -> Self {
        TemplateError::Store(StoreError::Database(e))
    }
}

impl UserFacing for TemplateError {
    fn code(&self) -> ErrorCode {
        match self {
            TemplateError::UnknownVariable { .. } => ErrorCode::TemplateUnknownVariable,
            TemplateError::NeedsContact { .. } => ErrorCode::TemplateNeedsContact,
            TemplateError::Syntax { .. } => ErrorCode::TemplateSyntax,
            TemplateError::Duplicate(_) => ErrorCode::TemplateDuplicate,
            TemplateError::NotFound => ErrorCode::TemplateNotFound,
            TemplateError::Invalid(v) => v.code(),
            TemplateError::Store(s) => s.code(),
        }
    }
    fn hint(&self) -> Option<String> {
        match self {
            TemplateError::UnknownVariable { .. } => Some(format!(
                "Use one of: {}.",
                VARIABLES
                    .iter()
                    .map(|v| format!("{{{{ {v} }}}}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            TemplateError::NeedsContact { .. } => Some(
                "Pick a recipient from the company's contacts, or remove the contact variables."
                    .into(),
            ),
            TemplateError::Syntax { .. } => {
                Some("Write variables as {{ company.name }}, with both pairs of braces.".into())
            }
            TemplateError::Duplicate(_) => Some("Choose another name.".into()),
            TemplateError::NotFound => Some("It may have been deleted; reload the list.".into()),
            TemplateError::Invalid(v) => v.hint(),
            TemplateError::Store(s) => s.hint(),
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            TemplateError::UnknownVariable { part, .. }
            | TemplateError::NeedsContact { part }
            | TemplateError::Syntax { part, .. } => Some(part),
            TemplateError::Duplicate(_) => Some("name"),
            TemplateError::Invalid(v) => v.field(),
            _ => None,
        }
    }
    fn detail(&self) -> Option<String> {
        match self {
            TemplateError::UnknownVariable { name, .. } => Some(name.clone()),
            TemplateError::Syntax { line, .. } => Some(line.to_string()),
            TemplateError::Duplicate(n) => Some(n.clone()),
            _ => None,
        }
    }
}

/// The values a message is rendered with.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Vars {
    pub company: Option<CompanyVars>,
    pub contact: Option<ContactVars>,
    pub sender: SenderVars,
    /// The date as the salesperson reads it, e.g. "02.12.2026".
    pub today: String,
    /// The CRM record of an automation's event (its texts only).
    #[serde(default)]
    pub record: Option<RecordVars>,
}

/// A CRM record's values, as the salesperson reads them ("07.12.2026 14:00", "14:00").
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RecordVars {
    pub title: String,
    pub number: String,
    pub amount: String,
    pub start: String,
    pub start_time: String,
    pub url: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CompanyVars {
    pub name: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ContactVars {
    pub name: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
}

impl ContactVars {
    /// First name is the first word, last name the rest ("Ayşe Nur Yılmaz" → "Ayşe", "Nur Yılmaz").
    pub fn new(name: &str, email: &str, phone: &str) -> Self {
        let name = name.trim();
        let (first, last) = name.split_once(char::is_whitespace).unwrap_or((name, ""));
        ContactVars {
            name: name.to_string(),
            first_name: first.to_string(),
            last_name: last.trim().to_string(),
            email: email.to_string(),
            phone: phone.to_string(),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SenderVars {
    pub name: String,
    pub email: String,
}

/// The variables a template uses, as written (`company.name`, `contact`…).
pub fn variables_in(part: &'static str, source: &str) -> Result<BTreeSet<String>, TemplateError> {
    let env = environment();
    let t = env
        .template_from_named_str(part_name(part), source)
        .map_err(|e| syntax(part, &e))?;
    Ok(t.undeclared_variables(true).into_iter().collect())
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env
}

// The name decides escaping: `.html` escapes values, anything else does not.
fn part_name(part: &'static str) -> &'static str {
    if part == "body" {
        "body.html"
    } else {
        "subject.txt"
    }
}

fn syntax(part: &'static str, e: &minijinja::Error) -> TemplateError {
    TemplateError::Syntax {
        part,
        line: e.line().unwrap_or(1),
        detail: e
            .detail()
            .map_or_else(|| e.kind().to_string(), str::to_string),
    }
}

/// What a notification e-mail's templates may name: `notice.title`, `notice.body`,
/// `notice.lines` (the body's lines), `notice.footer` and `notice.lang`.
#[derive(Debug, Clone, Serialize)]
pub struct NoticeVars {
    pub title: String,
    pub body: String,
    pub lines: Vec<String>,
    pub footer: String,
    pub lang: String,
}

/// The notification e-mail's templates (HTML and plain text), rendered with the
/// composer's engine: values are escaped in the HTML one.
pub const NOTICE_HTML: &str = include_str!("../templates/notice.html");
pub const NOTICE_TEXT: &str = include_str!("../templates/notice.txt");

/// Renders a notification e-mail's template (`html`: escaped as HTML).
pub fn render_notice(html: bool, source: &str, v: &NoticeVars) -> Result<String, TemplateError> {
    let part = "body";
    let env = environment();
    let name = if html { "notice.html" } else { "notice.txt" };
    let t = env
        .template_from_named_str(name, source)
        .map_err(|e| syntax(part, &e))?;
    t.render(minijinja::context! { notice => minijinja::value::Serde(v) })
        .map_err(|e| syntax(part, &e))
}

/// Renders one part (`subject` or `body`) after checking every variable it names.
pub fn render_part(part: &'static str, source: &str, vars: &Vars) -> Result<String, TemplateError> {
    if !source.contains("{{") && !source.contains("{%") && !source.contains("{#") {
        return Ok(source.to_string());
    }
    for name in variables_in(part, source)? {
        let known = VARIABLES.contains(&name.as_str())
            || (vars.record.is_some() && RECORD_VARIABLES.contains(&name.as_str()));
        if !known {
            return Err(TemplateError::UnknownVariable { part, name });
        }
        if name.starts_with("contact") && vars.contact.is_none() {
            return Err(TemplateError::NeedsContact { part });
        }
        if name.starts_with("company") && vars.company.is_none() {
            return Err(TemplateError::UnknownVariable { part, name });
        }
    }
    let env = environment();
    let t = env
        .template_from_named_str(part_name(part), source)
        .map_err(|e| syntax(part, &e))?;
    t.render(minijinja::value::Serde(vars))
        .map_err(|e| match e.kind() {
            ErrorKind::UndefinedError => TemplateError::UnknownVariable {
                part,
                name: e.detail().unwrap_or("?").to_string(),
            },
            _ => syntax(part, &e),
        })
}

// ---- saved templates ------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Template {
    pub id: i64,
    pub workspace_id: i64,
    pub name: String,
    pub subject: String,
    pub body_html: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TemplateInput {
    pub name: String,
    pub subject: String,
    pub body_html: String,
}

/// A template is saved only if it would render: known variables, valid syntax.
pub fn check(input: &TemplateInput) -> Result<TemplateInput, TemplateError> {
    let name = validate::text("name", &input.name, validate::LIMITS.template_name, true)?;
    let subject = validate::text("subject", &input.subject, validate::LIMITS.subject, false)?;
    for (part, src) in [
        ("subject", subject.as_str()),
        ("body", input.body_html.as_str()),
    ] {
        for v in variables_in(part, src)? {
            if !VARIABLES.contains(&v.as_str()) {
                return Err(TemplateError::UnknownVariable { part, name: v });
            }
        }
    }
    Ok(TemplateInput {
        name,
        subject,
        body_html: input.body_html.clone(),
    })
}

const COLUMNS: &str = "id, workspace_id, name, subject, body_html, created_at, updated_at";

fn unique(e: sqlx::Error, name: &str) -> TemplateError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            TemplateError::Duplicate(name.to_string())
        }
        _ => e.into(),
    }
}

pub async fn create(
    pool: &SqlitePool,
    workspace_id: i64,
    input: &TemplateInput,
) -> Result<Template, TemplateError> {
    let t = check(input)?;
    let now = now();
    let id = sqlx::query(
        "INSERT INTO templates (workspace_id, name, name_key, subject, body_html, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
    )
    .bind(workspace_id)
    .bind(&t.name)
    .bind(fold(&t.name))
    .bind(&t.subject)
    .bind(&t.body_html)
    .bind(&now)
    .execute(pool)
    .await
    .map_err(|e| unique(e, &t.name))?
    .last_insert_rowid();
    get(pool, workspace_id, id).await
}

pub async fn update(
    pool: &SqlitePool,
    workspace_id: i64,
    id: i64,
    input: &TemplateInput,
) -> Result<Template, TemplateError> {
    let t = check(input)?;
    let r = sqlx::query(
        "UPDATE templates SET name = ?3, name_key = ?4, subject = ?5, body_html = ?6, updated_at = ?7
         WHERE workspace_id = ?1 AND id = ?2",
    )
    .bind(workspace_id)
    .bind(id)
    .bind(&t.name)
    .bind(fold(&t.name))
    .bind(&t.subject)
    .bind(&t.body_html)
    .bind(now())
    .execute(pool)
    .await
    .map_err(|e| unique(e, &t.name))?;
    if r.rows_affected() == 0 {
        return Err(TemplateError::NotFound);
    }
    get(pool, workspace_id, id).await
}

pub async fn delete(pool: &SqlitePool, workspace_id: i64, id: i64) -> Result<(), TemplateError> {
    let r = sqlx::query("DELETE FROM templates WHERE workspace_id = ?1 AND id = ?2")
        .bind(workspace_id)
        .bind(id)
        .execute(pool)
        .await?;
    if r.rows_affected() == 0 {
        return Err(TemplateError::NotFound);
    }
    Ok(())
}

pub async fn get(pool: &SqlitePool, workspace_id: i64, id: i64) -> Result<Template, TemplateError> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM templates WHERE workspace_id = ?1 AND id = ?2"
    ))
    .bind(workspace_id)
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or(TemplateError::NotFound)
}

pub async fn by_name(
    pool: &SqlitePool,
    workspace_id: i64,
    name: &str,
) -> Result<Template, TemplateError> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM templates WHERE workspace_id = ?1 AND name_key = ?2"
    ))
    .bind(workspace_id)
    .bind(fold(name))
    .fetch_optional(pool)
    .await?
    .ok_or(TemplateError::NotFound)
}

pub async fn list(pool: &SqlitePool, workspace_id: i64) -> Result<Vec<Template>, TemplateError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM templates WHERE workspace_id = ?1 ORDER BY name_key"
    ))
    .bind(workspace_id)
    .fetch_all(pool)
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> Vars {
        Vars {
            company: Some(CompanyVars {
                name: "Öztürk & Oğulları".into(),
            }),
            contact: Some(ContactVars::new(
                "Ayşe Nur Yılmaz",
                "ayse@ozturk.com.tr",
                "",
            )),
            sender: SenderVars {
                name: "Ali Şahin".into(),
                email: "ali@ulak.test".into(),
            },
            today: "02.12.2026".into(),
            record: None,
        }
    }

    #[test]
    fn renders_turkish_values_escaping_only_the_body() {
        let v = vars();
        assert_eq!(
            render_part("subject", "{{ company.name }} için teklif", &v).unwrap(),
            "Öztürk & Oğulları için teklif"
        );
        assert_eq!(
            render_part(
                "body",
                "<p>Sayın {{ contact.first_name }}, {{ company.name }}</p>",
                &v
            )
            .unwrap(),
            "<p>Sayın Ayşe, Öztürk &amp; Oğulları</p>"
        );
        assert_eq!(v.contact.as_ref().unwrap().last_name, "Nur Yılmaz");
    }

    #[test]
    fn unknown_variable_is_named() {
        let e = render_part("body", "Merhaba {{ contact.frist_name }}", &vars()).unwrap_err();
        match &e {
            TemplateError::UnknownVariable { part, name } => {
                assert_eq!(*part, "body");
                assert_eq!(name, "contact.frist_name");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(e.code(), "template.unknown_variable");
        let e = render_part("subject", "{{ firma }}", &vars()).unwrap_err();
        assert!(matches!(e, TemplateError::UnknownVariable { ref name, .. } if name == "firma"));
    }

    #[test]
    fn contact_variables_need_a_contact() {
        let mut v = vars();
        v.contact = None;
        let e = render_part("body", "Sayın {{ contact.name }}", &v).unwrap_err();
        assert_eq!(e.code(), "template.needs_contact");
        assert_eq!(
            render_part("body", "{{ company.name }}", &v).unwrap(),
            "Öztürk &amp; Oğulları"
        );
    }

    #[test]
    fn syntax_errors_carry_the_line() {
        let e = render_part("body", "satır 1\n{{ company.name ", &vars()).unwrap_err();
        match e {
            TemplateError::Syntax { line, .. } => assert_eq!(line, 2),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn plain_text_passes_through() {
        assert_eq!(
            render_part("body", "100% {not a tag}", &vars()).unwrap(),
            "100% {not a tag}"
        );
    }

    #[test]
    fn check_refuses_unknown_variables_and_line_breaks() {
        let bad = TemplateInput {
            name: "Teklif".into(),
            subject: "{{ company.nam }}".into(),
            body_html: String::new(),
        };
        assert_eq!(check(&bad).unwrap_err().code(), "template.unknown_variable");
        let bad = TemplateInput {
            name: "Teklif".into(),
            subject: "a\r\nBcc: x@y.z".into(),
            body_html: String::new(),
        };
        assert_eq!(check(&bad).unwrap_err().code(), "validation.control_chars");
    }
}
