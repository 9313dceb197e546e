//! HTTP assembly: the route table, the OpenAPI service and the shared middleware.

pub mod auth;
pub mod encoded;
pub mod health;
pub mod metrics;
pub mod nullable;
pub mod paging;
pub mod pipeline;
pub mod routes;

use poem::middleware::{AddData, CatchPanic, CookieJarManager};
use poem::{Endpoint, EndpointExt, Route, get};
use poem_openapi::OpenApiService;

use crate::accounts::api::{AuthApi, LocationsApi, MeApi, UsersApi};
use crate::cards::api::{AuthoringApi, ContentApi, ReadingApi};
use crate::certification::api::{CertificationApi, CertificationExportsApi};
use crate::onboarding::api::{AssignmentsApi, ProgramsApi};
use crate::quizzes::api::{AttemptsApi, CampaignsApi, QuestionsApi};
use crate::reports::api::ReportsApi;
use crate::search::api::SearchApi;
use crate::state::AppState;

pub type Api = (
    (AuthApi, MeApi, UsersApi, LocationsApi),
    (ReadingApi, AuthoringApi, ContentApi, SearchApi),
    (QuestionsApi, CampaignsApi, AttemptsApi),
    (ProgramsApi, AssignmentsApi, CertificationApi, ReportsApi),
    CertificationExportsApi,
);

/// Where the API is served.
pub const API_PREFIX: &str = "/api/v1";

pub fn openapi() -> OpenApiService<Api, ()> {
    OpenApiService::new(
        (
            (AuthApi, MeApi, UsersApi, LocationsApi),
            (ReadingApi, AuthoringApi, ContentApi, SearchApi),
            (QuestionsApi, CampaignsApi, AttemptsApi),
            (ProgramsApi, AssignmentsApi, CertificationApi, ReportsApi),
            CertificationExportsApi,
        ),
        "zhmp",
        env!("CARGO_PKG_VERSION"),
    )
    .description("Staff standards (ЖМП cards), quarterly tests, onboarding and certification for coffee chains.")
    .server(API_PREFIX)
}

/// The whole application as one poem endpoint.
pub fn app(state: AppState) -> impl Endpoint {
    let api = openapi();
    let spec = api.spec_endpoint();
    let docs = api.swagger_ui();
    Route::new()
        .nest(API_PREFIX, api)
        .at("/openapi.json", spec)
        .nest("/docs", docs)
        .at("/healthz", get(health::healthz))
        .at("/readyz", get(health::readyz))
        .at("/metrics", get(health::metrics))
        .at("/static/:name", get(crate::web::assets::serve))
        .nest("/", crate::web::routes())
        .with(CookieJarManager::new())
        .with(CatchPanic::new().with_handler(pipeline::panic_response))
        .around(pipeline::around)
        .with(AddData::new(state))
}
