//! OAuth sign-in against a local authorization server (`tests/servers/oauth.py`) that
//! really checks PKCE, `state`, `redirect_uri` and one-time codes. The test plays the
//! browser: it follows the authorize URL to the provider, and the provider's redirect
//! to Ulak's loopback listener.

use std::time::Duration;

use secrecy::ExposeSecret;
use ulak_channels::oauth::connections::{self, ConnectionStatus, Revocation};
use ulak_channels::oauth::{self, AppSettings, Cancel, Flow, OAuthError, Provider, Redirect};
use ulak_channels::testing::FakeProvider;
use ulak_core::settings::Language;
use ulak_core::testing::temp_store as store;
use ulak_core::{workspace, Store};

async fn configure(s: &Store, p: Provider, server: &FakeProvider) {
    ulak_channels::testing::configure_oauth(s.pool(), p, server, &server.base).await;
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

use ulak_channels::testing::{browser_authorize as authorize, browser_visit as visit};

async fn start(
    s: &Store,
    p: Provider,
    hint: &str,
) -> (
    String,
    tokio::task::JoinHandle<Result<oauth::Granted, OAuthError>>,
    Cancel,
) {
    let app = oauth::app(s.pool(), p).await.unwrap();
    let flow = Flow::begin(&app, p.mail_scopes(), Some(hint))
        .await
        .unwrap();
    assert!(
        flow.redirect_uri.starts_with("http://127.0.0.1:"),
        "{}",
        flow.redirect_uri
    );
    let url = flow.authorize_url.clone();
    let cancel = Cancel::default();
    let c = cancel.clone();
    let h =
        tokio::spawn(async move { flow.finish(&c, Duration::from_secs(20), Language::Tr).await });
    (url, h, cancel)
}

fn problems(server: &FakeProvider) -> Vec<serde_json::Value> {
    server
        .requests()
        .into_iter()
        .filter(|r| r["problems"].as_array().is_some_and(|p| !p.is_empty()))
        .collect()
}

#[tokio::test]
async fn a_loopback_sign_in_ends_in_a_saved_connection_and_a_page_in_turkish() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let ws = workspace::active(s.pool()).await.unwrap().id;
    let server = FakeProvider::oauth(true, &[]);
    configure(&s, Provider::Google, &server).await;
    let (url, flow, _) = start(&s, Provider::Google, "ayşe@öztürkgıda.com.tr").await;
    assert!(url.contains("code_challenge_method=S256"), "{url}");
    assert!(url.contains("access_type=offline"), "{url}");
    let back = authorize(&url).await;
    // A browser asks for a favicon too: answered 404, the flow waits on.
    let base = back.split("/oauth/callback").next().unwrap().to_string();
    assert_eq!(visit(&format!("{base}/favicon.ico")).await.0, 404);
    let (status, page) = visit(&back).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Ulak'a dönebilirsiniz"), "{page}");
    let g = flow.await.unwrap().unwrap();
    assert_eq!(g.address, "ayşe@öztürkgıda.com.tr");
    assert!(g.refresh.is_some());
    assert!(g.scopes.iter().any(|s| s.ends_with("gmail.send")));
    let c = connections::save(s.pool(), ws, &g).await.unwrap();
    assert_eq!(c.status, ConnectionStatus::Active);
    let t = connections::access_token(s.pool(), ws, c.id).await.unwrap();
    assert_eq!(t.expose_secret(), g.access.expose_secret());
    // The listener is closed: the port answers no more.
    assert!(reqwest::get(&back).await.is_err());
    // The token endpoint saw the code, the verifier, the same redirect_uri and the
    // desktop client's secret in the body.
    let token = server
        .requests()
        .into_iter()
        .find(|r| r["path"] == "/token")
        .unwrap();
    assert_eq!(token["answer"], "tokens", "{token}");
    for f in [
        "client_id",
        "client_secret",
        "code",
        "code_verifier",
        "redirect_uri",
    ] {
        assert!(
            token["fields"].as_array().unwrap().iter().any(|x| x == f),
            "{f}: {token}"
        );
    }
    assert!(problems(&server).is_empty(), "{:?}", problems(&server));
    // Connecting the same account again updates it, not a second row.
    let (url, flow, _) = start(&s, Provider::Google, "ayşe@öztürkgıda.com.tr").await;
    visit(&authorize(&url).await).await;
    let again = connections::save(s.pool(), ws, &flow.await.unwrap().unwrap())
        .await
        .unwrap();
    assert_eq!(again.id, c.id);
    assert_eq!(connections::list(s.pool(), ws).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_wrong_state_a_reused_code_and_a_refusal_are_errors_in_words() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let server = FakeProvider::oauth(false, &[]);
    configure(&s, Provider::Microsoft, &server).await;

    // A redirect whose state is not the flow's: answered, ignored; the real one counts.
    let (url, flow, _) = start(&s, Provider::Microsoft, "ali@test.local").await;
    let back = authorize(&url).await;
    let forged = back.replace("state=", "state=x");
    let (status, page) = visit(&forged).await;
    assert_eq!(status, 400);
    assert!(page.contains("yok sayıldı"), "{page}");
    assert!(!flow.is_finished());
    assert_eq!(visit(&back).await.0, 200);
    flow.await.unwrap().unwrap();

    // A code already exchanged, replayed into a new flow.
    let (url, flow, _) = start(&s, Provider::Microsoft, "ali@test.local").await;
    let first = authorize(&url).await;
    visit(&first).await;
    flow.await.unwrap().unwrap();
    let code = first
        .split("code=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    let (url, flow, _) = start(&s, Provider::Microsoft, "ali@test.local").await;
    let second = authorize(&url).await;
    let fresh = second
        .split("code=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    visit(&second.replace(fresh, code)).await;
    match flow.await.unwrap() {
        Err(OAuthError::Exchange(e)) => assert!(e.contains("invalid_grant"), "{e}"),
        other => panic!("{other:?}"),
    }

    // The user says no in the browser.
    let (url, flow, _) = start(&s, Provider::Microsoft, "deny@test.local").await;
    let back = authorize(&url).await;
    assert!(back.contains("error=access_denied"), "{back}");
    assert_eq!(visit(&back).await.0, 400);
    let e = flow.await.unwrap().unwrap_err();
    assert!(matches!(e, OAuthError::Denied(_)), "{e:?}");
    assert_eq!(ulak_core::UserFacing::code(&e), "oauth.denied");
    // A public client never sent a secret, and the server found nothing else amiss.
    assert!(problems(&server).is_empty(), "{:?}", problems(&server));
}

#[tokio::test]
async fn malformed_oversized_and_idle_requests_never_stop_the_real_redirect() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let server = FakeProvider::oauth(false, &[]);
    configure(&s, Provider::Microsoft, &server).await;
    let (url, flow, _) = start(&s, Provider::Microsoft, "ali@test.local").await;
    let back = authorize(&url).await;
    let base = back.split('?').next().unwrap().to_string();
    let state = back
        .split("state=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_string();
    // Connections that say nothing, held open the whole time (a slow local client).
    let port: u16 = base
        .trim_start_matches("http://127.0.0.1:")
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let idle: Vec<_> = (0..5)
        .map(|_| std::net::TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    for bad in [
        "?code=abc".to_string(),
        format!("?code=abc&state={state}&state={state}"),
        format!("?state={state}"),
        format!("?code=abc&error=x&state={state}"),
        "?code=abc&state=baska".to_string(),
    ] {
        let (status, page) = visit(&format!("{base}{bad}")).await;
        assert_eq!(status, 400, "{bad}");
        assert!(page.contains("yok sayıldı"), "{bad}: {page}");
    }
    let r = browser()
        .get(&back)
        .header("X-Padding", "a".repeat(20_000))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 431);
    assert!(!flow.is_finished(), "nothing of that ended the sign-in");
    // The browser's real return still gets through at once.
    let started = std::time::Instant::now();
    assert_eq!(visit(&back).await.0, 200);
    assert!(started.elapsed() < Duration::from_secs(3));
    let g = flow.await.unwrap().unwrap();
    assert_eq!(g.address, "ali@test.local");
    drop(idle);
}

#[tokio::test]
async fn a_flow_times_out_or_is_cancelled_and_closes_its_listener() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let server = FakeProvider::oauth(false, &[]);
    configure(&s, Provider::Microsoft, &server).await;
    let app = oauth::app(s.pool(), Provider::Microsoft).await.unwrap();
    let flow = Flow::begin(&app, Provider::Microsoft.mail_scopes(), None)
        .await
        .unwrap();
    let redirect = flow.redirect_uri.clone();
    let e = flow
        .finish(&Cancel::default(), Duration::from_millis(300), Language::En)
        .await
        .unwrap_err();
    assert!(matches!(e, OAuthError::Timeout(1)), "{e:?}");
    assert!(
        reqwest::get(&redirect).await.is_err(),
        "listener still open"
    );

    let (_, flow, cancel) = start(&s, Provider::Microsoft, "ali@test.local").await;
    cancel.cancel();
    assert!(matches!(flow.await.unwrap(), Err(OAuthError::Cancelled)));
}

async fn connected(s: &Store, p: Provider) -> i64 {
    let ws = workspace::active(s.pool()).await.unwrap().id;
    let (url, flow, _) = start(s, p, "ali@test.local").await;
    visit(&authorize(&url).await).await;
    let g = flow.await.unwrap().unwrap();
    connections::save(s.pool(), ws, &g).await.unwrap().id
}

fn grants(server: &FakeProvider, grant: &str) -> Vec<serde_json::Value> {
    server
        .requests()
        .into_iter()
        .filter(|r| r["grant_type"] == grant)
        .collect()
}

#[tokio::test]
async fn tokens_are_refreshed_before_expiry_and_a_rotated_refresh_token_is_kept() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let ws = workspace::active(s.pool()).await.unwrap().id;
    // Tokens that live 30 s: inside the minute's margin, so each use refreshes; the
    // server kills each refresh token it replaces, as Microsoft may.
    let server = FakeProvider::oauth(false, &["--expires-in", "30", "--rotate"]);
    configure(&s, Provider::Microsoft, &server).await;
    let id = connected(&s, Provider::Microsoft).await;
    let a = connections::access_token(s.pool(), ws, id).await.unwrap();
    let b = connections::access_token(s.pool(), ws, id).await.unwrap();
    assert_ne!(a.expose_secret(), b.expose_secret());
    let refreshes = grants(&server, "refresh_token");
    assert_eq!(refreshes.len(), 2, "{refreshes:?}");
    assert!(
        refreshes.iter().all(|r| r["answer"] == "tokens"),
        "{refreshes:?}"
    );
    // Two senders at once get one refresh's answer each, never a spent token.
    let (x, y) = tokio::join!(
        connections::access_token(s.pool(), ws, id),
        connections::access_token(s.pool(), ws, id)
    );
    x.unwrap();
    y.unwrap();
    assert!(grants(&server, "refresh_token")
        .iter()
        .all(|r| r["answer"] == "tokens"));
}

#[tokio::test]
async fn a_refused_refresh_puts_the_connection_in_error_until_connected_again() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let ws = workspace::active(s.pool()).await.unwrap().id;
    let server = FakeProvider::oauth(true, &["--expires-in", "30"]);
    configure(&s, Provider::Google, &server).await;
    let id = connected(&s, Provider::Google).await;
    reqwest::Client::new()
        .post(format!("{}/control/refuse-refresh", server.base))
        .send()
        .await
        .unwrap();
    let e = connections::access_token(s.pool(), ws, id)
        .await
        .unwrap_err();
    assert!(
        matches!(&e, OAuthError::Reconnect { address } if address == "ali@test.local"),
        "{e:?}"
    );
    assert!(!e.to_string().contains("ya29."), "{e}");
    let c = connections::get(s.pool(), ws, id).await.unwrap();
    assert_eq!(c.status, ConnectionStatus::Error);
    // Not used again: the server is not asked a second time.
    let asked = grants(&server, "refresh_token").len();
    connections::access_token(s.pool(), ws, id)
        .await
        .unwrap_err();
    assert_eq!(grants(&server, "refresh_token").len(), asked);
}

