//! For other crates' tests (feature `test-support`): a passphrase store in a folder,
//! with cheap key derivation and no keyring.

use std::path::Path;

use secrecy::SecretString;

use crate::store::KdfParams;
use crate::vault::OsKeyring;
use crate::{OpenOptions, Store};

pub const PASSPHRASE: &str = "test parolası";

pub async fn temp_store(dir: &Path) -> Store {
    let vault = OsKeyring {
        disabled: true,
        ..OsKeyring::default()
    };
    let mut o =
        OpenOptions::new(dir, &vault).passphrase(Some(SecretString::from(PASSPHRASE.to_string())));
    o.kdf = KdfParams::fast_for_tests();
    Store::open(o).await.expect("open a test store")
}
