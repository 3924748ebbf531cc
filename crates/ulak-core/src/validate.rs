//! Field checks shared by every form and CLI command: required, length, control
//! characters (CR/LF header injection), e-mail addresses (IDN domains accepted).

use std::str::FromStr;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    #[error("{field} is required")]
    Required { field: &'static str },
    #[error("{field} is longer than {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("{field} contains a line break or control character")]
    ControlChars { field: &'static str },
    #[error("{field} is not a valid e-mail address")]
    Email { field: &'static str },
    #[error("\"{value}\" is not a phone number")]
    Phone { field: &'static str, value: String },
    #[error("{field} must be one of: {}", .options.join(", "))]
    Choice {
        field: &'static str,
        options: Vec<String>,
    },
    #[error("{field} is not a web address (https://…)")]
    Url { field: &'static str },
    #[error("{field} must be a whole number from {min} to {max}")]
    Range {
        field: &'static str,
        min: u64,
        max: u64,
    },
}

impl ValidationError {
    pub fn field_name(&self) -> &'static str {
        match self {
            ValidationError::Required { field }
            | ValidationError::TooLong { field, .. }
            | ValidationError::ControlChars { field }
            | ValidationError::Email { field }
            | ValidationError::Phone { field, .. }
            | ValidationError::Choice { field, .. }
            | ValidationError::Url { field }
            | ValidationError::Range { field, .. } => field,
        }
    }
}

impl crate::UserFacing for ValidationError {
    fn code(&self) -> crate::ErrorCode {
        match self {
            ValidationError::Required { .. } => crate::ErrorCode::ValidationRequired,
            ValidationError::TooLong { .. } => crate::ErrorCode::ValidationTooLong,
            ValidationError::ControlChars { .. } => crate::ErrorCode::ValidationControlChars,
            ValidationError::Email { .. } => crate::ErrorCode::ValidationEmail,
            ValidationError::Phone { .. } => crate::ErrorCode::ValidationPhone,
            ValidationError::Choice { .. } => crate::ErrorCode::ValidationChoice,
            ValidationError::Url { .. } => crate::ErrorCode::ValidationUrl,
            ValidationError::Range { .. } => crate::ErrorCode::ValidationRange,
        }
    }
    fn hint(&self) -> Option<String> {
        Some(match self {
            ValidationError::Required { .. } => "Fill in this field.".into(),
            ValidationError::TooLong { max, .. } => format!("Shorten it to {max} characters."),
            ValidationError::ControlChars { .. } => {
                "Remove line breaks and tabs; type it on one line.".into()
            }
            ValidationError::Email { .. } => "Write it as name@company.com, without spaces.".into(),
            ValidationError::Phone { .. } => {
                "Write it with the country code, e.g. +90 532 123 45 67, or as 0532 123 45 67."
                    .into()
            }
            ValidationError::Choice { options, .. } => {
                format!("Choose one of: {}.", options.join(", "))
            }
            ValidationError::Url { .. } => {
                "Write the whole address, starting with https:// (http:// only for this computer)."
                    .into()
            }
            ValidationError::Range { min, max, .. } => {
                format!("Write a whole number from {min} to {max}.")
            }
        })
    }
    fn field(&self) -> Option<&'static str> {
        Some(self.field_name())
    }
    /// The value a phone check refused, for a list of numbers to point at.
    fn detail(&self) -> Option<String> {
        match self {
            ValidationError::Phone { value, .. } => Some(value.clone()),
            _ => None,
        }
    }
}

/// Every length limit a form checks, in one place: the validators here and in the
/// other crates use these, and the window gets the same numbers through bindings.ts
/// (`LIMITS`), so it can say "too long" while typing without a copy drifting.
#[derive(Debug, Clone, Copy, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Limits {
    pub display_name: usize,
    pub sender_name: usize,
    pub sender_email: usize,
    pub workspace_name: usize,
    pub host: usize,
    pub smtp_username: usize,
    pub company_name: usize,
    pub contact_name: usize,
    pub contact_email: usize,
    pub phone: usize,
    pub notes: usize,
    /// One header line; RFC 5322 allows 998 octets.
    pub subject: usize,
    pub from_name: usize,
    pub attachment_name: usize,
    pub template_name: usize,
    /// Ten concatenated SMS parts (GSM-7, 153 each): what providers accept.
    pub sms_text: usize,
    /// A WhatsApp text message's body (Cloud API: 4096 characters).
    pub whatsapp_text: usize,
    /// The same through Twilio (its Messages resource's Body: 1600).
    pub whatsapp_twilio_text: usize,
    /// A WhatsApp template's name (Meta: 512 characters).
    pub whatsapp_template: usize,
    /// One template parameter's value.
    pub whatsapp_param: usize,
    /// Parameters one template message carries at most.
    pub whatsapp_params: usize,
    /// A Slack or Telegram message (Telegram's sendMessage takes 4096 characters).
    pub chat_text: usize,
    /// All attachments of one e-mail together, in bytes.
    pub attachments_bytes: usize,
    pub passphrase_min: usize,
    /// A provider's API base URL.
    pub url: usize,
    /// A provider's key, token or password.
    pub secret: usize,
    /// A provider's account id, sender id or other short code.
    pub provider_id: usize,
    /// Messages a second an integration may be set to send at most.
    pub rate_per_second: usize,
    /// A calendar event's title and place.
    pub event_title: usize,
    pub event_location: usize,
}

pub const LIMITS: Limits = Limits {
    display_name: 100,
    sender_name: 100,
    sender_email: 254,
    workspace_name: 100,
    host: 253,
    smtp_username: 254,
    company_name: 200,
    contact_name: 200,
    contact_email: 254,
    phone: 40,
    notes: 4000,
    subject: 900,
    from_name: 200,
    attachment_name: 255,
    template_name: 120,
    sms_text: 1530,
    whatsapp_text: 4096,
    whatsapp_twilio_text: 1600,
    whatsapp_template: 512,
    whatsapp_param: 1024,
    whatsapp_params: 20,
    chat_text: 4000,
    attachments_bytes: 25 * 1024 * 1024,
    passphrase_min: 8,
    url: 2000,
    secret: 4096,
    provider_id: 200,
    rate_per_second: 1000,
    event_title: 300,
    event_location: 500,
};

/// A name folded for comparison and search: lower case, Turkish dotted and dotless i
/// alike, so "ÖZTÜRK", "Öztürk" and "öztürk" are one company and "ıŞık" finds "Işık".
pub fn fold(s: &str) -> String {
    s.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|c| *c != '\u{307}')
        .map(|c| if c == 'ı' { 'i' } else { c })
        .collect()
}

