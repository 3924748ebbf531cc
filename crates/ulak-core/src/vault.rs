//! The OS keyring (Secret Service on Linux) that holds the store key. Every call is
//! time-boxed: a locked collection can start a password prompt nobody answers.

use std::sync::mpsc;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};

pub const DEFAULT_SERVICE: &str = "Ulak";
/// `ULAK_KEYRING=disabled` never asks the OS keyring (headless servers, kiosks):
/// new stores are then protected by a passphrase.
pub const KEYRING_ENV: &str = "ULAK_KEYRING";
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("the OS keyring is not reachable: {0}")]
    Unavailable(String),
    #[error("the OS keyring did not answer within {0:?}")]
    TimedOut(Duration),
}

/// Where the store key is kept. `OsKeyring` is the real one; the trait lets the
/// session logic be exercised with a keyring that is absent.
pub trait Vault: Send + Sync {
    fn get(&self, account: &str) -> Result<Option<SecretString>, VaultError>;
    fn set(&self, account: &str, value: &SecretString) -> Result<(), VaultError>;
    fn delete(&self, account: &str) -> Result<(), VaultError>;
}

#[derive(Debug, Clone)]
pub struct OsKeyring {
    pub service: String,
    pub timeout: Duration,
    pub disabled: bool,
}

impl Default for OsKeyring {
    fn default() -> Self {
        OsKeyring {
            service: std::env::var("ULAK_KEYRING_SERVICE")
                .ok()
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| DEFAULT_SERVICE.to_string()),
            timeout: DEFAULT_TIMEOUT,
            disabled: std::env::var(KEYRING_ENV).is_ok_and(|v| v == "disabled"),
        }
    }
}

impl OsKeyring {
    /// Runs `f` on its own thread and gives up after the timeout; a hung D-Bus call
    /// then stays parked on that thread instead of freezing the caller.
    fn timed<T: Send + 'static>(
        &self,
        account: &str,
        f: impl FnOnce(keyring::Entry) -> Result<T, keyring::Error> + Send + 'static,
    ) -> Result<T, VaultError> {
        if self.disabled {
            return Err(VaultError::Unavailable(format!(
                "turned off by {KEYRING_ENV}=disabled"
            )));
        }
        let (tx, rx) = mpsc::channel();
        let service = self.service.clone();
        let account = account.to_string();
        std::thread::Builder::new()
            .name("ulak-keyring".into())
            .spawn(move || {
                let r = keyring::Entry::new(&service, &account).and_then(f);
                let _ = tx.send(r);
            })
            .map_err(|e| VaultError::Unavailable(e.to_string()))?;
        match rx.recv_timeout(self.timeout) {
            Ok(r) => r.map_err(|e| VaultError::Unavailable(describe(&e))),
            Err(_) => Err(VaultError::TimedOut(self.timeout)),
        }
    }
}

/// keyring's errors can wrap platform errors; keep only the kind, never a value.
fn describe(e: &keyring::Error) -> String {
    match e {
        keyring::Error::NoStorageAccess(inner) => format!("no storage access ({inner})"),
        keyring::Error::PlatformFailure(inner) => format!("platform failure ({inner})"),
        other => other.to_string(),
    }
}

impl Vault for OsKeyring {
    fn get(&self, account: &str) -> Result<Option<SecretString>, VaultError> {
        self.timed(account, |entry| match entry.get_password() {
            Ok(v) => Ok(Some(SecretString::from(v))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(e),
        })
    }

    fn set(&self, account: &str, value: &SecretString) -> Result<(), VaultError> {
        let v = value.expose_secret().to_string();
        self.timed(account, move |entry| entry.set_password(&v))
    }

    fn delete(&self, account: &str) -> Result<(), VaultError> {
        self.timed(account, |entry| match entry.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(e),
        })
    }
}
