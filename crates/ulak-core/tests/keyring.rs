//! The store key in the real Secret Service (gnome-keyring under `dbus-run-session`,
//! as `tests/support/session.sh` sets up). Set ULAK_TEST_KEYRING=1 to run these.

use secrecy::{ExposeSecret, SecretString};
use ulak_core::store::StoreMeta;
use ulak_core::vault::{OsKeyring, Vault};
use ulak_core::{KeySource, OpenOptions, Store, StoreError};

fn keyring_or_skip() -> Option<OsKeyring> {
    if std::env::var_os("ULAK_TEST_KEYRING").is_none() {
        eprintln!("skipped: needs the Secret Service (run through tests/support/session.sh)");
        return None;
    }
    Some(OsKeyring {
        service: format!("Ulak test {}", std::process::id()),
        ..OsKeyring::default()
    })
}

#[test]
fn secret_service_round_trip() {
    let Some(vault) = keyring_or_skip() else {
        return;
    };
    let account = "round-trip";
    vault
        .set(account, &SecretString::from("değer-123".to_string()))
        .expect("the Secret Service must accept a value");
    assert_eq!(
        vault.get(account).unwrap().unwrap().expose_secret(),
        "değer-123"
    );
    vault.delete(account).unwrap();
    assert!(vault.get(account).unwrap().is_none());
}

#[tokio::test]
async fn store_key_lives_in_the_keyring_and_reopens_the_store() {
    let Some(vault) = keyring_or_skip() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(OpenOptions::new(dir.path(), &vault))
        .await
        .unwrap();
    assert_eq!(store.key_source(), KeySource::Keyring);
    let ws = ulak_core::workspace::active(store.pool()).await.unwrap();
    store.close().await;

    // The key is in the keyring under the account named by store.json, 64 hex digits,
    // and it is nowhere in the data folder.
    let meta = StoreMeta::read(&dir.path().join("store.json")).unwrap();
    let key = vault
        .get(&meta.keyring_account())
        .unwrap()
        .expect("key in keyring");
    assert_eq!(key.expose_secret().len(), 64);
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap_or_default();
        assert!(!bytes
            .windows(64)
            .any(|w| w == key.expose_secret().as_bytes()));
    }

    let store = Store::open(OpenOptions::new(dir.path(), &vault))
        .await
        .unwrap();
    assert_eq!(
        ulak_core::workspace::active(store.pool()).await.unwrap().id,
        ws.id
    );
    store.close().await;

    // Losing the keyring entry is reported as such, not as a damaged file.
    vault.delete(&meta.keyring_account()).unwrap();
    let err = Store::open(OpenOptions::new(dir.path(), &vault))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::KeyMissing), "{err:?}");
}

#[tokio::test]
async fn keyring_turned_off_is_reported_as_unavailable() {
    if keyring_or_skip().is_none() {
        return;
    }
    let vault = OsKeyring {
        disabled: true,
        ..OsKeyring::default()
    };
    let dir = tempfile::tempdir().unwrap();
    let err = Store::open(OpenOptions::new(dir.path(), &vault))
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
}
