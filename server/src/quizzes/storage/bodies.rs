//! The pinned question revisions of attempts, remembered per instance.
//!
//! Every autosave, submission and review of an attempt needs the bodies of its drawn
//! questions (to check an answer's shape, to grade, to show). An attempt pins each
//! question's revision, and a revision is never changed once written (an edit makes a
//! new one), so a body read once can be kept: no staleness, on any number of replicas.

use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::entities::revision;
use super::questions::Body;
use crate::db::Db;

/// Revisions kept at once: every question of a large chain's banks, several times over.
const ENTRIES: usize = 8192;

/// A question revision: (question id, revision).
type Pinned = (String, i32);

#[derive(Clone)]
pub struct BodyCache {
    inner: Arc<Mutex<lru::LruCache<Pinned, Arc<Body>>>>,
}

impl Default for BodyCache {
    fn default() -> BodyCache {
        BodyCache {
            inner: Arc::new(Mutex::new(lru::LruCache::new(
                NonZeroUsize::new(ENTRIES).expect("non-zero"),
            ))),
        }
    }
}

impl BodyCache {
    /// The bodies of the given (question, revision) pairs; pairs that do not exist (or
    /// whose stored body no longer parses) are missing from the map.
    pub async fn get(
        &self,
        db: &Db,
        pinned: &[(String, i32)],
    ) -> Result<HashMap<(String, i32), Arc<Body>>, sea_orm::DbErr> {
        let mut out = HashMap::with_capacity(pinned.len());
        let mut missing = Vec::new();
        if let Ok(mut cache) = self.inner.lock() {
            for key in pinned {
                match cache.get(key) {
                    Some(body) => {
                        out.insert(key.clone(), body.clone());
                    }
                    None => missing.push(key.clone()),
                }
            }
        } else {
            missing = pinned.to_vec();
        }
        if missing.is_empty() {
            return Ok(out);
        }
        let read = read(db, &missing).await?;
        if let Ok(mut cache) = self.inner.lock() {
            for (key, body) in &read {
                cache.put(key.clone(), body.clone());
            }
        }
        out.extend(read);
        Ok(out)
    }
}

async fn read(
    db: &Db,
    pinned: &[(String, i32)],
) -> Result<HashMap<(String, i32), Arc<Body>>, sea_orm::DbErr> {
    let mut out = HashMap::new();
    for chunk in pinned.chunks(500) {
        let rows = revision::Entity::find()
            .filter(revision::Column::QuestionId.is_in(chunk.iter().map(|p| p.0.clone())))
            .filter(revision::Column::Revision.is_in(chunk.iter().map(|p| p.1)))
            .all(db.reader())
            .await?;
        for r in rows {
            let key = (r.question_id, r.revision);
            if chunk.contains(&key)
                && let Ok(body) = serde_json::from_str::<Body>(&r.body)
            {
                out.insert(key, Arc::new(body));
            }
        }
    }
    Ok(out)
}
