//! Google Drive backups (issue 20): the workspace's Google connection that may write to
//! Drive (its own sign-in, `Purpose::Drive`, scope `drive.file`), and an export backed
//! up into a chosen folder or Ulak's own ("Ulak yedekleri", made once and remembered):
//! the send history as CSV, a campaign's results as CSV, or the sent e-mails as .eml
//! files, exactly as they went.

use chrono::Local;
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;
use ulak_channels::drive::{self, Drive, DriveError, DriveFile};
use ulak_channels::oauth::connections;
use ulak_core::settings::{self, Language};
use ulak_core::{ErrorCode, StoreError, UserFacing};
use ulak_outbox::history;
use ulak_outbox::queue::{OutboxError, State};
use ulak_outbox::Channel;

/// At most this many .eml files go up in one backup.
pub const MAX_EMAILS: i64 = 500;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(transparent)]
    Drive(#[from] DriveError),
    #[error("\"{0}\" is not a Google Drive folder address or id")]
    BadFolder(String),
    #[error(transparent)]
    Outbox(#[from] OutboxError),
    #[error(transparent)]
    Campaign(#[from] ulak_outbox::campaigns::CampaignError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl UserFacing for BackupError {
    fn code(&self) -> ErrorCode {
        match self {
            BackupError::Drive(DriveError::NotConnected) => ErrorCode::DriveNotConnected,
            BackupError::Drive(DriveError::FolderNotFound(_)) | BackupError::BadFolder(_) => {
                ErrorCode::DriveBadFolder
            }
            BackupError::Drive(DriveError::Refused(_)) => ErrorCode::DriveRefused,
            BackupError::Drive(DriveError::OAuth(o)) => o.code(),
            BackupError::Outbox(o) => o.code(),
            BackupError::Campaign(c) => c.code(),
            BackupError::Store(s) => s.code(),
        }
    }
    fn hint(&self) -> Option<String> {
        match self {
            BackupError::Drive(DriveError::NotConnected) => Some(
                "Connect Google Drive on Entegrasyonlar › Google (`ulak drive connect`).".into(),
            ),
            BackupError::Drive(DriveError::FolderNotFound(_)) | BackupError::BadFolder(_) => Some(
                "Ulak may use only folders it made (Ulak yedekleri) or opened: leave the folder empty, or paste the address of a folder Ulak made."
                    .into(),
            ),
            BackupError::Drive(DriveError::Refused(_)) => {
                Some("Try again; connect Google Drive again if it keeps refusing.".into())
            }
            BackupError::Drive(DriveError::OAuth(o)) => o.hint(),
            BackupError::Outbox(o) => o.hint(),
            BackupError::Campaign(c) => c.hint(),
            BackupError::Store(s) => s.hint(),
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            BackupError::BadFolder(_) | BackupError::Drive(DriveError::FolderNotFound(_)) => {
                Some("folder")
            }
            _ => None,
        }
    }
}

/// What to back up.
#[derive(Debug, Clone, Deserialize, specta::Type)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[serde(rename = "BackupWhat")]
pub enum What {
    /// The send history (as the filter lists it) as one CSV file.
    History { filter: history::Filter },
    /// A campaign's messages and how each went, as one CSV file.
    Campaign { id: i64 },
    /// The sent e-mails (as the filter lists them; at most `MAX_EMAILS`), one .eml each.
    Emails { filter: history::Filter },
}

/// What a backup put where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BackedUp {
    pub folder: DriveFile,
    pub files: Vec<DriveFile>,
}

/// The connection Drive uses; None when none may write to it.
pub async fn status(
    pool: &SqlitePool,
    workspace_id: i64,
) -> Result<Option<connections::Connection>, BackupError> {
    Ok(drive::connection(pool, workspace_id)
        .await
        .map_err(DriveError::from)?)
}

fn folder_setting(workspace_id: i64) -> String {
    format!("drive.folder.{workspace_id}")
}

/// The folder named, or Ulak's own (made on first use and remembered; made again when
/// it was deleted).
async fn folder(
    d: &Drive<'_>,
    pool: &SqlitePool,
    workspace_id: i64,
    named: Option<&str>,
    lang: Language,
) -> Result<DriveFile, BackupError> {
    if let Some(n) = named.map(str::trim).filter(|n| !n.is_empty()) {
        let id = drive::folder_id(n)
            .ok_or_else(|| BackupError::BadFolder(n.chars().take(80).collect()))?;
        return Ok(d.folder(&id).await?);
    }
    if let Some(id) = settings::get(pool, &folder_setting(workspace_id)).await? {
        match d.folder(&id).await {
            Ok(f) => return Ok(f),
            Err(DriveError::FolderNotFound(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let name = match lang {
        Language::Tr => "Ulak yedekleri",
        Language::En => "Ulak backups",
    };
    let f = d.create_folder(name).await?;
    settings::set(pool, &folder_setting(workspace_id), &f.id).await?;
    Ok(f)
}

/// Backs `what` up into the folder named (its address or id) or Ulak's own;
/// `progress(done, total)` as files go up.
pub async fn backup(
    pool: &SqlitePool,
    workspace_id: i64,
    what: &What,
    named_folder: Option<&str>,
    mut progress: impl FnMut(u32, u32),
) -> Result<BackedUp, BackupError> {
    let lang = settings::language(pool).await.unwrap_or(Language::Tr);
    let d = Drive::open(pool, workspace_id).await?;
    let folder = folder(&d, pool, workspace_id, named_folder, lang).await?;
    let stamp = Local::now().format("%Y-%m-%d-%H%M").to_string();
    // (name, MIME type, the bytes or the stored message to read them from) to upload;
    // a sent e-mail is read only when its turn comes, one in memory at a time.
    enum Bytes {
        Made(Vec<u8>),
        Stored(i64),
    }
    let mut files: Vec<(String, &str, Bytes)> = Vec::new();
    match what {
        What::History { filter } => {
            let (rows, _) = crate::exports::history_table(pool, workspace_id, filter, lang).await?;
            files.push((
                format!("ulak-gonderimler-{stamp}.csv"),
                "text/csv",
                Bytes::Made(crate::exports::csv(&rows)),
            ));
        }
        What::Campaign { id } => {
            let c = ulak_outbox::campaigns::get(pool, workspace_id, *id).await?;
            let filter = history::Filter {
                campaign_id: Some(*id),
                ..Default::default()
            };
            let (rows, _) =
                crate::exports::history_table(pool, workspace_id, &filter, lang).await?;
            files.push((
                format!("ulak-kampanya-{}-{stamp}.csv", slug(&c.name)),
                "text/csv",
                Bytes::Made(crate::exports::csv(&rows)),
            ));
        }
        What::Emails { filter } => {
            let mut f = filter.clone();
            f.channel = Some(Channel::Email);
            f.state = Some(State::Sent);
            f.limit = Some(f.limit.unwrap_or(MAX_EMAILS).clamp(1, MAX_EMAILS));
            for e in history::list(pool, workspace_id, &f).await? {
                let day = e.sent_at.as_deref().unwrap_or(&e.created_at);
                files.push((
                    format!(
                        "{}-{}-{}.eml",
                        day.get(..10).unwrap_or(day),
                        e.id,
                        slug(&e.subject)
                    ),
                    "message/rfc822",
                    Bytes::Stored(e.id),
                ));
            }
        }
    }
    let total = files.len() as u32;
    let mut done = Vec::with_capacity(files.len());
    progress(0, total);
    for (i, (name, mime, bytes)) in files.into_iter().enumerate() {
        let bytes = match bytes {
            Bytes::Made(b) => b,
            Bytes::Stored(id) => history::stored(pool, workspace_id, id).await?.payload,
        };
        done.push(d.upload(&folder.id, &name, mime, &bytes).await?);
        progress(i as u32 + 1, total);
    }
    tracing::info!(
        workspace_id,
        files = done.len(),
        "backed up to google drive"
    );
    Ok(BackedUp {
        folder,
        files: done,
    })
}

/// A name part from free text: Turkish letters kept, separators as '-', at most 40.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.chars().count() >= 40 {
            break;
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "ileti".into()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_made_from_free_text() {
        assert_eq!(
            super::slug("Teklif: Öztürk Gıda — Şubat!"),
            "teklif-öztürk-gıda-şubat"
        );
        assert_eq!(super::slug("///"), "ileti");
    }
}
