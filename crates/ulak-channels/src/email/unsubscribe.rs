//! Unsubscribing from a campaign (issue 23): what campaign mail carries so that Gmail,
//! Yahoo and Outlook.com take it as bulk mail done right, and how the refusals come back.
//!
//! Every campaign message carries
//! - `List-Unsubscribe: <mailto:…?subject=unsubscribe%20TOKEN>, <https://…TOKEN>`
//!   (RFC 2369; the https address only once the user has set one);
//! - `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058), with the https
//!   address only: one-click is a POST to it;
//! - a visible line under the body, Turkish first, with the same address.
//!
//! One-to-one mail from the composer carries none of these.
//!
//! The token names the recipient and the campaign and is signed with the workspace's
//! own key (HMAC-SHA256, kept in the store's `secrets`), so a refusal is recorded from
//! the token alone and a made-up one is refused.
//!
//! The refusals come back
//! - as mail to the mailto address (by default the sending account's own, so they land
//!   in the salesperson's inbox with the token in the subject);
//! - or at the https address the user set (`{token}` in it is replaced), whose page
//!   collects them on the user's own site.
//!
//! Either way the text holding the token — the mail, its subject, the address, or a
//! list of them — is given to `record` (the window's "İsteği kaydet", `ulak suppress
//! unsubscribe`), which puts each recipient on the suppression list as `unsubscribed`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use sha2::Sha256;
use sqlx::SqlitePool;
use ulak_core::validate::{self, ValidationError};
use ulak_outbox::suppression::{self, Reason};
use ulak_outbox::OutboxError;

/// Where the workspace's unsubscribe key is kept in `secrets`.
const SECRET_OWNER: &str = "unsubscribe";
const SECRET_NAME: &str = "key";
/// Tokens start with this: a version, so the form can change.
const PREFIX: &str = "u1.";
/// The placeholder the user's https address carries.
pub const TOKEN_PLACEHOLDER: &str = "{token}";

/// The user's choices for the unsubscribe route (per workspace).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
#[serde(rename = "UnsubscribeSettings")]
pub struct Settings {
    /// An https address with `{token}` in it, served by the user's own site; empty:
    /// none (then no one-click header, only the mailto).
    pub url: String,
    /// Where unsubscribe mail goes; empty: the sending account's own address.
    pub mailto: String,
}

fn key(ws: i64, name: &str) -> String {
    format!("unsubscribe.{name}.{ws}")
}

pub async fn settings(pool: &SqlitePool, ws: i64) -> Result<Settings, OutboxError> {
    Ok(Settings {
        url: ulak_core::settings::get(pool, &key(ws, "url"))
            .await?
            .unwrap_or_default(),
        mailto: ulak_core::settings::get(pool, &key(ws, "mailto"))
            .await?
            .unwrap_or_default(),
    })
}

/// Checks and keeps the settings: the address must be https (or http to this
/// computer, for a local test) and carry `{token}`; the mailto an e-mail address.
pub async fn save_settings(
    pool: &SqlitePool,
    ws: i64,
    s: &Settings,
) -> Result<Settings, OutboxError> {
    let url = check_url(&s.url)?;
    let mailto = validate::email("mailto", &s.mailto, false)?;
    ulak_core::settings::set(pool, &key(ws, "url"), &url).await?;
    ulak_core::settings::set(pool, &key(ws, "mailto"), &mailto).await?;
    Ok(Settings { url, mailto })
}

fn check_url(url: &str) -> Result<String, ValidationError> {
    let u = url.trim();
    if u.is_empty() {
        return Ok(String::new());
    }
    let bad = || ValidationError::Url { field: "url" };
    if !u.contains(TOKEN_PLACEHOLDER) {
        return Err(bad());
    }
    // Checked as it will be used (the placeholder filled), query strings allowed.
    let filled = u.replace(TOKEN_PLACEHOLDER, "u1.x.y");
    let parsed = url::Url::parse(&filled).map_err(|_| bad())?;
    let local = matches!(parsed.host(), Some(url::Host::Domain("localhost")))
        || matches!(parsed.host(), Some(url::Host::Ipv4(ip)) if ip.is_loopback());
    let ok = parsed.host().is_some()
        && parsed.username().is_empty()
        && parsed.password().is_none()
        && (parsed.scheme() == "https" || (parsed.scheme() == "http" && local))
        && !u.chars().any(char::is_control);
    if !ok {
        return Err(bad());
    }
    Ok(u.to_string())
}

