//! Google Contacts (issue 20): the workspace's Google connection that may read contacts
//! (its own sign-in, `Purpose::Contacts`), the contacts read for a company — those
//! whose organization is the company's name offered first —, and the chosen ones
//! merged into it (ulak-crm's `merge_people`: the same e-mail or phone is one contact).

use serde::Serialize;
use sqlx::SqlitePool;
use ulak_channels::oauth::connections;
use ulak_channels::people::{self, PeopleError, Person};
use ulak_core::{ErrorCode, UserFacing};
use ulak_crm::contacts::ContactInput;
use ulak_crm::import::{ImportError, MergeReport};
use ulak_crm::CrmError;

#[derive(Debug, thiserror::Error)]
pub enum ContactsError {
    #[error(transparent)]
    People(#[from] PeopleError),
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error(transparent)]
    Crm(#[from] CrmError),
}

impl UserFacing for ContactsError {
    fn code(&self) -> ErrorCode {
        match self {
            ContactsError::People(PeopleError::NotConnected) => {
                ErrorCode::GoogleContactsNotConnected
            }
            ContactsError::People(PeopleError::Refused(_)) => ErrorCode::GoogleContactsRefused,
            ContactsError::People(PeopleError::OAuth(o)) => o.code(),
            ContactsError::Import(e) => e.code(),
            ContactsError::Crm(e) => e.code(),
        }
    }
    fn hint(&self) -> Option<String> {
        match self {
            ContactsError::People(PeopleError::NotConnected) => Some(
                "Connect Google Contacts on Entegrasyonlar › Google (`ulak google-contacts connect`)."
                    .into(),
            ),
            ContactsError::People(PeopleError::Refused(_)) => {
                Some("Try again; connect Google Contacts again if it keeps refusing.".into())
            }
            ContactsError::People(PeopleError::OAuth(o)) => o.hint(),
            ContactsError::Import(e) => e.hint(),
            ContactsError::Crm(e) => e.hint(),
        }
    }
}

/// The connection Google Contacts uses; None when none may read contacts.
pub async fn status(
    pool: &SqlitePool,
    workspace_id: i64,
) -> Result<Option<connections::Connection>, ContactsError> {
    Ok(people::connection(pool, workspace_id)
        .await
        .map_err(PeopleError::from)?)
}

/// A Google contact as offered for a company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    pub person: Person,
    /// Its organization is the company's name (Turkish letters and case aside), or
    /// its e-mail's domain is one the company's contacts use: offered ticked.
    pub suggested: bool,
    /// Already a contact of the company (same e-mail or phone): importing it fills in
    /// only what the contact lacks.
    pub known: bool,
}

/// Every Google contact with an e-mail or a phone, for `company_id`: the suggested
/// first. `progress(read)` as pages come.
pub async fn candidates(
    pool: &SqlitePool,
    workspace_id: i64,
    company_id: i64,
    progress: impl FnMut(usize),
) -> Result<Vec<Candidate>, ContactsError> {
    let company = ulak_crm::companies::get(pool, workspace_id, company_id).await?;
    let known = ulak_crm::contacts::of_company(pool, workspace_id, company_id).await?;
    let domains: Vec<String> = known
        .iter()
        .filter_map(|c| c.email.rsplit_once('@').map(|(_, d)| d.to_lowercase()))
        .filter(|d| !FREE_MAIL.contains(&d.as_str()))
        .collect();
    let name = ulak_crm::fold(&company.name);
    let mut out: Vec<Candidate> = people::list(pool, workspace_id, progress)
        .await?
        .into_iter()
        .filter(|p| !p.email.is_empty() || !p.phone.is_empty())
        .map(|p| {
            let org = ulak_crm::fold(&p.organization);
            let domain = p
                .email
                .rsplit_once('@')
                .map(|(_, d)| d.to_lowercase())
                .unwrap_or_default();
            let suggested =
                same_company(&org, &name) || (!domain.is_empty() && domains.contains(&domain));
            let phone = ulak_core::validate::phone("phone", &p.phone, false).unwrap_or_default();
            // As the import merges: by e-mail; by phone only without an e-mail.
            let known = known.iter().any(|c| {
                (!p.email.is_empty() && c.email.eq_ignore_ascii_case(&p.email))
                    || (p.email.is_empty() && !phone.is_empty() && c.phone == phone)
            });
            Candidate {
                person: p,
                suggested,
                known,
            }
        })
        .collect();
    out.sort_by_key(|c| !c.suggested);
    Ok(out)
}

/// Whether an organization's name (folded) is the company's (folded): the same words,
/// legal suffixes (A.Ş., Ltd. Şti., San. Tic.) aside — "Koç" is not "Koçtaş".
fn same_company(org: &str, company: &str) -> bool {
    const SUFFIXES: [&str; 12] = [
        "a.s.", "a.s", "as", "ltd.", "ltd", "sti.", "sti", "san.", "tic.", "ve", "inc.", "llc",
    ];
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| c.is_whitespace() || c == ',')
            .map(|w| w.trim().to_string())
            .filter(|w| !w.is_empty() && !SUFFIXES.contains(&w.as_str()))
            .collect()
    };
    let (o, c) = (words(org), words(company));
    !o.is_empty() && !c.is_empty() && (o.starts_with(&c) || c.starts_with(&o))
}

/// Providers whose domain says nothing about a company.
const FREE_MAIL: [&str; 18] = [
    "gmail.com",
    "googlemail.com",
    "hotmail.com",
    "hotmail.com.tr",
    "outlook.com",
    "outlook.com.tr",
    "live.com",
    "msn.com",
    "windowslive.com",
    "yahoo.com",
    "yahoo.com.tr",
    "yandex.com",
    "yandex.com.tr",
    "yandex.ru",
    "icloud.com",
    "mynet.com",
    "proton.me",
    "protonmail.com",
];

/// Merges the chosen Google contacts into the company (see `merge_people`); one
/// without a name is named by its e-mail.
pub async fn import(
    pool: &SqlitePool,
    workspace_id: i64,
    company_id: i64,
    chosen: &[Person],
    progress: impl FnMut(u64, u64),
) -> Result<MergeReport, ContactsError> {
    let people: Vec<ContactInput> = chosen
        .iter()
        .map(|p| ContactInput {
            name: if p.name.trim().is_empty() {
                p.email.clone()
            } else {
                p.name.clone()
            },
            email: p.email.clone(),
            phone: p.phone.clone(),
            ..Default::default()
        })
        .collect();
    Ok(ulak_crm::import::merge_people(pool, workspace_id, company_id, &people, progress).await?)
}

#[cfg(test)]
mod tests {
    use super::same_company;
    use ulak_crm::fold;

    #[test]
    fn an_organization_is_the_company_by_its_words() {
        let same = |o: &str, c: &str| same_company(&fold(o), &fold(c));
        assert!(same("ÖZTÜRK GIDA A.Ş.", "Öztürk Gıda"));
        assert!(same("Öztürk Gıda San. ve Tic. Ltd. Şti.", "Öztürk Gıda"));
        assert!(same("Öztürk", "Öztürk Gıda"));
        assert!(!same("Koçtaş", "Koç"));
        assert!(!same("Gıda", "Öztürk Gıda"));
        assert!(!same("", "Öztürk Gıda"));
    }
}
