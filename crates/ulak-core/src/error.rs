//! The one error shape that crosses into the UI and the CLI: a stable `code`,
//! a plain message, an optional hint and the form field it belongs to.

use serde::{Deserialize, Serialize};

/// Defines `ErrorCode`: each variant with its stable dotted form, the list of all.
macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident = $code:literal,)*) => {
        /// Every error code that can reach the window or the command line: a closed set,
        /// exported into bindings.ts as a union (and as `ERROR_CODES`), so the UI's
        /// dictionaries are checked against it rather than against a copied list.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
        pub enum ErrorCode {
            $($(#[$doc])* #[serde(rename = $code)] $variant,)*
        }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The dotted form, e.g. `store.wrong_key`: what is printed and translated.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)*
                }
            }
        }
    };
}

error_codes! {
    StoreKeyringUnavailable = "store.keyring_unavailable",
    StoreKeyMissing = "store.key_missing",
    StorePassphraseRequired = "store.passphrase_required",
    StoreWrongKey = "store.wrong_key",
    StoreCorrupt = "store.corrupt",
    StoreMetaMissing = "store.meta_missing",
    StoreDataDirNotWritable = "store.data_dir_not_writable",
    StorePassphraseTooShort = "store.passphrase_too_short",
    StoreNotOpen = "store.not_open",
    StoreIo = "store.io",
    StoreDatabase = "store.database",
    StoreDiskFull = "store.disk_full",
    ValidationRequired = "validation.required",
    ValidationEmail = "validation.email",
    ValidationTooLong = "validation.too_long",
    ValidationControlChars = "validation.control_chars",
    ValidationChoice = "validation.choice",
    ValidationUrl = "validation.url",
    ValidationRange = "validation.range",
    WorkspaceNotFound = "workspace.not_found",
    WorkspaceDuplicateName = "workspace.duplicate_name",
    Internal = "internal",
    // SMTP accounts and the connection test (ulak-mail).
    SendRejected = "send.rejected",
    SendDeferred = "send.deferred",
    SendNetwork = "send.network",
    SendBuildFailed = "send.build_failed",
    SmtpSettingsIncomplete = "smtp.settings_incomplete",
    SmtpBadHost = "smtp.bad_host",
    SmtpBadPort = "smtp.bad_port",
    SmtpInsecureRemote = "smtp.insecure_remote",
    SmtpDuplicateAccount = "smtp.duplicate_account",
    SmtpManagedByIntegration = "smtp.managed_by_integration",
    SmtpAccountNotFound = "smtp.account_not_found",
    SmtpCaInvalid = "smtp.ca_invalid",
    SmtpPasswordAgain = "smtp.password_again",
    SmtpCaPrivateKey = "smtp.ca_private_key",
    SmtpUnknownHost = "smtp.unknown_host",
    SmtpConnectionRefused = "smtp.connection_refused",
    SmtpConnectFailed = "smtp.connect_failed",
    SmtpConnectTimeout = "smtp.connect_timeout",
    SmtpTlsFailed = "smtp.tls_failed",
    SmtpTlsModeMismatch = "smtp.tls_mode_mismatch",
    SmtpCertUntrusted = "smtp.cert_untrusted",
    SmtpCertNameMismatch = "smtp.cert_name_mismatch",
    SmtpCertExpired = "smtp.cert_expired",
    SmtpStarttlsUnsupported = "smtp.starttls_unsupported",
    SmtpAuthFailed = "smtp.auth_failed",
    SmtpAuthUnavailable = "smtp.auth_unavailable",
    SmtpAuthTemporary = "smtp.auth_temporary",
    SmtpTlsRequired = "smtp.tls_required",
    SmtpTimeout = "smtp.timeout",
    SmtpConnectionClosed = "smtp.connection_closed",
    SmtpNotSmtp = "smtp.not_smtp",
    SmtpRejected = "smtp.rejected",
    SmtpRelayRefused = "smtp.relay_refused",
    SmtpCaUnreadable = "smtp.ca_unreadable",
    SmtpTestFailed = "smtp.test_failed",
    // The command line's own.
    CliFileUnreadable = "cli.file_unreadable",
    CliFileUnwritable = "cli.file_unwritable",
    CliStdin = "cli.stdin",
    CliBadState = "cli.bad_state",
    AutoconfigNotFound = "autoconfig.not_found",
    AutoconfigNoAnswer = "autoconfig.no_answer",
    // Companies, contacts and their CSV import (ulak-crm).
    ValidationPhone = "validation.phone",
    CrmDuplicateCompany = "crm.duplicate_company",
    CrmDuplicateContact = "crm.duplicate_contact",
    CrmCompanyNotFound = "crm.company_not_found",
    CrmContactNotFound = "crm.contact_not_found",
    // Automations and CRM events (ulak-crm's automations, ulak-api's automations).
    AutomationNotFound = "automation.not_found",
    AutomationSheetsNotConnected = "automation.sheets_not_connected",
    AutomationNoRecipient = "automation.no_recipient",
    AutomationTooLate = "automation.too_late",
    AutomationDuplicate = "automation.duplicate",
    EventBadJson = "event.bad_json",
    ImportBadCsv = "import.bad_csv",
    ImportNoCompanyColumn = "import.no_company_column",
    // Templates, the composer and the outbox (ulak-outbox, ulak-mail's compose).
    TemplateUnknownVariable = "template.unknown_variable",
    TemplateNeedsContact = "template.needs_contact",
    TemplateSyntax = "template.syntax",
    TemplateDuplicate = "template.duplicate",
    TemplateNotFound = "template.not_found",
    OutboxNoRecipients = "outbox.no_recipients",
    OutboxBuildFailed = "outbox.build_failed",
    OutboxAttachmentsTooLarge = "outbox.attachments_too_large",
    OutboxDuplicate = "outbox.duplicate",
    OutboxNotFound = "outbox.not_found",
    OutboxNotRetryable = "outbox.not_retryable",
    OutboxBadDate = "outbox.bad_date",
    OutboxKeyReused = "outbox.key_reused",
    OutboxSomeFailed = "outbox.some_failed",
    OutboxBadLifetime = "outbox.bad_lifetime",
    OutboxNotCancellable = "outbox.not_cancellable",
    // The suppression list (ulak-outbox's suppression).
    SuppressNotListed = "suppress.not_listed",
    SuppressBadCsv = "suppress.bad_csv",
    // The webhook receiver (ulak-channels' inbound).
    InboundNotReceived = "inbound.not_received",
    InboundPortInUse = "inbound.port_in_use",
    ComposeBadAttachment = "compose.bad_attachment",
    ComposeCopiesEach = "compose.copies_each",
    ComposeBadSendAt = "compose.bad_send_at",
    // Campaigns (ulak-outbox's campaigns).
    CampaignNotFound = "campaign.not_found",
    CampaignDuplicate = "campaign.duplicate",
    CampaignBadWindow = "campaign.bad_window",
    CampaignBadZone = "campaign.bad_zone",
    CampaignNoAccounts = "campaign.no_accounts",
    CampaignNoRecipients = "campaign.no_recipients",
    CampaignBadState = "campaign.bad_state",
    // SMS (ulak-api's sms).
    SmsNoProvider = "sms.no_provider",
    // WhatsApp (ulak-channels' whatsapp).
    WhatsappTemplateName = "whatsapp.template_name",
    WhatsappLanguage = "whatsapp.language",
    WhatsappTooManyParams = "whatsapp.too_many_params",
    // Providers set up from their spec (ulak-channels' integrations).
    IntegrationUnknownProvider = "integration.unknown_provider",
    IntegrationIncomplete = "integration.incomplete",
    IntegrationUnknownField = "integration.unknown_field",
    IntegrationNotSetUp = "integration.not_set_up",
    IntegrationTestFailed = "integration.test_failed",
    // Webhook endpoints (ulak-channels' webhook).
    WebhookInsecure = "webhook.insecure",
    WebhookPrivateAddress = "webhook.private_address",
    WebhookEvents = "webhook.events",
    WebhookNotFound = "webhook.not_found",
    // OAuth sign-in (ulak-channels' oauth).
    OauthNotConfigured = "oauth.not_configured",
    OauthDeepLinkUnsupported = "oauth.deep_link_unsupported",
    OauthDenied = "oauth.denied",
    OauthStateMismatch = "oauth.state_mismatch",
    OauthBadRedirect = "oauth.bad_redirect",
    OauthTimeout = "oauth.timeout",
    OauthCancelled = "oauth.cancelled",
    OauthExchangeFailed = "oauth.exchange_failed",
    OauthReconnect = "oauth.reconnect",
    OauthUnreachable = "oauth.unreachable",
    OauthNotFound = "oauth.not_found",
    OauthListen = "oauth.listen",
    // Google Calendar (ulak-channels' calendar).
    CalendarBadTime = "calendar.bad_time",
    CalendarEndBeforeStart = "calendar.end_before_start",
    CalendarNotConnected = "calendar.not_connected",
    CalendarRefused = "calendar.refused",
    CalendarNotFound = "calendar.not_found",
    SheetsNotConnected = "sheets.not_connected",
    SheetsBadSpreadsheet = "sheets.bad_spreadsheet",
    SheetsRefused = "sheets.refused",
    GoogleContactsNotConnected = "google_contacts.not_connected",
    GoogleContactsRefused = "google_contacts.refused",
    DriveNotConnected = "drive.not_connected",
    DriveBadFolder = "drive.bad_folder",
    DriveRefused = "drive.refused",
    // Video meetings (ulak-channels' meeting): Zoom.
    MeetingNotConnected = "meeting.not_connected",
    MeetingSignIn = "meeting.sign_in",
    MeetingUnreachable = "meeting.unreachable",
    MeetingRefused = "meeting.refused",
    // The window's own: it cannot reach the backend, and checks made while typing.
    UiBackendUnreachable = "ui.backend_unreachable",
    ValidationPassphraseMismatch = "validation.passphrase_mismatch",
    ValidationEmailOrPhone = "validation.email_or_phone",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<ErrorCode> for &str {
    fn eq(&self, other: &ErrorCode) -> bool {
        *self == other.as_str()
    }
}

/// Implemented by every domain error so the edges (Tauri, CLI) map errors the same way.
pub trait UserFacing: std::error::Error {
    /// A stable code, e.g. `store.wrong_key`. The UI translates by it.
    fn code(&self) -> ErrorCode;
    /// What the user can do about it, in English (the UI has its own translated hints).
    fn hint(&self) -> Option<String> {
        None
    }
    /// The form field the error belongs to, if any.
    fn field(&self) -> Option<&'static str> {
        None
    }
    /// Every field the error is about (e.g. all the missing ones); `field` is the first.
    fn fields(&self) -> Vec<&'static str> {
        self.field().into_iter().collect()
    }
    /// The one value the message is about (a variable's or a file's name), so a
    /// translated message can name it too.
    fn detail(&self) -> Option<String> {
        None
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ErrorPayload {
    pub code: ErrorCode,
    pub message: String,
    pub hint: Option<String>,
    pub field: Option<String>,
    /// All the fields concerned, when there are several (missing settings).
    #[serde(default)]
    pub fields: Vec<String>,
    /// The value the message is about, e.g. the unknown template variable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl ErrorPayload {
    pub fn from_error<E: UserFacing + ?Sized>(e: &E) -> Self {
        ErrorPayload {
            code: e.code(),
            message: e.to_string(),
            hint: e.hint(),
            field: e.field().map(str::to_string),
            fields: e.fields().into_iter().map(str::to_string).collect(),
            detail: e.detail(),
        }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        ErrorPayload {
            code: ErrorCode::Internal,
            message: message.into(),
            hint: None,
            field: None,
            fields: Vec::new(),
            detail: None,
        }
    }
}

impl std::fmt::Display for ErrorPayload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} [{}]", self.message, self.code)?;
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_serializes_as_its_dotted_form_once() {
        let mut seen = std::collections::HashSet::new();
        for c in ErrorCode::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
            assert!(seen.insert(c.as_str()), "{c:?} twice");
            let back: ErrorCode = serde_json::from_value(c.as_str().into()).unwrap();
            assert_eq!(back, *c);
        }
        assert_eq!(ErrorCode::StoreWrongKey, "store.wrong_key");
    }

    #[derive(Debug, thiserror::Error)]
    #[error("the thing broke")]
    struct Broke;
    impl UserFacing for Broke {
        fn code(&self) -> ErrorCode {
            ErrorCode::Internal
        }
        fn hint(&self) -> Option<String> {
            Some("mend it".into())
        }
        fn field(&self) -> Option<&'static str> {
            Some("name")
        }
    }

    #[test]
    fn payload_serializes_code_message_hint_field() {
        let json = serde_json::to_value(ErrorPayload::from_error(&Broke)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "internal", "message": "the thing broke", "hint": "mend it", "field": "name", "fields": ["name"]})
        );
    }
}
