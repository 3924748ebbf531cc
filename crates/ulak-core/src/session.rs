//! The app's hold on its store: opens it at start-up (keyring first), reports why it
//! is locked, and opens or creates it with a passphrase when the keyring can't be used.

use std::path::PathBuf;

use secrecy::SecretString;
use serde::Serialize;
use tokio::sync::Mutex;

use crate::settings::{self, Language};
use crate::store::{key_source_of, KdfParams, KeySource, OpenOptions, Presence, Store, StoreError};
use crate::vault::Vault;
use crate::workspace::{self, Workspace};
use crate::{ErrorPayload, UserFacing};

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum AppStatus {
    Ready(ReadyStatus),
    Locked(LockedStatus),
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ReadyStatus {
    pub workspace: Workspace,
    pub language: Language,
    pub data_dir: String,
    pub key_source: KeySource,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LockedStatus {
    pub error: ErrorPayload,
    /// The user may type a passphrase: to open a passphrase store, or to create one
    /// because the keyring is out of reach on first start.
    pub passphrase_allowed: bool,
    pub store_exists: bool,
    pub language: Language,
    pub data_dir: String,
}

pub struct Session {
    data_dir: PathBuf,
    vault: Box<dyn Vault>,
    kdf: KdfParams,
    store: Mutex<Option<Store>>,
}

impl Session {
    pub fn new(data_dir: PathBuf, vault: Box<dyn Vault>) -> Self {
        Session {
            data_dir,
            vault,
            kdf: KdfParams::default(),
            store: Mutex::new(None),
        }
    }

    pub fn with_kdf(mut self, kdf: KdfParams) -> Self {
        self.kdf = kdf;
        self
    }

    pub fn data_dir(&self) -> &std::path::Path {
        &self.data_dir
    }

    /// The open store, or `NotOpen` while locked.
    pub async fn store(&self) -> Result<Store, StoreError> {
        self.store.lock().await.clone().ok_or(StoreError::NotOpen)
    }

    /// Ready, or locked with the reason. Tries the keyring again each time while locked,
    /// so unlocking the desktop keyring and pressing "try again" is enough.
    pub async fn status(&self) -> AppStatus {
        let mut guard = self.store.lock().await;
        if guard.is_none() {
            if key_source_of(&self.data_dir) == Some(KeySource::Passphrase) {
                return self.locked(&StoreError::PassphraseRequired);
            }
            match Store::open(self.options(None)).await {
                Ok(s) => *guard = Some(s),
                Err(e) => {
                    tracing::warn!(code = %e.code(), error = %e, "store stays locked");
                    return self.locked(&e);
                }
            }
        }
        let store = guard.as_ref().expect("opened above");
        self.ready(store).await
    }

    /// Opens a passphrase store, or creates one where no store exists yet.
    pub async fn unlock_with_passphrase(
        &self,
        passphrase: SecretString,
    ) -> Result<AppStatus, StoreError> {
        let mut guard = self.store.lock().await;
        if guard.is_none() {
            if key_source_of(&self.data_dir) == Some(KeySource::Keyring) {
                // A keyring store has no passphrase to try; say so instead of "wrong".
                return Err(StoreError::KeyringUnavailable {
                    reason: "this store's key is kept in the keyring".into(),
                    store_exists: true,
                });
            }
            *guard = Some(Store::open(self.options(Some(passphrase))).await?);
        }
        let store = guard.as_ref().expect("opened above");
        Ok(self.ready(store).await)
    }

    fn options(&self, passphrase: Option<SecretString>) -> OpenOptions<'_> {
        let mut o =
            OpenOptions::new(self.data_dir.clone(), self.vault.as_ref()).passphrase(passphrase);
        o.kdf = self.kdf.clone();
        o
    }

    async fn ready(&self, store: &Store) -> AppStatus {
        let pool = store.pool();
        let workspace = match workspace::active(pool).await {
            Ok(w) => w,
            Err(e) => return self.locked(&e),
        };
        AppStatus::Ready(ReadyStatus {
            workspace,
            language: settings::language(pool).await.unwrap_or_default(),
            data_dir: self.data_dir.display().to_string(),
            key_source: store.key_source(),
        })
    }

    fn locked(&self, e: &(dyn UserFacing + 'static)) -> AppStatus {
        let presence = Presence::of(&self.data_dir);
        let code = e.code();
        let passphrase_allowed = code == "store.passphrase_required"
            || code == "store.wrong_key"
            || (code == "store.keyring_unavailable" && !presence.store_exists());
        AppStatus::Locked(LockedStatus {
            error: ErrorPayload::from_error(e),
            passphrase_allowed,
            store_exists: presence.store_exists(),
            language: Language::default(),
            data_dir: self.data_dir.display().to_string(),
        })
    }
}
