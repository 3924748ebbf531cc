//! The encrypted local store: SQLCipher through sqlx, a random 256-bit key kept in the
//! OS keyring (or derived from a passphrase with Argon2id), migrations from `migrations/`.
//! Opening never modifies or deletes an existing file when something is wrong.

mod key;
mod meta;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, SqlitePool};

use crate::paths::{DB_FILE, META_FILE};
use crate::vault::{Vault, VaultError};
use crate::{ErrorCode, UserFacing};

pub use key::StoreKey;
pub use meta::{KdfParams, StoreMeta};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum KeySource {
    Keyring,
    Passphrase,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the OS keyring is not available ({reason})")]
    KeyringUnavailable { reason: String, store_exists: bool },
    #[error("the store's key is not in the OS keyring")]
    KeyMissing,
    #[error("this store is protected by a passphrase; enter it to open")]
    PassphraseRequired,
    #[error("the passphrase or key does not open this store")]
    WrongKey,
    #[error("the store file {path} is damaged or is not an Ulak store")]
    Corrupt { path: PathBuf },
    #[error("{path} exists but its key description ({META_FILE}) is missing or unreadable")]
    MetaMissing { path: PathBuf },
    #[error("the data folder {path} cannot be written to")]
    DataDirNotWritable { path: PathBuf },
    #[error("the store is locked")]
    NotOpen,
    #[error("the passphrase must be at least {min} characters")]
    PassphraseTooShort { min: usize },
    #[error("file error at {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl UserFacing for StoreError {
    fn code(&self) -> ErrorCode {
        match self {
            StoreError::KeyringUnavailable { .. } => ErrorCode::StoreKeyringUnavailable,
            StoreError::KeyMissing => ErrorCode::StoreKeyMissing,
            StoreError::PassphraseRequired => ErrorCode::StorePassphraseRequired,
            StoreError::WrongKey => ErrorCode::StoreWrongKey,
            StoreError::Corrupt { .. } => ErrorCode::StoreCorrupt,
            StoreError::MetaMissing { .. } => ErrorCode::StoreMetaMissing,
            StoreError::DataDirNotWritable { .. } => ErrorCode::StoreDataDirNotWritable,
            StoreError::PassphraseTooShort { .. } => ErrorCode::StorePassphraseTooShort,
            StoreError::NotOpen => ErrorCode::StoreNotOpen,
            _ if self.is_disk_full() => ErrorCode::StoreDiskFull,
            _ if self.is_corrupt() => ErrorCode::StoreCorrupt,
            StoreError::Io { .. } => ErrorCode::StoreIo,
            StoreError::Database(_) | StoreError::Migrate(_) => ErrorCode::StoreDatabase,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            StoreError::KeyringUnavailable { store_exists: false, .. } => {
                "Unlock your desktop keyring (GNOME Keyring, KWallet) and try again, or protect the store with a passphrase instead.".into()
            }
            StoreError::KeyringUnavailable { store_exists: true, .. } => {
                "Unlock your desktop keyring (GNOME Keyring, KWallet) and start Ulak again.".into()
            }
            StoreError::KeyMissing => "The keyring entry \"Ulak\" was removed; without it the store cannot be opened. Restore the keyring from a backup, or choose another data folder.".into(),
            StoreError::PassphraseRequired => "Enter the passphrase (CLI: set ULAK_DB_PASSPHRASE).".into(),
            StoreError::WrongKey => "Check the passphrase and try again; nothing was changed.".into(),
            StoreError::Corrupt { .. } => "The file was left as it is. Restore it from a backup, or choose another data folder.".into(),
            StoreError::MetaMissing { .. } => "Restore store.json from a backup next to ulak.db; the database was left as it is.".into(),
            StoreError::DataDirNotWritable { .. } => "Give your user write permission on the folder, or choose another one with ULAK_DATA_DIR.".into(),
            StoreError::PassphraseTooShort { .. } => "Use a longer passphrase; a short sentence is easy to remember.".into(),
            StoreError::NotOpen => "Unlock the store first.".into(),
            _ if self.is_corrupt() => "The store file is damaged; it was left as it is. Restore it from a backup (ulak.db.before-… beside it is the copy made before the last update), or choose another data folder.".into(),
            _ if self.is_disk_full() => "The disk holding Ulak's data folder is full. Free some space (empty the trash, delete large downloads), then try again; nothing queued was lost.".into(),
            StoreError::Io { .. } => "Check that the disk is not full and the folder is accessible.".into(),
            StoreError::Database(_) | StoreError::Migrate(_) => return None,
        })
    }

    fn field(&self) -> Option<&'static str> {
        match self {
            StoreError::WrongKey | StoreError::PassphraseTooShort { .. } => Some("passphrase"),
            _ => None,
        }
    }
}

