//! "Takvime Ekle" against the Google-shaped Calendar API (tests/servers/google_api.py,
//! which checks events.insert/list/delete as Google documents them): the calendar's
//! sign-in keeps Gmail's scope, an event from a contact invites them and gets a Meet
//! link, it is listed and deleted, and a record from the CRM becomes an event.

use std::time::Duration;

use ulak_api::calendar;
use ulak_api::oauth::{self as api, Purpose};
use ulak_channels::calendar::{CalendarError, EventInput};
use ulak_channels::testing::{browser_sign_in, configure_oauth, FakeProvider};
use ulak_core::settings::Language;
use ulak_core::testing::temp_store as store;
use ulak_core::{workspace, UserFacing};

/// One sign-in at a time runs in a process (a second cancels the first), and the
/// tests of this file run side by side: each waits for the other's.
static SIGN_IN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn sign_in(
    p: &sqlx::SqlitePool,
    ws: i64,
    purpose: Purpose,
    hint: &str,
) -> ulak_channels::oauth::Connection {
    sign_in_with(p, ws, ulak_channels::oauth::Provider::Google, purpose, hint).await
}

async fn sign_in_with(
    p: &sqlx::SqlitePool,
    ws: i64,
    provider: ulak_channels::oauth::Provider,
    purpose: Purpose,
    hint: &str,
) -> ulak_channels::oauth::Connection {
    let _one = SIGN_IN.lock().await;
    let pending = api::begin_for(p, ws, provider, purpose, Some(hint))
        .await
        .unwrap();
    let url = pending.authorize_url.clone();
    let task = tokio::spawn({
        let p = p.clone();
        async move { api::sign_in(&p, ws, pending, Language::Tr, Duration::from_secs(20)).await }
    });
    assert_eq!(browser_sign_in(&url).await.0, 200);
    task.await.unwrap().unwrap()
}

