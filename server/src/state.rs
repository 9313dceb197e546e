//! Everything a request handler needs, shared across the process.

use std::sync::Arc;

use crate::accounts::hashing::Hasher;
use crate::accounts::rate_limit::LoginLimiter;
use crate::config::Config;
use crate::db::Db;
use crate::http::metrics::Metrics;
use crate::http::routes::RouteNames;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub hasher: Hasher,
    pub limiter: LoginLimiter,
    pub metrics: Metrics,
    pub routes: Arc<RouteNames>,
}

impl AppState {
    pub fn new(db: Db, config: Config) -> AppState {
        AppState {
            db,
            config: Arc::new(config),
            hasher: Hasher::new(),
            limiter: LoginLimiter::default(),
            metrics: Metrics::new(),
            routes: Arc::new(RouteNames::from_spec(
                &crate::http::openapi().spec(),
                crate::http::API_PREFIX,
            )),
        }
    }
}
