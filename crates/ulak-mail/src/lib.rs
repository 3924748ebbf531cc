//! E-mail accounts: what a salesperson types into E-posta Ayarları, checked and stored,
//! and where suggested settings come from (built-in providers, autoconfig XML).

pub mod accounts;
pub mod auth;
pub mod autoconfig;
pub mod connection;
pub mod delivery;
pub mod dns;
pub mod failure;
pub mod mime;
pub mod probe;
pub mod providers;
pub mod reply;
pub mod send;
pub mod server;
#[cfg(feature = "test-support")]
pub mod testing;