#[tokio::test]
async fn events_from_a_contact_and_a_crm_record() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let auth = FakeProvider::oauth(true, &[]);
    let api_server = FakeProvider::google_api();
    configure_oauth(
        p,
        ulak_channels::oauth::Provider::Google,
        &auth,
        &api_server.base,
    )
    .await;

    // Nothing connected for the calendar yet: said so, nothing called.
    let e = calendar::add(
        p,
        ws,
        &EventInput {
            title: "Görüşme".into(),
            start: "2030-01-02T10:00".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(e, CalendarError::NotConnected), "{e:?}");
    assert!(api_server.requests().is_empty());

    // Gmail first, then the calendar for the same account: both scopes stay.
    let mail = sign_in(p, ws, Purpose::Mail, "ayse@gmail.com").await;
    assert!(!mail.scopes.iter().any(|s| s.ends_with("calendar.events")));
    let cal = sign_in(p, ws, Purpose::Calendar, "ayse@gmail.com").await;
    assert_eq!(cal.id, mail.id, "the same account, one connection");
    assert!(
        cal.scopes.iter().any(|s| s.ends_with("gmail.send")),
        "{:?}",
        cal.scopes
    );
    assert!(cal.scopes.iter().any(|s| s.ends_with("calendar.events")));

    // "Takvime Ekle" on a contact: filled in, then a Meet link asked for.
    let company = ulak_crm::companies::create(
        p,
        ws,
        &ulak_crm::companies::CompanyInput {
            name: "Öztürk Gıda".into(),
            notes: String::new(),
        },
    )
    .await
    .unwrap();
    let contact = ulak_crm::contacts::create(
        p,
        ws,
        company.id,
        &ulak_crm::contacts::ContactInput {
            name: "Işıl Şahin".into(),
            email: "isil@öztürkgıda.com.tr".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let mut input = calendar::prefill(p, ws, company.id, Some(contact.id))
        .await
        .unwrap();
    assert_eq!(input.title, "Öztürk Gıda — Işıl Şahin ile görüşme");
    assert_eq!(input.attendees, vec!["isil@öztürkgıda.com.tr"]);
    assert_eq!(input.reminders, vec![30]);
    input.location = "Kadıköy ofisi".into();
    input.meeting = ulak_channels::meeting::MeetingKind::Meet;
    let event = calendar::add(p, ws, &input).await.unwrap();
    assert!(event
        .html_link
        .starts_with("https://www.google.com/calendar/event?eid="));
    assert!(event
        .meeting
        .as_ref()
        .is_some_and(|m| m.url.starts_with("https://meet.google.com/")));
    assert_eq!(event.attendees, vec!["isil@öztürkgıda.com.tr"]);
    let sent = api_server
        .requests()
        .into_iter()
        .find(|r| r["method"] == "POST")
        .unwrap();
    assert_eq!(sent["query"]["sendUpdates"], "all", "{sent}");
    assert_eq!(sent["query"]["conferenceDataVersion"], "1");
    assert_eq!(sent["event"]["start"]["timeZone"], "Europe/Istanbul");
    assert_eq!(sent["event"]["location"], "Kadıköy ofisi");

    // A CRM record through the same path.
    let record = r#"{"type":"invoice","number":"FTR-2030-7","due":"2030-01-05",
        "company":{"name":"Öztürk Gıda"},"amount":"48.000 TL"}"#;
    let from_record = calendar::from_record(record, Language::Tr).unwrap();
    let invoice = calendar::add(p, ws, &from_record).await.unwrap();
    assert_eq!(invoice.title, "Fatura FTR-2030-7 vadesi — Öztürk Gıda");
    assert!(invoice.meeting.is_none());

    // Listed in the next days (the record's is years ahead: only the contact's is).
    let soon = calendar::upcoming(p, ws, 3).await.unwrap();
    assert_eq!(
        soon.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        vec![event.id.as_str()]
    );
    calendar::delete(p, ws, &event.id).await.unwrap();
    let again = calendar::delete(p, ws, &event.id).await.unwrap_err();
    assert_eq!(again.code(), "calendar.not_found");
    assert!(calendar::upcoming(p, ws, 3).await.unwrap().is_empty());
    let problems: Vec<_> = api_server
        .requests()
        .into_iter()
        .filter(|r| !r["problems"].as_array().unwrap().is_empty())
        .collect();
    assert!(problems.is_empty(), "{problems:?}");

    // Bad input changes nothing and calls nothing.
    let calls = api_server.requests().len();
    for bad in [
        EventInput {
            title: "Başlık\r\nX-Evil: 1".into(),
            start: "2030-01-02T10:00".into(),
            ..Default::default()
        },
        EventInput {
            title: "Görüşme".into(),
            start: "2030-01-02T10:00".into(),
            end: "2030-01-02T09:00".into(),
            ..Default::default()
        },
    ] {
        assert!(calendar::add(p, ws, &bad).await.is_err());
    }
    assert_eq!(api_server.requests().len(), calls);

    // "Bağlantıyı kaldır" on the calendar's card: the Google sign-in is revoked, and the
    // Gmail account that signed in with it goes too (it could not send any more).
    let gmail = ulak_channels::email::accounts::link_oauth(p, ws, &cal, "Ayşe", None)
        .await
        .unwrap();
    let r = api::disconnect_grant(p, ws, cal.id).await.unwrap();
    assert_eq!(r.accounts_removed, 1);
    assert!(ulak_channels::email::accounts::get(p, ws, gmail.id)
        .await
        .is_err());
    assert!(calendar::status(p, ws).await.unwrap().is_none());
    assert!(auth.requests().iter().any(|r| r["path"] == "/revoke"));
}

/// The Zoom integration as the form saves it, against the Zoom-shaped server.
fn zoom_input(base: &str, secret: &str) -> ulak_channels::integrations::IntegrationInput {
    use ulak_channels::testing::{ZOOM_ACCOUNT, ZOOM_CLIENT};
    ulak_channels::integrations::IntegrationInput {
        values: [
            ("accountId", ZOOM_ACCOUNT),
            ("clientId", ZOOM_CLIENT),
            ("clientSecret", secret),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect(),
        base_url: Some(base.to_string()),
        rate_per_second: None,
    }
}

/// The meetings the Zoom-shaped server holds.
async fn zoom_meetings(base: &str) -> Vec<serde_json::Value> {
    let text = reqwest::get(format!("{base}/_test/meetings"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["meetings"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_zoom_meeting_made_for_an_event_and_never_left_without_it() {
    use ulak_api::integrations;
    use ulak_channels::meeting::MeetingKind;
    use ulak_channels::testing::ZOOM_SECRET;
    use ulak_outbox::Channel;

    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let auth = FakeProvider::oauth(true, &[]);
    let google = FakeProvider::google_api();
    let zoom = FakeProvider::zoom();
    configure_oauth(
        p,
        ulak_channels::oauth::Provider::Google,
        &auth,
        &google.base,
    )
    .await;
    sign_in(p, ws, Purpose::Calendar, "ayse@gmail.com").await;
    let tomorrow = (chrono::Local::now() + chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let event = EventInput {
        title: "Öztürk Gıda — fiyat görüşmesi".into(),
        description: "Gündem: yeni fiyat listesi".into(),
        start: format!("{tomorrow}T10:00"),
        duration_minutes: Some(45),
        attendees: vec!["isil@ozturkgida.com.tr".into()],
        meeting: MeetingKind::Zoom,
        ..Default::default()
    };

    // Zoom not set up: said so, no event and no meeting made.
    let e = calendar::add(p, ws, &event).await.unwrap_err();
    assert_eq!(e.code(), "meeting.not_connected");
    assert!(google.requests().is_empty());

    // A wrong secret: the test fails with Zoom's words, and the card turns to "Hata".
    integrations::save(
        p,
        ws,
        Channel::Meeting,
        "zoom",
        &zoom_input(&zoom.base, "yanlış"),
    )
    .await
    .unwrap();
    let e = integrations::test(p, ws, Channel::Meeting, "zoom")
        .await
        .unwrap_err();
    assert_eq!(e.code(), "integration.test_failed");
    assert!(e.to_string().contains("invalid_client"), "{e}");
    assert!(
        !e.to_string().contains("yanlış"),
        "no secret in the words: {e}"
    );
    let listed = integrations::list(p, ws).await.unwrap();
    let z = listed.iter().find(|i| i.provider == "zoom").unwrap();
    assert_eq!(
        z.last_error.as_ref().map(|l| l.code.as_str()),
        Some("signIn")
    );
    let e = calendar::add(p, ws, &event).await.unwrap_err();
    assert_eq!(e.code(), "meeting.sign_in");

    // The right one: the test passes and clears the trouble.
    integrations::save(
        p,
        ws,
        Channel::Meeting,
        "zoom",
        &zoom_input(&zoom.base, ZOOM_SECRET),
    )
    .await
    .unwrap();
    assert!(integrations::test(p, ws, Channel::Meeting, "zoom")
        .await
        .unwrap());
    let listed = integrations::list(p, ws).await.unwrap();
    assert!(listed
        .iter()
        .find(|i| i.provider == "zoom")
        .unwrap()
        .last_error
        .is_none());

    // The meeting is made first, its link in the invitation.
    let made = calendar::add(p, ws, &event).await.unwrap();
    let link = made.meeting.clone().expect("a meeting");
    assert_eq!(link.kind, MeetingKind::Zoom);
    assert!(
        link.url.starts_with("https://us05web.zoom.us/j/"),
        "{}",
        link.url
    );
    assert_eq!(link.passcode.as_deref(), Some("a1B2c3"));
    let meetings = zoom_meetings(&zoom.base).await;
    assert_eq!(meetings.len(), 1);
    let m = &meetings[0];
    assert_eq!(m["topic"], "Öztürk Gıda — fiyat görüşmesi");
    assert_eq!(m["start_time"], format!("{tomorrow}T10:00:00"));
    assert_eq!(m["timezone"], "Europe/Istanbul");
    assert_eq!(m["duration"], 45);
    assert_eq!(m["agenda"], "Gündem: yeni fiyat listesi");
    assert_eq!(link.id.as_deref(), Some(m["id"].to_string().as_str()));
    let sent = google
        .requests()
        .into_iter()
        .find(|r| r["method"] == "POST")
        .unwrap();
    assert_eq!(sent["event"]["location"], link.url.as_str());
    let description = sent["event"]["description"].as_str().unwrap();
    assert!(
        description.starts_with("Gündem: yeni fiyat listesi\n"),
        "{description}"
    );
    assert!(
        description.contains(&format!("Zoom toplantısı: {}", link.url)),
        "{description}"
    );
    assert!(description.contains("Parola: a1B2c3"), "{description}");
    assert!(
        sent["query"].get("conferenceDataVersion").is_none(),
        "no Meet asked for"
    );
    // Read back from the calendar, the event still has its Zoom link.
    let listed = calendar::upcoming(p, ws, 3).await.unwrap();
    let back = listed.iter().find(|e| e.id == made.id).unwrap();
    assert_eq!(
        back.meeting.as_ref().map(|m| m.url.as_str()),
        Some(link.url.as_str())
    );
    let problems: Vec<_> = zoom
        .requests()
        .into_iter()
        .filter(|r| !r["problems"].as_array().unwrap().is_empty())
        .collect();
    assert!(problems.is_empty(), "{problems:?}");

    // Zoom busy: nothing made, said so in words a salesperson understands.
    reqwest::Client::new()
        .post(format!("{}/_test/fail", zoom.base))
        .body(r#"{"count": 1, "status": 503}"#)
        .send()
        .await
        .unwrap();
    let before = google.requests().len();
    let e = calendar::add(p, ws, &event).await.unwrap_err();
    assert_eq!(e.code(), "meeting.unreachable");
    assert_eq!(
        google.requests().len(),
        before,
        "no event without its meeting"
    );

    // Google gone after the meeting was made: the meeting is deleted again.
    configure_oauth(
        p,
        ulak_channels::oauth::Provider::Google,
        &auth,
        "http://127.0.0.1:9",
    )
    .await;
    let e = calendar::add(p, ws, &event).await.unwrap_err();
    assert!(e.code().as_str().starts_with("oauth."), "{e:?}");
    let deletes = zoom
        .requests()
        .into_iter()
        .filter(|r| r["method"] == "DELETE")
        .count();
    assert_eq!(deletes, 1);
    assert_eq!(
        zoom_meetings(&zoom.base).await.len(),
        1,
        "only the first event's meeting is left"
    );
}

#[tokio::test]
async fn a_teams_meeting_through_graph_beside_the_same_accounts_outlook_sending() {
    use ulak_channels::meeting::MeetingKind;
    use ulak_channels::oauth::Provider;

    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let google_auth = FakeProvider::oauth(true, &[]);
    let microsoft_auth = FakeProvider::oauth(false, &[]);
    let google = FakeProvider::google_api();
    let graph = FakeProvider::graph();
    configure_oauth(p, Provider::Google, &google_auth, &google.base).await;
    configure_oauth(p, Provider::Microsoft, &microsoft_auth, &graph.base).await;
    sign_in(p, ws, Purpose::Calendar, "ayse@gmail.com").await;
    let tomorrow = (chrono::Local::now() + chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let event = EventInput {
        title: "Öztürk Gıda — sözleşme".into(),
        start: format!("{tomorrow}T10:00"),
        duration_minutes: Some(45),
        meeting: MeetingKind::Teams,
        ..Default::default()
    };

    // Teams not connected: said so, nothing made.
    let e = calendar::add(p, ws, &event).await.unwrap_err();
    assert_eq!(e.code(), "meeting.not_connected");
    assert_eq!(e.detail().as_deref(), Some("Microsoft Teams"));
    assert!(google.requests().is_empty());

    // The same Microsoft account sends mail (Outlook's SMTP) and makes Teams meetings:
    // two connections, each with one resource's token (a request mixing both is refused).
    let mail = sign_in_with(
        p,
        ws,
        Provider::Microsoft,
        Purpose::Mail,
        "satis@firma.com.tr",
    )
    .await;
    let teams = sign_in_with(
        p,
        ws,
        Provider::Microsoft,
        Purpose::Teams,
        "satis@firma.com.tr",
    )
    .await;
    assert_ne!(mail.id, teams.id);
    assert!(teams
        .scopes
        .iter()
        .any(|s| s.ends_with("OnlineMeetings.ReadWrite")));
    assert!(
        !teams
            .scopes
            .iter()
            .any(|s| s.contains("outlook.office.com")),
        "{:?}",
        teams.scopes
    );
    let mail_again = ulak_channels::oauth::connections::get(p, ws, mail.id)
        .await
        .unwrap();
    assert!(
        mail_again.scopes.iter().any(|s| s.ends_with("SMTP.Send")),
        "mail keeps its scope"
    );
    let authorize: Vec<_> = microsoft_auth
        .requests()
        .into_iter()
        .filter(|r| r["path"] == "/authorize")
        .collect();
    assert_eq!(authorize.len(), 2);
    assert!(authorize
        .iter()
        .all(|r| r["problems"].as_array().unwrap().is_empty()));

    // The meeting is made first, in the event's zone, and its link is in the invitation.
    let made = calendar::add(p, ws, &event).await.unwrap();
    let link = made.meeting.clone().expect("a meeting");
    assert_eq!(link.kind, MeetingKind::Teams);
    assert!(
        link.url
            .starts_with("https://teams.microsoft.com/l/meetup-join/"),
        "{}",
        link.url
    );
    assert_eq!(link.id.as_deref(), Some("3214569870123"));
    assert_eq!(link.passcode.as_deref(), Some("Xy7Ab2"));
    let posts: Vec<_> = graph
        .requests()
        .into_iter()
        .filter(|r| r["method"] == "POST")
        .collect();
    assert_eq!(posts.len(), 1);
    assert!(
        posts[0]["problems"].as_array().unwrap().is_empty(),
        "{}",
        posts[0]
    );
    assert_eq!(posts[0]["json"]["subject"], "Öztürk Gıda — sözleşme");
    assert_eq!(
        posts[0]["json"]["startDateTime"],
        format!("{tomorrow}T10:00:00+03:00")
    );
    assert_eq!(
        posts[0]["json"]["endDateTime"],
        format!("{tomorrow}T10:45:00+03:00")
    );
    let sent = google
        .requests()
        .into_iter()
        .find(|r| r["method"] == "POST")
        .unwrap();
    assert_eq!(sent["event"]["location"], link.url.as_str());
    let description = sent["event"]["description"].as_str().unwrap();
    assert!(
        description.contains(&format!("Microsoft Teams toplantısı: {}", link.url)),
        "{description}"
    );
    let back = calendar::upcoming(p, ws, 3).await.unwrap();
    assert_eq!(
        back[0].meeting.as_ref().map(|m| m.kind),
        Some(MeetingKind::Teams)
    );

    // The calendar gone after the meeting was made: the meeting is deleted again.
    configure_oauth(p, Provider::Google, &google_auth, "http://127.0.0.1:9").await;
    assert!(calendar::add(p, ws, &event).await.is_err());
    let deletes = graph
        .requests()
        .into_iter()
        .filter(|r| r["method"] == "DELETE")
        .count();
    assert_eq!(deletes, 1);
    configure_oauth(p, Provider::Google, &google_auth, &google.base).await;

    // A personal account: Graph makes no online meetings for it, and says so.
    sign_in_with(
        p,
        ws,
        Provider::Microsoft,
        Purpose::Teams,
        "ali@outlook.com",
    )
    .await;
    let e = calendar::add(p, ws, &event).await.unwrap_err();
    assert_eq!(e.code(), "meeting.refused");
    assert!(e.to_string().contains("work or school"), "{e}");

    // "Bağlantıyı Test Et" on the Teams card: a fresh token; refused once the grant is
    // withdrawn, and the card turns to error.
    let latest = calendar::teams_connection(p, ws).await.unwrap().unwrap();
    api::test_grant(p, ws, latest.id).await.unwrap();
    reqwest::Client::new()
        .post(format!("{}/control/refuse-refresh", microsoft_auth.base))
        .send()
        .await
        .unwrap();
    let e = api::test_grant(p, ws, latest.id).await.unwrap_err();
    assert_eq!(e.code(), "oauth.reconnect");
    let after = ulak_channels::oauth::connections::get(p, ws, latest.id)
        .await
        .unwrap();
    assert_eq!(after.status, ulak_channels::oauth::ConnectionStatus::Error);
    // With every Teams sign-in withdrawn, the card shows "Hata" (connect again), not
    // "never connected".
    assert_eq!(
        api::test_grant(p, ws, teams.id).await.unwrap_err().code(),
        "oauth.reconnect"
    );
    let shown = calendar::teams_connection(p, ws).await.unwrap().unwrap();
    assert_eq!(shown.status, ulak_channels::oauth::ConnectionStatus::Error);
    let e = calendar::add(p, ws, &event).await.unwrap_err();
    assert_eq!(e.code(), "oauth.reconnect");

    // "Bağlantıyı kaldır" on the Teams card: both Teams sign-ins go, Outlook's stays.
    for c in ulak_channels::oauth::connections::list(p, ws)
        .await
        .unwrap()
    {
        if c.scopes
            .iter()
            .any(|s| s.ends_with("OnlineMeetings.ReadWrite"))
        {
            let r = api::disconnect_grant(p, ws, c.id).await.unwrap();
            assert_eq!(r.accounts_removed, 0);
        }
    }
    let left = ulak_channels::oauth::connections::list(p, ws)
        .await
        .unwrap();
    assert!(left.iter().any(|c| c.id == mail.id));
    assert!(!left.iter().any(|c| c.id == teams.id));
    let e = calendar::add(p, ws, &event).await.unwrap_err();
    assert_eq!(e.code(), "meeting.not_connected");
}
