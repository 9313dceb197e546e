//! JSON shapes of the reports API.

use chrono::{DateTime, Utc};
use poem_openapi::Object;

use crate::http::nullable::{Nullable, nullable_items};
use crate::reports::service::results::{Table, Trends};
use crate::reports::service::weakest::Weakest;
use crate::reports::storage::audit::AuditRow;

#[derive(Debug, Object)]
pub struct ResultRowOut {
    /// Present when grouped by quarter.
    #[oai(nullable)]
    pub quarter: Option<String>,
    #[oai(nullable)]
    pub location_id: Option<i32>,
    #[oai(nullable)]
    pub location_name: Option<String>,
    #[oai(nullable)]
    pub level: Option<String>,
    #[oai(nullable)]
    pub track: Option<String>,
    /// People with a submitted quarterly attempt.
    pub takers: u32,
    /// Active staff of that location and level now.
    #[oai(nullable)]
    pub headcount: Option<u32>,
    /// takers / headcount, %.
    #[oai(nullable)]
    pub participation: Option<f64>,
    /// Share of takers whose best attempt passed, %.
    pub pass_rate: f64,
    /// Mean of each taker's best score, %.
    pub average: f64,
}

#[derive(Debug, Object)]
pub struct ResultsOut {
    pub quarter: String,
    pub rows: Vec<ResultRowOut>,
}

impl ResultsOut {
    pub fn of(t: &Table) -> ResultsOut {
        ResultsOut {
            quarter: t.quarter.code(),
            rows: t
                .rows
                .iter()
                .map(|r| ResultRowOut {
                    quarter: r.key.quarter.clone(),
                    location_id: r.key.location_id,
                    location_name: r
                        .key
                        .location_id
                        .and_then(|id| t.location_names.get(&id).cloned()),
                    level: r.key.level.clone(),
                    track: r.key.track.clone(),
                    takers: r.takers,
                    headcount: r.headcount,
                    participation: r.participation,
                    pass_rate: r.pass_rate,
                    average: r.average,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Object)]
pub struct TrackSeries {
    pub track: String,
    /// One value per quarter; null when nobody took that direction.
    pub pass_rate: Vec<Nullable<f64>>,
}

#[derive(Debug, Object)]
pub struct TrendsOut {
    /// Oldest first.
    pub quarters: Vec<String>,
    pub tracks: Vec<TrackSeries>,
    pub participation: Vec<Nullable<f64>>,
    pub average: Vec<Nullable<f64>>,
}

impl TrendsOut {
    pub fn of(t: &Trends) -> TrendsOut {
        TrendsOut {
            quarters: t.quarters.iter().map(|q| q.code()).collect(),
            tracks: t
                .pass_rate
                .iter()
                .map(|(track, values)| TrackSeries {
                    track: track.as_str().to_owned(),
                    pass_rate: nullable_items(values.iter().copied()),
                })
                .collect(),
            participation: nullable_items(t.participation.iter().copied()),
            average: nullable_items(t.average.iter().copied()),
        }
    }
}

#[derive(Debug, Object)]
pub struct QuestionRateOut {
    pub question_id: String,
    pub answered: u64,
    pub failed: u64,
    pub fail_rate: f64,
}

#[derive(Debug, Object)]
pub struct LocationRateOut {
    #[oai(nullable)]
    pub location_id: Option<i32>,
    pub answered: u64,
    pub failed: u64,
    pub fail_rate: f64,
}

#[derive(Debug, Object)]
pub struct WeakCardOut {
    pub card_id: String,
    pub title: String,
    pub track: String,
    pub answered: u64,
    pub failed: u64,
    /// Answers scoring under half, %.
    pub fail_rate: f64,
    /// Most failed first.
    pub questions: Vec<QuestionRateOut>,
    /// Worst first, at most 3.
    pub worst_locations: Vec<LocationRateOut>,
}

#[derive(Debug, Object)]
pub struct WeakestOut {
    pub quarter: String,
    pub cards: Vec<WeakCardOut>,
}

impl WeakestOut {
    pub fn of(w: &Weakest) -> WeakestOut {
        WeakestOut {
            quarter: w.quarter.code(),
            cards: w
                .cards
                .iter()
                .map(|c| {
                    let (title, track) = w.card_info.get(&c.card_id).cloned().unwrap_or_default();
                    WeakCardOut {
                        card_id: c.card_id.clone(),
                        title,
                        track,
                        answered: c.rate.answered,
                        failed: c.rate.failed,
                        fail_rate: c.rate.fail_rate,
                        questions: c
                            .questions
                            .iter()
                            .map(|(id, r)| QuestionRateOut {
                                question_id: id.clone(),
                                answered: r.answered,
                                failed: r.failed,
                                fail_rate: r.fail_rate,
                            })
                            .collect(),
                        worst_locations: c
                            .worst_locations
                            .iter()
                            .map(|(l, r)| LocationRateOut {
                                location_id: *l,
                                answered: r.answered,
                                failed: r.failed,
                                fail_rate: r.fail_rate,
                            })
                            .collect(),
                    }
                })
                .collect(),
        }
    }
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct OverrideRequest {
    /// The result it will have.
    pub passed: bool,
    /// Why (an appeal, a technical failure); kept in the audit log and the history.
    pub reason: String,
}

#[derive(Debug, Object)]
pub struct OverrideOut {
    pub attempt_id: i32,
    pub user_id: i32,
    #[oai(nullable)]
    pub passed: Option<bool>,
    #[oai(nullable)]
    pub percent: Option<f64>,
}

#[derive(Debug, Object)]
pub struct AuditOut {
    pub id: i32,
    pub at: DateTime<Utc>,
    #[oai(nullable)]
    pub actor_id: Option<i32>,
    /// `role_changed`, `level_changed`, `promoted`, `interview_recorded`,
    /// `result_overridden`, `exported`.
    pub action: String,
    #[oai(nullable)]
    pub target_user_id: Option<i32>,
    pub detail: String,
}

impl AuditOut {
    pub fn of(r: &AuditRow) -> AuditOut {
        AuditOut {
            id: r.id,
            at: r.at,
            actor_id: r.actor_id,
            action: r.action.clone(),
            target_user_id: r.target_user_id,
            detail: r.detail.clone(),
        }
    }
}

#[derive(Debug, Object)]
pub struct CoverageOut {
    #[oai(nullable)]
    pub location_id: Option<i32>,
    #[oai(nullable)]
    pub location_name: Option<String>,
    pub staff: u32,
    /// Confirmations staff owe: each live mandatory card at or below their level.
    pub required: i64,
    /// Of those, confirmed at the card's latest significant revision.
    pub confirmed: i64,
    /// %.
    pub coverage: f64,
    /// Assignments running / with an overdue item.
    pub onboarding: u32,
    pub overdue: u32,
    /// Valid certificates / ending within 30 days / lapsed and not replaced.
    pub certified: u32,
    pub expiring: u32,
    pub lapsed: u32,
}

impl CoverageOut {
    pub fn of(
        r: &crate::reports::service::coverage::CoverageRow,
        names: &std::collections::HashMap<i32, String>,
    ) -> CoverageOut {
        CoverageOut {
            location_id: r.location_id,
            location_name: r.location_id.and_then(|id| names.get(&id).cloned()),
            staff: r.staff,
            required: r.required,
            confirmed: r.confirmed,
            coverage: r.coverage,
            onboarding: r.onboarding,
            overdue: r.overdue,
            certified: r.certified,
            expiring: r.expiring,
            lapsed: r.lapsed,
        }
    }
}