#[tokio::test]
async fn disconnect_revokes_at_google_and_deletes_here() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let ws = workspace::active(s.pool()).await.unwrap().id;
    let server = FakeProvider::oauth(true, &[]);
    configure(&s, Provider::Google, &server).await;
    let id = connected(&s, Provider::Google).await;
    assert_eq!(
        connections::disconnect(s.pool(), ws, id).await.unwrap(),
        Revocation::Revoked,
        "{:?}",
        server.requests()
    );
    let revoke = server
        .requests()
        .into_iter()
        .find(|r| r["path"] == "/revoke")
        .unwrap();
    assert_eq!(revoke["revoked"], true, "{revoke}");
    assert!(matches!(
        connections::get(s.pool(), ws, id).await,
        Err(OAuthError::NotFound(_))
    ));
    let (left,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM secrets WHERE owner = 'oauth:' || ?1")
            .bind(id)
            .fetch_one(s.pool())
            .await
            .unwrap();
    assert_eq!(left, 0);

    // Microsoft has no revocation endpoint: deleted here only, and said so.
    let ms = FakeProvider::oauth(false, &[]);
    configure(&s, Provider::Microsoft, &ms).await;
    let id = connected(&s, Provider::Microsoft).await;
    assert_eq!(
        connections::disconnect(s.pool(), ws, id).await.unwrap(),
        Revocation::NotOffered
    );
    assert!(!ms.requests().iter().any(|r| r["path"] == "/revoke"));
}

