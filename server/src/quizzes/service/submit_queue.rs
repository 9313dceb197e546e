//! Group commit for submissions.
//!
//! When a quarter closes, hundreds of people press «Завершить» within the same second.
//! Stored one by one, each submission is its own transaction of some twenty statements
//! through the single writer connection, so the last in line waits for all the others.
//! Here submissions go to one writer task per instance, which stores everything that
//! has queued up since its previous commit in one transaction (a few statements for the
//! whole batch). A lone submission is written at once, as before: batches form only
//! while the writer is busy, so nothing waits for a timer.
//!
//! Exactly-once does not depend on the queue: each attempt is closed by a conditional
//! update, so another replica, a double tap or a retry can never store it twice.

use std::sync::{Arc, OnceLock};

use tokio::sync::{mpsc, oneshot};

use crate::db::Db;
use crate::quizzes::storage::finish::{self, Finish};

/// Submissions stored per transaction at most.
const MAX_BATCH: usize = 512;

struct Job {
    finish: Finish,
    reply: oneshot::Sender<Result<bool, sea_orm::DbErr>>,
}

/// The instance's submission writer (started on first use).
#[derive(Clone, Default)]
pub struct SubmitQueue {
    sender: Arc<OnceLock<mpsc::UnboundedSender<Job>>>,
}

impl SubmitQueue {
    /// Stores a submission; true when this call stored it, false when the attempt was
    /// already submitted.
    pub async fn finish(&self, db: &Db, f: Finish) -> Result<bool, sea_orm::DbErr> {
        let sender = self.sender.get_or_init(|| {
            let (tx, rx) = mpsc::unbounded_channel();
            tokio::spawn(write_batches(db.clone(), rx));
            tx
        });
        let (reply, answer) = oneshot::channel();
        if let Err(mpsc::error::SendError(job)) = sender.send(Job { finish: f, reply }) {
            // The writer is gone (its runtime shut down): store it directly.
            return finish::finish(db, &job.finish).await;
        }
        answer.await.unwrap_or_else(|_| {
            Err(sea_orm::DbErr::Custom(
                "the submission writer stopped".into(),
            ))
        })
    }
}

async fn write_batches(db: Db, mut jobs: mpsc::UnboundedReceiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while jobs.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let (list, replies): (Vec<Finish>, Vec<_>) =
            batch.drain(..).map(|j| (j.finish, j.reply)).unzip();
        match finish::finish_many(&db, &list).await {
            Ok(stored) => {
                for (reply, stored) in replies.into_iter().zip(stored) {
                    // The requester may have gone (client hung up): nothing to tell.
                    let _ = reply.send(Ok(stored));
                }
            }
            Err(err) if list.len() == 1 => {
                let _ = replies.into_iter().next().map(|r| r.send(Err(err)));
            }
            Err(err) => {
                // One bad submission must not fail its neighbours: store each alone.
                tracing::warn!(error = %err, size = list.len(), "batch of submissions failed; storing one by one");
                for (f, reply) in list.iter().zip(replies) {
                    let _ = reply.send(finish::finish(&db, f).await);
                }
            }
        }
    }
}
