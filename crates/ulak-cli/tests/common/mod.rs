//! What the `ulak` binary's tests share: running it against a data folder with the
//! keyring off, and reading what it left there.

// Each test binary uses its own part of these.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const PASS: &str = "çok gizli parola 42";

pub fn ulak(dir: &Path, pass: Option<&str>, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ulak"));
    c.arg("--data-dir").arg(dir).args(args);
    c.env("ULAK_KEYRING", "disabled").env_remove("ULAK_LOG");
    match pass {
        Some(p) => c.env("ULAK_DB_PASSPHRASE", p),
        None => c.env_remove("ULAK_DB_PASSPHRASE"),
    };
    c.output().expect("run ulak")
}

/// `ulak` with the passphrase set and `stdin` piped in (how secrets are given).
pub fn ulak_stdin(dir: &Path, args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut c = Command::new(env!("CARGO_BIN_EXE_ulak"));
    c.arg("--data-dir").arg(dir).args(args);
    c.env("ULAK_KEYRING", "disabled")
        .env("ULAK_DB_PASSPHRASE", PASS)
        .env_remove("ULAK_LOG")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = c.spawn().expect("run ulak");
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(stdin.as_bytes())
        .expect("ulak reads stdin");
    child.wait_with_output().expect("ulak ends")
}

pub fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "ulak failed: {}\n{}",
        String::from_utf8_lossy(&o.stderr),
        String::from_utf8_lossy(&o.stdout)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// A drain that sent what it could and failed some messages: exit 2, its summary on
/// standard output and `outbox.some_failed` on standard error.
pub fn some_failed(o: &Output) -> String {
    assert_eq!(
        o.status.code(),
        Some(2),
        "expected exit 2, stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("outbox.some_failed"));
    String::from_utf8(o.stdout.clone()).unwrap()
}

pub fn failed(o: &Output) -> String {
    assert_eq!(
        o.status.code(),
        Some(1),
        "expected exit 1, stdout: {}",
        String::from_utf8_lossy(&o.stdout)
    );
    String::from_utf8(o.stderr.clone()).unwrap()
}

pub fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let b = std::fs::read(&p).unwrap();
            (p, b)
        })
        .collect();
    v.sort();
    v
}

/// `ulak` as a command to spawn (two at once), the passphrase set.
pub fn command(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ulak"));
    c.arg("--data-dir").arg(dir);
    c.env("ULAK_KEYRING", "disabled")
        .env("ULAK_DB_PASSPHRASE", PASS)
        .env_remove("ULAK_LOG");
    c
}

/// An account on the test Postfix (STARTTLS, its CA trusted) with `password` and the
/// given limit flags; its id.
pub fn add_account(
    dir: &Path,
    m: &ulak_channels::email::testing::MailServer,
    email: &str,
    password: &str,
    flags: &[&str],
) -> String {
    let port = m.starttls.to_string();
    let mut args = vec![
        "accounts",
        "add",
        "--email",
        email,
        "--sender-name",
        "Satış — Işıl",
        "--host",
        "localhost",
        "--port",
        &port,
        "--security",
        "starttls",
        "--username",
        &m.user,
        "--password-stdin",
    ];
    args.extend_from_slice(flags);
    let id = ok(&ulak_stdin(dir, &args, &format!("{password}\n")))
        .trim()
        .to_string();
    ok(&ulak(
        dir,
        Some(PASS),
        &["accounts", "trust-ca", "--id", &id, &m.ca],
    ));
    id
}

/// A word that marks this run's mails in the shared test maildir: the process id
/// alone repeats across runs (a later run's pid can be an earlier one's).
pub fn run_tag(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!("{prefix}{}x{nanos}", std::process::id())
}

/// `ulak inbound serve --port 0` on a data folder, killed when dropped; `base` is where
/// it listens (the first line it prints).
pub struct Receiver {
    child: std::process::Child,
    pub base: String,
}

impl Receiver {
    pub fn start(dir: &Path) -> Receiver {
        use std::io::{BufRead, BufReader};
        let mut child = command(dir)
            .args(["inbound", "serve", "--port", "0"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("ulak inbound serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped"))
            .read_line(&mut line)
            .expect("its first line");
        let base = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("first line: {line}"))
            .to_string();
        Receiver { child, base }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `ulak oauth config PROVIDER` pointed at the test authorization server `auth` and the
/// API base `api` (Google's with its client secret and revocation).
pub fn configure_oauth(
    dir: &std::path::Path,
    provider: &str,
    auth: &ulak_channels::testing::FakeProvider,
    api: &str,
) {
    use ulak_channels::testing::{OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET};
    let mut args = vec![
        "oauth".to_string(),
        "config".into(),
        provider.into(),
        "--client-id".into(),
        OAUTH_CLIENT_ID.into(),
        "--authorize-url".into(),
        format!("{}/authorize", auth.base),
        "--token-url".into(),
        format!("{}/token", auth.base),
        "--api-base".into(),
        api.into(),
    ];
    let secret = if provider == "google" {
        args.extend([
            "--revoke-url".into(),
            format!("{}/revoke", auth.base),
            "--client-secret-stdin".into(),
        ]);
        format!("{OAUTH_CLIENT_SECRET}\n")
    } else {
        args.extend(["--revoke-url".into(), String::new()]);
        String::new()
    };
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    ok(&ulak_stdin(dir, &args, &secret));
}

/// `ulak ARGS` (a sign-in) started, and the sign-in address it printed.
pub fn signing_in(dir: &std::path::Path, args: &[&str]) -> (std::process::Child, String) {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_ulak"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("ULAK_KEYRING", "disabled")
        .env("ULAK_DB_PASSPHRASE", PASS)
        .env_remove("ULAK_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut url = String::new();
    while !url.starts_with("http") {
        url.clear();
        assert!(
            err.read_line(&mut url).unwrap() > 0,
            "ulak printed no address"
        );
    }
    // Keep reading stderr so the child never blocks on it.
    std::thread::spawn(move || std::io::copy(&mut err, &mut std::io::sink()));
    (child, url.trim().to_string())
}