impl StoreError {
    /// The disk is full: SQLite's SQLITE_FULL (13), a shared-memory file it could not
    /// grow (SQLITE_IOERR_SHMSIZE, 4874), or a file write that met ENOSPC.
    pub fn is_disk_full(&self) -> bool {
        match self {
            StoreError::Database(sqlx::Error::Database(d)) => d
                .code()
                .and_then(|c| c.parse::<i64>().ok())
                .is_some_and(|c| c & 0xff == 13 || c == 4874),
            StoreError::Io { source, .. } => source.kind() == std::io::ErrorKind::StorageFull,
            _ => false,
        }
    }

    /// The file is damaged, wherever SQLite (or SQLCipher's page check) found it:
    /// SQLITE_CORRUPT (11) or SQLITE_NOTADB (26), in a query or inside a migration.
    pub fn is_corrupt(&self) -> bool {
        fn damaged(e: &sqlx::Error) -> bool {
            matches!(e, sqlx::Error::Database(d) if d
                .code()
                .and_then(|c| c.parse::<i64>().ok())
                .is_some_and(|c| matches!(c & 0xff, 11 | 26)))
        }
        match self {
            StoreError::Corrupt { .. } => true,
            StoreError::Database(e) => damaged(e),
            StoreError::Migrate(
                sqlx::migrate::MigrateError::Execute(e)
                | sqlx::migrate::MigrateError::ExecuteMigration(e, _),
            ) => damaged(e),
            _ => false,
        }
    }

    fn io(path: &Path, source: std::io::Error) -> Self {
        if matches!(
            source.kind(),
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
        ) {
            StoreError::DataDirNotWritable {
                path: path.to_path_buf(),
            }
        } else {
            StoreError::Io {
                path: path.to_path_buf(),
                source,
            }
        }
    }
}

pub const MIN_PASSPHRASE_CHARS: usize = crate::validate::LIMITS.passphrase_min;

/// How to open (or create) a store.
pub struct OpenOptions<'a> {
    pub data_dir: PathBuf,
    /// When set: create a passphrase store, or open one. When unset: the keyring.
    pub passphrase: Option<SecretString>,
    pub vault: &'a dyn Vault,
    /// Argon2id cost for new passphrase stores (tests lower it).
    pub kdf: KdfParams,
}

impl<'a> OpenOptions<'a> {
    pub fn new(data_dir: impl Into<PathBuf>, vault: &'a dyn Vault) -> Self {
        OpenOptions {
            data_dir: data_dir.into(),
            passphrase: None,
            vault,
            kdf: KdfParams::default(),
        }
    }

    pub fn passphrase(mut self, p: Option<SecretString>) -> Self {
        self.passphrase = p;
        self
    }
}

#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    data_dir: PathBuf,
    key_source: KeySource,
}

/// What is on disk before opening.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Presence {
    pub meta: bool,
    pub db: bool,
}

impl Presence {
    pub fn of(data_dir: &Path) -> Self {
        Presence {
            meta: data_dir.join(META_FILE).exists(),
            db: data_dir.join(DB_FILE).exists(),
        }
    }
    pub fn store_exists(&self) -> bool {
        self.meta || self.db
    }
}

/// Peeks at the meta file to tell which key a store wants, without opening it.
pub fn key_source_of(data_dir: &Path) -> Option<KeySource> {
    StoreMeta::read(&data_dir.join(META_FILE))
        .ok()
        .map(|m| m.key_source)
}

