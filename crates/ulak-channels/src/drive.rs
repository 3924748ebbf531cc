//! Google Drive API v3, as documented, for backups (issue 20): a folder made
//! (`files.create` with the folder MIME type), a folder looked up (`files.get`), and a
//! file uploaded into it (`uploadType=multipart`: the metadata as JSON, then the
//! bytes, in one `multipart/related` request). The scope is `drive.file`: Ulak sees
//! only what it made (or what the user opened with it), never the rest of the Drive.

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sqlx::SqlitePool;

use crate::oauth::{self, connections, OAuthError, Provider};

/// The scope Ulak asks for: the files it makes, only.
pub const SCOPE: &str = "https://www.googleapis.com/auth/drive.file";

const FOLDER: &str = "application/vnd.google-apps.folder";

/// The folder's id from what the user pasted: its address
/// (`https://drive.google.com/drive/folders/<id>`, also `…/u/0/folders/<id>`) or the id.
pub fn folder_id(input: &str) -> Option<String> {
    let s = input.trim();
    let id = match s.find("/folders/") {
        Some(i) => s[i + "/folders/".len()..]
            .split(['/', '?', '#'])
            .next()
            .unwrap_or(""),
        None => s,
    };
    let ok = (10..=200).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    ok.then(|| id.to_string())
}

/// A file or folder in Drive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DriveFile {
    pub id: String,
    pub name: String,
    /// Where it opens in the browser.
    pub url: String,
}

fn file(v: &Value) -> DriveFile {
    let s = |x: &Value| x.as_str().unwrap_or_default().to_string();
    DriveFile {
        id: s(&v["id"]),
        name: s(&v["name"]),
        url: s(&v["webViewLink"]),
    }
}

/// Why a Drive call did not go.
#[derive(Debug, thiserror::Error)]
pub enum DriveError {
    #[error("no Google account may write to Drive")]
    NotConnected,
    #[error("Google Drive has no folder {0} that this account may use")]
    FolderNotFound(String),
    #[error("Google Drive refused: {0}")]
    Refused(String),
    #[error(transparent)]
    OAuth(#[from] OAuthError),
}

/// The Google connection that may write to Drive: the workspace's latest active one
/// granted `SCOPE`.
pub async fn connection(
    pool: &SqlitePool,
    workspace_id: i64,
) -> Result<Option<connections::Connection>, OAuthError> {
    connections::granted(pool, workspace_id, Provider::Google, SCOPE).await
}

/// Drive's calls with one connection's token (refreshed once when Google refuses it).
pub struct Drive<'a> {
    pool: &'a SqlitePool,
    workspace_id: i64,
    connection: connections::Connection,
    base: String,
    http: reqwest::Client,
}

