//! CSV import of companies and contacts: columns mapped by header (Turkish or English
//! names) or by hand, every row checked like the form, each rejected row reported with
//! its line and reason, progress reported as it goes, all written in one transaction.

use std::collections::HashSet;

use serde::Serialize;
use sqlx::SqlitePool;
use ulak_core::store::now;
use ulak_core::{ErrorCode, UserFacing};

use crate::contacts::{self, ContactInput};
use crate::CrmError;

/// Which column (0-based) holds what; `company` is required.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Mapping {
    pub company: Option<usize>,
    pub name: Option<usize>,
    pub email: Option<usize>,
    pub phone: Option<usize>,
    pub notes: Option<usize>,
    /// BIREYSEL or TACIR, for İYS (empty: TACIR, as the form's default).
    #[serde(default)]
    pub recipient_type: Option<usize>,
}

impl Mapping {
    /// Guesses from the header row: "Firma"/"Company", "Ad Soyad"/"Name", "E-posta"/"Email", …
    pub fn guess(headers: &[String]) -> Mapping {
        let find = |names: &[&str]| {
            headers.iter().position(|h| {
                let h = fold(h);
                names.iter().any(|n| h == *n)
            })
        };
        Mapping {
            company: find(&[
                "firma",
                "sirket",
                "company",
                "organization",
                "firma adi",
                "company name",
            ]),
            name: find(&[
                "ad soyad",
                "ad",
                "isim",
                "kisi",
                "name",
                "full name",
                "contact",
                "yetkili",
            ]),
            email: find(&[
                "e-posta",
                "eposta",
                "e-mail",
                "email",
                "mail",
                "e-posta adresi",
            ]),
            phone: find(&["telefon", "tel", "cep", "gsm", "phone", "mobile"]),
            notes: find(&["not", "notlar", "aciklama", "notes", "note"]),
            recipient_type: find(&[
                "alici tipi",
                "alici turu",
                "iys",
                "iys tipi",
                "iys turu",
                "bireysel/tacir",
                "tip",
                "tur",
                "recipient type",
                "recipienttype",
            ]),
        }
    }
}

/// Header names compared without case or Turkish letters: "ŞİRKET" is "sirket".
fn fold(s: &str) -> String {
    crate::fold(s)
        .chars()
        .map(|c| match c {
            'ç' => 'c',
            'ğ' => 'g',
            'ö' => 'o',
            'ş' => 's',
            'ü' => 'u',
            _ => c,
        })
        .collect()
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Rejected {
    /// The line in the file (the header is line 1).
    pub line: u64,
    pub code: ErrorCode,
    pub reason: String,
}

#[derive(Debug, Clone, Default, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    pub rows: u64,
    pub contacts_added: u64,
    pub companies_added: u64,
    pub rejected: Vec<Rejected>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file is not readable as CSV: {0}")]
    Csv(String),
    #[error("no column holds the company name (Firma / Company)")]
    NoCompanyColumn,
    #[error(transparent)]
    Crm(#[from] CrmError),
}

impl From<sqlx::Error> for ImportError {
    fn from(e: sqlx::Error) -> Self {
        ImportError::Crm(e.into())
    }
}

impl UserFacing for ImportError {
    fn code(&self) -> ErrorCode {
        match self {
            ImportError::Csv(_) => ErrorCode::ImportBadCsv,
            ImportError::NoCompanyColumn => ErrorCode::ImportNoCompanyColumn,
            ImportError::Crm(c) => c.code(),
        }
    }
    fn hint(&self) -> Option<String> {
        match self {
            ImportError::Csv(_) => Some("Save the sheet as CSV (UTF-8), with a header row.".into()),
            ImportError::NoCompanyColumn => {
                Some("Name a column \"Firma\", or choose which column holds the company.".into())
            }
            ImportError::Crm(c) => c.hint(),
        }
    }
}

/// Reads the header row, separated by `,` or `;` (Excel in Turkish writes `;`).
pub fn headers(data: &[u8]) -> Result<(u8, Vec<String>), ImportError> {
    let first = data.split(|b| *b == b'\n').next().unwrap_or_default();
    let delim = if first.iter().filter(|b| **b == b';').count()
        > first.iter().filter(|b| **b == b',').count()
    {
        b';'
    } else {
        b','
    };
    let mut r = csv::ReaderBuilder::new()
        .delimiter(delim)
        .from_reader(strip_bom(data));
    let h = r.headers().map_err(|e| ImportError::Csv(e.to_string()))?;
    Ok((delim, h.iter().map(str::to_string).collect()))
}

fn strip_bom(data: &[u8]) -> &[u8] {
    data.strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(data)
}

/// One row of a recipient list (a campaign's CSV): its cells as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvRecipient {
    /// The row's line in the file (the header is line 1).
    pub line: u64,
    pub company: String,
    pub name: String,
    pub email: String,
}