/// A single-line text field: trimmed, at most `max` characters, no control characters.
pub fn text(
    field: &'static str,
    value: &str,
    max: usize,
    required: bool,
) -> Result<String, ValidationError> {
    if value.chars().any(char::is_control) {
        return Err(ValidationError::ControlChars { field });
    }
    let v = value.trim();
    if required && v.is_empty() {
        return Err(ValidationError::Required { field });
    }
    if v.chars().count() > max {
        return Err(ValidationError::TooLong { field, max });
    }
    Ok(v.to_string())
}

/// A phone number in E.164 (`+905321234567`); a number without a country code is
/// read as Turkish. Empty stays empty unless required.
pub fn phone(field: &'static str, value: &str, required: bool) -> Result<String, ValidationError> {
    let v = text(field, value, LIMITS.phone, required)?;
    if v.is_empty() {
        return Ok(v);
    }
    let bad = || ValidationError::Phone {
        field,
        value: v.clone(),
    };
    let n = phonenumber::parse(Some(phonenumber::country::Id::TR), &v).map_err(|_| bad())?;
    if !phonenumber::is_valid(&n) {
        return Err(bad());
    }
    Ok(n.format().mode(phonenumber::Mode::E164).to_string())
}

/// A provider's web address (an API base URL): `https://…`, or `http://` to this
/// computer only (a local test server). Returned without a trailing slash.
pub fn url(field: &'static str, value: &str, required: bool) -> Result<String, ValidationError> {
    let v = text(field, value, LIMITS.url, required)?;
    if v.is_empty() {
        return Ok(v);
    }
    let bad = || ValidationError::Url { field };
    let u = url::Url::parse(&v).map_err(|_| bad())?;
    let local = matches!(u.host(), Some(url::Host::Domain("localhost")))
        || matches!(u.host(), Some(url::Host::Ipv4(ip)) if ip.is_loopback())
        || matches!(u.host(), Some(url::Host::Ipv6(ip)) if ip.is_loopback());
    let ok = u.host().is_some()
        && u.query().is_none()
        && u.fragment().is_none()
        && u.username().is_empty()
        && u.password().is_none()
        && (u.scheme() == "https" || (u.scheme() == "http" && local));
    if !ok {
        return Err(bad());
    }
    Ok(v.trim_end_matches('/').to_string())
}