/// The workspace's signing key, made on first use.
async fn secret(pool: &SqlitePool, ws: i64) -> Result<SecretString, OutboxError> {
    if let Some(s) = ulak_core::secret::get(pool, ws, SECRET_OWNER, SECRET_NAME).await? {
        return Ok(s);
    }
    let fresh = SecretString::from(hex::encode(rand::random::<[u8; 32]>()));
    // Two sends making it at once: the first one written wins, both read it back.
    sqlx::query(
        "INSERT OR IGNORE INTO secrets (workspace_id, owner, name, value, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )
    .bind(ws)
    .bind(SECRET_OWNER)
    .bind(SECRET_NAME)
    .bind(fresh.expose_secret())
    .bind(ulak_core::store::now())
    .execute(pool)
    .await?;
    Ok(ulak_core::secret::get(pool, ws, SECRET_OWNER, SECRET_NAME)
        .await?
        .unwrap_or(fresh))
}

fn mac(secret: &SecretString, body: &str) -> Vec<u8> {
    let mut m =
        Hmac::<Sha256>::new_from_slice(secret.expose_secret().as_bytes()).expect("any length");
    m.update(body.as_bytes());
    m.finalize().into_bytes()[..12].to_vec()
}

/// A recipient's token for a campaign: `u1.<campaign:address>.<signature>`, URL-safe.
pub fn token(secret: &SecretString, campaign_id: i64, address: &str) -> String {
    let body = B64.encode(format!("{campaign_id}:{}", address.trim()));
    let sig = B64.encode(mac(secret, &body));
    format!("{PREFIX}{body}.{sig}")
}

/// The campaign and address a token names, if it was signed with this key.
pub fn read_token(secret: &SecretString, token: &str) -> Option<(i64, String)> {
    let rest = token.strip_prefix(PREFIX)?;
    let (body, sig) = rest.split_once('.')?;
    let want = mac(secret, body);
    let got = B64.decode(sig).ok()?;
    // Constant time, as any MAC check.
    if got.len() != want.len() || got.iter().zip(&want).fold(0u8, |a, (x, y)| a | (x ^ y)) != 0 {
        return None;
    }
    let plain = String::from_utf8(B64.decode(body).ok()?).ok()?;
    let (campaign, address) = plain.split_once(':')?;
    Some((campaign.parse().ok()?, address.to_string()))
}

/// Every token-shaped word in a text (a pasted mail, subject, address or list).
pub fn find_tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(PREFIX) {
        let tail = &rest[i..];
        let end = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')))
            .unwrap_or(tail.len());
        let t = tail[..end].trim_end_matches('.').to_string();
        if !out.contains(&t) {
            out.push(t);
        }
        rest = &tail[end.max(PREFIX.len())..];
    }
    out
}

/// The addresses one campaign message carries for its recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Links {
    /// `mailto:…?subject=unsubscribe%20TOKEN`.
    pub mailto: String,
    /// The user's https address with the token, if one is set.
    pub https: Option<String>,
}

impl Links {
    /// The `List-Unsubscribe` value (RFC 2369), the https address first where there is
    /// one (the one clients prefer), and `List-Unsubscribe-Post` with it (RFC 8058).
    pub fn headers(&self) -> (String, Option<String>) {
        match &self.https {
            Some(h) => (
                format!("<{h}>, <{}>", self.mailto),
                Some("List-Unsubscribe=One-Click".into()),
            ),
            None => (format!("<{}>", self.mailto), None),
        }
    }

    /// Where the visible line points: the page if there is one, else the mail.
    pub fn visible(&self) -> &str {
        self.https.as_deref().unwrap_or(&self.mailto)
    }
}

/// The links for one recipient of a campaign, sent from `account_email`.
pub async fn links(
    pool: &SqlitePool,
    ws: i64,
    campaign_id: i64,
    recipient: &str,
    account_email: &str,
) -> Result<Links, OutboxError> {
    let s = settings(pool, ws).await?;
    let t = token(&secret(pool, ws).await?, campaign_id, recipient);
    let to = if s.mailto.is_empty() {
        account_email
    } else {
        &s.mailto
    };
    Ok(Links {
        mailto: format!("mailto:{to}?subject=unsubscribe%20{t}"),
        https: (!s.url.is_empty()).then(|| s.url.replace(TOKEN_PLACEHOLDER, &t)),
    })
}

