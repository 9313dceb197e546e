use poem::web::Data;
use poem_openapi::param::Query;
use poem_openapi::payload::{Binary, Json, PlainText};
use poem_openapi::{ApiResponse, OpenApi};

use super::ReportTags;
use super::models::{
    AuditOut, CoverageOut, OverrideOut, OverrideRequest, ResultsOut, TrendsOut, WeakestOut,
};
use crate::accounts::domain::Principal;
use crate::error::{AppError, AppResult};
use crate::http::auth::Auth;
use crate::reports::domain::{Cell, Sheet, csv_rows};
use crate::reports::service::{
    audit, coverage, export, overrides, people_export, results, weakest,
};
use crate::state::AppState;

pub struct ReportsApi;

#[derive(ApiResponse)]
pub(crate) enum CsvFile {
    /// UTF-8 with a byte-order mark, so Excel opens Cyrillic as it is.
    #[oai(status = 200, content_type = "text/csv; charset=utf-8")]
    Csv(
        Binary<Vec<u8>>,
        #[oai(header = "content-disposition")] String,
    ),
}

#[derive(ApiResponse)]
pub(crate) enum XlsxFile {
    /// An Excel workbook with typed columns (numbers stay numbers).
    #[oai(
        status = 200,
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )]
    Xlsx(
        Binary<Vec<u8>>,
        #[oai(header = "content-disposition")] String,
    ),
}

#[derive(ApiResponse)]
pub enum CsvStream {
    /// UTF-8 with a byte-order mark, streamed a quarter at a time.
    #[oai(status = 200, content_type = "text/csv; charset=utf-8")]
    Csv(
        Binary<poem::Body>,
        #[oai(header = "content-disposition")] String,
    ),
}

#[derive(ApiResponse)]
pub enum SvgImage {
    #[oai(status = 200, content_type = "image/svg+xml")]
    Svg(PlainText<String>),
}

pub(crate) async fn exported(state: &AppState, who: &Principal, what: &str, format: &str) {
    audit::record(
        state,
        Some(who.user_id),
        audit::EXPORTED,
        None,
        format!("{what}.{format}"),
    )
    .await;
}

pub(crate) fn attachment(name: &str) -> String {
    format!("attachment; filename=\"{name}\"")
}

async fn results_sheet(
    state: &AppState,
    who: &Principal,
    quarter: Option<String>,
    by: Option<String>,
    location_id: Option<i32>,
) -> Result<Sheet, AppError> {
    let quarter = results::parse_quarter(quarter.as_deref(), state)?;
    let by = results::parse_group(by.as_deref())?;
    let table = results::table(state, who, quarter, by, location_id).await?;
    Ok(export::results_sheet(&table))
}

async fn weakest_sheet(
    state: &AppState,
    who: &Principal,
    quarter: Option<String>,
    location_id: Option<i32>,
) -> Result<Sheet, AppError> {
    let quarter = results::parse_quarter(quarter.as_deref(), state)?;
    let list = weakest::list(state, who, quarter, location_id, weakest::MIN_ANSWERS).await?;
    let names = results::location_names(state).await?;
    Ok(export::weakest_sheet(&list, |l| {
        l.and_then(|id| names.get(&id).cloned()).unwrap_or_default()
    }))
}

async fn coverage_sheet(state: &AppState, who: &Principal) -> Result<Sheet, AppError> {
    let rows = coverage::by_location(state, who).await?;
    let names = results::location_names(state).await?;
    Ok(export::coverage_sheet(&rows, |l| {
        l.and_then(|id| names.get(&id).cloned())
            .unwrap_or_else(|| "Без кофейни".to_owned())
    }))
}

#[OpenApi(tag = "ReportTags::Reports")]
impl ReportsApi {
    /// Quarterly test results grouped by `by` (comma-separated: quarter, location, level,
    /// track; default `location,track`) for one `quarter` (`2026-Q4`, default the current
    /// one; grouping by quarter covers the last eight). HR, trainers and admins see the
    /// chain; a shop leader their shop; staff only themselves.
    #[oai(path = "/reports/results", method = "get")]
    async fn results(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        quarter: Query<Option<String>>,
        by: Query<Option<String>>,
        location_id: Query<Option<i32>>,
    ) -> AppResult<Json<ResultsOut>> {
        let who = auth.principal();
        let q = results::parse_quarter(quarter.0.as_deref(), &state)?;
        let g = results::parse_group(by.0.as_deref())?;
        let table = results::table(&state, who, q, g, location_id.0).await?;
        Ok(Json(ResultsOut::of(&table)))
    }