impl Store {
    pub async fn open(opts: OpenOptions<'_>) -> Result<Store, StoreError> {
        let dir = opts.data_dir.clone();
        ensure_writable_dir(&dir)?;
        let meta_path = dir.join(META_FILE);
        let db_path = dir.join(DB_FILE);
        let presence = Presence::of(&dir);

        let (meta, key) = match (presence.meta, presence.db) {
            (false, true) => return Err(StoreError::MetaMissing { path: db_path }),
            (false, false) => create_key(&opts, &meta_path)?,
            (true, _) => {
                let meta = StoreMeta::read(&meta_path).map_err(|_| StoreError::MetaMissing {
                    path: db_path.clone(),
                })?;
                let key = unlock_key(&opts, &meta)?;
                (meta, key)
            }
        };

        // On a full disk SQLite cannot make its shared-memory file: the reserve's
        // space is given back so the store still opens (reading works; a write then
        // says store.disk_full).
        let pool = match connect(&db_path, &key, !presence.db).await {
            Err(e) if e.is_disk_full() && reserve::release(&dir) => {
                connect(&db_path, &key, !presence.db).await?
            }
            r => r?,
        };
        let ready = async {
            crate::paths::private_file(&db_path).map_err(|e| StoreError::io(&db_path, e))?;
            // A new store's -wal and -shm were made before its file was closed to
            // others; later ones copy the store file's mode.
            for side in ["ulak.db-wal", "ulak.db-shm"] {
                let p = dir.join(side);
                if p.exists() {
                    crate::paths::private_file(&p).map_err(|e| StoreError::io(&p, e))?;
                }
            }
            crate::paths::private_file(&meta_path).map_err(|e| StoreError::io(&meta_path, e))?;
            if presence.db {
                backup_before_migrating(&pool, &db_path, &MIGRATOR).await?;
            }
            migrate(&pool).await?;
            Ok::<_, StoreError>(())
        }
        .await;
        if let Err(e) = ready {
            pool.close().await;
            // Damage found past the first page (a flipped byte, a zeroed page) is the
            // same clear error as a file that is no database at all.
            return Err(if e.is_corrupt() {
                StoreError::Corrupt { path: db_path }
            } else {
                e
            });
        }
        reserve::ensure(&dir);
        tracing::info!(data_dir = %dir.display(), key_source = ?meta.key_source, "store opened");
        Ok(Store {
            pool,
            data_dir: dir,
            key_source: meta.key_source,
        })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn key_source(&self) -> KeySource {
        self.key_source
    }

    /// Folds the WAL back into ulak.db, then closes every connection, so the file on
    /// disk is complete even if a connection is still winding down.
    pub async fn close(self) {
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.pool)
            .await
        {
            tracing::warn!(error = %e, "checkpoint before close failed");
        }
        self.pool.close().await;
    }
}

/// Runs the migrations on a connection of their own, opened as the store's are but with
/// foreign keys off, as SQLite's procedure for changing a table's definition asks: a
/// table rebuilt (dropped, its copy renamed) must not cascade its drop into the rows
/// that refer to it. A `foreign_key_check` afterwards names any row a migration left
/// pointing nowhere (in the log: the store still opens, as it did before), when a
/// migration ran.
pub async fn migrate(pool: &SqlitePool) -> Result<(), StoreError> {
    let options = (*pool.connect_options()).clone().foreign_keys(false);
    let own = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await?;
    let applied = |pool: SqlitePool| async move {
        // No table yet: a new store.
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM _sqlx_migrations")
            .fetch_one(&pool)
            .await
            .unwrap_or(0)
    };
    let ran = async {
        let before = applied(own.clone()).await;
        MIGRATOR.run(&own).await?;
        // Checked only when a migration ran: the check reads every referring table.
        if applied(own.clone()).await == before {
            return Ok(());
        }
        let broken: Vec<(String, Option<i64>, String)> =
            sqlx::query_as("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check")
                .fetch_all(&own)
                .await?;
        for (table, rowid, parent) in broken.iter().take(20) {
            tracing::error!(table, rowid, parent, "a row refers to a missing row");
        }
        Ok::<_, StoreError>(())
    }
    .await;
    own.close().await;
    ran
}

/// The backup a migration leaves beside the store: `ulak.db.before-<version>`, the
/// last applied migration's version.
pub const BACKUP_PREFIX: &str = "ulak.db.before-";

/// Before `migrator` changes an existing store, copies its file (folded: the WAL
/// checkpointed into it first) to `ulak.db.before-<version>`, still encrypted, and
/// removes older such copies: the last backup is kept. Nothing to apply, no copy.
/// Returns the backup's path when one was made.
pub async fn backup_before_migrating(
    pool: &SqlitePool,
    db_path: &Path,
    migrator: &sqlx::migrate::Migrator,
) -> Result<Option<PathBuf>, StoreError> {
    let applied: Vec<i64> = match sqlx::query_scalar("SELECT version FROM _sqlx_migrations")
        .fetch_all(pool)
        .await
    {
        Ok(v) => v,
        // No table: a store no migration has touched yet, nothing worth a copy.
        Err(_) => return Ok(None),
    };
    let pending = migrator
        .iter()
        .any(|m| !m.migration_type.is_down_migration() && !applied.contains(&m.version));
    if !pending {
        return Ok(None);
    }
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(pool)
        .await?;
    let dir = db_path.parent().unwrap_or(Path::new("."));
    let version = applied.iter().max().copied().unwrap_or(0);
    let backup = dir.join(format!("{BACKUP_PREFIX}{version:04}"));
    let partial = dir.join(format!("{BACKUP_PREFIX}{version:04}.partial"));
    std::fs::copy(db_path, &partial).map_err(|e| StoreError::io(&partial, e))?;
    crate::paths::private_file(&partial).map_err(|e| StoreError::io(&partial, e))?;
    std::fs::rename(&partial, &backup).map_err(|e| StoreError::io(&backup, e))?;
    for e in std::fs::read_dir(dir)
        .map_err(|e| StoreError::io(dir, e))?
        .flatten()
    {
        let p = e.path();
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with(BACKUP_PREFIX) && p != backup {
            let _ = std::fs::remove_file(&p);
        }
    }
    tracing::info!(backup = %backup.display(), "store copied before its migration");
    Ok(Some(backup))
}

