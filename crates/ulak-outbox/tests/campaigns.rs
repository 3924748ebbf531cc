//! Campaigns as the claim runs them (issue 17): each message's account chosen at
//! random among the campaign's accounts that may send, never an inactive, full or
//! waiting one; the spread roughly even; a sending window with Turkish holidays; the
//! day spread over the window; the forward view. Clock injected, randomness seeded.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use rand::rngs::StdRng;
use rand::SeedableRng;
use ulak_core::testing::temp_store as store;
use ulak_core::workspace;
use ulak_outbox::campaigns::{self, Action, CampaignWait, Holiday, NewCampaign, Slot, Window};
use ulak_outbox::forecast;
use ulak_outbox::queue::{self, Channel, NewMessage, Outcome};
use ulak_outbox::senders::{self, Ceilings, Clock, Key, Limits, Status};

const IST: Tz = chrono_tz::Europe::Istanbul;
const LEASE: Duration = Duration::from_secs(120);

fn ist(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    IST.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn key(id: i64) -> Key {
    Key {
        channel: Channel::Email,
        account_id: id,
    }
}

fn always() -> Window {
    Window {
        days: (1..=7).collect(),
        start: "00:00".into(),
        end: "24:00".into(),
        time_zone: "Europe/Istanbul".into(),
        skip_holidays: false,
    }
}

fn recipient(campaign: i64, n: usize) -> NewMessage {
    let to = format!("musteri{n}@firma.com.tr");
    NewMessage {
        channel: Channel::Email,
        provider: campaigns::PROVIDER.into(),
        account_id: None,
        company_id: None,
        reference: format!("c{campaign}-{n}"),
        idempotency_key: format!("campaign:{campaign}:{to}"),
        sender: String::new(),
        recipients: vec![to.clone()],
        to_display: to,
        subject: format!("Teklif {n} — Işıl Hanım"),
        attachment_count: 0,
        payload: b"{}".to_vec(),
    }
}

#[test]
fn windows_read_days_and_hours_in_turkish_or_english() {
    let w = Window::parse("Pzt-Cum 09:00-18:00", "Europe/Istanbul").unwrap();
    assert_eq!(w.days, [1, 2, 3, 4, 5]);
    let w2 = Window::parse("Mon-Fri 09:00-18:00", "Europe/Istanbul").unwrap();
    assert_eq!(w, w2);
    assert_eq!(
        Window::parse("Sat,Sun 10:00-12:00", "UTC").unwrap().days,
        [6, 7]
    );
    assert_eq!(
        Window::parse("Fri-Mon 10:00-12:00", "UTC").unwrap().days,
        [1, 5, 6, 7]
    );
    assert!(
        Window::parse("Mon-Fri 18:00-09:00", "UTC").is_err(),
        "ends before it starts"
    );
    assert!(Window::parse("Mon-Fri 09:00-18:00", "Avrupa/İstanbul").is_err());
    assert!(Window::parse("whenever", "UTC").is_err());
}

#[test]
fn a_window_opens_and_closes_on_its_days_and_skips_holidays() {
    let w = Window::default(); // weekdays 09:00–18:00, Istanbul, holidays skipped
                               // Monday 7 December 2026, 08:00: opens at 09:00.
    assert_eq!(
        w.at(ist(2026, 12, 7, 8, 0)),
        Slot::Closed {
            opens: Some(ist(2026, 12, 7, 9, 0))
        }
    );
    assert_eq!(
        w.at(ist(2026, 12, 7, 10, 0)),
        Slot::Open {
            closes: ist(2026, 12, 7, 18, 0)
        }
    );
    // Friday evening: next Monday.
    assert_eq!(
        w.at(ist(2026, 12, 11, 19, 0)),
        Slot::Closed {
            opens: Some(ist(2026, 12, 14, 9, 0))
        }
    );
    // 29 Ekim (Thursday) is Cumhuriyet Bayramı, its eve a half day.
    assert_eq!(
        campaigns::holiday(NaiveDate::from_ymd_opt(2026, 10, 29).unwrap()),
        Holiday::Full
    );
    assert_eq!(
        campaigns::holiday(NaiveDate::from_ymd_opt(2026, 10, 28).unwrap()),
        Holiday::Half
    );
    assert_eq!(
        w.at(ist(2026, 10, 28, 14, 0)),
        Slot::Closed {
            opens: Some(ist(2026, 10, 30, 9, 0))
        },
        "the eve's afternoon and the holiday are skipped"
    );
    assert_eq!(
        w.at(ist(2026, 10, 28, 10, 0)),
        Slot::Open {
            closes: ist(2026, 10, 28, 13, 0)
        }
    );
    // Kurban Bayramı 2026: 27–30 May (Wed–Sat), arife the 26th.
    assert_eq!(
        w.at(ist(2026, 5, 26, 15, 0)),
        Slot::Closed {
            opens: Some(ist(2026, 6, 1, 9, 0))
        }
    );
    let mut open = w.clone();
    open.skip_holidays = false;
    assert!(matches!(
        open.at(ist(2026, 10, 29, 10, 0)),
        Slot::Open { .. }
    ));
}

async fn sender(
    c: &mut sqlx::SqliteConnection,
    ws: i64,
    id: i64,
    limits: Limits,
    now: DateTime<Utc>,
) {
    senders::register(
        c,
        ws,
        key(id),
        &format!("hesap{id}@firma.com.tr"),
        Ceilings::default(),
        now,
    )
    .await
    .unwrap();
    senders::set_limits(c, key(id), &limits, &Clock::in_zone(now, &IST))
        .await
        .unwrap();
    senders::set_status(c, key(id), Status::Active, None, now)
        .await
        .unwrap();
}

#[tokio::test]
async fn each_message_goes_to_an_account_that_may_send_and_the_spread_is_even() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let now = ist(2026, 12, 7, 10, 0);
    let clock = Clock::in_zone(now, &IST);
    let mut c = p.acquire().await.unwrap();
    let daily = |n| Limits {
        daily: Some(n),
        ..Default::default()
    };
    sender(&mut c, ws, 1, daily(40), now).await;
    sender(&mut c, ws, 2, daily(40), now).await;
    sender(&mut c, ws, 3, daily(10), now).await;
    sender(&mut c, ws, 4, Limits::default(), now).await;
    senders::set_status(&mut c, key(4), Status::Inactive, None, now)
        .await
        .unwrap();
    let camp = campaigns::create(
        p,
        ws,
        &NewCampaign {
            name: "Bahar Kampanyası".into(),
            subject: "Teklif".into(),
            body_html: "<p>Merhaba</p>".into(),
            window: always(),
            spread: false,
            commercial: false,
            accounts: vec![1, 2, 3, 4],
        },
        now,
    )
    .await
    .unwrap();
    let messages: Vec<NewMessage> = (0..100).map(|n| recipient(camp.id, n)).collect();
    assert_eq!(
        campaigns::queue(p, ws, camp.id, &messages, now)
            .await
            .unwrap(),
        100
    );
    assert!(
        queue::claim_at(&mut c, "w", &clock, LEASE, 50)
            .await
            .unwrap()
            .is_empty(),
        "a draft sends nothing"
    );
    campaigns::act(p, ws, camp.id, Action::Run, now)
        .await
        .unwrap();

    let mut rng = StdRng::seed_from_u64(7);
    let mut by_account: HashMap<i64, u32> = HashMap::new();
    let mut first_twenty: HashMap<i64, u32> = HashMap::new();
    loop {
        let batch = queue::claim_with(&mut c, "w", &clock, LEASE, 10, &mut rng)
            .await
            .unwrap();
        if batch.is_empty() {
            break;
        }
        let sent: usize = by_account.values().map(|n| *n as usize).sum();
        for m in &batch {
            let a = m.account_id.unwrap();
            *by_account.entry(a).or_default() += 1;
            if sent < 20 {
                *first_twenty.entry(a).or_default() += 1;
            }
        }
        let done: Vec<(i64, Outcome)> = batch
            .iter()
            .map(|m| {
                (
                    m.id,
                    Outcome::Sent {
                        reply: "250".into(),
                    },
                )
            })
            .collect();
        queue::complete(p, "w", &done, now, 1.0).await.unwrap();
    }
    assert_eq!(by_account.get(&4), None, "never the inactive account");
    assert_eq!(
        (by_account[&1], by_account[&2], by_account[&3]),
        (40, 40, 10),
        "each up to its limit, none over"
    );
    // While all three had room, the choice was spread among them.
    assert!(first_twenty.len() == 3, "{first_twenty:?}");
    assert!(first_twenty.values().all(|n| *n >= 3), "{first_twenty:?}");

    // Bildirimler hears of each full account once today (not of the unlimited one).
    let mut full = senders::untold_limits(p, &clock).await.unwrap();
    full.sort();
    assert_eq!(
        full,
        [
            "hesap1@firma.com.tr",
            "hesap2@firma.com.tr",
            "hesap3@firma.com.tr"
        ]
    );
    assert!(senders::untold_limits(p, &clock).await.unwrap().is_empty());
    assert!(
        campaigns::untold_finished(p, now).await.unwrap().is_empty(),
        "ten still to go"
    );

    let pr = campaigns::progress_at(p, ws, camp.id, now).await.unwrap();
    assert_eq!((pr.sent, pr.waiting), (90, 10));
    match &pr.campaign.waiting {
        Some(CampaignWait::NoAccount { until: Some(t) }) => {
            assert_eq!(t, &queue::timestamp(ist(2026, 12, 8, 0, 0)))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        ulak_outbox::worker::next_due(p).await.unwrap(),
        Some(ist(2026, 12, 8, 0, 0)),
        "the worker wakes at local midnight for the last ten"
    );

    // The forward view: the ten go tomorrow.
    let f = forecast::plan(&forecast::input(p, ws, &clock).await.unwrap(), &clock, &IST);
    let tomorrow: u32 = f.accounts.iter().map(|a| a.per_day[1]).sum();
    let today: u32 = f.accounts.iter().map(|a| a.per_day[0]).sum();
    assert_eq!((today, tomorrow, f.unplaced), (0, 10, 0));
    assert_eq!(f.campaigns[0].per_day[1], 10);

    // Paused, nothing goes even after midnight; resumed, it does.
    campaigns::act(p, ws, camp.id, Action::Pause, now)
        .await
        .unwrap();
    let tomorrow_clock = Clock::in_zone(ist(2026, 12, 8, 9, 0), &IST);
    assert!(
        queue::claim_with(&mut c, "w", &tomorrow_clock, LEASE, 50, &mut rng)
            .await
            .unwrap()
            .is_empty()
    );
    campaigns::act(p, ws, camp.id, Action::Resume, now)
        .await
        .unwrap();
    let rest = queue::claim_with(&mut c, "w", &tomorrow_clock, LEASE, 50, &mut rng)
        .await
        .unwrap();
    assert_eq!(rest.len(), 10);
    let done: Vec<(i64, Outcome)> = rest
        .iter()
        .map(|m| {
            (
                m.id,
                Outcome::Sent {
                    reply: "250".into(),
                },
            )
        })
        .collect();
    queue::complete(p, "w", &done, now, 1.0).await.unwrap();
    // The campaign is finished: told once, with its counts.
    let finished = campaigns::untold_finished(p, now).await.unwrap();
    assert_eq!(finished.len(), 1, "{finished:?}");
    assert_eq!(
        (
            finished[0].name.as_str(),
            finished[0].sent,
            finished[0].failed
        ),
        ("Bahar Kampanyası", 100, 0)
    );
    assert!(campaigns::untold_finished(p, now).await.unwrap().is_empty());

    // Cancelled: what was not sent is given up, not lost silently.
    let other = campaigns::create(
        p,
        ws,
        &NewCampaign {
            name: "Yaz".into(),
            subject: "Yaz".into(),
            body_html: "<p>Yaz</p>".into(),
            window: always(),
            spread: false,
            commercial: false,
            accounts: vec![1],
        },
        now,
    )
    .await
    .unwrap();
    let msgs: Vec<NewMessage> = (200..205).map(|n| recipient(other.id, n)).collect();
    campaigns::queue(p, ws, other.id, &msgs, now).await.unwrap();
    campaigns::act(p, ws, other.id, Action::Cancel, now)
        .await
        .unwrap();
    let pr = campaigns::progress(p, ws, other.id).await.unwrap();
    assert_eq!((pr.failed, pr.waiting), (5, 0));
    assert!(
        campaigns::untold_finished(p, now).await.unwrap().is_empty(),
        "a cancelled campaign is not told as finished"
    );
}

#[tokio::test]
async fn outside_the_window_it_waits_and_inside_it_spreads_the_day() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    // Monday 07:00: the window opens at 09:00.
    let early = ist(2026, 12, 7, 7, 0);
    let mut c = p.acquire().await.unwrap();
    sender(
        &mut c,
        ws,
        1,
        Limits {
            daily: Some(30),
            ..Default::default()
        },
        early,
    )
    .await;
    let camp = campaigns::create(
        p,
        ws,
        &NewCampaign {
            name: "Mesai".into(),
            subject: "Teklif".into(),
            body_html: "<p>Merhaba</p>".into(),
            window: Window::default(),
            spread: true,
            commercial: false,
            accounts: vec![1],
        },
        early,
    )
    .await
    .unwrap();
    let messages: Vec<NewMessage> = (0..40).map(|n| recipient(camp.id, n)).collect();
    campaigns::queue(p, ws, camp.id, &messages, early)
        .await
        .unwrap();
    campaigns::act(p, ws, camp.id, Action::Run, early)
        .await
        .unwrap();
    let mut rng = StdRng::seed_from_u64(1);
    let clock = Clock::in_zone(early, &IST);
    assert!(queue::claim_with(&mut c, "w", &clock, LEASE, 10, &mut rng)
        .await
        .unwrap()
        .is_empty());
    let camp_now = campaigns::get_at(p, ws, camp.id, early).await.unwrap();
    assert_eq!(
        camp_now.waiting,
        Some(CampaignWait::OutsideWindow {
            opens: Some(queue::timestamp(ist(2026, 12, 7, 9, 0)))
        })
    );

    // The computer wakes at 15:00 (asleep since the window opened): the day's 30 are
    // spread over the three hours left, one every six minutes, not sent in a burst.
    let late = Clock::in_zone(ist(2026, 12, 7, 15, 0), &IST);
    let first = queue::claim_with(&mut c, "w", &late, LEASE, 10, &mut rng)
        .await
        .unwrap();
    assert_eq!(first.len(), 1, "one at a time while spreading");
    let camp_now = campaigns::get_at(p, ws, camp.id, late.now).await.unwrap();
    assert_eq!(
        camp_now.waiting,
        Some(CampaignWait::Spreading {
            next: queue::timestamp(ist(2026, 12, 7, 15, 6))
        })
    );
    assert!(queue::claim_with(&mut c, "w", &late, LEASE, 10, &mut rng)
        .await
        .unwrap()
        .is_empty());
    let next = Clock::in_zone(ist(2026, 12, 7, 15, 6), &IST);
    assert_eq!(
        queue::claim_with(&mut c, "w", &next, LEASE, 10, &mut rng)
            .await
            .unwrap()
            .len(),
        1
    );
}
