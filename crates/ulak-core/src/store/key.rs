//! The 256-bit store key: random for keyring stores, Argon2id of the passphrase otherwise.

use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use super::{KdfParams, StoreError, MIN_PASSPHRASE_CHARS};

pub struct StoreKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for StoreKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StoreKey(***)")
    }
}

impl StoreKey {
    pub fn random() -> Self {
        StoreKey(Zeroizing::new(rand::random()))
    }

    pub fn derive(passphrase: &SecretString, kdf: &KdfParams) -> Result<Self, StoreError> {
        if passphrase.expose_secret().chars().count() < MIN_PASSPHRASE_CHARS {
            return Err(StoreError::PassphraseTooShort {
                min: MIN_PASSPHRASE_CHARS,
            });
        }
        let params = argon2::Params::new(kdf.m_kib, kdf.t, kdf.p, Some(32))
            .map_err(|e| StoreError::Database(sqlx::Error::Configuration(e.to_string().into())))?;
        let argon =
            argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let salt = hex::decode(&kdf.salt).unwrap_or_default();
        let mut out = Zeroizing::new([0u8; 32]);
        argon
            .hash_password_into(passphrase.expose_secret().as_bytes(), &salt, out.as_mut())
            .map_err(|e| StoreError::Database(sqlx::Error::Configuration(e.to_string().into())))?;
        Ok(StoreKey(out))
    }

    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    pub fn to_secret_hex(&self) -> SecretString {
        SecretString::from(hex::encode(self.0.as_ref()))
    }

    pub fn from_secret_hex(s: &SecretString) -> Option<Self> {
        let bytes = Zeroizing::new(hex::decode(s.expose_secret().trim()).ok()?);
        let arr: [u8; 32] = bytes.as_slice().try_into().ok()?;
        Some(StoreKey(Zeroizing::new(arr)))
    }

    /// SQLCipher's raw-key form, `"x'<64 hex>'"`, so no second KDF runs on open.
    pub(super) fn pragma_value(&self) -> String {
        format!("\"x'{}'\"", hex::encode(self.0.as_ref()))
    }
}
