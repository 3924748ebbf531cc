//! Webhooks end to end through the outbox, to an HTTPS receiver on loopback
//! (`tests/servers/webhook_receiver.py`) that verifies each delivery's signature with
//! the Standard Webhooks algorithm on its own: events as messages finish, a secret's
//! rotation, retries on 500 and on silence, the give-up after a day, no redirect
//! followed, a capped answer, and no delivery to a private address.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use chrono::Utc;
use ulak_api::webhooks;
use ulak_channels::sms::{self, SmsDraft};
use ulak_channels::testing::FakeProvider;
use ulak_channels::webhook::{endpoints, EndpointInput};
use ulak_core::testing::temp_store;
use ulak_core::{workspace, ErrorCode, UserFacing};
use ulak_outbox::history::{self, Filter};
use ulak_outbox::worker::{DrainOptions, DrainReport};
use ulak_outbox::{queue, State};

/// One test CA for every receiver of this process, trusted through `SSL_CERT_FILE`
/// (which the native root store reads) before any delivery builds its client.
fn certs() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        // Fresh for each run: a reused folder could hold certificates that have expired.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let d = std::env::temp_dir().join(format!(
            "ulak-webhook-certs-{}-{nanos:x}",
            std::process::id()
        ));
        std::fs::create_dir_all(&d).unwrap();
        std::env::set_var("SSL_CERT_FILE", d.join("ca.pem"));
        d
    })
}

struct Receiver {
    server: FakeProvider,
    secrets: PathBuf,
    _dir: tempfile::TempDir,
}

impl Receiver {
    fn start() -> Receiver {
        // The first start makes the certificates; the others wait for them.
        static START: Mutex<()> = Mutex::new(());
        let _one = START.lock().unwrap_or_else(|e| e.into_inner());
        let dir = tempfile::tempdir().unwrap();
        let secrets = dir.path().join("secrets");
        let server = FakeProvider::webhook_receiver(&secrets, certs());
        Receiver {
            server,
            secrets,
            _dir: dir,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base)
    }

    /// The secrets it verifies with from now on.
    fn knows(&self, secrets: &[&str]) {
        std::fs::write(&self.secrets, secrets.join("\n")).unwrap();
    }

    fn seen(&self) -> Vec<serde_json::Value> {
        self.server.requests()
    }
}

async fn drain(s: &ulak_core::Store) -> DrainReport {
    ulak_api::outbox::drain(
        s.pool(),
        s.data_dir(),
        "test",
        DrainOptions::default(),
        |_, _| {},
    )
    .await
    .unwrap()
}

fn input(url: &str, events: &[&str]) -> EndpointInput {
    EndpointInput {
        url: url.into(),
        events: events.iter().map(|e| e.to_string()).collect(),
        allow_private: true,
    }
}

/// Makes a waiting delivery due now, `age` after it was queued.
async fn due_now(s: &ulak_core::Store, id: i64, age: chrono::Duration) {
    let now = Utc::now();
    sqlx::query("UPDATE messages SET next_attempt_at = ?2, created_at = ?3 WHERE id = ?1")
        .bind(id)
        .bind(queue::timestamp(now))
        .bind(queue::timestamp(now - age))
        .execute(s.pool())
        .await
        .unwrap();
}

async fn state(s: &ulak_core::Store, ws: i64, id: i64) -> queue::Row {
    queue::get(s.pool(), ws, id).await.unwrap().unwrap()
}

