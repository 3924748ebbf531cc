//! A real test e-mail through the local Postfix, read back from its maildir.

use std::time::Duration;
use ulak_channels::email::testing::MailServer;

use ulak_channels::email::accounts::{self, AccountInput};
use ulak_channels::email::send::{send_test_email, TEST_SUBJECT};
use ulak_channels::email::server::Security;
use ulak_core::{workspace, UserFacing};

use ulak_core::testing::temp_store as store;

/// The delivered message that carries `needle`, waiting for Postfix to deliver it.
async fn delivered(maildir: &str, needle: &str) -> String {
    for _ in 0..100 {
        for dir in ["new", "cur"] {
            if let Ok(rd) = std::fs::read_dir(format!("{maildir}/{dir}")) {
                for e in rd.flatten() {
                    let text = std::fs::read_to_string(e.path()).unwrap_or_default();
                    if text.contains(needle) {
                        return text;
                    }
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no delivered message contains {needle}");
}

#[tokio::test]
async fn the_test_email_arrives_in_the_senders_own_mailbox_with_turkish_intact() {
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
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let ws = workspace::active(s.pool()).await.unwrap().id;
    let input = AccountInput {
        email: user.clone(),
        sender_name: "Gülşen Çağlar — Satış".into(),
        host: "localhost".into(),
        port: Some(port.parse().unwrap()),
        security: Some(Security::Starttls),
        username: user.clone(),
        password: Some(pw.clone()),
        ..Default::default()
    };
    let a = accounts::create(s.pool(), ws, &input).await.unwrap();
    accounts::set_trusted_ca(
        s.pool(),
        ws,
        a.id,
        Some(&std::fs::read_to_string(ca).unwrap()),
    )
    .await
    .unwrap();

    let sent = send_test_email(s.pool(), ws, a.id).await.unwrap();
    assert_eq!(sent.to, user);
    assert!(
        sent.server_reply.contains("queued"),
        "{}",
        sent.server_reply
    );

    let raw = delivered(&maildir, &sent.message_id).await;
    assert!(
        raw.contains(&format!("Message-ID: {}", sent.message_id))
            || raw.contains(&format!("Message-Id: {}", sent.message_id)),
        "{raw}"
    );
    // Non-ASCII header text travels RFC 2047-encoded and decodes back to the original.
    let subject = header(&raw, "Subject");
    assert!(
        subject.to_ascii_lowercase().contains("=?utf-8?"),
        "{subject}"
    );
    assert!(subject.is_ascii(), "headers go out 7-bit: {subject}");
    assert_eq!(decode_2047(&subject), TEST_SUBJECT);
    let from = header(&raw, "From");
    assert!(
        decode_2047(&from).contains("Gülşen Çağlar — Satış"),
        "{from}"
    );
    assert!(raw.contains("deneme e-postas"), "{raw}");

    // A wrong password fails with the sign-in code, not a generic network error.
    accounts::update(
        s.pool(),
        ws,
        a.id,
        &AccountInput {
            password: Some("yanlış".into()),
            ..input
        },
    )
    .await
    .unwrap();
    let err = send_test_email(s.pool(), ws, a.id).await.unwrap_err();
    assert_eq!(err.code(), "smtp.auth_failed", "{err}");
    assert!(!err.to_string().contains("yanlış"));
}

/// One header, unfolded.
fn header(raw: &str, name: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in raw.lines() {
        if inside {
            if line.starts_with([' ', '\t']) {
                out.push_str(line.trim_start());
                continue;
            }
            break;
        }
        if let Some(v) = line.strip_prefix(&format!("{name}: ")) {
            out.push_str(v);
            inside = true;
        }
    }
    out
}

/// Decodes `=?utf-8?b?…?=` and `=?utf-8?q?…?=` words (enough for this test).
fn decode_2047(v: &str) -> String {
    use base64::Engine;
    let mut out = String::new();
    let mut rest = v;
    while let Some(start) = rest.find("=?") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("?=") else { break };
        let word = &after[..end];
        let mut parts = word.splitn(3, '?');
        let (_, enc, text) = (
            parts.next().unwrap(),
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
        );
        let bytes = if enc.eq_ignore_ascii_case("b") {
            base64::engine::general_purpose::STANDARD
                .decode(text)
                .unwrap_or_default()
        } else {
            let mut b = Vec::new();
            let t = text.replace('_', " ");
            let mut it = t.bytes();
            while let Some(c) = it.next() {
                if c == b'=' {
                    let h: String = [
                        it.next().unwrap_or(b'0') as char,
                        it.next().unwrap_or(b'0') as char,
                    ]
                    .iter()
                    .collect();
                    b.push(u8::from_str_radix(&h, 16).unwrap_or(b'?'));
                } else {
                    b.push(c);
                }
            }
            b
        };
        out.push_str(&String::from_utf8_lossy(&bytes));
        rest = &after[end + 2..];
        // Only the space between two encoded words is dropped (RFC 2047 §6.2).
        let trimmed = rest.trim_start();
        if trimmed.starts_with("=?") {
            rest = trimmed;
        }
    }
    out.push_str(rest);
    out
}

/// The test e-mail of a form as typed, before it is saved: it arrives, nothing is
/// stored; for an account being edited, an empty password is the saved one on the same
/// server and asked for again on another; a relay with no sign-in sends too.
#[tokio::test]
async fn the_test_email_of_a_typed_form_arrives_and_nothing_is_stored() {
    use ulak_channels::email::send::send_test_typed;
    let Some(m) = MailServer::from_env() else {
        return;
    };
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    // Unsaved, on the relay port in clear (loopback): no company CA needed.
    let relay = AccountInput {
        email: "satis@test.local".into(),
        sender_name: "Işıl Öz".into(),
        host: "localhost".into(),
        port: Some(i64::from(m.relay)),
        security: Some(Security::None),
        no_auth: true,
        ..Default::default()
    };
    let sent = send_test_typed(p, ws, &relay, None).await.unwrap();
    delivered(&m.maildir, &sent.message_id).await;
    assert!(
        accounts::list(p, ws).await.unwrap().is_empty(),
        "nothing stored"
    );

    // A saved account edited in the form: its saved password on the same server.
    let input = AccountInput {
        email: m.user.clone(),
        sender_name: "Ali".into(),
        host: "localhost".into(),
        port: Some(i64::from(m.plain)),
        security: Some(Security::None),
        username: m.user.clone(),
        password: Some(m.password.clone()),
        ..Default::default()
    };
    let a = accounts::create(p, ws, &input).await.unwrap();
    let edited = AccountInput {
        sender_name: "Ali Veli".into(),
        password: None,
        ..input.clone()
    };
    let sent = send_test_typed(p, ws, &edited, Some(a.id)).await.unwrap();
    delivered(&m.maildir, &sent.message_id).await;
    // Another server: the saved password is not handed over.
    let moved = AccountInput {
        port: Some(i64::from(m.relay)),
        ..edited
    };
    let err = send_test_typed(p, ws, &moved, Some(a.id))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "smtp.password_again", "{err}");
    // A wrong typed password: the sign-in's code.
    let wrong = AccountInput {
        password: Some("yanlış".into()),
        ..input
    };
    let err = send_test_typed(p, ws, &wrong, Some(a.id))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "smtp.auth_failed", "{err}");
}
