use std::collections::HashMap;
use std::sync::Mutex;

use secrecy::{ExposeSecret, SecretString};

use super::*;
use crate::vault::{Vault, VaultError};

/// An in-process key holder for the store's own logic; the real Secret Service is
/// exercised in `tests/keyring.rs`.
#[derive(Default)]
struct MemoryVault(Mutex<HashMap<String, String>>);

impl Vault for MemoryVault {
    fn get(&self, account: &str) -> Result<Option<SecretString>, VaultError> {
        Ok(self
            .0
            .lock()
            .unwrap()
            .get(account)
            .cloned()
            .map(SecretString::from))
    }
    fn set(&self, account: &str, value: &SecretString) -> Result<(), VaultError> {
        self.0
            .lock()
            .unwrap()
            .insert(account.into(), value.expose_secret().to_string());
        Ok(())
    }
    fn delete(&self, account: &str) -> Result<(), VaultError> {
        self.0.lock().unwrap().remove(account);
        Ok(())
    }
}

struct NoVault;
impl Vault for NoVault {
    fn get(&self, _: &str) -> Result<Option<SecretString>, VaultError> {
        Err(VaultError::Unavailable("no secret service".into()))
    }
    fn set(&self, _: &str, _: &SecretString) -> Result<(), VaultError> {
        Err(VaultError::Unavailable("no secret service".into()))
    }
    fn delete(&self, _: &str) -> Result<(), VaultError> {
        Err(VaultError::Unavailable("no secret service".into()))
    }
}

fn pass(s: &str) -> Option<SecretString> {
    Some(SecretString::from(s.to_string()))
}

fn opts<'a>(dir: &Path, vault: &'a dyn Vault, p: Option<SecretString>) -> OpenOptions<'a> {
    let mut o = OpenOptions::new(dir, vault).passphrase(p);
    o.kdf = KdfParams::fast_for_tests();
    o
}

/// Closes the store and waits until the WAL is folded into ulak.db: a late checkpoint
/// would otherwise rewrite the file after the test looked at it.
async fn close(store: Store) {
    let wal = store.data_dir().join("ulak.db-wal");
    store.close().await;
    for _ in 0..200 {
        if std::fs::metadata(&wal).map_or(true, |m| m.len() == 0) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("the WAL still holds pages after close");
}

/// The files that hold data. SQLite's own -wal/-shm come and go as connections close.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .filter(|p| {
            let n = p.to_string_lossy();
            !n.ends_with("-wal") && !n.ends_with("-shm")
        })
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn keyring_store_survives_reopen_and_is_not_plain_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let vault = MemoryVault::default();
    let store = Store::open(opts(dir.path(), &vault, None)).await.unwrap();
    assert_eq!(store.key_source(), KeySource::Keyring);
    crate::settings::set(store.pool(), "probe", "kalıcı değer")
        .await
        .unwrap();
    close(store).await;

    let raw = std::fs::read(dir.path().join(DB_FILE)).unwrap();
    assert!(
        !raw.starts_with(b"SQLite format 3"),
        "file must be encrypted"
    );
    assert!(
        !raw.windows(12).any(|w| w == "kalıcı".as_bytes()),
        "value must not be readable"
    );

    let store = Store::open(opts(dir.path(), &vault, None)).await.unwrap();
    assert_eq!(
        crate::settings::get(store.pool(), "probe")
            .await
            .unwrap()
            .as_deref(),
        Some("kalıcı değer")
    );
}

#[tokio::test]
async fn passphrase_store_opens_with_the_right_passphrase_only() {
    let dir = tempfile::tempdir().unwrap();
    let vault = NoVault;
    let store = Store::open(opts(dir.path(), &vault, pass("doğru parola 1")))
        .await
        .unwrap();
    assert_eq!(store.key_source(), KeySource::Passphrase);
    close(store).await;
    let before = snapshot(dir.path());

    let err = Store::open(opts(dir.path(), &vault, pass("yanlış parola")))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::WrongKey), "{err:?}");
    assert_eq!(err.code(), "store.wrong_key");
    assert_eq!(err.field(), Some("passphrase"));
    let err = Store::open(opts(dir.path(), &vault, None))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::PassphraseRequired), "{err:?}");
    assert_eq!(
        snapshot(dir.path()),
        before,
        "a failed open must not touch any file"
    );

    Store::open(opts(dir.path(), &vault, pass("doğru parola 1")))
        .await
        .unwrap();
}

