//! "Test kutusu": the built-in account that sends nothing. Each message is written as
//! an .eml file under `<data dir>/sandbox/`, so the composer, templates and history can
//! be tried on a fresh install without a real send.

use std::path::{Path, PathBuf};

use crate::queue::{Claimed, Outcome};

pub const DIR: &str = "sandbox";

/// The file a message lands in: its id and Message-ID, safe as a file name.
pub fn path_for(data_dir: &Path, c: &Claimed) -> PathBuf {
    let mid: String = c
        .message_id
        .chars()
        .map(|ch| {
            if ch.is_ascii_alphanumeric() || ch == '.' || ch == '-' {
                ch
            } else {
                '_'
            }
        })
        .collect();
    data_dir.join(DIR).join(format!("{:08}-{mid}.eml", c.id))
}

/// Writes the exact bytes that would have been sent, atomically (temp file + rename).
pub fn deliver(data_dir: &Path, c: &Claimed) -> Outcome {
    let path = path_for(data_dir, c);
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(path.parent().expect("has a parent"))?;
        let tmp = path.with_extension("eml.tmp");
        std::fs::write(&tmp, &c.raw)?;
        std::fs::rename(&tmp, &path)
    };
    match write() {
        Ok(()) => Outcome::Sent {
            reply: format!("sandbox: saved as {}", path.display()),
        },
        Err(e) => Outcome::Transient {
            reason: format!("sandbox: cannot write {}: {e}", path.display()),
        },
    }
}
