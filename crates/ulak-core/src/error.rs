//! The one error shape that crosses into the UI and the CLI: a stable `code`,
//! a plain message, an optional hint and the form field it belongs to.

use serde::{Deserialize, Serialize};

/// Implemented by every domain error so the edges (Tauri, CLI) map errors the same way.
pub trait UserFacing: std::error::Error {
    /// A stable, dotted code, e.g. `store.wrong_key`. The UI translates by it.
    fn code(&self) -> &'static str;
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
    pub code: String,
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
            code: e.code().to_string(),
            message: e.to_string(),
            hint: e.hint(),
            field: e.field().map(str::to_string),
            fields: e.fields().into_iter().map(str::to_string).collect(),
            detail: e.detail(),
        }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        ErrorPayload {
            code: "internal".into(),
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

    #[derive(Debug, thiserror::Error)]
    #[error("the thing broke")]
    struct Broke;
    impl UserFacing for Broke {
        fn code(&self) -> &'static str {
            "test.broke"
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
            serde_json::json!({"code": "test.broke", "message": "the thing broke", "hint": "mend it", "field": "name", "fields": ["name"]})
        );
    }
}
