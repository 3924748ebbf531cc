//! The outbox against a scriptable SMTP peer on loopback: each message's end-of-data
//! reply is scripted (4xx, 5xx, a dropped connection), and the server can be down and
//! come up later. What the outbox does must match: retry the transient, fail the
//! permanent at once with the server's words, never lose a message.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use sqlx::SqlitePool;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use ulak_channels::email::accounts::{self, AccountInput};
use ulak_channels::email::delivery::Router;
use ulak_channels::email::mime::{self, Draft};
use ulak_channels::email::server::Security;
use ulak_core::testing::temp_store as store;
use ulak_core::workspace;
use ulak_outbox::queue::{self, State};
use ulak_outbox::worker::{drain, drain_with, DrainOptions};

#[derive(Clone, Debug)]
enum Step {
    /// Answer the end of DATA with this line, e.g. "250 2.0.0 ok".
    Reply(&'static str),
    /// Close the connection instead of answering the end of DATA.
    DropAfterData,
}

#[derive(Clone, Default)]
struct Peer {
    /// Offer PIPELINING (RFC 2920) in the EHLO reply.
    pipelining: bool,
    /// RCPT to this address is refused with 550.
    reject_rcpt: Option<&'static str>,
    /// Commands that arrived with more already behind them: the client pipelined.
    pipelined: Arc<Mutex<usize>>,
    /// Every RCPT command as it arrived.
    rcpt_lines: Arc<Mutex<Vec<String>>>,
    /// QUIT commands seen: connections closed politely.
    quits: Arc<Mutex<usize>>,
    script: Arc<Mutex<VecDeque<Step>>>,
    /// Messages the peer answered 250 to.
    accepted: Arc<Mutex<Vec<String>>>,
    /// Every end of DATA seen, whatever the answer.
    data_seen: Arc<Mutex<usize>>,
    /// The answer to AUTH; "235 2.7.0 ok" when none is set.
    auth_reply: Arc<Mutex<Option<&'static str>>>,
    /// How long the peer takes to answer each end of DATA (a big attachment scanned).
    data_delay: Arc<Mutex<std::time::Duration>>,
}

impl Peer {
    fn new(script: &[Step]) -> Self {
        let p = Peer::default();
        p.script.lock().unwrap().extend(script.iter().cloned());
        p
    }

    fn pipelining(script: &[Step]) -> Self {
        Peer {
            pipelining: true,
            ..Peer::new(script)
        }
    }

