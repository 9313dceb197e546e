//! Live cards as read, remembered per instance: a card page or its JSON needs no database
//! round trip and no Markdown parse while the card is unchanged.
//!
//! Freshness follows the search index: every change the index sync applies (a local edit
//! or import at once, another replica's within a poll) evicts those cards here. A reader
//! that missed the cache stores what it read only if nothing was evicted meanwhile, so a
//! read that raced an edit cannot put the old revision back after the eviction.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use crate::cards::domain::Card;
use crate::cards::storage::cards::CardRow;

/// Cards kept at once: every card of a large chain's standards, with room.
const ENTRIES: usize = 2048;

/// A live card: its row, its current revision's Markdown, and that source parsed.
pub struct CachedCard {
    pub row: CardRow,
    pub source: String,
    pub card: Card,
    /// The card's API body (`GET /cards/{id}`), encoded by the first request that needs
    /// it; it changes only with the card, which replaces this entry.
    pub json: OnceLock<bytes::Bytes>,
}

impl CachedCard {
    pub fn new(row: CardRow, source: String, card: Card) -> CachedCard {
        CachedCard {
            row,
            source,
            card,
            json: OnceLock::new(),
        }
    }
}

#[derive(Clone)]
pub struct CardCache {
    inner: Arc<Mutex<lru::LruCache<String, Arc<CachedCard>>>>,
    /// Bumped by every eviction; see `insert_if_unchanged`.
    evictions: Arc<AtomicU64>,
}

impl Default for CardCache {
    fn default() -> CardCache {
        CardCache {
            inner: Arc::new(Mutex::new(lru::LruCache::new(
                NonZeroUsize::new(ENTRIES).expect("non-zero"),
            ))),
            evictions: Arc::new(AtomicU64::new(0)),
        }
    }
}

impl CardCache {
    pub fn get(&self, id: &str) -> Option<Arc<CachedCard>> {
        self.inner.lock().ok()?.get(id).cloned()
    }

    /// The eviction count to pass to `insert_if_unchanged`, taken before reading.
    pub fn generation(&self) -> u64 {
        self.evictions.load(Ordering::SeqCst)
    }

    /// Remembers a card read from the database, unless an eviction happened since
    /// `generation` was taken (the read may predate the change that caused it).
    pub fn insert_if_unchanged(&self, generation: u64, card: Arc<CachedCard>) {
        if let Ok(mut cache) = self.inner.lock()
            && self.evictions.load(Ordering::SeqCst) == generation
        {
            cache.put(card.row.id.clone(), card);
        }
    }

    /// Forgets the given cards (they changed, or were archived).
    pub fn evict<'a>(&self, ids: impl IntoIterator<Item = &'a String>) {
        if let Ok(mut cache) = self.inner.lock() {
            self.evictions.fetch_add(1, Ordering::SeqCst);
            for id in ids {
                cache.pop(id.as_str());
            }
        }
    }

    /// Forgets everything (the index was rebuilt from scratch).
    pub fn clear(&self) {
        if let Ok(mut cache) = self.inner.lock() {
            self.evictions.fetch_add(1, Ordering::SeqCst);
            cache.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cards::domain::parse_card;

    fn decaf(revision: i32) -> Arc<CachedCard> {
        let source = include_str!("../../../../content/coffee/coffee-decaf.md");
        let card = parse_card("coffee-decaf.md", source.as_bytes())
            .card
            .expect("a shipped card parses");
        let now = chrono::Utc::now();
        Arc::new(CachedCard::new(
            CardRow {
                id: "coffee-decaf".into(),
                title: card.front.title.clone(),
                track: "coffee".into(),
                tags: "[]".into(),
                stage: None,
                level: "trainee".into(),
                season: "all".into(),
                mandatory: true,
                revision,
                significant_revision: revision,
                source_path: None,
                file_hash: None,
                archived: false,
                created_at: now,
                updated_at: now,
            },
            source.to_owned(),
            card,
        ))
    }

    #[test]
    fn a_read_that_raced_an_eviction_is_not_kept() {
        let cache = CardCache::default();
        let before = cache.generation();
        cache.insert_if_unchanged(before, decaf(1));
        assert_eq!(cache.get("coffee-decaf").map(|c| c.row.revision), Some(1));

        // A reader starts (generation taken), the card changes and is evicted, then the
        // reader, holding revision 1 read before the change, tries to store it.
        let reader = cache.generation();
        cache.evict([&"coffee-decaf".to_owned()]);
        cache.insert_if_unchanged(reader, decaf(1));
        assert!(
            cache.get("coffee-decaf").is_none(),
            "the stale read was refused"
        );

        // The next reader stores the new revision.
        cache.insert_if_unchanged(cache.generation(), decaf(2));
        assert_eq!(cache.get("coffee-decaf").map(|c| c.row.revision), Some(2));
        cache.clear();
        assert!(cache.get("coffee-decaf").is_none());
    }
}
