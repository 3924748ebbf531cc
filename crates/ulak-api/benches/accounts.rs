//! Accounts benchmark (not a test; issue 17): in a real encrypted store,
//! - the forward view of 100,000 queued messages over 50 accounts with limits (80,000
//!   the accounts' own, 20,000 in two campaigns), target ≤ 1 s;
//! - what choosing the accounts costs a claim: the claim of 20 messages with 5, 25 and
//!   50 limited accounts (each counted from the store inside the claim), which should
//!   grow with the accounts (O(accounts)), not with the queue.
//!
//! Run by `scripts/bench-accounts.sh`; prints one JSON object.

use std::time::{Duration, Instant};

use chrono::Utc;
use secrecy::SecretString;
use ulak_core::store::KdfParams;
use ulak_core::vault::OsKeyring;
use ulak_core::{workspace, OpenOptions, Store};
use ulak_outbox::campaigns::{self, Action, NewCampaign, Window};
use ulak_outbox::queue::{self, Channel, NewMessage};
use ulak_outbox::senders::{self, Ceilings, Clock, Key, Limits, Status, Unit};

fn message(account: Option<i64>, n: usize) -> NewMessage {
    let to = format!("musteri{n}@firma.com.tr");
    NewMessage {
        channel: Channel::Email,
        provider: match account {
            Some(_) => "smtp".into(),
            None => campaigns::PROVIDER.into(),
        },
        account_id: account,
        company_id: None,
        reference: format!("<{n}@bench>"),
        idempotency_key: format!("bench-{n}"),
        sender: "satis@firma.com.tr".into(),
        recipients: vec![to.clone()],
        to_display: to,
        subject: format!("Teklif {n}"),
        attachment_count: 0,
        payload: vec![b'x'; 512],
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[tokio::main]
async fn main() {
    let queued: usize = std::env::var("ULAK_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let accounts: i64 = 50;
    let dir = tempfile::tempdir().unwrap();
    let vault = OsKeyring {
        disabled: true,
        ..OsKeyring::default()
    };
    let mut o = OpenOptions::new(dir.path(), &vault)
        .passphrase(Some(SecretString::from("benchmark parola".to_string())));
    o.kdf = KdfParams::fast_for_tests();
    let s = Store::open(o).await.unwrap();
    let p = s.pool();
    let ws = workspace::active(p).await.unwrap().id;
    let now = Utc::now();
    let clock = Clock::local(now);
    let mut c = p.acquire().await.unwrap();
    for id in 1..=accounts {
        let key = Key {
            channel: Channel::Email,
            account_id: id,
        };
        let ceilings = match id % 3 {
            0 => Ceilings {
                day: Some(500),
                unit: Unit::Messages,
                minute: None,
            },
            1 => Ceilings {
                day: Some(5000),
                unit: Unit::Recipients,
                minute: None,
            },
            _ => Ceilings {
                day: Some(10_000),
                unit: Unit::Recipients,
                minute: Some(30),
            },
        };
        senders::register(
            &mut c,
            ws,
            key,
            &format!("hesap{id}@firma.com.tr"),
            ceilings,
            now,
        )
        .await
        .unwrap();
        let limits = Limits {
            daily: Some(30 + (id as u32 * 37) % 470),
            min_wait_ms: if id % 2 == 0 { 1000 } else { 0 },
            jitter_ms: 0,
            ramp_up: if id % 5 == 0 { Some(20) } else { None },
        };
        senders::set_limits(&mut c, key, &limits, &clock)
            .await
            .unwrap();
        senders::set_status(&mut c, key, Status::Active, None, now)
            .await
            .unwrap();
    }
    drop(c);

    let window = Window {
        days: (1..=7).collect(),
        start: "00:00".into(),
        end: "24:00".into(),
        time_zone: "Europe/Istanbul".into(),
        skip_holidays: false,
    };
    let mut camps = Vec::new();
    for (name, members) in [("Bahar", 1..=25), ("Yaz", 26..=50)] {
        let camp = campaigns::create(
            p,
            ws,
            &NewCampaign {
                name: name.into(),
                subject: "Teklif".into(),
                body_html: "<p>Merhaba</p>".into(),
                window: window.clone(),
                spread: false,
                commercial: false,
                accounts: members.collect(),
            },
            now,
        )
        .await
        .unwrap();
        camps.push(camp.id);
    }
    let own = queued * 4 / 5;
    let started = Instant::now();
    let chunk = 5_000;
    for start in (0..own).step_by(chunk) {
        let batch: Vec<NewMessage> = (start..(start + chunk).min(own))
            .map(|n| message(Some(1 + (n as i64 % accounts)), n))
            .collect();
        queue::enqueue_many(p, ws, &batch, now).await.unwrap();
    }
    for (i, camp) in camps.iter().enumerate() {
        let from = own + i * (queued - own) / 2;
        let to = own + (i + 1) * (queued - own) / 2;
        for start in (from..to).step_by(chunk) {
            let batch: Vec<NewMessage> = (start..(start + chunk).min(to))
                .map(|n| message(None, n))
                .collect();
            campaigns::queue(p, ws, *camp, &batch, now).await.unwrap();
        }
        campaigns::act(p, ws, *camp, Action::Run, now)
            .await
            .unwrap();
    }
    let fill_s = started.elapsed().as_secs_f64();

    let mut runs = Vec::new();
    let mut placed_today = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let f = ulak_outbox::forecast::forecast(p, ws, now).await.unwrap();
        runs.push(t.elapsed());
        placed_today = f.accounts.iter().map(|a| a.per_day[0]).sum::<u32>();
    }
    let forecast_ms = median(runs).as_secs_f64() * 1000.0;

    // A claim of 20 with 5, 25 and 50 limited accounts (the others sending without
    // limits, so only the limited ones are counted): each claim given back, so every
    // one sees the same queue.
    let limits_of = |id: i64| Limits {
        daily: Some(30 + (id as u32 * 37) % 470),
        min_wait_ms: 0,
        jitter_ms: 0,
        ramp_up: if id % 5 == 0 { Some(20) } else { None },
    };
    let mut claim_us = Vec::new();
    for limited in [5i64, 25, 50] {
        let mut c = p.acquire().await.unwrap();
        for id in 1..=accounts {
            let key = Key {
                channel: Channel::Email,
                account_id: id,
            };
            let (limits, ceilings) = if id <= limited {
                (
                    limits_of(id),
                    Ceilings {
                        day: Some(500),
                        unit: Unit::Messages,
                        minute: None,
                    },
                )
            } else {
                (Limits::default(), Ceilings::default())
            };
            senders::register(
                &mut c,
                ws,
                key,
                &format!("hesap{id}@firma.com.tr"),
                ceilings,
                now,
            )
            .await
            .unwrap();
            senders::set_limits(&mut c, key, &limits, &Clock::local(now))
                .await
                .unwrap();
        }
        let mut times = Vec::new();
        for _ in 0..30 {
            // Claims block full accounts until they free up; start each afresh.
            sqlx::query("UPDATE senders SET blocked_until = NULL, next_send_at = NULL")
                .execute(&mut *c)
                .await
                .unwrap();
            sqlx::query("UPDATE campaigns SET blocked_until = NULL, next_send_at = NULL")
                .execute(&mut *c)
                .await
                .unwrap();
            let t = Instant::now();
            let got = queue::claim_at(
                &mut c,
                "bench",
                &Clock::local(now),
                Duration::from_secs(60),
                20,
            )
            .await
            .unwrap();
            times.push(t.elapsed());
            let ids: Vec<i64> = got.iter().map(|m| m.id).collect();
            queue::release_on(&mut c, "bench", &ids, now).await.unwrap();
        }
        claim_us.push(serde_json::json!({
            "limited_accounts": limited,
            "claim_us": median(times).as_micros(),
        }));
    }
    let per_account: Vec<f64> = claim_us
        .iter()
        .map(|v| v["claim_us"].as_f64().unwrap() / v["limited_accounts"].as_f64().unwrap())
        .collect();
    println!(
        "{}",
        serde_json::json!({
            "queued": queued,
            "accounts": accounts,
            "campaigns": camps.len(),
            "fill_s": (fill_s * 10.0).round() / 10.0,
            "forecast_ms": (forecast_ms * 10.0).round() / 10.0,
            "forecast_placed_today": placed_today,
            "claim_20": claim_us,
            "claim_us_per_limited_account": per_account.iter().map(|x| x.round()).collect::<Vec<_>>(),
            "targets": { "forecast_ms": 1000 },
        })
    );
    s.close().await;
}
