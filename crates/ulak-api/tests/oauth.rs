//! The sign-in use-case both hosts call: one flow at a time (a second cancels the
//! first), the Cancel button, and the deep link (`ulak://oauth/callback`) routed to
//! its flow by `state` — an unknown or used one ignored. One test: the registry is
//! the process's.

use std::time::Duration;

use ulak_api::oauth::{self as api, AccountChoice};
use ulak_channels::oauth::{self, AppSettings, OAuthError, Provider, Redirect};
use ulak_channels::testing::{browser_authorize, browser_sign_in, configure_oauth, FakeProvider};
use ulak_core::settings::Language;
use ulak_core::testing::temp_store as store;
use ulak_core::workspace;

#[tokio::test]
async fn one_flow_at_a_time_cancel_and_deep_links_by_state() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let auth = FakeProvider::oauth(false, &[]);
    configure_oauth(p, Provider::Microsoft, &auth, &auth.base).await;
    let choice = AccountChoice {
        sender_name: "Işıl Şahin".into(),
        server: None,
    };
    let limit = Duration::from_secs(20);

    // A second sign-in cancels the first; the second completes.
    let first = api::begin(p, ws, Provider::Microsoft, Some("ali@test.local"))
        .await
        .unwrap();
    let second = api::begin(p, ws, Provider::Microsoft, Some("isil@firma.com.tr"))
        .await
        .unwrap();
    let e = api::finish_within(p, ws, first, Language::Tr, &choice, limit)
        .await
        .unwrap_err();
    assert_eq!(ulak_core::UserFacing::code(&e), "oauth.cancelled");
    let url = second.authorize_url.clone();
    let finishing = tokio::spawn({
        let p = p.clone();
        let choice = choice.clone();
        async move { api::finish_within(&p, ws, second, Language::Tr, &choice, limit).await }
    });
    assert_eq!(browser_sign_in(&url).await.0, 200);
    let a = finishing.await.unwrap().unwrap();
    assert_eq!(a.email, "isil@firma.com.tr");
    assert_eq!(a.sender_name, "Işıl Şahin");
    assert_eq!(a.host, "smtp.office365.com");
    assert_eq!(a.port, 587);

    // The Cancel button.
    let pending = api::begin(p, ws, Provider::Microsoft, None).await.unwrap();
    assert!(api::cancel());
    let e = api::finish_within(p, ws, pending, Language::Tr, &choice, limit)
        .await
        .unwrap_err();
    assert!(matches!(e, api::ConnectError::OAuth(OAuthError::Cancelled)));
    assert!(!api::cancel(), "nothing left to cancel");

    // Microsoft on the deep-link redirect.
    oauth::configure(
        p,
        Provider::Microsoft,
        &AppSettings {
            redirect: Some(Redirect::DeepLink),
            ..Default::default()
        },
        false,
    )
    .await
    .unwrap();
    let pending = api::begin(p, ws, Provider::Microsoft, Some("deniz@firma.com.tr"))
        .await
        .unwrap();
    assert!(
        pending
            .authorize_url
            .contains("redirect_uri=ulak%3A%2F%2Foauth%2Fcallback"),
        "{}",
        pending.authorize_url
    );
    let back = browser_authorize(&pending.authorize_url).await;
    assert!(back.starts_with("ulak://oauth/callback?"), "{back}");
    let finishing = tokio::spawn({
        let p = p.clone();
        let choice = choice.clone();
        async move { api::finish_within(&p, ws, pending, Language::Tr, &choice, limit).await }
    });
    // A link with another state is ignored and the flow waits on.
    let forged = back.replace("state=", "state=baska");
    assert!(!api::deliver_deep_link(&forged));
    assert!(!api::deliver_deep_link("ulak://oauth/callback?code=x"));
    assert!(api::deliver_deep_link(&back));
    let a = finishing.await.unwrap().unwrap();
    assert_eq!(a.email, "deniz@firma.com.tr");
    // Used: the same link again is ignored.
    assert!(!api::deliver_deep_link(&back));

    // Disconnecting removes the account; Microsoft cannot revoke, and says so.
    let d = api::disconnect(p, ws, a.id).await.unwrap();
    assert_eq!(d.revocation, oauth::connections::Revocation::NotOffered);
    assert!(ulak_channels::email::accounts::get(p, ws, a.id)
        .await
        .is_err());
    let problems: Vec<_> = auth
        .requests()
        .into_iter()
        .filter(|r| !r["problems"].as_array().unwrap().is_empty())
        .collect();
    assert!(problems.is_empty(), "{problems:?}");
}

/// A grant withdrawn at refresh is told on the desktop once ("account.reconnect"),
/// and again only after the account was connected anew and lost once more.
#[tokio::test]
async fn a_withdrawn_grant_is_told_once_on_the_desktop() {
    use secrecy::SecretString;
    use ulak_api::outbox::Notifier;
    use ulak_channels::oauth::{connections, Granted};

    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let auth = FakeProvider::oauth(false, &[]);
    configure_oauth(p, Provider::Microsoft, &auth, &auth.base).await;
    // A grant whose refresh token the provider no longer knows, its access token due.
    let granted = || Granted {
        provider: Provider::Microsoft,
        address: "deniz@firma.com.tr".into(),
        resource: "",
        scopes: Provider::Microsoft
            .mail_scopes()
            .iter()
            .map(|s| s.to_string())
            .collect(),
        access: SecretString::from("ya29.eskimis".to_string()),
        refresh: Some(SecretString::from("1//bilinmeyen".to_string())),
        expires_in: Some(Duration::from_secs(0)),
    };
    let c = connections::save(p, ws, &granted()).await.unwrap();
    let mut n = Notifier::default();
    let now = chrono::Utc::now();
    assert_eq!(n.tick(p, now).await, None, "nothing to tell yet");
    let e = connections::access_token(p, ws, c.id).await.unwrap_err();
    assert!(matches!(e, OAuthError::Reconnect { .. }), "{e:?}");

    let told = n.tick(p, now).await.expect("a desktop notification");
    assert_eq!(told.title, "Hesabın bağlantısı sona erdi");
    assert!(
        told.body
            .starts_with("deniz@firma.com.tr artık gönderemiyor"),
        "{}",
        told.body
    );
    assert_eq!(n.tick(p, now).await, None, "told once");

    // Connected again, then withdrawn again: told again.
    connections::save(p, ws, &granted()).await.unwrap();
    connections::access_token(p, ws, c.id).await.unwrap_err();
    assert!(n.tick(p, now).await.is_some());
}
