use poem::web::Data;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};

use super::ApiTags;
use super::models::{ChangePasswordRequest, User};
use crate::accounts::service::people;
use crate::authz::{self, Action};
use crate::error::AppResult;
use crate::http::auth::Auth;
use crate::state::AppState;

pub struct MeApi;

#[derive(ApiResponse)]
enum PasswordChanged {
    /// Changed; the person's other sessions have ended.
    #[oai(status = 204)]
    Done,
}

#[OpenApi(tag = "ApiTags::Me")]
impl MeApi {
    /// The signed-in person.
    #[oai(path = "/me", method = "get")]
    async fn me(&self, state: Data<&AppState>, auth: Auth) -> AppResult<Json<User>> {
        let who = auth.principal();
        authz::require(who, Action::OwnProfile)?;
        Ok(Json(people::get(&state, who, who.user_id).await?.into()))
    }

    /// Change one's own password (the current one is required).
    #[oai(path = "/me/password", method = "put")]
    async fn change_password(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        body: Json<ChangePasswordRequest>,
    ) -> AppResult<PasswordChanged> {
        people::change_own_password(
            &state,
            auth.principal(),
            &body.current_password,
            &body.new_password,
        )
        .await?;
        Ok(PasswordChanged::Done)
    }
}
