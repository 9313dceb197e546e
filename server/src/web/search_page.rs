//! `/search`: the server-rendered results behind the search box on every page (the box
//! also shows results as one types, via the JSON API, when JavaScript runs).

use askama::Template;
use poem::web::{Data, Query};
use poem::{Request, Response, handler};
use serde::Deserialize;

use super::card_view::{encode, track_label};
use super::session::signed_in;
use super::{Layout, PageError, html};
use crate::authz::{self, Action};
use crate::error::AppError;
use crate::search::SearchQuery;
use crate::state::AppState;

const PER_PAGE: usize = 20;
/// The API refuses longer queries; the page quietly cuts them.
const MAX_QUERY_CHARS: usize = 200;

pub struct HitLine {
    pub id: String,
    pub title: String,
    pub track: &'static str,
    /// Escaped card text with `<mark>` around matched words (from the search index).
    pub snippet: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage<'a> {
    layout: Option<&'a Layout>,
    q: String,
    total: usize,
    hits: Vec<HitLine>,
    suggestion: Option<(String, String)>,
    page: usize,
    pages: usize,
    prev_href: Option<String>,
    next_href: Option<String>,
}

#[derive(Deserialize)]
pub struct SearchParams {
    q: Option<String>,
    page: Option<String>,
}

fn href(q: &str, page: usize) -> String {
    if page > 1 {
        format!("/search?q={}&page={page}", encode(q))
    } else {
        format!("/search?q={}", encode(q))
    }
}

#[handler]
pub async fn search(
    req: &Request,
    Data(state): Data<&AppState>,
    Query(params): Query<SearchParams>,
) -> Response {
    signed_in(state, req, |page| async move {
        let fail = |e| PageError::new(page.layout(""), e);
        authz::require(&page.principal, Action::ReadContent).map_err(fail)?;
        let q: String = params
            .q
            .unwrap_or_default()
            .trim()
            .chars()
            .take(MAX_QUERY_CHARS)
            .collect();
        let wanted = params
            .page
            .and_then(|p| p.parse::<usize>().ok())
            .unwrap_or(1)
            .clamp(1, 1000);
        let results = if q.is_empty() {
            None
        } else {
            let query = SearchQuery {
                q: q.clone(),
                limit: PER_PAGE,
                offset: (wanted - 1) * PER_PAGE,
                ..Default::default()
            };
            Some(
                state
                    .search
                    .search(&query)
                    .map_err(|e| fail(AppError::internal(e)))?,
            )
        };
        let (total, hits, suggestion) = match results {
            Some(r) => (r.total, r.hits.clone(), r.suggestion.clone()),
            None => (0, Vec::new(), None),
        };
        let pages = total.div_ceil(PER_PAGE).max(1);
        let mut layout = page.layout("");
        layout.search_q = q.clone();
        Ok(html(SearchPage {
            layout: Some(&layout),
            total,
            hits: hits
                .into_iter()
                .map(|h| HitLine {
                    track: track_label(&h.track),
                    id: h.id,
                    title: h.title,
                    snippet: h.snippet,
                })
                .collect(),
            suggestion: suggestion.map(|s| (href(&s, 1), s)),
            page: wanted,
            pages,
            prev_href: (wanted > 1).then(|| href(&q, wanted - 1)),
            next_href: (wanted < pages).then(|| href(&q, wanted + 1)),
            q,
        }))
    })
    .await
}
