//! The printable certificate and HR's lists: onboarding in progress and overdue,
//! promotion candidates, certificates expiring within 30 days, lapsed certificates.

use askama::Template;
use poem::web::{Data, Path};
use poem::{Request, Response, handler};

use super::assignment_view::date;
use super::session::signed_in;
use super::{Layout, PageError, html};
use crate::accounts::domain::Level;
use crate::certification::service::person::{self, candidates, certificates_in_scope};
use crate::certification::storage::{LAPSED, VALID};
use crate::onboarding::api::pending_signoffs;
use crate::onboarding::service::assignments;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "certificate.html")]
struct CertificatePage<'a> {
    layout: Option<&'a Layout>,
    id: i32,
    name: String,
    level: &'static str,
    issued: String,
    until: String,
    valid: bool,
    status_note: Option<String>,
}

#[handler]
pub async fn certificate(
    req: &Request,
    Data(state): Data<&AppState>,
    Path(id): Path<i32>,
) -> Response {
    signed_in(state, req, |page| async move {
        let fail = |e| PageError::new(page.layout("/"), e);
        let (cert, holder) = person::certificate(state, &page.principal, id)
            .await
            .map_err(fail)?;
        let layout = page.layout("/");
        Ok(html(CertificatePage {
            layout: Some(&layout),
            id: cert.id,
            name: holder.name,
            level: cert.level.parse::<Level>().map_or("—", Level::label_ru),
            issued: date(cert.issued_at.date_naive()),
            until: date(cert.valid_until.date_naive()),
            valid: cert.status == VALID,
            status_note: match cert.status.as_str() {
                "valid" => None,
                "lapsed" => Some("Сертификат приостановлен.".to_owned()),
                _ => Some("Сертификат заменён новым.".to_owned()),
            },
        }))
    })
    .await
}

pub struct OnboardingRow {
    pub user_id: i32,
    pub name: String,
    pub program: String,
    pub reason: &'static str,
    pub mentor: Option<String>,
    pub percent: u32,
    pub overdue: usize,
    pub pending: usize,
}

pub struct PersonRow {
    pub user_id: i32,
    pub name: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "hr.html")]
struct HrPage<'a> {
    layout: Option<&'a Layout>,
    onboarding: Vec<OnboardingRow>,
    overdue: usize,
    eligible: Vec<PersonRow>,
    awaiting_interview: Vec<PersonRow>,
    expiring: Vec<PersonRow>,
    lapsed: Vec<PersonRow>,
}

#[handler]
pub async fn hr(req: &Request, Data(state): Data<&AppState>) -> Response {
    signed_in(state, req, |page| async move {
        let who = &page.principal;
        let fail = |e| PageError::new(page.layout("/hr"), e);
        // The four lists are independent: fetched at once.
        let (mut running, candidates_list, expiring_rows, lapsed_rows) = tokio::try_join!(
            assignments::running(state, who),
            candidates(state, who),
            certificates_in_scope(state, who, VALID, Some(30)),
            certificates_in_scope(state, who, LAPSED, None),
        )
        .map_err(fail)?;
        running.sort_by_key(|v| (std::cmp::Reverse(v.progress.overdue), v.row.start_date));
        let onboarding: Vec<OnboardingRow> = running
            .iter()
            .map(|v| OnboardingRow {
                user_id: v.person.id,
                name: v.person.name.clone(),
                program: v.program.title.clone(),
                reason: if v.row.reason == "recertification" {
                    "переаттестация"
                } else {
                    "адаптация"
                },
                mentor: v.mentor.as_ref().map(|m| m.name.clone()),
                percent: v.progress.percent,
                overdue: v.progress.overdue,
                pending: pending_signoffs(v),
            })
            .collect();
        let (ready, waiting): (Vec<_>, Vec<_>) =
            candidates_list.into_iter().partition(|c| c.eligible);
        let to_row = |c: person::Candidate| PersonRow {
            user_id: c.person.id,
            name: c.person.name,
            detail: format!("→ {}", c.next.label_ru()),
        };
        let certs = |rows: Vec<(crate::certification::storage::CertificateRow, _)>,
                     lapsed: bool| {
            rows.into_iter()
                .map(
                    |(c, h): (_, crate::accounts::storage::users::UserRow)| PersonRow {
                        user_id: h.id,
                        name: h.name,
                        detail: if lapsed {
                            format!(
                                "{} — приостановлен {}",
                                c.level.parse::<Level>().map_or("—", Level::label_ru),
                                c.ended_at.map(|d| date(d.date_naive())).unwrap_or_default()
                            )
                        } else {
                            format!(
                                "{} — до {}",
                                c.level.parse::<Level>().map_or("—", Level::label_ru),
                                date(c.valid_until.date_naive())
                            )
                        },
                    },
                )
                .collect::<Vec<_>>()
        };
        let expiring = certs(expiring_rows, false);
        let lapsed = certs(lapsed_rows, true);
        let layout = page.layout("/hr");
        Ok(html(HrPage {
            layout: Some(&layout),
            overdue: onboarding.iter().filter(|r| r.overdue > 0).count(),
            onboarding,
            eligible: ready.into_iter().map(to_row).collect(),
            awaiting_interview: waiting.into_iter().map(to_row).collect(),
            expiring,
            lapsed,
        }))
    })
    .await
}
