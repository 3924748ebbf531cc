//! İYS end to end (issue 23): a commercial SMS goes to Netgsm with `iysfilter` "11" for
//! an individual and "12" for a merchant, an informational one with "0"; to İleti
//! Merkezi with `iys` and `iysList`. The recipient type is the contact's (a company's
//! contacts are merchants unless marked BIREYSEL), a customer company's number without
//! a contact is a merchant, a number of nobody an individual. The test servers check
//! each request's İYS fields against the providers' documented values; the content
//! check names what a commercial text lacks; a provider without İYS filtering is
//! warned about before individuals get a commercial SMS through it.

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::{ok, ulak, ulak_stdin, PASS};
use ulak_channels::testing::{
    FakeProvider, ILETI_HASH, ILETI_KEY, ILETI_SENDER, NETGSM_HEADER, NETGSM_PASSWORD, NETGSM_USER,
};

const GOOD: &str = "KAMPANYA: Kışa özel %20 indirim! Öztürk Gıda A.Ş. 0212 555 12 34. \
                    Ret için RET OZTURK yazıp 3338'e gönderin.";

fn body(r: &serde_json::Value) -> serde_json::Value {
    match &r["body"] {
        serde_json::Value::String(s) => serde_json::from_str(s).unwrap_or_default(),
        v => v.clone(),
    }
}

fn send(p: &Path, provider: &str, to: &str, extra: &[&str], text: &str) -> (String, String) {
    let mut args = vec![
        "sms",
        "send",
        "--provider",
        provider,
        "--to",
        to,
        "--text",
        text,
    ];
    args.extend_from_slice(extra);
    let o = ulak(p, Some(PASS), &args);
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    (ok(&o), stderr)
}

fn people(p: &Path) -> String {
    let company = ok(&ulak(p, Some(PASS), &["companies", "add", "Öztürk Gıda"]));
    let company = company.trim().to_string();
    let add = |name: &str, phone: &str, kind: &[&str]| {
        let mut args = vec![
            "contacts",
            "add",
            "--company",
            &company,
            "--name",
            name,
            "--phone",
            phone,
        ];
        args.extend_from_slice(kind);
        ok(&ulak(p, Some(PASS), &args));
    };
    add(
        "Şule İnce",
        "0532 111 22 33",
        &["--recipient-type", "BIREYSEL"],
    );
    add("Murat Çelik", "0532 444 55 66", &[]);
    company
}

#[test]
fn netgsm_gets_the_iys_filter_of_each_recipient() {
    let server = FakeProvider::netgsm();
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    ok(&ulak_stdin(
        p,
        &[
            "integrations",
            "set",
            "sms",
            "netgsm",
            "--field",
            &format!("usercode={NETGSM_USER}"),
            "--field",
            &format!("msgheader={NETGSM_HEADER}"),
            "--field",
            "iysfilter=12",
            "--secret-stdin",
            "password",
            "--base-url",
            &server.base,
        ],
        &format!("{NETGSM_PASSWORD}\n"),
    ));
    let company = people(p);

    let (_, warned) = send(p, "netgsm", "05321112233", &["--commercial"], GOOD);
    assert!(!warned.contains("warning"), "a complete text: {warned}");
    send(p, "netgsm", "05324445566", &["--commercial"], GOOD);
    // A number of nobody: an individual; the same through a customer company: a merchant.
    send(p, "netgsm", "05329990000", &["--commercial"], GOOD);
    send(
        p,
        "netgsm",
        "05329990001",
        &["--commercial", "--company", &company],
        GOOD,
    );
    send(
        p,
        "netgsm",
        "05329990002",
        &["--informational"],
        "Siparişiniz yola çıktı.",
    );
    // Neither: as the integration is set up.
    send(p, "netgsm", "05329990003", &[], "Toplantı yarın 10:00.");
    // An incomplete commercial text is queued, with each gap named.
    let (_, warned) = send(
        p,
        "netgsm",
        "05329990004",
        &["--commercial"],
        "Yeni ürünlerimiz geldi, kargo ücretsiz.",
    );
    for gap in [
        "no trade name or MERSİS number",
        "no way to reach you",
        "no refusal instruction",
        "not marked as commercial",
    ] {
        assert!(warned.contains(gap), "{gap}: {warned}");
    }
    let out = ok(&ulak(p, Some(PASS), &["outbox", "drain"]));
    assert!(out.starts_with("sent 7, failed 0"), "{out}");

    let filters: HashMap<String, Option<String>> = server
        .requests()
        .iter()
        .filter(|r| r["path"] == "/sms/rest/v2/send")
        .map(|r| {
            assert_eq!(r["problems"], serde_json::json!([]), "{r}");
            let b = body(r);
            (
                b["messages"][0]["no"].as_str().unwrap().to_string(),
                b["iysfilter"].as_str().map(str::to_string),
            )
        })
        .collect();
    let want = [
        ("5321112233", "11"),
        ("5324445566", "12"),
        ("5329990000", "11"),
        ("5329990001", "12"),
        ("5329990002", "0"),
        ("5329990003", "12"),
        ("5329990004", "11"),
    ];
    for (no, f) in want {
        assert_eq!(filters[no].as_deref(), Some(f), "{no}: {filters:?}");
    }
}