    /// The same table as CSV.
    #[oai(path = "/reports/results.csv", method = "get")]
    async fn results_csv(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        quarter: Query<Option<String>>,
        by: Query<Option<String>>,
        location_id: Query<Option<i32>>,
    ) -> AppResult<CsvFile> {
        let who = auth.principal();
        let sheet = results_sheet(&state, who, quarter.0, by.0, location_id.0).await?;
        exported(&state, who, "results", "csv").await;
        Ok(CsvFile::Csv(
            Binary(sheet.to_csv()),
            attachment("results.csv"),
        ))
    }

    /// The same table as XLSX.
    #[oai(path = "/reports/results.xlsx", method = "get")]
    async fn results_xlsx(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        quarter: Query<Option<String>>,
        by: Query<Option<String>>,
        location_id: Query<Option<i32>>,
    ) -> AppResult<XlsxFile> {
        let who = auth.principal();
        let sheet = results_sheet(&state, who, quarter.0, by.0, location_id.0).await?;
        let bytes = sheet.to_xlsx().map_err(AppError::internal)?;
        exported(&state, who, "results", "xlsx").await;
        Ok(XlsxFile::Xlsx(Binary(bytes), attachment("results.xlsx")))
    }

    /// Pass rate per direction, participation and average over the last eight quarters.
    #[oai(path = "/reports/trends", method = "get")]
    async fn trends(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        location_id: Query<Option<i32>>,
    ) -> AppResult<Json<TrendsOut>> {
        let t = results::trends(&state, auth.principal(), location_id.0).await?;
        Ok(Json(TrendsOut::of(&t)))
    }

    /// The trends as an SVG chart.
    #[oai(path = "/reports/trends.svg", method = "get")]
    async fn trends_svg(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        location_id: Query<Option<i32>>,
    ) -> AppResult<SvgImage> {
        let t = results::trends(&state, auth.principal(), location_id.0).await?;
        Ok(SvgImage::Svg(PlainText(results::trends_svg(&t))))
    }

    /// The retraining list: cards ranked by how often their questions are failed (scored
    /// under half) in a quarter, with the questions and the worst locations; cards (and
    /// locations) with fewer than `min_answers` answers (default 5) are left out. Not for
    /// staff.
    #[oai(path = "/reports/weakest", method = "get")]
    async fn weakest(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        quarter: Query<Option<String>>,
        location_id: Query<Option<i32>>,
        min_answers: Query<Option<u64>>,
    ) -> AppResult<Json<WeakestOut>> {
        let q = results::parse_quarter(quarter.0.as_deref(), &state)?;
        let min = min_answers.0.unwrap_or(weakest::MIN_ANSWERS);
        let list = weakest::list(&state, auth.principal(), q, location_id.0, min).await?;
        Ok(Json(WeakestOut::of(&list)))
    }

    /// The retraining list as CSV.
    #[oai(path = "/reports/weakest.csv", method = "get")]
    async fn weakest_csv(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        quarter: Query<Option<String>>,
        location_id: Query<Option<i32>>,
    ) -> AppResult<CsvFile> {
        let who = auth.principal();
        let sheet = weakest_sheet(&state, who, quarter.0, location_id.0).await?;
        exported(&state, who, "weakest", "csv").await;
        Ok(CsvFile::Csv(
            Binary(sheet.to_csv()),
            attachment("weakest.csv"),
        ))
    }

    /// The retraining list as XLSX.
    #[oai(path = "/reports/weakest.xlsx", method = "get")]
    async fn weakest_xlsx(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        quarter: Query<Option<String>>,
        location_id: Query<Option<i32>>,
    ) -> AppResult<XlsxFile> {
        let who = auth.principal();
        let sheet = weakest_sheet(&state, who, quarter.0, location_id.0).await?;
        let bytes = sheet.to_xlsx().map_err(AppError::internal)?;
        exported(&state, who, "weakest", "xlsx").await;
        Ok(XlsxFile::Xlsx(Binary(bytes), attachment("weakest.xlsx")))
    }

    /// Per location: reading-confirmation coverage of mandatory cards (at their latest
    /// significant revision), onboarding in progress and overdue, certificates valid,
    /// expiring within 30 days and lapsed. HR, trainers, admins: every location; a shop
    /// leader: their own; not for staff.
    #[oai(path = "/reports/coverage", method = "get")]
    async fn coverage(
        &self,
        state: Data<&AppState>,
        auth: Auth,
    ) -> AppResult<Json<Vec<CoverageOut>>> {
        let rows = coverage::by_location(&state, auth.principal()).await?;
        let names = results::location_names(&state).await?;
        Ok(Json(
            rows.iter().map(|r| CoverageOut::of(r, &names)).collect(),
        ))
    }

    /// Coverage as CSV.
    #[oai(path = "/reports/coverage.csv", method = "get")]
    async fn coverage_csv(&self, state: Data<&AppState>, auth: Auth) -> AppResult<CsvFile> {
        let who = auth.principal();
        let sheet = coverage_sheet(&state, who).await?;
        exported(&state, who, "coverage", "csv").await;
        Ok(CsvFile::Csv(
            Binary(sheet.to_csv()),
            attachment("coverage.csv"),
        ))
    }

