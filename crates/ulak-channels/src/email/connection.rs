//! The outbox's SMTP connection: opened the fast way and driven with PIPELINING.
//!
//! lettre 0.11 never sets TCP_NODELAY (each message would wait for the peer's 40 ms
//! delayed ACK) and speaks one command, one reply: four round trips a message. We open
//! the TCP stream ourselves with `set_nodelay(true)`, wrap it in TLS for implicit-TLS
//! ports or after STARTTLS, and when the server offers PIPELINING (RFC 2920) send
//! MAIL, RCPT and DATA in one write, and a message's end of data together with the next
//! message's MAIL, RCPT and DATA: one round trip a message in a bulk send. Servers
//! without PIPELINING get the same dialogue one command at a time. lettre still builds
//! every message and formats the envelope commands; this module is only the dialogue.

use std::time::Duration;

use lettre::address::{Address, Envelope};
use lettre::transport::smtp::commands::{Mail, Rcpt};
use lettre::transport::smtp::extension::{ClientId, MailBodyParameter, MailParameter};
use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use ulak_core::{ErrorCode, UserFacing};
use ulak_outbox::FailureCode;

use crate::email::accounts::{Account, AccountError};
use crate::email::auth::{self, Credentials, SignIn};
pub use crate::email::reply::Reply;
use crate::email::reply::{self, ReadError};
use crate::email::server::Security;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a reply to a command may take.
const REPLY_TIMEOUT: Duration = Duration::from_secs(60);
/// How long the reply to the end of a message's data may take: RFC 5321 §4.5.3.2 gives
/// the server 10 minutes (it may be scanning a big attachment). Giving up sooner would
/// try again a message the server is about to accept, and send it twice; the outbox
/// lease is renewed meanwhile.
const DATA_END_TIMEOUT: Duration = Duration::from_secs(600);

pub trait Io: AsyncRead + AsyncWrite + Unpin + Send + Sync {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + Sync> Io for T {}

/// Why a connection could not be opened or a message not sent.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error(transparent)]
    Account(#[from] AccountError),
    #[error("the message could not be built: {0}")]
    Build(String),
    #[error("the server did not accept the sign-in: {0}")]
    Auth(String),
    #[error("the server refused the message: {0}")]
    Permanent(String),
    #[error("the server could not take the message now: {0}")]
    Transient(String),
    #[error("sending failed: {0}")]
    Network(String),
    #[error("a secure connection could not be made: {0}")]
    Tls(String),
    /// The account's OAuth sign-in could not give a token (withdrawn, unreachable).
    #[error(transparent)]
    OAuth(#[from] crate::oauth::OAuthError),
}

impl UserFacing for SendError {
    fn code(&self) -> ErrorCode {
        match self {
            SendError::Account(a) => a.code(),
            SendError::Build(_) => ErrorCode::SendBuildFailed,
            SendError::Auth(_) => ErrorCode::SmtpAuthFailed,
            SendError::Permanent(_) => ErrorCode::SendRejected,
            SendError::Transient(_) => ErrorCode::SendDeferred,
            SendError::Network(_) | SendError::Tls(_) => ErrorCode::SendNetwork,
            SendError::OAuth(o) => o.code(),
        }
    }
    fn hint(&self) -> Option<String> {
        match self {
            SendError::Account(a) => a.hint(),
            SendError::Build(_) => Some("Check the sender address and name in the account.".into()),
            SendError::Auth(_) => Some("Run the connection test: it says what to change.".into()),
            SendError::Permanent(_) => Some("The server's reply above says why; often the sender address is not allowed for this account.".into()),
            SendError::Transient(_) => Some("Try again in a few minutes.".into()),
            SendError::Network(_) | SendError::Tls(_) => Some("Run the connection test: it shows which step fails.".into()),
            SendError::OAuth(o) => o.hint(),
        }
    }
}

/// How one message went on a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    /// The end of data was accepted: the server's words.
    Accepted(String),
    /// The server said no (to MAIL, a RCPT, DATA or the end of data).
    Refused(Reply),
    /// The message could not be put on the wire (a bad envelope, 8-bit to a 7-bit server).
    Unsendable(String),
}

/// The connection broke: nothing more can go over it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// Lost (closed, timed out, reset): `Unreachable`; the server spoke nonsense: `Other`.
    pub code: FailureCode,
    pub text: String,
}