#[test]
fn iletimerkezi_gets_iys_and_the_list_and_twilio_is_warned_about() {
    let server = FakeProvider::iletimerkezi();
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    ok(&ulak_stdin(
        p,
        &[
            "integrations",
            "set",
            "sms",
            "iletimerkezi",
            "--field",
            &format!("apiKey={ILETI_KEY}"),
            "--field",
            &format!("sender={ILETI_SENDER}"),
            "--secret-stdin",
            "hash",
            "--base-url",
            &server.base,
        ],
        &format!("{ILETI_HASH}\n"),
    ));
    people(p);
    send(p, "iletimerkezi", "05321112233", &["--commercial"], GOOD);
    send(p, "iletimerkezi", "05324445566", &["--commercial"], GOOD);
    send(
        p,
        "iletimerkezi",
        "05321112233",
        &["--informational", "--idempotency-key", "bilgi-1"],
        "Siparişiniz yola çıktı.",
    );
    let out = ok(&ulak(p, Some(PASS), &["outbox", "drain"]));
    assert!(out.starts_with("sent 3, failed 0"), "{out}");
    let orders: Vec<(String, String, Option<String>)> = server
        .requests()
        .iter()
        .filter(|r| r["path"] == "/v1/send-sms/json")
        .map(|r| {
            assert_eq!(r["problems"], serde_json::json!([]), "{r}");
            let o = &body(r)["request"]["order"];
            (
                o["message"]["receipents"]["number"][0]
                    .as_str()
                    .unwrap()
                    .to_string(),
                o["iys"].as_str().unwrap().to_string(),
                o["iysList"].as_str().map(str::to_string),
            )
        })
        .collect();
    assert_eq!(orders.len(), 3);
    let find = |no: &str, iys: &str| orders.iter().find(|(n, i, _)| n.ends_with(no) && i == iys);
    assert_eq!(
        find("5321112233", "1").unwrap().2.as_deref(),
        Some("BIREYSEL")
    );
    assert_eq!(find("5324445566", "1").unwrap().2.as_deref(), Some("TACIR"));
    assert_eq!(find("5321112233", "0").unwrap().2, None);

    // Twilio cannot check İYS consent: an individual is warned about, a merchant not.
    let twilio = ulak_channels::testing::TwilioServer::start();
    ok(&ulak_stdin(
        p,
        &[
            "integrations",
            "set",
            "sms",
            "twilio",
            "--field",
            &format!("accountSid={}", ulak_channels::testing::SID),
            "--field",
            "from=+15005550006",
            "--secret-stdin",
            "authToken",
            "--base-url",
            &twilio.base,
        ],
        &format!("{}\n", ulak_channels::testing::TOKEN),
    ));
    let (_, warned) = send(p, "twilio", "05321112233", &["--commercial"], GOOD);
    assert!(
        warned.contains(
            "1 recipient(s) are individuals (BIREYSEL) and twilio does not check İYS consent"
        ),
        "{warned}"
    );
    let (_, warned) = send(p, "twilio", "05324445566", &["--commercial"], GOOD);
    assert!(!warned.contains("warning"), "{warned}");
}

#[test]
fn a_commercial_campaign_is_marked_and_its_template_checked() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let account = ok(&ulak_stdin(
        p,
        &[
            "accounts",
            "add",
            "--email",
            "satis@ozturk.com.tr",
            "--host",
            "localhost",
            "--port",
            "2525",
            "--security",
            "starttls",
            "--username",
            "satis",
            "--password-stdin",
        ],
        "gizli\n",
    ));
    let account = account.trim();
    let company = ok(&ulak(p, Some(PASS), &["companies", "add", "Öztürk Gıda"]));
    let company = company.trim();
    for (name, email, kind) in [
        ("Şule İnce", "sule@musteri.com.tr", "BIREYSEL"),
        ("Murat Çelik", "murat@musteri.com.tr", "TACIR"),
    ] {
        ok(&ulak(
            p,
            Some(PASS),
            &[
                "contacts",
                "add",
                "--company",
                company,
                "--name",
                name,
                "--email",
                email,
                "--recipient-type",
                kind,
            ],
        ));
    }
    let body = p.join("govde.html");
    std::fs::write(
        &body,
        "<p>Sayın {{ contact.first_name }}, yeni kataloğumuz hazır.</p>",
    )
    .unwrap();
    ok(&ulak(
        p,
        Some(PASS),
        &[
            "templates",
            "add",
            "--name",
            "Katalog",
            "--subject",
            "Yeni katalog",
            "--body-file",
            body.to_str().unwrap(),
        ],
    ));
    let create = |name: &str, extra: &[&str]| -> (serde_json::Value, String) {
        let mut args = vec![
            "campaign",
            "create",
            name,
            "--template",
            "Katalog",
            "--company",
            company,
            "--accounts",
            account,
            "--json",
        ];
        args.extend_from_slice(extra);
        let o = ulak(p, Some(PASS), &args);
        let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
        (serde_json::from_str(&ok(&o)).unwrap(), stderr)
    };
    let (c, warned) = create("Kış", &["--commercial"]);
    assert_eq!(c["campaign"]["commercial"], true);
    assert_eq!(c["iys"]["individuals"], 1, "{c}");
    assert_eq!(
        c["iys"]["missing"],
        serde_json::json!(["tradeName", "contact", "marker"]),
        "the unsubscribe link is always there: {c}"
    );
    assert!(
        warned.contains("the subject does not say it is commercial"),
        "{warned}"
    );
    assert!(
        warned.contains("1 recipient(s) may be individuals"),
        "{warned}"
    );
    let (c, warned) = create("Sipariş bilgisi", &[]);
    assert_eq!(c["campaign"]["commercial"], false);
    assert!(c["iys"].is_null());
    assert!(!warned.contains("warning"), "{warned}");
}
