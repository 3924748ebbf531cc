//! A few megabytes of disk kept aside beside the store for the moment the disk fills:
//! a drain that has sent messages must still be able to record that it did, or the
//! next drain sends them again. When a write fails for want of space, the reserve is
//! given back to the disk, the outcomes are written, and the drain stops with a clear
//! `store.disk_full`. The reserve is made again at the next opening when there is room.

use std::io::Write;
use std::path::{Path, PathBuf};

use sqlx::SqlitePool;

pub const RESERVE_FILE: &str = "ulak.reserve";
/// Enough for the WAL frames of several batches' outcomes.
pub const RESERVE_BYTES: usize = 4 << 20;

/// Makes the reserve in `dir` unless it is there; best effort (a disk already short of
/// room gets none, and nothing fails for it).
pub fn ensure(dir: &Path) {
    let path = dir.join(RESERVE_FILE);
    if std::fs::metadata(&path).is_ok_and(|m| m.len() == RESERVE_BYTES as u64) {
        return;
    }
    let partial = dir.join(format!("{RESERVE_FILE}.partial"));
    let made = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&partial)?;
        // Written, not just sized: a sparse file would hold no blocks to give back.
        let chunk = vec![0u8; 1 << 20];
        for _ in 0..RESERVE_BYTES / chunk.len() {
            f.write_all(&chunk)?;
        }
        f.sync_all()?;
        crate::paths::private_file(&partial)?;
        std::fs::rename(&partial, &path)
    })();
    if let Err(e) = made {
        let _ = std::fs::remove_file(&partial);
        tracing::warn!(error = %e, "no room for the store's disk reserve");
    }
}

/// Gives the reserve's space back to the disk; whether there was one.
pub fn release(dir: &Path) -> bool {
    let freed = std::fs::remove_file(dir.join(RESERVE_FILE)).is_ok();
    if freed {
        tracing::warn!("the disk is full: the store's reserve was given back to record outcomes");
    }
    freed
}

/// The folder of the store file behind `pool`.
pub async fn data_dir_of(pool: &SqlitePool) -> Option<PathBuf> {
    let file: Option<String> =
        sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
            .fetch_optional(pool)
            .await
            .ok()
            .flatten();
    file.filter(|f| !f.is_empty())
        .and_then(|f| Path::new(&f).parent().map(Path::to_path_buf))
}

/// Gives back the reserve of the store behind `pool`; whether there was one.
pub async fn release_for(pool: &SqlitePool) -> bool {
    match data_dir_of(pool).await {
        Some(dir) => release(&dir),
        None => false,
    }
}
