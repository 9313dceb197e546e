//! The review after a test: the result per direction, then every question with the
//! answer given, the right one, the explanation and the card to re-read.

use askama::Template;
use poem::web::{Data, Path};
use poem::{Request, Response, handler};

use super::session::signed_in;
use super::{Layout, PageError, html};
use crate::error::AppError;
use crate::quizzes::domain::review::{given_answer, right_answer};
use crate::quizzes::service::attempts::{self, Loaded, grade_item};
use crate::quizzes::storage::questions;
use crate::state::AppState;

pub struct ReviewEntry {
    pub number: usize,
    pub prompt: String,
    pub your_answer: Vec<String>,
    pub right_answer: Vec<String>,
    pub correct: bool,
    pub partly: bool,
    pub feedback: Option<String>,
    pub explanation: Option<String>,
    pub card: String,
}

pub struct TrackLine {
    pub label: &'static str,
    pub percent: f64,
    pub passed: bool,
}

#[derive(Template)]
#[template(path = "attempt_review.html")]
struct ReviewPage<'a> {
    layout: Option<&'a Layout>,
    title: String,
    percent: f64,
    passed: bool,
    tracks: Vec<TrackLine>,
    entries: Vec<ReviewEntry>,
}

#[handler]
pub async fn review(req: &Request, Data(state): Data<&AppState>, Path(id): Path<i32>) -> Response {
    signed_in(state, req, |page| async move {
        let fail = |e| PageError::new(page.layout("/tests"), e);
        let loaded = attempts::review(state, &page.principal, id)
            .await
            .map_err(fail)?;
        let ids: Vec<String> = loaded
            .items
            .iter()
            .map(|(i, _)| i.question_id.clone())
            .collect();
        let rows = questions::rows_of(&state.db, &ids)
            .await
            .map_err(|e| fail(AppError::from(e)))?;
        let score = loaded.score();
        let entries = loaded
            .items
            .iter()
            .enumerate()
            .map(|(n, (item, body))| {
                let graded = grade_item(item, &body.answer);
                let fraction = item.fraction.unwrap_or(graded.fraction);
                ReviewEntry {
                    number: n + 1,
                    prompt: body.prompt.clone(),
                    your_answer: given_answer(
                        &body.answer,
                        &Loaded::presentation(item),
                        Loaded::answer(item).as_ref(),
                    ),
                    right_answer: right_answer(&body.answer),
                    correct: fraction >= 1.0 - 1e-9,
                    partly: fraction > 0.0 && fraction < 1.0 - 1e-9,
                    feedback: graded.feedback,
                    explanation: body.explanation.clone(),
                    card: rows
                        .get(&item.question_id)
                        .map(|r| r.card_id.clone())
                        .unwrap_or_default(),
                }
            })
            .collect();
        let layout = page.layout("/tests");
        Ok(html(ReviewPage {
            layout: Some(&layout),
            title: loaded.campaign.row.title.clone(),
            percent: score.as_ref().map_or(0.0, |s| s.percent),
            passed: score.as_ref().is_some_and(|s| s.passed),
            tracks: score
                .map(|s| {
                    s.tracks
                        .into_iter()
                        .map(|t| TrackLine {
                            label: crate::cards::domain::Track::parse(&t.track)
                                .map_or("", |t| t.label_ru()),
                            percent: t.percent,
                            passed: t.passed,
                        })
                        .collect()
                })
                .unwrap_or_default(),
            entries,
        }))
    })
    .await
}

pub struct StatRow {
    pub question_id: String,
    pub card: String,
    pub track: &'static str,
    pub attempts: usize,
    pub facility: String,
    pub discrimination: String,
    pub flags: Vec<&'static str>,
}

#[derive(Template)]
#[template(path = "test_statistics.html")]
struct StatisticsPage<'a> {
    layout: Option<&'a Layout>,
    campaign: i32,
    title: String,
    attempts: usize,
    mean: String,
    sd: String,
    alpha: String,
    rows: Vec<StatRow>,
}

fn share(x: Option<f64>) -> String {
    x.map_or("—".to_owned(), |x| format!("{:.0} %", x * 100.0))
}

fn decimal(x: Option<f64>) -> String {
    x.map_or("—".to_owned(), |x| format!("{x:.2}"))
}

/// Item statistics for trainers, flagged questions first.
#[handler]
pub async fn statistics(
    req: &Request,
    Data(state): Data<&AppState>,
    Path(id): Path<i32>,
) -> Response {
    signed_in(state, req, |page| async move {
        let who = &page.principal;
        let fail = |e| PageError::new(page.layout("/tests"), e);
        let campaign = crate::quizzes::service::campaigns::get(state, who, id)
            .await
            .map_err(fail)?;
        let stats = crate::quizzes::service::statistics::of_campaign(state, who, id)
            .await
            .map_err(fail)?;
        let mut rows: Vec<StatRow> = stats
            .items
            .iter()
            .map(|(item, row)| StatRow {
                question_id: item.question.clone(),
                card: row.as_ref().map(|r| r.card_id.clone()).unwrap_or_default(),
                track: row
                    .as_ref()
                    .and_then(|r| crate::cards::domain::Track::parse(&r.track))
                    .map_or("", |t| t.label_ru()),
                attempts: item.count,
                facility: share(Some(item.facility)),
                discrimination: decimal(item.discrimination),
                flags: item.flags.iter().map(|f| flag_label(*f)).collect(),
            })
            .collect();
        rows.sort_by_key(|r| r.flags.is_empty());
        let layout = page.layout("/tests");
        Ok(html(StatisticsPage {
            layout: Some(&layout),
            campaign: id,
            title: campaign.row.title,
            attempts: stats.test.attempts,
            mean: share(stats.test.mean),
            sd: share(stats.test.sd),
            alpha: decimal(stats.test.alpha),
            rows,
        }))
    })
    .await
}

fn flag_label(flag: crate::quizzes::domain::stats::Flag) -> &'static str {
    use crate::quizzes::domain::stats::Flag;
    match flag {
        Flag::TooHard => "слишком сложный",
        Flag::TooEasy => "слишком лёгкий",
        Flag::LowDiscrimination => "не отличает сильных от слабых",
    }
}
