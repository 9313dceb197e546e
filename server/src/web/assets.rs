//! Static files compiled into the binary, so a deployment is one file.

use poem::http::StatusCode;
use poem::web::Path;
use poem::{IntoResponse, Response, handler};

const APP_CSS: &str = include_str!("../../static/app.css");
/// Progressive enhancement only: every page works without it.
const APP_JS: &str = include_str!("../../static/app.js");

#[handler]
pub fn serve(Path(name): Path<String>) -> Response {
    let (body, content_type) = match name.as_str() {
        "app.css" => (APP_CSS, "text/css; charset=utf-8"),
        "app.js" => (APP_JS, "text/javascript; charset=utf-8"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    Response::builder()
        .content_type(content_type)
        // Names change with content in later versions; an hour keeps phones fast
        // without pinning an old stylesheet or script for long.
        .header("cache-control", "public, max-age=3600")
        .body(body)
}
