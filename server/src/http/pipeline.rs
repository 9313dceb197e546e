//! The middleware every request passes through, outermost first:
//! request id and tracing span, error → response conversion, metrics, security headers.

use std::time::Instant;

use poem::PathPattern;
use poem::http::HeaderValue;
use poem::{Endpoint, IntoResponse, Request, Response};
use tracing::Instrument;

use crate::error::{AppError, FieldError, from_poem_error};
use crate::state::AppState;

pub const REQUEST_ID: &str = "x-request-id";

/// The largest request body accepted. Cards are at most 1 MiB of Markdown; JSON escaping
/// and imports of question banks need some room above that.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// Content-Security-Policy for every page but the API explorer: nothing inline, nothing
/// from elsewhere, no framing.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; \
    object-src 'none'";
/// Swagger UI ships inline script and styles; it gets a looser policy on /docs only.
const DOCS_CSP: &str = "default-src 'self'; script-src 'self' 'unsafe-inline'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

pub async fn around(next: impl Endpoint, req: Request) -> poem::Result<Response> {
    let started = Instant::now();
    let request_id = incoming_request_id(&req).unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let method = metric_method(req.method());
    let path = req.uri().path().to_owned();
    let state = req.data::<AppState>().cloned();
    let span =
        tracing::info_span!("request", request_id = %request_id, method = %method, path = %path);

    async move {
        let is_api = path.starts_with("/api/");
        let outcome = match limit_body(req).await {
            Ok(req) => next.call(req).await,
            Err(err) => Err(err),
        };
        let (mut response, route) = match outcome {
            Ok(response) => {
                let response = response.into_response();
                let route = response.data::<PathPattern>().map(|p| p.0.to_string());
                (response, route)
            }
            Err(err) => {
                let route = err.data::<PathPattern>().map(|p| p.0.to_string());
                let response = if is_api {
                    let mut problem = from_poem_error(&err);
                    name_path_parameter(&mut problem, &err, route.as_deref(), state.as_ref());
                    problem.into_response()
                } else {
                    crate::web::error_page(&err)
                };
                (response, route)
            }
        };
        let status = response.status().as_u16();
        let elapsed = started.elapsed();
        if let Some(state) = &state {
            let route = route
                .as_deref()
                .map_or("unmatched", |r| state.routes.display(r));
            state
                .metrics
                .observe(&method, route, status, elapsed.as_secs_f64());
        }
        if status >= 500 {
            tracing::error!(
                status,
                elapsed_ms = elapsed.as_millis() as u64,
                "request failed"
            );
        } else {
            tracing::info!(status, elapsed_ms = elapsed.as_millis() as u64, "request");
        }
        let headers = response.headers_mut();
        if let Ok(value) = HeaderValue::from_str(&request_id) {
            headers.insert(REQUEST_ID, value);
        }
        let csp = if path == "/docs" || path.starts_with("/docs/") {
            DOCS_CSP
        } else {
            CSP
        };
        headers.insert("content-security-policy", HeaderValue::from_static(csp));
        headers.insert(
            "x-content-type-options",
            HeaderValue::from_static("nosniff"),
        );
        headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
        headers.insert("referrer-policy", HeaderValue::from_static("same-origin"));
        if !headers.contains_key("cache-control") {
            headers.insert("cache-control", HeaderValue::from_static("no-store"));
        }
        Ok(response)
    }
    .instrument(span)
    .await
}

/// Accepts a caller's request id (from a proxy) only when it is short and plain, so it
/// cannot inject anything into logs or headers.
fn incoming_request_id(req: &Request) -> Option<String> {
    let value = req.header(REQUEST_ID)?;
    let plain = value.len() <= 64
        && !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
    plain.then(|| value.to_owned())
}

/// A bad path parameter is reported by poem-openapi under its internal name (`param0`);
/// give the client the documented one.
fn name_path_parameter(
    problem: &mut AppError,
    err: &poem::Error,
    route: Option<&str>,
    state: Option<&AppState>,
) {
    let Some(parse) = err.downcast_ref::<poem_openapi::error::ParsePathError>() else {
        return;
    };
    let name = route
        .zip(state)
        .and_then(|(route, state)| state.routes.param_name(route, parse.name))
        .unwrap_or(parse.name);
    problem.code = "invalid_parameter";
    problem.detail = format!("Path parameter `{name}` is invalid: {}", parse.reason);
    problem.errors = vec![FieldError::field(name, parse.reason.clone())];
}

/// Refuses bodies over [`MAX_BODY_BYTES`] with 413 before any handler reads them: by the
/// declared length when there is one, else by reading at most one byte more than allowed.
async fn limit_body(mut req: Request) -> poem::Result<Request> {
    let too_large = || {
        AppError::new(
            poem::http::StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "The request body is too large.",
        )
    };
    let declared = req
        .header("content-length")
        .map(|v| v.trim().parse::<usize>());
    match declared {
        Some(Ok(length)) if length > MAX_BODY_BYTES => Err(too_large().into()),
        Some(Ok(_)) => Ok(req),
        Some(Err(_)) => {
            Err(AppError::bad_request("bad_request", "Content-Length is not a number.").into())
        }
        None if req.header("transfer-encoding").is_none() => Ok(req),
        None => {
            use tokio::io::AsyncReadExt;
            let mut limited = req
                .take_body()
                .into_async_read()
                .take(MAX_BODY_BYTES as u64 + 1);
            let mut buffer = Vec::new();
            limited.read_to_end(&mut buffer).await.map_err(|e| {
                AppError::bad_request("bad_request", format!("cannot read the body: {e}"))
            })?;
            if buffer.len() > MAX_BODY_BYTES {
                return Err(too_large().into());
            }
            req.set_body(buffer);
            Ok(req)
        }
    }
}

/// A handler panic is a bug: log it and answer 500 without closing the connection.
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    AppError::internal(format!("handler panicked: {message}")).into_response()
}

/// The method as a metric label; anything unusual is folded into `OTHER` so a client
/// cannot create unbounded series.
fn metric_method(method: &poem::http::Method) -> String {
    use poem::http::Method;
    let known = [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
        Method::HEAD,
        Method::OPTIONS,
    ];
    if known.contains(method) {
        method.as_str().to_owned()
    } else {
        "OTHER".to_owned()
    }
}
