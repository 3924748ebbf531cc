//! Migrations over a store that already holds messages: a user who updates Ulak keeps
//! every queued and sent message, byte for byte. The SQL is the same with or without
//! SQLCipher, so an in-memory database serves.

use std::path::Path;

use sqlx::migrate::Migrator;
use sqlx::sqlite::SqlitePoolOptions;
use sqlx::SqlitePool;

/// The migrations up to `last`, as an older Ulak shipped them.
async fn migrator_up_to(last: i64, dir: &Path) -> Migrator {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    for e in std::fs::read_dir(&src).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let version: i64 = name[..4].parse().unwrap();
        if version <= last {
            std::fs::copy(&p, dir.join(&name)).unwrap();
        }
    }
    Migrator::new(dir).await.unwrap()
}

/// A store file of its own in `dir` (the migrations open a connection of their own,
/// so an in-memory database would not be the same one).
async fn pool(dir: &Path) -> SqlitePool {
    let url = format!("sqlite://{}?mode=rwc", dir.join("t.db").display());
    SqlitePoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await
        .unwrap()
}

#[tokio::test]
async fn bodies_move_to_their_own_table_and_pending_messages_stay_claimable() {
    let dir = tempfile::tempdir().unwrap();
    let db = tempfile::tempdir().unwrap();
    let p = pool(db.path()).await;
    migrator_up_to(5, dir.path()).await.run(&p).await.unwrap();

    sqlx::query("INSERT INTO workspaces (id, name, created_at) VALUES (1, 'Firma', '2026-01-01')")
        .execute(&p)
        .await
        .unwrap();
    let states = ["queued", "sent", "retry", "failed", "sending"];
    for (i, state) in states.iter().enumerate() {
        let raw = format!("Subject: =?utf-8?q?=C3=B6rnek?= {i}\r\n\r\nMerhaba {i}\r\n");
        sqlx::query(
            "INSERT INTO messages (id, workspace_id, message_id, idempotency_key, sender, recipients,
                subject, raw, state, attempts, next_attempt_at, lease_until, created_at, updated_at, to_display)
             VALUES (?1, 1, ?2, ?2, 'a@b.test', '[\"c@d.test\"]', ?3, ?4, ?5, 1,
                '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', '2026-01-01', '2026-01-01', 'c@d.test')",
        )
        .bind(i as i64 + 1)
        .bind(format!("<{i}@b.test>"))
        .bind(format!("örnek {i}"))
        .bind(raw.as_bytes())
        .bind(state)
        .execute(&p)
        .await
        .unwrap();
    }

    // The release's full set of migrations on top.
    ulak_core::store::migrate(&p).await.unwrap();

    let rows: Vec<(i64, String, String, Vec<u8>)> = sqlx::query_as(
        "SELECT m.id, m.state, m.subject, b.payload FROM messages m JOIN message_payloads b ON b.message_id = m.id ORDER BY m.id",
    )
    .fetch_all(&p)
    .await
    .unwrap();
    assert_eq!(rows.len(), states.len(), "every message kept its body");
    for (i, (id, state, subject, raw)) in rows.iter().enumerate() {
        assert_eq!(*id, i as i64 + 1);
        assert_eq!(state, states[i]);
        assert_eq!(subject, &format!("örnek {i}"));
        let want = format!("Subject: =?utf-8?q?=C3=B6rnek?= {i}\r\n\r\nMerhaba {i}\r\n");
        assert_eq!(raw, want.as_bytes(), "the exact bytes");
    }
    let has_raw: i64 =
        sqlx::query_scalar("SELECT count(*) FROM pragma_table_info('messages') WHERE name = 'raw'")
            .fetch_one(&p)
            .await
            .unwrap();
    assert_eq!(has_raw, 0, "the old column is gone");

    // The pending index holds exactly the messages still to send.
    let pending: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM messages INDEXED BY messages_pending
         WHERE state IN ('queued', 'retry', 'sending') ORDER BY id",
    )
    .fetch_all(&p)
    .await
    .unwrap();
    assert_eq!(pending, vec![1, 3, 5]);
}

/// (state, account, attempts, last_error, server_reply, the code it should read as)
type OldRow = (
    &'static str,
    Option<i64>,
    i64,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
);

