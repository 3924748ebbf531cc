//! Accounts' limits as every claim applies them (issue 17): the user's daily limit by
//! the local calendar day, the provider's rolling 24 hours and minute, the wait between
//! two sends, ramp-up and status, counted from the store at the moment of claiming.
//! The clock is injected and the randomness seeded: no test sleeps.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Duration as D, NaiveDate, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use ulak_core::testing::temp_store as store;
use ulak_core::workspace;
use ulak_outbox::failure::{Failure, FailureCode, Kind};
use ulak_outbox::queue::{self, Channel, NewMessage, Outcome, State};
use ulak_outbox::senders::{
    self, allowance, Ceilings, Clock, Day, Key, Limits, Sender, Status, Unit, Usage, Wait,
};

const IST: Tz = chrono_tz::Europe::Istanbul;
const BERLIN: Tz = chrono_tz::Europe::Berlin;
const LEASE: Duration = Duration::from_secs(120);

fn key(account_id: i64) -> Key {
    Key {
        channel: Channel::Sms,
        account_id,
    }
}

fn message(account_id: i64, n: usize, recipients: usize) -> NewMessage {
    let to: Vec<String> = (0..recipients)
        .map(|r| format!("+90532{account_id:03}{n:04}{r}"))
        .collect();
    NewMessage {
        channel: Channel::Sms,
        provider: "test-provider".into(),
        account_id: Some(account_id),
        company_id: None,
        reference: format!("ref-{account_id}-{n}"),
        idempotency_key: format!("key-{account_id}-{n}"),
        sender: format!("hesap{account_id}"),
        recipients: to.clone(),
        to_display: to.join(", "),
        subject: format!("Işıl Hanım'a teklif {n}"),
        attachment_count: 0,
        payload: b"{}".to_vec(),
    }
}

fn sender(limits: Limits, ceilings: Ceilings) -> Sender {
    Sender {
        key: key(1),
        workspace_id: 1,
        label: "ayse@firma.com.tr".into(),
        status: Status::Active,
        status_reason: None,
        limits,
        ceilings,
        ramp_from: None,
        next_send_at: None,
        blocked_until: None,
        blocked_reason: None,
    }
}

fn ist(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    IST.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .unwrap()
        .with_timezone(&Utc)
}

#[test]
fn the_local_day_follows_the_zone_across_dst_and_a_skipped_midnight() {
    // Istanbul: UTC+3 all year; 00:30 local is still the previous day in UTC.
    let d = Day::of(ist(2026, 12, 7, 0, 30), &IST);
    assert_eq!(d.date, NaiveDate::from_ymd_opt(2026, 12, 7).unwrap());
    assert_eq!(
        d.start,
        Utc.with_ymd_and_hms(2026, 12, 6, 21, 0, 0).unwrap()
    );
    assert_eq!(d.end - d.start, D::hours(24));
    // Berlin's spring day has 23 hours, its autumn day 25.
    let spring = Day::of(
        Utc.with_ymd_and_hms(2026, 3, 29, 12, 0, 0).unwrap(),
        &BERLIN,
    );
    assert_eq!(spring.end - spring.start, D::hours(23));
    let autumn = Day::of(
        Utc.with_ymd_and_hms(2026, 10, 25, 12, 0, 0).unwrap(),
        &BERLIN,
    );
    assert_eq!(autumn.end - autumn.start, D::hours(25));
    // Santiago moves its clocks at midnight: that day starts at 01:00, where the day
    // before ends.
    let santiago: Tz = chrono_tz::America::Santiago;
    let day = Day::of(
        Utc.with_ymd_and_hms(2026, 9, 6, 18, 0, 0).unwrap(),
        &santiago,
    );
    assert_eq!(day.start.with_timezone(&santiago).hour(), 1);
    let before = Day::of(day.start - D::minutes(1), &santiago);
    assert_eq!(before.end, day.start);
}

