//! Per-integration pacing: at most `rate` messages a second through one integration,
//! evenly spaced (a burst of one), shared by every drain round of this process, so a
//! new round does not start a fresh allowance. Two processes sending through the same
//! integration at once (the app and `ulak outbox drain`) each keep their own pace.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, OnceLock};

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

pub type Pacer = Arc<DefaultDirectRateLimiter>;

/// The pacer of integration `id` at `rate` a second; a changed rate gets a new one.
pub fn pacer(id: i64, rate: u32) -> Pacer {
    static PACERS: OnceLock<Mutex<HashMap<i64, (u32, Pacer)>>> = OnceLock::new();
    let mut all = PACERS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    match all.get(&id) {
        Some((r, p)) if *r == rate => p.clone(),
        _ => {
            let per_second = NonZeroU32::new(rate.max(1)).expect("at least one");
            let quota = Quota::per_second(per_second).allow_burst(NonZeroU32::MIN);
            let p = Arc::new(RateLimiter::direct(quota));
            all.insert(id, (rate, p.clone()));
            p
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_integration_shares_its_pacer_until_its_rate_changes() {
        let a = pacer(-1, 5);
        assert!(Arc::ptr_eq(&a, &pacer(-1, 5)));
        assert!(!Arc::ptr_eq(&a, &pacer(-1, 6)));
        assert!(!Arc::ptr_eq(&pacer(-2, 6), &pacer(-1, 6)));
    }

    #[test]
    fn a_pacer_lets_one_through_then_spaces_the_rest() {
        let p = pacer(-3, 2);
        assert!(p.check().is_ok(), "the first goes at once");
        assert!(p.check().is_err(), "the second waits half a second");
    }
}
