//! `store.json` beside the database: which key opens it (keyring entry or passphrase
//! with its Argon2id salt) and a check value that tells a wrong key from a damaged file.

use std::io::Write;
use std::path::Path;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::{KeySource, StoreKey};

const CHECK_LABEL: &[u8] = b"ulak store key check v1";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KdfParams {
    pub alg: String,
    pub m_kib: u32,
    pub t: u32,
    pub p: u32,
    pub salt: String,
}

impl Default for KdfParams {
    /// OWASP's Argon2id recommendation with headroom: 64 MiB, 3 passes.
    fn default() -> Self {
        KdfParams {
            alg: "argon2id".into(),
            m_kib: 64 * 1024,
            t: 3,
            p: 1,
            salt: String::new(),
        }
    }
}

impl KdfParams {
    /// Cheap parameters for tests that create many stores.
    pub fn fast_for_tests() -> Self {
        KdfParams {
            m_kib: 1024,
            t: 1,
            ..Default::default()
        }
    }

    pub(super) fn with_fresh_salt(&self) -> Self {
        KdfParams {
            salt: hex::encode(rand::random::<[u8; 16]>()),
            ..self.clone()
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoreMeta {
    pub format: u32,
    pub store_id: String,
    pub key_source: KeySource,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kdf: Option<KdfParams>,
    pub key_check: String,
}

impl StoreMeta {
    pub(super) fn new(
        store_id: String,
        key_source: KeySource,
        kdf: Option<KdfParams>,
        key: &StoreKey,
    ) -> Self {
        StoreMeta {
            format: 1,
            store_id,
            key_source,
            kdf,
            key_check: check_value(key),
        }
    }

    pub fn keyring_account(&self) -> String {
        format!("store-key:{}", self.store_id)
    }

    pub(super) fn key_matches(&self, key: &StoreKey) -> bool {
        let mut mac = Hmac::<Sha256>::new_from_slice(key.bytes()).expect("any key length");
        mac.update(CHECK_LABEL);
        match hex::decode(&self.key_check) {
            Ok(expected) => mac.verify_slice(&expected).is_ok(),
            Err(_) => false,
        }
    }

    pub fn read(path: &Path) -> std::io::Result<Self> {
        let text = std::fs::read_to_string(path)?;
        serde_json::from_str(&text)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
    }

    /// Written to a temporary file and renamed, so a crash leaves the old file or the new.
    pub(super) fn write(&self, path: &Path) -> std::io::Result<()> {
        let tmp = path.with_extension("json.tmp");
        {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(serde_json::to_string_pretty(self)?.as_bytes())?;
            f.sync_all()?;
        }
        std::fs::rename(&tmp, path)
    }
}

fn check_value(key: &StoreKey) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.bytes()).expect("any key length");
    mac.update(CHECK_LABEL);
    hex::encode(mac.finalize().into_bytes())
}