/// The rows of a CSV with an e-mail column, read with the columns guessed from its
/// header row as an import does (E-posta/Email, Ad Soyad/Name, Firma/Company). Rows
/// are not checked here: the caller checks each address and says which it skipped.
pub fn recipients(data: &[u8]) -> Result<Vec<CsvRecipient>, ImportError> {
    let (delim, head) = headers(data)?;
    let map = Mapping::guess(&head);
    let email = map.email.ok_or_else(|| {
        ImportError::Csv("no column holds the e-mail address (E-posta / Email)".into())
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delim)
        .flexible(true)
        .from_reader(strip_bom(data));
    let mut out = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| ImportError::Csv(e.to_string()))?;
        let cell = |c: Option<usize>| c.and_then(|i| rec.get(i)).unwrap_or("").trim().to_string();
        out.push(CsvRecipient {
            line: i as u64 + 2,
            company: cell(map.company),
            name: cell(map.name),
            email: cell(Some(email)),
        });
    }
    Ok(out)
}

/// Imports `data`; `progress(done, total)` is called as rows are processed.
pub async fn import_csv(
    pool: &SqlitePool,
    workspace_id: i64,
    data: &[u8],
    mapping: Option<Mapping>,
    mut progress: impl FnMut(u64, u64),
) -> Result<ImportReport, ImportError> {
    let (delim, head) = headers(data)?;
    let map = mapping.unwrap_or_else(|| Mapping::guess(&head));
    let company_col = map.company.ok_or(ImportError::NoCompanyColumn)?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delim)
        .flexible(true)
        .from_reader(strip_bom(data));
    let records: Vec<csv::StringRecord> = reader
        .records()
        .collect::<Result<_, _>>()
        .map_err(|e| ImportError::Csv(e.to_string()))?;
    let total = records.len() as u64;

    let mut report = ImportReport {
        rows: total,
        ..Default::default()
    };
    let mut seen: HashSet<(String, String)> = HashSet::new();
    // The write lock from the start: a long import never fails half-way on another
    // writer, and the outbox's drains wait it out (they no longer end on a busy store).
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let cell = |r: &csv::StringRecord, c: Option<usize>| {
        c.and_then(|i| r.get(i)).unwrap_or("").to_string()
    };
    for (i, rec) in records.iter().enumerate() {
        if i % 100 == 0 {
            progress(i as u64, total);
        }
        let line = i as u64 + 2;
        let reject = |report: &mut ImportReport, code: ErrorCode, reason: String| {
            report.rejected.push(Rejected { line, code, reason });
        };
        let company_name = match ulak_core::validate::text(
            "company",
            &cell(rec, Some(company_col)),
            ulak_core::validate::LIMITS.company_name,
            true,
        ) {
            Ok(n) => n,
            Err(e) => {
                reject(&mut report, e.code(), format!("company: {e}"));
                continue;
            }
        };
        let kind = cell(rec, map.recipient_type);
        let recipient_type = match kind.trim() {
            "" => contacts::RecipientType::default(),
            v => match contacts::RecipientType::parse(v) {
                Some(t) => t,
                None => {
                    let e = ulak_core::validate::ValidationError::Choice {
                        field: "recipientType",
                        options: vec!["BIREYSEL".into(), "TACIR".into()],
                    };
                    reject(&mut report, e.code(), format!("recipient type: {e}"));
                    continue;
                }
            },
        };
        let input = ContactInput {
            name: cell(rec, map.name),
            email: cell(rec, map.email),
            phone: cell(rec, map.phone),
            notes: cell(rec, map.notes),
            recipient_type,
        };
        let c = match contacts::check(&input) {
            Ok(c) => c,
            Err(e) => {
                reject(&mut report, e.code(), e.to_string());
                continue;
            }
        };
        if !c.email.is_empty() && !seen.insert((crate::fold(&company_name), c.email.to_lowercase()))
        {
            reject(
                &mut report,
                ErrorCode::CrmDuplicateContact,
                format!("{} appears twice for {company_name}", c.email),
            );
            continue;
        }
        let company_id = match sqlx::query_as::<_, (i64,)>(
            "SELECT id FROM companies WHERE workspace_id = ?1 AND name_key = ?2",
        )
        .bind(workspace_id)
        .bind(crate::fold(&company_name))
        .fetch_optional(&mut *tx)
        .await?
        {
            Some((id,)) => id,
            None => {
                report.companies_added += 1;
                sqlx::query(
                    "INSERT INTO companies (workspace_id, name, name_key, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
                )
                    .bind(workspace_id)
                    .bind(&company_name)
                    .bind(crate::fold(&company_name))
                    .bind(now())
                    .execute(&mut *tx)
                    .await?
                    .last_insert_rowid()
            }
        };
        let r = contacts::insert(&mut *tx, workspace_id, company_id, &c).await;
        match r {
            Ok(_) => report.contacts_added += 1,
            Err(sqlx::Error::Database(d)) if d.is_unique_violation() => {
                reject(
                    &mut report,
                    ErrorCode::CrmDuplicateContact,
                    format!("{company_name} already has {}", c.email),
                );
            }
            Err(e) => return Err(e.into()),
        }
    }
    tx.commit().await?;
    progress(total, total);
    tracing::info!(
        workspace_id,
        rows = total,
        added = report.contacts_added,
        rejected = report.rejected.len(),
        "csv import"
    );
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turkish_and_english_headers_are_recognised() {
        let h: Vec<String> = ["Firma", "Ad Soyad", "E-posta", "Telefon", "Notlar"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            Mapping::guess(&h),
            Mapping {
                company: Some(0),
                name: Some(1),
                email: Some(2),
                phone: Some(3),
                notes: Some(4),
                recipient_type: None,
            }
        );
        let h: Vec<String> = ["Email", "Company", "Name"].map(String::from).to_vec();
        let m = Mapping::guess(&h);
        assert_eq!(
            (m.company, m.name, m.email, m.phone),
            (Some(1), Some(2), Some(0), None)
        );
        let h: Vec<String> = ["ŞİRKET", "İSİM"].map(String::from).to_vec();
        assert_eq!(Mapping::guess(&h).company, Some(0));
        let h: Vec<String> = ["Firma", "Ad", "Alıcı Tipi"].map(String::from).to_vec();
        assert_eq!(Mapping::guess(&h).recipient_type, Some(2));
    }

    #[test]
    fn semicolon_files_from_turkish_excel_are_read() {
        let (d, h) = headers(b"\xEF\xBB\xBFFirma;Ad;E-posta\nA;B;c@d.com\n").unwrap();
        assert_eq!(d, b';');
        assert_eq!(h, ["Firma", "Ad", "E-posta"]);
    }
}

