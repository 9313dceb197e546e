//! JSON API for accounts, one file per aggregate: sign-in, the current user, people,
//! locations. Handlers are thin: parse, call `service`, shape the answer.

mod auth;
mod locations;
mod me;
pub mod models;
mod users;

pub use auth::AuthApi;
pub use locations::LocationsApi;
pub use me::MeApi;
pub use users::UsersApi;

use poem_openapi::Tags;

#[derive(Tags)]
pub enum ApiTags {
    /// Signing in and out
    Auth,
    /// The signed-in person
    Me,
    /// People's accounts (hr, admin; shop leaders read their location)
    Users,
    /// Coffee shops
    Locations,
}
