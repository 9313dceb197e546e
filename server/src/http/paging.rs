//! `page` and `per_page` query parameters, checked the same way everywhere.

use crate::error::{AppError, AppResult, FieldError};

/// The 1-based page and its size, with `default_size` when not given; sizes above `max`
/// or a page 0 are a 422 naming the parameter, and so is a page so far out that the rows
/// to skip would not fit a database offset (a signed 64-bit number).
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
    } else if skipped_rows(page, per_page).is_none() {
        problems.push(FieldError::field("page", "слишком большой номер страницы"));
    }
    if problems.is_empty() {
        Ok((page, per_page))
    } else {
        Err(AppError::validation(problems))
    }
}

/// Rows before `page` (1-based): `None` when that does not fit an SQL offset.
pub fn skipped_rows(page: u64, per_page: u64) -> Option<u64> {
    page.saturating_sub(1)
        .checked_mul(per_page)
        .filter(|&rows| i64::try_from(rows).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_beyond_any_offset_are_refused_with_the_field() {
        assert_eq!(page_and_size(None, None, 50, 200).unwrap(), (1, 50));
        assert_eq!(skipped_rows(3, 50), Some(100));
        let far = page_and_size(Some(4_490_683_169_690_863_616), Some(50), 50, 200)
            .expect_err("the offset overflows");
        assert_eq!(far.code, "validation_failed");
        assert_eq!(far.errors[0].field.as_deref(), Some("page"));
        let edge = i64::MAX as u64 / 200 + 1;
        assert!(page_and_size(Some(edge), Some(200), 50, 200).is_ok());
        assert!(page_and_size(Some(edge + 1), Some(200), 50, 200).is_err());
    }
}
