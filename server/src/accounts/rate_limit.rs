//! Rate limiting of failed logins, per login and per client address.
//!
//! The GCRA arithmetic comes from `governor`. Governor answers "may this cell be spent?"
//! and spends it, but a login must be refused *before* its password is checked, and only
//! failures should count. So each failure spends a cell; when one is refused, the key is
//! marked blocked until governor says a cell is free again, and attempts are checked
//! against that mark first. Limits are per process: with several replicas an attacker
//! gets the budget once per replica, which still bounds guessing.

use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Failures a login may have in a burst, then one more per `LOGIN_PERIOD`.
const LOGIN_BURST: u32 = 5;
const LOGIN_PERIOD: Duration = Duration::from_secs(60);
/// One shop's tablet is shared by many people, so an address gets a larger budget.
const ADDRESS_BURST: u32 = 20;
const ADDRESS_PERIOD: Duration = Duration::from_secs(15);

struct Limiter<K: Hash + Eq + Clone> {
    gcra: DefaultKeyedRateLimiter<K>,
    blocked: Mutex<std::collections::HashMap<K, Instant>>,
}

impl<K: Hash + Eq + Clone> Limiter<K> {
    fn new(burst: u32, period: Duration) -> Self {
        let quota = Quota::with_period(period)
            .expect("non-zero period")
            .allow_burst(NonZeroU32::new(burst).expect("non-zero burst"));
        Limiter {
            gcra: RateLimiter::keyed(quota),
            blocked: Mutex::new(Default::default()),
        }
    }

    fn blocked_for(&self, key: &K) -> Option<Duration> {
        let mut blocked = self.blocked.lock().expect("rate limit lock");
        let until = *blocked.get(key)?;
        let now = Instant::now();
        if until > now {
            Some(until - now)
        } else {
            blocked.remove(key);
            None
        }
    }

    fn record_failure(&self, key: &K) {
        if let Err(not_until) = self.gcra.check_key(key) {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            let mut blocked = self.blocked.lock().expect("rate limit lock");
            blocked.insert(key.clone(), Instant::now() + wait);
        }
    }

    fn forget_idle(&self) {
        self.gcra.retain_recent();
        let now = Instant::now();
        self.blocked
            .lock()
            .expect("rate limit lock")
            .retain(|_, until| *until > now);
    }
}

/// How long a refused attempt waits before its 429 goes out, and how many may wait at
/// once. A password-guessing bot retries the moment it is answered; answered at once, a
/// refusal is cheap for the bot and an HTTP round trip of CPU for the server, which a
/// tight loop turns into thousands per second taken from everyone else. Held for a
/// second, each of the bot's connections costs one request per second. Past
/// `MAX_HELD` waiting refusals, further ones are answered at once, so a bot with
/// very many connections cannot make the server hold unbounded state.
const REFUSAL_DELAY: Duration = Duration::from_secs(1);
const MAX_HELD: usize = 1024;

#[derive(Clone)]
pub struct LoginLimiter {
    by_login: Arc<Limiter<String>>,
    by_address: Arc<Limiter<IpAddr>>,
    held: Arc<tokio::sync::Semaphore>,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        LoginLimiter {
            by_login: Arc::new(Limiter::new(LOGIN_BURST, LOGIN_PERIOD)),
            by_address: Arc::new(Limiter::new(ADDRESS_BURST, ADDRESS_PERIOD)),
            held: Arc::new(tokio::sync::Semaphore::new(MAX_HELD)),
        }
    }
}

impl LoginLimiter {
    /// `Some(seconds)` when this attempt must be refused, and for how long.
    pub fn check(&self, login: &str, address: Option<IpAddr>) -> Option<u64> {
        let by_login = self.by_login.blocked_for(&login.to_lowercase());
        let by_address = address.and_then(|a| self.by_address.blocked_for(&a));
        by_login
            .max(by_address)
            .map(|wait| wait.as_secs_f64().ceil().max(1.0) as u64)
    }

    /// Waits before a refusal is answered (see `REFUSAL_DELAY`); returns at once when
    /// `MAX_HELD` refusals are already waiting.
    pub async fn hold_refusal(&self) {
        if let Ok(_permit) = self.held.try_acquire() {
            tokio::time::sleep(REFUSAL_DELAY).await;
        }
    }

    pub fn record_failure(&self, login: &str, address: Option<IpAddr>) {
        self.by_login.record_failure(&login.to_lowercase());
        if let Some(address) = address {
            self.by_address.record_failure(&address);
        }
    }

    /// Drops state for keys that have been quiet; called periodically so memory stays
    /// bounded however many logins an attacker invents.
    pub fn forget_idle(&self) {
        self.by_login.forget_idle();
        self.by_address.forget_idle();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_is_blocked_after_burst_of_failures() {
        let limiter = LoginLimiter::default();
        for _ in 0..LOGIN_BURST {
            assert_eq!(limiter.check("anna", None), None);
            limiter.record_failure("anna", None);
        }
        assert_eq!(limiter.check("anna", None), None, "burst itself is allowed");
        limiter.record_failure("anna", None);
        let wait = limiter
            .check("ANNA", None)
            .expect("blocked, case-insensitively");
        assert!((1..=60).contains(&wait), "{wait}");
        assert_eq!(
            limiter.check("boris", None),
            None,
            "other logins unaffected"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn refusals_wait_a_second_unless_too_many_are_waiting() {
        let limiter = LoginLimiter::default();
        let started = tokio::time::Instant::now();
        limiter.hold_refusal().await;
        assert_eq!(started.elapsed(), REFUSAL_DELAY);
        assert_eq!(
            limiter.held.available_permits(),
            MAX_HELD,
            "place given back"
        );

        // Every place taken (as by MAX_HELD refusals waiting): answered at once.
        let taken = limiter.held.try_acquire_many(MAX_HELD as u32).unwrap();
        let started = tokio::time::Instant::now();
        limiter.hold_refusal().await;
        assert_eq!(started.elapsed(), Duration::ZERO, "over the cap");
        drop(taken);
    }

    #[test]
    fn address_is_blocked_across_logins() {
        let limiter = LoginLimiter::default();
        let address: IpAddr = "10.0.0.7".parse().unwrap();
        for n in 0..=ADDRESS_BURST {
            limiter.record_failure(&format!("user{n}"), Some(address));
        }
        assert!(limiter.check("someone-new", Some(address)).is_some());
        assert!(limiter.check("someone-new", None).is_none());
    }
}
