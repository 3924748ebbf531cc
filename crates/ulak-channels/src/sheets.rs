//! Google Sheets API v4, as documented, for what Ulak writes into spreadsheets (issue
//! 20): a new spreadsheet (`spreadsheets.create`, one named sheet), rows appended
//! (`spreadsheets.values.append` with `valueInputOption=RAW` — a CRM's `=…` is kept as
//! text, never run as a formula — and `insertDataOption=INSERT_ROWS`), a column read
//! back (`spreadsheets.values.get`) and a spreadsheet's title (`spreadsheets.get`).
//!
//! Rows an automation adds ride the outbox as channel-`webhook` messages of provider
//! `google_sheets` (an HTTP call to an outside service, on the webhook's retry
//! schedule), so a row waits out an outage. Each such row ends with its reference; a
//! try first reads that column and does not add the row again when it is already there
//! (an answer lost after Google took it).

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sqlx::SqlitePool;
use ulak_outbox::failure::{Failure, FailureCode, Kind};

use crate::oauth::{self, connections, OAuthError, Provider};

/// The scope Ulak asks for: read and write the spreadsheets the user names.
pub const SCOPE: &str = "https://www.googleapis.com/auth/spreadsheets";

/// The outbox's provider for a row to append.
pub const PROVIDER: &str = "google_sheets";

/// Sheets lives at its own host; tests (and proxies) give one base for every API.
pub fn base(api_base: &str) -> String {
    let b = api_base.trim_end_matches('/');
    if b == "https://www.googleapis.com" {
        "https://sheets.googleapis.com".into()
    } else {
        b.into()
    }
}

/// The spreadsheet's id from what the user pasted: its address
/// (`https://docs.google.com/spreadsheets/d/<id>/edit#gid=0`, or a signed-in account's
/// `…/spreadsheets/u/1/d/<id>/…`) or the id itself.
pub fn spreadsheet_id(input: &str) -> Option<String> {
    let s = input.trim();
    let id = match s.find("/spreadsheets/") {
        Some(i) => {
            let mut rest = &s[i + "/spreadsheets/".len()..];
            if let Some(after) = rest.strip_prefix("u/") {
                let digits = after.find('/').unwrap_or(after.len());
                if digits > 0 && after[..digits].chars().all(|c| c.is_ascii_digit()) {
                    rest = &after[digits..];
                    rest = rest.strip_prefix('/').unwrap_or(rest);
                }
            }
            rest.strip_prefix("d/")
                .unwrap_or("")
                .split(['/', '?', '#'])
                .next()
                .unwrap_or("")
        }
        None => s,
    };
    let ok = (20..=200).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    ok.then(|| id.to_string())
}

/// A sheet's name quoted for A1 notation: `'Ödemeler 2026'!A1`.
pub fn a1(sheet: &str, range: &str) -> String {
    format!("'{}'!{range}", sheet.replace('\'', "''"))
}

/// The letter(s) of the `n`th column (1 → A, 27 → AA).
pub fn column_letter(mut n: usize) -> String {
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// What a call came to: done, or the token refused (401: refresh and try once more).
pub enum Answer<T> {
    Done(T),
    TokenRefused,
}

/// A spreadsheet Ulak made or found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Spreadsheet {
    pub id: String,
    pub title: String,
    pub url: String,
}

/// A row queued for a spreadsheet (the outbox's payload).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Row {
    pub spreadsheet_id: String,
    pub sheet: String,
    /// The cells; the last is the row's reference (checked before a repeat).
    pub cells: Vec<String>,
}