    /// Serves SMTP on `listener` until the test ends.
    fn serve(&self, listener: TcpListener) {
        let peer = self.clone();
        tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                let peer = peer.clone();
                tokio::spawn(async move {
                    let _ = peer.session(sock).await;
                });
            }
        });
    }

    async fn session(&self, sock: tokio::net::TcpStream) -> std::io::Result<()> {
        let (r, mut w) = sock.into_split();
        let mut r = BufReader::new(r);
        w.write_all(b"220 peer.test ESMTP scripted\r\n").await?;
        let mut line = String::new();
        // Recipients accepted in the current transaction.
        let mut rcpts = 0;
        loop {
            line.clear();
            if r.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            if !r.buffer().is_empty() {
                *self.pipelined.lock().unwrap() += 1;
            }
            let cmd = line.trim_end().to_ascii_uppercase();
            let reply: &[u8] = if cmd.starts_with("EHLO") {
                if self.pipelining {
                    b"250-peer.test\r\n250-PIPELINING\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n"
                } else {
                    b"250-peer.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n"
                }
            } else if cmd.starts_with("AUTH PLAIN ") {
                let answer = self.auth_reply.lock().unwrap().unwrap_or("235 2.7.0 ok");
                w.write_all(format!("{answer}\r\n").as_bytes()).await?;
                continue;
            } else if cmd.starts_with("RCPT")
                && self
                    .reject_rcpt
                    .is_some_and(|a| cmd.contains(&a.to_ascii_uppercase()))
            {
                b"550 5.1.1 no such user here\r\n"
            } else if cmd.starts_with("MAIL") || cmd.starts_with("RSET") {
                rcpts = 0;
                b"250 2.0.0 ok\r\n"
            } else if cmd.starts_with("RCPT") {
                self.rcpt_lines
                    .lock()
                    .unwrap()
                    .push(line.trim_end().to_string());
                rcpts += 1;
                b"250 2.0.0 ok\r\n"
            } else if cmd.starts_with("NOOP") {
                b"250 2.0.0 ok\r\n"
            } else if cmd == "DATA" && rcpts == 0 {
                b"554 5.5.1 no valid recipients\r\n"
            } else if cmd == "DATA" {
                w.write_all(b"354 go ahead\r\n").await?;
                let mut msg = String::new();
                loop {
                    line.clear();
                    if r.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" {
                        break;
                    }
                    msg.push_str(&line);
                }
                *self.data_seen.lock().unwrap() += 1;
                rcpts = 0;
                let delay = *self.data_delay.lock().unwrap();
                tokio::time::sleep(delay).await;
                let step = self
                    .script
                    .lock()
                    .unwrap()
                    .pop_front()
                    .unwrap_or(Step::Reply("250 2.0.0 queued"));
                match step {
                    Step::DropAfterData => return Ok(()),
                    Step::Reply(text) => {
                        if text.starts_with('2') {
                            self.accepted.lock().unwrap().push(msg);
                        }
                        w.write_all(format!("{text}\r\n").as_bytes()).await?;
                        continue;
                    }
                }
            } else if cmd == "QUIT" {
                *self.quits.lock().unwrap() += 1;
                w.write_all(b"221 bye\r\n").await?;
                return Ok(());
            } else {
                b"502 5.5.2 not implemented\r\n"
            };
            w.write_all(reply).await?;
        }
    }
}

struct Setup {
    _dir: tempfile::TempDir,
    store: ulak_core::Store,
    ws: i64,
    account: i64,
    router: Router,
}

