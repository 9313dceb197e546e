//! One question per screen: the form for each question type, and reading the form back
//! into an answer (the same answer the autosave script sends to the API).

use askama::Template;
use chrono::Utc;
use poem::web::{Data, Form, Path};
use poem::{Request, Response, handler};

use super::session::signed_in;
use super::{Layout, PageError, html, see_other};
use crate::error::AppError;
use crate::quizzes::domain::presentation::{Answer, to_response, view};
use crate::quizzes::service::attempts::{self, Loaded};
use crate::state::AppState;

pub struct Choice {
    pub index: usize,
    pub text: String,
    pub checked: bool,
}

/// An item to number (ordering) or to match (matching), with its drop-down.
pub struct Slot {
    pub index: usize,
    pub text: String,
    pub options: Vec<SlotOption>,
}

pub struct SlotOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "attempt_question.html")]
struct QuestionPage<'a> {
    layout: Option<&'a Layout>,
    attempt: i32,
    title: String,
    number: usize,
    count: usize,
    answered: usize,
    deadline: String,
    seconds_left: i64,
    question_id: String,
    kind: &'static str,
    prompt: String,
    choices: Vec<Choice>,
    slots: Vec<Slot>,
    text: String,
    value: Option<bool>,
    error: Option<String>,
}

fn question_page<'a>(
    layout: &'a Layout,
    loaded: &Loaded,
    n: usize,
    error: Option<String>,
) -> Option<QuestionPage<'a>> {
    let (item, body) = loaded.items.get(n.checked_sub(1)?)?;
    let p = Loaded::presentation(item);
    let v = view(&body.answer, &p);
    let a = Loaded::answer(item).unwrap_or_default();
    let kind = body.answer.question_type().as_str();
    let choices = v
        .options
        .iter()
        .enumerate()
        .map(|(i, text)| Choice {
            index: i,
            text: text.clone(),
            checked: a.choice == Some(i) || a.choices.as_ref().is_some_and(|c| c.contains(&i)),
        })
        .collect();
    let slots = v
        .items
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let options = if kind == "ordering" {
                let chosen = a
                    .order
                    .as_ref()
                    .and_then(|o| o.iter().position(|&s| s == i));
                std::iter::once(SlotOption {
                    value: String::new(),
                    label: "—".to_owned(),
                    selected: chosen.is_none(),
                })
                .chain((0..v.items.len()).map(|pos| SlotOption {
                    value: (pos + 1).to_string(),
                    label: (pos + 1).to_string(),
                    selected: chosen == Some(pos),
                }))
                .collect()
            } else {
                let chosen = a.matches.as_ref().and_then(|m| m.get(i).copied().flatten());
                std::iter::once(SlotOption {
                    value: String::new(),
                    label: "—".to_owned(),
                    selected: chosen.is_none(),
                })
                .chain(v.values.iter().enumerate().map(|(n, value)| SlotOption {
                    value: n.to_string(),
                    label: value.clone(),
                    selected: chosen == Some(n),
                }))
                .collect()
            };
            Slot {
                index: i,
                text: text.clone(),
                options,
            }
        })
        .collect();
    Some(QuestionPage {
        layout: Some(layout),
        attempt: loaded.attempt.id,
        title: loaded.campaign.row.title.clone(),
        number: n,
        count: loaded.items.len(),
        answered: loaded
            .items
            .iter()
            .filter(|(i, _)| i.answer.is_some())
            .count(),
        deadline: loaded.attempt.deadline_at.to_rfc3339(),
        seconds_left: (loaded.attempt.deadline_at - Utc::now())
            .num_seconds()
            .max(0),
        question_id: item.question_id.clone(),
        kind,
        prompt: body.prompt.clone(),
        choices,
        slots,
        text: a.text.clone().unwrap_or_default(),
        value: a.value,
        error,
    })
}

#[handler]
pub async fn question(
    req: &Request,
    Data(state): Data<&AppState>,
    Path((id, n)): Path<(i32, usize)>,
) -> Response {
    signed_in(state, req, |page| async move {
        let fail = |e| PageError::new(page.layout("/tests"), e);
        let loaded = attempts::load(state, &page.principal, id)
            .await
            .map_err(fail)?;
        if loaded.is_submitted() {
            return Ok(see_other(&format!("/attempts/{id}/review")));
        }
        let layout = page.layout("/tests");
        match question_page(&layout, &loaded, n, None) {
            Some(p) => Ok(html(p)),
            None => Err(fail(AppError::not_found("question"))),
        }
    })
    .await
}