#[tokio::test]
async fn short_passphrase_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let err = Store::open(opts(dir.path(), &NoVault, pass("kısa")))
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::PassphraseTooShort { min: 8 }),
        "{err:?}"
    );
    assert!(snapshot(dir.path()).is_empty());
}

#[tokio::test]
async fn missing_keyring_on_first_start_offers_passphrase_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let err = Store::open(opts(dir.path(), &NoVault, None))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::KeyringUnavailable {
                store_exists: false,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.code(), "store.keyring_unavailable");
    assert!(snapshot(dir.path()).is_empty());
}

#[tokio::test]
async fn keyring_store_with_keyring_gone_says_so_and_touches_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let vault = MemoryVault::default();
    close(Store::open(opts(dir.path(), &vault, None)).await.unwrap()).await;
    let before = snapshot(dir.path());

    let err = Store::open(opts(dir.path(), &NoVault, None))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::KeyringUnavailable {
                store_exists: true,
                ..
            }
        ),
        "{err:?}"
    );
    let err = Store::open(opts(dir.path(), &MemoryVault::default(), None))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::KeyMissing), "{err:?}");
    assert_eq!(snapshot(dir.path()), before);
}

#[tokio::test]
async fn a_file_that_is_not_a_database_is_reported_corrupt_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let vault = MemoryVault::default();
    close(Store::open(opts(dir.path(), &vault, None)).await.unwrap()).await;
    // Overwrite the database with noise; the meta file and key still match.
    for f in ["ulak.db-wal", "ulak.db-shm"] {
        let _ = std::fs::remove_file(dir.path().join(f));
    }
    std::fs::write(dir.path().join(DB_FILE), vec![0x5au8; 8192]).unwrap();
    let before = snapshot(dir.path());

    let err = Store::open(opts(dir.path(), &vault, None))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
    assert_eq!(err.code(), "store.corrupt");
    assert_eq!(snapshot(dir.path()), before);
}

#[tokio::test]
async fn a_plain_sqlite_file_without_meta_is_not_opened() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(DB_FILE),
        b"SQLite format 3\0 but not really",
    )
    .unwrap();
    let before = snapshot(dir.path());
    let err = Store::open(opts(dir.path(), &MemoryVault::default(), None))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::MetaMissing { .. }), "{err:?}");
    assert_eq!(snapshot(dir.path()), before);
}

#[tokio::test]
async fn a_damaged_meta_file_is_reported_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let vault = MemoryVault::default();
    close(Store::open(opts(dir.path(), &vault, None)).await.unwrap()).await;
    std::fs::write(dir.path().join(META_FILE), b"{ not json").unwrap();
    let before = snapshot(dir.path());
    let err = Store::open(opts(dir.path(), &vault, None))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::MetaMissing { .. }), "{err:?}");
    assert_eq!(snapshot(dir.path()), before);
}

#[tokio::test]
async fn secrets_round_trip_per_workspace_and_never_print() {
    let dir = tempfile::tempdir().unwrap();
    let vault = MemoryVault::default();
    let store = Store::open(opts(dir.path(), &vault, None)).await.unwrap();
    let pool = store.pool();
    let a = crate::workspace::active(pool).await.unwrap();
    let b = crate::workspace::create(pool, "İkinci Şirket")
        .await
        .unwrap();
    let value = SecretString::from("smtp-pa55-wörd".to_string());
    crate::secret::set(pool, a.id, "account:1", "password", &value)
        .await
        .unwrap();

    let got = crate::secret::get(pool, a.id, "account:1", "password")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got.expose_secret(), "smtp-pa55-wörd");
    assert!(!format!("{got:?}").contains("pa55"));
    assert_eq!(crate::secret::masked(Some(&got)), Some(crate::secret::MASK));
    assert!(crate::secret::get(pool, b.id, "account:1", "password")
        .await
        .unwrap()
        .is_none());
    assert!(crate::secret::delete(pool, a.id, "account:1", "password")
        .await
        .unwrap());
    assert!(crate::secret::get(pool, a.id, "account:1", "password")
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn workspaces_first_one_made_more_added_and_switched() {
    let dir = tempfile::tempdir().unwrap();
    let vault = MemoryVault::default();
    let store = Store::open(opts(dir.path(), &vault, None)).await.unwrap();
    let pool = store.pool();
    let first = crate::workspace::active(pool).await.unwrap();
    assert_eq!(first.name, crate::workspace::DEFAULT_NAME);
    assert!(first.active);

    let second = crate::workspace::create(pool, "Acme Satış").await.unwrap();
    assert!(!second.active, "creating does not switch");
    let dup = crate::workspace::create(pool, "acme satış")
        .await
        .unwrap_err();
    assert_eq!(dup.code(), "workspace.duplicate_name");
    let empty = crate::workspace::create(pool, "  ").await.unwrap_err();
    assert_eq!(empty.code(), "validation.required");
    assert_eq!(empty.field(), Some("name"));

    crate::workspace::switch(pool, second.id).await.unwrap();
    let list = crate::workspace::list(pool).await.unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list.iter().find(|w| w.active).unwrap().id, second.id);
    let missing = crate::workspace::switch(pool, 999).await.unwrap_err();
    assert_eq!(missing.code(), "workspace.not_found");
}