#[test]
fn each_limit_gives_room_and_says_when_and_why_it_frees() {
    let clock = Clock::in_zone(ist(2026, 12, 7, 14, 0), &IST);
    let daily = sender(
        Limits {
            daily: Some(30),
            ..Default::default()
        },
        Ceilings::default(),
    );
    let used = |today, in_flight| Usage {
        today,
        in_flight,
        ..Default::default()
    };
    assert_eq!(allowance(&daily, &used(20, 0), &clock).messages, 10);
    assert_eq!(
        allowance(&daily, &used(20, 4), &clock).messages,
        6,
        "in flight counts"
    );
    let full = allowance(&daily, &used(30, 0), &clock);
    assert_eq!(full.messages, 0);
    assert_eq!(full.then.0, ist(2026, 12, 8, 0, 0), "local midnight");
    assert_eq!(full.then.1, Wait::DailyLimit { limit: 30 });

    // Ramp-up: 10 on the first day, 20 on the second, never above the limit.
    let mut ramp = daily.clone();
    ramp.limits.ramp_up = Some(10);
    ramp.ramp_from = Some(clock.day.date);
    assert_eq!(ramp.daily_today(clock.day.date), Some(10));
    assert_eq!(
        ramp.daily_today(clock.day.date.succ_opt().unwrap()),
        Some(20)
    );
    assert_eq!(
        ramp.daily_today(clock.day.date + D::days(9)),
        Some(30),
        "capped by the limit"
    );
    assert_eq!(allowance(&ramp, &used(10, 0), &clock).messages, 0);

    // Outlook.com counts recipients over a rolling 24 hours.
    let outlook = sender(
        Limits::default(),
        Ceilings {
            day: Some(5000),
            unit: Unit::Recipients,
            minute: None,
        },
    );
    let oldest = clock.now - D::hours(20);
    let a = allowance(
        &outlook,
        &Usage {
            day_messages: 100,
            day_recipients: 4990,
            oldest_day: Some(oldest),
            ..Default::default()
        },
        &clock,
    );
    assert_eq!(a.recipients, Some(10));
    assert_eq!(
        a.then.0,
        oldest + D::hours(24),
        "when the oldest send leaves the window"
    );

    // Microsoft 365: 30 a minute.
    let m365 = sender(
        Limits::default(),
        Ceilings {
            minute: Some(30),
            ..Default::default()
        },
    );
    let a = allowance(
        &m365,
        &Usage {
            minute: 30,
            oldest_minute: Some(clock.now - D::seconds(45)),
            ..Default::default()
        },
        &clock,
    );
    assert_eq!((a.messages, a.then.0), (0, clock.now + D::seconds(15)));

    // A wait of a second: a claim takes what fits its horizon.
    let paced = sender(Limits::PROPOSED, Ceilings::default());
    assert_eq!(allowance(&paced, &used(0, 0), &clock).messages, 30);
    assert_eq!(allowance(&paced, &used(0, 25), &clock).messages, 5);

    let mut off = daily.clone();
    off.status = Status::Inactive;
    assert_eq!(allowance(&off, &used(0, 0), &clock).messages, 0);
    assert_eq!(allowance(&off, &used(0, 0), &clock).then.1, Wait::Inactive);
}

async fn account(
    c: &mut sqlx::SqliteConnection,
    ws: i64,
    id: i64,
    limits: Limits,
    ceilings: Ceilings,
    clock: &Clock,
) {
    senders::register(c, ws, key(id), &format!("hesap{id}"), ceilings, clock.now)
        .await
        .unwrap();
    senders::set_limits(c, key(id), &limits, clock)
        .await
        .unwrap();
    senders::set_status(c, key(id), Status::Active, None, clock.now)
        .await
        .unwrap();
}

