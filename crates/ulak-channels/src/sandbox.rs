//! What every channel's sandbox ("Test kutusu") shares: a file per message under
//! `<data dir>/sandbox/`, written atomically, named by the message's id and reference;
//! and e-mail's sandbox, which writes the exact .eml that would have been sent.

use std::path::{Path, PathBuf};

use ulak_outbox::failure::{Failure, FailureCode};
use ulak_outbox::queue::{Claimed, Outcome};

pub const DIR: &str = "sandbox";

/// Where a sandboxed message lands: `<data dir>/sandbox/[<sub>/]<id>-<reference>.<ext>`.
pub fn file(data_dir: &Path, sub: Option<&str>, id: i64, reference: &str, ext: &str) -> PathBuf {
    let safe: String = reference
        .chars()
        .map(|ch| {
            if ch.is_ascii_alphanumeric() || ch == '.' || ch == '-' {
                ch
            } else {
                '_'
            }
        })
        .collect();
    let mut dir = data_dir.join(DIR);
    if let Some(sub) = sub {
        dir = dir.join(sub);
    }
    dir.join(format!("{id:08}-{safe}.{ext}"))
}

/// Writes `bytes` to `path` (temp file + rename): the message is "sent" when the file
/// is whole. A disk that refuses is a failure worth retrying.
pub fn write(path: &Path, bytes: &[u8]) -> Outcome {
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(path.parent().expect("has a parent"))?;
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, path)
    };
    match write() {
        Ok(()) => Outcome::Sent {
            reply: format!("sandbox: saved as {}", path.display()),
        },
        Err(e) => Outcome::Failed(Failure::transient(
            FailureCode::SandboxWrite,
            format!("sandbox: cannot write {}: {e}", path.display()),
        )),
    }
}

/// The .eml file an e-mail lands in (its Message-ID in the name).
pub fn email_path(data_dir: &Path, c: &Claimed) -> PathBuf {
    file(data_dir, None, c.id, &c.reference, "eml")
}

/// E-mail's sandbox: the exact bytes that would have been sent.
pub fn email(data_dir: &Path, c: &Claimed) -> Outcome {
    write(&email_path(data_dir, c), &c.payload)
}

/// Removes the sandbox's files (every channel's) last written more than `keep` before
/// `now`: test messages pile up otherwise, each with a customer's address in it.
/// Returns how many went; a file that cannot be read or removed is left.
pub fn clean(data_dir: &Path, keep: std::time::Duration, now: std::time::SystemTime) -> usize {
    fn walk(dir: &Path, before: std::time::SystemTime, gone: &mut usize) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let path = e.path();
            let Ok(meta) = e.metadata() else { continue };
            if meta.is_dir() {
                walk(&path, before, gone);
            } else if meta.modified().is_ok_and(|m| m < before)
                && std::fs::remove_file(&path).is_ok()
            {
                *gone += 1;
            }
        }
    }
    let mut gone = 0;
    if let Some(before) = now.checked_sub(keep) {
        walk(&data_dir.join(DIR), before, &mut gone);
    }
    gone
}

#[cfg(test)]
mod clean_tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    #[test]
    fn files_older_than_the_age_kept_are_removed_in_every_channels_folder() {
        let d = tempfile::tempdir().unwrap();
        let day = Duration::from_secs(24 * 3600);
        let now = SystemTime::now();
        let old = file(d.path(), None, 1, "eski@ulak", "eml");
        let old_sms = file(d.path(), Some("sms"), 2, "eski", "json");
        let fresh = file(d.path(), None, 3, "yeni@ulak", "eml");
        for (p, age) in [(&old, 40), (&old_sms, 31), (&fresh, 2)] {
            assert!(matches!(write(p, b"x"), Outcome::Sent { .. }));
            std::fs::File::options()
                .write(true)
                .open(p)
                .unwrap()
                .set_modified(now - day * age)
                .unwrap();
        }
        assert_eq!(clean(d.path(), day * 30, now), 2);
        assert!(!old.exists() && !old_sms.exists());
        assert!(fresh.exists(), "a file within the age stays");
        assert_eq!(clean(d.path(), day * 30, now), 0);
    }
}
