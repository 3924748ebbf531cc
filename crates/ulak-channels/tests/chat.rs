//! Slack and Telegram against provider-shaped servers on loopback
//! (`tests/servers/slack.py`, `tests/servers/telegram.py`), which check each request
//! against the documented shape and answer as the services do.

use std::collections::BTreeMap;

use secrecy::SecretString;
use ulak_channels::chat::{slack, telegram, ChatMessage, ChatProvider};
use ulak_channels::testing::{FakeProvider, SLACK_HOOK_PATH, SLACK_TOKEN, TELEGRAM_TOKEN};
use ulak_outbox::failure::{FailureCode, Kind};

const TEXT: &str = "Son 10 dakikada 3 e-posta gönderilemedi — Öztürk Gıda, Işıl Hanım";

fn telegram_to(s: &FakeProvider, token: &str, chat: &str) -> telegram::Telegram {
    let mut v = BTreeMap::new();
    v.insert("chatId".to_string(), chat.to_string());
    telegram::Telegram::new(
        telegram::Settings::from_fields(&s.base, &v, Some(SecretString::from(token.to_string())))
            .unwrap(),
    )
}

fn slack_bot(s: &FakeProvider, token: &str, channel: &str) -> slack::Slack {
    let mut v = BTreeMap::new();
    v.insert("channel".to_string(), channel.to_string());
    slack::Slack::new(
        slack::Settings::from_fields(
            &format!("{}/api", s.base),
            &v,
            Some(SecretString::from(token.to_string())),
            None,
        )
        .unwrap(),
    )
}

fn slack_hook(s: &FakeProvider, path: &str) -> slack::Slack {
    slack::Slack::new(
        slack::Settings::from_fields(
            "https://slack.com/api",
            &BTreeMap::new(),
            None,
            Some(SecretString::from(format!("{}{path}", s.base))),
        )
        .unwrap(),
    )
}

fn msg() -> ChatMessage {
    ChatMessage { text: TEXT.into() }
}

#[tokio::test]
async fn telegram_sends_in_the_documented_shape_and_its_errors_are_typed() {
    let s = FakeProvider::telegram();
    let t = telegram_to(&s, TELEGRAM_TOKEN, "-1001234567890");
    t.check().await.expect("getMe with the right token");
    let r = t.send(&msg()).await.unwrap();
    assert_eq!(r.provider_id, "101");
    let seen = s.requests();
    assert_eq!(seen.len(), 2);
    assert!(
        seen.iter().all(|r| r["problems"] == serde_json::json!([])),
        "{seen:?}"
    );
    assert_eq!(seen[1]["body"]["text"], TEXT);
    assert_eq!(seen[1]["body"]["chat_id"], "-1001234567890");

    let wrong = telegram_to(&s, "7000001:yanlis", "-1001234567890");
    let f = wrong.check().await.unwrap_err();
    assert_eq!((f.kind, f.code), (Kind::SignIn, FailureCode::SignIn));
    assert!(
        !f.text.contains("yanlis"),
        "the token stays out of the words: {}",
        f.text
    );
    let f = wrong.send(&msg()).await.unwrap_err();
    assert_eq!(f.kind, Kind::SignIn);

    let f = telegram_to(&s, TELEGRAM_TOKEN, "-1009999999999")
        .send(&msg())
        .await
        .unwrap_err();
    assert_eq!(
        (f.kind, f.code),
        (Kind::Permanent, FailureCode::NoSuchRecipient)
    );
    assert!(f.text.contains("chat not found"), "{}", f.text);
    let f = telegram_to(&s, TELEGRAM_TOKEN, "-1004030000000")
        .send(&msg())
        .await
        .unwrap_err();
    assert_eq!(f.code, FailureCode::Refused);
    let f = telegram_to(&s, TELEGRAM_TOKEN, "-1004290000000")
        .send(&msg())
        .await
        .unwrap_err();
    assert_eq!(f.kind, Kind::RateLimited);
    assert_eq!(f.retry_after, Some(std::time::Duration::from_secs(2)));

    // A server that is not there: tried again later, and the token is not in the words.
    let gone = telegram::Telegram::new(
        telegram::Settings::from_fields(
            "http://127.0.0.1:9",
            &BTreeMap::from([("chatId".to_string(), "@ulak_satis".to_string())]),
            Some(SecretString::from(TELEGRAM_TOKEN.to_string())),
        )
        .unwrap(),
    );
    let f = gone.send(&msg()).await.unwrap_err();
    assert_eq!(f.kind, Kind::Unreachable);
    assert!(!f.text.contains(TELEGRAM_TOKEN), "{}", f.text);
}

#[test]
fn telegram_settings_are_checked() {
    let token = || Some(SecretString::from(TELEGRAM_TOKEN.to_string()));
    let v = |id: &str| BTreeMap::from([("chatId".to_string(), id.to_string())]);
    assert!(
        telegram::Settings::from_fields("https://api.telegram.org", &v("-100123"), token()).is_ok()
    );
    assert!(
        telegram::Settings::from_fields("https://api.telegram.org", &v("@kanal_adi"), token())
            .is_ok()
    );
    assert!(telegram::Settings::from_fields(
        "https://api.telegram.org",
        &v("satış grubu"),
        token()
    )
    .is_err());
    assert!(telegram::Settings::from_fields("https://api.telegram.org", &v(""), token()).is_err());
    assert!(
        telegram::Settings::from_fields("https://api.telegram.org", &v("-100123"), None).is_err()
    );
}

