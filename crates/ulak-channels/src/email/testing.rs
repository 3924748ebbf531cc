//! For tests (feature `test-support`): the private Postfix + Dovecot that
//! `tests/servers/mailserver.sh` starts and `scripts/test.sh` exports as ULAK_TEST_SMTP_*.

pub struct MailServer {
    pub plain: u16,
    pub starttls: u16,
    pub tls: u16,
    /// A company relay: no sign-in, STARTTLS offered, mail from loopback passed on.
    pub relay: u16,
    /// Path of the CA that signed the server's certificate.
    pub ca: String,
    pub maildir: String,
    pub user: String,
    pub password: String,
}

impl MailServer {
    /// None (and a note on stderr) when no test server runs, e.g. a plain `cargo test`.
    pub fn from_env() -> Option<MailServer> {
        let get = |k: &str| std::env::var(k).ok();
        let port = |k: &str| get(k).and_then(|v| v.parse().ok());
        let found = (|| {
            Some(MailServer {
                plain: port("ULAK_TEST_SMTP_PLAIN")?,
                starttls: port("ULAK_TEST_SMTP_STARTTLS")?,
                tls: port("ULAK_TEST_SMTP_TLS")?,
                relay: port("ULAK_TEST_SMTP_RELAY")?,
                ca: get("ULAK_TEST_SMTP_CA")?,
                maildir: get("ULAK_TEST_SMTP_MAILDIR")?,
                user: get("ULAK_TEST_SMTP_USER")?,
                password: get("ULAK_TEST_SMTP_PASSWORD")?,
            })
        })();
        if found.is_none() {
            eprintln!("skipped: no test mail server (run through scripts/test.sh)");
        }
        found
    }

    pub fn ca_pem(&self) -> String {
        std::fs::read_to_string(&self.ca).expect("the test CA is readable")
    }
}