#[tokio::test]
async fn finished_messages_reach_the_receiver_signed_and_a_rotation_signs_with_both() {
    let r = Receiver::start();
    let d = tempfile::tempdir().unwrap();
    let s = temp_store(d.path()).await;
    let ws = workspace::active(s.pool()).await.unwrap().id;
    let added = webhooks::add(
        s.pool(),
        ws,
        &input(&r.url("/ok"), &["message.sent", "message.failed"]),
    )
    .await
    .unwrap();
    assert!(added.secret.starts_with("whsec_"));
    r.knows(&[&added.secret]);
    let hook = added.endpoint.id;

    // An SMS to the sandbox goes; one to a provider that is not set up fails for good.
    let sent = sms::build(
        &SmsDraft {
            to: "0532 123 45 67".into(),
            text: "Teklifiniz hazır — Şükrü Bey".into(),
            ..Default::default()
        },
        Utc::now(),
    )
    .unwrap();
    let mut lost = sent.clone();
    lost.provider = "twilio".into();
    lost.account_id = Some(999);
    lost.idempotency_key = "lost".into();
    let ids = queue::enqueue_many(s.pool(), ws, &[sent, lost], Utc::now())
        .await
        .unwrap();
    let report = drain(&s).await;
    assert_eq!((report.sent, report.failed), (1, 1), "{report:?}");

    let seen = r.seen();
    assert_eq!(seen.len(), 2, "{seen:#?}");
    for e in &seen {
        assert_eq!(e["problems"], serde_json::json!([]), "{e}");
        assert_eq!(e["verified"], serde_json::json!([0]));
        assert_eq!(e["signatures"], 1);
    }
    let of = |t: &str| {
        seen.iter()
            .find(|e| e["body"]["type"] == t)
            .unwrap()
            .clone()
    };
    let ok = of("message.sent");
    assert_eq!(ok["body"]["data"]["messageId"], ids[0]);
    assert_eq!(ok["body"]["data"]["to"], "+905321234567");
    assert_eq!(ok["body"]["data"]["channel"], "sms");
    let bad = of("message.failed");
    assert_eq!(bad["body"]["data"]["messageId"], ids[1]);
    assert_eq!(bad["body"]["data"]["code"], "accountMissing");

    // The deliveries are the endpoint's log, not the salesperson's history.
    let log = webhooks::deliveries(s.pool(), ws, hook, 10).await.unwrap();
    assert_eq!(log.len(), 2);
    assert!(log.iter().all(|l| l.state == "sent"
        && l.answer
            .as_deref()
            .is_some_and(|a| a.starts_with("HTTP 200"))));
    let listed = history::list(s.pool(), ws, &Filter::default())
        .await
        .unwrap();
    assert_eq!(listed.len(), 2, "only the two SMS");
    let e = endpoints::get(s.pool(), ws, hook).await.unwrap();
    assert_eq!((e.last_status, e.failing_since), (Some(200), None));

    // A rotation: for a day each delivery carries both signatures, so a receiver
    // holding either secret accepts it.
    let fresh = webhooks::rotate_secret(s.pool(), ws, hook).await.unwrap();
    assert_ne!(fresh, added.secret);
    r.knows(&[&added.secret]);
    webhooks::send_test(s.pool(), ws, hook).await.unwrap();
    drain(&s).await;
    r.knows(&[&fresh]);
    webhooks::send_test(s.pool(), ws, hook).await.unwrap();
    drain(&s).await;
    let seen = r.seen();
    assert_eq!(seen.len(), 4);
    for e in &seen[2..] {
        assert_eq!(e["body"]["type"], "webhook.test");
        assert_eq!(e["signatures"], 2, "{e}");
        assert_eq!(e["problems"], serde_json::json!([]), "{e}");
    }
    // The day over, only the new secret signs.
    sqlx::query("UPDATE webhook_endpoints SET previous_until = '2000-01-01T00:00:00.000Z'")
        .execute(s.pool())
        .await
        .unwrap();
    r.knows(&[&added.secret]);
    webhooks::send_test(s.pool(), ws, hook).await.unwrap();
    drain(&s).await;
    let last = r.seen().pop().unwrap();
    assert_eq!(last["signatures"], 1);
    let previous: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM secrets WHERE owner LIKE 'webhook:%' AND name = 'previous'",
    )
    .fetch_one(s.pool())
    .await
    .unwrap();
    assert_eq!(previous, 0, "the expired secret is deleted");
    let e = endpoints::get(s.pool(), ws, hook).await.unwrap();
    assert_eq!(e.previous_until, None);
    assert_eq!(
        last["problems"],
        serde_json::json!(["no signature verifies with a known secret"])
    );

    // The secrets are in the store, encrypted like the rest: not readable in its files.
    for file in ["ulak.db", "ulak.db-wal"] {
        let Ok(bytes) = std::fs::read(d.path().join(file)) else {
            assert_ne!(file, "ulak.db", "the store's file is there");
            continue;
        };
        for secret in [&fresh, &added.secret] {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{file}"
            );
        }
    }
}

