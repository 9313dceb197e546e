use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::payload::Json;

use super::CardTags;
use super::authoring::problems;
use super::models::{ContentErrors, ReloadSummary};
use crate::authz::{self, Action};
use crate::cards::service::import;
use crate::error::AppResult;
use crate::http::auth::Auth;
use crate::state::AppState;

pub struct ContentApi;

#[OpenApi(tag = "CardTags::Content")]
impl ContentApi {
    /// Re-read the content directory now (it is also watched, and reloaded on SIGHUP).
    #[oai(path = "/content/reload", method = "post")]
    async fn reload(&self, state: Data<&AppState>, auth: Auth) -> AppResult<Json<ReloadSummary>> {
        authz::require(auth.principal(), Action::ManageContent)?;
        let s = import::import(&state).await?;
        Ok(Json(ReloadSummary {
            files: s.files as u64,
            created: s.created as u64,
            updated: s.updated as u64,
            unchanged: s.unchanged as u64,
            archived: s.archived as u64,
            errors: s.errors as u64,
            warnings: s.warnings as u64,
        }))
    }

    /// Problems found in the content directory at the last import. A file with errors keeps
    /// its card's last good revision.
    #[oai(path = "/content/errors", method = "get")]
    async fn errors(&self, state: Data<&AppState>, auth: Auth) -> AppResult<Json<ContentErrors>> {
        authz::require(auth.principal(), Action::ManageContent)?;
        let status = state.content.read().await.clone();
        Ok(Json(ContentErrors {
            loaded_at: status.loaded_at,
            files: status.files as u64,
            errors: problems(&status.diagnostics),
        }))
    }
}
