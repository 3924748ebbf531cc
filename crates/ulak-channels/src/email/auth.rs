//! Signing in to an SMTP server: the closed set of ways Ulak does it — PLAIN and LOGIN
//! with a password, XOAUTH2 with an OAuth access token (Gmail, Outlook) — chosen from
//! what the server's EHLO offers. The bulk sender and the connection test both use it.

use std::time::Duration;

use base64::Engine;
use secrecy::{ExposeSecret, SecretString};
use tokio::io::{AsyncBufRead, AsyncWrite};

use crate::email::reply::{self, ReadError, Reply};

/// What an account signs in with.
pub enum Credentials {
    Password {
        user: String,
        password: SecretString,
    },
    /// An OAuth 2.0 access token (RFC 7628's XOAUTH2 as Google and Microsoft use it).
    OAuth2 {
        user: String,
        access_token: SecretString,
    },
    /// No sign-in: a company relay that takes this computer's mail without one.
    None,
}

impl Credentials {
    pub fn user(&self) -> &str {
        match self {
            Credentials::Password { user, .. } | Credentials::OAuth2 { user, .. } => user,
            Credentials::None => "",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mechanism {
    Plain,
    Login,
    XOAuth2,
}

impl Mechanism {
    pub fn name(self) -> &'static str {
        match self {
            Mechanism::Plain => "PLAIN",
            Mechanism::Login => "LOGIN",
            Mechanism::XOAuth2 => "XOAUTH2",
        }
    }
}

/// The mechanism to use for `creds` among those the server `offered` (its EHLO's AUTH
/// line, any case); None when it offers none that fits.
pub fn choose(creds: &Credentials, offered: &[String]) -> Option<Mechanism> {
    let has = |m: Mechanism| offered.iter().any(|o| o.eq_ignore_ascii_case(m.name()));
    match creds {
        Credentials::OAuth2 { .. } => has(Mechanism::XOAuth2).then_some(Mechanism::XOAuth2),
        Credentials::Password { .. } => [Mechanism::Plain, Mechanism::Login]
            .into_iter()
            .find(|m| has(*m)),
        Credentials::None => None,
    }
}

/// How a sign-in exchange ended.
#[derive(Debug)]
pub enum SignIn {
    /// The server's last word: a 2xx is signed in (235 by the RFC; smtp-sink says 250),
    /// anything else is its refusal.
    Answered(Reply),
    /// Nothing the server offers fits these credentials.
    NoMechanism,
    /// No sign-in was asked for (`Credentials::None`): nothing was sent.
    NotNeeded,
}

/// The whole AUTH exchange over any stream, as the bulk sender and the connection test
/// both run it: the mechanism `creds` and the `offered` list call for (PLAIN when a
/// server lists none), LOGIN when PLAIN is answered 504, LOGIN's two prompts, and the
/// empty line a refused XOAUTH2 token's 334 asks for.
pub async fn sign_in<S: AsyncBufRead + AsyncWrite + Unpin>(
    s: &mut S,
    creds: &Credentials,
    offered: &[String],
    limit: Duration,
) -> Result<SignIn, ReadError> {
    if matches!(creds, Credentials::None) {
        return Ok(SignIn::NotNeeded);
    }
    let mut m = match choose(creds, offered) {
        Some(m) => m,
        None if offered.is_empty() && matches!(creds, Credentials::Password { .. }) => {
            Mechanism::Plain
        }
        None => return Ok(SignIn::NoMechanism),
    };
    let mut r = reply::command(s, command(m, creds).expose_secret(), limit).await?;
    if m == Mechanism::Plain && r.code == 504 {
        m = Mechanism::Login;
        r = reply::command(s, command(m, creds).expose_secret(), limit).await?;
    }
    if m == Mechanism::Login {
        for answer in login_answers(creds) {
            if r.code != 334 {
                break;
            }
            r = reply::command(s, answer.expose_secret(), limit).await?;
        }
    }
    if m == Mechanism::XOAuth2 && r.code == 334 {
        r = reply::command(s, "", limit).await?;
    }
    Ok(SignIn::Answered(r))
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The AUTH command that starts `m` (with its initial response where it has one).
/// Secret: it carries the password or token, encoded.
pub fn command(m: Mechanism, creds: &Credentials) -> SecretString {
    let line = match (m, creds) {
        (Mechanism::Plain, Credentials::Password { user, password }) => {
            let mut token = Vec::with_capacity(user.len() * 2 + 2);
            token.push(0);
            token.extend_from_slice(user.as_bytes());
            token.push(0);
            token.extend_from_slice(password.expose_secret().as_bytes());
            format!("AUTH PLAIN {}", b64(&token))
        }
        (Mechanism::XOAuth2, Credentials::OAuth2 { user, access_token }) => {
            let token = format!(
                "user={user}\x01auth=Bearer {}\x01\x01",
                access_token.expose_secret()
            );
            format!("AUTH XOAUTH2 {}", b64(token.as_bytes()))
        }
        // LOGIN sends its user and password as answers to the server's prompts.
        _ => "AUTH LOGIN".to_string(),
    };
    SecretString::from(line)
}

/// LOGIN's answers to the server's two 334 prompts: the user, then the password.
pub fn login_answers(creds: &Credentials) -> [SecretString; 2] {
    let password = match creds {
        Credentials::Password { password, .. } => password.expose_secret(),
        Credentials::OAuth2 { access_token, .. } => access_token.expose_secret(),
        Credentials::None => "",
    };
    [
        SecretString::from(b64(creds.user().as_bytes())),
        SecretString::from(b64(password.as_bytes())),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn password() -> Credentials {
        Credentials::Password {
            user: "ayşe@firma.com.tr".into(),
            password: SecretString::from("çok gizli".to_string()),
        }
    }

    #[test]
    fn the_mechanism_follows_the_credentials_and_the_offer() {
        let offer = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        assert_eq!(
            choose(&password(), &offer("LOGIN PLAIN")),
            Some(Mechanism::Plain)
        );
        assert_eq!(choose(&password(), &offer("login")), Some(Mechanism::Login));
        assert_eq!(choose(&password(), &offer("XOAUTH2")), None);
        assert_eq!(choose(&password(), &[]), None);
        let oauth = Credentials::OAuth2 {
            user: "ali@gmail.com".into(),
            access_token: SecretString::from("ya29.token".to_string()),
        };
        assert_eq!(
            choose(&oauth, &offer("PLAIN XOAUTH2")),
            Some(Mechanism::XOAuth2)
        );
        assert_eq!(
            choose(&oauth, &offer("PLAIN LOGIN")),
            None,
            "never a password"
        );
    }

    #[test]
    fn the_commands_carry_the_documented_encodings() {
        let plain = command(Mechanism::Plain, &password());
        let b = plain.expose_secret().strip_prefix("AUTH PLAIN ").unwrap();
        let decoded = base64::engine::general_purpose::STANDARD.decode(b).unwrap();
        assert_eq!(decoded, "\0ayşe@firma.com.tr\0çok gizli".as_bytes());

        let oauth = Credentials::OAuth2 {
            user: "ali@gmail.com".into(),
            access_token: SecretString::from("ya29.token".to_string()),
        };
        let x = command(Mechanism::XOAuth2, &oauth);
        let b = x.expose_secret().strip_prefix("AUTH XOAUTH2 ").unwrap();
        let decoded = base64::engine::general_purpose::STANDARD.decode(b).unwrap();
        // Google's and Microsoft's documented form.
        assert_eq!(
            decoded,
            b"user=ali@gmail.com\x01auth=Bearer ya29.token\x01\x01"
        );

        assert_eq!(
            command(Mechanism::Login, &password()).expose_secret(),
            "AUTH LOGIN"
        );
        let [u, p] = login_answers(&password());
        assert_eq!(u.expose_secret(), &b64("ayşe@firma.com.tr".as_bytes()));
        assert_eq!(p.expose_secret(), &b64("çok gizli".as_bytes()));
    }
}
