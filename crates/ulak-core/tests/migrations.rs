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

async fn pool() -> SqlitePool {
    SqlitePoolOptions::new()
        .max_connections(1)
        .connect("sqlite::memory:")
        .await
        .unwrap()
}

#[tokio::test]
async fn bodies_move_to_their_own_table_and_pending_messages_stay_claimable() {
    let dir = tempfile::tempdir().unwrap();
    let p = pool().await;
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
    sqlx::migrate!("./migrations").run(&p).await.unwrap();

    let rows: Vec<(i64, String, String, Vec<u8>)> = sqlx::query_as(
        "SELECT m.id, m.state, m.subject, b.raw FROM messages m JOIN message_bodies b ON b.message_id = m.id ORDER BY m.id",
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
