//! Bodies of the campaign and attempt endpoints (field names are a contract).

use chrono::{DateTime, Utc};
use poem_openapi::Object;

use crate::http::nullable::{Nullable, nullable_items};
use crate::quizzes::domain::campaign::{Score, TrackScore};
use crate::quizzes::domain::presentation::{Answer, view};
use crate::quizzes::domain::review::{given_answer, right_answer};
use crate::quizzes::service::attempts::{Loaded, grade_item};
use crate::quizzes::service::campaigns::Campaign;

/// Questions per direction.
#[derive(Debug, Clone, Object)]
pub struct BlueprintIo {
    #[oai(default)]
    pub coffee: u32,
    #[oai(default)]
    pub service: u32,
    #[oai(default)]
    pub bar: u32,
}

/// Pass marks in percent (0–100).
#[derive(Debug, Clone, Object)]
pub struct PassPercentIo {
    pub coffee: u32,
    pub service: u32,
    pub bar: u32,
    pub overall: u32,
}

/// Who takes the test; empty lists mean everyone.
#[derive(Debug, Clone, Object)]
pub struct AudienceIo {
    #[oai(default)]
    pub locations: Vec<i32>,
    /// trainee | barista | senior | leader
    #[oai(default)]
    pub levels: Vec<String>,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct CampaignRequest {
    pub title: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub audience: AudienceIo,
    pub blueprint: BlueprintIo,
    pub time_limit_minutes: i32,
    pub pass_percent: PassPercentIo,
    pub attempts_allowed: i32,
}

#[derive(Debug, Object)]
pub struct CampaignOut {
    pub id: i32,
    pub title: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub audience: AudienceIo,
    pub blueprint: BlueprintIo,
    pub time_limit_minutes: i32,
    pub pass_percent: PassPercentIo,
    pub attempts_allowed: i32,
    /// Open now.
    pub open: bool,
}

impl CampaignOut {
    pub fn of(c: &Campaign) -> CampaignOut {
        CampaignOut {
            id: c.row.id,
            title: c.row.title.clone(),
            opens_at: c.row.opens_at,
            closes_at: c.row.closes_at,
            audience: AudienceIo {
                locations: c.audience.locations.clone(),
                levels: c
                    .audience
                    .levels
                    .iter()
                    .map(|l| l.as_str().to_owned())
                    .collect(),
            },
            blueprint: BlueprintIo {
                coffee: c.blueprint.coffee,
                service: c.blueprint.service,
                bar: c.blueprint.bar,
            },
            time_limit_minutes: c.row.time_limit_minutes,
            pass_percent: PassPercentIo {
                coffee: c.pass_marks.coffee,
                service: c.pass_marks.service,
                bar: c.pass_marks.bar,
                overall: c.pass_marks.overall,
            },
            attempts_allowed: c.row.attempts_allowed,
            open: c.is_open(Utc::now()),
        }
    }
}

#[derive(Debug, Object)]
pub struct CampaignList {
    pub items: Vec<CampaignOut>,
}

/// An answer in shown positions; which field depends on the question type.
#[derive(Debug, Clone, Object, Default)]
#[oai(deny_unknown_fields)]
pub struct AnswerIo {
    /// single: the chosen option's position.
    #[oai(nullable)]
    pub choice: Option<u32>,
    /// multiple: the chosen options' positions.
    #[oai(nullable)]
    pub choices: Option<Vec<u32>>,
    /// true_false.
    #[oai(nullable)]
    pub value: Option<bool>,
    /// short and numeric (numbers as typed: «18,5» or «18.5»).
    #[oai(nullable)]
    pub text: Option<String>,
    /// ordering: item positions in the chosen order.
    #[oai(nullable)]
    pub order: Option<Vec<u32>>,
    /// matching: for each item, the chosen value's position (or null).
    #[oai(nullable)]
    pub matches: Option<Vec<Nullable<u32>>>,
}

impl AnswerIo {
    pub fn to_domain(&self) -> Answer {
        let n = |v: u32| v as usize;
        Answer {
            choice: self.choice.map(n),
            choices: self
                .choices
                .as_ref()
                .map(|c| c.iter().copied().map(n).collect()),
            value: self.value,
            text: self.text.clone(),
            order: self
                .order
                .as_ref()
                .map(|o| o.iter().copied().map(n).collect()),
            matches: self
                .matches
                .as_ref()
                .map(|m| m.iter().map(|v| v.0.map(n)).collect()),
        }
    }

