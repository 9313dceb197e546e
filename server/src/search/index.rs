//! The index handle: open/create, (re)build, incremental updates, search.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Schema};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, TantivyError, Term};

use super::doc::{SearchDoc, SearchHit, SearchQuery, SearchResults};
use super::query::plan;
use super::schema::{Fields, build_schema, filter_value, register_analyzers, stored_text};
use super::snippet::make_snippet;

/// Default page size when `SearchQuery::limit` is 0.
pub const DEFAULT_LIMIT: usize = 20;
/// Largest page size.
pub const MAX_LIMIT: usize = 100;
/// Indexing memory budget (a single indexing thread keeps doc order deterministic).
/// Near tantivy's minimum (15 MB): the writer lives as long as the server, and a larger
/// arena bought no measurable speed on a 10,000-card rebuild, only resident memory.
const WRITER_MEMORY: usize = 20_000_000;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Tantivy(#[from] TantivyError),
    #[error("search index I/O: {0}")]
    Io(#[from] std::io::Error),
    #[error("search index writer lock poisoned")]
    Poisoned,
    #[error("cannot index a card: {0}")]
    Document(String),
}

/// A Russian full-text index over cards. Cheap to clone; all clones share one index.
#[derive(Clone)]
pub struct SearchIndex {
    inner: Arc<Inner>,
}

struct Inner {
    reader: IndexReader,
    writer: Mutex<IndexWriter<TantivyDocument>>,
    fields: Fields,
    stamp: RwLock<Option<String>>,
    /// Recent results. Staff on many phones search for the same few standards, so repeats
    /// are common. Entries carry the generation they were computed at; a commit bumps the
    /// generation, so an entry from before a change is never served.
    cache: Mutex<lru::LruCache<CacheKey, (u64, Arc<CachedResults>)>>,
    generation: AtomicU64,
}

/// A result page as the cache keeps it: the results, and their API encoding once the
/// first request for them made it (repeats then cost no JSON work at all).
pub struct CachedResults {
    pub results: SearchResults,
    pub encoded: OnceLock<bytes::Bytes>,
}

impl std::ops::Deref for CachedResults {
    type Target = SearchResults;

    fn deref(&self) -> &SearchResults {
        &self.results
    }
}

/// Everything that shapes a result page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct CacheKey {
    q: String,
    track: Option<String>,
    tag: Option<String>,
    stage: Option<String>,
    limit: usize,
    offset: usize,
}

impl CacheKey {
    fn of(query: &SearchQuery) -> CacheKey {
        CacheKey {
            q: query.q.clone(),
            track: query.track.clone(),
            tag: query.tag.clone(),
            stage: query.stage.clone(),
            limit: query.limit,
            offset: query.offset,
        }
    }
}

/// How many distinct result pages the cache keeps.
const CACHE_ENTRIES: usize = 2048;

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("docs", &self.doc_count())
            .field("stamp", &self.stamp())
            .finish()
    }
}

impl SearchIndex {
    /// Opens the index in `dir` (created if missing). An index with another schema (e.g.
    /// from an older version) or a corrupt one is wiped and recreated empty (`stamp()` is
    /// then `None`, so the caller knows to rebuild). Only tantivy's own files in `dir` are
    /// deleted. Fails if another writer holds the directory.
    pub fn open_or_create(dir: &Path) -> Result<SearchIndex, SearchError> {
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = build_schema();
        match Self::try_open(dir, &schema, &fields) {
            Ok(Some(index)) => return Ok(index),
            Ok(None) => {}
            Err(SearchError::Tantivy(e @ TantivyError::LockFailure(..))) => return Err(e.into()),
            Err(e) => {
                tracing::warn!(error = %e, dir = %dir.display(), "search index is unreadable, recreating")
            }
        }
        wipe_index_files(dir)?;
        let index = Index::create_in_dir(dir, schema)?;
        Self::from_index(index, fields)
    }

    fn try_open(
        dir: &Path,
        schema: &Schema,
        fields: &Fields,
    ) -> Result<Option<SearchIndex>, SearchError> {
        if !dir.join("meta.json").exists() {
            return Ok(None);
        }
        let index = Index::open_in_dir(dir)?;
        if index.schema() != *schema {
            tracing::info!(dir = %dir.display(), "search index schema changed, recreating");
            return Ok(None);
        }
        let corrupt = index.validate_checksum()?;
        if !corrupt.is_empty() {
            return Err(std::io::Error::other(format!("corrupt files: {corrupt:?}")).into());
        }
        let opened = Self::from_index(index, fields.clone())?;
        opened.inner.reader.searcher().num_docs();
        Ok(Some(opened))
    }

