use poem::web::{Data, RemoteAddr};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};

use super::ApiTags;
use super::models::{LoginRequest, LoginResponse};
use crate::accounts::service::auth;
use crate::error::AppResult;
use crate::http::auth::Auth;
use crate::state::AppState;

pub struct AuthApi;

#[derive(ApiResponse)]
enum LoggedOut {
    /// The token no longer works.
    #[oai(status = 204)]
    Done,
}

#[OpenApi(tag = "ApiTags::Auth")]
impl AuthApi {
    /// Sign in with login and password; returns a bearer token.
    ///
    /// Failed attempts are limited per login and per client address (429 with
    /// `Retry-After`).
    #[oai(path = "/auth/login", method = "post")]
    async fn login(
        &self,
        state: Data<&AppState>,
        remote: &RemoteAddr,
        body: Json<LoginRequest>,
    ) -> AppResult<Json<LoginResponse>> {
        let address = remote.as_socket_addr().map(|a| a.ip());
        let done = auth::login(&state, &body.login, &body.password, address).await?;
        Ok(Json(LoginResponse {
            token: done.token,
            expires_at: done.expires_at,
            user: done.user.into(),
        }))
    }

    /// Revoke the token (or cookie session) this request was made with.
    #[oai(path = "/auth/logout", method = "post")]
    async fn logout(&self, state: Data<&AppState>, auth: Auth) -> AppResult<LoggedOut> {
        auth::logout(&state, auth.principal()).await?;
        Ok(LoggedOut::Done)
    }
}
