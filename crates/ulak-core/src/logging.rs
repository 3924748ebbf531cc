//! Logs: `tracing` to stderr and to a daily-rolling file under `<data dir>/logs`.
//! Secrets are typed (`SecretString`, `StoreKey`) so they cannot reach a log line.

use std::path::Path;

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter, Layer};

pub use tracing_appender::non_blocking::WorkerGuard;

pub const LOG_ENV: &str = "ULAK_LOG";

/// `stderr_default` is the stderr filter when `ULAK_LOG` is unset (the CLI keeps
/// stderr quiet); the file always gets `ULAK_LOG` or `info`. Keep the guard alive.
pub fn init(data_dir: Option<&Path>, stderr_default: &str) -> Option<WorkerGuard> {
    let env = std::env::var(LOG_ENV).ok().filter(|s| !s.is_empty());
    // sqlx logs each statement at debug; keep it at warn unless asked for explicitly.
    let filter = |default: &str| {
        EnvFilter::try_new(env.as_deref().unwrap_or(default))
            .unwrap_or_else(|_| EnvFilter::new(default))
    };
    let stderr = fmt::layer()
        .with_writer(std::io::stderr)
        .with_filter(filter(stderr_default));

    let (file, guard) = match data_dir.and_then(file_writer) {
        Some((w, g)) => (
            Some(
                fmt::layer()
                    .with_ansi(false)
                    .with_writer(w)
                    .with_filter(filter("info,sqlx=warn")),
            ),
            Some(g),
        ),
        None => (None, None),
    };
    let _ = tracing_subscriber::registry()
        .with(stderr)
        .with(file)
        .try_init();
    guard
}

fn file_writer(
    data_dir: &Path,
) -> Option<(tracing_appender::non_blocking::NonBlocking, WorkerGuard)> {
    // The logs say which companies were written to: the owner's alone, as the store.
    crate::paths::private_dir(data_dir).ok()?;
    let dir = data_dir.join(crate::paths::LOG_DIR);
    crate::paths::private_dir(&dir).ok()?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("ulak")
        .filename_suffix("log")
        .max_log_files(14)
        .build(&dir)
        .ok()?;
    Some(tracing_appender::non_blocking(appender))
}