#[tokio::test]
async fn a_failing_receiver_is_retried_then_given_up_and_its_endpoint_marked_failing() {
    let r = Receiver::start();
    let d = tempfile::tempdir().unwrap();
    let s = temp_store(d.path()).await;
    let ws = workspace::active(s.pool()).await.unwrap().id;
    let failing = webhooks::add(s.pool(), ws, &input(&r.url("/fail"), &["*"]))
        .await
        .unwrap();
    let flaky = webhooks::add(s.pool(), ws, &input(&r.url("/flaky"), &["*"]))
        .await
        .unwrap();
    r.knows(&[&failing.secret, &flaky.secret]);
    let a = webhooks::send_test(s.pool(), ws, failing.endpoint.id)
        .await
        .unwrap();
    let b = webhooks::send_test(s.pool(), ws, flaky.endpoint.id)
        .await
        .unwrap();
    let report = drain(&s).await;
    assert_eq!(
        report,
        DrainReport::default(),
        "deliveries are not counted as messages"
    );

    let row = state(&s, ws, a).await;
    assert_eq!((row.state, row.attempts), (State::Retry, 1));
    assert!(
        row.last_error.as_deref().unwrap().starts_with("HTTP 500"),
        "{row:?}"
    );
    let wait = chrono::DateTime::parse_from_rfc3339(&row.next_attempt_at)
        .unwrap()
        .with_timezone(&Utc)
        - Utc::now();
    assert!(
        wait <= chrono::Duration::seconds(5),
        "first retry after 5 s at most: {wait}"
    );
    assert_eq!(state(&s, ws, b).await.state, State::Retry);

    // The flaky one takes its second try; the failing one, a day old, is given up.
    due_now(&s, a, chrono::Duration::hours(25)).await;
    due_now(&s, b, chrono::Duration::seconds(6)).await;
    let report = drain(&s).await;
    assert_eq!(report.webhooks_failing, vec![failing.endpoint.url.clone()]);
    assert_eq!(state(&s, ws, a).await.state, State::Failed);
    assert_eq!(state(&s, ws, b).await.state, State::Sent);
    let e = endpoints::get(s.pool(), ws, failing.endpoint.id)
        .await
        .unwrap();
    assert!(e.failing_since.is_some());
    assert_eq!(e.last_status, Some(500));
    let f = endpoints::get(s.pool(), ws, flaky.endpoint.id)
        .await
        .unwrap();
    assert_eq!((f.last_status, f.failing_since), (Some(200), None));
    let tries = r.seen();
    assert_eq!(tries.iter().filter(|t| t["path"] == "/fail").count(), 2);
    assert_eq!(tries.iter().filter(|t| t["path"] == "/flaky").count(), 2);
    assert!(tries.iter().all(|t| t["problems"] == serde_json::json!([])));

    // Told once: a later give-up of the same endpoint does not tell again.
    let c = webhooks::send_test(s.pool(), ws, failing.endpoint.id)
        .await
        .unwrap();
    drain(&s).await;
    due_now(&s, c, chrono::Duration::hours(25)).await;
    assert!(drain(&s).await.webhooks_failing.is_empty());
}