/// The line under a campaign's body, Turkish first: (plain text, HTML).
pub fn body_line(links: &Links) -> (String, String) {
    let to = links.visible();
    let text = format!(
        "Bu e-postaları artık almak istemiyorsanız: {to}\nTo stop receiving these e-mails: {to}"
    );
    let href = escape(to);
    let html = format!(
        "<p class=\"unsubscribe\" style=\"font-size:12px;color:#666\">Bu e-postaları artık almak istemiyorsanız <a href=\"{href}\">abonelikten çıkın</a>. To stop receiving these e-mails, <a href=\"{href}\">unsubscribe</a>.</p>"
    );
    (text, html)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// One refusal `record` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
#[serde(rename = "UnsubscribeRecorded")]
pub struct Recorded {
    pub address: String,
    pub campaign_id: i64,
    /// False when the address was on the list already.
    pub new: bool,
}

/// What `record` made of a text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
#[serde(rename = "UnsubscribeReport")]
pub struct Report {
    pub recorded: Vec<Recorded>,
    /// Token-shaped words this workspace did not sign (another workspace's, altered,
    /// cut short): nothing was listed for them.
    pub unknown: Vec<String>,
}

/// Records every refusal whose token is in `text`: each address goes on the list as
/// `unsubscribed`, refused at `requested_at` (the mail's date, or now).
pub async fn record(
    pool: &SqlitePool,
    ws: i64,
    text: &str,
    requested_at: DateTime<Utc>,
) -> Result<Report, OutboxError> {
    let key = secret(pool, ws).await?;
    let mut report = Report::default();
    for t in find_tokens(text) {
        let Some((campaign_id, address)) = read_token(&key, &t) else {
            report.unknown.push(t);
            continue;
        };
        let note = format!("kampanya {campaign_id}");
        let added = suppression::add(
            pool,
            ws,
            &address,
            Reason::Unsubscribed,
            &note,
            requested_at,
            Utc::now(),
        )
        .await?;
        report.recorded.push(Recorded {
            address: added.entry.value,
            campaign_id,
            new: added.new,
        });
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_names_its_recipient_and_only_its_key_reads_it() {
        let k = SecretString::from("a".repeat(64));
        let t = token(&k, 42, "Çağla@Örnek.com.tr");
        assert!(t.starts_with("u1."));
        assert!(t
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')));
        assert_eq!(read_token(&k, &t), Some((42, "Çağla@Örnek.com.tr".into())));
        let other = SecretString::from("b".repeat(64));
        assert_eq!(read_token(&other, &t), None);
        // A changed address or campaign breaks the signature.
        let (_, sig) = t.rsplit_once('.').unwrap();
        let forged = format!("u1.{}.{sig}", B64.encode("42:patron@örnek.com.tr"));
        assert_eq!(read_token(&k, &forged), None);
        assert_eq!(read_token(&k, &t[..t.len() - 2]), None);
    }

    #[test]
    fn tokens_are_found_in_a_subject_an_address_or_a_whole_mail() {
        let k = SecretString::from("k".repeat(64));
        let a = token(&k, 1, "a@x.com.tr");
        let b = token(&k, 2, "b@x.com.tr");
        let text = format!(
            "Subject: unsubscribe {a}\r\n\r\nhttps://firma.com.tr/abonelik?t={b}&x=1\n{a}."
        );
        assert_eq!(find_tokens(&text), vec![a, b]);
        assert!(find_tokens("nothing here, u1").is_empty());
    }

    #[test]
    fn the_https_address_needs_the_placeholder_and_tls() {
        assert_eq!(check_url("").unwrap(), "");
        assert!(check_url("https://firma.com.tr/abonelik?t={token}").is_ok());
        assert!(check_url("http://127.0.0.1:8080/u/{token}").is_ok());
        for bad in [
            "https://firma.com.tr/abonelik",
            "http://firma.com.tr/u/{token}",
            "ftp://firma.com.tr/{token}",
            "https://user:pw@firma.com.tr/{token}",
            "https://firma.com.tr/{token}\r\nBcc: x",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn one_click_only_with_an_https_address() {
        let l = Links {
            mailto: "mailto:satis@firma.com.tr?subject=unsubscribe%20u1.x.y".into(),
            https: None,
        };
        assert_eq!(
            l.headers(),
            (
                "<mailto:satis@firma.com.tr?subject=unsubscribe%20u1.x.y>".into(),
                None
            )
        );
        let l = Links {
            https: Some("https://firma.com.tr/a?t=u1.x.y".into()),
            ..l
        };
        let (value, post) = l.headers();
        assert!(value.starts_with("<https://firma.com.tr/a?t=u1.x.y>, <mailto:"));
        assert_eq!(post.as_deref(), Some("List-Unsubscribe=One-Click"));
        let (text, html) = body_line(&l);
        assert!(text.starts_with("Bu e-postaları artık almak istemiyorsanız: https://"));
        assert!(html.contains("href=\"https://firma.com.tr/a?t=u1.x.y\""));
    }
}
