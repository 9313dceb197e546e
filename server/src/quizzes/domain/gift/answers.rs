//! One GIFT block (escapes already hidden) into a question: name, text, answer section,
//! type detection and each type's answers, following Moodle's importer step by step.

use super::GiftQuestion;
use super::text::{Format, reveal_escapes, to_plain, with_format};
use crate::quizzes::domain::question::{
    Accepted, AnswerKey, Choice, NumericAnswer, NumericTarget, Pair,
};

pub enum Read {
    Question(GiftQuestion),
    /// Valid GIFT that is not a question this product runs; the reason.
    Skipped(String),
}

/// Text in `format` as plain text, escapes revealed.
fn plain(raw: &str, default: Format) -> (Format, String) {
    let (format, text) = with_format(raw, default);
    (format, to_plain(format, &text))
}

pub fn question(text: &str) -> Result<Read, String> {
    let (name, text) = split_name(text);
    let (open, close) = (text.find('{'), text.find('}'));
    let (open, close) = match (open, close) {
        (None, None) => {
            let what = name.map_or(String::new(), |n| format!(" «{n}»"));
            return Ok(Read::Skipped(format!(
                "text{what} without an {{answer}} section is a Moodle description, not a question: skipped"
            )));
        }
        (Some(open), Some(close)) if open < close => (open, close),
        _ => return Err("unbalanced braces: the answer section needs «{» then «}»".into()),
    };
    let mut answer_text = text[open + 1..close].trim().to_owned();
    // Text after the answers makes them a blank inside the sentence ("missing word").
    let trailing = text[close + 1..].trim();
    let question_text = if trailing.is_empty() {
        format!("{}{}", &text[..open], &text[close + 1..])
    } else {
        format!("{}_____{}", &text[..open], &text[close + 1..])
    };
    let general_feedback = answer_text.rfind("####").map(|at| {
        let feedback = answer_text[at + 4..].to_owned();
        answer_text = answer_text[..at].trim().to_owned();
        feedback
    });
    let (format, prompt) = plain(&question_text, Format::Moodle);
    let general_feedback = general_feedback
        .map(|g| plain(&g, format).1)
        .filter(|g| !g.is_empty());
    if answer_text.is_empty() {
        return Ok(Read::Skipped(format!(
            "essay question «{}» (empty {{}}): essays are not supported, skipped",
            name.as_deref().unwrap_or(&prompt)
        )));
    }
    let key = if let Some(numeric) = answer_text.strip_prefix('#') {
        numerical(numeric, format)?
    } else if answer_text.contains('~') {
        multichoice(&answer_text, format)?
    } else if answer_text.contains('=') && answer_text.contains("->") {
        matching(&answer_text, format)?
    } else {
        let check = match answer_text.find('#') {
            Some(at) if at > 0 => answer_text[..at].trim(),
            _ => answer_text.as_str(),
        };
        if ["T", "TRUE", "F", "FALSE"].contains(&check) {
            true_false(&answer_text, format)
        } else {
            short(&answer_text, format)?
        }
    };
    Ok(Read::Question(GiftQuestion {
        line: 0,
        name,
        category: None,
        prompt,
        general_feedback,
        key,
    }))
}

/// `::name::` at the start; without the closing `::` the name is left unset.
fn split_name(text: &str) -> (Option<String>, &str) {
    let Some(rest) = text.strip_prefix("::") else {
        return (None, text);
    };
    match rest.find("::") {
        Some(end) => (
            Some(reveal_escapes(&rest[..end]).trim().to_owned()),
            rest[end + 2..].trim(),
        ),
        None => (None, rest),
    }
}

/// Splits `text` at `sep` the way PHP's explode does, dropping a blank first piece.
fn answer_pieces<'a>(text: &'a str, sep: &str) -> Vec<&'a str> {
    let mut pieces: Vec<&str> = text.split(sep).collect();
    if pieces.first().is_some_and(|p| p.trim().is_empty()) {
        pieces.remove(0);
    }
    pieces
}

/// A leading `%w%` weight (-100..100, decimals allowed) as a fraction, and the rest.
fn weight(answer: &str) -> Option<(f64, &str)> {
    let rest = answer.strip_prefix('%')?;
    let end = rest.find('%')?;
    let number = &rest[..end];
    let digits = number.trim_start_matches('-');
    let valid = !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().filter(|&c| c == '.').count() <= 1;
    if !valid {
        return None;
    }
    let value: f64 = number.parse().ok()?;
    (value.abs() <= 100.0).then_some((value / 100.0, &rest[end + 1..]))
}

