//! Writes report facts soon after submissions, from the report outbox
//! (`reports/storage/outbox.rs`), off the path of the people submitting.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use crate::db::Db;
use crate::reports::storage::outbox;

/// How long after a submission its facts are written. A quarter's close brings hundreds
/// of submissions within a second; settling once after the burst leaves the writer to
/// them meanwhile. Reports never wait for this: reading facts settles first.
const AFTER_WAKE: Duration = Duration::from_millis(250);

/// Settle at least this often, for entries left by a replica that stopped before it
/// settled them.
const EVERY: Duration = Duration::from_secs(60);

/// This instance's fact writer: woken by submissions.
#[derive(Clone, Default)]
pub struct Reporter {
    wake: Arc<Notify>,
}

impl Reporter {
    /// A submission added to the outbox: settle soon.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Runs the writer: at once (entries a crash left behind), then after every wake-up
    /// and every [`EVERY`].
    pub fn spawn(&self, db: Db) {
        let wake = self.wake.clone();
        tokio::spawn(async move {
            loop {
                if let Err(err) = outbox::settle(&db).await {
                    tracing::warn!(error = %err, "writing report facts failed; retrying later");
                }
                tokio::select! {
                    _ = wake.notified() => tokio::time::sleep(AFTER_WAKE).await,
                    _ = tokio::time::sleep(EVERY) => {}
                }
            }
        });
    }
}
