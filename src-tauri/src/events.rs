//! The events the backend sends the window, typed and exported into bindings.ts with
//! the commands, so the UI cannot drift from what Rust sends.

use serde::Serialize;
use tauri::AppHandle;
use tauri_specta::Event as _;
use ulak_outbox::worker::DrainReport;
use ulak_outbox::MessageState;

/// The outbox moved: the worker finished a batch, or sending was paused or resumed.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct OutboxChanged {
    /// The worker's current round so far; None when only pausing changed.
    pub round: Option<DrainReport>,
    /// The messages this batch finished or put back to wait, with their new state.
    pub messages: Vec<MessageState>,
}

impl tauri_specta::Event for OutboxChanged {
    const NAME: &'static str = "outbox-changed";
}

pub fn outbox_changed(app: &AppHandle, round: Option<&DrainReport>, messages: &[MessageState]) {
    let e = OutboxChanged {
        round: round.cloned(),
        messages: messages.to_vec(),
    };
    if let Err(err) = e.emit(app) {
        tracing::warn!(error = %err, "could not tell the window about the outbox");
    }
}
