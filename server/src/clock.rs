//! The time the server acts on. Onboarding due dates, campaign windows, certificate
//! expiry and lapses all read [`Clock::now`], so a test can move time forward instead of
//! sleeping. In production the offset is always zero.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, NaiveDate, Utc};

#[derive(Clone, Default)]
pub struct Clock {
    /// Milliseconds added to the system time.
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed))
    }

    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }

    /// Moves this clock (and every copy of it) forward by `by`. For tests.
    pub fn advance(&self, by: Duration) {
        self.offset_ms
            .fetch_add(by.num_milliseconds(), Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_every_copy() {
        let clock = Clock::default();
        let copy = clock.clone();
        let before = copy.now();
        clock.advance(Duration::days(40));
        let moved = copy.now() - before;
        assert!(moved >= Duration::days(40) && moved < Duration::days(40) + Duration::seconds(5));
    }
}
