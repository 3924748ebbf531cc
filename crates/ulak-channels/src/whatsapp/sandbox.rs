//! "Test kutusu" for WhatsApp: sends nothing; each message is written as one JSON file
//! (the E.164 number and the text or template) under `<data dir>/sandbox/whatsapp/`.

use std::path::PathBuf;

use ulak_outbox::failure::Failure;
use ulak_outbox::queue::Outcome;

use super::{Receipt, WhatsApp, WhatsappProvider};
use crate::sandbox;

pub const SUBDIR: &str = "whatsapp";

pub struct Sandbox {
    pub data_dir: PathBuf,
}

impl Sandbox {
    pub fn path(&self, id: i64, reference: &str) -> PathBuf {
        sandbox::file(&self.data_dir, Some(SUBDIR), id, reference, "json")
    }
}

impl WhatsappProvider for Sandbox {
    async fn send(&self, id: i64, reference: &str, msg: &WhatsApp) -> Result<Receipt, Failure> {
        let json = serde_json::to_vec_pretty(msg).expect("plain struct");
        match sandbox::write(&self.path(id, reference), &json) {
            Outcome::Sent { reply } => Ok(Receipt { provider_id: reply }),
            Outcome::Failed(f) => Err(f),
        }
    }
}
