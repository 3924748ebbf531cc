//! For tests (feature `test-support`): the provider-shaped servers of `tests/servers/`
//! (Twilio, Vonage, Netgsm, İleti Merkezi, Meta's WhatsApp Cloud API) on loopback ports, and the
//! requests each saw.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// A Twilio test account: the Twilio-shaped server accepts exactly these.
pub const SID: &str = "AC0123456789abcdef0123456789abcdef";
pub const TOKEN: &str = "test-token-çok-gizli";
/// A Vonage test account.
pub const VONAGE_KEY: &str = "a1b2c3d4";
pub const VONAGE_SECRET: &str = "vonage-gizli-ş";

/// A Netgsm test account.
pub const NETGSM_USER: &str = "8501234567";
pub const NETGSM_PASSWORD: &str = "netgsm-gizli-ğ";
pub const NETGSM_HEADER: &str = "OZTURKGIDA";

/// An İleti Merkezi test account.
pub const ILETI_KEY: &str = "im-anahtar-1234";
pub const ILETI_HASH: &str = "im-hash-çok-gizli";
pub const ILETI_SENDER: &str = "OZTURKGIDA";

/// A WhatsApp Cloud API test number and token.
pub const META_PHONE_ID: &str = "106540352242922";
pub const META_TOKEN: &str = "EAAGtestAccessToken0123456789ZZ";

/// A Telegram bot token and a Slack bot token the chat servers accept, and the Slack
/// incoming webhook's path.
pub const TELEGRAM_TOKEN: &str = "7000001:AAtestTokenCokGizli";
pub const SLACK_TOKEN: &str = "xoxb-0001-test-token";
/// Resend API keys the Resend-shaped server takes: full access, and sending only.
pub const RESEND_KEY: &str = "re_test_TamErisimAnahtari";
pub const RESEND_SEND_ONLY_KEY: &str = "re_test_YalnizcaGonderme";
pub const SLACK_HOOK_PATH: &str = "/services/T0001/B0001/gizliWebhookAnahtari";
/// A Zoom Server-to-Server OAuth test app the Zoom-shaped server accepts.
pub const ZOOM_ACCOUNT: &str = "zAcc0untId_Test";
pub const ZOOM_CLIENT: &str = "zClientIdTest01";
pub const ZOOM_SECRET: &str = "zoom-gizli-şifre-01";

/// The OAuth test app: the client ID the authorization server knows, and the
/// not-secret secret of a Google-style desktop client.
pub const OAUTH_CLIENT_ID: &str = "ulak-test-client.apps.local";
pub const OAUTH_CLIENT_SECRET: &str = "GOCSPX-test-not-secret";

/// Plays the browser of an OAuth sign-in: asks the authorization server for
/// `authorize_url` and returns where it redirects (Ulak's callback, with the code).
pub async fn browser_authorize(authorize_url: &str) -> String {
    let r = browser()
        .get(authorize_url)
        .send()
        .await
        .expect("the authorization server answers");
    assert_eq!(
        r.status(),
        302,
        "the authorization server refused: {}",
        r.text().await.unwrap_or_default()
    );
    r.headers()["location"]
        .to_str()
        .expect("an ASCII Location")
        .to_string()
}

/// Visits `url` as the browser (no redirects followed): the status and the page.
pub async fn browser_visit(url: &str) -> (u16, String) {
    let r = browser()
        .get(url)
        .send()
        .await
        .expect("the listener answers");
    (r.status().as_u16(), r.text().await.unwrap_or_default())
}