    /// A fresh index in RAM.
    pub fn in_memory() -> Result<SearchIndex, SearchError> {
        let (schema, fields) = build_schema();
        Self::from_index(Index::create_in_ram(schema), fields)
    }

    fn from_index(index: Index, fields: Fields) -> Result<SearchIndex, SearchError> {
        register_analyzers(&index);
        let writer = index.writer_with_num_threads(1, WRITER_MEMORY)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let stamp = index.load_metas()?.payload;
        Ok(SearchIndex {
            inner: Arc::new(Inner {
                reader,
                writer: Mutex::new(writer),
                fields,
                stamp: RwLock::new(stamp),
                cache: Mutex::new(lru::LruCache::new(
                    std::num::NonZeroUsize::new(CACHE_ENTRIES).expect("non-zero"),
                )),
                generation: AtomicU64::new(0),
            }),
        })
    }

    /// Replaces the whole index with `docs` and records `stamp`.
    pub fn rebuild(&self, docs: Vec<SearchDoc>, stamp: &str) -> Result<(), SearchError> {
        self.rebuild_from(docs.into_iter().map(Ok), stamp)
    }

    /// [`rebuild`](Self::rebuild) from documents made as they are indexed: tantivy's
    /// indexing thread works through one document while the caller makes the next, and
    /// the documents are never all in memory. The first `Err` abandons the rebuild and
    /// leaves the index as it was.
    pub fn rebuild_from(
        &self,
        docs: impl IntoIterator<Item = Result<SearchDoc, String>>,
        stamp: &str,
    ) -> Result<(), SearchError> {
        self.write(stamp, |w, f| {
            w.delete_all_documents()?;
            for d in docs {
                w.add_document(f.to_document(&d.map_err(SearchError::Document)?))?;
            }
            Ok(())
        })
    }

    /// Inserts or replaces `upserts` by id and deletes `deletes`, in one commit; records `stamp`.
    pub fn apply(
        &self,
        upserts: Vec<SearchDoc>,
        deletes: Vec<String>,
        stamp: &str,
    ) -> Result<(), SearchError> {
        self.write(stamp, |w, f| {
            for id in &deletes {
                w.delete_term(Term::from_field_text(f.id, id));
            }
            for d in &upserts {
                w.delete_term(Term::from_field_text(f.id, &d.id));
                w.add_document(f.to_document(d))?;
            }
            Ok(())
        })
    }

    fn write(
        &self,
        stamp: &str,
        ops: impl FnOnce(&mut IndexWriter<TantivyDocument>, &Fields) -> Result<(), SearchError>,
    ) -> Result<(), SearchError> {
        let inner = &*self.inner;
        let mut w = inner.writer.lock().map_err(|_| SearchError::Poisoned)?;
        let result = ops(&mut w, &inner.fields).and_then(|()| {
            let mut commit = w.prepare_commit()?;
            commit.set_payload(stamp);
            commit.commit()?;
            Ok(())
        });
        if let Err(e) = result {
            // Drop the half-done batch so the next write starts clean.
            let _ = w.rollback();
            return Err(e);
        }
        inner.reader.reload()?;
        inner.generation.fetch_add(1, Ordering::AcqRel);
        inner
            .cache
            .lock()
            .map_err(|_| SearchError::Poisoned)?
            .clear();
        *inner.stamp.write().map_err(|_| SearchError::Poisoned)? = Some(stamp.to_string());
        Ok(())
    }

    /// The stamp of the last commit; `None` for a fresh index.
    pub fn stamp(&self) -> Option<String> {
        self.inner.stamp.read().map(|s| s.clone()).unwrap_or(None)
    }

    pub fn doc_count(&self) -> u64 {
        self.inner.reader.searcher().num_docs()
    }

    /// Searches. An empty or whitespace-only `q` returns no hits even with filters given.
    pub fn search(&self, query: &SearchQuery) -> Result<Arc<CachedResults>, SearchError> {
        let key = CacheKey::of(query);
        let generation = self.inner.generation.load(Ordering::Acquire);
        {
            let mut cache = self.inner.cache.lock().map_err(|_| SearchError::Poisoned)?;
            if let Some((at, results)) = cache.get(&key)
                && *at == generation
            {
                return Ok(results.clone());
            }
        }
        let results = Arc::new(CachedResults {
            results: self.search_uncached(query)?,
            encoded: OnceLock::new(),
        });
        let mut cache = self.inner.cache.lock().map_err(|_| SearchError::Poisoned)?;
        cache.put(key, (generation, results.clone()));
        Ok(results)
    }