/// `answer#feedback` into plain answer text and feedback.
fn with_feedback(answer: &str, format: Format) -> (String, Option<String>) {
    let (answer, feedback) = match answer.split_once('#') {
        Some((a, f)) => (a, Some(f)),
        None => (answer, None),
    };
    let feedback = feedback
        .map(|f| plain(f.trim(), format).1)
        .filter(|f| !f.is_empty());
    (plain(answer.trim(), format).1, feedback)
}

fn multichoice(answer_text: &str, format: Format) -> Result<AnswerKey, String> {
    let single = answer_text.contains('=');
    let marked = answer_text.replace('=', "~=");
    let pieces = answer_pieces(&marked, "~");
    if pieces.len() < 2 {
        return Err("a multiple-choice question needs at least 2 answers".into());
    }
    let choices = pieces
        .into_iter()
        .map(|piece| {
            let piece = piece.trim();
            let (weight, rest) = if let Some(rest) = piece.strip_prefix('=') {
                (1.0, rest)
            } else {
                weight(piece).unwrap_or((0.0, piece))
            };
            let (text, feedback) = with_feedback(rest, format);
            Choice {
                text,
                weight,
                feedback,
            }
        })
        .collect();
    Ok(if single {
        AnswerKey::Single(choices)
    } else {
        AnswerKey::Multiple(choices)
    })
}

fn matching(answer_text: &str, format: Format) -> Result<AnswerKey, String> {
    let pieces = answer_pieces(answer_text, "=");
    if pieces.len() < 2 {
        return Err("a matching question needs at least 2 pairs".into());
    }
    let mut pairs = Vec::new();
    for piece in pieces {
        let piece = piece.trim();
        let Some((left, right)) = piece.split_once("->") else {
            return Err(format!(
                "matching pair «{}» has no «->»",
                reveal_escapes(piece)
            ));
        };
        pairs.push(Pair {
            left: plain(left, format).1,
            right: reveal_escapes(right).trim().to_owned(),
        });
    }
    Ok(AnswerKey::Matching(pairs))
}

fn true_false(answer_text: &str, format: Format) -> AnswerKey {
    let mut bits = answer_text.splitn(3, '#');
    let answer = bits.next().unwrap_or_default().trim();
    let mut feedback = || {
        bits.next()
            .map(|f| plain(f.trim(), format).1)
            .filter(|f| !f.is_empty())
    };
    let (feedback_wrong, feedback_right) = (feedback(), feedback());
    AnswerKey::TrueFalse {
        answer: answer == "T" || answer == "TRUE",
        feedback_wrong,
        feedback_right,
    }
}

fn short(answer_text: &str, format: Format) -> Result<AnswerKey, String> {
    let pieces = answer_pieces(answer_text, "=");
    if pieces.is_empty() {
        return Err("a short-answer question needs at least 1 answer".into());
    }
    let accepted = pieces
        .into_iter()
        .map(|piece| {
            let piece = piece.trim();
            let (weight, rest) = weight(piece).unwrap_or((1.0, piece));
            let (text, feedback) = with_feedback(rest, format);
            Accepted {
                text,
                weight,
                feedback,
            }
        })
        .collect();
    Ok(AnswerKey::Short(accepted))
}

fn numerical(answer_text: &str, format: Format) -> Result<AnswerKey, String> {
    let (answer_text, wrong) = match answer_text.find('~') {
        Some(at) => (&answer_text[..at], Some(&answer_text[at..])),
        None => (answer_text, None),
    };
    let pieces = answer_pieces(answer_text, "=");
    if pieces.is_empty() {
        return Err("a numerical question needs at least 1 answer".into());
    }
    let mut answers = Vec::new();
    for piece in pieces {
        let piece = piece.trim();
        let (weight, rest) = weight(piece).unwrap_or((1.0, piece));
        let (text, feedback) = with_feedback(rest, format);
        let number = |s: &str| {
            s.trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| format!("«{}» is not a number", s.trim()))
        };
        let target = match (text.find(".."), text.find(':')) {
            (Some(at), _) if at > 0 => NumericTarget::Range {
                min: number(&text[..at])?,
                max: number(&text[at + 2..])?,
            },
            (_, Some(at)) if at > 0 => NumericTarget::Near {
                value: number(&text[..at])?,
                tolerance: number(&text[at + 1..])?.abs(),
            },
            _ if text == "*" => NumericTarget::Any,
            _ => NumericTarget::Near {
                value: number(&text)?,
                tolerance: 0.0,
            },
        };
        answers.push(NumericAnswer {
            target,
            weight,
            feedback,
        });
    }
    if let Some(wrong) = wrong {
        let (_, feedback) = with_feedback(&wrong[1..], format);
        answers.push(NumericAnswer {
            target: NumericTarget::Any,
            weight: 0.0,
            feedback,
        });
    }
    Ok(AnswerKey::Numeric(answers))
}
