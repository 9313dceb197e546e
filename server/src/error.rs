//! One application error type and the one place that turns errors into responses.
//!
//! Handlers return [`AppError`] built with the small constructors below. API responses are
//! `application/problem+json` (RFC 9457) with a stable machine `code`; page responses are
//! rendered by `web::error_page`. Internal errors are logged with their cause and shown to
//! the client only as "internal_error", so nothing about the database or code leaks.

use poem::http::StatusCode;
use poem::{IntoResponse, Response};
use poem_openapi::registry::{MetaMediaType, MetaResponse, MetaResponses, Registry};
use poem_openapi::types::{ToJSON, Type};
use poem_openapi::{ApiResponse, Object};

pub const PROBLEM_JSON: &str = "application/problem+json";

/// One problem with one input: a request field, or a file position for content errors.
#[derive(Debug, Clone, PartialEq, Object)]
pub struct FieldError {
    /// The request field at fault (JSON name or query parameter).
    #[oai(skip_serializing_if_is_none)]
    pub field: Option<String>,
    /// The file at fault, relative to its content directory.
    #[oai(skip_serializing_if_is_none)]
    pub file: Option<String>,
    #[oai(skip_serializing_if_is_none)]
    pub line: Option<u32>,
    #[oai(skip_serializing_if_is_none)]
    pub column: Option<u32>,
    pub message: String,
}

impl FieldError {
    pub fn field(field: &str, message: impl Into<String>) -> FieldError {
        FieldError {
            field: Some(field.to_owned()),
            file: None,
            line: None,
            column: None,
            message: message.into(),
        }
    }
}

/// RFC 9457 problem details, as sent to API clients.
#[derive(Debug, Clone, Object)]
pub struct Problem {
    /// `urn:zhmp:problem:<code>`.
    #[oai(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable machine-readable code; see docs/errors.md.
    pub code: String,
    /// Every problem found in the input; left out when there are none.
    #[oai(default, skip_serializing_if_is_empty)]
    pub errors: Vec<FieldError>,
    /// For conflicts: the resource as it is now (e.g. the current card on an edit of an
    /// old revision).
    #[oai(skip_serializing_if_is_none)]
    pub current: Option<serde_json::Value>,
}

#[derive(Debug, thiserror::Error)]
#[error("{code}: {detail}")]
pub struct AppError {
    pub status: StatusCode,
    pub code: &'static str,
    pub detail: String,
    pub errors: Vec<FieldError>,
    pub retry_after_secs: Option<u64>,
    pub current: Option<serde_json::Value>,
}

impl AppError {
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> AppError {
        AppError {
            status,
            code,
            detail: detail.into(),
            errors: Vec::new(),
            retry_after_secs: None,
            current: None,
        }
    }

    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> AppError {
        AppError::new(StatusCode::BAD_REQUEST, code, detail)
    }

