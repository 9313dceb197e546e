use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};

use super::ApiTags;
use super::models::{LocationBody, LocationList, LocationRequest};
use crate::accounts::service::locations::{self, LocationDraft};
use crate::error::AppResult;
use crate::http::auth::Auth;
use crate::state::AppState;

pub struct LocationsApi;

#[derive(ApiResponse)]
enum Created {
    #[oai(status = 201)]
    Location(Json<LocationBody>),
}

#[derive(ApiResponse)]
enum Deleted {
    #[oai(status = 204)]
    Done,
}

#[OpenApi(tag = "ApiTags::Locations")]
impl LocationsApi {
    /// Every location; any signed-in person may read them.
    #[oai(path = "/locations", method = "get")]
    async fn list(&self, state: Data<&AppState>, auth: Auth) -> AppResult<Json<LocationList>> {
        let rows = locations::list(&state, auth.principal()).await?;
        Ok(Json(LocationList {
            total: rows.len() as u64,
            items: rows.into_iter().map(LocationBody::from).collect(),
        }))
    }

    /// Add a location (hr, admin).
    #[oai(path = "/locations", method = "post")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        body: Json<LocationRequest>,
    ) -> AppResult<Created> {
        let draft = LocationDraft {
            name: &body.name,
            city: &body.city,
        };
        let row = locations::create(&state, auth.principal(), draft).await?;
        Ok(Created::Location(Json(row.into())))
    }

    #[oai(path = "/locations/:id", method = "get")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
    ) -> AppResult<Json<LocationBody>> {
        Ok(Json(
            locations::get(&state, auth.principal(), id.0).await?.into(),
        ))
    }

    /// Rename a location or change its city (hr, admin).
    #[oai(path = "/locations/:id", method = "put")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
        body: Json<LocationRequest>,
    ) -> AppResult<Json<LocationBody>> {
        let draft = LocationDraft {
            name: &body.name,
            city: &body.city,
        };
        Ok(Json(
            locations::update(&state, auth.principal(), id.0, draft)
                .await?
                .into(),
        ))
    }

    /// Delete a location nobody belongs to (hr, admin); 409 `location_in_use` otherwise.
    #[oai(path = "/locations/:id", method = "delete")]
    async fn delete(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
    ) -> AppResult<Deleted> {
        locations::delete(&state, auth.principal(), id.0).await?;
        Ok(Deleted::Done)
    }
}
