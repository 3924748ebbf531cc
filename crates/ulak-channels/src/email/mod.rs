//! E-mail: the accounts a salesperson types into E-posta Ayarları (checked, stored,
//! suggested from the built-in providers and autoconfig), MIME building, and the SMTP
//! provider — one dialogue (replies, sign-in, TLS) for the bulk sender, the stepwise
//! connection test and the test e-mail — with its error map; Google accounts signed in
//! with OAuth send through the Gmail API instead (gmail.rs).

pub mod account_check;
pub mod accounts;
pub mod auth;
pub mod autoconfig;
pub mod campaign;
pub mod connection;
pub mod delivery;
pub mod dns;
pub mod failure;
pub mod gmail;
pub mod mime;
pub mod probe;
pub mod providers;
pub mod readiness;
pub mod reply;
pub mod resend;
pub mod resend_account;
pub mod send;
pub mod server;
#[cfg(feature = "test-support")]
pub mod testing;
pub mod tls;
pub mod unsubscribe;
