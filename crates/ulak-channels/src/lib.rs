//! The ways a message goes out. Each channel has one trait its providers implement
//! (one module a provider) and a sandbox ("Test kutusu") that sends nothing; the
//! dispatcher hands each claimed message to its channel's provider and reports the
//! outcome to the outbox. E-mail's SMTP provider still lives in `ulak-mail`.

pub mod dispatch;
pub mod sandbox;
pub mod sms;

pub use dispatch::Dispatch;