/// The whole browser part of a sign-in: the authorize URL, then Ulak's callback.
pub async fn browser_sign_in(authorize_url: &str) -> (u16, String) {
    browser_visit(&browser_authorize(authorize_url).await).await
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

/// Points the provider's OAuth app at the test authorization server `server` (and its
/// API base at `api_base`), with the test client: Google's with its secret and
/// revocation, Microsoft's public and without.
pub async fn configure_oauth(
    pool: &sqlx::SqlitePool,
    p: crate::oauth::Provider,
    server: &FakeProvider,
    api_base: &str,
) {
    let google = p == crate::oauth::Provider::Google;
    crate::oauth::configure(
        pool,
        p,
        &crate::oauth::AppSettings {
            client_id: Some(OAUTH_CLIENT_ID.into()),
            client_secret: google.then(|| OAUTH_CLIENT_SECRET.into()),
            authorize_url: Some(format!("{}/authorize", server.base)),
            token_url: Some(format!("{}/token", server.base)),
            revoke_url: Some(if google {
                format!("{}/revoke", server.base)
            } else {
                String::new()
            }),
            api_base: Some(api_base.to_string()),
            redirect: None,
        },
        false,
    )
    .await
    .expect("the test OAuth settings are valid");
}

/// One of the servers, killed when dropped.
pub struct FakeProvider {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    log: PathBuf,
}

pub type TwilioServer = FakeProvider;

impl FakeProvider {
    /// `tests/servers/<script>` with the log file and `args`.
    pub fn start_script(script: &str, args: &[&str]) -> FakeProvider {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/servers")
            .join(script);
        let log = std::env::temp_dir().join(format!(
            "ulak-{script}-{}-{:016x}.jsonl",
            std::process::id(),
            rand::random::<u64>()
        ));
        let mut child = Command::new("python3")
            .arg(&path)
            .arg(&log)
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs the test server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped"))
            .read_line(&mut line)
            .expect("the server prints its port");
        let port: u16 = line.trim().parse().expect("a port");
        FakeProvider {
            child,
            base: format!("http://127.0.0.1:{port}"),
            log,
        }
    }

    /// The Twilio-shaped server, accepting `SID` and `TOKEN`.
    pub fn start() -> FakeProvider {
        FakeProvider::start_script("twilio.py", &[SID, TOKEN])
    }

    /// The Vonage-shaped server, accepting `VONAGE_KEY` and `VONAGE_SECRET`.
    pub fn vonage() -> FakeProvider {
        FakeProvider::start_script("vonage.py", &[VONAGE_KEY, VONAGE_SECRET])
    }

    /// The Netgsm-shaped server, accepting `NETGSM_USER`/`NETGSM_PASSWORD` with the
    /// header `NETGSM_HEADER`.
    pub fn netgsm() -> FakeProvider {
        FakeProvider::start_script("netgsm.py", &[NETGSM_USER, NETGSM_PASSWORD, NETGSM_HEADER])
    }

    /// The İleti Merkezi-shaped server, accepting `ILETI_KEY`/`ILETI_HASH` with the
    /// sender title `ILETI_SENDER`.
    pub fn iletimerkezi() -> FakeProvider {
        FakeProvider::start_script("iletimerkezi.py", &[ILETI_KEY, ILETI_HASH, ILETI_SENDER])
    }

    /// The Meta-shaped WhatsApp Cloud API server, accepting `META_PHONE_ID` and
    /// `META_TOKEN`.
    pub fn meta() -> FakeProvider {
        FakeProvider::start_script("meta.py", &[META_PHONE_ID, META_TOKEN])
    }

    /// The Telegram-Bot-API-shaped server, accepting `TELEGRAM_TOKEN`.
    pub fn telegram() -> FakeProvider {
        FakeProvider::start_script("telegram.py", &[TELEGRAM_TOKEN])
    }

    /// The Slack-shaped server (Web API under /api, incoming webhooks under
    /// /services), accepting `SLACK_TOKEN`.
    pub fn slack() -> FakeProvider {
        FakeProvider::start_script("slack.py", &[SLACK_TOKEN])
    }

    /// The Resend-shaped server, taking `RESEND_KEY` (and `RESEND_SEND_ONLY_KEY` for
    /// sending only); ornek.com.tr is verified there, yeni.com.tr pending.
    pub fn resend() -> FakeProvider {
        FakeProvider::start_script("resend.py", &[RESEND_KEY, RESEND_SEND_ONLY_KEY])
    }

    /// The HTTPS webhook receiver (`tests/servers/webhook_receiver.py`): it verifies
    /// each delivery's signature with the secrets in `secrets` (one a line, read per
    /// request) and serves a certificate from its own CA, written to `certs/ca.pem`.
    pub fn webhook_receiver(secrets: &std::path::Path, certs: &std::path::Path) -> FakeProvider {
        let mut s = FakeProvider::start_script(
            "webhook_receiver.py",
            &[
                secrets.to_str().expect("a UTF-8 path"),
                certs.to_str().expect("a UTF-8 path"),
            ],
        );
        s.base = s.base.replacen("http://", "https://", 1);
        s
    }

    /// The OAuth authorization server (`tests/servers/oauth.py`) for `OAUTH_CLIENT_ID`,
    /// with Google's desktop-client secret `OAUTH_CLIENT_SECRET` when `secret`, and
    /// its options (`--expires-in S`, `--rotate`).
    pub fn oauth(secret: bool, options: &[&str]) -> FakeProvider {
        let mut args = vec![OAUTH_CLIENT_ID];
        if secret {
            args.push(OAUTH_CLIENT_SECRET);
        }
        args.extend_from_slice(options);
        FakeProvider::start_script("oauth.py", &args)
    }

    /// The Google-API-shaped server (`tests/servers/google_api.py`): Gmail's
    /// users.messages.send, accepting tokens from any `oauth()` server.
    /// The Zoom-shaped server (`tests/servers/zoom.py`) for the test app above.
    pub fn zoom() -> FakeProvider {
        FakeProvider::start_script("zoom.py", &[ZOOM_ACCOUNT, ZOOM_CLIENT, ZOOM_SECRET])
    }

    pub fn google_api() -> FakeProvider {
        FakeProvider::start_script("google_api.py", &[])
    }

    /// The Microsoft-Graph-shaped server (`tests/servers/graph.py`): Teams meetings for
    /// tokens the OAuth test server issued.
    pub fn graph() -> FakeProvider {
        FakeProvider::start_script("graph.py", &[])
    }

    /// Every request so far: method, path, form, and the shape problems found.
    pub fn requests(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
            .collect()
    }
}

impl Drop for FakeProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}
