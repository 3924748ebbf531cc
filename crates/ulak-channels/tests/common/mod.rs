//! Shared by the integration tests: a dnsmasq on a loopback port with given records.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct Dns {
    child: Child,
    pub addr: SocketAddr,
}

impl Drop for Dns {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts dnsmasq answering only `records` (dnsmasq options such as `--srv-host=…`,
/// `--mx-host=…`, `--address=/name/ip`); everything else is unknown.
pub fn dnsmasq(records: &[&str]) -> Option<Dns> {
    if Command::new("dnsmasq")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_err()
    {
        eprintln!("skipped: dnsmasq is not installed (scripts/bootstrap.sh test installs it)");
        return None;
    }
    let port = std::net::UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new("dnsmasq")
        .args([
            "--keep-in-foreground",
            "--no-resolv",
            "--no-hosts",
            "--no-poll",
            "--bind-interfaces",
        ])
        .args([
            "--listen-address=127.0.0.1",
            &format!("--port={port}"),
            "--user=root",
            "--pid-file",
        ])
        .args(records)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start dnsmasq");
    wait_until_it_answers(port);
    Some(Dns {
        child,
        addr: format!("127.0.0.1:{port}").parse().unwrap(),
    })
}

/// Asks dnsmasq for a name until it answers (a fixed wait was too short on a loaded
/// machine), at most five seconds.
fn wait_until_it_answers(port: u16) {
    // A query for "ready.invalid", type A, class IN, id 0x5a5a.
    let mut q = vec![0x5a, 0x5a, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0];
    for label in ["ready", "invalid"] {
        q.push(label.len() as u8);
        q.extend_from_slice(label.as_bytes());
    }
    q.extend_from_slice(&[0, 0, 1, 0, 1]);
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let start = std::time::Instant::now();
    let mut buf = [0u8; 512];
    while start.elapsed() < Duration::from_secs(5) {
        let _ = sock.send_to(&q, ("127.0.0.1", port));
        if matches!(sock.recv_from(&mut buf), Ok((n, _)) if n >= 2 && buf[..2] == [0x5a, 0x5a]) {
            return;
        }
    }
}