#[tokio::test]
async fn two_workers_together_never_take_more_than_the_daily_limit_and_failures_do_not_count() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let clock = Clock::in_zone(ist(2026, 12, 7, 23, 0), &IST);
    let mut c = p.acquire().await.unwrap();
    let five = Limits {
        daily: Some(5),
        ..Default::default()
    };
    account(&mut c, ws, 1, five, Ceilings::default(), &clock).await;
    let ids: Vec<i64> = {
        let mut v = Vec::new();
        for n in 0..20 {
            v.push(
                queue::enqueue(p, ws, &message(1, n, 1), clock.now)
                    .await
                    .unwrap(),
            );
        }
        v
    };
    // The app and the CLI claim in turn, each on its own connection.
    let mut other = p.acquire().await.unwrap();
    let a = queue::claim_at(&mut c, "app", &clock, LEASE, 3)
        .await
        .unwrap();
    let b = queue::claim_at(&mut other, "cli", &clock, LEASE, 10)
        .await
        .unwrap();
    assert_eq!((a.len(), b.len()), (3, 2));
    assert!(queue::claim_at(&mut other, "cli", &clock, LEASE, 10)
        .await
        .unwrap()
        .is_empty());
    let blocked = senders::get(p, key(1)).await.unwrap().unwrap();
    assert_eq!(blocked.blocked_reason, Some(Wait::DailyLimit { limit: 5 }));
    assert_eq!(blocked.blocked_until, Some(ist(2026, 12, 8, 0, 0)));

    // One of the five fails: its place is free again, and only that one place.
    let failed = Failure::transient(FailureCode::ServerBusy, "421 try later");
    let mut outcomes: Vec<(i64, Outcome)> = a
        .iter()
        .map(|m| (m.id, Outcome::Sent { reply: "ok".into() }))
        .collect();
    outcomes[0].1 = Outcome::Failed(failed);
    queue::complete(p, "app", &outcomes, clock.now, 1.0)
        .await
        .unwrap();
    let done: Vec<(i64, Outcome)> = b
        .iter()
        .map(|m| (m.id, Outcome::Sent { reply: "ok".into() }))
        .collect();
    queue::complete(p, "cli", &done, clock.now, 1.0)
        .await
        .unwrap();
    let again = queue::claim_at(&mut c, "app", &clock, LEASE, 10)
        .await
        .unwrap();
    assert_eq!(again.len(), 1, "four sent today, one place left");
    assert_ne!(again[0].id, a[0].id, "the failed one waits for its retry");

    // After local midnight the day starts afresh: five more, whoever claims.
    let tomorrow = Clock::in_zone(ist(2026, 12, 8, 0, 0) + D::seconds(1), &IST);
    queue::complete(
        p,
        "app",
        &[(again[0].id, Outcome::Sent { reply: "ok".into() })],
        clock.now,
        1.0,
    )
    .await
    .unwrap();
    assert_eq!(
        ulak_outbox::worker::next_due(p).await.unwrap(),
        Some(ist(2026, 12, 8, 0, 0)),
        "nothing in flight: the worker sleeps until midnight"
    );
    let next = queue::claim_at(&mut other, "cli", &tomorrow, LEASE, 10)
        .await
        .unwrap();
    assert_eq!(next.len(), 5);
    let sent: i64 = sqlx::query_scalar("SELECT count(*) FROM messages WHERE state = 'sent'")
        .fetch_one(p)
        .await
        .unwrap();
    assert_eq!(sent, 5, "nothing lost, nothing twice: {ids:?}");
}