impl Broken {
    fn lost(text: impl Into<String>) -> Self {
        Broken {
            code: FailureCode::Unreachable,
            text: text.into(),
        }
    }

    fn protocol(text: impl Into<String>) -> Self {
        Broken {
            code: FailureCode::Other,
            text: text.into(),
        }
    }
}

/// How `send_all` ended.
#[derive(Debug, PartialEq, Eq)]
pub enum End<T> {
    /// No more messages; the connection can be used again.
    Drained,
    /// The connection broke and must be dropped. A message whose envelope was written
    /// but not its data comes back unsent, for a new connection.
    Broken(Option<T>),
}

/// One message to send: its envelope and its exact bytes.
pub struct Job<'a> {
    pub envelope: &'a Envelope,
    pub raw: &'a [u8],
}

pub struct Connection<S = Box<dyn Io>> {
    io: BufReader<S>,
    out: Vec<u8>,
    pipelining: bool,
    eight_bit: bool,
    smtp_utf8: bool,
    /// The sign-in mechanisms the last EHLO offered.
    auth_offered: Vec<String>,
    /// How long a command's reply, and the reply to a message's end of data, may take.
    reply_timeout: Duration,
    data_end_timeout: Duration,
}

fn network(e: impl std::fmt::Display) -> SendError {
    SendError::Network(e.to_string())
}

fn broken(e: impl std::fmt::Display) -> Broken {
    Broken::lost(e.to_string())
}

impl<S: AsyncRead + AsyncWrite + Unpin> Connection<S> {
    fn new(io: S) -> Self {
        Connection {
            io: BufReader::new(io),
            out: Vec::with_capacity(8 * 1024),
            pipelining: false,
            eight_bit: false,
            smtp_utf8: false,
            auth_offered: Vec::new(),
            reply_timeout: REPLY_TIMEOUT,
            data_end_timeout: DATA_END_TIMEOUT,
        }
    }

    async fn flush(&mut self) -> Result<(), Broken> {
        if self.out.is_empty() {
            return Ok(());
        }
        let w = self.io.get_mut();
        w.write_all(&self.out).await.map_err(broken)?;
        w.flush().await.map_err(broken)?;
        self.out.clear();
        Ok(())
    }

    async fn read_reply(&mut self) -> Result<Reply, Broken> {
        self.read_reply_within(self.reply_timeout).await
    }

    async fn read_reply_within(&mut self, limit: Duration) -> Result<Reply, Broken> {
        reply::read(&mut self.io, limit).await.map_err(|e| match e {
            ReadError::Timeout => Broken::lost("the server did not answer in time"),
            ReadError::Closed => Broken::lost("the server closed the connection"),
            ReadError::Io(e) => broken(e),
            ReadError::Garbage(what) => Broken::protocol(what),
        })
    }

    async fn greeting(&mut self) -> Result<(), SendError> {
        match self.read_reply().await {
            Ok(r) if r.code == 220 => Ok(()),
            Ok(r) => Err(SendError::Network(r.describe())),
            Err(b) => Err(network(b.text)),
        }
    }

    async fn command(&mut self, line: &str) -> Result<Reply, Broken> {
        self.out.extend_from_slice(line.as_bytes());
        if !line.ends_with("\r\n") {
            self.out.extend_from_slice(b"\r\n");
        }
        self.flush().await?;
        self.read_reply().await
    }

