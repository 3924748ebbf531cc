//! The outbox, for every channel. A message is written to the store, in its provider's
//! own form, before any network call; workers claim due messages atomically with a
//! lease, record each try and its outcome in batched transactions, and retry what the
//! failure's kind says can mend itself. Time and jitter come from the caller, so tests
//! need no sleeping. Nothing here knows e-mail, SMTP or any other provider.

pub mod campaigns;
pub mod digest;
mod enqueue;
pub mod failure;
pub mod forecast;
pub mod history;
pub mod inbound;
pub mod notice;
pub mod queue;
mod report;
pub mod retry;
pub mod senders;
pub mod suppression;
pub mod template;
pub mod worker;

pub use failure::{Failure, FailureCode, Kind};
pub use queue::{Channel, Claimed, MessageState, NewMessage, OutboxError, Outcome, State};
