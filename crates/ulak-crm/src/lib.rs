//! Customer companies (Firma) and their contacts, always inside one workspace, and
//! their CSV import with column mapping, progress and a report of rejected rows.

pub mod automations;
pub mod companies;
pub mod contacts;
pub mod import;

use ulak_core::validate::ValidationError;
use ulak_core::{ErrorCode, StoreError, UserFacing};

#[derive(Debug, thiserror::Error)]
pub enum CrmError {
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error("\"{0}\" is not a phone number")]
    BadPhone(String),
    #[error("a company named \"{0}\" already exists in this workspace")]
    DuplicateCompany(String),
    #[error("this company already has a contact with the address {0}")]
    DuplicateContact(String),
    #[error("no company with id {0} in this workspace")]
    CompanyNotFound(i64),
    #[error("no contact with id {0} in this workspace")]
    ContactNotFound(i64),
    #[error("no automation with id {0} in this workspace")]
    AutomationNotFound(i64),
    #[error("an automation named \"{0}\" already exists in this workspace")]
    DuplicateAutomation(String),
    #[error("a stored row of {0} is unreadable")]
    CorruptRow(&'static str),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for CrmError {
    fn from(e: sqlx::Error) -> Self {
        CrmError::Store(StoreError::Database(e))
    }
}

impl UserFacing for CrmError {
    fn code(&self) -> ErrorCode {
        match self {
            CrmError::Invalid(v) => v.code(),
            CrmError::BadPhone(_) => ErrorCode::ValidationPhone,
            CrmError::DuplicateCompany(_) => ErrorCode::CrmDuplicateCompany,
            CrmError::DuplicateContact(_) => ErrorCode::CrmDuplicateContact,
            CrmError::CompanyNotFound(_) => ErrorCode::CrmCompanyNotFound,
            CrmError::ContactNotFound(_) => ErrorCode::CrmContactNotFound,
            CrmError::AutomationNotFound(_) => ErrorCode::AutomationNotFound,
            CrmError::DuplicateAutomation(_) => ErrorCode::AutomationDuplicate,
            CrmError::CorruptRow(_) => ErrorCode::StoreCorrupt,
            CrmError::Store(s) => s.code(),
        }
    }
    fn hint(&self) -> Option<String> {
        match self {
            CrmError::Invalid(v) => v.hint(),
            CrmError::BadPhone(_) => Some(
                "Write it with the country code, e.g. +90 532 123 45 67, or as 0532 123 45 67."
                    .into(),
            ),
            CrmError::DuplicateCompany(_) => Some("Open the existing company instead.".into()),
            CrmError::DuplicateContact(_) => Some("Edit the existing contact instead.".into()),
            CrmError::CompanyNotFound(_) | CrmError::ContactNotFound(_) => {
                Some("Pick one from the list.".into())
            }
            CrmError::AutomationNotFound(_) => {
                Some("See the automations' ids with `ulak automations list`.".into())
            }
            CrmError::DuplicateAutomation(_) => Some("Give the rule another name.".into()),
            CrmError::CorruptRow(_) => {
                Some("Restore the store from a backup, or remove and add the rule again.".into())
            }
            CrmError::Store(s) => s.hint(),
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            CrmError::Invalid(v) => v.field(),
            CrmError::BadPhone(_) => Some("phone"),
            CrmError::DuplicateCompany(_) => Some("name"),
            CrmError::DuplicateContact(_) => Some("email"),
            CrmError::DuplicateAutomation(_) => Some("name"),
            _ => None,
        }
    }
}

pub use ulak_core::validate::fold;

/// A phone number as E.164 (`+905321234567`); Turkish numbers may be written locally.
pub fn phone(value: &str) -> Result<String, CrmError> {
    ulak_core::validate::phone("phone", value, false).map_err(|e| match e {
        ValidationError::Phone { value, .. } => CrmError::BadPhone(value),
        other => other.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_and_turkish_dots() {
        assert_eq!(fold("ÖZTÜRK Işık İnşaat"), "öztürk işik inşaat");
        assert_eq!(fold("öztürk ışık inşaat"), fold("ÖZTÜRK IŞIK İNŞAAT"));
    }

    #[test]
    fn phones_become_e164_and_nonsense_is_refused() {
        assert_eq!(phone("0532 123 45 67").unwrap(), "+905321234567");
        assert_eq!(phone("+90 (532) 123-4567").unwrap(), "+905321234567");
        assert_eq!(phone("+49 30 901820").unwrap(), "+4930901820");
        assert_eq!(phone("").unwrap(), "");
        assert_eq!(phone("12").unwrap_err().code(), "validation.phone");
        assert_eq!(phone("telefon yok").unwrap_err().code(), "validation.phone");
        assert_eq!(
            phone("0532\\n1234567").unwrap_err().code(),
            "validation.phone"
        );
        assert_eq!(
            phone("0532\r\n1234567").unwrap_err().code(),
            "validation.control_chars"
        );
    }
}