#[tokio::test]
async fn every_message_becomes_an_email_of_its_provider_with_its_failure_coded_and_its_try_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = tempfile::tempdir().unwrap();
    let p = pool(db.path()).await;
    migrator_up_to(7, dir.path()).await.run(&p).await.unwrap();
    sqlx::query("INSERT INTO workspaces (id, name, created_at) VALUES (1, 'Firma', '2026-01-01')")
        .execute(&p)
        .await
        .unwrap();
    let rows: [OldRow; 9] = [
        ("queued", Some(7), 0, None, None, None),
        ("sending", None, 1, None, None, None),
        (
            "sent",
            Some(7),
            1,
            None,
            Some("250 2.0.0 Ok: queued as ABC"),
            None,
        ),
        ("sent", None, 1, None, Some("sandbox: saved as x.eml"), None),
        (
            "failed",
            Some(7),
            1,
            Some(
                "permanent error (550): 5.1.1 <x@y.test>: Recipient address rejected: User unknown",
            ),
            None,
            Some("noSuchRecipient"),
        ),
        (
            "failed",
            Some(7),
            1,
            Some("permanent error (535): 5.7.8 Error: authentication failed"),
            None,
            Some("signIn"),
        ),
        (
            "failed",
            Some(7),
            1,
            Some("permanent error (554): 5.7.1 <x@y.test>: Relay access denied"),
            None,
            Some("relayDenied"),
        ),
        (
            "retry",
            Some(7),
            2,
            Some("sending failed: Connection refused (os error 111)"),
            None,
            Some("unreachable"),
        ),
        (
            "retry",
            Some(7),
            3,
            Some("transient error (451): 4.3.0 mailbox busy, try later"),
            None,
            Some("serverBusy"),
        ),
    ];
    for (i, (state, account, attempts, err, reply, _)) in rows.iter().enumerate() {
        let id = i as i64 + 1;
        sqlx::query(
            "INSERT INTO messages (id, workspace_id, account_id, message_id, idempotency_key, sender,
                recipients, subject, state, attempts, next_attempt_at, last_error, server_reply,
                created_at, updated_at, to_display)
             VALUES (?1, 1, ?2, ?3, ?3, 'a@b.test', '[\"c@d.test\"]', ?4, ?5, ?6,
                '2026-01-01T00:00:00.000Z', ?7, ?8, '2026-01-01', '2026-01-02T10:00:00.000Z', 'c@d.test')",
        )
        .bind(id)
        .bind(account)
        .bind(format!("<{i}@b.test>"))
        .bind(format!("Konu ğüşıöç {i}"))
        .bind(state)
        .bind(attempts)
        .bind(err)
        .bind(reply)
        .execute(&p)
        .await
        .unwrap();
        let raw = format!("Message-ID: <{i}@b.test>\r\n\r\nGövde {i}\r\n").into_bytes();
        sqlx::query("INSERT INTO message_bodies (message_id, raw) VALUES (?1, ?2)")
            .bind(id)
            .bind(raw)
            .execute(&p)
            .await
            .unwrap();
    }

    ulak_core::store::migrate(&p).await.unwrap();

    type Row = (
        i64,
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Vec<u8>,
    );
    let got: Vec<Row> = sqlx::query_as(
        "SELECT m.id, m.channel, m.provider, m.reference, m.state, m.last_code, m.last_error, p.payload
         FROM messages m JOIN message_payloads p ON p.message_id = m.id ORDER BY m.id",
    )
    .fetch_all(&p)
    .await
    .unwrap();
    assert_eq!(got.len(), rows.len(), "no message lost");
    for (i, (id, channel, provider, reference, state, code, err, payload)) in got.iter().enumerate()
    {
        let (want_state, account, _, want_err, _, want_code) = rows[i];
        assert_eq!(*id, i as i64 + 1);
        assert_eq!(channel, "email");
        assert_eq!(provider, if account.is_some() { "smtp" } else { "sandbox" });
        assert_eq!(reference, &format!("<{i}@b.test>"));
        assert_eq!(state, want_state);
        assert_eq!(err.as_deref(), want_err, "the server's words are kept");
        assert_eq!(code.as_deref(), want_code, "{want_err:?}");
        let want = format!("Message-ID: <{i}@b.test>\r\n\r\nGövde {i}\r\n");
        assert_eq!(payload, want.as_bytes(), "the exact bytes");
    }

    // The one known try of each finished or failed message, with its code or reply.
    let tries: Vec<(i64, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT message_id, outcome, code, provider_text FROM tries ORDER BY message_id",
    )
    .fetch_all(&p)
    .await
    .unwrap();
    assert_eq!(
        tries.iter().map(|t| t.0).collect::<Vec<_>>(),
        vec![3, 4, 5, 6, 7, 8, 9]
    );
    assert_eq!(tries[0].1, "sent");
    assert_eq!(tries[0].3.as_deref(), Some("250 2.0.0 Ok: queued as ABC"));
    assert_eq!(
        (tries[2].1.as_str(), tries[2].2.as_deref()),
        ("failed", Some("noSuchRecipient"))
    );
    assert_eq!(
        (tries[5].1.as_str(), tries[5].2.as_deref()),
        ("retry", Some("unreachable"))
    );

    // Still claimable through the pending index: the queued, sending and retry ones.
    let pending: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM messages INDEXED BY messages_pending
         WHERE state IN ('queued', 'retry', 'sending') ORDER BY id",
    )
    .fetch_all(&p)
    .await
    .unwrap();
    assert_eq!(pending, vec![1, 2, 8, 9]);
}