async fn setup(port: u16) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path()).await;
    let p = s.pool().clone();
    let ws = workspace::active(&p).await.unwrap().id;
    let a = accounts::create(
        &p,
        ws,
        &AccountInput {
            email: "satis@firma.test".into(),
            sender_name: "Satış".into(),
            host: "127.0.0.1".into(),
            port: Some(i64::from(port)),
            security: Some(Security::None),
            username: "satis@firma.test".into(),
            password: Some("parola".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let router = Router::new(p);
    Setup {
        store: s,
        ws,
        account: a.id,
        router,
        _dir: dir,
    }
}

impl Setup {
    fn pool(&self) -> &SqlitePool {
        self.store.pool()
    }

    async fn queue(&self, subject: &str) -> i64 {
        self.queue_to(subject, "musteri@alici.test").await
    }

    async fn queue_to(&self, subject: &str, to: &str) -> i64 {
        let d = Draft {
            account_id: Some(self.account),
            from: "satis@firma.test".into(),
            to: vec![to.into()],
            subject: subject.into(),
            text: "Merhaba, teklifimiz ektedir.".into(),
            ..Default::default()
        };
        mime::enqueue(self.pool(), self.ws, &d, chrono::Utc::now())
            .await
            .unwrap()
    }

    async fn row(&self, id: i64) -> queue::Row {
        queue::get(self.pool(), self.ws, id).await.unwrap().unwrap()
    }

    /// The backoff has passed: make every waiting message due now.
    async fn time_passes(&self) {
        sqlx::query("UPDATE messages SET next_attempt_at = '2000-01-01T00:00:00.000Z' WHERE state = 'retry'")
            .execute(self.pool())
            .await
            .unwrap();
    }
}

async fn listener() -> (TcpListener, u16) {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = l.local_addr().unwrap().port();
    (l, port)
}

#[tokio::test]
async fn a_4xx_reply_is_retried_and_then_delivered_once() {
    let (l, port) = listener().await;
    let peer = Peer::new(&[Step::Reply("451 4.3.0 mailbox busy, try later")]);
    peer.serve(l);
    let s = setup(port).await;
    let id = s.queue("Geçici hata — ğüşıöç").await;

    let r = drain(s.pool(), "w", &s.router).await.unwrap();
    assert_eq!((r.sent, r.retrying, r.failed), (0, 1, 0));
    let row = s.row(id).await;
    assert_eq!(row.state, State::Retry);
    assert!(
        row.last_error.as_deref().unwrap_or("").contains("451"),
        "{row:?}"
    );
    assert_eq!(
        drain(s.pool(), "w", &s.router).await.unwrap().sent,
        0,
        "not before its backoff"
    );

    s.time_passes().await;
    let r = drain(s.pool(), "w", &s.router).await.unwrap();
    assert_eq!(r.sent, 1);
    let row = s.row(id).await;
    assert_eq!((row.state, row.attempts), (State::Sent, 2));
    assert_eq!(
        peer.accepted.lock().unwrap().len(),
        1,
        "delivered exactly once"
    );
}

#[tokio::test]
async fn a_5xx_reply_fails_at_once_with_the_servers_words() {
    let (l, port) = listener().await;
    let peer = Peer::new(&[Step::Reply("550 5.1.1 <musteri@alici.test>: no such user")]);
    peer.serve(l);
    let s = setup(port).await;
    let id = s.queue("Kalıcı hata").await;

    let r = drain(s.pool(), "w", &s.router).await.unwrap();
    assert_eq!((r.sent, r.retrying, r.failed), (0, 0, 1));
    assert_eq!(r.failures[0].id, id);
    let row = s.row(id).await;
    assert_eq!((row.state, row.attempts), (State::Failed, 1));
    assert!(
        row.last_error
            .as_deref()
            .unwrap_or("")
            .contains("no such user"),
        "{row:?}"
    );
    // The history says it in a salesperson's words, too.
    let e = ulak_outbox::history::entry(s.pool(), s.ws, id)
        .await
        .unwrap();
    assert_eq!(
        e.last_code.0,
        Some(ulak_outbox::FailureCode::NoSuchRecipient)
    );
    assert_eq!(
        row.last_code,
        Some(ulak_outbox::FailureCode::NoSuchRecipient)
    );
    s.time_passes().await;
    assert_eq!(
        drain(s.pool(), "w", &s.router).await.unwrap(),
        Default::default(),
        "never retried"
    );
    assert_eq!(*peer.data_seen.lock().unwrap(), 1);
}

#[tokio::test]
async fn a_connection_dropped_after_data_is_retried_on_a_new_connection() {
    let (l, port) = listener().await;
    let peer = Peer::new(&[Step::DropAfterData]);
    peer.serve(l);
    let s = setup(port).await;
    let first = s.queue("Kopan bağlantı").await;

    let r = drain(s.pool(), "w", &s.router).await.unwrap();
    assert_eq!(r.retrying, 1, "{r:?}");
    assert_eq!(s.row(first).await.state, State::Retry);

    s.time_passes().await;
    let second = s.queue("Sonraki ileti").await;
    let r = drain(s.pool(), "w", &s.router).await.unwrap();
    assert_eq!(r.sent, 2, "{r:?}");
    assert_eq!(s.row(first).await.state, State::Sent);
    assert_eq!(s.row(second).await.state, State::Sent);
    assert_eq!(peer.accepted.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn a_server_that_is_down_then_up_gets_the_message_later() {
    // A port nobody listens on yet.
    let (l, port) = listener().await;
    drop(l);
    let s = setup(port).await;
    let id = s.queue("Sunucu kapalı").await;

    let r = drain(s.pool(), "w", &s.router).await.unwrap();
    assert_eq!(r.retrying, 1, "{r:?}");
    let row = s.row(id).await;
    assert_eq!(row.state, State::Retry);
    assert!(row.last_error.is_some());

    let l = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
    let peer = Peer::new(&[]);
    peer.serve(l);
    s.time_passes().await;
    let r = drain(s.pool(), "w", &s.router).await.unwrap();
    assert_eq!(r.sent, 1, "{r:?}");
    assert_eq!(s.row(id).await.state, State::Sent);
    let got = peer.accepted.lock().unwrap();
    assert_eq!(got.len(), 1);
    assert!(got[0].contains("Subject: Sunucu =?utf-8?"), "{}", got[0]);
}

#[tokio::test]
async fn pausing_stops_new_attempts_and_loses_nothing() {
    let (l, port) = listener().await;
    let peer = Peer::new(&[]);
    peer.serve(l);
    let s = setup(port).await;
    let ids = [s.queue("Bir").await, s.queue("İki").await];
    ulak_outbox::worker::set_paused(s.pool(), true)
        .await
        .unwrap();
    let r = drain(s.pool(), "w", &s.router).await.unwrap();
    assert!(r.paused);
    assert_eq!(r.sent, 0);
    for id in ids {
        assert_eq!(s.row(id).await.state, State::Queued);
    }
    ulak_outbox::worker::set_paused(s.pool(), false)
        .await
        .unwrap();
    assert_eq!(drain(s.pool(), "w", &s.router).await.unwrap().sent, 2);
    assert_eq!(peer.accepted.lock().unwrap().len(), 2);
}

/// The subjects the peer accepted, each with how many times.
fn accepted_subjects(peer: &Peer) -> std::collections::BTreeMap<String, usize> {
    let mut seen = std::collections::BTreeMap::new();
    for m in peer.accepted.lock().unwrap().iter() {
        let subject = m
            .lines()
            .find_map(|l| l.strip_prefix("Subject: "))
            .unwrap_or("")
            .to_string();
        *seen.entry(subject).or_insert(0) += 1;
    }
    seen
}

#[tokio::test]
async fn a_bulk_send_is_pipelined_and_survives_a_4xx_and_a_dropped_connection() {
    let (l, port) = listener().await;
    let peer = Peer::pipelining(&[Step::Reply("451 4.3.0 try later"), Step::DropAfterData]);
    peer.serve(l);
    let s = setup(port).await;
    for i in 0..30 {
        s.queue(&format!("toplu {i}")).await;
    }

    let r = drain(s.pool(), "w", &s.router).await.unwrap();
    // The dropped connection's next message, whose envelope was already written, went
    // out on a new connection in the same drain.
    assert_eq!((r.sent, r.retrying, r.failed), (28, 2, 0), "{r:?}");
    assert!(
        *peer.pipelined.lock().unwrap() > 0,
        "commands went several to a write"
    );
    s.time_passes().await;
    let r = drain(s.pool(), "w", &s.router).await.unwrap();
    assert_eq!(r.sent, 2, "{r:?}");

    let seen = accepted_subjects(&peer);
    assert_eq!(seen.len(), 30, "{seen:?}");
    assert!(
        seen.values().all(|&n| n == 1),
        "each exactly once: {seen:?}"
    );
}

#[tokio::test]
async fn without_pipelining_the_dialogue_goes_one_command_at_a_time() {
    let (l, port) = listener().await;
    let peer = Peer::new(&[]);
    peer.serve(l);
    let s = setup(port).await;
    for i in 0..5 {
        s.queue(&format!("tek tek {i}")).await;
    }
    assert_eq!(drain(s.pool(), "w", &s.router).await.unwrap().sent, 5);
    assert_eq!(*peer.pipelined.lock().unwrap(), 0);
    assert_eq!(accepted_subjects(&peer).len(), 5);
    // Closing the router says goodbye on each connection the batch was shared over.
    assert_eq!(*peer.quits.lock().unwrap(), 0);
    s.router.close().await;
    assert_eq!(
        *peer.quits.lock().unwrap(),
        ulak_channels::email::delivery::DEFAULT_CONNECTIONS.min(5)
    );
}

#[tokio::test]
async fn a_refused_recipient_fails_its_message_and_the_connection_goes_on() {
    let (l, port) = listener().await;
    let peer = Peer {
        reject_rcpt: Some("yok@alici.test"),
        ..Peer::pipelining(&[])
    };
    peer.serve(l);
    let s = setup(port).await;
    let ok1 = s.queue_to("birinci", "musteri@alici.test").await;
    let bad = s.queue_to("ikinci", "yok@alici.test").await;
    let ok2 = s.queue_to("üçüncü", "musteri@alici.test").await;
    // One connection, so the refusal and the messages after it share it.
    let router = Router::with_connections(s.pool().clone(), 1);

    let r = drain(s.pool(), "w", &router).await.unwrap();
    assert_eq!((r.sent, r.failed, r.retrying), (2, 1, 0), "{r:?}");
    assert_eq!(s.row(ok1).await.state, State::Sent);
    assert_eq!(s.row(ok2).await.state, State::Sent);
    let row = s.row(bad).await;
    assert_eq!(row.state, State::Failed);
    assert!(
        row.last_error.as_deref().unwrap_or("").contains("550"),
        "{row:?}"
    );
    assert_eq!(accepted_subjects(&peer).len(), 2);
}

#[tokio::test]
async fn an_idn_domain_goes_in_its_ascii_form_to_a_server_without_smtputf8() {
    let (l, port) = listener().await;
    let peer = Peer::pipelining(&[]);
    peer.serve(l);
    let s = setup(port).await;
    let id = s.queue_to("Alan adı Türkçe", "musteri@örnek.com.tr").await;
    let r = drain(s.pool(), "w", &s.router).await.unwrap();
    assert_eq!(r.sent, 1, "{r:?}");
    assert_eq!(s.row(id).await.state, State::Sent);
    assert_eq!(
        *peer.rcpt_lines.lock().unwrap(),
        vec!["RCPT TO:<musteri@xn--rnek-4qa.com.tr>".to_string()]
    );
}

#[tokio::test]
async fn a_temporary_sign_in_refusal_leaves_the_messages_queued_and_the_account_in_use() {
    let (l, port) = listener().await;
    let peer = Peer::new(&[]);
    *peer.auth_reply.lock().unwrap() = Some("454 4.7.0 Temporary authentication failure");
    peer.serve(l);
    let s = setup(port).await;
    let a = s.queue("Teklif — Çağrı Bey").await;
    let b = s.queue("Teklif — Şule Hanım").await;

    let r = drain(s.pool(), "w", &s.router).await.unwrap();
    assert_eq!((r.sent, r.failed, r.retrying), (0, 0, 2));
    assert!(r.stopped.is_empty(), "{r:?}");
    for id in [a, b] {
        let row = s.row(id).await;
        assert_eq!(row.state, State::Retry, "{row:?}");
        assert!(row.last_error.as_deref().unwrap_or("").contains("454"));
    }
    let status: Option<String> =
        sqlx::query_scalar("SELECT status FROM senders WHERE account_id = ?1")
            .bind(s.account)
            .fetch_optional(s.pool())
            .await
            .unwrap();
    assert_ne!(
        status.as_deref(),
        Some("error"),
        "the account is not stopped"
    );

    // The server mends; the next try sends each message once.
    *peer.auth_reply.lock().unwrap() = None;
    s.time_passes().await;
    let r = drain(s.pool(), "w", &s.router).await.unwrap();
    assert_eq!(r.sent, 2);
    assert!(accepted_subjects(&peer).values().all(|n| *n == 1));
}

#[tokio::test]
async fn a_server_slower_than_the_lease_gets_each_message_once_with_two_drains_beside_it() {
    let (l, port) = listener().await;
    let peer = Peer::pipelining(&[]);
    *peer.data_delay.lock().unwrap() = std::time::Duration::from_millis(700);
    peer.serve(l);
    let s = setup(port).await;
    for i in 0..6 {
        s.queue(&format!("Broşür {i} — İzmir")).await;
    }
    // Each message takes longer at the end of its data than the whole lease.
    let opts = DrainOptions {
        batch: 2,
        lease: std::time::Duration::from_millis(500),
        concurrency: 1,
        ..Default::default()
    };
    let (a, b) = tokio::join!(
        drain_with(s.pool(), "app-1", &s.router, opts),
        drain_with(s.pool(), "cli-2", &s.router, opts)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    let seen = accepted_subjects(&peer);
    assert_eq!(seen.len(), 6, "{seen:?}");
    assert!(seen.values().all(|n| *n == 1), "sent twice: {seen:?}");
    assert_eq!(a.sent + b.sent, 6);
    assert_eq!(*peer.data_seen.lock().unwrap(), 6);
}
