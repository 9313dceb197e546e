use std::collections::HashMap;

use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;

use super::QuizTags;
use super::campaign_models::{AnswerIo, AttemptOut, ReviewOut, SavedAnswer};
use crate::error::AppResult;
use crate::http::auth::Auth;
use crate::quizzes::service::attempts;
use crate::quizzes::storage::questions;
use crate::state::AppState;

pub struct AttemptsApi;

#[OpenApi(tag = "QuizTags::Attempts")]
impl AttemptsApi {
    /// Start an attempt, or get the one in progress (a reload or another phone resumes
    /// it). Questions are drawn per direction; answers never leave the server.
    #[oai(path = "/campaigns/:id/attempts", method = "post")]
    async fn start(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
    ) -> AppResult<Json<AttemptOut>> {
        let loaded = attempts::start(&state, auth.principal(), id.0).await?;
        Ok(Json(AttemptOut::of(&loaded)))
    }

    /// One's own attempt with the answers saved so far (404 for anyone else's).
    #[oai(path = "/attempts/:id", method = "get")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
    ) -> AppResult<Json<AttemptOut>> {
        let loaded = attempts::load(&state, auth.principal(), id.0).await?;
        Ok(Json(AttemptOut::of(&loaded)))
    }

    /// Save one answer (autosave). 409 `attempt_closed` after submission or the deadline.
    #[oai(path = "/attempts/:id/answers/:question_id", method = "put")]
    async fn answer(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
        question_id: Path<String>,
        answer: Json<AnswerIo>,
    ) -> AppResult<Json<SavedAnswer>> {
        let saved_at = attempts::save_answer(
            &state,
            auth.principal(),
            id.0,
            &question_id.0,
            &answer.0.to_domain(),
        )
        .await?;
        Ok(Json(SavedAnswer {
            question_id: question_id.0,
            saved_at,
        }))
    }

    /// Submit for grading. Submitting again returns the stored result unchanged. 409
    /// `attempt_busy` if answers kept being saved while it was stored (submit again).
    #[oai(path = "/attempts/:id/submit", method = "post")]
    async fn submit(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
    ) -> AppResult<Json<AttemptOut>> {
        let loaded = attempts::submit(&state, auth.principal(), id.0).await?;
        Ok(Json(AttemptOut::of(&loaded)))
    }

    /// After submission: each question, the answer given, the right one, the explanation
    /// and the card to re-read. 409 `attempt_open` before.
    #[oai(path = "/attempts/:id/review", method = "get")]
    async fn review(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
    ) -> AppResult<Json<ReviewOut>> {
        let loaded = attempts::review(&state, auth.principal(), id.0).await?;
        let ids: Vec<String> = loaded
            .items
            .iter()
            .map(|(i, _)| i.question_id.clone())
            .collect();
        let cards: HashMap<String, String> = questions::rows_of(&state.db, &ids)
            .await?
            .into_iter()
            .map(|(id, row)| (id, row.card_id))
            .collect();
        Ok(Json(ReviewOut::of(&loaded, &cards)))
    }
}
