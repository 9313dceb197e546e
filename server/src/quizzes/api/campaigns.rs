use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::{Json, PlainText};
use poem_openapi::{ApiResponse, Object, OpenApi};

use super::QuizTags;
use super::campaign_models::{CampaignList, CampaignOut, CampaignRequest};
use crate::accounts::domain::Level;
use crate::error::{AppError, AppResult, FieldError};
use crate::http::auth::Auth;
use crate::quizzes::domain::campaign::{Audience, Blueprint, PassMarks};
use crate::quizzes::service::campaigns::{self, NewCampaign};
use crate::quizzes::service::statistics::{self, CampaignStatistics};
use crate::state::AppState;

pub struct CampaignsApi;

/// One question's statistics (Moodle's quiz statistics formulas).
#[derive(Debug, Object)]
pub struct ItemStatisticsOut {
    pub question_id: String,
    #[oai(nullable)]
    pub card: Option<String>,
    #[oai(nullable)]
    pub track: Option<String>,
    #[oai(nullable, rename = "type")]
    pub kind: Option<String>,
    /// First attempts that drew the question.
    pub attempts: u64,
    /// Facility index: mean score as a share of full marks (0–1).
    pub facility: f64,
    /// Discrimination index: correlation with the rest of the test (-1–1); null when
    /// undefined (no variance, fewer than two attempts).
    #[oai(nullable)]
    pub discrimination: Option<f64>,
    #[oai(nullable)]
    pub sd: Option<f64>,
    /// `too_hard` (facility < 0.2), `too_easy` (> 0.95), `low_discrimination` (< 0.2).
    pub flags: Vec<String>,
}

#[derive(Debug, Object)]
pub struct CampaignStatisticsOut {
    /// Submitted first attempts.
    pub attempts: u64,
    /// Scores as a share of the maximum (0–1).
    #[oai(nullable)]
    pub mean: Option<f64>,
    #[oai(nullable)]
    pub median: Option<f64>,
    #[oai(nullable)]
    pub sd: Option<f64>,
    #[oai(nullable)]
    pub min: Option<f64>,
    #[oai(nullable)]
    pub max: Option<f64>,
    /// Cronbach's alpha over question slots.
    #[oai(nullable)]
    pub alpha: Option<f64>,
    pub items: Vec<ItemStatisticsOut>,
}

impl CampaignStatisticsOut {
    fn of(s: CampaignStatistics) -> CampaignStatisticsOut {
        CampaignStatisticsOut {
            attempts: s.test.attempts as u64,
            mean: s.test.mean,
            median: s.test.median,
            sd: s.test.sd,
            min: s.test.min,
            max: s.test.max,
            alpha: s.test.alpha,
            items: s
                .items
                .into_iter()
                .map(|(i, row)| ItemStatisticsOut {
                    card: row.as_ref().map(|r| r.card_id.clone()),
                    track: row.as_ref().map(|r| r.track.clone()),
                    kind: row.as_ref().map(|r| r.kind.clone()),
                    question_id: i.question,
                    attempts: i.count as u64,
                    facility: i.facility,
                    discrimination: i.discrimination,
                    sd: i.sd,
                    flags: i.flags.iter().map(|f| f.as_str().to_owned()).collect(),
                })
                .collect(),
        }
    }
}

#[derive(ApiResponse)]
pub enum CsvResponse {
    /// One row per question, for spreadsheets.
    #[oai(status = 200, content_type = "text/csv; charset=utf-8")]
    Csv(PlainText<String>),
}

fn new_campaign(r: CampaignRequest) -> AppResult<NewCampaign> {
    let mut levels = Vec::new();
    for word in &r.audience.levels {
        match word.parse::<Level>() {
            Ok(level) => levels.push(level),
            Err(_) => {
                return Err(AppError::validation(vec![FieldError::field(
                    "audience.levels",
                    format!("«{word}»: trainee, barista, senior или leader"),
                )]));
            }
        }
    }
    Ok(NewCampaign {
        title: r.title,
        opens_at: r.opens_at,
        closes_at: r.closes_at,
        audience: Audience {
            locations: r.audience.locations,
            levels,
        },
        blueprint: Blueprint {
            coffee: r.blueprint.coffee,
            service: r.blueprint.service,
            bar: r.blueprint.bar,
        },
        time_limit_minutes: r.time_limit_minutes,
        pass_marks: PassMarks {
            coffee: r.pass_percent.coffee,
            service: r.pass_percent.service,
            bar: r.pass_percent.bar,
            overall: r.pass_percent.overall,
        },
        attempts_allowed: r.attempts_allowed,
    })
}

#[OpenApi(tag = "QuizTags::Campaigns")]
impl CampaignsApi {
    /// Create a test campaign (trainer, hr, admin).
    #[oai(path = "/campaigns", method = "post")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        request: Json<CampaignRequest>,
    ) -> AppResult<Json<CampaignOut>> {
        let campaign =
            campaigns::create(&state, auth.principal(), new_campaign(request.0)?).await?;
        Ok(Json(CampaignOut::of(&campaign)))
    }

    /// Campaigns: all of them for trainers, hr and admins; the open ones a person is in
    /// the audience of for everyone else.
    #[oai(path = "/campaigns", method = "get")]
    async fn list(&self, state: Data<&AppState>, auth: Auth) -> AppResult<Json<CampaignList>> {
        let visible = campaigns::visible(&state, auth.principal()).await?;
        Ok(Json(CampaignList {
            items: visible.iter().map(CampaignOut::of).collect(),
        }))
    }

    /// One campaign (404 when the person is not in its audience).
    #[oai(path = "/campaigns/:id", method = "get")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
    ) -> AppResult<Json<CampaignOut>> {
        let campaign = campaigns::get(&state, auth.principal(), id.0).await?;
        Ok(Json(CampaignOut::of(&campaign)))
    }

    /// Item statistics over first attempts: facility, discrimination, alpha, spread.
    #[oai(path = "/campaigns/:id/statistics", method = "get")]
    async fn statistics(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
    ) -> AppResult<Json<CampaignStatisticsOut>> {
        let s = statistics::of_campaign(&state, auth.principal(), id.0).await?;
        Ok(Json(CampaignStatisticsOut::of(s)))
    }

    /// The item statistics as CSV.
    #[oai(path = "/campaigns/:id/statistics.csv", method = "get")]
    async fn statistics_csv(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i32>,
    ) -> AppResult<CsvResponse> {
        let s = CampaignStatisticsOut::of(
            statistics::of_campaign(&state, auth.principal(), id.0).await?,
        );
        let mut out = csv::Writer::from_writer(Vec::new());
        let fmt = |x: Option<f64>| x.map_or(String::new(), |x| format!("{x:.4}"));
        out.write_record([
            "question_id",
            "card",
            "track",
            "type",
            "attempts",
            "facility",
            "discrimination",
            "sd",
            "flags",
        ])
        .map_err(AppError::internal)?;
        for i in &s.items {
            out.write_record([
                i.question_id.as_str(),
                i.card.as_deref().unwrap_or(""),
                i.track.as_deref().unwrap_or(""),
                i.kind.as_deref().unwrap_or(""),
                &i.attempts.to_string(),
                &fmt(Some(i.facility)),
                &fmt(i.discrimination),
                &fmt(i.sd),
                &i.flags.join(" "),
            ])
            .map_err(AppError::internal)?;
        }
        let bytes = out.into_inner().map_err(AppError::internal)?;
        Ok(CsvResponse::Csv(PlainText(
            String::from_utf8(bytes).map_err(AppError::internal)?,
        )))
    }
}