    async fn ehlo(&mut self, name: &str) -> Result<(), SendError> {
        let r = self
            .command(&format!("EHLO {name}"))
            .await
            .map_err(|b| network(b.text))?;
        if !r.is_positive() {
            return Err(SendError::Network(r.describe()));
        }
        self.pipelining = r.has_capability("PIPELINING");
        self.eight_bit = r.has_capability("8BITMIME");
        self.smtp_utf8 = r.has_capability("SMTPUTF8");
        self.auth_offered = r.auth_mechanisms();
        Ok(())
    }

    /// Signs in (the exchange is `auth::sign_in`'s, shared with the connection test).
    async fn auth(&mut self, creds: &Credentials) -> Result<(), SendError> {
        // Commands flush as they go: nothing of ours is waiting in `out`.
        debug_assert!(self.out.is_empty());
        let end = auth::sign_in(&mut self.io, creds, &self.auth_offered, REPLY_TIMEOUT)
            .await
            .map_err(|e| match e {
                ReadError::Timeout => {
                    SendError::Network("the server did not answer in time".into())
                }
                ReadError::Closed => SendError::Network("the server closed the connection".into()),
                ReadError::Io(e) => network(e),
                ReadError::Garbage(what) => SendError::Network(what),
            })?;
        match end {
            SignIn::NotNeeded => Ok(()),
            SignIn::Answered(r) if (200..300).contains(&r.code) => Ok(()),
            // 454 "temporary authentication failure", 421 "service not available": the
            // server's trouble, not the password's; the messages wait for a retry.
            SignIn::Answered(r) if (400..500).contains(&r.code) => {
                Err(SendError::Transient(r.describe()))
            }
            SignIn::Answered(r) => Err(SendError::Auth(r.describe())),
            SignIn::NoMechanism => Err(SendError::Auth(format!(
                "the server offers no sign-in Ulak can use here ({})",
                self.auth_offered.join(" ")
            ))),
        }
    }

    /// MAIL, RCPT… and DATA for `job` into the write buffer; how many replies they earn.
    fn push_envelope(&mut self, job: &Job<'_>) -> Result<usize, String> {
        let mut params = Vec::new();
        // An IDN domain goes as its ASCII form (xn--…), which every server takes; only a
        // non-ASCII local part needs the server's SMTPUTF8.
        let from = job.envelope.from().map(ascii_domain);
        let to: Vec<Address> = job.envelope.to().iter().map(ascii_domain).collect();
        let non_ascii = from
            .as_ref()
            .is_some_and(|a| !AsRef::<str>::as_ref(a).is_ascii())
            || to.iter().any(|a| !AsRef::<str>::as_ref(a).is_ascii());
        if non_ascii {
            if !self.smtp_utf8 {
                return Err("the server cannot take non-ASCII addresses (no SMTPUTF8)".into());
            }
            params.push(MailParameter::SmtpUtfEight);
        }
        if !job.raw.is_ascii() {
            if !self.eight_bit {
                return Err("the server cannot take 8-bit messages (no 8BITMIME)".into());
            }
            params.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        }
        let count = to.len() + 2;
        let mail = Mail::new(from, params).to_string();
        self.out.extend_from_slice(mail.as_bytes());
        for a in to {
            let rcpt = Rcpt::new(a, vec![]).to_string();
            self.out.extend_from_slice(rcpt.as_bytes());
        }
        self.out.extend_from_slice(b"DATA\r\n");
        Ok(count)
    }

    /// The message with dot-stuffing (RFC 5321 4.5.2) and the end of data.
    fn push_body(&mut self, raw: &[u8]) {
        self.out.reserve(raw.len() + 8);
        for line in raw.split_inclusive(|&b| b == b'\n') {
            if line.first() == Some(&b'.') {
                self.out.push(b'.');
            }
            self.out.extend_from_slice(line);
        }
        if !raw.ends_with(b"\r\n") {
            self.out.extend_from_slice(b"\r\n");
        }
        self.out.extend_from_slice(b".\r\n");
    }

