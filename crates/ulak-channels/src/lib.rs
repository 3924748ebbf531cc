//! The ways a message goes out: e-mail (its accounts, MIME, the SMTP provider) and
//! SMS, one module per provider, each channel with a sandbox ("Test kutusu") that
//! sends nothing; the dispatcher hands each claimed message to its channel's provider
//! and reports the outcome to the outbox.

pub mod dispatch;
pub mod email;
pub mod integrations;
pub mod sandbox;
pub mod sms;
pub mod spec;

/// The data files build.rs embeds: mail presets and provider specs.
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/providers.rs"));
}

pub use dispatch::Dispatch;
