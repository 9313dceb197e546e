//! Argon2id password hashing, off the async workers.
//!
//! One hash costs ~19 MiB and tens of milliseconds of CPU. Running it on the async
//! executor would stall every other request on that worker, so it runs in
//! `spawn_blocking`, and a semaphore caps how many run at once so a burst of logins
//! cannot exhaust memory. Unknown logins are verified against a dummy hash made with the
//! same parameters, so response time does not reveal which logins exist.
//!
//! The hashes run on a few threads of their own under Linux's `SCHED_IDLE` policy: a
//! flood of wrong passwords from many addresses, which the per-address limit cannot
//! stop, then takes only the CPU that searches and page views leave over. A lower nice
//! value alone was not enough: the scheduler let a hash finish its time slice before a
//! woken request thread ran, adding milliseconds to searches queued behind it, while an
//! idle-policy thread is preempted the moment anything else wants its core. Sign-ins
//! slow down under such a flood; everything else does not (docs/performance.md).

use std::sync::Arc;

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::{OnceCell, Semaphore};

use crate::error::AppError;

/// OWASP's recommended argon2id settings: m = 19 MiB, t = 2, p = 1.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("static argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    dummy: Arc<OnceCell<String>>,
}

impl Default for Hasher {
    fn default() -> Self {
        Hasher::new()
    }
}

impl Hasher {
    pub fn new() -> Hasher {
        let parallel = std::thread::available_parallelism().map_or(2, |n| n.get());
        Hasher {
            permits: Arc::new(Semaphore::new(parallel)),
            dummy: Arc::new(OnceCell::new()),
        }
    }

    pub async fn hash(&self, password: &str) -> Result<String, AppError> {
        let password = password.to_owned();
        self.run(move || hash_blocking(&password)).await
    }

    /// Checks a password against a stored hash; `None` means "no such user" and costs the
    /// same as a real check.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Result<bool, AppError> {
        let (stored, real) = match stored {
            Some(hash) => (hash.to_owned(), true),
            None => (self.dummy_hash().await?, false),
        };
        let password = password.to_owned();
        let matches = self
            .run(move || Ok(verify_blocking(&password, &stored)))
            .await?;
        Ok(real && matches)
    }

    async fn dummy_hash(&self) -> Result<String, AppError> {
        self.dummy
            .get_or_try_init(|| self.hash("zhmp-dummy-password-for-timing"))
            .await
            .cloned()
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let _permit = self.permits.acquire().await.map_err(AppError::internal)?;
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = done.send(work());
        });
        pool().send(job).map_err(AppError::internal)?;
        result.await.map_err(AppError::internal)?
    }
}

type Job = Box<dyn FnOnce() + Send>;

/// The hashing threads, one per core, started on first use.
fn pool() -> &'static std::sync::mpsc::SyncSender<Job> {
    static POOL: std::sync::OnceLock<std::sync::mpsc::SyncSender<Job>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        let (send, receive) = std::sync::mpsc::sync_channel::<Job>(threads * 4);
        let receive = Arc::new(std::sync::Mutex::new(receive));
        for n in 0..threads {
            let receive = receive.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || {
                    lower_priority();
                    loop {
                        let job = match receive.lock() {
                            Ok(queue) => queue.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                })
                .expect("hashing thread");
        }
        send
    })
}

/// `SCHED_IDLE` for the calling thread, or nice 19 where the policy is refused (on
/// Linux, both calls with pid/who 0 apply to the calling thread only). Best effort: where
/// both fail, hashing runs at normal priority.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: both calls take plain values and change only this thread's scheduling.
    unsafe {
        let param = libc::sched_param { sched_priority: 0 };
        if libc::sched_setscheduler(0, libc::SCHED_IDLE, &param) != 0 {
            libc::setpriority(libc::PRIO_PROCESS, 0, 19);
        }
    }
}

fn hash_blocking(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(AppError::internal)
}

fn verify_blocking(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(err) => {
            tracing::error!(error = %err, "stored password hash is unreadable");
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn hashes_run_only_on_otherwise_idle_cpu() {
        // SAFETY: both calls only read this thread's scheduling.
        let (policy, nice) = Hasher::new()
            .run(|| {
                Ok(unsafe {
                    (
                        libc::sched_getscheduler(0),
                        libc::getpriority(libc::PRIO_PROCESS, 0),
                    )
                })
            })
            .await
            .unwrap();
        assert!(
            policy == libc::SCHED_IDLE || nice == 19,
            "policy {policy}, nice {nice}"
        );
    }

    #[tokio::test]
    async fn hash_then_verify() {
        let hasher = Hasher::new();
        let hash = hasher.hash("правильный пароль").await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(
            hasher
                .verify("правильный пароль", Some(&hash))
                .await
                .unwrap()
        );
        assert!(!hasher.verify("неправильный", Some(&hash)).await.unwrap());
        assert!(!hasher.verify("правильный пароль", None).await.unwrap());
    }
}
