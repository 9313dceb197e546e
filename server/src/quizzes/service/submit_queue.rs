//! Group commit for submissions.
//!
//! When a quarter closes, hundreds of people press «Завершить» within the same second.
//! Stored one by one, each submission costs a few reads and some twenty statements
//! through the single writer connection, so the last in line waits for all the others.
//! Here submissions go to one writer task per instance, which takes everything that has
//! queued up since its previous batch and submits it together (`submit::submit_batch`: a
//! few queries to read, one transaction of a few statements to store). A lone submission
//! is handled at once: batches form only while the writer is busy, so nothing waits for
//! a timer.
//!
//! Exactly-once does not depend on the queue: each attempt is closed by a conditional
//! update, so another replica, a double tap or a retry can never store it twice.

use std::sync::{Arc, OnceLock};

use tokio::sync::{mpsc, oneshot};

use super::attempts::Loaded;
use super::submit::{self, Request};
use crate::error::AppError;
use crate::state::AppState;

/// Submissions handled per batch at most.
const MAX_BATCH: usize = 512;

type Reply = oneshot::Sender<Result<Loaded, AppError>>;

/// The instance's submission writer (started on first use).
#[derive(Clone, Default)]
pub struct SubmitQueue {
    sender: Arc<OnceLock<mpsc::UnboundedSender<(Request, Reply)>>>,
}

impl SubmitQueue {
    pub async fn submit(&self, state: &AppState, request: Request) -> Result<Loaded, AppError> {
        let sender = self.sender.get_or_init(|| {
            let (tx, rx) = mpsc::unbounded_channel();
            tokio::spawn(write_batches(state.clone(), rx));
            tx
        });
        let (reply, answer) = oneshot::channel();
        if sender.send((request, reply)).is_err() {
            // The writer is gone (its runtime shut down): submit directly.
            return alone(state, request).await;
        }
        answer
            .await
            .unwrap_or_else(|_| Err(AppError::internal("the submission writer stopped")))
    }
}

async fn write_batches(state: AppState, mut queue: mpsc::UnboundedReceiver<(Request, Reply)>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let (requests, replies): (Vec<Request>, Vec<Reply>) = batch.drain(..).unzip();
        let started = std::time::Instant::now();
        let result = submit::submit_batch(&state, &requests).await;
        tracing::debug!(size = requests.len(), elapsed = ?started.elapsed(), "submission batch");
        match result {
            Ok(answers) => {
                for (reply, answer) in replies.into_iter().zip(answers) {
                    // The requester may have gone (client hung up): nothing to tell.
                    let _ = reply.send(answer);
                }
            }
            Err(err) => {
                // Nothing was stored. One bad submission must not fail its neighbours:
                // handle each alone, so each gets its own answer.
                tracing::warn!(error = %err.detail, size = requests.len(), "batch of submissions failed; retrying one by one");
                for (request, reply) in requests.into_iter().zip(replies) {
                    let _ = reply.send(alone(&state, request).await);
                }
            }
        }
    }
}

async fn alone(state: &AppState, request: Request) -> Result<Loaded, AppError> {
    submit::submit_batch(state, &[request])
        .await?
        .pop()
        .unwrap_or_else(|| Err(AppError::not_found("attempt")))
}
