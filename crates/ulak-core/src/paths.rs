//! Where Ulak keeps its files: the platform's app-data dir unless `ULAK_DATA_DIR`
//! (or the CLI's `--data-dir`) says otherwise, so tests and profiles never collide.

use std::path::{Path, PathBuf};

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

/// Creates `dir` (and any parents it lacks) and makes it its owner's alone (0700): the
/// store, its key description, the logs and the sandbox's .eml files live under it.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    restrict(dir, 0o700)
}

/// Makes a file its owner's alone (0600). SQLite creates the -wal and -shm files with
/// the database file's mode, so the store's own file is enough for those.
pub fn private_file(path: &Path) -> std::io::Result<()> {
    restrict(path, 0o600)
}

#[cfg(unix)]
fn restrict(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let now = std::fs::metadata(path)?.permissions().mode() & 0o777;
    if now != mode {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn restrict(_path: &Path, _mode: u32) -> std::io::Result<()> {
    // Windows and macOS user profiles are already private to their user.
    Ok(())
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