#[tokio::test]
async fn settings_are_checked_and_google_keeps_the_loopback_redirect() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let e = oauth::configure(
        s.pool(),
        Provider::Google,
        &AppSettings {
            token_url: Some("http://example.com/token".into()),
            ..Default::default()
        },
        false,
    )
    .await
    .unwrap_err();
    assert_eq!(ulak_core::UserFacing::code(&e), "validation.url");
    let e = oauth::configure(
        s.pool(),
        Provider::Google,
        &AppSettings {
            redirect: Some(Redirect::DeepLink),
            ..Default::default()
        },
        false,
    )
    .await
    .unwrap_err();
    assert!(matches!(e, OAuthError::DeepLinkUnsupported));
    let ms = oauth::configure(
        s.pool(),
        Provider::Microsoft,
        &AppSettings {
            redirect: Some(Redirect::DeepLink),
            ..Default::default()
        },
        false,
    )
    .await
    .unwrap();
    assert_eq!(ms.redirect, Redirect::DeepLink);
    assert!(ms.revoke_url.is_none());
    // Without a client ID (none baked into a test build) a sign-in says so first.
    if ms.client_id.is_empty() {
        let e = Flow::begin(&ms, Provider::Microsoft.mail_scopes(), None)
            .await
            .err()
            .unwrap();
        assert_eq!(ulak_core::UserFacing::code(&e), "oauth.not_configured");
    }
}
