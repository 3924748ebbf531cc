//! `ulak chat send` through Telegram and Slack set up with `ulak integrations set chat …`,
//! drained to the provider-shaped servers on loopback; the history lists them as chat,
//! and a wrong token turns the integration to "Hata".

mod common;

use common::{failed, ok, ulak, ulak_stdin, PASS};
use ulak_channels::testing::{FakeProvider, SLACK_HOOK_PATH, TELEGRAM_TOKEN};

#[test]
fn chat_messages_through_telegram_and_a_slack_webhook() {
    let tg = FakeProvider::telegram();
    let sl = FakeProvider::slack();
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let run = |args: &[&str]| ulak(p, Some(PASS), args);

    // Not set up yet: refused, nothing queued.
    let err = failed(&run(&[
        "chat",
        "send",
        "--provider",
        "telegram",
        "--text",
        "Merhaba",
    ]));
    assert!(err.contains("integration.not_set_up"), "{err}");

    ok(&ulak_stdin(
        p,
        &[
            "integrations",
            "set",
            "chat",
            "telegram",
            "--field",
            "chatId=-1001234567890",
            "--secret-stdin",
            "botToken",
            "--base-url",
            &tg.base,
        ],
        &format!("{TELEGRAM_TOKEN}\n"),
    ));
    ok(&run(&["integrations", "test", "chat", "telegram"]));
    ok(&ulak_stdin(
        p,
        &[
            "integrations",
            "set",
            "chat",
            "slack",
            "--secret-stdin",
            "webhookUrl",
        ],
        &format!("{}{SLACK_HOOK_PATH}\n", sl.base),
    ));
    let listed = ok(&run(&["integrations", "list"]));
    assert!(
        !listed.contains("gizliWebhookAnahtari") && !listed.contains(TELEGRAM_TOKEN),
        "{listed}"
    );

    let text = "Öztürk Gıda teklifi onayladı — Işıl Hanım'a teşekkürler!";
    ok(&run(&[
        "chat",
        "send",
        "--provider",
        "telegram",
        "--text",
        text,
    ]));
    ok(&run(&[
        "chat",
        "send",
        "--provider",
        "slack",
        "--text",
        text,
    ]));
    let err = failed(&run(&[
        "chat",
        "send",
        "--provider",
        "slack",
        "--text",
        "  ",
    ]));
    assert!(err.contains("validation.required"), "{err}");
    ok(&run(&["outbox", "drain"]));

    let tg_posts: Vec<_> = tg
        .requests()
        .into_iter()
        .filter(|r| r["method"] == "POST")
        .collect();
    assert_eq!(tg_posts.len(), 1);
    assert_eq!(tg_posts[0]["body"]["text"], text);
    assert_eq!(tg_posts[0]["problems"], serde_json::json!([]));
    let sl_posts = sl.requests();
    assert_eq!(sl_posts.len(), 1);
    assert_eq!(sl_posts[0]["body"]["text"], text);

    let history: serde_json::Value =
        serde_json::from_str(&ok(&run(&["history", "--channel", "chat", "--json"]))).unwrap();
    let rows = history.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r["state"] == "sent"), "{history}");
    let to: Vec<&str> = rows.iter().map(|r| r["to"].as_str().unwrap()).collect();
    assert!(
        to.contains(&"Telegram -1001234567890") && to.contains(&"Slack (webhook)"),
        "{to:?}"
    );

    // A revoked token: the send fails for good and Entegrasyonlar shows the trouble.
    ok(&ulak_stdin(
        p,
        &[
            "integrations",
            "set",
            "chat",
            "telegram",
            "--field",
            "chatId=-1001234567890",
            "--secret-stdin",
            "botToken",
            "--base-url",
            &tg.base,
        ],
        "7000001:iptal\n",
    ));
    ok(&run(&[
        "chat",
        "send",
        "--provider",
        "telegram",
        "--text",
        "İkinci",
    ]));
    ok(&run(&["outbox", "drain"]));
    let list: serde_json::Value =
        serde_json::from_str(&ok(&run(&["integrations", "list", "--json"]))).unwrap();
    let telegram = list
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["provider"] == "telegram")
        .unwrap();
    assert_eq!(telegram["lastError"]["code"], "signIn", "{telegram}");
}