#[tokio::test]
async fn tables_rebuilt_for_meetings_keep_every_row_that_refers_to_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = tempfile::tempdir().unwrap();
    let p = pool(db.path()).await;
    migrator_up_to(29, dir.path()).await.run(&p).await.unwrap();
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&p)
        .await
        .unwrap();
    assert_eq!(fk, 1, "the pool enforces foreign keys, as the store's does");
    for sql in [
        "INSERT INTO workspaces (id, name, created_at) VALUES (1, 'Firma', '2026-01-01')",
        "INSERT INTO integrations (id, workspace_id, channel, provider, settings, active, created_at, updated_at, last_error)
         VALUES (7, 1, 'sms', 'twilio', '{\"from\":\"+905551112233\"}', 1, '2026-01-01', '2026-01-01', 'Ağ hatası')",
        "INSERT INTO integrations (id, workspace_id, channel, provider, settings, active, created_at, updated_at, rate_per_second)
         VALUES (9, 1, 'email', 'resend', '{\"email\":\"satis@firma.com.tr\"}', 1, '2026-01-01', '2026-01-01', 2)",
        "INSERT INTO inbound_messages (workspace_id, integration_id, channel, provider_id, sender, received_at, body, recorded_at)
         VALUES (1, 7, 'sms', 'SM1', '+905559998877', '2026-01-02', 'Merhaba, görüşelim', '2026-01-02')",
        "INSERT INTO delivery_reports (integration_id, provider_id, delivery, reported_at)
         VALUES (7, 'SM2', 'delivered', '2026-01-02')",
        "INSERT INTO smtp_accounts (workspace_id, email, sender_name, host, port, security, username, created_at, updated_at, integration_id)
         VALUES (1, 'satis@firma.com.tr', 'Satış', 'smtp.resend.com', 465, 'tls', 'resend', '2026-01-01', '2026-01-01', 9)",
        "INSERT INTO oauth_connections (id, workspace_id, provider, address, scopes, created_at, updated_at)
         VALUES (4, 1, 'microsoft', 'ayse@firma.com.tr', 'openid https://outlook.office.com/SMTP.Send', '2026-01-01', '2026-01-01')",
        "INSERT INTO smtp_accounts (workspace_id, email, sender_name, host, port, security, username, created_at, updated_at, oauth_id)
         VALUES (1, 'ayse@firma.com.tr', 'Ayşe', 'smtp.office365.com', 587, 'starttls', 'ayse@firma.com.tr', '2026-01-01', '2026-01-01', 4)",
    ] {
        sqlx::query(sql).execute(&p).await.unwrap();
    }

    ulak_core::store::migrate(&p).await.unwrap();

    let count = |sql: &'static str| {
        let p = p.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&p)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        count("SELECT count(*) FROM inbound_messages WHERE integration_id = 7").await,
        1
    );
    assert_eq!(
        count("SELECT count(*) FROM delivery_reports WHERE integration_id = 7").await,
        1
    );
    assert_eq!(
        count("SELECT count(*) FROM smtp_accounts WHERE integration_id = 9").await,
        1
    );
    let kept: (String, Option<String>, Option<i64>) = sqlx::query_as(
        "SELECT settings, (SELECT last_error FROM integrations WHERE id = 7), rate_per_second
         FROM integrations WHERE id = 9",
    )
    .fetch_one(&p)
    .await
    .unwrap();
    assert_eq!(
        kept,
        (
            "{\"email\":\"satis@firma.com.tr\"}".to_string(),
            Some("Ağ hatası".to_string()),
            Some(2)
        )
    );
    // The OAuth connections rebuilt for their resource (migration 0031): the Outlook
    // account keeps its sign-in, the same address may now sign in for Graph beside it.
    assert_eq!(
        count("SELECT count(*) FROM smtp_accounts WHERE oauth_id = 4").await,
        1
    );
    sqlx::query(
        "INSERT INTO oauth_connections (workspace_id, provider, address, scopes, created_at, updated_at, resource)
         VALUES (1, 'microsoft', 'ayse@firma.com.tr', 'https://graph.microsoft.com/OnlineMeetings.ReadWrite', '2026-01-02', '2026-01-02', 'graph')",
    )
    .execute(&p)
    .await
    .unwrap();
    assert_eq!(
        count("SELECT count(*) FROM oauth_connections WHERE address = 'ayse@firma.com.tr'").await,
        2
    );
    let broken: i64 = count("SELECT count(*) FROM pragma_foreign_key_check").await;
    assert_eq!(broken, 0);
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&p)
        .await
        .unwrap();
    assert_eq!(fk, 1, "the connection has its foreign keys back");

    // A meeting integration may be stored now; an unknown channel still may not.
    sqlx::query(
        "INSERT INTO integrations (workspace_id, channel, provider, settings, created_at, updated_at)
         VALUES (1, 'meeting', 'zoom', '{}', '2026-01-03', '2026-01-03')",
    )
    .execute(&p)
    .await
    .unwrap();
    assert!(sqlx::query(
        "INSERT INTO integrations (workspace_id, channel, provider, settings, created_at, updated_at)
         VALUES (1, 'fax', 'x', '{}', '2026-01-03', '2026-01-03')",
    )
    .execute(&p)
    .await
    .is_err());
    // The rows still follow their integration: removing one removes its messages.
    sqlx::query("DELETE FROM integrations WHERE id = 7")
        .execute(&p)
        .await
        .unwrap();
    assert_eq!(count("SELECT count(*) FROM inbound_messages").await, 0);
}
