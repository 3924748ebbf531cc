//! "Test kutusu" for SMS: sends nothing; each message is written as one JSON file
//! (the E.164 number and the text) under `<data dir>/sandbox/sms/`.

use std::path::PathBuf;

use ulak_outbox::failure::Failure;
use ulak_outbox::queue::Outcome;

use super::{Receipt, Sms, SmsProvider};
use crate::sandbox;

pub const SUBDIR: &str = "sms";

pub struct Sandbox {
    pub data_dir: PathBuf,
}

impl Sandbox {
    pub fn path(&self, id: i64, reference: &str) -> PathBuf {
        sandbox::file(&self.data_dir, Some(SUBDIR), id, reference, "json")
    }
}

impl SmsProvider for Sandbox {
    async fn send(&self, id: i64, reference: &str, sms: &Sms) -> Result<Receipt, Failure> {
        let path = self.path(id, reference);
        let json = serde_json::to_vec_pretty(sms).expect("plain struct");
        match sandbox::write(&path, &json) {
            Outcome::Sent { reply } => Ok(Receipt { provider_id: reply }),
            Outcome::Failed(f) => Err(f),
        }
    }
}
