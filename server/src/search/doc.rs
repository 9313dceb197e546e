//! What goes into the index and what comes out. The index knows nothing of storage.

/// A card as the index sees it: plain text per section.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchDoc {
    pub id: String,
    pub title: String,
    /// coffee | service | bar
    pub track: String,
    pub tags: Vec<String>,
    pub stage: Option<String>,
    pub situation: String,
    pub steps: Vec<String>,
    pub example: String,
    pub anti_example: String,
    pub explanation: String,
    pub taboo: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchQuery {
    pub q: String,
    pub track: Option<String>,
    pub tag: Option<String>,
    pub stage: Option<String>,
    pub limit: usize,
    pub offset: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub id: String,
    pub title: String,
    pub track: String,
    /// HTML: escaped text with the matched words in `<mark>`.
    pub snippet: String,
    pub score: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<SearchHit>,
    /// The query with typos corrected, when that differs from what was typed.
    pub suggestion: Option<String>,
}