    /// Coverage as XLSX.
    #[oai(path = "/reports/coverage.xlsx", method = "get")]
    async fn coverage_xlsx(&self, state: Data<&AppState>, auth: Auth) -> AppResult<XlsxFile> {
        let who = auth.principal();
        let bytes = coverage_sheet(&state, who)
            .await?
            .to_xlsx()
            .map_err(AppError::internal)?;
        exported(&state, who, "coverage", "xlsx").await;
        Ok(XlsxFile::Xlsx(Binary(bytes), attachment("coverage.xlsx")))
    }

    /// Every person's best result per direction for each of the last `quarters` quarters
    /// (1–8, default 8), in the caller's scope, streamed as CSV a quarter at a time.
    #[oai(path = "/reports/people.csv", method = "get")]
    async fn people_csv(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        quarters: Query<Option<usize>>,
        location_id: Query<Option<i32>>,
    ) -> AppResult<CsvStream> {
        let who = auth.principal();
        let ctx = people_export::context(&state, who, location_id.0).await?;
        let list = results::recent_quarters(&state, quarters.0.unwrap_or(8).clamp(1, 8));
        exported(&state, who, "people", "csv").await;
        let header = {
            let mut h = "\u{feff}".as_bytes().to_vec();
            let cells: Vec<Cell> = people_export::HEADERS.iter().map(|s| (*s).into()).collect();
            h.extend(csv_rows(&[cells]));
            h
        };
        let ctx = std::sync::Arc::new(ctx);
        let state = state.0.clone();
        // Header first, then one chunk per quarter; an error ends the stream early (the
        // status is already sent), and is logged.
        let chunks = futures_util::stream::unfold((0usize, Some(header)), move |(i, header)| {
            let state = state.clone();
            let ctx = ctx.clone();
            let quarter = list.get(i).copied();
            async move {
                if let Some(h) = header {
                    return Some((Ok::<Vec<u8>, std::io::Error>(h), (i, None)));
                }
                let quarter = quarter?;
                match people_export::quarter_rows(&state, &ctx, quarter).await {
                    Ok(rows) => Some((Ok(csv_rows(&rows)), (i + 1, None))),
                    Err(err) => {
                        tracing::error!(error = %err, "people export failed mid-stream");
                        Some((Err(std::io::Error::other(err.detail)), (usize::MAX, None)))
                    }
                }
            }
        });
        Ok(CsvStream::Csv(
            Binary(poem::Body::from_bytes_stream(chunks)),
            attachment("people.csv"),
        ))
    }

    /// The same as XLSX (rows written to disk as they come, so memory stays bounded).
    #[oai(path = "/reports/people.xlsx", method = "get")]
    async fn people_xlsx(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        quarters: Query<Option<usize>>,
        location_id: Query<Option<i32>>,
    ) -> AppResult<XlsxFile> {
        let who = auth.principal();
        let ctx = people_export::context(&state, who, location_id.0).await?;
        let list = results::recent_quarters(&state, quarters.0.unwrap_or(8).clamp(1, 8));
        let mut book = people_export::Book::new().map_err(AppError::internal)?;
        for quarter in list {
            let rows = people_export::quarter_rows(&state, &ctx, quarter).await?;
            book.append(&rows).map_err(AppError::internal)?;
        }
        let bytes = book.finish().map_err(AppError::internal)?;
        exported(&state, who, "people", "xlsx").await;
        Ok(XlsxFile::Xlsx(Binary(bytes), attachment("people.xlsx")))
    }

    /// Override a submitted attempt's result (HR, admin) with a reason: the score stays as
    /// graded; reports, the audit log and the person's history follow.
    #[oai(path = "/attempts/:id/override", method = "post")]
    async fn override_result(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: poem_openapi::param::Path<i32>,
        body: Json<OverrideRequest>,
    ) -> AppResult<Json<OverrideOut>> {
        let row = overrides::set_result(
            &state,
            auth.principal(),
            id.0,
            body.0.passed,
            &body.0.reason,
        )
        .await?;
        Ok(Json(OverrideOut {
            attempt_id: row.id,
            user_id: row.user_id,
            passed: row.passed,
            percent: row.percent,
        }))
    }

    /// The audit log, newest first (administrators): role and level changes, promotions,
    /// interviews, exports. Page with `before` (an id) and `limit` (≤ 500, default 100).
    #[oai(path = "/audit", method = "get")]
    async fn audit(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        before: Query<Option<i32>>,
        limit: Query<Option<u64>>,
    ) -> AppResult<Json<Vec<AuditOut>>> {
        let rows = audit::page(&state, auth.principal(), before.0, limit.0.unwrap_or(100)).await?;
        Ok(Json(rows.iter().map(AuditOut::of).collect()))
    }
}
