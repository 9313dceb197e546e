//! JSON API (and CSV/XLSX/SVG) for reports and the audit log.

mod models;
mod reports;

pub use reports::ReportsApi;
pub(crate) use reports::{CsvFile, XlsxFile, attachment, exported};

use poem_openapi::Tags;

#[derive(Tags)]
pub enum ReportTags {
    /// Results by location, level, direction and quarter; trends; the retraining list;
    /// exports; the audit log
    Reports,
}
