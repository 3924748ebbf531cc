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