fn ensure_writable_dir(dir: &Path) -> Result<(), StoreError> {
    crate::paths::private_dir(dir).map_err(|e| StoreError::io(dir, e))?;
    // WAL needs to create -wal/-shm files beside the database, so a read-only folder
    // fails later with a misleading "database is locked"; find out now instead.
    let probe = dir.join(format!(".ulak-write-probe-{}", std::process::id()));
    std::fs::write(&probe, b"").map_err(|e| StoreError::io(dir, e))?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

fn create_key(
    opts: &OpenOptions<'_>,
    meta_path: &Path,
) -> Result<(StoreMeta, StoreKey), StoreError> {
    let store_id = hex::encode(rand::random::<[u8; 16]>());
    let (meta, key) = match &opts.passphrase {
        Some(p) => {
            let kdf = opts.kdf.with_fresh_salt();
            let key = StoreKey::derive(p, &kdf)?;
            (
                StoreMeta::new(store_id, KeySource::Passphrase, Some(kdf), &key),
                key,
            )
        }
        None => {
            let key = StoreKey::random();
            let meta = StoreMeta::new(store_id, KeySource::Keyring, None, &key);
            opts.vault
                .set(&meta.keyring_account(), &key.to_secret_hex())
                .map_err(|e| keyring_unavailable(e, false))?;
            (meta, key)
        }
    };
    // The key is safely kept before the meta file says where to find it.
    meta.write(meta_path)
        .map_err(|e| StoreError::io(meta_path, e))?;
    Ok((meta, key))
}

fn unlock_key(opts: &OpenOptions<'_>, meta: &StoreMeta) -> Result<StoreKey, StoreError> {
    let key = match meta.key_source {
        KeySource::Passphrase => {
            let p = opts
                .passphrase
                .as_ref()
                .ok_or(StoreError::PassphraseRequired)?;
            let kdf = meta.kdf.as_ref().ok_or_else(|| StoreError::MetaMissing {
                path: opts.data_dir.join(DB_FILE),
            })?;
            StoreKey::derive(p, kdf)?
        }
        KeySource::Keyring => {
            let hex = opts
                .vault
                .get(&meta.keyring_account())
                .map_err(|e| keyring_unavailable(e, true))?
                .ok_or(StoreError::KeyMissing)?;
            StoreKey::from_secret_hex(&hex).ok_or(StoreError::KeyMissing)?
        }
    };
    if !meta.key_matches(&key) {
        return Err(StoreError::WrongKey);
    }
    Ok(key)
}

fn keyring_unavailable(e: VaultError, store_exists: bool) -> StoreError {
    StoreError::KeyringUnavailable {
        reason: e.to_string(),
        store_exists,
    }
}

async fn connect(db_path: &Path, key: &StoreKey, create: bool) -> Result<SqlitePool, StoreError> {
    // SQLCipher's OpenSSL, initialised before its first use without an exit handler:
    // otherwise OpenSSL's atexit cleanup races the sqlx worker threads still freeing
    // their cipher state as the process ends (openssl/openssl#3505), which showed here
    // once as "double free or corruption" when a CLI run exited.
    openssl_sys::init();
    let opts = SqliteConnectOptions::from_str("sqlite://")?
        .filename(db_path)
        .create_if_missing(create)
        // sqlx applies `key` before every other pragma.
        .pragma("key", key.pragma_value())
        .pragma("cipher_log_level", "NONE")
        // Every page read is decrypted and checked: 8 MiB of cache a connection (SQLite's
        // default is 2) keeps a bulk send's index and queue pages from being read again.
        .pragma("cache_size", "-8192")
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5))
        // Connect-time statements include the key pragma: never log statements.
        .disable_statement_logging();
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(opts)
        .await
        .map_err(|e| map_open_error(e, db_path))?;
    // A wrong key may pass connect on an empty page cache; reading the schema proves it.
    sqlx::query("SELECT count(*) FROM sqlite_master")
        .execute(&pool)
        .await
        .map_err(|e| map_open_error(e, db_path))?;
    Ok(pool)
}

fn map_open_error(e: sqlx::Error, db_path: &Path) -> StoreError {
    if let sqlx::Error::Database(d) = &e {
        // 26 SQLITE_NOTADB, 11 SQLITE_CORRUPT. The key was verified against the meta
        // file before we got here, so this is the file, not the key.
        if matches!(d.code().as_deref(), Some("26") | Some("11")) {
            return StoreError::Corrupt {
                path: db_path.to_path_buf(),
            };
        }
    }
    StoreError::Database(e)
}

pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub mod reserve;

#[cfg(test)]
mod tests;