    pub fn of(a: &Answer) -> AnswerIo {
        let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        AnswerIo {
            choice: a.choice.map(n),
            choices: a
                .choices
                .as_ref()
                .map(|c| c.iter().copied().map(n).collect()),
            value: a.value,
            text: a.text.clone(),
            order: a.order.as_ref().map(|o| o.iter().copied().map(n).collect()),
            matches: a
                .matches
                .as_ref()
                .map(|m| nullable_items(m.iter().map(|v| v.map(n)))),
        }
    }
}

/// A drawn question as the person sees it: no weights, no right answers.
#[derive(Debug, Object)]
pub struct AttemptQuestion {
    pub question_id: String,
    pub position: i32,
    pub track: String,
    #[oai(rename = "type")]
    pub kind: String,
    pub prompt: String,
    pub options: Vec<String>,
    pub items: Vec<String>,
    pub values: Vec<String>,
    /// The answer saved so far.
    #[oai(nullable)]
    pub answer: Option<AnswerIo>,
}

#[derive(Debug, Object)]
pub struct TrackResult {
    pub track: String,
    pub percent: f64,
    pub passed: bool,
    pub questions: u32,
}

#[derive(Debug, Object)]
pub struct AttemptResult {
    pub percent: f64,
    pub passed: bool,
    pub tracks: Vec<TrackResult>,
}

impl AttemptResult {
    fn of(s: Score) -> AttemptResult {
        AttemptResult {
            percent: s.percent,
            passed: s.passed,
            tracks: s
                .tracks
                .into_iter()
                .map(|t: TrackScore| TrackResult {
                    track: t.track,
                    percent: t.percent,
                    passed: t.passed,
                    questions: t.questions,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Object)]
pub struct AttemptOut {
    pub id: i32,
    pub campaign_id: i32,
    pub campaign_title: String,
    pub number: i32,
    pub started_at: DateTime<Utc>,
    pub deadline_at: DateTime<Utc>,
    #[oai(nullable)]
    pub submitted_at: Option<DateTime<Utc>>,
    /// Seconds until the deadline (0 once submitted or past it).
    pub seconds_left: i64,
    pub questions: Vec<AttemptQuestion>,
    /// After submission.
    #[oai(nullable)]
    pub result: Option<AttemptResult>,
}

impl AttemptOut {
    pub fn of(l: &Loaded) -> AttemptOut {
        let left = if l.is_submitted() {
            0
        } else {
            (l.attempt.deadline_at - Utc::now()).num_seconds().max(0)
        };
        AttemptOut {
            id: l.attempt.id,
            campaign_id: l.campaign.row.id,
            campaign_title: l.campaign.row.title.clone(),
            number: l.attempt.number,
            started_at: l.attempt.started_at,
            deadline_at: l.attempt.deadline_at,
            submitted_at: l.attempt.submitted_at,
            seconds_left: left,
            questions: l
                .items
                .iter()
                .map(|(item, body)| {
                    let v = view(&body.answer, &Loaded::presentation(item));
                    AttemptQuestion {
                        question_id: item.question_id.clone(),
                        position: item.position,
                        track: item.track.clone(),
                        kind: body.answer.question_type().as_str().to_owned(),
                        prompt: body.prompt.clone(),
                        options: v.options,
                        items: v.items,
                        values: v.values,
                        answer: Loaded::answer(item).as_ref().map(AnswerIo::of),
                    }
                })
                .collect(),
            result: l.score().map(AttemptResult::of),
        }
    }
}

#[derive(Debug, Object)]
pub struct SavedAnswer {
    pub question_id: String,
    pub saved_at: DateTime<Utc>,
}

/// One question after submission.
#[derive(Debug, Object)]
pub struct ReviewItem {
    pub question_id: String,
    pub track: String,
    #[oai(rename = "type")]
    pub kind: String,
    pub prompt: String,
    /// What the person answered, as text (empty: no answer).
    pub your_answer: Vec<String>,
    /// What was right, as text.
    pub right_answer: Vec<String>,
    /// 0.0 – 1.0 of the question's mark.
    pub fraction: f64,
    /// Feedback attached to the given answer, if any.
    #[oai(nullable)]
    pub feedback: Option<String>,
    #[oai(nullable)]
    pub explanation: Option<String>,
    /// The card to re-read, and its page.
    pub card: String,
    pub card_url: String,
}

#[derive(Debug, Object)]
pub struct ReviewOut {
    pub attempt_id: i32,
    #[oai(nullable)]
    pub result: Option<AttemptResult>,
    pub items: Vec<ReviewItem>,
}

impl ReviewOut {
    pub fn of(l: &Loaded, cards: &std::collections::HashMap<String, String>) -> ReviewOut {
        ReviewOut {
            attempt_id: l.attempt.id,
            result: l.score().map(AttemptResult::of),
            items: l
                .items
                .iter()
                .map(|(item, body)| {
                    let key = &body.answer;
                    let card = cards.get(&item.question_id).cloned().unwrap_or_default();
                    let graded = grade_item(item, key);
                    ReviewItem {
                        question_id: item.question_id.clone(),
                        track: item.track.clone(),
                        kind: key.question_type().as_str().to_owned(),
                        prompt: body.prompt.clone(),
                        your_answer: given_answer(
                            key,
                            &Loaded::presentation(item),
                            Loaded::answer(item).as_ref(),
                        ),
                        right_answer: right_answer(key),
                        fraction: item.fraction.unwrap_or(graded.fraction),
                        feedback: graded.feedback,
                        explanation: body.explanation.clone(),
                        card_url: format!("/cards/{card}"),
                        card,
                    }
                })
                .collect(),
        }
    }
}
