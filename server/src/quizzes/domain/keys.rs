//! Reading each question type's answer fields into an [`AnswerKey`], with the rules of
//! docs/quiz-format.md (one right option in `single`, weights adding up, …).

use saphyr::YamlData;

use super::question::{
    Accepted, AnswerKey, Choice, NumericAnswer, NumericTarget, Pair, QuestionType,
};
use super::yaml::{Node, Reader, key_text, untag};

/// Tolerance for weights that should add up to 100 %.
const WEIGHT_EPSILON: f64 = 0.01;

/// The answer fields each type takes.
pub fn fields_of(kind: QuestionType) -> &'static [&'static str] {
    match kind {
        QuestionType::Single | QuestionType::Multiple => &["options"],
        QuestionType::TrueFalse => &["answer", "feedback_right", "feedback_wrong"],
        QuestionType::Short | QuestionType::Numeric => &["answers"],
        QuestionType::Matching => &["pairs"],
        QuestionType::Ordering => &["items"],
    }
}

/// A type that takes `field`, for "belongs to «…» questions" hints.
pub fn type_with_field(field: &str) -> Option<QuestionType> {
    QuestionType::ALL
        .into_iter()
        .find(|&t| fields_of(t).contains(&field))
}

/// Reads the key of a question of type `kind`; `get` finds a field of the question.
pub fn read_key<'a, 'i: 'a>(
    r: &mut Reader,
    question: &Node,
    kind: QuestionType,
    get: &dyn Fn(&str) -> Option<&'a Node<'i>>,
) -> Option<AnswerKey> {
    let field = fields_of(kind)[0];
    let Some(value) = get(field) else {
        r.error(
            question,
            format!("a «{}» question needs «{field}»", kind.as_str()),
        );
        return None;
    };
    match kind {
        QuestionType::Single => single(r, value).map(AnswerKey::Single),
        QuestionType::Multiple => multiple(r, value).map(AnswerKey::Multiple),
        QuestionType::TrueFalse => {
            let answer = r.boolean(value, "answer")?;
            let feedback_right =
                get("feedback_right").and_then(|v| r.optional_text(v, "feedback_right"));
            let feedback_wrong =
                get("feedback_wrong").and_then(|v| r.optional_text(v, "feedback_wrong"));
            Some(AnswerKey::TrueFalse {
                answer,
                feedback_wrong,
                feedback_right,
            })
        }
        QuestionType::Short => short(r, value).map(AnswerKey::Short),
        QuestionType::Matching => matching(r, value).map(AnswerKey::Matching),
        QuestionType::Ordering => ordering(r, value).map(AnswerKey::Ordering),
        QuestionType::Numeric => numeric(r, value).map(AnswerKey::Numeric),
    }
}

/// An option as written: `correct` and `weight` are both optional.
struct RawChoice<'a, 'i> {
    node: &'a Node<'i>,
    text: String,
    correct: Option<bool>,
    weight: Option<f64>,
    feedback: Option<String>,
}

fn raw_choices<'a, 'i>(r: &mut Reader, value: &'a Node<'i>) -> Option<Vec<RawChoice<'a, 'i>>> {
    let items = r.sequence(value, "options")?;
    if items.len() < 2 {
        r.error(value, "a choice question needs at least 2 options");
        return None;
    }
    let errors_before = r.error_count();
    let mut out: Vec<RawChoice> = Vec::new();
    for item in items {
        let Some(m) = r.mapping(item, "an option") else {
            continue;
        };
        let (mut text, mut correct, mut weight, mut feedback) = (None, None, None, None);
        for (k, v) in m {
            match key_text(k) {
                Some("text") => text = r.required_text(v, "text"),
                Some("correct") => correct = r.boolean(v, "correct"),
                Some("weight") => weight = percent(r, v),
                Some("feedback") => feedback = r.optional_text(v, "feedback"),
                _ => r.error(
                    k,
                    "unknown option field; an option has text, correct, weight, feedback",
                ),
            }
        }
        if !m.keys().any(|k| key_text(k) == Some("text")) {
            r.error(item, "an option needs «text»");
        }
        if correct.is_some() && weight.is_some() {
            r.error(
                item,
                "give an option either «correct» or «weight», not both",
            );
        }
        let Some(text) = text else { continue };
        if out.iter().any(|o| o.text == text) {
            r.error(item, format!("option «{text}» appears twice"));
        }
        out.push(RawChoice {
            node: untag(item),
            text,
            correct,
            weight,
            feedback,
        });
    }
    (r.error_count() == errors_before).then_some(out)
}