#[tokio::test]
async fn an_inactive_or_refused_account_keeps_its_messages_until_it_is_active_again() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let clock = Clock::in_zone(ist(2026, 12, 7, 10, 0), &IST);
    let mut c = p.acquire().await.unwrap();
    account(
        &mut c,
        ws,
        1,
        Limits::default(),
        Ceilings::default(),
        &clock,
    )
    .await;
    account(
        &mut c,
        ws,
        2,
        Limits::default(),
        Ceilings::default(),
        &clock,
    )
    .await;
    for n in 0..3 {
        queue::enqueue(p, ws, &message(1, n, 1), clock.now)
            .await
            .unwrap();
        queue::enqueue(p, ws, &message(2, n, 1), clock.now)
            .await
            .unwrap();
    }
    senders::set_status(&mut c, key(2), Status::Inactive, None, clock.now)
        .await
        .unwrap();
    let got = queue::claim_at(&mut c, "w", &clock, LEASE, 10)
        .await
        .unwrap();
    assert!(got.iter().all(|m| m.account_id == Some(1)));
    assert_eq!(got.len(), 3);

    // Account 1's sign-in is refused: it goes to error with the provider's words, its
    // other messages wait, and the error is told once.
    let refused = Failure {
        kind: Kind::SignIn,
        code: FailureCode::SignIn,
        text: "535 5.7.8 kimlik doğrulama başarısız".into(),
        retry_after: None,
    };
    queue::complete(
        p,
        "w",
        &[(got[0].id, Outcome::Failed(refused))],
        clock.now,
        1.0,
    )
    .await
    .unwrap();
    let s1 = senders::get(p, key(1)).await.unwrap().unwrap();
    assert_eq!(s1.status, Status::Error);
    assert!(s1.status_reason.unwrap().contains("535"));
    let told = senders::untold_errors(p, clock.now).await.unwrap();
    assert_eq!(told.len(), 1);
    assert!(senders::untold_errors(p, clock.now)
        .await
        .unwrap()
        .is_empty());
    queue::release(p, "w", &[got[1].id, got[2].id], clock.now)
        .await
        .unwrap();
    assert!(queue::claim_at(&mut c, "w", &clock, LEASE, 10)
        .await
        .unwrap()
        .is_empty());

    let held = queue::get(p, ws, got[0].id).await.unwrap().unwrap();
    assert_eq!(
        (held.state, held.last_code),
        (State::Retry, Some(FailureCode::SignIn)),
        "the refused message is held for the account, not failed"
    );

    // Switched on again, account 2's three go; tested again, account 1's three.
    senders::set_status(&mut c, key(2), Status::Active, None, clock.now)
        .await
        .unwrap();
    senders::set_status(&mut c, key(1), Status::Active, None, clock.now)
        .await
        .unwrap();
    let got = queue::claim_at(&mut c, "w", &clock, LEASE, 10)
        .await
        .unwrap();
    assert_eq!(got.len(), 6);
}

#[tokio::test]
async fn a_turn_is_taken_by_one_sender_at_a_time_and_spaced_by_the_wait() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let clock = Clock::in_zone(ist(2026, 12, 7, 10, 0), &IST);
    let mut c = p.acquire().await.unwrap();
    let paced = Limits {
        min_wait_ms: 2000,
        jitter_ms: 1000,
        ..Default::default()
    };
    account(&mut c, ws, 1, paced, Ceilings::default(), &clock).await;
    let t = clock.now;
    assert_eq!(senders::take_turn(p, key(1), t, 0.5).await.unwrap(), None);
    let next = senders::take_turn(p, key(1), t + D::milliseconds(100), 0.0)
        .await
        .unwrap();
    assert_eq!(
        next,
        Some(t + D::milliseconds(2500)),
        "wait + half the jitter"
    );
    assert_eq!(
        senders::take_turn(p, key(1), t + D::milliseconds(2500), 0.0)
            .await
            .unwrap(),
        None
    );
}

/// A random workload against random limits, with the clock stepping through two local
/// midnights and Berlin's autumn DST change: whatever happens, what the store says was
/// sent never crosses a limit, no message is sent twice or lost, and the turns of an
/// account are never closer than its wait.
#[tokio::test]
async fn random_workloads_never_cross_a_limit() {
    for seed in 0..6u64 {
        simulate(seed).await;
    }
}

