use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;

use super::models::{ProgramEdit, ProgramOut, ProgramSummary};
use super::{OnboardingTags, card_titles};
use crate::error::AppResult;
use crate::http::auth::Auth;
use crate::onboarding::service::programs::{self, Edit};
use crate::state::AppState;

pub struct ProgramsApi;

#[OpenApi(tag = "OnboardingTags::Programs")]
impl ProgramsApi {
    /// Live programmes, by title.
    #[oai(path = "/programs", method = "get")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: Auth,
    ) -> AppResult<Json<Vec<ProgramSummary>>> {
        let all = programs::list(&state, auth.principal()).await?;
        Ok(Json(all.iter().map(ProgramSummary::of).collect()))
    }

    /// One programme: stages, items and the YAML source.
    #[oai(path = "/programs/:id", method = "get")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<String>,
    ) -> AppResult<Json<ProgramOut>> {
        let stored = programs::get(&state, auth.principal(), &id.0).await?;
        Ok(Json(ProgramOut::of(&stored, &card_titles(&state).await?)))
    }

    /// Save a trainer's edit as a new revision (422 with `file:line:column` problems; 409
    /// `edit_conflict` when someone saved meanwhile). Running assignments keep theirs.
    #[oai(path = "/programs/:id", method = "put")]
    async fn edit(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<String>,
        body: Json<ProgramEdit>,
    ) -> AppResult<Json<ProgramOut>> {
        let stored = programs::edit(
            &state,
            auth.principal(),
            Edit {
                id: &id.0,
                source: &body.0.source,
                base_revision: body.0.base_revision,
            },
        )
        .await?;
        Ok(Json(ProgramOut::of(&stored, &card_titles(&state).await?)))
    }
}