fn single(r: &mut Reader, value: &Node) -> Option<Vec<Choice>> {
    let raw = raw_choices(r, value)?;
    let choices: Vec<Choice> = raw
        .iter()
        .map(|o| Choice {
            text: o.text.clone(),
            weight: o
                .weight
                .unwrap_or(if o.correct == Some(true) { 1.0 } else { 0.0 }),
            feedback: o.feedback.clone(),
        })
        .collect();
    let full: Vec<_> = raw
        .iter()
        .zip(&choices)
        .filter(|(_, c)| (c.weight - 1.0).abs() < 1e-9)
        .collect();
    match full.as_slice() {
        [] => {
            r.error(value, "no correct option: mark one with «correct: true»");
            None
        }
        [_] => Some(choices),
        [_, (second, _), ..] => {
            r.error(
                second.node,
                "a «single» question has exactly one correct option (use «multiple» for several)",
            );
            None
        }
    }
}

fn multiple(r: &mut Reader, value: &Node) -> Option<Vec<Choice>> {
    let raw = raw_choices(r, value)?;
    let correct = raw.iter().filter(|o| o.correct == Some(true)).count();
    let explicit = raw.iter().any(|o| o.weight.is_some());
    if correct == 0 && !explicit {
        r.error(
            value,
            "no correct option: mark at least one with «correct: true»",
        );
        return None;
    }
    let share = if correct > 0 {
        1.0 / correct as f64
    } else {
        0.0
    };
    let choices: Vec<Choice> = raw
        .iter()
        .map(|o| Choice {
            text: o.text.clone(),
            weight: o.weight.unwrap_or(if o.correct == Some(true) {
                share
            } else {
                -share
            }),
            feedback: o.feedback.clone(),
        })
        .collect();
    let positive: f64 = choices.iter().map(|c| c.weight.max(0.0)).sum();
    if (positive - 1.0).abs() > WEIGHT_EPSILON {
        r.error(
            value,
            format!(
                "the positive weights add up to {:.2}%, they must add up to 100%",
                positive * 100.0
            ),
        );
        return None;
    }
    Some(choices)
}

fn short(r: &mut Reader, value: &Node) -> Option<Vec<Accepted>> {
    let items = r.sequence(value, "answers")?;
    if items.is_empty() {
        r.error(
            value,
            "a «short» question needs at least one accepted answer",
        );
        return None;
    }
    let errors_before = r.error_count();
    let mut out = Vec::new();
    for item in items {
        let accepted = match &untag(item).data {
            YamlData::Mapping(m) => {
                let (mut text, mut weight, mut feedback) = (None, 1.0, None);
                for (k, v) in m {
                    match key_text(k) {
                        Some("text") => text = r.required_text(v, "text"),
                        Some("weight") => weight = percent(r, v).unwrap_or(weight),
                        Some("feedback") => feedback = r.optional_text(v, "feedback"),
                        _ => r.error(
                            k,
                            "unknown answer field; an answer has text, weight, feedback",
                        ),
                    }
                }
                text.map(|text| Accepted {
                    text,
                    weight,
                    feedback,
                })
            }
            _ => r.required_text(item, "answers").map(|text| Accepted {
                text,
                weight: 1.0,
                feedback: None,
            }),
        };
        if let Some(a) = &accepted
            && super::grading::normalize_answer(&a.text).is_empty()
        {
            r.error(item, "an accepted answer has no letters or digits");
        }
        out.extend(accepted);
    }
    if r.error_count() != errors_before {
        return None;
    }
    if !out.iter().any(|a| (a.weight - 1.0).abs() < 1e-9) {
        r.error(value, "no accepted answer is worth 100%");
        return None;
    }
    Some(out)
}

