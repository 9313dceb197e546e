//! Russian full-text search over cards (tantivy).
//!
//! - [`analysis`]: tokenizer (lowercase, ё→е), Snowball Russian stems, stop words,
//!   keyboard-layout map, edit distance.
//! - [`schema`]: field groups (title > situation > steps/taboo > the rest) and filters.
//! - [`query`]: per-word tiered clauses (exact > word form > layout > typo) and coordination.
//! - [`snippet`]: highlighted, escaped passages.
//! - [`index`]: [`SearchIndex`], the handle the rest of the server uses.

mod analysis;
pub mod api;
mod doc;
mod index;
mod query;
mod schema;
mod snippet;
#[cfg(test)]
mod tests;
mod words;

pub use doc::{SearchDoc, SearchHit, SearchQuery, SearchResults};
pub use index::{CachedResults, DEFAULT_LIMIT, MAX_LIMIT, SearchError, SearchIndex};
