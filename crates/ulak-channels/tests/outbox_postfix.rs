//! The outbox through a real SMTP server: every queued message is delivered exactly
//! once into Postfix's maildir; a server that is down leaves messages waiting to retry.

use ulak_channels::email::accounts::{self, AccountInput};
use ulak_channels::email::delivery::Router;
use ulak_channels::email::mime::{self, Draft};
use ulak_channels::email::server::Security;
use ulak_channels::email::testing::MailServer;
use ulak_core::workspace;
use ulak_outbox::queue::{self, State};
use ulak_outbox::worker::drain;

use ulak_core::testing::temp_store as store;

fn maildir_files(maildir: &str) -> Vec<String> {
    ["new", "cur"]
        .iter()
        .flat_map(|d| {
            std::fs::read_dir(format!("{maildir}/{d}"))
                .into_iter()
                .flatten()
                .flatten()
        })
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .collect()
}

#[tokio::test]
async fn every_queued_message_arrives_once_and_a_dead_server_means_retry() {
    let Some(m) = MailServer::from_env() else {
        return;
    };
    let (port, ca, maildir, user, pw) = (
        m.starttls.to_string(),
        m.ca.clone(),
        m.maildir.clone(),
        m.user.clone(),
        m.password.clone(),
    );
    let tls_port = m.tls;
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let input = AccountInput {
        email: user.clone(),
        sender_name: "Satış".into(),
        host: "localhost".into(),
        port: Some(port.parse().unwrap()),
        security: Some(Security::Starttls),
        username: user.clone(),
        password: Some(pw.clone()),
        ..Default::default()
    };
    let a = accounts::create(p, ws, &input).await.unwrap();
    accounts::set_trusted_ca(p, ws, a.id, Some(&std::fs::read_to_string(&ca).unwrap()))
        .await
        .unwrap();

    let tag = format!("batch-{}", std::process::id());
    let mut ids = Vec::new();
    for i in 0..25 {
        let draft = Draft {
            account_id: Some(a.id),
            from: user.clone(),
            to: vec![format!("musteri{i}@firma.com.tr")],
            subject: format!("{tag} #{i} — teklif"),
            text: "Merhaba\n".into(),
            ..Default::default()
        };
        ids.push(
            mime::enqueue(p, ws, &draft, chrono::Utc::now())
                .await
                .unwrap(),
        );
    }
    let router = Router::new(p.clone());
    let r = drain(p, "test", &router).await.unwrap();
    assert_eq!((r.sent, r.failed, r.retrying), (25, 0, 0));
    for id in &ids {
        assert_eq!(
            queue::get(p, ws, *id).await.unwrap().unwrap().state,
            State::Sent
        );
    }
    let mut delivered = 0;
    for _ in 0..100 {
        delivered = maildir_files(&maildir)
            .iter()
            .filter(|m| m.contains(&tag))
            .count();
        if delivered >= 25 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(delivered, 25, "each message delivered exactly once");
    assert_eq!(
        drain(p, "test", &router).await.unwrap().sent,
        0,
        "nothing is sent twice"
    );

    // Implicit TLS (465-style) goes through the same connection code.
    let tls = accounts::create(
        p,
        ws,
        &AccountInput {
            email: "tls@test.local".into(),
            port: Some(tls_port.into()),
            security: Some(Security::Tls),
            ..input.clone()
        },
    )
    .await
    .unwrap();
    accounts::set_trusted_ca(p, ws, tls.id, Some(&std::fs::read_to_string(&ca).unwrap()))
        .await
        .unwrap();
    let tls_tag = format!("{tag}-tls");
    for i in 0..3 {
        let draft = Draft {
            account_id: Some(tls.id),
            from: "tls@test.local".into(),
            to: vec![format!("t{i}@firma.com.tr")],
            subject: format!("{tls_tag} #{i}"),
            ..Default::default()
        };
        mime::enqueue(p, ws, &draft, chrono::Utc::now())
            .await
            .unwrap();
    }
    assert_eq!(drain(p, "test", &router).await.unwrap().sent, 3);

    // A wrong password stops the account at once instead of retrying for hours: its
    // message is held, not failed, until the account is mended and tested.
    let wrong = accounts::create(
        p,
        ws,
        &AccountInput {
            email: "wrong@test.local".into(),
            password: Some("yanlış".into()),
            ..input.clone()
        },
    )
    .await
    .unwrap();
    accounts::set_trusted_ca(
        p,
        ws,
        wrong.id,
        Some(&std::fs::read_to_string(&ca).unwrap()),
    )
    .await
    .unwrap();
    let draft = Draft {
        account_id: Some(wrong.id),
        from: "wrong@test.local".into(),
        to: vec!["x@y.com".into()],
        ..Default::default()
    };
    let wid = mime::enqueue(p, ws, &draft, chrono::Utc::now())
        .await
        .unwrap();
    let r = drain(p, "test", &router).await.unwrap();
    assert_eq!((r.failed, r.retrying), (0, 1));
    assert_eq!(
        queue::get(p, ws, wid).await.unwrap().unwrap().state,
        State::Retry
    );
    let stopped = accounts::get(p, ws, wrong.id).await.unwrap();
    assert_eq!(stopped.status, ulak_outbox::senders::Status::Error);
    assert!(stopped.status_reason.unwrap().contains("535"));
    assert_eq!(
        drain(p, "test", &router).await.unwrap().retrying,
        0,
        "not tried while stopped"
    );

    // The server goes away: the message waits for a retry with the reason.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let down = accounts::create(
        p,
        ws,
        &AccountInput {
            email: "down@test.local".into(),
            port: Some(closed.into()),
            ..input.clone()
        },
    )
    .await
    .unwrap();
    let draft = Draft {
        account_id: Some(down.id),
        from: "down@test.local".into(),
        to: vec!["x@y.com".into()],
        ..Default::default()
    };
    let id = mime::enqueue(p, ws, &draft, chrono::Utc::now())
        .await
        .unwrap();
    let r = drain(&p.clone(), "test", &Router::new(p.clone()))
        .await
        .unwrap();
    assert_eq!(r.retrying, 1);
    let m = queue::get(p, ws, id).await.unwrap().unwrap();
    assert_eq!(m.state, State::Retry);
    assert!(m.last_error.is_some());
}
