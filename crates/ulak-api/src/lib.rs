//! The use-cases both hosts call: the Tauri commands and the `ulak` CLI are each one
//! call into this crate, so the window and the command line cannot drift apart.

pub mod accounts;
pub mod automations;
pub mod bulk;
pub mod calendar;
pub mod campaigns;
pub mod chat;
pub mod compose;
pub mod delivery;
pub mod drive;
pub mod exports;
pub mod google_contacts;
pub mod history;
pub mod inbound;
pub mod integrations;
pub mod oauth;
pub mod outbox;
pub mod sheets;
pub mod sms;
pub mod suppression;
pub mod webhooks;
pub mod whatsapp;