/// An e-mail address as a sender or recipient: `local@domain`, domain with a dot,
/// Unicode (IDN) allowed, at most 254 characters.
pub fn email(field: &'static str, value: &str, required: bool) -> Result<String, ValidationError> {
    let v = text(field, value, 254, required)?;
    if v.is_empty() {
        return Ok(v);
    }
    let parsed =
        email_address::EmailAddress::from_str(&v).map_err(|_| ValidationError::Email { field })?;
    // The RFC allows dotless domains and quoted locals; a salesperson's sender never has them.
    let domain = parsed.domain();
    if !domain.contains('.') || domain.starts_with('[') || parsed.local_part().starts_with('"') {
        return Err(ValidationError::Email { field });
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_takes_https_and_loopback_http_only() {
        assert_eq!(
            url("baseUrl", " https://api.twilio.com/ ", true).unwrap(),
            "https://api.twilio.com"
        );
        assert_eq!(
            url("baseUrl", "http://127.0.0.1:8025/v1", true).unwrap(),
            "http://127.0.0.1:8025/v1"
        );
        assert!(url("baseUrl", "http://localhost:9/", true).is_ok());
        for bad in [
            "http://api.twilio.com",
            "ftp://x.com",
            "api.twilio.com",
            "https://user:pw@x.com",
            "https://x.com/?q=1",
            "https://",
        ] {
            assert_eq!(
                url("baseUrl", bad, true),
                Err(ValidationError::Url { field: "baseUrl" }),
                "{bad}"
            );
        }
        assert_eq!(url("baseUrl", "", false).unwrap(), "");
        assert_eq!(
            url("baseUrl", "https://x.com\r\n", true),
            Err(ValidationError::ControlChars { field: "baseUrl" })
        );
    }

    #[test]
    fn text_rejects_line_breaks_anywhere() {
        assert_eq!(
            text("subject", "Merhaba\r\nBcc: x@y.com", 100, true),
            Err(ValidationError::ControlChars { field: "subject" })
        );
        assert_eq!(
            text("name", "Ali\n", 100, true),
            Err(ValidationError::ControlChars { field: "name" })
        );
    }

    #[test]
    fn text_trims_and_checks_required_and_length() {
        assert_eq!(text("name", "  Ayşe  ", 100, true).unwrap(), "Ayşe");
        assert_eq!(
            text("name", "   ", 100, true),
            Err(ValidationError::Required { field: "name" })
        );
        assert_eq!(text("name", "", 100, false).unwrap(), "");
        // Length counts characters, not bytes: 5 Turkish letters are 5.
        assert_eq!(text("name", "ğüşıö", 5, true).unwrap(), "ğüşıö");
        assert_eq!(
            text("name", "ğüşıöç", 5, true),
            Err(ValidationError::TooLong {
                field: "name",
                max: 5
            })
        );
    }

    #[test]
    fn phone_takes_every_way_a_turkish_number_is_written_as_one_e164() {
        for written in [
            "0555 123 45 67",
            "+90 555 123 4567",
            "905551234567",
            "+905551234567",
            "5551234567",
            "0 (555) 123-45-67",
            "0090 555 123 45 67",
            " 0555.123.45.67 ",
        ] {
            assert_eq!(
                phone("to", written, true).as_deref(),
                Ok("+905551234567"),
                "{written}"
            );
        }
        // Another country keeps its own code.
        assert_eq!(
            phone("to", "+49 30 901820", true).as_deref(),
            Ok("+4930901820")
        );
        assert_eq!(phone("to", "", false).as_deref(), Ok(""));
    }

    #[test]
    fn phone_refuses_what_is_not_a_number_with_the_value() {
        for bad in [
            "12",
            "0555 123 45",
            "0555 123 45 678",
            "numara",
            "+90 000 000 00 00",
            "0555 123 45 67 dahili 12",
        ] {
            match phone("to", bad, true) {
                Err(ValidationError::Phone { field, value }) => {
                    assert_eq!((field, value.as_str()), ("to", bad.trim()), "{bad}")
                }
                other => panic!("{bad}: {other:?}"),
            }
        }
        assert_eq!(
            phone("to", "  ", true),
            Err(ValidationError::Required { field: "to" })
        );
        assert_eq!(
            phone("to", "0555\n1234567", true),
            Err(ValidationError::ControlChars { field: "to" })
        );
    }

    #[test]
    fn email_accepts_common_and_idn_addresses() {
        for ok in [
            "ali@firma.com",
            "a.b+c@sub.firma.com.tr",
            "satış@örnek.com.tr",
        ] {
            assert_eq!(email("senderEmail", ok, true).unwrap(), ok, "{ok}");
        }
    }

    #[test]
    fn email_rejects_malformed_addresses() {
        for bad in [
            "ali",
            "ali@",
            "@firma.com",
            "ali@firma",
            "ali firma@x.com",
            "a@@b.com",
        ] {
            assert_eq!(
                email("senderEmail", bad, true),
                Err(ValidationError::Email {
                    field: "senderEmail"
                }),
                "{bad}"
            );
        }
        assert_eq!(
            email("senderEmail", "", true),
            Err(ValidationError::Required {
                field: "senderEmail"
            })
        );
    }
}
