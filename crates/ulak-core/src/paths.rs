//! Where Ulak keeps its files: the platform's app-data dir unless `ULAK_DATA_DIR`
//! (or the CLI's `--data-dir`) says otherwise, so tests and profiles never collide.

use std::path::PathBuf;

/// Same as `identifier` in tauri.conf.json, so the app and the CLI agree.
pub const APP_IDENTIFIER: &str = "com.ulak.desktop";
pub const DATA_DIR_ENV: &str = "ULAK_DATA_DIR";

pub const DB_FILE: &str = "ulak.db";
pub const META_FILE: &str = "store.json";
pub const LOG_DIR: &str = "logs";

/// `explicit` (a CLI flag) wins, then `ULAK_DATA_DIR`, then the platform default.
pub fn resolve_data_dir(explicit: Option<PathBuf>) -> PathBuf {
    if let Some(p) = explicit {
        return p;
    }
    if let Some(p) = std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
        return PathBuf::from(p);
    }
    default_data_dir()
}

pub fn default_data_dir() -> PathBuf {
    match directories::BaseDirs::new() {
        Some(b) => b.data_dir().join(APP_IDENTIFIER),
        None => PathBuf::from(".").join(APP_IDENTIFIER),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_dir_wins_over_everything() {
        let p = resolve_data_dir(Some(PathBuf::from("/x/y")));
        assert_eq!(p, PathBuf::from("/x/y"));
    }

    #[test]
    fn default_dir_ends_with_identifier() {
        assert!(default_data_dir().ends_with(APP_IDENTIFIER));
    }
}
