//! Recently computed report aggregates, reused while the data under them is unchanged.
//!
//! Every entry remembers the version of the data it was computed from (for results: the
//! newest fact id, which every submission on any replica advances). A request reads the
//! current version — one indexed `MAX(id)` — and recomputes only when it moved, so a
//! cached figure is never stale, whichever replica wrote the new facts.

use std::sync::{Arc, Mutex};

use lru::LruCache;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{EntityTrait, QuerySelect};

use super::entities::attempt_result;

type Entry = (String, Arc<dyn std::any::Any + Send + Sync>);

#[derive(Clone)]
pub struct ReportCache {
    entries: Arc<Mutex<LruCache<String, Entry>>>,
}

impl Default for ReportCache {
    fn default() -> ReportCache {
        ReportCache {
            entries: Arc::new(Mutex::new(LruCache::new(
                std::num::NonZeroUsize::new(256).expect("non-zero"),
            ))),
        }
    }
}

impl ReportCache {
    /// The value for `key` computed at `version`, or `compute`d now and remembered.
    pub async fn get_or<T, F, Fut, E>(
        &self,
        key: String,
        version: String,
        compute: F,
    ) -> Result<Arc<T>, E>
    where
        T: Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<T, E>>,
    {
        if let Ok(mut entries) = self.entries.lock()
            && let Some((at, value)) = entries.get(&key)
            && *at == version
            && let Ok(value) = value.clone().downcast::<T>()
        {
            return Ok(value);
        }
        let value = Arc::new(compute().await?);
        if let Ok(mut entries) = self.entries.lock() {
            entries.put(key, (version, value.clone()));
        }
        Ok(value)
    }
}

/// The version of the result facts: the newest fact's id (0 when there are none).
pub async fn facts_version(facts: &super::outbox::Settled<'_>) -> Result<String, sea_orm::DbErr> {
    let newest: Option<Option<i32>> = attempt_result::Entity::find()
        .select_only()
        .column_as(Expr::col(attempt_result::Column::Id).max(), "newest")
        .into_tuple()
        .one(facts.db().reader())
        .await?;
    Ok(format!("facts:{}", newest.flatten().unwrap_or(0)))
}
