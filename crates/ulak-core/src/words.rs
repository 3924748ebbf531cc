//! The words the desktop itself says outside the window (tray menu, notifications,
//! failure sentences), read from the UI's own dictionaries (`ui/src/lib/i18n/desktop/`),
//! so a sentence exists once, in both languages.

use std::sync::OnceLock;

use serde_json::Value;

use crate::settings::Language;

const TR: &str = include_str!("../../../ui/src/lib/i18n/desktop/tr.json");
const EN: &str = include_str!("../../../ui/src/lib/i18n/desktop/en.json");

fn dictionary(lang: Language) -> &'static Value {
    static TR_D: OnceLock<Value> = OnceLock::new();
    static EN_D: OnceLock<Value> = OnceLock::new();
    let (cell, src) = match lang {
        Language::Tr => (&TR_D, TR),
        Language::En => (&EN_D, EN),
    };
    // A test below parses both; a broken file cannot ship.
    cell.get_or_init(|| serde_json::from_str(src).unwrap_or(Value::Null))
}

/// The text at a dotted key (`tray.quit`), with `{name}` filled from `params`; the key
/// itself when the dictionary lacks it (a test checks every key the code uses).
pub fn text(lang: Language, key: &str, params: &[(&str, &str)]) -> String {
    let found = key
        .split('.')
        .try_fold(dictionary(lang), |node, part| node.get(part))
        .and_then(Value::as_str);
    let Some(template) = found else {
        return key.to_string();
    };
    let mut out = template.to_string();
    for (name, value) in params {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// Whether both dictionaries have a text at `key`.
pub fn has(key: &str) -> bool {
    [Language::Tr, Language::En].into_iter().all(|lang| {
        key.split('.')
            .try_fold(dictionary(lang), |node, part| node.get(part))
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_dictionaries_parse_and_fill_their_placeholders() {
        assert!(serde_json::from_str::<Value>(TR).is_ok());
        assert!(serde_json::from_str::<Value>(EN).is_ok());
        assert_eq!(
            text(Language::Tr, "tray.tip", &[("waiting", "3")]),
            "Ulak — 3 ileti bekliyor"
        );
        assert_eq!(text(Language::En, "tray.quit", &[]), "Quit");
        assert_eq!(text(Language::En, "tray.nope", &[]), "tray.nope");
        assert!(has("tray.resume"));
        assert!(!has("tray.nope"));
    }
}
