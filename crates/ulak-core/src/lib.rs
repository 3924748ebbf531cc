//! Ulak's domain, free of Tauri: the encrypted store and what lives in it.
//! The desktop shell and the `ulak` CLI both call these functions; neither holds logic of its own.

pub mod error;
pub mod logging;
pub mod paths;
pub mod process;
pub mod profile;
pub mod secret;
pub mod session;
pub mod settings;
pub mod store;
#[cfg(feature = "test-support")]
pub mod testing;
pub mod validate;
pub mod vault;
pub mod words;
pub mod workspace;

pub use error::{ErrorCode, ErrorPayload, UserFacing};
pub use store::{KeySource, OpenOptions, Store, StoreError};
