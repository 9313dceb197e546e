//! `GET /api/v1/search`: the most used action on the phones.

use poem::web::Data;
use poem_openapi::param::Query;
use poem_openapi::{Object, OpenApi, Tags};

use super::{SearchQuery, SearchResults};
use crate::authz::{self, Action};
use crate::error::{AppError, AppResult, FieldError};
use crate::http::auth::Auth;
use crate::http::encoded::Encoded;
use crate::state::AppState;

pub struct SearchApi;

#[derive(Tags)]
enum SearchTags {
    /// Full-text search over cards, in Russian, with word forms and typos
    Search,
}

#[derive(Debug, Object)]
pub struct Hit {
    pub id: String,
    pub title: String,
    pub track: String,
    /// HTML: escaped card text with the matched words in `<mark>`.
    pub snippet: String,
    pub score: f32,
}

#[derive(Debug, Object)]
pub struct SearchAnswer {
    pub total: u64,
    pub hits: Vec<Hit>,
    /// The query with typos corrected, or null.
    #[oai(nullable)]
    pub suggestion: Option<String>,
}

#[OpenApi(tag = "SearchTags::Search")]
impl SearchApi {
    /// Search cards. Any signed-in person may search.
    #[oai(path = "/search", method = "get")]
    #[allow(clippy::too_many_arguments)]
    async fn search(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        q: Query<String>,
        track: Query<Option<String>>,
        tag: Query<Option<String>>,
        stage: Query<Option<String>>,
        /// 1–100, default 20.
        limit: Query<Option<u32>>,
        offset: Query<Option<u32>>,
    ) -> AppResult<Encoded<SearchAnswer>> {
        authz::require(auth.principal(), Action::ReadContent)?;
        let limit = limit.0.unwrap_or(20);
        if !(1..=100).contains(&limit) {
            return Err(AppError::validation(vec![FieldError::field(
                "limit",
                "от 1 до 100",
            )]));
        }
        if q.0.chars().count() > 200 {
            return Err(AppError::validation(vec![FieldError::field(
                "q",
                "не длиннее 200 символов",
            )]));
        }
        let query = SearchQuery {
            q: q.0,
            track: track.0,
            tag: tag.0,
            stage: stage.0,
            limit: limit as usize,
            offset: offset.0.unwrap_or(0) as usize,
        };
        let page = state.search.search(&query).map_err(AppError::internal)?;
        Ok(Encoded::kept(&page.encoded, || {
            SearchAnswer::of(&page.results)
        }))
    }
}

impl SearchAnswer {
    fn of(results: &SearchResults) -> SearchAnswer {
        SearchAnswer {
            total: results.total as u64,
            hits: results
                .hits
                .iter()
                .map(|h| Hit {
                    id: h.id.clone(),
                    title: h.title.clone(),
                    track: h.track.clone(),
                    snippet: h.snippet.clone(),
                    score: h.score,
                })
                .collect(),
            suggestion: results.suggestion.clone(),
        }
    }
}
