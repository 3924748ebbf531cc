//! The outbox. A message is validated, rendered to its exact .eml and written to the
//! store before any network call; workers claim due messages atomically with a lease,
//! report outcomes in one transaction per batch, and retry transient failures with
//! backoff. Time and jitter come from the caller, so tests need no sleeping.

pub mod history;
pub mod notice;
pub mod queue;
pub mod sandbox;
pub mod template;
pub mod why;
pub mod worker;

pub use queue::{Claimed, Draft, OutboxError, Outcome, State};