async fn simulate(seed: u64) {
    let mut rng = StdRng::seed_from_u64(seed);
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let start = BERLIN
        .with_ymd_and_hms(2026, 10, 24, 20, 0, 0)
        .unwrap()
        .with_timezone(&Utc);
    let mut now = start;
    let mut c = p.acquire().await.unwrap();
    let mut specs = HashMap::new();
    for id in 1..=3i64 {
        let limits = Limits {
            daily: Some(rng.gen_range(3..15)),
            min_wait_ms: [0, 500, 2000][rng.gen_range(0..3)],
            jitter_ms: [0, 300][rng.gen_range(0..2)],
            ramp_up: if rng.gen_bool(0.3) { Some(4) } else { None },
        };
        let ceilings = Ceilings {
            day: Some(rng.gen_range(5..20)),
            unit: if rng.gen_bool(0.5) {
                Unit::Recipients
            } else {
                Unit::Messages
            },
            minute: Some(rng.gen_range(2..6)),
        };
        let clock = Clock::in_zone(now, &BERLIN);
        account(&mut c, ws, id, limits, ceilings, &clock).await;
        specs.insert(id, (limits, ceilings, clock.day.date));
    }
    let mut queued = 0;
    for n in 0..90 {
        let id = rng.gen_range(1..=3);
        let m = message(id, n, rng.gen_range(1..4));
        queue::enqueue(p, ws, &m, now).await.unwrap();
        queued += 1;
    }
    let mut starts: HashMap<i64, Vec<DateTime<Utc>>> = HashMap::new();
    let end = start + D::hours(56);
    while now < end {
        let clock = Clock::in_zone(now, &BERLIN);
        let owner = if rng.gen_bool(0.5) { "app" } else { "cli" };
        let batch = queue::claim_at(&mut c, owner, &clock, LEASE, rng.gen_range(1..8))
            .await
            .unwrap();
        let mut done = Vec::new();
        let mut t = now;
        for m in &batch {
            let k = key(m.account_id.unwrap());
            // The sender waits for the account's turn, as the router does.
            while let Some(next) = senders::take_turn(p, k, t, rng.gen()).await.unwrap() {
                t = next;
            }
            starts.entry(k.account_id).or_default().push(t);
            let outcome = if rng.gen_bool(0.15) {
                Outcome::Failed(Failure::permanent(FailureCode::Refused, "550 hayır"))
            } else {
                Outcome::Sent {
                    reply: "250".into(),
                }
            };
            done.push((m.id, outcome, t));
        }
        for (id, outcome, at) in done {
            queue::complete(p, owner, &[(id, outcome)], at, 1.0)
                .await
                .unwrap();
        }
        now = t.max(now)
            + match rng.gen_range(0..10) {
                0 => D::hours(rng.gen_range(1..5)),
                1..=3 => D::seconds(rng.gen_range(0..3)),
                _ => D::seconds(rng.gen_range(5..120)),
            };
    }
    // Every message is sent once, failed, or still queued.
    let states: Vec<(String, i64)> =
        sqlx::query_as("SELECT state, count(*) FROM messages GROUP BY state")
            .fetch_all(p)
            .await
            .unwrap();
    let total: i64 = states.iter().map(|(_, n)| n).sum();
    assert_eq!(total, queued, "seed {seed}: {states:?}");
    assert!(
        states.iter().all(|(s, _)| s != "sending"),
        "seed {seed}: {states:?}"
    );
    for (id, (limits, ceilings, ramp_from)) in specs {
        let sent: Vec<(String, i64)> = sqlx::query_as(
            "SELECT sent_at, json_array_length(recipients) FROM messages
             WHERE account_id = ?1 AND state = 'sent' ORDER BY sent_at",
        )
        .bind(id)
        .fetch_all(p)
        .await
        .unwrap();
        let sent: Vec<(DateTime<Utc>, i64)> = sent
            .into_iter()
            .map(|(t, r)| (DateTime::parse_from_rfc3339(&t).unwrap().into(), r))
            .collect();
        let mut rule = sender(limits, ceilings);
        rule.ramp_from = Some(ramp_from);
        let mut per_day: HashMap<NaiveDate, u32> = HashMap::new();
        for (t, _) in &sent {
            *per_day.entry(Day::of(*t, &BERLIN).date).or_default() += 1;
        }
        for (day, n) in &per_day {
            let limit = rule.daily_today(*day).unwrap();
            assert!(
                *n <= limit,
                "seed {seed}, account {id}: {n} on {day} > {limit}"
            );
        }
        for (i, (t, _)) in sent.iter().enumerate() {
            let window: Vec<&(DateTime<Utc>, i64)> = sent[..=i]
                .iter()
                .filter(|(u, _)| *u > *t - D::hours(24))
                .collect();
            let used = match ceilings.unit {
                Unit::Messages => window.len() as i64,
                Unit::Recipients => window.iter().map(|(_, r)| r).sum(),
            };
            assert!(
                used <= i64::from(ceilings.day.unwrap()),
                "seed {seed}, account {id}: {used} in 24 h"
            );
            let minute = sent[..=i]
                .iter()
                .filter(|(u, _)| *u > *t - D::minutes(1))
                .count();
            assert!(
                minute as u32 <= ceilings.minute.unwrap(),
                "seed {seed}: {minute}/min"
            );
        }
        let turns = &starts[&id];
        for w in turns.windows(2) {
            assert!(
                w[1] - w[0] >= D::milliseconds(i64::from(limits.min_wait_ms)),
                "seed {seed}, account {id}: turns {} apart",
                (w[1] - w[0]).num_milliseconds()
            );
        }
        assert!(!sent.is_empty(), "seed {seed}: account {id} sent nothing");
    }
}