/// What merging people into a company did.
#[derive(Debug, Clone, Default, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MergeReport {
    pub people: u64,
    pub added: u64,
    /// Already there (same e-mail or phone) and given what they lacked.
    pub merged: u64,
    /// Already there with nothing new.
    pub unchanged: u64,
    /// Not importable (no name, nothing to reach them by…), by position (1-based).
    pub rejected: Vec<Rejected>,
}

/// Puts `people` into the company: one already there with the same e-mail (any case) is
/// merged — what it lacked (phone) filled in, nothing of it overwritten —; one found by
/// its phone (E.164) only when it has no e-mail of its own or bears the same name (a
/// company's switchboard number is shared by different people, who stay apart); two
/// of them naming the same person become one; the rest are added. A phone that cannot
/// be read is left out when the person has an e-mail. One transaction;
/// `progress(done, total)` as it goes.
pub async fn merge_people(
    pool: &SqlitePool,
    workspace_id: i64,
    company_id: i64,
    people: &[ContactInput],
    mut progress: impl FnMut(u64, u64),
) -> Result<MergeReport, ImportError> {
    crate::companies::get(pool, workspace_id, company_id).await?;
    let total = people.len() as u64;
    let mut report = MergeReport {
        people: total,
        ..Default::default()
    };
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    for (i, p) in people.iter().enumerate() {
        if i % 50 == 0 {
            progress(i as u64, total);
        }
        let checked = contacts::check(p).or_else(|e| {
            // An unreadable phone ("… dahili 12") does not cost a contact its e-mail.
            let without = ContactInput {
                phone: String::new(),
                ..p.clone()
            };
            if p.email.trim().is_empty() {
                Err(e)
            } else {
                contacts::check(&without).map_err(|_| e)
            }
        });
        let c = match checked {
            Ok(c) => c,
            Err(e) => {
                report.rejected.push(Rejected {
                    line: i as u64 + 1,
                    code: e.code(),
                    reason: e.to_string(),
                });
                continue;
            }
        };
        let by_email: Option<(i64, String, String, String)> = sqlx::query_as(
            "SELECT id, email, phone, name FROM contacts
             WHERE workspace_id = ?1 AND company_id = ?2 AND ?3 <> '' AND lower(email) = lower(?3)
             ORDER BY id LIMIT 1",
        )
        .bind(workspace_id)
        .bind(company_id)
        .bind(&c.email)
        .fetch_optional(&mut *tx)
        .await?;
        let found = match by_email {
            Some(f) => Some(f),
            None if !c.phone.is_empty() => {
                let by_phone: Option<(i64, String, String, String)> = sqlx::query_as(
                    "SELECT id, email, phone, name FROM contacts
                     WHERE workspace_id = ?1 AND company_id = ?2 AND phone = ?3
                     ORDER BY id LIMIT 1",
                )
                .bind(workspace_id)
                .bind(company_id)
                .bind(&c.phone)
                .fetch_optional(&mut *tx)
                .await?;
                // The same person: nothing to tell them apart by, or the same name.
                by_phone.filter(|(_, email, _, name)| {
                    c.email.is_empty()
                        || (email.is_empty() && crate::fold(name) == crate::fold(&c.name))
                })
            }
            None => None,
        };
        let found = found.map(|(id, email, phone, _)| (id, email, phone));
        match found {
            Some((id, email, phone)) => {
                let email_new = email.is_empty() && !c.email.is_empty();
                let phone_new = phone.is_empty() && !c.phone.is_empty();
                if !email_new && !phone_new {
                    report.unchanged += 1;
                    continue;
                }
                let r = sqlx::query(
                    "UPDATE contacts SET email = CASE WHEN email = '' THEN ?3 ELSE email END,
                            phone = CASE WHEN phone = '' THEN ?4 ELSE phone END, updated_at = ?5
                     WHERE workspace_id = ?1 AND id = ?2",
                )
                .bind(workspace_id)
                .bind(id)
                .bind(&c.email)
                .bind(&c.phone)
                .bind(now())
                .execute(&mut *tx)
                .await;
                match r {
                    Ok(_) => report.merged += 1,
                    // Its e-mail is another contact's of the company: left as it was.
                    Err(sqlx::Error::Database(d)) if d.is_unique_violation() => {
                        report.unchanged += 1
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            None => match contacts::insert(&mut *tx, workspace_id, company_id, &c).await {
                Ok(_) => report.added += 1,
                Err(sqlx::Error::Database(d)) if d.is_unique_violation() => report.unchanged += 1,
                Err(e) => return Err(e.into()),
            },
        }
    }
    tx.commit().await?;
    progress(total, total);
    tracing::info!(
        workspace_id,
        company_id,
        people = total,
        added = report.added,
        merged = report.merged,
        "people merged into a company"
    );
    Ok(report)
}