/// Google's refusal in the outbox's terms: what the request was about is in `what`.
pub fn refusal(what: &str, status: u16, wait: Option<std::time::Duration>, body: &str) -> Failure {
    let v: Value = serde_json::from_str(body).unwrap_or_default();
    let reason = v["error"]["status"]
        .as_str()
        .or_else(|| v["error"]["errors"][0]["reason"].as_str())
        .unwrap_or("");
    let message: String = v["error"]["message"]
        .as_str()
        .unwrap_or("")
        .chars()
        .take(300)
        .collect();
    let text = format!("Google Sheets {status} {reason}: {what}: {message}");
    let f = match status {
        401 => Failure::transient(FailureCode::SignIn, text),
        // No access to that spreadsheet (or the scope was not granted): the user acts.
        403 if reason.contains("RATE") || reason.contains("rateLimit") => {
            Failure::new(Kind::RateLimited, FailureCode::ServerBusy, text)
        }
        403 => Failure::new(Kind::SignIn, FailureCode::Reconnect, text),
        404 => Failure::permanent(FailureCode::NoSuchRecipient, text),
        429 => Failure::new(Kind::RateLimited, FailureCode::ServerBusy, text),
        400 => Failure::permanent(FailureCode::Unsendable, text),
        500..=599 => Failure::transient(FailureCode::ServerBusy, text),
        _ => Failure::permanent(FailureCode::Other, text),
    };
    f.retry_after(wait)
}

fn unreachable(e: reqwest::Error) -> Failure {
    crate::http::unreachable("Google Sheets", e)
}

async fn answer(what: &str, r: reqwest::Response) -> Result<Answer<Value>, Failure> {
    if r.status() == reqwest::StatusCode::UNAUTHORIZED {
        return Ok(Answer::TokenRefused);
    }
    if !r.status().is_success() {
        let (status, wait, text) = crate::http::refusal(r).await;
        return Err(refusal(what, status.as_u16(), wait, &text));
    }
    let text = r.text().await.map_err(unreachable)?;
    serde_json::from_str(&text).map(Answer::Done).map_err(|_| {
        Failure::transient(
            FailureCode::Other,
            format!("Google Sheets: {what}: an unreadable answer"),
        )
    })
}

/// Google's API calls for one token.
pub struct Sheets<'a> {
    pub http: &'a reqwest::Client,
    /// Sheets' base (see `base`).
    pub base: &'a str,
    pub token: &'a SecretString,
}

impl Sheets<'_> {
    /// A new spreadsheet titled `title` with one sheet named `sheet`.
    pub async fn create(&self, title: &str, sheet: &str) -> Result<Answer<Spreadsheet>, Failure> {
        let body = json!({
            "properties": { "title": title, "locale": "tr_TR" },
            "sheets": [{ "properties": { "title": sheet } }],
        });
        let r = self
            .http
            .post(format!("{}/v4/spreadsheets", self.base))
            .bearer_auth(self.token.expose_secret())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_string())
            .send()
            .await
            .map_err(unreachable)?;
        Ok(match answer("spreadsheets.create", r).await? {
            Answer::Done(v) => Answer::Done(spreadsheet(&v)),
            Answer::TokenRefused => Answer::TokenRefused,
        })
    }

    /// The spreadsheet's title and address, and its sheets' names.
    pub async fn get(&self, id: &str) -> Result<Answer<(Spreadsheet, Vec<String>)>, Failure> {
        let r = self
            .http
            .get(format!("{}/v4/spreadsheets/{id}", self.base))
            .query(&[(
                "fields",
                "spreadsheetId,spreadsheetUrl,properties.title,sheets.properties.title",
            )])
            .bearer_auth(self.token.expose_secret())
            .send()
            .await
            .map_err(unreachable)?;
        Ok(match answer("spreadsheets.get", r).await? {
            Answer::Done(v) => {
                let sheets = v["sheets"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|s| s["properties"]["title"].as_str())
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default();
                Answer::Done((spreadsheet(&v), sheets))
            }
            Answer::TokenRefused => Answer::TokenRefused,
        })
    }

    /// Appends `rows` under the table of `sheet` (as text: RAW); how many went in.
    pub async fn append(
        &self,
        id: &str,
        sheet: &str,
        rows: &[Vec<String>],
    ) -> Result<Answer<u64>, Failure> {
        let range = a1(sheet, "A1");
        let url = format!(
            "{}/v4/spreadsheets/{id}/values/{}:append",
            self.base,
            urlencoding(&range)
        );
        let body = json!({ "range": range, "majorDimension": "ROWS", "values": rows });
        let r = self
            .http
            .post(url)
            .query(&[
                ("valueInputOption", "RAW"),
                ("insertDataOption", "INSERT_ROWS"),
            ])
            .bearer_auth(self.token.expose_secret())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_string())
            .send()
            .await
            .map_err(unreachable)?;
        Ok(match answer("values.append", r).await? {
            Answer::Done(v) => Answer::Done(v["updates"]["updatedRows"].as_u64().unwrap_or(0)),
            Answer::TokenRefused => Answer::TokenRefused,
        })
    }

    /// The values of one column of `sheet` (empty cells as "").
    pub async fn column(
        &self,
        id: &str,
        sheet: &str,
        letter: &str,
    ) -> Result<Answer<Vec<String>>, Failure> {
        let range = a1(sheet, &format!("{letter}:{letter}"));
        let r = self
            .http
            .get(format!(
                "{}/v4/spreadsheets/{id}/values/{}",
                self.base,
                urlencoding(&range)
            ))
            .query(&[("majorDimension", "COLUMNS")])
            .bearer_auth(self.token.expose_secret())
            .send()
            .await
            .map_err(unreachable)?;
        Ok(match answer("values.get", r).await? {
            Answer::Done(v) => Answer::Done(
                v["values"][0]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .map(|x| x.as_str().unwrap_or_default().to_string())
                            .collect()
                    })
                    .unwrap_or_default(),
            ),
            Answer::TokenRefused => Answer::TokenRefused,
        })
    }
}

