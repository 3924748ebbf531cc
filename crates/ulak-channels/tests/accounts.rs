//! SMTP accounts in a real encrypted store: validation before writing, the password
//! kept apart and never shown, workspaces kept apart.

use secrecy::ExposeSecret;
use ulak_channels::email::accounts::{self, AccountInput};
use ulak_channels::email::server::Security;
use ulak_core::{workspace, UserFacing};

use ulak_core::testing::temp_store as store;

fn input() -> AccountInput {
    AccountInput {
        email: "satis@firma.com.tr".into(),
        sender_name: "Satış Ekibi".into(),
        host: "smtp.firma.com.tr".into(),
        port: Some(587),
        security: Some(Security::Starttls),
        username: "satis@firma.com.tr".into(),
        password: Some("gizli-şifre-1".into()),
        ..Default::default()
    }
}

#[tokio::test]
async fn missing_fields_are_all_named_and_nothing_is_saved() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let ws = workspace::active(s.pool()).await.unwrap().id;
    let err = accounts::create(
        s.pool(),
        ws,
        &AccountInput {
            email: "a@b.com".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "smtp.settings_incomplete");
    assert_eq!(
        err.to_string(),
        "SMTP settings are incomplete: host, port, security, username, password"
    );
    assert!(accounts::list(s.pool(), ws).await.unwrap().is_empty());
}

#[tokio::test]
async fn bad_values_are_refused_beside_their_field() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let ws = workspace::active(s.pool()).await.unwrap().id;
    let cases: Vec<(AccountInput, &str, &str)> = vec![
        (
            AccountInput {
                port: Some(0),
                ..input()
            },
            "smtp.bad_port",
            "port",
        ),
        (
            AccountInput {
                port: Some(65536),
                ..input()
            },
            "smtp.bad_port",
            "port",
        ),
        (
            AccountInput {
                host: "smtp firma.com".into(),
                ..input()
            },
            "smtp.bad_host",
            "host",
        ),
        (
            AccountInput {
                email: "satis@".into(),
                ..input()
            },
            "validation.email",
            "email",
        ),
        (
            AccountInput {
                sender_name: "A\r\nBcc: x@y.com".into(),
                ..input()
            },
            "validation.control_chars",
            "senderName",
        ),
        (
            AccountInput {
                security: Some(Security::None),
                ..input()
            },
            "smtp.insecure_remote",
            "security",
        ),
        (
            AccountInput {
                password: Some("a\r\nb".into()),
                ..input()
            },
            "validation.control_chars",
            "password",
        ),
    ];
    for (i, code, field) in cases {
        let err = accounts::create(s.pool(), ws, &i).await.unwrap_err();
        assert_eq!(
            (err.code().as_str(), err.field()),
            (code, Some(field)),
            "{i:?}"
        );
    }
    assert!(accounts::list(s.pool(), ws).await.unwrap().is_empty());
}

#[tokio::test]
async fn password_is_stored_apart_masked_and_kept_on_edit() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let ws = workspace::active(s.pool()).await.unwrap().id;
    let a = accounts::create(s.pool(), ws, &input()).await.unwrap();
    assert!(a.password_set);
    let json = serde_json::to_string(&a).unwrap();
    assert!(
        !json.contains("gizli"),
        "the account sent to the UI carries no password: {json}"
    );
    assert!(
        !format!("{:?}", input()).contains("gizli"),
        "Debug hides it too"
    );

    // Edit without a password keeps it; with one replaces it.
    let e = accounts::update(
        s.pool(),
        ws,
        a.id,
        &AccountInput {
            port: Some(465),
            security: Some(Security::Tls),
            password: None,
            ..input()
        },
    )
    .await
    .unwrap();
    assert_eq!((e.port, e.security), (465, Security::Tls));
    assert_eq!(
        accounts::password(s.pool(), ws, a.id)
            .await
            .unwrap()
            .unwrap()
            .expose_secret(),
        "gizli-şifre-1"
    );
    accounts::update(
        s.pool(),
        ws,
        a.id,
        &AccountInput {
            password: Some("yeni".into()),
            ..input()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        accounts::password(s.pool(), ws, a.id)
            .await
            .unwrap()
            .unwrap()
            .expose_secret(),
        "yeni"
    );

    let dup = accounts::create(s.pool(), ws, &input()).await.unwrap_err();
    assert_eq!(dup.code(), "smtp.duplicate_account");

    accounts::remove(s.pool(), ws, a.id).await.unwrap();
    assert!(
        accounts::password(s.pool(), ws, a.id)
            .await
            .unwrap()
            .is_none(),
        "the secret goes with the account"
    );
    assert_eq!(
        accounts::remove(s.pool(), ws, a.id)
            .await
            .unwrap_err()
            .code(),
        "smtp.account_not_found"
    );
}

#[tokio::test]
async fn accounts_of_one_workspace_are_invisible_from_another() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let a_ws = workspace::active(s.pool()).await.unwrap().id;
    let b_ws = workspace::create(s.pool(), "B").await.unwrap().id;
    let a = accounts::create(s.pool(), a_ws, &input()).await.unwrap();
    assert!(accounts::list(s.pool(), b_ws).await.unwrap().is_empty());
    assert_eq!(
        accounts::get(s.pool(), b_ws, a.id)
            .await
            .unwrap_err()
            .code(),
        "smtp.account_not_found"
    );
    assert!(accounts::password(s.pool(), b_ws, a.id)
        .await
        .unwrap()
        .is_none());
    assert_eq!(
        accounts::remove(s.pool(), b_ws, a.id)
            .await
            .unwrap_err()
            .code(),
        "smtp.account_not_found"
    );
    // The same address may be set up in another workspace.
    accounts::create(s.pool(), b_ws, &input()).await.unwrap();
}

#[tokio::test]
async fn the_table_itself_refuses_impossible_ports_and_modes() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let ws = workspace::active(s.pool()).await.unwrap().id;
    let a = accounts::create(s.pool(), ws, &input()).await.unwrap();
    // The CHECK constraints keep nonsense out through SQL too.
    let r = sqlx::query("UPDATE smtp_accounts SET port = 0 WHERE id = ?1")
        .bind(a.id)
        .execute(s.pool())
        .await;
    assert!(r.is_err(), "port 0 must be refused by the table itself");
    let r = sqlx::query("UPDATE smtp_accounts SET security = 'rot13' WHERE id = ?1")
        .bind(a.id)
        .execute(s.pool())
        .await;
    assert!(r.is_err());
}
