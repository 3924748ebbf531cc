//! What every HTTP provider (SMS, WhatsApp, and the integrations after them) shares:
//! one kind of client, the failure for a request that did not get through, and the
//! provider's `Retry-After`.

use std::time::Duration;

use ulak_outbox::failure::{Failure, FailureCode, Kind};

/// How long a provider's API may take to answer one request.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The HTTP client a provider talks through (rustls, a time limit, Ulak's name).
pub(crate) fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(TIMEOUT)
        .user_agent(concat!("Ulak/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("a client with rustls")
}

/// A request that did not reach `provider`, or whose answer was lost: tried again later,
/// as e-mail is after a dropped connection. The URL is left out of the words: some
/// providers (Vonage) take credentials in the query string.
pub(crate) fn unreachable(provider: &str, e: reqwest::Error) -> Failure {
    Failure::new(
        Kind::Unreachable,
        FailureCode::Unreachable,
        format!("{provider} could not be reached: {}", e.without_url()),
    )
}

/// An answer that is not a success, read whole: its status, the wait it asked for, and
/// its body (for the provider's error map).
pub(crate) async fn refusal(
    r: reqwest::Response,
) -> (reqwest::StatusCode, Option<Duration>, String) {
    let status = r.status();
    let wait = retry_after(&r);
    (status, wait, r.text().await.unwrap_or_default())
}

/// The wait a provider asked for in seconds (`Retry-After: 2`); an HTTP date is not
/// read, the outbox's own backoff stands in for it.
pub(crate) fn retry_after(r: &reqwest::Response) -> Option<Duration> {
    r.headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
}
