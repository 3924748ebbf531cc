//! Google Contacts through the People API v1, as documented: the signed-in user's
//! contacts (`people/me/connections` with `personFields=names,emailAddresses,
//! phoneNumbers,organizations`, 1,000 a page, `nextPageToken` followed), read-only
//! (`contacts.readonly`). Ulak imports them into a customer company (ulak-crm's
//! `merge_people`).

use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde_json::Value;
use sqlx::SqlitePool;

use crate::oauth::{self, connections, OAuthError, Provider};

/// The scope Ulak asks for: read the user's contacts.
pub const SCOPE: &str = "https://www.googleapis.com/auth/contacts.readonly";

/// At most this many contacts are read (20 pages).
pub const MAX: usize = 20_000;

/// The People API lives at its own host; tests (and proxies) give one base for all.
pub fn base(api_base: &str) -> String {
    let b = api_base.trim_end_matches('/');
    if b == "https://www.googleapis.com" {
        "https://people.googleapis.com".into()
    } else {
        b.into()
    }
}

/// One Google contact as Ulak reads it: the primary (else first) name, e-mail and
/// phone, and the organization.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    /// `people/c…`
    pub resource_name: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub organization: String,
}

/// Why the contacts could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PeopleError {
    #[error("no Google account may read contacts")]
    NotConnected,
    #[error("Google Contacts refused: {0}")]
    Refused(String),
    #[error(transparent)]
    OAuth(#[from] OAuthError),
}

/// The Google connection that may read contacts: the workspace's latest active one
/// granted `SCOPE`.
pub async fn connection(
    pool: &SqlitePool,
    workspace_id: i64,
) -> Result<Option<connections::Connection>, OAuthError> {
    connections::granted(pool, workspace_id, Provider::Google, SCOPE).await
}

fn primary(list: &Value, field: &str) -> String {
    let items = list.as_array().map(Vec::as_slice).unwrap_or_default();
    items
        .iter()
        .find(|x| x["metadata"]["primary"] == true)
        .or_else(|| items.first())
        .and_then(|x| x[field].as_str())
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// A person resource in Ulak's terms.
pub fn read(v: &Value) -> Person {
    Person {
        resource_name: v["resourceName"].as_str().unwrap_or_default().to_string(),
        name: primary(&v["names"], "displayName"),
        email: primary(&v["emailAddresses"], "value"),
        phone: primary(&v["phoneNumbers"], "value"),
        organization: primary(&v["organizations"], "name"),
    }
}

/// One page: its people, and the next page's token.
async fn page(
    http: &reqwest::Client,
    base: &str,
    token: &SecretString,
    page_token: Option<&str>,
) -> Result<Option<(Vec<Person>, Option<String>)>, PeopleError> {
    let mut q = vec![
        (
            "personFields",
            "names,emailAddresses,phoneNumbers,organizations",
        ),
        ("pageSize", "1000"),
        ("sortOrder", "FIRST_NAME_ASCENDING"),
    ];
    if let Some(t) = page_token {
        q.push(("pageToken", t));
    }
    let r = http
        .get(format!("{base}/v1/people/me/connections"))
        .query(&q)
        .bearer_auth(token.expose_secret())
        .send()
        .await
        .map_err(|e| OAuthError::Unreachable(e.without_url().to_string()))?;
    let status = r.status().as_u16();
    if status == 401 {
        return Ok(None);
    }
    let text = r.text().await.unwrap_or_default();
    let v: Value = serde_json::from_str(&text).unwrap_or_default();
    if !(200..300).contains(&status) {
        let message: String = v["error"]["message"]
            .as_str()
            .unwrap_or("")
            .chars()
            .take(300)
            .collect();
        return Err(match status {
            403 => PeopleError::NotConnected,
            429 | 500..=599 => PeopleError::OAuth(OAuthError::Unreachable(format!(
                "Google Contacts answered {status}: {message}"
            ))),
            _ => PeopleError::Refused(format!("{status}: {message}")),
        });
    }
    let people = v["connections"]
        .as_array()
        .map(|a| a.iter().map(read).collect())
        .unwrap_or_default();
    let next = v["nextPageToken"]
        .as_str()
        .filter(|t| !t.is_empty())
        .map(str::to_string);
    Ok(Some((people, next)))
}

/// Every contact of the connected Google account (at most `MAX`), page by page;
/// `progress(read)` after each page. A token Google refuses is refreshed once.
pub async fn list(
    pool: &SqlitePool,
    workspace_id: i64,
    mut progress: impl FnMut(usize),
) -> Result<Vec<Person>, PeopleError> {
    let c = connection(pool, workspace_id)
        .await?
        .ok_or(PeopleError::NotConnected)?;
    let api = base(&oauth::app(pool, Provider::Google).await?.api_base);
    let http = crate::http::client();
    let mut out = Vec::new();
    let mut next: Option<String> = None;
    let mut refreshed = false;
    loop {
        let token = connections::access_token(pool, workspace_id, c.id).await?;
        match page(&http, &api, &token, next.as_deref()).await? {
            None if !refreshed => {
                refreshed = true;
                connections::expire(pool, workspace_id, c.id).await?;
                continue;
            }
            None => return Err(OAuthError::Reconnect { address: c.address }.into()),
            Some((people, token)) => {
                out.extend(people);
                progress(out.len());
                match token {
                    Some(t) if out.len() < MAX => next = Some(t),
                    _ => break,
                }
            }
        }
    }
    out.truncate(MAX);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_is_read_by_its_primary_values() {
        let v = serde_json::json!({
            "resourceName": "people/c1",
            "names": [{"displayName": "Işıl Şahin", "metadata": {"primary": true}}],
            "emailAddresses": [
                {"value": "eski@musteri.com.tr"},
                {"value": "isil@musteri.com.tr", "metadata": {"primary": true}}
            ],
            "phoneNumbers": [{"value": "0532 123 45 67"}],
            "organizations": [{"name": "Öztürk Gıda"}]
        });
        let p = read(&v);
        assert_eq!(p.name, "Işıl Şahin");
        assert_eq!(p.email, "isil@musteri.com.tr");
        assert_eq!(p.phone, "0532 123 45 67");
        assert_eq!(p.organization, "Öztürk Gıda");
        assert_eq!(read(&serde_json::json!({})), Person::default());
        assert_eq!(
            base("https://www.googleapis.com"),
            "https://people.googleapis.com"
        );
    }
}
