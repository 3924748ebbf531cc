//! An SMTP server's replies, read the one way both the bulk sender (`connection`) and
//! the stepwise connection test (`probe`) read them: multi-line replies joined, a time
//! limit, a size limit, and a peer that does not speak SMTP told apart from one that
//! went away.

use std::time::Duration;

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// A whole reply is cut off past this (an EHLO is a few hundred bytes).
const MAX_REPLY_BYTES: usize = 64 * 1024;
/// One line of it (RFC 5321 allows 512).
const MAX_LINE_BYTES: u64 = 4096;

/// A server's reply: its code and its lines' text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub code: u16,
    pub lines: Vec<String>,
}

impl Reply {
    pub fn is_positive(&self) -> bool {
        (200..400).contains(&self.code)
    }

    pub fn text(&self) -> String {
        self.lines.join(" ")
    }

    /// In the words the history shows: "permanent error (550): …".
    pub fn describe(&self) -> String {
        let kind = if self.code >= 500 {
            "permanent error"
        } else {
            "transient error"
        };
        format!("{kind} ({}): {}", self.code, self.text())
    }

    /// Whether an EHLO reply lists the extension `cap` (PIPELINING, STARTTLS, …).
    pub fn has_capability(&self, cap: &str) -> bool {
        self.lines.iter().skip(1).any(|l| {
            l.split_ascii_whitespace()
                .next()
                .is_some_and(|w| w.eq_ignore_ascii_case(cap))
        })
    }

    /// The sign-in mechanisms an EHLO reply offers (its AUTH line), upper case.
    pub fn auth_mechanisms(&self) -> Vec<String> {
        self.lines
            .iter()
            .filter_map(|l| {
                let mut w = l.split_ascii_whitespace();
                w.next()
                    .filter(|k| k.eq_ignore_ascii_case("AUTH"))
                    .map(|_| w.map(str::to_ascii_uppercase).collect::<Vec<_>>())
            })
            .flatten()
            .collect()
    }
}

#[derive(Debug)]
pub enum ReadError {
    /// No (whole) reply within the limit.
    Timeout,
    /// The server closed the connection.
    Closed,
    Io(std::io::Error),
    /// What came is not an SMTP reply (another protocol on this port), or is too long.
    Garbage(String),
}

/// Reads one reply within `limit`.
pub async fn read<S: AsyncBufRead + Unpin>(s: &mut S, limit: Duration) -> Result<Reply, ReadError> {
    let whole = async {
        let mut lines = Vec::new();
        let mut total = 0;
        let mut line = String::new();
        loop {
            line.clear();
            let n = (&mut *s)
                .take(MAX_LINE_BYTES)
                .read_line(&mut line)
                .await
                .map_err(ReadError::Io)?;
            if n == 0 {
                return Err(ReadError::Closed);
            }
            total += n;
            if total > MAX_REPLY_BYTES {
                return Err(ReadError::Garbage("the server's reply is too long".into()));
            }
            let l = line.trim_end_matches(['\r', '\n']);
            let code = l
                .get(..3)
                .filter(|c| c.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|c| c.parse::<u16>().ok())
                .filter(|c| (200..600).contains(c))
                .ok_or_else(|| ReadError::Garbage(format!("not an SMTP reply: {l:.80}")))?;
            let more = l.as_bytes().get(3) == Some(&b'-');
            lines.push(l.get(4..).unwrap_or("").to_string());
            if !more {
                return Ok(Reply { code, lines });
            }
        }
    };
    tokio::time::timeout(limit, whole)
        .await
        .map_err(|_| ReadError::Timeout)?
}

/// Sends one command line (CRLF added) and reads its reply within `limit`.
pub async fn command<S: AsyncBufRead + AsyncWrite + Unpin>(
    s: &mut S,
    line: &str,
    limit: Duration,
) -> Result<Reply, ReadError> {
    let mut out = Vec::with_capacity(line.len() + 2);
    out.extend_from_slice(line.as_bytes());
    if !line.ends_with("\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    s.write_all(&out).await.map_err(ReadError::Io)?;
    s.flush().await.map_err(ReadError::Io)?;
    read(s, limit).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn multi_line_replies_are_joined_and_other_protocols_told_apart() {
        let mut s: &[u8] =
            b"250-mail.test\r\n250-PIPELINING\r\n250-AUTH PLAIN login\r\n250 8BITMIME\r\n";
        let r = read(&mut s, Duration::from_secs(1)).await.unwrap();
        assert_eq!(r.code, 250);
        assert!(r.has_capability("pipelining"));
        assert!(
            !r.has_capability("mail.test"),
            "the greeting line is no capability"
        );
        assert_eq!(r.auth_mechanisms(), ["PLAIN", "LOGIN"]);

        let mut http: &[u8] = b"HTTP/1.1 400 Bad Request\r\n";
        assert!(matches!(
            read(&mut http, Duration::from_secs(1)).await,
            Err(ReadError::Garbage(_))
        ));
        let mut gone: &[u8] = b"250-half a reply\r\n";
        assert!(matches!(
            read(&mut gone, Duration::from_secs(1)).await,
            Err(ReadError::Closed)
        ));
    }
}