#[tokio::test]
async fn profile_is_saved_per_workspace_and_validated() {
    let dir = tempfile::tempdir().unwrap();
    let vault = MemoryVault::default();
    let store = Store::open(opts(dir.path(), &vault, None)).await.unwrap();
    let pool = store.pool();
    let a = crate::workspace::active(pool).await.unwrap();
    let b = crate::workspace::create(pool, "B").await.unwrap();
    use crate::profile::{self, ProfileInput};

    let empty = profile::get(pool, a.id).await.unwrap();
    assert_eq!(empty.display_name, "");
    assert!(empty.updated_at.is_none());

    let input = ProfileInput {
        display_name: " Çağrı Öztürk ".into(),
        sender_email: "cagri@örnek.com.tr".into(),
        sender_name: "Çağrı — Satış".into(),
    };
    let saved = profile::save(pool, a.id, &input).await.unwrap();
    assert_eq!(saved.display_name, "Çağrı Öztürk");
    assert!(saved.updated_at.is_some());
    assert_eq!(
        profile::get(pool, b.id).await.unwrap().display_name,
        "",
        "B is untouched"
    );

    let bad = ProfileInput {
        sender_email: "cagri@".into(),
        ..input.clone()
    };
    let err = profile::save(pool, a.id, &bad).await.unwrap_err();
    assert_eq!(err.code(), "validation.email");
    assert_eq!(err.field(), Some("senderEmail"));
    let injected = ProfileInput {
        sender_name: "Ali\r\nBcc: herkes@x.com".into(),
        ..input.clone()
    };
    let err = profile::save(pool, a.id, &injected).await.unwrap_err();
    assert_eq!(err.code(), "validation.control_chars");
    assert_eq!(
        profile::get(pool, a.id).await.unwrap().sender_email,
        "cagri@örnek.com.tr",
        "a refused save changes nothing"
    );
}

#[cfg(unix)]
#[tokio::test]
async fn the_data_folder_and_the_stores_files_are_the_owners_alone() {
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("veri klasörü");
    // A folder that exists already, open to everyone, is closed too.
    std::fs::create_dir(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let vault = MemoryVault::default();
    let store = Store::open(opts(&dir, &vault, None)).await.unwrap();
    sqlx::query("INSERT INTO app_settings (key, value) VALUES ('x', 'y')")
        .execute(store.pool())
        .await
        .unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700);
    for f in [
        DB_FILE,
        META_FILE,
        "ulak.db-wal",
        "ulak.db-shm",
        reserve::RESERVE_FILE,
    ] {
        assert_eq!(mode(&dir.join(f)), 0o600, "{f}");
    }
    close(store).await;
}

#[tokio::test]
async fn a_migration_backs_the_store_up_first_and_keeps_the_last_backup_only() {
    let dir = tempfile::tempdir().unwrap();
    let vault = MemoryVault::default();
    let store = Store::open(opts(dir.path(), &vault, None)).await.unwrap();
    let p = store.pool();
    let db = dir.path().join(DB_FILE);
    // Nothing to apply: no copy.
    assert_eq!(
        backup_before_migrating(p, &db, &MIGRATOR).await.unwrap(),
        None
    );

    // A release with one migration more.
    let newer = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    for e in std::fs::read_dir(&src).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), newer.path().join(e.file_name())).unwrap();
    }
    std::fs::write(
        newer.path().join("9999_next_release.sql"),
        "CREATE TABLE later (id INTEGER PRIMARY KEY);",
    )
    .unwrap();
    let next = sqlx::migrate::Migrator::new(newer.path()).await.unwrap();
    let last = MIGRATOR.iter().map(|m| m.version).max().unwrap();
    std::fs::write(dir.path().join("ulak.db.before-0001"), b"an older backup").unwrap();

    let backup = backup_before_migrating(p, &db, &next)
        .await
        .unwrap()
        .expect("a copy before migrating");
    assert_eq!(
        backup.file_name().unwrap().to_string_lossy(),
        format!("{BACKUP_PREFIX}{last:04}")
    );
    assert_eq!(std::fs::read(&backup).unwrap(), std::fs::read(&db).unwrap());
    let backups: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(BACKUP_PREFIX))
        .collect();
    assert_eq!(backups.len(), 1, "the last backup only: {backups:?}");
    // Still the encrypted store: no plain SQLite header.
    assert!(!std::fs::read(&backup)
        .unwrap()
        .starts_with(b"SQLite format 3"));
    close(store).await;
}