    /// Reads the replies to an envelope already written: the first refusal, if any.
    /// A DATA answered 354 after a refused recipient leaves the server waiting for
    /// data we will not send; the connection is then closed rather than guessed at.
    async fn envelope_replies(&mut self, expected: usize) -> Result<Option<Reply>, Broken> {
        let mut refusal = None;
        for i in 0..expected {
            let r = self.read_reply().await?;
            let last = i + 1 == expected;
            let ok = if last { r.code == 354 } else { r.is_positive() };
            if !ok && refusal.is_none() {
                refusal = Some(r);
            } else if last && r.code == 354 && refusal.is_some() {
                return Err(Broken::protocol("aborted a refused message after DATA"));
            }
        }
        Ok(refusal)
    }

    /// After a refused envelope the transaction is reset, one command and its reply.
    async fn reset(&mut self) -> Result<(), Broken> {
        let r = self.command("RSET").await?;
        if r.is_positive() {
            Ok(())
        } else {
            Err(Broken::protocol(r.describe()))
        }
    }

    /// Sends `next()`'s messages over this connection until it has none or the connection
    /// breaks, calling `done` with each message's outcome. On a break, the message it
    /// broke on gets the error and a message whose envelope was already written (but
    /// not its data) is handed back unsent.
    pub async fn send_all<'a, T: 'a>(
        &mut self,
        mut next: impl FnMut() -> Option<(T, Job<'a>)>,
        mut done: impl FnMut(T, Result<Sent, Broken>),
    ) -> End<T> {
        match self.send_loop(&mut next, &mut done).await {
            Ok(()) => End::Drained,
            Err(left) => End::Broken(left),
        }
    }

    /// `Ok` when `next` ran dry, `Err` (with any message handed back) on a break.
    async fn send_loop<'a, T: 'a>(
        &mut self,
        next: &mut impl FnMut() -> Option<(T, Job<'a>)>,
        done: &mut impl FnMut(T, Result<Sent, Broken>),
    ) -> Result<(), Option<T>> {
        let mut cur = next();
        // Replies the current message's envelope earns, when it is already written.
        let mut written: Option<usize> = None;
        while let Some((tag, job)) = cur.take() {
            let expected = match written.take() {
                Some(n) => Some(n),
                None => match self.push_envelope(&job) {
                    Err(why) => {
                        self.out.clear();
                        done(tag, Ok(Sent::Unsendable(why)));
                        cur = next();
                        continue;
                    }
                    Ok(n) if self.pipelining => match self.flush().await {
                        Ok(()) => Some(n),
                        Err(b) => {
                            done(tag, Err(b));
                            return Err(None);
                        }
                    },
                    // One command at a time: replay the buffer line by line.
                    Ok(_) => None,
                },
            };
            let refusal = match expected {
                Some(n) => self.envelope_replies(n).await,
                None => {
                    let buf = std::mem::take(&mut self.out);
                    self.lockstep(&buf).await
                }
            };
            match refusal {
                Ok(None) => {}
                Ok(Some(r)) => {
                    done(tag, Ok(Sent::Refused(r)));
                    self.reset().await.map_err(|_| None)?;
                    cur = next();
                    continue;
                }
                Err(b) => {
                    done(tag, Err(b));
                    return Err(None);
                }
            }
            self.push_body(job.raw);
            // The next message's envelope rides along with this one's end of data.
            if self.pipelining {
                if let Some((t, j)) = next() {
                    match self.push_envelope(&j) {
                        Ok(n) => {
                            written = Some(n);
                            cur = Some((t, j));
                        }
                        // Only this message is refused; the data in the buffer stays.
                        Err(why) => done(t, Ok(Sent::Unsendable(why))),
                    }
                }
            }
            let r = match self.flush().await {
                Ok(()) => self.read_reply_within(self.data_end_timeout).await,
                Err(b) => Err(b),
            };
            match r {
                Ok(r) if r.code == 250 => done(tag, Ok(Sent::Accepted(r.text()))),
                Ok(r) => done(tag, Ok(Sent::Refused(r))),
                Err(b) => {
                    done(tag, Err(b));
                    return Err(cur.map(|(t, _)| t));
                }
            }
            if cur.is_none() {
                cur = next();
            }
        }
        Ok(())
    }

    /// A server without PIPELINING: each buffered command written and answered in turn.
    /// The first refusal ends it (DATA not sent); DATA's 354 leaves the body to follow.
    async fn lockstep(&mut self, buf: &[u8]) -> Result<Option<Reply>, Broken> {
        let lines: Vec<&[u8]> = buf.split_inclusive(|&b| b == b'\n').collect();
        for (i, line) in lines.iter().enumerate() {
            self.out.extend_from_slice(line);
            self.flush().await?;
            let r = self.read_reply().await?;
            // The last line is DATA, which earns 354.
            let ok = if i + 1 == lines.len() {
                r.code == 354
            } else {
                r.is_positive()
            };
            if !ok {
                return Ok(Some(r));
            }
        }
        Ok(None)
    }

    /// Says goodbye; errors do not matter any more.
    pub async fn quit(mut self) {
        let _ = tokio::time::timeout(Duration::from_secs(2), self.command("QUIT")).await;
    }
}

/// The address with its domain in ASCII (IDNA, RFC 5891) when the domain is not.
fn ascii_domain(a: &Address) -> Address {
    if a.domain().is_ascii() {
        return a.clone();
    }
    idna::domain_to_ascii(a.domain())
        .ok()
        .and_then(|d| Address::new(a.user(), d).ok())
        .unwrap_or_else(|| a.clone())
}

/// Connects, negotiates TLS as the account says, and signs in with `creds`.
pub async fn open(
    a: &Account,
    creds: &Credentials,
    ca_pem: Option<&str>,
) -> Result<Connection, SendError> {
    open_server(&a.server(), creds, ca_pem).await
}

/// `open` for server settings that need not be saved (the test e-mail of a form as
/// typed).
pub async fn open_server(
    a: &crate::email::server::ServerParams,
    creds: &Credentials,
    ca_pem: Option<&str>,
) -> Result<Connection, SendError> {
    let tcp = tokio::time::timeout(
        CONNECT_TIMEOUT,
        TcpStream::connect((a.host.as_str(), a.port)),
    )
    .await
    .map_err(|_| SendError::Network(format!("no answer from {}:{}", a.host, a.port)))?
    .map_err(network)?;
    tcp.set_nodelay(true).map_err(network)?;
    let hello = ClientId::default().to_string();
    let tls = |tcp: TcpStream| async {
        let cfg = crate::email::tls::config(ca_pem).map_err(SendError::Tls)?;
        let name = ServerName::try_from(a.host.clone()).map_err(network)?;
        tokio::time::timeout(
            CONNECT_TIMEOUT,
            tokio_rustls::TlsConnector::from(cfg).connect(name, tcp),
        )
        .await
        .map_err(|_| SendError::Tls("TLS handshake timed out".into()))?
        .map_err(|e| SendError::Tls(e.to_string()))
    };
    let mut conn = match a.security {
        Security::Tls => {
            let mut c: Connection = Connection::new(Box::new(tls(tcp).await?));
            c.greeting().await?;
            c.ehlo(&hello).await?;
            c
        }
        Security::Starttls => {
            let mut c = Connection::new(tcp);
            c.greeting().await?;
            c.ehlo(&hello).await?;
            let r = c.command("STARTTLS").await.map_err(|b| network(b.text))?;
            if r.code != 220 {
                return Err(SendError::Network(r.describe()));
            }
            // Nothing may be buffered past the 220: the TLS handshake starts now.
            if !c.io.buffer().is_empty() {
                return Err(SendError::Network("unexpected data before TLS".into()));
            }
            let mut c: Connection = Connection::new(Box::new(tls(c.io.into_inner()).await?));
            c.ehlo(&hello).await?;
            c
        }
        Security::None => {
            let mut c: Connection = Connection::new(Box::new(tcp));
            c.greeting().await?;
            c.ehlo(&hello).await?;
            c
        }
    };
    conn.auth(creds).await?;
    Ok(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A peer on an in-memory pipe that answers the envelope at once, or after
    /// `envelope_delay`, and a message's end of data after `data_delay`.
    async fn slow_peer(
        server: tokio::io::DuplexStream,
        envelope_delay: Duration,
        data_delay: Duration,
    ) {
        use tokio::io::AsyncBufReadExt;
        let (r, mut w) = tokio::io::split(server);
        let mut r = BufReader::new(r);
        let mut line = String::new();
        let mut in_data = false;
        while r.read_line(&mut line).await.unwrap_or(0) > 0 {
            let l = std::mem::take(&mut line);
            let answer = if in_data {
                if l != ".\r\n" {
                    continue;
                }
                in_data = false;
                tokio::time::sleep(data_delay).await;
                "250 2.0.0 queued after the scan\r\n"
            } else if l.starts_with("DATA") {
                in_data = true;
                "354 go ahead\r\n"
            } else {
                tokio::time::sleep(envelope_delay).await;
                "250 ok\r\n"
            };
            if w.write_all(answer.as_bytes()).await.is_err() {
                return;
            }
        }
    }

    async fn send_one(c: &mut Connection<tokio::io::DuplexStream>) -> Result<Sent, Broken> {
        let envelope = Envelope::new(
            Some("satis@firma.test".parse().unwrap()),
            vec!["musteri@alici.test".parse().unwrap()],
        )
        .unwrap();
        let mut jobs = vec![(
            (),
            Job {
                envelope: &envelope,
                raw: "Subject: Katalog\r\n\r\nBüyük ek.\r\n".as_bytes(),
            },
        )];
        let mut out = None;
        let _ = c.send_all(|| jobs.pop(), |(), r| out = Some(r)).await;
        out.expect("an outcome")
    }

    #[test]
    fn the_end_of_data_waits_the_ten_minutes_rfc_5321_allows() {
        assert_eq!(DATA_END_TIMEOUT, Duration::from_secs(600));
        assert!(DATA_END_TIMEOUT > REPLY_TIMEOUT);
    }

    #[tokio::test]
    async fn a_slow_end_of_data_reply_is_waited_for_past_the_command_timeout() {
        let (client, server) = tokio::io::duplex(64 * 1024);
        tokio::spawn(slow_peer(
            server,
            Duration::ZERO,
            Duration::from_millis(600),
        ));
        let mut c = Connection::new(client);
        c.eight_bit = true;
        c.reply_timeout = Duration::from_millis(200);
        c.data_end_timeout = Duration::from_secs(5);
        match send_one(&mut c).await {
            Ok(Sent::Accepted(text)) => assert!(text.contains("queued"), "{text}"),
            other => panic!("accepted after the scan, not {other:?}"),
        }
        // A command's reply still times out after the command timeout.
        let (client, server) = tokio::io::duplex(64 * 1024);
        tokio::spawn(slow_peer(
            server,
            Duration::from_millis(600),
            Duration::ZERO,
        ));
        let mut c = Connection::new(client);
        c.eight_bit = true;
        c.reply_timeout = Duration::from_millis(200);
        c.data_end_timeout = Duration::from_secs(5);
        assert!(send_one(&mut c).await.is_err());
    }

    #[test]
    fn the_body_is_dot_stuffed_and_ends_with_a_lone_dot() {
        let mut c = Connection::new(tokio::io::empty());
        c.push_body(b".hidden first line\r\nmiddle\r\n..two\r\nlast");
        assert_eq!(
            c.out,
            b"..hidden first line\r\nmiddle\r\n...two\r\nlast\r\n.\r\n".to_vec()
        );
        c.out.clear();
        c.push_body(b"ends well\r\n");
        assert_eq!(c.out, b"ends well\r\n.\r\n".to_vec());
    }
}
