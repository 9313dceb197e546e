use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;

use super::CardTags;
use super::models::{CardDetail, CardList, CardSummary, Confirmation, PersonBrief, ReadingStatus};
use crate::accounts::storage::users::UserRow;
use crate::cards::service::reading;
use crate::cards::storage::cards::CardFilter;
use crate::error::AppResult;
use crate::http::auth::Auth;
use crate::http::encoded::Encoded;
use crate::http::paging::page_and_size;
use crate::state::AppState;

pub struct ReadingApi;

fn brief(row: UserRow) -> PersonBrief {
    PersonBrief {
        id: row.id,
        login: row.login,
        name: row.name,
        location_id: row.location_id,
    }
}

#[OpenApi(tag = "CardTags::Cards")]
impl ReadingApi {
    /// Published cards, filtered and paged (ordered by track, then title).
    #[oai(path = "/cards", method = "get")]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        track: Query<Option<String>>,
        tag: Query<Option<String>>,
        stage: Query<Option<String>>,
        level: Query<Option<String>>,
        season: Query<Option<String>>,
        /// 1-based page (default 1).
        page: Query<Option<u64>>,
        /// Items per page, 1–200 (default 50).
        per_page: Query<Option<u64>>,
    ) -> AppResult<Json<CardList>> {
        let (page, per_page) = page_and_size(page.0, per_page.0, 50, 200)?;
        let filter = CardFilter {
            track: track.0,
            tag: tag.0,
            stage: stage.0,
            level: level.0,
            season: season.0,
        };
        let (total, rows) =
            reading::list(&state, auth.principal(), &filter, page, per_page).await?;
        Ok(Json(CardList {
            total,
            items: rows.iter().map(CardSummary::from).collect(),
        }))
    }

    /// One card with its sections rendered to HTML and its Markdown source.
    #[oai(path = "/cards/:id", method = "get")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<String>,
    ) -> AppResult<Encoded<CardDetail>> {
        let cached = reading::get(&state, auth.principal(), &id.0).await?;
        Ok(CardDetail::encoded(&cached))
    }

    /// Confirm having read and understood the card's current revision.
    #[oai(path = "/cards/:id/ack", method = "post")]
    async fn ack(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<String>,
    ) -> AppResult<Json<Confirmation>> {
        let revision = reading::confirm(&state, auth.principal(), &id.0).await?;
        Ok(Json(Confirmation {
            card_id: id.0,
            revision,
        }))
    }

    /// Who has and has not confirmed the card's latest significant revision (hr, admin:
    /// everyone or one location; shop leaders: their location).
    #[oai(path = "/cards/:id/reading", method = "get")]
    async fn reading(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<String>,
        location_id: Query<Option<i32>>,
    ) -> AppResult<Json<ReadingStatus>> {
        let status =
            reading::reading_status(&state, auth.principal(), &id.0, location_id.0).await?;
        Ok(Json(ReadingStatus {
            card_id: status.card.id.clone(),
            revision: status.card.significant_revision,
            confirmed: status.confirmed.into_iter().map(brief).collect(),
            pending: status.pending.into_iter().map(brief).collect(),
        }))
    }

    /// Mandatory cards the signed-in person still has to read and confirm.
    #[oai(path = "/me/to-read", method = "get")]
    async fn to_read(&self, state: Data<&AppState>, auth: Auth) -> AppResult<Json<CardList>> {
        let rows = reading::to_read(&state, auth.principal()).await?;
        Ok(Json(CardList {
            total: rows.len() as u64,
            items: rows.iter().map(CardSummary::from).collect(),
        }))
    }
}
