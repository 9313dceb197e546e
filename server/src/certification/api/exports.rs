//! HR's lists (onboarding, promotion candidates, certificates) as CSV and XLSX, like every
//! report table.

use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::Query;
use poem_openapi::payload::Binary;

use super::CertificationTags;
use super::career::CertificateList;
use crate::accounts::domain::{Level, Principal};
use crate::certification::service::person::{self, certificates_in_scope};
use crate::certification::storage::{LAPSED, VALID};
use crate::error::{AppError, AppResult};
use crate::http::auth::Auth;
use crate::onboarding::api::pending_signoffs;
use crate::onboarding::service::assignments;
use crate::reports::api::{CsvFile, XlsxFile, attachment, exported};
use crate::reports::domain::Sheet;
use crate::reports::service::results::location_names;
use crate::state::AppState;

pub struct CertificationExportsApi;

fn level_label(level: &str) -> String {
    level
        .parse::<Level>()
        .map_or_else(|_| level.to_owned(), |l| l.label_ru().to_owned())
}

async fn onboarding_sheet(state: &AppState, who: &Principal) -> Result<Sheet, AppError> {
    let mut views = assignments::running(state, who).await?;
    views.sort_by_key(|v| (std::cmp::Reverse(v.progress.overdue), v.row.start_date));
    let names = location_names(state).await?;
    let mut sheet = Sheet::new(
        "Адаптация",
        &[
            "Сотрудник",
            "Кофейня",
            "Программа",
            "Причина",
            "Наставник",
            "Начало",
            "Выполнено, %",
            "Просрочено",
            "Ждут подписи",
        ],
    );
    for v in &views {
        sheet.push(vec![
            v.person.name.clone().into(),
            v.person
                .location_id
                .and_then(|l| names.get(&l).cloned())
                .into(),
            v.program.title.clone().into(),
            if v.row.reason == "recertification" {
                "переаттестация"
            } else {
                "адаптация"
            }
            .into(),
            v.mentor.as_ref().map(|m| m.name.clone()).into(),
            v.row.start_date.to_string().into(),
            v.progress.percent.into(),
            (v.progress.overdue as u64).into(),
            (pending_signoffs(v) as u64).into(),
        ]);
    }
    Ok(sheet)
}

async fn candidates_sheet(state: &AppState, who: &Principal) -> Result<Sheet, AppError> {
    let list = person::candidates(state, who).await?;
    let names = location_names(state).await?;
    let mut sheet = Sheet::new(
        "Кандидаты",
        &[
            "Сотрудник",
            "Кофейня",
            "Уровень",
            "Следующий уровень",
            "Готов",
        ],
    );
    for c in &list {
        sheet.push(vec![
            c.person.name.clone().into(),
            c.person
                .location_id
                .and_then(|l| names.get(&l).cloned())
                .into(),
            level_label(&c.person.level).into(),
            c.next.label_ru().into(),
            if c.eligible {
                "да"
            } else {
                "ждёт собеседования"
            }
            .into(),
        ]);
    }
    Ok(sheet)
}

async fn certificates_sheet(
    state: &AppState,
    who: &Principal,
    list: CertificateList,
) -> Result<Sheet, AppError> {
    let rows = match list {
        CertificateList::Expiring => certificates_in_scope(state, who, VALID, Some(30)).await?,
        CertificateList::Lapsed => certificates_in_scope(state, who, LAPSED, None).await?,
    };
    let names = location_names(state).await?;
    let mut sheet = Sheet::new(
        "Сертификаты",
        &[
            "Сотрудник",
            "Кофейня",
            "Уровень",
            "Выдан",
            "Действует до",
            "Статус",
            "Причина",
        ],
    );
    for (c, h) in &rows {
        sheet.push(vec![
            h.name.clone().into(),
            h.location_id.and_then(|l| names.get(&l).cloned()).into(),
            level_label(&c.level).into(),
            c.issued_at.date_naive().to_string().into(),
            c.valid_until.date_naive().to_string().into(),
            c.status.clone().into(),
            c.end_reason.clone().into(),
        ]);
    }
    Ok(sheet)
}

fn xlsx(sheet: &Sheet) -> Result<Vec<u8>, AppError> {
    sheet.to_xlsx().map_err(AppError::internal)
}

#[OpenApi(tag = "CertificationTags::Certification")]
impl CertificationExportsApi {
    /// Onboarding in progress as CSV.
    #[oai(path = "/reports/onboarding.csv", method = "get")]
    async fn onboarding_csv(&self, state: Data<&AppState>, auth: Auth) -> AppResult<CsvFile> {
        let sheet = onboarding_sheet(&state, auth.principal()).await?;
        exported(&state, auth.principal(), "onboarding", "csv").await;
        Ok(CsvFile::Csv(
            Binary(sheet.to_csv()),
            attachment("onboarding.csv"),
        ))
    }

    /// Onboarding in progress as XLSX.
    #[oai(path = "/reports/onboarding.xlsx", method = "get")]
    async fn onboarding_xlsx(&self, state: Data<&AppState>, auth: Auth) -> AppResult<XlsxFile> {
        let sheet = onboarding_sheet(&state, auth.principal()).await?;
        exported(&state, auth.principal(), "onboarding", "xlsx").await;
        Ok(XlsxFile::Xlsx(
            Binary(xlsx(&sheet)?),
            attachment("onboarding.xlsx"),
        ))
    }

    /// Promotion candidates as CSV.
    #[oai(path = "/reports/promotion-candidates.csv", method = "get")]
    async fn candidates_csv(&self, state: Data<&AppState>, auth: Auth) -> AppResult<CsvFile> {
        let sheet = candidates_sheet(&state, auth.principal()).await?;
        exported(&state, auth.principal(), "promotion-candidates", "csv").await;
        Ok(CsvFile::Csv(
            Binary(sheet.to_csv()),
            attachment("promotion-candidates.csv"),
        ))
    }

    /// Promotion candidates as XLSX.
    #[oai(path = "/reports/promotion-candidates.xlsx", method = "get")]
    async fn candidates_xlsx(&self, state: Data<&AppState>, auth: Auth) -> AppResult<XlsxFile> {
        let sheet = candidates_sheet(&state, auth.principal()).await?;
        exported(&state, auth.principal(), "promotion-candidates", "xlsx").await;
        Ok(XlsxFile::Xlsx(
            Binary(xlsx(&sheet)?),
            attachment("promotion-candidates.xlsx"),
        ))
    }

    /// Certificates expiring or lapsed as CSV.
    #[oai(path = "/reports/certificates.csv", method = "get")]
    async fn certificates_csv(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        list: Query<CertificateList>,
    ) -> AppResult<CsvFile> {
        let sheet = certificates_sheet(&state, auth.principal(), list.0).await?;
        exported(&state, auth.principal(), "certificates", "csv").await;
        Ok(CsvFile::Csv(
            Binary(sheet.to_csv()),
            attachment("certificates.csv"),
        ))
    }

    /// Certificates expiring or lapsed as XLSX.
    #[oai(path = "/reports/certificates.xlsx", method = "get")]
    async fn certificates_xlsx(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        list: Query<CertificateList>,
    ) -> AppResult<XlsxFile> {
        let sheet = certificates_sheet(&state, auth.principal(), list.0).await?;
        exported(&state, auth.principal(), "certificates", "xlsx").await;
        Ok(XlsxFile::Xlsx(
            Binary(xlsx(&sheet)?),
            attachment("certificates.xlsx"),
        ))
    }
}