    /// The search itself, bypassing the cache (benchmarks measure both).
    pub fn search_uncached(&self, query: &SearchQuery) -> Result<SearchResults, SearchError> {
        let empty = SearchResults {
            total: 0,
            hits: Vec::new(),
            suggestion: None,
        };
        let f = &self.inner.fields;
        let searcher = self.inner.reader.searcher();
        let Some(plan) = plan(&searcher, f, &query.q)? else {
            return Ok(empty);
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, plan.query)];
        let filters = [
            (f.track, &query.track),
            (f.tag, &query.tag),
            (f.stage, &query.stage),
        ];
        for (field, value) in filters {
            if let Some(v) = value {
                let term = Term::from_field_text(field, &filter_value(v));
                let tq = TermQuery::new(term, IndexRecordOption::Basic);
                clauses.push((
                    Occur::Must,
                    Box::new(ConstScoreQuery::new(Box::new(tq), 0.0)),
                ));
            }
        }
        let full = BooleanQuery::new(clauses);
        let limit = match query.limit {
            0 => DEFAULT_LIMIT,
            n => n.min(MAX_LIMIT),
        };
        let top = TopDocs::with_limit(limit)
            .and_offset(query.offset)
            .order_by_score();
        let (top, total) = searcher.search(&full, &(top, Count))?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let title = stored_text(&doc, f.exact[0]);
            let sections: Vec<&str> = f.sections.iter().map(|s| stored_text(&doc, *s)).collect();
            hits.push(SearchHit {
                id: stored_text(&doc, f.id).to_string(),
                title: title.to_string(),
                track: stored_text(&doc, f.track).to_string(),
                snippet: make_snippet(&sections, title, &plan.highlight),
                score,
            });
        }
        Ok(SearchResults {
            total,
            hits,
            suggestion: plan.suggestion,
        })
    }
}

/// Deletes tantivy's files (meta, lock files, segment files named by a 32-hex uuid) in `dir`.
fn wipe_index_files(dir: &Path) -> Result<(), SearchError> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if !entry.file_type()?.is_file() {
            continue;
        }
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let stem = name.split('.').next().unwrap_or("");
        let segment_file = stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit());
        if name == "meta.json"
            || name == ".managed.json"
            || name.starts_with(".tantivy")
            || segment_file
        {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod cache_tests {
    use super::*;

    fn doc(id: &str, situation: &str) -> SearchDoc {
        SearchDoc {
            id: id.into(),
            title: "Карточка".into(),
            track: "service".into(),
            tags: vec![],
            stage: None,
            situation: situation.into(),
            steps: vec![],
            example: String::new(),
            anti_example: String::new(),
            explanation: String::new(),
            taboo: vec![],
        }
    }

    #[test]
    fn a_commit_is_never_hidden_by_cached_results() {
        let index = SearchIndex::in_memory().unwrap();
        index
            .rebuild(vec![doc("a", "Гость просит круассан")], "1")
            .unwrap();
        let query = SearchQuery {
            q: "круассан".into(),
            ..Default::default()
        };
        assert_eq!(index.search(&query).unwrap().total, 1);
        assert_eq!(
            index.search(&query).unwrap().total,
            1,
            "served from the cache"
        );
        index
            .apply(vec![doc("b", "Круассан с миндалём")], vec![], "2")
            .unwrap();
        assert_eq!(
            index.search(&query).unwrap().total,
            2,
            "the commit cleared the cache"
        );
        index
            .apply(vec![], vec!["a".into(), "b".into()], "3")
            .unwrap();
        assert_eq!(index.search(&query).unwrap().total, 0);
    }

    #[test]
    fn a_failed_rebuild_leaves_the_index_as_it_was() {
        let index = SearchIndex::in_memory().unwrap();
        index
            .rebuild(vec![doc("a", "Гость просит круассан")], "1")
            .unwrap();
        let docs = vec![
            Ok(doc("b", "Круассан с миндалём")),
            Err("cannot read cards".to_owned()),
            Ok(doc("c", "Ещё круассан")),
        ];
        let err = index.rebuild_from(docs, "2").unwrap_err();
        assert!(err.to_string().contains("cannot read cards"), "{err}");
        assert_eq!(index.stamp().as_deref(), Some("1"));
        let query = SearchQuery {
            q: "круассан".into(),
            ..Default::default()
        };
        let found = index.search(&query).unwrap();
        assert_eq!(found.total, 1);
        assert_eq!(found.hits[0].id, "a");
        // The writer is usable again afterwards.
        index
            .rebuild_from([Ok(doc("b", "Круассан с миндалём"))], "3")
            .unwrap();
        assert_eq!(index.search(&query).unwrap().hits[0].id, "b");
    }
}
