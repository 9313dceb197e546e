//! Liveness, readiness and metrics for operators and orchestrators.

use poem::http::StatusCode;
use poem::web::{Data, Json};
use poem::{IntoResponse, Response, handler};
use serde_json::json;

use crate::state::AppState;

/// The process is up and serving HTTP.
#[handler]
pub fn healthz() -> &'static str {
    "ok"
}

/// Ready to take traffic: the database answers, its schema is current, the content
/// directory has been read and imported (files with errors do not block readiness; they
/// are listed at /api/v1/content/errors), and the search index has been built.
#[handler]
pub async fn readyz(Data(state): Data<&AppState>) -> Response {
    let database = match state.db.ping().await {
        Ok(()) => "ok".to_owned(),
        Err(err) => format!("unreachable: {err}"),
    };
    let migrations = match state.db.pending_migrations().await {
        Ok(0) => "ok".to_owned(),
        Ok(n) => format!("{n} pending"),
        Err(err) => format!("unknown: {err}"),
    };
    let content = match std::fs::read_dir(&state.config.content_dir) {
        Err(err) => format!("{}: {err}", state.config.content_dir.display()),
        Ok(_) if state.content.read().await.loaded_at.is_none() => "not loaded yet".to_owned(),
        Ok(_) => "ok".to_owned(),
    };
    // The index is built (or caught up) after the content is stored: search must answer
    // from the whole corpus before traffic arrives.
    let search = if state.search.stamp().is_some() {
        "ok"
    } else {
        "not built yet"
    }
    .to_owned();
    let ready = [&database, &migrations, &content, &search]
        .iter()
        .all(|c| *c == "ok");
    let body = Json(json!({
        "status": if ready { "ready" } else { "not_ready" },
        "checks": {
            "database": database,
            "migrations": migrations,
            "content": content,
            "search": search,
        },
    }));
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    body.with_status(status).into_response()
}

#[handler]
pub fn metrics(Data(state): Data<&AppState>) -> Response {
    state
        .metrics
        .render()
        .with_content_type("text/plain; version=0.0.4; charset=utf-8")
        .into_response()
}
