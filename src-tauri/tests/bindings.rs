//! The TypeScript bindings in ui/ are generated from the command table; this fails
//! when they are stale. `ULAK_UPDATE_BINDINGS=1 cargo test -p ulak-app --test bindings` rewrites them.

use std::path::Path;

#[test]
fn generated_typescript_bindings_are_up_to_date() {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join(ulak_app::BINDINGS_PATH);
    if std::env::var_os("ULAK_UPDATE_BINDINGS").is_some_and(|v| !v.is_empty()) {
        ulak_app::export_bindings(&committed);
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("bindings.ts");
    ulak_app::export_bindings(&fresh);
    let fresh = std::fs::read_to_string(fresh).unwrap();
    let old = std::fs::read_to_string(&committed).unwrap_or_default();
    assert!(
        fresh == old,
        "ui/src/lib/bindings.ts is stale: run `ULAK_UPDATE_BINDINGS=1 cargo test -p ulak-app --test bindings` and commit it"
    );
}

/// The events and the failure codes are part of the contract too: a bindings.ts
/// missing them (or holding an older event's shape) is as stale as a missing command.
#[test]
fn the_bindings_carry_the_outbox_event_and_the_failure_codes() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("bindings.ts");
    ulak_app::export_bindings(&fresh);
    let ts = std::fs::read_to_string(fresh).unwrap();
    assert!(
        ts.contains("outboxChanged: makeEvent<OutboxChanged, OutboxChanged>(\"outbox-changed\")"),
        "the event and its name"
    );
    assert!(
        ts.contains("export type OutboxChanged"),
        "the event's payload type"
    );
    assert!(
        ts.contains("messages: MessageState[]"),
        "the payload's fields"
    );
    assert!(
        ts.contains("export const FAILURE_CODES"),
        "the codes as a list"
    );
    for code in ulak_outbox::FailureCode::ALL {
        assert!(ts.contains(&format!("\"{}\"", code.as_str())), "{code:?}");
    }
}
