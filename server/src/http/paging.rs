//! `page` and `per_page` query parameters, checked the same way everywhere.

use crate::error::{AppError, AppResult, FieldError};

/// The 1-based page and its size, with `default_size` when not given; sizes above `max`
/// or a page 0 are a 422 naming the parameter.
pub fn page_and_size(
    page: Option<u64>,
    per_page: Option<u64>,
    default_size: u64,
    max: u64,
) -> AppResult<(u64, u64)> {
    let page = page.unwrap_or(1);
    let per_page = per_page.unwrap_or(default_size);
    let mut problems = Vec::new();
    if page == 0 {
        problems.push(FieldError::field("page", "страницы нумеруются с 1"));
    }
    if !(1..=max).contains(&per_page) {
        problems.push(FieldError::field("per_page", format!("от 1 до {max}")));
    }
    if problems.is_empty() {
        Ok((page, per_page))
    } else {
        Err(AppError::validation(problems))
    }
}
