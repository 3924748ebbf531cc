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

    // Edit without a password keeps it (same server); with one replaces it.
    let e = accounts::update(
        s.pool(),
        ws,
        a.id,
        &AccountInput {
            sender_name: "Satış — Ankara".into(),
            password: None,
            ..input()
        },
    )
    .await
    .unwrap();
    assert_eq!(e.sender_name, "Satış — Ankara");
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

#[tokio::test]
async fn a_new_server_asks_for_the_password_again_and_changes_nothing_without_it() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let a = accounts::create(p, ws, &input()).await.unwrap();
    let moved = |host: &str, port: i64, security: Security| AccountInput {
        host: host.into(),
        port: Some(port),
        security: Some(security),
        password: None,
        ..input()
    };
    for changed in [
        moved("smtp.baska-sunucu.com", 587, Security::Starttls),
        moved("smtp.firma.com.tr", 465, Security::Tls),
    ] {
        let e = accounts::update(p, ws, a.id, &changed).await.unwrap_err();
        assert_eq!(e.code(), ulak_core::ErrorCode::SmtpPasswordAgain);
        assert_eq!(e.field(), Some("password"));
        let now = accounts::get(p, ws, a.id).await.unwrap();
        assert_eq!((now.host.as_str(), now.port), ("smtp.firma.com.tr", 587));
    }
    // The same server: the saved password stays, nothing is asked.
    let renamed = AccountInput {
        sender_name: "Satış — İzmir".into(),
        password: None,
        ..input()
    };
    accounts::update(p, ws, a.id, &renamed).await.unwrap();
    // A new server with its password: saved.
    let with_password = AccountInput {
        password: Some("yeni-şifre-2".into()),
        ..moved("smtp.baska-sunucu.com", 587, Security::Starttls)
    };
    let a = accounts::update(p, ws, a.id, &with_password).await.unwrap();
    assert_eq!(a.host, "smtp.baska-sunucu.com");
    assert_eq!(
        accounts::password(p, ws, a.id)
            .await
            .unwrap()
            .unwrap()
            .expose_secret(),
        "yeni-şifre-2"
    );
}

#[tokio::test]
async fn a_company_ca_is_checked_before_it_is_kept_and_can_be_removed() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let a = accounts::create(p, ws, &input()).await.unwrap();
    // A real CA certificate and its key, made with openssl.
    let out = std::process::Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        ])
        .args(["-subj", "/CN=Firma İç CA", "-keyout"])
        .arg(d.path().join("ca.key"))
        .arg("-out")
        .arg(d.path().join("ca.pem"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let ca = std::fs::read_to_string(d.path().join("ca.pem")).unwrap();
    let key = std::fs::read_to_string(d.path().join("ca.key")).unwrap();
    let refused = [
        ("", ulak_core::ErrorCode::SmtpCaInvalid),
        (
            "Merhaba, sertifika ektedir.",
            ulak_core::ErrorCode::SmtpCaInvalid,
        ),
        (
            "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n",
            ulak_core::ErrorCode::SmtpCaInvalid,
        ),
        (key.as_str(), ulak_core::ErrorCode::SmtpCaPrivateKey),
        (
            &*format!("{ca}{key}"),
            ulak_core::ErrorCode::SmtpCaPrivateKey,
        ),
    ];
    for (pem, code) in refused {
        let e = accounts::set_trusted_ca(p, ws, a.id, Some(pem))
            .await
            .unwrap_err();
        assert_eq!(e.code(), code, "{pem:.40}: {e}");
        assert!(accounts::trusted_ca(p, ws, a.id).await.unwrap().is_none());
    }
    let kept = accounts::set_trusted_ca(p, ws, a.id, Some(&ca))
        .await
        .unwrap();
    assert!(kept.trusted_ca);
    let removed = accounts::set_trusted_ca(p, ws, a.id, None).await.unwrap();
    assert!(!removed.trusted_ca);
    assert!(accounts::trusted_ca(p, ws, a.id).await.unwrap().is_none());
}
