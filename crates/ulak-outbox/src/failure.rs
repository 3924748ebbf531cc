//! Why a send did not go, as its provider said it: a kind the retry policy reads, a
//! stable code the window and the notifications word (one dictionary, keyed by code),
//! and the provider's own text beside them. Providers build these; nothing parses a
//! stored string to learn what went wrong.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// What the outbox does about a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum Kind {
    /// Worth another try later (a 4xx, a dropped connection mid-dialogue).
    Transient,
    /// Another try will not mend it (a 5xx, an unknown recipient).
    Permanent,
    /// The provider refused the account's sign-in: the salesperson must act.
    SignIn,
    /// The provider asks to slow down; `retry_after` says for how long, if it said.
    RateLimited,
    /// The provider could not be reached (refused, timed out, closed).
    Unreachable,
    /// The secure connection failed (handshake, certificate).
    Tls,
    /// The provider's policy refused the message (spam filter, sender not allowed).
    Policy,
}

impl Kind {
    /// Whether the outbox tries again by itself.
    pub fn retries(self) -> bool {
        matches!(
            self,
            Kind::Transient | Kind::RateLimited | Kind::Unreachable | Kind::Tls
        )
    }
}

/// The closed set of failure codes the UI has words for (`history.why.<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum FailureCode {
    /// The address or number does not exist at the recipient's side.
    NoSuchRecipient,
    /// The recipient's mailbox is full.
    MailboxFull,
    /// The message (with its attachments) is too large.
    TooLarge,
    /// The server will not pass mail on for this sender.
    RelayDenied,
    /// Refused by the provider's policy.
    Refused,
    /// The sign-in was not accepted.
    SignIn,
    /// The account's OAuth connection was withdrawn (a refused refresh): it must be
    /// connected again.
    Reconnect,
    /// The provider is busy or limiting; the outbox tries again by itself.
    ServerBusy,
    /// The provider could not be reached.
    Unreachable,
    /// The secure connection failed.
    Tls,
    /// The message could not be put in the provider's form (a bad address or number).
    Unsendable,
    /// The account the message was queued for is gone or unreadable.
    AccountMissing,
    /// The sandbox ("Test kutusu") could not write its file.
    SandboxWrite,
    /// WhatsApp: free text outside the 24-hour customer-service window; only an
    /// approved template goes.
    OutsideWindow,
    /// WhatsApp: the template is unknown, not approved in that language, or its
    /// parameters do not fit it.
    TemplateInvalid,
    /// A webhook's host is a private or local address the endpoint does not allow.
    BlockedAddress,
    /// The message was cancelled (by the user, or with its campaign) before it went.
    Cancelled,
    /// Ulak stopped (crashed or was killed) several times while sending this message:
    /// it was set aside so that the rest of the queue goes; the user may retry it.
    SetAside,
    /// A recipient is on the workspace's suppression list (unsubscribed, refused
    /// through İYS, a hard bounce, added by hand): the message was not sent.
    Suppressed,
    /// Anything else: the provider's words are all there is.
    Other,
}

impl FailureCode {
    pub const ALL: [FailureCode; 20] = [
        FailureCode::NoSuchRecipient,
        FailureCode::MailboxFull,
        FailureCode::TooLarge,
        FailureCode::RelayDenied,
        FailureCode::Refused,
        FailureCode::SignIn,
        FailureCode::Reconnect,
        FailureCode::ServerBusy,
        FailureCode::Unreachable,
        FailureCode::Tls,
        FailureCode::Unsendable,
        FailureCode::AccountMissing,
        FailureCode::SandboxWrite,
        FailureCode::OutsideWindow,
        FailureCode::TemplateInvalid,
        FailureCode::BlockedAddress,
        FailureCode::Cancelled,
        FailureCode::SetAside,
        FailureCode::Suppressed,
        FailureCode::Other,
    ];

    /// As stored and as the UI's dictionary keys it.
    pub fn as_str(self) -> &'static str {
        match self {
            FailureCode::NoSuchRecipient => "noSuchRecipient",
            FailureCode::MailboxFull => "mailboxFull",
            FailureCode::TooLarge => "tooLarge",
            FailureCode::RelayDenied => "relayDenied",
            FailureCode::Refused => "refused",
            FailureCode::SignIn => "signIn",
            FailureCode::Reconnect => "reconnect",
            FailureCode::ServerBusy => "serverBusy",
            FailureCode::Unreachable => "unreachable",
            FailureCode::Tls => "tls",
            FailureCode::Unsendable => "unsendable",
            FailureCode::AccountMissing => "accountMissing",
            FailureCode::SandboxWrite => "sandboxWrite",
            FailureCode::OutsideWindow => "outsideWindow",
            FailureCode::TemplateInvalid => "templateInvalid",
            FailureCode::BlockedAddress => "blockedAddress",
            FailureCode::Cancelled => "cancelled",
            FailureCode::SetAside => "setAside",
            FailureCode::Suppressed => "suppressed",
            FailureCode::Other => "other",
        }
    }

    /// A stored code; one this release does not know reads as `Other`.
    pub fn parse(s: &str) -> FailureCode {
        FailureCode::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .unwrap_or(FailureCode::Other)
    }
}

/// A provider's "no": what the outbox records and decides on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub kind: Kind,
    pub code: FailureCode,
    /// The provider's own words (an SMTP reply, an API's error message): shown beside
    /// the code's sentence, never parsed.
    pub text: String,
    /// How long the provider asked us to wait (rate limits), if it said.
    pub retry_after: Option<Duration>,
}

impl Failure {
    pub fn new(kind: Kind, code: FailureCode, text: impl Into<String>) -> Self {
        Failure {
            kind,
            code,
            text: text.into(),
            retry_after: None,
        }
    }

    pub fn transient(code: FailureCode, text: impl Into<String>) -> Self {
        Failure::new(Kind::Transient, code, text)
    }

    pub fn permanent(code: FailureCode, text: impl Into<String>) -> Self {
        Failure::new(Kind::Permanent, code, text)
    }

    /// The wait the provider asked for, if it did.
    pub fn retry_after(mut self, wait: Option<Duration>) -> Self {
        self.retry_after = wait;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_ones_read_as_other() {
        for c in FailureCode::ALL {
            assert_eq!(FailureCode::parse(c.as_str()), c);
            assert_eq!(
                serde_json::to_value(c).unwrap(),
                serde_json::Value::String(c.as_str().into()),
                "the stored form is the serialized form"
            );
        }
        assert_eq!(FailureCode::parse("fromTheFuture"), FailureCode::Other);
    }

    #[test]
    fn only_what_can_mend_itself_is_retried() {
        assert!(Kind::Transient.retries());
        assert!(Kind::RateLimited.retries());
        assert!(Kind::Unreachable.retries());
        assert!(!Kind::Permanent.retries());
        assert!(!Kind::SignIn.retries());
        assert!(!Kind::Policy.retries());
    }
}