#[tokio::test]
async fn hard_bounces_above_two_percent_stop_an_account_once_twenty_have_gone() {
    let d = tempfile::tempdir().unwrap();
    let s = store(d.path()).await;
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let clock = Clock::in_zone(ist(2026, 12, 7, 10, 0), &IST);
    let mut c = p.acquire().await.unwrap();
    account(
        &mut c,
        ws,
        1,
        Limits::default(),
        Ceilings::default(),
        &clock,
    )
    .await;
    account(
        &mut c,
        ws,
        2,
        Limits::default(),
        Ceilings::default(),
        &clock,
    )
    .await;
    let bounce = || {
        Outcome::Failed(Failure::permanent(
            FailureCode::NoSuchRecipient,
            "550 5.1.1 <yok@firma.com.tr>: Recipient address rejected",
        ))
    };
    // Account 1: 60 sent, then one bounce: 1 in 61 is under 2 %.
    // Account 2: 18 sent, then one bounce (1 in 19: too few to judge), then another
    // (2 in 20 = 10 %): stopped.
    for (account, sent) in [(1, 60), (2, 18)] {
        for n in 0..sent + 2 {
            queue::enqueue(p, ws, &message(account, n, 1), clock.now)
                .await
                .unwrap();
        }
    }
    let all = queue::claim_at(&mut c, "w", &clock, LEASE, 200)
        .await
        .unwrap();
    let mut per: HashMap<i64, Vec<i64>> = HashMap::new();
    for m in &all {
        per.entry(m.account_id.unwrap()).or_default().push(m.id);
    }
    let record = |id: i64, o: Outcome| (id, o);
    let mut first = Vec::new();
    for (account, ids) in &per {
        let sent = if *account == 1 { 60 } else { 18 };
        for (i, id) in ids.iter().enumerate() {
            if i < sent {
                first.push(record(
                    *id,
                    Outcome::Sent {
                        reply: "250".into(),
                    },
                ));
            }
        }
    }
    queue::complete(p, "w", &first, clock.now, 1.0)
        .await
        .unwrap();
    queue::complete(p, "w", &[(per[&1][60], bounce())], clock.now, 1.0)
        .await
        .unwrap();
    queue::complete(p, "w", &[(per[&2][18], bounce())], clock.now, 1.0)
        .await
        .unwrap();
    assert_eq!(
        senders::get(p, key(1)).await.unwrap().unwrap().status,
        Status::Active
    );
    assert_eq!(
        senders::get(p, key(2)).await.unwrap().unwrap().status,
        Status::Active,
        "19 sent: too few to judge"
    );
    queue::complete(p, "w", &[(per[&2][19], bounce())], clock.now, 1.0)
        .await
        .unwrap();
    let stopped = senders::get(p, key(2)).await.unwrap().unwrap();
    assert_eq!(stopped.status, Status::Error);
    assert_eq!(
        senders::bounce_reason(stopped.status_reason.as_deref().unwrap()),
        Some((2, 20))
    );
    let told = senders::untold_errors(p, clock.now).await.unwrap();
    assert_eq!(told.len(), 1);
}