fn spreadsheet(v: &Value) -> Spreadsheet {
    let s = |x: &Value| x.as_str().unwrap_or_default().to_string();
    Spreadsheet {
        id: s(&v["spreadsheetId"]),
        title: s(&v["properties"]["title"]),
        url: s(&v["spreadsheetUrl"]),
    }
}

/// A range put in a URL's path (quotes, spaces, Turkish letters, `!` and `:` escaped).
fn urlencoding(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// The Google connection that may write spreadsheets: the workspace's latest active
/// one granted `SCOPE`.
pub async fn connection(
    pool: &SqlitePool,
    workspace_id: i64,
) -> Result<Option<connections::Connection>, OAuthError> {
    connections::granted(pool, workspace_id, Provider::Google, SCOPE).await
}

/// Runs `call` with the Sheets connection's token; a token Google refuses is refreshed
/// and the call made once more. None: no connection may write spreadsheets.
pub async fn with_token<T, F, Fut>(
    pool: &SqlitePool,
    workspace_id: i64,
    call: F,
) -> Result<Option<T>, SheetsCallError>
where
    F: Fn(reqwest::Client, String, SecretString) -> Fut,
    Fut: std::future::Future<Output = Result<Answer<T>, Failure>>,
{
    let Some(c) = connection(pool, workspace_id).await? else {
        return Ok(None);
    };
    let api = base(&oauth::app(pool, Provider::Google).await?.api_base);
    let client = crate::http::client();
    for attempt in 0..2 {
        let token = connections::access_token(pool, workspace_id, c.id).await?;
        match call(client.clone(), api.clone(), token).await? {
            Answer::Done(v) => return Ok(Some(v)),
            Answer::TokenRefused if attempt == 0 => {
                connections::expire(pool, workspace_id, c.id).await?;
            }
            Answer::TokenRefused => break,
        }
    }
    Err(SheetsCallError::OAuth(OAuthError::Reconnect {
        address: c.address,
    }))
}

/// Why a Sheets call did not happen: the sign-in, or Google's answer.
#[derive(Debug, thiserror::Error)]
pub enum SheetsCallError {
    #[error(transparent)]
    OAuth(#[from] OAuthError),
    #[error("{}", .0.text)]
    Failed(Failure),
}

impl From<Failure> for SheetsCallError {
    fn from(f: Failure) -> Self {
        SheetsCallError::Failed(f)
    }
}

/// Sends one queued row: its reference already in the sheet's last column means an
/// earlier try went in (its answer was lost) — not added again.
pub async fn deliver(
    pool: &SqlitePool,
    workspace_id: i64,
    payload: &[u8],
) -> Result<String, Failure> {
    let row: Row = serde_json::from_slice(payload).map_err(|_| {
        Failure::permanent(FailureCode::Unsendable, "the queued row could not be read")
    })?;
    let reference = row.cells.last().cloned().unwrap_or_default();
    let letter = column_letter(row.cells.len());
    let went = with_token(pool, workspace_id, |client, base, token| {
        let (row, reference, letter) = (row.clone(), reference.clone(), letter.clone());
        async move {
            let s = Sheets {
                http: &client,
                base: &base,
                token: &token,
            };
            // No sheet named: the spreadsheet's first.
            let mut row = row;
            if row.sheet.is_empty() {
                match s.get(&row.spreadsheet_id).await? {
                    Answer::TokenRefused => return Ok(Answer::TokenRefused),
                    Answer::Done((_, names)) => {
                        row.sheet = names.into_iter().next().unwrap_or_else(|| "Sheet1".into())
                    }
                }
            }
            if !reference.is_empty() {
                match s.column(&row.spreadsheet_id, &row.sheet, &letter).await? {
                    Answer::TokenRefused => return Ok(Answer::TokenRefused),
                    Answer::Done(col) if col.contains(&reference) => {
                        return Ok(Answer::Done("already in the sheet".to_string()))
                    }
                    Answer::Done(_) => {}
                }
            }
            Ok(
                match s
                    .append(
                        &row.spreadsheet_id,
                        &row.sheet,
                        std::slice::from_ref(&row.cells),
                    )
                    .await?
                {
                    Answer::Done(n) => Answer::Done(format!("Google Sheets: {n} row added")),
                    Answer::TokenRefused => Answer::TokenRefused,
                },
            )
        }
    })
    .await;
    match went {
        Ok(Some(reply)) => Ok(reply),
        Ok(None) => Err(Failure::new(
            Kind::SignIn,
            FailureCode::Reconnect,
            "no Google account may write spreadsheets: connect Google Sheets on Entegrasyonlar › Google",
        )),
        Err(SheetsCallError::Failed(f)) => Err(f),
        Err(SheetsCallError::OAuth(e)) => Err(crate::email::failure::oauth(&e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_or_an_id_names_the_spreadsheet() {
        let id = "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms";
        assert_eq!(
            spreadsheet_id(&format!(
                "https://docs.google.com/spreadsheets/d/{id}/edit#gid=0"
            ))
            .as_deref(),
            Some(id)
        );
        assert_eq!(spreadsheet_id(&format!("  {id} ")).as_deref(), Some(id));
        assert_eq!(
            spreadsheet_id(&format!(
                "https://docs.google.com/spreadsheets/u/1/d/{id}/edit?usp=sharing"
            ))
            .as_deref(),
            Some(id)
        );
        assert_eq!(
            spreadsheet_id("https://docs.google.com/spreadsheets/u/1/edit"),
            None
        );
        assert_eq!(spreadsheet_id("https://example.com/x"), None);
        assert_eq!(spreadsheet_id("kısa"), None);
    }

    #[test]
    fn ranges_and_columns_are_written_as_sheets_reads_them() {
        assert_eq!(a1("Ödemeler", "A1"), "'Ödemeler'!A1");
        assert_eq!(a1("Ali'nin", "J:J"), "'Ali''nin'!J:J");
        assert_eq!(column_letter(1), "A");
        assert_eq!(column_letter(10), "J");
        assert_eq!(column_letter(27), "AA");
        assert_eq!(
            base("https://www.googleapis.com/"),
            "https://sheets.googleapis.com"
        );
        assert_eq!(base("http://127.0.0.1:9/"), "http://127.0.0.1:9");
        assert_eq!(urlencoding("'Ö d'!A1"), "%27%C3%96%20d%27%21A1");
    }

    #[test]
    fn googles_refusals_map_to_kinds() {
        let f = refusal(
            "values.append",
            404,
            None,
            r#"{"error":{"code":404,"message":"Requested entity was not found.","status":"NOT_FOUND"}}"#,
        );
        assert_eq!(
            (f.kind, f.code),
            (Kind::Permanent, FailureCode::NoSuchRecipient)
        );
        let f = refusal(
            "values.append",
            403,
            None,
            r#"{"error":{"code":403,"message":"The caller does not have permission","status":"PERMISSION_DENIED"}}"#,
        );
        assert_eq!(f.kind, Kind::SignIn);
        assert_eq!(refusal("x", 429, None, "").kind, Kind::RateLimited);
        assert_eq!(refusal("x", 503, None, "").kind, Kind::Transient);
        assert_eq!(refusal("x", 400, None, "").kind, Kind::Permanent);
    }
}
