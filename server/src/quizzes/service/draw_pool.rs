//! The questions attempts are drawn from, shared by the attempts started in the same moment.
//!
//! When a quarter closes, hundreds of people start at once. Reading every drawable question
//! (thousands per direction) and every question's use count for each of them kept requests
//! queued for tens of seconds (the bench's 500 starts timed out waiting for connections). One
//! read now serves every start for [`FRESH`]. A change made on this instance (an import, a
//! question switched off, a GIFT upload, a card edit) clears it at once; one made on another
//! replica shows within [`FRESH`]. Draws made here count as uses at once, so people starting
//! in the same second are still spread over the least used questions.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::Rng;

use crate::db::Db;
use crate::quizzes::domain::campaign::{Candidate, draw};
use crate::quizzes::storage::{attempts, questions};

/// How long one read of the pool serves new attempts.
pub const FRESH: Duration = Duration::from_secs(2);

/// A question that may be drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Drawable {
    pub id: String,
    pub revision: i32,
    pub card_id: String,
    pub track: String,
}

pub struct Snapshot {
    taken: Instant,
    by_track: HashMap<String, Vec<Drawable>>,
    uses: Mutex<HashMap<String, u64>>,
}

impl Snapshot {
    /// Draws `n` of the direction's questions that `admits` lets in (see
    /// [`crate::quizzes::domain::campaign::draw`]) and counts them as used, in one step, so
    /// concurrent starts see each other's draws.
    pub fn draw(
        &self,
        track: &str,
        n: usize,
        admits: impl Fn(&Drawable) -> bool,
        seen: &HashSet<String>,
        rng: &mut impl Rng,
    ) -> Vec<Drawable> {
        let rows: Vec<&Drawable> = self
            .by_track
            .get(track)
            .into_iter()
            .flatten()
            .filter(|q| admits(q))
            .collect();
        let mut uses = self.uses.lock().unwrap_or_else(|e| e.into_inner());
        let candidates: Vec<Candidate> = rows
            .iter()
            .map(|r| Candidate {
                id: r.id.clone(),
                seen: seen.contains(&r.id),
                uses: uses.get(&r.id).copied().unwrap_or(0),
            })
            .collect();
        let picked: Vec<Drawable> = draw(&candidates, n, rng)
            .into_iter()
            .map(|i| rows[i].clone())
            .collect();
        for q in &picked {
            *uses.entry(q.id.clone()).or_default() += 1;
        }
        picked
    }
}

#[derive(Default, Clone)]
pub struct DrawPool {
    slot: Arc<Mutex<Option<Arc<Snapshot>>>>,
    /// One read at a time: the starts that find the pool stale wait for that read.
    refreshing: Arc<tokio::sync::Mutex<()>>,
    /// Bumped by [`clear`](Self::clear): a read begun before a clear is not kept.
    generation: Arc<AtomicU64>,
}

impl DrawPool {
    fn fresh(&self) -> Option<Arc<Snapshot>> {
        let slot = self.slot.lock().unwrap_or_else(|e| e.into_inner());
        slot.as_ref().filter(|s| s.taken.elapsed() < FRESH).cloned()
    }

    pub async fn get(&self, db: &Db) -> Result<Arc<Snapshot>, sea_orm::DbErr> {
        if let Some(snapshot) = self.fresh() {
            return Ok(snapshot);
        }
        let _one_read = self.refreshing.lock().await;
        if let Some(snapshot) = self.fresh() {
            return Ok(snapshot);
        }
        let generation = self.generation.load(Ordering::Acquire);
        let taken = Instant::now();
        let mut by_track: HashMap<String, Vec<Drawable>> = HashMap::new();
        for (id, revision, card_id, track) in questions::drawable_all(db).await? {
            by_track.entry(track.clone()).or_default().push(Drawable {
                id,
                revision,
                card_id,
                track,
            });
        }
        let snapshot = Arc::new(Snapshot {
            taken,
            by_track,
            uses: Mutex::new(attempts::question_uses(db).await?),
        });
        if self.generation.load(Ordering::Acquire) == generation {
            *self.slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(snapshot.clone());
        }
        Ok(snapshot)
    }

    /// Forgets the pool: questions changed on this instance.
    pub fn clear(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        *self.slot.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}
