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

async fn sign_in(
    p: &sqlx::SqlitePool,
    ws: i64,
    purpose: Purpose,
    hint: &str,
) -> ulak_channels::oauth::Connection {
    let pending = api::begin_for(
        p,
        ws,
        ulak_channels::oauth::Provider::Google,
        purpose,
        Some(hint),
    )
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
    input.meet = true;
    let event = calendar::add(p, ws, &input).await.unwrap();
    assert!(event
        .html_link
        .starts_with("https://www.google.com/calendar/event?eid="));
    assert!(event
        .meet_link
        .as_deref()
        .is_some_and(|l| l.starts_with("https://meet.google.com/")));
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
    assert!(invoice.meet_link.is_none());

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
}