#[tokio::test]
async fn slack_by_bot_token_and_by_webhook() {
    let s = FakeProvider::slack();
    let bot = slack_bot(&s, SLACK_TOKEN, "#satis");
    bot.check().await.expect("auth.test");
    let r = bot.send(&msg()).await.unwrap();
    assert!(r.provider_id.starts_with("1800000000."), "{r:?}");
    let hook = slack_hook(&s, SLACK_HOOK_PATH);
    hook.check().await.expect("nothing to call for a webhook");
    hook.send(&msg()).await.unwrap();
    let seen = s.requests();
    assert_eq!(
        seen.len(),
        3,
        "auth.test, a post, a webhook; no call for the webhook's test"
    );
    assert!(
        seen.iter().all(|r| r["problems"] == serde_json::json!([])),
        "{seen:?}"
    );
    assert_eq!(seen[1]["body"]["channel"], "#satis");
    assert_eq!(seen[2]["body"]["text"], TEXT);

    let f = slack_bot(&s, "xoxb-yanlis", "#satis")
        .check()
        .await
        .unwrap_err();
    assert_eq!((f.kind, f.code), (Kind::SignIn, FailureCode::SignIn));
    assert!(f.text.contains("invalid_auth"), "{}", f.text);
    let f = slack_bot(&s, SLACK_TOKEN, "#yok")
        .send(&msg())
        .await
        .unwrap_err();
    assert_eq!(f.code, FailureCode::NoSuchRecipient);
    let f = slack_bot(&s, SLACK_TOKEN, "#arsiv")
        .send(&msg())
        .await
        .unwrap_err();
    assert_eq!((f.kind, f.code), (Kind::Permanent, FailureCode::Refused));
    let f = slack_bot(&s, SLACK_TOKEN, "#yogun")
        .send(&msg())
        .await
        .unwrap_err();
    assert_eq!(f.kind, Kind::RateLimited);
    assert_eq!(f.retry_after, Some(std::time::Duration::from_secs(1)));

    // A removed webhook: the integration must be set up again; its address stays secret.
    let f = slack_hook(&s, "/services/T0001/B0001/silinmis")
        .send(&msg())
        .await
        .unwrap_err();
    assert_eq!((f.kind, f.code), (Kind::SignIn, FailureCode::SignIn));
    assert!(
        f.text.contains("no_service") && !f.text.contains("silinmis"),
        "{}",
        f.text
    );
}

#[test]
fn slack_needs_a_token_and_channel_or_a_webhook() {
    let ch = BTreeMap::from([("channel".to_string(), "#satis".to_string())]);
    let token = || Some(SecretString::from(SLACK_TOKEN.to_string()));
    let hook = |u: &str| Some(SecretString::from(u.to_string()));
    let base = "https://slack.com/api";
    assert!(slack::Settings::from_fields(base, &ch, token(), None).is_ok());
    assert!(slack::Settings::from_fields(base, &BTreeMap::new(), token(), None).is_err());
    assert!(slack::Settings::from_fields(base, &BTreeMap::new(), None, None).is_err());
    assert!(slack::Settings::from_fields(
        base,
        &BTreeMap::new(),
        None,
        hook("https://hooks.slack.com/services/T/B/x")
    )
    .is_ok());
    assert!(slack::Settings::from_fields(
        base,
        &BTreeMap::new(),
        None,
        hook("http://hooks.slack.com/services/T/B/x")
    )
    .is_err());
    assert!(
        slack::Settings::from_fields(base, &BTreeMap::new(), None, hook("hooks.slack.com"))
            .is_err()
    );
}

#[test]
fn slack_is_saved_only_with_a_token_and_channel_or_a_webhook() {
    use ulak_channels::spec::SpecError;
    let v = |pairs: &[(&'static str, &str)]| {
        pairs
            .iter()
            .map(|(k, v)| (*k, v.to_string()))
            .collect::<BTreeMap<&'static str, String>>()
    };
    assert!(slack::check_setup(&v(&[("botToken", "xoxb-1"), ("channel", "#satis")]), &[]).is_ok());
    assert!(slack::check_setup(
        &v(&[("webhookUrl", "https://hooks.slack.com/services/T/B/x")]),
        &[]
    )
    .is_ok());
    // On edit, a stored token counts; the channel must still be there.
    assert!(slack::check_setup(&v(&[("channel", "#satis")]), &["botToken".to_string()]).is_ok());
    assert!(matches!(
        slack::check_setup(&v(&[("botToken", "xoxb-1")]), &[]),
        Err(SpecError::Missing(m)) if m == vec!["channel"]
    ));
    assert!(matches!(
        slack::check_setup(&v(&[]), &[]),
        Err(SpecError::Missing(m)) if m.len() == 3
    ));
    assert!(matches!(
        slack::check_setup(
            &v(&[("webhookUrl", "http://hooks.slack.com/services/T/B/x")]),
            &[]
        ),
        Err(SpecError::Invalid(_))
    ));
}