/// The answer a question form carries, by the question's type; `Ok(None)` when left
/// blank, `Err` (a message for the person) when half filled in.
fn answer_from_form(kind: &str, fields: &[(String, String)]) -> Result<Option<Answer>, String> {
    let complete = |kind| answer_fields(kind, fields);
    if kind == "ordering" {
        let total = fields.iter().filter(|(k, _)| k.starts_with("pos_")).count();
        let mut chosen: Vec<&str> = fields
            .iter()
            .filter(|(k, v)| k.starts_with("pos_") && !v.is_empty())
            .map(|(_, v)| v.as_str())
            .collect();
        if chosen.is_empty() {
            return Ok(None);
        }
        chosen.sort_unstable();
        chosen.dedup();
        if chosen.len() != total {
            return Err(russian_problem(kind, ""));
        }
    }
    Ok(complete(kind))
}

fn answer_fields(kind: &str, fields: &[(String, String)]) -> Option<Answer> {
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let numbers = |prefix: &str| -> Vec<(usize, usize)> {
        fields
            .iter()
            .filter_map(|(k, v)| {
                let i = k.strip_prefix(prefix)?.parse().ok()?;
                Some((i, v.parse().ok()?))
            })
            .collect()
    };
    let mut a = Answer::default();
    match kind {
        "single" => a.choice = Some(get("choice")?.parse().ok()?),
        "multiple" => {
            let picked: Vec<usize> = fields
                .iter()
                .filter(|(k, _)| k == "choices")
                .filter_map(|(_, v)| v.parse().ok())
                .collect();
            a.choices = Some(picked);
        }
        "true_false" => a.value = Some(get("value")? == "true"),
        "short" | "numeric" => {
            let text = get("text")?.trim();
            if text.is_empty() {
                return None;
            }
            a.text = Some(text.to_owned());
        }
        "ordering" => {
            let mut positions = numbers("pos_");
            if positions.is_empty() {
                return None;
            }
            positions.sort_by_key(|&(item, pos)| (pos, item));
            a.order = Some(positions.into_iter().map(|(item, _)| item).collect());
        }
        "matching" => {
            let count = fields
                .iter()
                .filter(|(k, _)| k.starts_with("match_"))
                .count();
            let chosen = numbers("match_");
            let matches = (0..count)
                .map(|i| chosen.iter().find(|(k, _)| *k == i).map(|(_, v)| *v))
                .collect();
            a.matches = Some(matches);
        }
        _ => return None,
    }
    Some(a)
}

/// Saves the answer on the screen, then goes back, on, or to the submit screen.
#[handler]
pub async fn answer(
    req: &Request,
    Data(state): Data<&AppState>,
    Path((id, n)): Path<(i32, usize)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    signed_in(state, req, |page| async move {
        let fail = |e| PageError::new(page.layout("/tests"), e);
        let csrf = fields
            .iter()
            .find(|(k, _)| k == "csrf")
            .map_or("", |(_, v)| v);
        page.check_csrf(csrf).map_err(fail)?;
        let loaded = attempts::load(state, &page.principal, id)
            .await
            .map_err(fail)?;
        if loaded.is_submitted() {
            return Ok(see_other(&format!("/attempts/{id}/review")));
        }
        let Some((item, body)) = n.checked_sub(1).and_then(|i| loaded.items.get(i)) else {
            return Err(fail(AppError::not_found("question")));
        };
        let kind = body.answer.question_type().as_str();
        let given = answer_from_form(kind, &fields).and_then(|answer| match answer {
            Some(a) => to_response(&body.answer, &Loaded::presentation(item), &a)
                .map(|_| Some(a))
                .map_err(|m| russian_problem(kind, &m)),
            None => Ok(None),
        });
        let given = match given {
            Ok(given) => given,
            Err(error) => {
                let layout = page.layout("/tests");
                let page = question_page(&layout, &loaded, n, Some(error));
                return Ok(html(page.expect("the question exists")));
            }
        };
        if let Some(answer) = given {
            attempts::save_answer(state, &page.principal, id, &item.question_id, &answer)
                .await
                .map_err(fail)?;
        }
        let go = fields
            .iter()
            .find(|(k, _)| k == "go")
            .map_or("next", |(_, v)| v.as_str());
        let count = loaded.items.len();
        Ok(match go {
            "prev" if n > 1 => see_other(&format!("/attempts/{id}/{}", n - 1)),
            "finish" => see_other(&format!("/attempts/{id}/submit")),
            _ if n < count => see_other(&format!("/attempts/{id}/{}", n + 1)),
            _ => see_other(&format!("/attempts/{id}/submit")),
        })
    })
    .await
}

fn russian_problem(kind: &str, message: &str) -> String {
    match kind {
        "ordering" => "Поставьте каждому шагу свой номер, без повторов.".to_owned(),
        "numeric" => "Введите число, например 18 или 18,5.".to_owned(),
        _ => format!("Ответ не принят: {message}"),
    }
}