#[test]
fn a_full_disk_is_told_as_such_with_what_to_do() {
    let e = StoreError::Io {
        path: "/veri".into(),
        source: std::io::Error::from(std::io::ErrorKind::StorageFull),
    };
    assert_eq!(e.code(), ErrorCode::StoreDiskFull);
    assert!(e.hint().unwrap().contains("Free some space"));
    let other = StoreError::Io {
        path: "/veri".into(),
        source: std::io::Error::from(std::io::ErrorKind::NotFound),
    };
    assert_eq!(other.code(), ErrorCode::StoreIo);
}

/// A store with some pages of data, closed; the page numbers of `app_settings` and of
/// sqlx's migration table.
async fn store_with_pages(dir: &Path, vault: &MemoryVault) -> (i64, i64) {
    let store = Store::open(opts(dir, vault, None)).await.unwrap();
    for i in 0..300 {
        sqlx::query("INSERT INTO app_settings (key, value) VALUES (?1, ?2)")
            .bind(format!("k{i}"))
            .bind("ğüşıöç İ ".repeat(100))
            .execute(store.pool())
            .await
            .unwrap();
    }
    let root = |name: &'static str| {
        let p = store.pool().clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT rootpage FROM sqlite_master WHERE name = ?1")
                .bind(name)
                .fetch_one(&p)
                .await
                .unwrap()
        }
    };
    let (settings, migrations) = (root("app_settings").await, root("_sqlx_migrations").await);
    close(store).await;
    (settings, migrations)
}

/// Damages page `page` (1-based) of the store file: its bytes flipped, or zeroed.
fn damage(dir: &Path, page: i64, zero: bool) {
    let path = dir.join(DB_FILE);
    let mut bytes = std::fs::read(&path).unwrap();
    let size = 4096usize;
    let at = (page as usize - 1) * size;
    assert!(at + size <= bytes.len(), "page {page} is in the file");
    for b in &mut bytes[at..at + size] {
        *b = if zero { 0 } else { !*b };
    }
    std::fs::write(&path, bytes).unwrap();
}

#[tokio::test]
async fn damage_past_the_first_page_is_told_as_a_damaged_store_and_the_file_left_alone() {
    for zero in [false, true] {
        // In a table the app reads later: opening may pass, reading says "damaged".
        let dir = tempfile::tempdir().unwrap();
        let vault = MemoryVault::default();
        let (settings, _) = store_with_pages(dir.path(), &vault).await;
        let last = std::fs::metadata(dir.path().join(DB_FILE)).unwrap().len() as i64 / 4096;
        damage(dir.path(), last.max(settings), zero);
        let before = snapshot(dir.path());
        match Store::open(opts(dir.path(), &vault, None)).await {
            Err(e) => assert_eq!(e.code(), ErrorCode::StoreCorrupt, "{e:?}"),
            Ok(store) => {
                let e: StoreError =
                    sqlx::query("SELECT count(*), sum(length(value)) FROM app_settings")
                        .fetch_one(store.pool())
                        .await
                        .map(|_| ())
                        .expect_err("a damaged page cannot be read")
                        .into();
                assert_eq!(e.code(), ErrorCode::StoreCorrupt, "{e:?}");
                assert!(e.hint().unwrap().contains("damaged"));
                store.pool().close().await;
            }
        }
        assert_eq!(
            snapshot(dir.path()),
            before,
            "the damaged file is left as it was"
        );

        // In the migrations' own table: opening stops with the same clear error.
        let dir = tempfile::tempdir().unwrap();
        let (_, migrations) = store_with_pages(dir.path(), &vault).await;
        damage(dir.path(), migrations, zero);
        let before = snapshot(dir.path());
        let Err(e) = Store::open(opts(dir.path(), &vault, None)).await else {
            panic!("a store whose migration table is damaged does not open");
        };
        assert!(matches!(e, StoreError::Corrupt { .. }), "{e:?}");
        assert_eq!(snapshot(dir.path()), before);
    }
}
