use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, OpenApi};

use super::ApiTags;
use super::models::{CreateUserRequest, UpdateUserRequest, User, UserList};
use crate::accounts::service::people::{self, PersonChange, PersonDraft};
use crate::accounts::storage::users::UserFilter;
use crate::error::AppResult;
use crate::http::auth::Auth;
use crate::state::AppState;

pub struct UsersApi;

#[derive(ApiResponse)]
enum Created {
    #[oai(status = 201)]
    User(Json<User>),
}

#[OpenApi(tag = "ApiTags::Users")]
impl UsersApi {
    /// People the caller may see: everyone for hr/admin, their own location for a shop
    /// leader.
    #[oai(path = "/users", method = "get")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        location_id: Query<Option<i32>>,
        role: Query<Option<String>>,
        active: Query<Option<bool>>,
    ) -> AppResult<Json<UserList>> {
        let filter = UserFilter {
            location_id: location_id.0,
            role: role.0,
            active: active.0,
        };
        let rows = people::list(&state, auth.principal(), filter).await?;
        Ok(Json(UserList {
            total: rows.len() as u64,
            items: rows.into_iter().map(User::from).collect(),
        }))
    }

    /// Create an account (hr: any role but admin; admin: any role).
    #[oai(path = "/users", method = "post")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        body: Json<CreateUserRequest>,
    ) -> AppResult<Created> {
        let draft = PersonDraft {
            login: &body.login,
            name: &body.name,
            role: &body.role,
            level: body.level.as_deref(),
            location_id: body.location_id,
            password: &body.password,
        };
        let row = people::create(&state, auth.principal(), draft).await?;
        Ok(Created::User(Json(row.into())))
    }

    #[oai(path = "/users/:id", method = "get")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
    ) -> AppResult<Json<User>> {
        Ok(Json(
            people::get(&state, auth.principal(), id.0).await?.into(),
        ))
    }

    /// Change an account. Deactivating it or setting its password ends its sessions.
    #[oai(path = "/users/:id", method = "patch")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
        body: Json<UpdateUserRequest>,
    ) -> AppResult<Json<User>> {
        let change = PersonChange {
            name: body.name.as_deref(),
            role: body.role.as_deref(),
            level: body.level.as_deref(),
            location_id: match body.location_id {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(id) => Some(Some(id)),
            },
            active: body.active,
            password: body.password.as_deref(),
        };
        Ok(Json(
            people::update(&state, auth.principal(), id.0, change)
                .await?
                .into(),
        ))
    }
}
