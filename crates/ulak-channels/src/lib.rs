//! The ways a message goes out: e-mail (its accounts, MIME, the SMTP provider), SMS
//! and WhatsApp, one module per provider, each channel with a sandbox ("Test kutusu") that
//! sends nothing; the dispatcher hands each claimed message to its channel's provider
//! and reports the outcome to the outbox.

pub mod calendar;
pub mod chat;
pub mod dispatch;
pub mod drive;
pub mod email;
mod http;
pub mod inbound;
pub mod integrations;
pub mod iys;
pub mod meeting;
pub mod oauth;
pub mod pace;
pub mod people;
pub mod provider;
pub mod sandbox;
pub mod sheets;
pub mod sms;
pub mod spec;
#[cfg(feature = "test-support")]
pub mod testing;
pub mod webhook;
pub mod whatsapp;

/// The data files build.rs embeds: mail presets and provider specs.
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/providers.rs"));
}

pub use dispatch::Dispatch;
