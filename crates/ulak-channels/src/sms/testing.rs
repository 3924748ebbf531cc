//! For tests (feature `test-support`): the Twilio-shaped server of
//! `tests/servers/twilio.py` on a loopback port, and the requests it saw.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// A Twilio test account: the server accepts exactly these.
pub const SID: &str = "AC0123456789abcdef0123456789abcdef";
pub const TOKEN: &str = "test-token-çok-gizli";

pub struct TwilioServer {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    log: PathBuf,
}

impl TwilioServer {
    pub fn start() -> TwilioServer {
        let script =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/servers/twilio.py");
        let log = std::env::temp_dir().join(format!(
            "ulak-twilio-{}-{:016x}.jsonl",
            std::process::id(),
            rand::random::<u64>()
        ));
        let mut child = Command::new("python3")
            .arg(&script)
            .arg(&log)
            .args([SID, TOKEN])
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs tests/servers/twilio.py");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped"))
            .read_line(&mut line)
            .expect("the server prints its port");
        let port: u16 = line.trim().parse().expect("a port");
        TwilioServer {
            child,
            base: format!("http://127.0.0.1:{port}"),
            log,
        }
    }

    /// Every request so far: method, path, form, and the shape problems found.
    pub fn requests(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
            .collect()
    }
}

impl Drop for TwilioServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}
