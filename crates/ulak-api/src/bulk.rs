//! What a bulk send of any channel shares: every number checked before anything is
//! queued, the same number (in any form) queued once, and each message's idempotency
//! key made from the send's key, the channel and the number (the same key given to an
//! SMS and a WhatsApp send names two different messages).

use std::collections::HashSet;

use ulak_outbox::NewMessage;

/// One message per distinct, non-empty number, built by `build` (which validates and
/// normalises it to E.164); the first error stops everything, so nothing is queued.
pub fn messages<E>(
    to: &[String],
    key: Option<&str>,
    build: impl Fn(&str) -> Result<NewMessage, E>,
) -> Result<Vec<NewMessage>, E> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(to.len());
    for t in to.iter().filter(|t| !t.trim().is_empty()) {
        let m = build(t)?;
        let number = m.recipients[0].clone();
        if !seen.insert(number.clone()) {
            continue;
        }
        out.push(match key {
            Some(k) => NewMessage {
                idempotency_key: format!("{k}:{}:{number}", m.channel.as_str()),
                ..m
            },
            None => m,
        });
    }
    Ok(out)
}
