//! The dashboard: results by location (or by level within a location), the trend chart,
//! the retraining list, drill-down to a location's people, and exports.

use askama::Template;
use poem::web::{Data, Query};
use poem::{Request, Response, handler};

use super::session::signed_in;
use super::{Layout, PageError, html};
use crate::accounts::domain::Level;
use crate::cards::domain::Track;
use crate::reports::domain::GroupBy;
use crate::reports::service::results::{self, PersonResult};
use crate::reports::service::scope::{self, Scope};
use crate::reports::service::weakest;
use crate::state::AppState;

pub struct Row {
    pub label: String,
    pub href: Option<String>,
    pub takers: u32,
    pub participation: String,
    pub pass_rate: String,
    pub average: String,
}

pub struct Weak {
    pub card_id: String,
    pub title: String,
    pub fail_rate: f64,
    pub answered: u64,
}

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage<'a> {
    layout: Option<&'a Layout>,
    title: String,
    quarter_label: String,
    quarters: Vec<(String, String, bool)>,
    location_id: Option<i32>,
    chart: String,
    rows: Vec<Row>,
    rows_heading: &'static str,
    people: Vec<PersonResult>,
    weakest: Vec<Weak>,
    export_query: String,
    coverage: Vec<(String, crate::reports::service::coverage::CoverageRow)>,
}

#[derive(serde::Deserialize)]
pub struct ReportQuery {
    quarter: Option<String>,
    location_id: Option<i32>,
}

fn pct(x: Option<f64>) -> String {
    x.map_or("—".to_owned(), |x| format!("{x:.0} %"))
}

#[handler]
pub async fn dashboard(
    req: &Request,
    Data(state): Data<&AppState>,
    Query(query): Query<ReportQuery>,
) -> Response {
    signed_in(state, req, |page| async move {
        let who = &page.principal;
        let fail = |e| PageError::new(page.layout("/reports"), e);
        let scope = scope::of(who);
        if matches!(scope, Scope::Person(_)) {
            return Err(fail(crate::error::AppError::forbidden()));
        }
        let location = scope::location_filter(scope, query.location_id).map_err(fail)?;
        let quarter = results::parse_quarter(query.quarter.as_deref(), state).map_err(fail)?;
        let names = results::location_names(state).await.map_err(fail)?;

        // The chain: one row per location; a location: one row per level.
        let by = GroupBy {
            location: location.is_none(),
            level: location.is_some(),
            ..Default::default()
        };
        // Independent figures, fetched at once.
        let (trends, table) = tokio::try_join!(
            results::trends(state, who, location),
            results::table(state, who, quarter, by, location),
        )
        .map_err(fail)?;
        let q = quarter.code();
        let rows = table
            .rows
            .iter()
            .map(|r| Row {
                label: match (r.key.location_id, &r.key.level) {
                    (Some(id), _) if location.is_none() => {
                        names.get(&id).cloned().unwrap_or_else(|| id.to_string())
                    }
                    (_, Some(level)) => level
                        .parse::<Level>()
                        .map_or_else(|_| level.clone(), |l| l.label_ru().to_owned()),
                    _ => "Без кофейни".to_owned(),
                },
                href: r
                    .key
                    .location_id
                    .filter(|_| location.is_none())
                    .map(|id| format!("/reports?quarter={q}&location_id={id}")),
                takers: r.takers,
                participation: pct(r.participation),
                pass_rate: pct(Some(r.pass_rate)),
                average: pct(Some(r.average)),
            })
            .collect();
        let people = match location {
            Some(id) => results::people(state, who, quarter, id)
                .await
                .map_err(fail)?,
            None => Vec::new(),
        };
        let weak = weakest::list(state, who, quarter, location, weakest::MIN_ANSWERS)
            .await
            .map_err(fail)?;
        let weakest = weak
            .cards
            .iter()
            .take(10)
            .map(|c| Weak {
                title: weak
                    .card_info
                    .get(&c.card_id)
                    .map_or_else(|| c.card_id.clone(), |i| i.0.clone()),
                card_id: c.card_id.clone(),
                fail_rate: c.rate.fail_rate,
                answered: c.rate.answered,
            })
            .collect();
        let coverage = crate::reports::service::coverage::by_location(state, who)
            .await
            .map_err(fail)?
            .into_iter()
            .filter(|r| location.is_none() || r.location_id == location)
            .map(|r| {
                let name = r
                    .location_id
                    .and_then(|id| names.get(&id).cloned())
                    .unwrap_or_else(|| "Без кофейни".to_owned());
                (name, r)
            })
            .collect();
        let location_param = location.map_or(String::new(), |id| format!("&location_id={id}"));
        let layout = page.layout("/reports");
        Ok(html(ReportsPage {
            layout: Some(&layout),
            title: match location {
                Some(id) => names.get(&id).cloned().unwrap_or_else(|| id.to_string()),
                None => "Вся сеть".to_owned(),
            },
            quarter_label: quarter.label_ru(),
            quarters: results::recent_quarters(state, results::TREND_QUARTERS)
                .into_iter()
                .rev()
                .map(|x| (x.code(), x.label_ru(), x == quarter))
                .collect(),
            export_query: format!("quarter={q}{location_param}"),
            location_id: location.filter(|_| scope == Scope::Everyone),
            chart: results::trends_svg(&trends),
            rows,
            rows_heading: if location.is_some() {
                "Уровень"
            } else {
                "Кофейня"
            },
            people,
            weakest,
            coverage,
        }))
    })
    .await
}

/// For the template: a direction's best score in a person's row.
pub fn track_score(p: &PersonResult, track: Track) -> String {
    let i = match track {
        Track::Coffee => 0,
        Track::Service => 1,
        Track::Bar => 2,
    };
    pct(p.tracks[i])
}