fn matching(r: &mut Reader, value: &Node) -> Option<Vec<Pair>> {
    let items = r.sequence(value, "pairs")?;
    let errors_before = r.error_count();
    let mut out = Vec::new();
    for item in items {
        let Some(m) = r.mapping(item, "a pair") else {
            continue;
        };
        let (mut left, mut right) = (String::new(), None);
        for (k, v) in m {
            match key_text(k) {
                Some("left") => left = r.optional_text(v, "left").unwrap_or_default(),
                Some("right") => right = r.required_text(v, "right"),
                _ => r.error(k, "unknown pair field; a pair has left and right"),
            }
        }
        match right {
            Some(right) => out.push(Pair { left, right }),
            None if !m.keys().any(|k| key_text(k) == Some("right")) => {
                r.error(item, "a pair needs «right»")
            }
            None => {}
        }
    }
    if r.error_count() != errors_before {
        return None;
    }
    if out.iter().filter(|p| !p.left.is_empty()).count() < 2 {
        r.error(
            value,
            "a «matching» question needs at least 2 pairs with «left»",
        );
        return None;
    }
    Some(out)
}

fn ordering(r: &mut Reader, value: &Node) -> Option<Vec<String>> {
    let items = r.sequence(value, "items")?;
    let texts: Vec<Option<String>> = items.iter().map(|i| r.required_text(i, "items")).collect();
    let texts: Option<Vec<String>> = texts.into_iter().collect();
    let texts = texts?;
    if texts.len() < 2 {
        r.error(value, "an «ordering» question needs at least 2 items");
        return None;
    }
    Some(texts)
}

fn numeric(r: &mut Reader, value: &Node) -> Option<Vec<NumericAnswer>> {
    let items = r.sequence(value, "answers")?;
    if items.is_empty() {
        r.error(value, "a «numeric» question needs at least one answer");
        return None;
    }
    let errors_before = r.error_count();
    let mut out = Vec::new();
    for item in items {
        let Some(m) = r.mapping(item, "a numeric answer") else {
            continue;
        };
        let (mut v, mut tol, mut min, mut max) = (None, None, None, None);
        let mut any = false;
        let (mut weight, mut feedback) = (None, None);
        for (k, val) in m {
            match key_text(k) {
                Some("value") => v = r.number(val, "value"),
                Some("tolerance") => tol = r.number(val, "tolerance"),
                Some("min") => min = r.number(val, "min"),
                Some("max") => max = r.number(val, "max"),
                Some("any") => any = r.boolean(val, "any").unwrap_or(false),
                Some("weight") => weight = percent(r, val),
                Some("feedback") => feedback = r.optional_text(val, "feedback"),
                _ => r.error(
                    k,
                    "unknown answer field; a numeric answer has value and tolerance, min and max, or any, and weight, feedback",
                ),
            }
        }
        let target = match (v, tol, min, max) {
            (None, None, None, None) if any => NumericTarget::Any,
            (Some(value), tolerance, None, None) => {
                let tolerance = tolerance.unwrap_or(0.0);
                if tolerance < 0.0 {
                    r.error(item, "«tolerance» cannot be negative");
                }
                NumericTarget::Near { value, tolerance }
            }
            (None, None, Some(min), Some(max)) => {
                if min > max {
                    r.error(item, format!("the range is empty: min {min} > max {max}"));
                }
                NumericTarget::Range { min, max }
            }
            _ => {
                r.error(
                    item,
                    "a numeric answer has «value» (and «tolerance»), «min» and «max», or «any: true»",
                );
                continue;
            }
        };
        // A catch-all answer is there for its feedback: it earns nothing unless weighted.
        let default = if target == NumericTarget::Any {
            0.0
        } else {
            1.0
        };
        out.push(NumericAnswer {
            target,
            weight: weight.unwrap_or(default),
            feedback,
        });
    }
    if r.error_count() != errors_before {
        return None;
    }
    if !out.iter().any(|a| (a.weight - 1.0).abs() < 1e-9) {
        r.error(value, "no answer is worth 100%");
        return None;
    }
    Some(out)
}

/// A weight in percent (-100..=100) as a fraction.
fn percent(r: &mut Reader, node: &Node) -> Option<f64> {
    let n = r.number(node, "weight")?;
    if !(-100.0..=100.0).contains(&n) {
        r.error(node, format!("weight {n} is outside -100..100"));
        return None;
    }
    Some(n / 100.0)
}
