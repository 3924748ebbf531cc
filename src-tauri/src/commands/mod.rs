//! Tauri commands, one file per area of the UI.

pub mod accounts;
pub mod companies;
pub mod profile;
pub mod store;
pub mod workspace;

use ulak_core::{ErrorPayload, UserFacing};

/// Every command error crosses the bridge as `{ code, message, hint, field }`.
pub type CmdResult<T> = Result<T, ErrorPayload>;

pub(crate) fn err<E: UserFacing>(e: E) -> ErrorPayload {
    ErrorPayload::from_error(&e)
}