impl<'a> Drive<'a> {
    pub async fn open(pool: &'a SqlitePool, workspace_id: i64) -> Result<Drive<'a>, DriveError> {
        let connection = connection(pool, workspace_id)
            .await?
            .ok_or(DriveError::NotConnected)?;
        let base = oauth::app(pool, Provider::Google)
            .await?
            .api_base
            .trim_end_matches('/')
            .to_string();
        Ok(Drive {
            pool,
            workspace_id,
            connection,
            base,
            http: crate::http::client(),
        })
    }

    async fn token(&self) -> Result<SecretString, DriveError> {
        Ok(connections::access_token(self.pool, self.workspace_id, self.connection.id).await?)
    }

    /// Sends what `build` makes with a token; a 401 refreshes the token and sends once
    /// more. The answer's JSON, or why not (404 → `FolderNotFound(what)`).
    async fn call<F>(&self, what: &str, build: F) -> Result<Value, DriveError>
    where
        F: Fn(&reqwest::Client, &SecretString) -> reqwest::RequestBuilder,
    {
        for attempt in 0..2 {
            let token = self.token().await?;
            let r = build(&self.http, &token)
                .send()
                .await
                .map_err(|e| OAuthError::Unreachable(e.without_url().to_string()))?;
            let status = r.status().as_u16();
            let text = r.text().await.unwrap_or_default();
            if status == 401 && attempt == 0 {
                connections::expire(self.pool, self.workspace_id, self.connection.id).await?;
                continue;
            }
            let v: Value = serde_json::from_str(&text).unwrap_or_default();
            if (200..300).contains(&status) {
                return Ok(v);
            }
            let message: String = v["error"]["message"]
                .as_str()
                .unwrap_or("")
                .chars()
                .take(300)
                .collect();
            return Err(match status {
                401 => OAuthError::Reconnect {
                    address: self.connection.address.clone(),
                }
                .into(),
                404 => DriveError::FolderNotFound(what.to_string()),
                429 | 500..=599 => DriveError::OAuth(OAuthError::Unreachable(format!(
                    "Google Drive answered {status}: {message}"
                ))),
                _ => DriveError::Refused(format!("{status}: {message}")),
            });
        }
        unreachable!("the loop returns on its second turn")
    }

    /// A new folder named `name` (in the Drive's root).
    pub async fn create_folder(&self, name: &str) -> Result<DriveFile, DriveError> {
        let body = json!({ "name": name, "mimeType": FOLDER }).to_string();
        let v = self
            .call(name, |http, token| {
                http.post(format!("{}/drive/v3/files", self.base))
                    .query(&[("fields", "id,name,webViewLink")])
                    .bearer_auth(token.expose_secret())
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(body.clone())
            })
            .await?;
        Ok(file(&v))
    }

    /// The folder `id`, if this account may use it (and it is a folder).
    pub async fn folder(&self, id: &str) -> Result<DriveFile, DriveError> {
        let v = self
            .call(id, |http, token| {
                http.get(format!("{}/drive/v3/files/{id}", self.base))
                    .query(&[("fields", "id,name,mimeType,webViewLink,trashed")])
                    .bearer_auth(token.expose_secret())
            })
            .await?;
        if v["mimeType"] != FOLDER || v["trashed"] == true {
            return Err(DriveError::FolderNotFound(id.to_string()));
        }
        Ok(file(&v))
    }

    /// Uploads `bytes` as `name` (of type `mime`) into the folder `parent`.
    pub async fn upload(
        &self,
        parent: &str,
        name: &str,
        mime: &str,
        bytes: &[u8],
    ) -> Result<DriveFile, DriveError> {
        let boundary = format!("ulak-{:016x}", rand::random::<u64>());
        let meta = json!({ "name": name, "parents": [parent], "mimeType": mime }).to_string();
        let mut body = Vec::with_capacity(bytes.len() + meta.len() + 256);
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n{meta}\r\n--{boundary}\r\nContent-Type: {mime}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let v = self
            .call(parent, |http, token| {
                http.post(format!("{}/upload/drive/v3/files", self.base))
                    .query(&[
                        ("uploadType", "multipart"),
                        ("fields", "id,name,webViewLink"),
                    ])
                    .bearer_auth(token.expose_secret())
                    .header(
                        reqwest::header::CONTENT_TYPE,
                        format!("multipart/related; boundary={boundary}"),
                    )
                    .body(body.clone())
            })
            .await?;
        Ok(file(&v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_or_an_id_names_the_folder() {
        let id = "1dyUEebJaFnWa3Z4n0BFMVAXQ7mfUH11g";
        assert_eq!(
            folder_id(&format!(
                "https://drive.google.com/drive/folders/{id}?usp=sharing"
            ))
            .as_deref(),
            Some(id)
        );
        assert_eq!(
            folder_id(&format!("https://drive.google.com/drive/u/0/folders/{id}")).as_deref(),
            Some(id)
        );
        assert_eq!(folder_id(id).as_deref(), Some(id));
        assert_eq!(folder_id("klasör"), None);
    }
}
