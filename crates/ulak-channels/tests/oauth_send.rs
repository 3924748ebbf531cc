//! Sending through accounts signed in with OAuth: Microsoft's by SMTP with XOAUTH2 to
//! the test Postfix (whose Dovecot asks the test authorization server whether each
//! token lives), Google's through a Gmail-API-shaped server that checks the request
//! Google documents (Bearer token with gmail.send, `{"raw": base64url}`).

use std::time::Duration;

use ulak_channels::email::accounts;
use ulak_channels::email::delivery::Router;
use ulak_channels::email::mime::{self, Draft};
use ulak_channels::email::server::{Security, ServerParams};
use ulak_channels::email::testing::MailServer;
use ulak_channels::oauth::{self, connections, Cancel, Flow, Provider};
use ulak_channels::testing::{browser_sign_in, configure_oauth, FakeProvider};
use ulak_core::settings::Language;
use ulak_core::testing::temp_store as store;
use ulak_core::{workspace, Store};
use ulak_outbox::queue::{self, State};
use ulak_outbox::worker::drain;
use ulak_outbox::FailureCode;

/// Signs `hint` in with `p` (the test playing the browser) and keeps the connection.
async fn sign_in(s: &Store, p: Provider, hint: &str) -> connections::Connection {
    let ws = workspace::active(s.pool()).await.unwrap().id;
    let app = oauth::app(s.pool(), p).await.unwrap();
    let flow = Flow::begin(&app, p.mail_scopes(), Some(hint))
        .await
        .unwrap();
    let url = flow.authorize_url.clone();
    let h = tokio::spawn(async move {
        flow.finish(&Cancel::default(), Duration::from_secs(20), Language::Tr)
            .await
    });
    let (status, page) = browser_sign_in(&url).await;
    assert_eq!(status, 200, "{page}");
    let g = h.await.unwrap().unwrap();
    connections::save(s.pool(), ws, &g).await.unwrap()
}

fn maildir_count(maildir: &str, tag: &str) -> usize {
    ["new", "cur"]
        .iter()
        .flat_map(|d| {
            std::fs::read_dir(format!("{maildir}/{d}"))
                .into_iter()
                .flatten()
                .flatten()
        })
        .filter(|e| {
            std::fs::read_to_string(e.path())
                .unwrap_or_default()
                .contains(tag)
        })
        .count()
}

