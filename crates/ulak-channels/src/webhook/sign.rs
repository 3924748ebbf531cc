//! Standard Webhooks signing (the `standardwebhooks` crate): `v1,` + base64
//! HMAC-SHA256 over `id.timestamp.body`, keyed by the endpoint's `whsec_…` secret. While
//! a rotated-out secret is still valid, each delivery carries both signatures, space
//! separated, so a receiver holding either accepts it.

use base64::Engine;
use secrecy::{ExposeSecret, SecretString};

/// The prefix Standard Webhooks secrets are shown with.
pub const PREFIX: &str = "whsec_";

/// A new signing secret: 32 random bytes, `whsec_` + base64.
pub fn new_secret() -> SecretString {
    let key: [u8; 32] = rand::random();
    SecretString::from(format!(
        "{PREFIX}{}",
        base64::engine::general_purpose::STANDARD.encode(key)
    ))
}

#[derive(Debug, thiserror::Error)]
#[error("the endpoint's signing secret is unreadable; rotate it")]
pub struct BadSecret;

/// The `webhook-signature` header for one delivery: a signature per secret, newest first.
pub fn signature(
    secrets: &[SecretString],
    id: &str,
    timestamp: i64,
    body: &[u8],
) -> Result<String, BadSecret> {
    let mut out = Vec::with_capacity(secrets.len());
    for s in secrets {
        let w = standardwebhooks::Webhook::new(s.expose_secret()).map_err(|_| BadSecret)?;
        out.push(w.sign(id, timestamp, body).map_err(|_| BadSecret)?);
    }
    Ok(out.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example in the Standard Webhooks specification ("Signature scheme").
    #[test]
    fn the_specifications_example_vector() {
        let secret = SecretString::from("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".to_string());
        assert_eq!(
            signature(
                &[secret],
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330,
                br#"{"test": 2432232314}"#
            )
            .unwrap(),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn a_rotation_signs_with_both_and_each_verifies() {
        let (new, old) = (new_secret(), new_secret());
        assert!(new.expose_secret().starts_with(PREFIX));
        assert_ne!(new.expose_secret(), old.expose_secret());
        let body = br#"{"type":"webhook.test"}"#;
        let ts = chrono::Utc::now().timestamp();
        let header = signature(&[new.clone(), old.clone()], "msg_1", ts, body).unwrap();
        assert_eq!(header.split(' ').count(), 2);
        let mut h = http::HeaderMap::new();
        h.insert("webhook-id", "msg_1".parse().unwrap());
        h.insert("webhook-timestamp", ts.to_string().parse().unwrap());
        h.insert("webhook-signature", header.parse().unwrap());
        for s in [&new, &old] {
            standardwebhooks::Webhook::new(s.expose_secret())
                .unwrap()
                .verify(body, &h)
                .unwrap();
        }
        let stranger = new_secret();
        assert!(standardwebhooks::Webhook::new(stranger.expose_secret())
            .unwrap()
            .verify(body, &h)
            .is_err());
    }

    #[test]
    fn a_garbled_secret_is_refused_not_used() {
        let bad = SecretString::from("whsec_!!!not base64".to_string());
        assert!(signature(&[bad], "msg_1", 1, b"{}").is_err());
    }
}