#[tokio::test]
async fn redirects_are_not_followed_answers_are_capped_and_silence_times_out() {
    let r = Receiver::start();
    let d = tempfile::tempdir().unwrap();
    let s = temp_store(d.path()).await;
    let ws = workspace::active(s.pool()).await.unwrap().id;
    let mut ids = Vec::new();
    let mut hooks = Vec::new();
    let mut secrets = Vec::new();
    for path in ["/redirect", "/big", "/slow", "/gone"] {
        let a = webhooks::add(s.pool(), ws, &input(&r.url(path), &["*"]))
            .await
            .unwrap();
        secrets.push(a.secret.clone());
        hooks.push(a.endpoint.id);
        ids.push(
            webhooks::send_test(s.pool(), ws, a.endpoint.id)
                .await
                .unwrap(),
        );
    }
    r.knows(&secrets.iter().map(String::as_str).collect::<Vec<_>>());
    drain(&s).await;

    let redirect = state(&s, ws, ids[0]).await;
    assert_eq!(redirect.state, State::Retry);
    assert!(
        redirect
            .last_error
            .as_deref()
            .unwrap()
            .contains("not followed"),
        "{redirect:?}"
    );
    let big = webhooks::deliveries(s.pool(), ws, hooks[1], 1)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(big.state, "sent");
    assert!(
        big.answer.as_deref().unwrap().chars().count() <= 220,
        "{big:?}"
    );
    let slow = state(&s, ws, ids[2]).await;
    assert_eq!(slow.state, State::Retry);
    assert!(
        slow.last_error
            .as_deref()
            .unwrap()
            .contains("did not answer"),
        "{slow:?}"
    );
    let gone = state(&s, ws, ids[3]).await;
    assert_eq!(gone.state, State::Failed, "410 Gone is final");
    let paths: Vec<_> = r.seen().iter().map(|t| t["path"].clone()).collect();
    assert!(
        !paths.contains(&serde_json::json!("/ok")),
        "the redirect was followed: {paths:?}"
    );
}

#[tokio::test]
async fn private_addresses_are_refused_unless_allowed() {
    let r = Receiver::start();
    let d = tempfile::tempdir().unwrap();
    let s = temp_store(d.path()).await;
    let ws = workspace::active(s.pool()).await.unwrap().id;
    for (url, code) in [
        ("https://192.168.1.5/hook", ErrorCode::WebhookPrivateAddress),
        (r.url("/ok").as_str(), ErrorCode::WebhookPrivateAddress),
        (
            "https://169.254.169.254/latest",
            ErrorCode::WebhookPrivateAddress,
        ),
        ("http://crm.example.com/hook", ErrorCode::WebhookInsecure),
        ("crm.example.com", ErrorCode::ValidationUrl),
    ] {
        let mut i = input(url, &["message.failed"]);
        i.allow_private = false;
        let e = webhooks::add(s.pool(), ws, &i).await.unwrap_err();
        assert_eq!(e.code(), code, "{url}");
    }
    let e = webhooks::add(s.pool(), ws, &input(&r.url("/ok"), &["deal.won"]))
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::WebhookEvents);
    assert!(
        webhooks::list(s.pool(), ws).await.unwrap().is_empty(),
        "nothing saved"
    );

    // A name that (now) resolves to a private address: not delivered to.
    let a = webhooks::add(
        s.pool(),
        ws,
        &input(&r.url("/ok").replace("127.0.0.1", "localhost"), &["*"]),
    )
    .await
    .unwrap();
    r.knows(&[&a.secret]);
    sqlx::query("UPDATE webhook_endpoints SET allow_private = 0")
        .execute(s.pool())
        .await
        .unwrap();
    let id = webhooks::send_test(s.pool(), ws, a.endpoint.id)
        .await
        .unwrap();
    drain(&s).await;
    let row = state(&s, ws, id).await;
    assert_eq!(row.state, State::Failed);
    assert_eq!(row.last_code.map(|c| c.as_str()), Some("blockedAddress"));
    assert!(r.seen().is_empty(), "nothing reached the receiver");

    // Removed: its queued deliveries fail as such, and its secrets are gone.
    let id = webhooks::send_test(s.pool(), ws, a.endpoint.id)
        .await
        .unwrap();
    webhooks::remove(s.pool(), ws, a.endpoint.id).await.unwrap();
    // The next endpoint gets a new id, and the old delivery does not go to it.
    let b = webhooks::add(s.pool(), ws, &input(&r.url("/ok"), &["*"]))
        .await
        .unwrap();
    assert!(b.endpoint.id > a.endpoint.id, "ids are not reused");
    r.knows(&[&a.secret, &b.secret]);
    drain(&s).await;
    assert_eq!(state(&s, ws, id).await.state, State::Failed);
    assert!(
        r.seen().is_empty(),
        "the removed endpoint's delivery went nowhere"
    );
    webhooks::remove(s.pool(), ws, b.endpoint.id).await.unwrap();
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM secrets WHERE owner LIKE 'webhook:%'")
        .fetch_one(s.pool())
        .await
        .unwrap();
    assert_eq!(left, 0);
}