    pub fn unauthorized() -> AppError {
        AppError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Sign in first: send a valid bearer token or session cookie.",
        )
    }

    pub fn invalid_credentials() -> AppError {
        AppError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
            "Wrong login or password.",
        )
    }

    pub fn forbidden() -> AppError {
        AppError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Your role does not allow this action.",
        )
    }

    pub fn not_found(what: &str) -> AppError {
        AppError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("No such {what}."),
        )
    }

    pub fn conflict(code: &'static str, detail: impl Into<String>) -> AppError {
        AppError::new(StatusCode::CONFLICT, code, detail)
    }

    /// 422 with every problem found in the input.
    pub fn validation(errors: Vec<FieldError>) -> AppError {
        let mut err = AppError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            "The request has invalid fields; see errors.",
        );
        err.errors = errors;
        err
    }

    pub fn too_many_requests(retry_after_secs: u64) -> AppError {
        let mut err = AppError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            format!("Too many failed attempts; try again in {retry_after_secs} s."),
        );
        err.retry_after_secs = Some(retry_after_secs);
        err
    }

    /// An unexpected failure. The cause is logged here; the client sees only the code.
    pub fn internal(cause: impl std::fmt::Display) -> AppError {
        tracing::error!(error = %cause, "internal error");
        AppError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "Something went wrong on the server; it has been logged.",
        )
    }

    pub fn problem(&self) -> Problem {
        Problem {
            kind: format!("urn:zhmp:problem:{}", self.code),
            title: self.status.canonical_reason().unwrap_or("Error").to_owned(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            code: self.code.to_owned(),
            errors: self.errors.clone(),
            current: self.current.clone(),
        }
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> AppError {
        AppError::internal(format!("database: {err}"))
    }
}

impl poem::error::ResponseError for AppError {
    fn status(&self) -> StatusCode {
        self.status
    }

    fn as_response(&self) -> Response {
        let body = self.problem().to_json_string();
        let mut response = Response::builder()
            .status(self.status)
            .content_type(PROBLEM_JSON)
            .body(body);
        if let Some(secs) = self.retry_after_secs {
            response
                .headers_mut()
                .insert("retry-after", secs.to_string().parse().expect("digits"));
        }
        response
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        poem::error::ResponseError::as_response(&self)
    }
}

/// Statuses every endpoint may answer with a problem; listed in the OpenAPI document.
const DOCUMENTED: &[(u16, &str)] = &[
    (400, "Malformed request"),
    (401, "Not signed in, or the token expired"),
    (403, "The role does not allow this"),
    (404, "No such resource"),
    (409, "Conflicts with the current state"),
    (413, "The request body is too large"),
    (415, "The body is missing or not JSON (`content-type`)"),
    (422, "Invalid fields; see `errors`"),
    (429, "Too many attempts; see `Retry-After`"),
    (500, "Server failure"),
];

impl ApiResponse for AppError {
    fn meta() -> MetaResponses {
        MetaResponses {
            responses: DOCUMENTED
                .iter()
                .map(|&(status, description)| MetaResponse {
                    description,
                    status: Some(status),
                    status_range: None,
                    content: vec![MetaMediaType {
                        content_type: PROBLEM_JSON,
                        schema: Problem::schema_ref(),
                    }],
                    headers: vec![],
                })
                .collect(),
        }
    }

    fn register(registry: &mut Registry) {
        Problem::register(registry);
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// Maps errors raised by poem and poem-openapi themselves (bad JSON, a missing parameter,
/// an unknown route) to the same problem format, with a stable code per kind.
pub fn from_poem_error(err: &poem::Error) -> AppError {
    use poem_openapi::error::{
        AuthorizationError, ContentTypeError, ParseParamError, ParseRequestPayloadError,
    };
    let status = err.status();
    let message = err.to_string();
    if let Some(app) = err.downcast_ref::<AppError>() {
        return AppError {
            status: app.status,
            code: app.code,
            detail: app.detail.clone(),
            errors: app.errors.clone(),
            retry_after_secs: app.retry_after_secs,
            current: app.current.clone(),
        };
    }
    if err.is::<AuthorizationError>() {
        return AppError::unauthorized();
    }
    if let Some(param) = err.downcast_ref::<ParseParamError>() {
        let mut problem = AppError::bad_request("invalid_parameter", message.clone());
        problem.errors = vec![FieldError::field(param.name, param.reason.clone())];
        return problem;
    }
    if let Some(payload) = err.downcast_ref::<ParseRequestPayloadError>() {
        let mut problem = AppError::bad_request("invalid_body", message.clone());
        problem.errors = body_field_errors(&payload.reason);
        return problem;
    }
    if err.is::<ContentTypeError>() {
        return AppError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            message,
        );
    }
    match status {
        StatusCode::NOT_FOUND => AppError::new(status, "not_found", "No such resource."),
        StatusCode::METHOD_NOT_ALLOWED => AppError::new(
            status,
            "method_not_allowed",
            "This method is not allowed here.",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => AppError::new(
            status,
            "payload_too_large",
            "The request body is too large.",
        ),
        s if s.is_server_error() => AppError::internal(message),
        s => AppError::new(s, "bad_request", message),
    }
}

/// poem-openapi explains body errors in prose; pull out the field names it mentions so
/// clients can point at them.
fn body_field_errors(reason: &str) -> Vec<FieldError> {
    // Unknown fields: "properties `a`, `b` are not allowed" style messages.
    let mut fields: Vec<String> = reason
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    if fields.is_empty()
        && let Some(rest) = reason.split("field `").nth(1)
        && let Some(name) = rest.split('`').next()
    {
        fields.push(name.to_owned());
    }
    if fields.is_empty() {
        return vec![FieldError {
            field: None,
            file: None,
            line: None,
            column: None,
            message: reason.to_owned(),
        }];
    }
    fields
        .into_iter()
        .map(|field| FieldError::field(&field, reason))
        .collect()
}