#[tokio::test]
async fn an_outlook_account_sends_by_smtp_with_xoauth2_and_stops_when_the_grant_is_gone() {
    let Some(m) = MailServer::from_env() else {
        return;
    };
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    // Tokens that live 30 s: each sending round refreshes first.
    let auth = FakeProvider::oauth(false, &["--expires-in", "30", "--rotate"]);
    configure_oauth(p, Provider::Microsoft, &auth, &auth.base).await;
    let c = sign_in(&s, Provider::Microsoft, &m.user).await;
    let server =
        ServerParams::validated("localhost", m.starttls.into(), Security::Starttls, &m.user)
            .unwrap();
    let a = accounts::link_oauth(p, ws, &c, "Satış Ekibi — Işıl", Some(server))
        .await
        .unwrap();
    assert!(!a.password_set);
    assert_eq!(a.oauth.as_ref().unwrap().provider, Provider::Microsoft);
    // A work address signed in with Microsoft is a Microsoft 365 mailbox: its ceilings
    // (30 a minute, 10,000 recipients a day) hold for it like any account's limits.
    assert_eq!(a.provider.as_deref(), Some("Microsoft 365"));
    assert_eq!(
        (a.ceilings.minute, a.ceilings.day, a.ceilings.unit),
        (
            Some(30),
            Some(10_000),
            ulak_outbox::senders::Unit::Recipients
        )
    );
    accounts::set_trusted_ca(p, ws, a.id, Some(&m.ca_pem()))
        .await
        .unwrap();
    // The connection test signs in with XOAUTH2, step by step.
    let r = accounts::test_connection(p, ws, a.id).await.unwrap();
    assert!(r.success, "{r:?}");

    let tag = format!("xoauth2-{}", std::process::id());
    for i in 0..3 {
        let draft = Draft {
            account_id: Some(a.id),
            from: m.user.clone(),
            to: vec![format!("müşteri{i}@öztürkgıda.com.tr")],
            subject: format!("{tag} #{i} — teklif"),
            text: "Merhaba, teklifimiz ektedir.\n".into(),
            ..Default::default()
        };
        mime::enqueue(p, ws, &draft, chrono::Utc::now())
            .await
            .unwrap();
    }
    let router = Router::new(p.clone());
    let r = drain(p, "test", &router).await.unwrap();
    router.close().await;
    assert_eq!((r.sent, r.failed, r.retrying), (3, 0, 0));
    let mut delivered = 0;
    for _ in 0..100 {
        delivered = maildir_count(&m.maildir, &tag);
        if delivered >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(delivered, 3);
    assert!(
        auth.requests()
            .iter()
            .any(|r| r["grant_type"] == "refresh_token" && r["answer"] == "tokens"),
        "the token was refreshed before sending"
    );

    // The server refuses the token (here: it belongs to another name than the one
    // signed in as): the message waits to be tried again, and the token is taken as
    // expired so that try refreshes it first.
    let wrong = ServerParams::validated(
        "localhost",
        m.starttls.into(),
        Security::Starttls,
        "baska@test.local",
    )
    .unwrap();
    accounts::link_oauth(p, ws, &c, "Satış Ekibi — Işıl", Some(wrong))
        .await
        .unwrap();
    let waiting = mime::enqueue(
        p,
        ws,
        &Draft {
            account_id: Some(a.id),
            from: m.user.clone(),
            to: vec!["bekleyen@firma.com.tr".into()],
            subject: format!("{tag} bekleyen"),
            ..Default::default()
        },
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let router = Router::new(p.clone());
    let r = drain(p, "test", &router).await.unwrap();
    assert_eq!((r.sent, r.failed, r.retrying), (0, 0, 1));
    let msg = queue::get(p, ws, waiting).await.unwrap().unwrap();
    assert_eq!(msg.state, State::Retry);
    assert_eq!(msg.last_code, Some(FailureCode::SignIn));
    let conn = connections::get(p, ws, c.id).await.unwrap();
    assert!(
        conn.expires_at.unwrap() <= ulak_core::store::now(),
        "the token is due for a refresh"
    );
    let right =
        ServerParams::validated("localhost", m.starttls.into(), Security::Starttls, &m.user)
            .unwrap();
    accounts::link_oauth(p, ws, &c, "Satış Ekibi — Işıl", Some(right))
        .await
        .unwrap();

    // The provider withdraws the grant: the next send is held (not failed), saying to
    // connect again, and the account stops, in error, until it is connected again.
    reqwest::Client::new()
        .post(format!("{}/control/refuse-refresh", auth.base))
        .send()
        .await
        .unwrap();
    let id = mime::enqueue(
        p,
        ws,
        &Draft {
            account_id: Some(a.id),
            from: m.user.clone(),
            to: vec!["son@firma.com.tr".into()],
            subject: format!("{tag} son"),
            ..Default::default()
        },
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let router = Router::new(p.clone());
    let r = drain(p, "test", &router).await.unwrap();
    assert_eq!((r.sent, r.failed), (0, 0));
    let msg = queue::get(p, ws, id).await.unwrap().unwrap();
    assert_eq!(msg.state, State::Retry);
    assert_eq!(msg.last_code, Some(FailureCode::Reconnect));
    let stopped = accounts::get(p, ws, a.id).await.unwrap();
    assert_eq!(stopped.status, ulak_outbox::senders::Status::Error);
    assert!(
        drain(p, "test", &router).await.unwrap().retrying == 0,
        "not tried while stopped"
    );
    let r = accounts::test_connection(p, ws, a.id).await.unwrap();
    assert!(!r.success);
    assert_eq!(r.failure.unwrap().code, "oauth.reconnect");
    let a = accounts::get(p, ws, a.id).await.unwrap();
    assert_eq!(
        a.oauth.unwrap().status,
        connections::ConnectionStatus::Error
    );
}

#[tokio::test]
async fn a_gmail_account_sends_through_the_api_with_the_exact_message() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let auth = FakeProvider::oauth(true, &[]);
    let api = FakeProvider::google_api();
    configure_oauth(p, Provider::Google, &auth, &api.base).await;
    let c = sign_in(&s, Provider::Google, "ayşe.yılmaz@gmail.com").await;
    let a = accounts::link_oauth(p, ws, &c, "Ayşe Yılmaz", None)
        .await
        .unwrap();
    assert!(a.sends_by_gmail_api());
    assert!(
        accounts::test_connection(p, ws, a.id)
            .await
            .unwrap()
            .success
    );

    let tag = format!("gmail-{}", std::process::id());
    let mut ids = Vec::new();
    for (i, to) in ["ali@öztürkgıda.com.tr", "ratelimit@firma.com.tr"]
        .iter()
        .enumerate()
    {
        let draft = Draft {
            account_id: Some(a.id),
            from: c.address.clone(),
            to: vec![to.to_string()],
            bcc: vec!["gizli@firma.com.tr".into()],
            subject: format!("{tag} #{i} — Şubat teklifi"),
            text: "Merhaba, çalışmamız ektedir.\n".into(),
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
    // Google asks to slow down once for the second: it waits its turn, not lost.
    assert_eq!((r.sent, r.failed, r.retrying), (1, 0, 1), "{r:?}");
    let sends: Vec<_> = api
        .requests()
        .into_iter()
        .filter(|r| r["id"].is_string())
        .collect();
    assert_eq!(sends.len(), 1);
    let sent = &sends[0];
    assert_eq!(sent["from"], c.address);
    assert_eq!(sent["bcc"][0], "gizli@firma.com.tr", "{sent}");
    assert!(sent["subject"].as_str().unwrap().contains("Şubat teklifi"));
    assert!(sent["body"].as_str().unwrap().contains("çalışmamız"));
    let problems: Vec<_> = api
        .requests()
        .into_iter()
        .filter(|r| !r["problems"].as_array().unwrap().is_empty())
        .collect();
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(
        queue::get(p, ws, ids[0]).await.unwrap().unwrap().state,
        State::Sent
    );
    let waiting = queue::get(p, ws, ids[1]).await.unwrap().unwrap();
    assert_eq!(waiting.state, State::Retry);
    assert_eq!(waiting.last_code, Some(FailureCode::ServerBusy));
}

/// Issue 18 meets issue 17: a Gmail account signed in with OAuth is a sending account
/// like any other — Gmail's own ceiling (500 a rolling day for a gmail.com address, 2,000
/// for Workspace) and the default status — and a campaign that holds it sends through
/// the Gmail API, rendered for that account.
#[tokio::test]
async fn a_gmail_account_joins_the_limits_and_a_campaign_sends_through_it() {
    use ulak_outbox::campaigns::{self, Action, NewCampaign, Window};
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let auth = FakeProvider::oauth(true, &[]);
    let api = FakeProvider::google_api();
    configure_oauth(p, Provider::Google, &auth, &api.base).await;
    let c = sign_in(&s, Provider::Google, "satis.ekibi@gmail.com").await;
    let a = accounts::link_oauth(p, ws, &c, "Satış Ekibi", None)
        .await
        .unwrap();
    assert_eq!(a.provider.as_deref(), Some("Gmail"));
    assert_eq!(a.ceilings.day, Some(500));
    assert_eq!(a.status, ulak_outbox::senders::Status::Pending);

    let now = chrono::Utc::now();
    let camp = campaigns::create(
        p,
        ws,
        &NewCampaign {
            name: "Gmail kampanyası".into(),
            subject: "{{ company.name }} için teklif".into(),
            body_html: "<p>Merhaba {{ contact.first_name }}, {{ sender.name }}</p>".into(),
            window: Window {
                days: (1..=7).collect(),
                start: "00:00".into(),
                end: "24:00".into(),
                time_zone: "Europe/Istanbul".into(),
                skip_holidays: false,
            },
            spread: false,
            commercial: false,
            accounts: vec![a.id],
        },
        now,
    )
    .await
    .unwrap();
    let vars = ulak_outbox::template::Vars {
        company: Some(ulak_outbox::template::CompanyVars {
            name: "Öztürk Gıda".into(),
        }),
        contact: Some(ulak_outbox::template::ContactVars::new(
            "Işıl Çağlar",
            "isil@ozturk.com.tr",
            "",
        )),
        ..Default::default()
    };
    let m =
        ulak_channels::email::campaign::message(&camp, None, "isil@ozturk.com.tr", vars).unwrap();
    campaigns::queue(p, ws, camp.id, &[m], now).await.unwrap();
    campaigns::act(p, ws, camp.id, Action::Run, now)
        .await
        .unwrap();
    let dispatch = ulak_channels::dispatch::Dispatch::new(p.clone(), d.path().to_path_buf(), 2);
    let r = drain(p, "test", &dispatch).await.unwrap();
    assert_eq!((r.sent, r.failed), (1, 0), "{r:?}");
    let sends: Vec<_> = api
        .requests()
        .into_iter()
        .filter(|r| r["id"].is_string())
        .collect();
    assert_eq!(sends.len(), 1);
    assert_eq!(sends[0]["from"], c.address);
    assert!(sends[0]["subject"]
        .as_str()
        .unwrap()
        .contains("Öztürk Gıda için teklif"));
    assert!(sends[0]["body"]
        .as_str()
        .unwrap()
        .contains("Merhaba Işıl, Satış Ekibi"));
    let pr = campaigns::progress(p, ws, camp.id).await.unwrap();
    assert_eq!((pr.sent, pr.campaign.state), (1, campaigns::State::Done));
    let sending = ulak_outbox::senders::sending(
        p,
        accounts::key(a.id),
        &ulak_outbox::senders::Clock::local(chrono::Utc::now()),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!((sending.sent_today, sending.provider_used), (1, 1));
}
