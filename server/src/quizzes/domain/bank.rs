//! A question bank file (docs/quiz-format.md) into questions, with a diagnostic for every
//! problem at the line and column of the value at fault.

use super::keys::read_key;
use super::question::{Question, QuestionId, QuestionType};
use super::yaml::{self, Node, Reader, key_text, line_of, untag};
use crate::cards::domain::{CardId, Diagnostic, Track};

/// Fields every question may have, besides its type's answer fields.
const COMMON: [&str; 6] = ["id", "card", "type", "prompt", "explanation", "name"];

/// A bank as read from one file. `questions` holds only the valid ones.
#[derive(Debug, Clone, PartialEq)]
pub struct Bank {
    pub track: Track,
    pub questions: Vec<Question>,
}

/// Where a question id was seen, for duplicate reports.
#[derive(Debug, Clone)]
pub struct IdAt {
    pub id: QuestionId,
    pub line: u32,
    pub column: u32,
}

/// What one file yields: the bank (when its header is valid) and every id seen, valid
/// question or not, so duplicates across files are still found.
pub struct ParsedBank {
    pub bank: Option<Bank>,
    pub ids: Vec<IdAt>,
    /// (card id, line, column) of every question's `card`, checked against the corpus
    /// by the caller.
    pub cards: Vec<(CardId, u32, u32)>,
}

/// Parses one bank file. `text` has `\n` line endings.
pub fn parse_bank(file: &str, text: &str, diags: &mut Vec<Diagnostic>) -> ParsedBank {
    let mut out = ParsedBank {
        bank: None,
        ids: Vec::new(),
        cards: Vec::new(),
    };
    let Some(doc) = yaml::load(file, text, diags) else {
        return out;
    };
    let mut r = Reader { file, diags };
    if yaml::is_null(&doc) {
        r.diags.push(Diagnostic::error(
            file,
            1,
            1,
            "the bank is empty: it needs «track» and «questions»",
        ));
        return out;
    }
    let Some(top) = r.mapping(&doc, "a bank") else {
        return out;
    };
    let mut track = None;
    let mut questions = None;
    for (key, value) in top {
        match key_text(key) {
            Some("track") => {
                let word = r.required_text(value, "track");
                track = word.and_then(|w| {
                    let t = Track::parse(&w);
                    if t.is_none() {
                        r.error(
                            value,
                            format!("track «{w}» is not one of: coffee, service, bar"),
                        );
                    }
                    t
                });
            }
            Some("questions") => questions = r.sequence(value, "questions"),
            _ => r.error(key, "unknown field; a bank has «track» and «questions»"),
        }
    }
    for (field, missing) in [
        ("track", !has_key(top, "track")),
        ("questions", !has_key(top, "questions")),
    ] {
        if missing {
            r.diags.push(Diagnostic::error(
                file,
                1,
                1,
                format!("missing required field «{field}»"),
            ));
        }
    }
    // Questions are read even when the track is wrong, so all their problems (and their
    // ids, for duplicate checks) are reported at once; the bank itself is then invalid.
    let mut valid = Vec::new();
    for item in questions.unwrap_or_default() {
        if let Some(q) = question(&mut r, item, track.unwrap_or(Track::Coffee), &mut out) {
            valid.push(q);
        }
    }
    if let (Some(track), Some(_)) = (track, questions) {
        out.bank = Some(Bank {
            track,
            questions: valid,
        });
    }
    out
}

fn has_key(m: yaml::Mapping, field: &str) -> bool {
    m.keys().any(|k| key_text(k) == Some(field))
}

/// One question; `None` when anything about it is wrong (its problems are reported).
fn question(r: &mut Reader, node: &Node, track: Track, out: &mut ParsedBank) -> Option<Question> {
    let m = r.mapping(node, "a question")?;
    let errors_before = r.error_count();
    let get = |field: &str| {
        m.iter()
            .find(|(k, _)| key_text(k) == Some(field))
            .map(|e| e.1)
    };
    let required = |r: &mut Reader, field: &str| {
        let value = get(field);
        if value.is_none() {
            r.error(
                node,
                format!("question is missing required field «{field}»"),
            );
        }
        value
    };
    let id = required(r, "id").and_then(|v| {
        let raw = r.required_text(v, "id")?;
        QuestionId::parse(&raw)
            .map_err(|message| r.error(v, message))
            .ok()
            .inspect(|id| {
                out.ids.push(IdAt {
                    id: id.clone(),
                    line: line_of(v),
                    column: yaml::column_of(v),
                })
            })
    });
    let card = required(r, "card").and_then(|v| {
        let raw = r.required_text(v, "card")?;
        CardId::parse(&raw)
            .map_err(|message| r.error(v, format!("card: {message}")))
            .ok()
            .inspect(|card| {
                out.cards
                    .push((card.clone(), line_of(v), yaml::column_of(v)))
            })
    });
    let kind = required(r, "type").and_then(|v| {
        let word = r.required_text(v, "type")?;
        let kind = QuestionType::parse(&word);
        if kind.is_none() {
            let allowed: Vec<_> = QuestionType::ALL.iter().map(|t| t.as_str()).collect();
            r.error(
                v,
                format!("type «{word}» is not one of: {}", allowed.join(", ")),
            );
        }
        kind
    });
    let prompt = required(r, "prompt").and_then(|v| r.required_text(v, "prompt"));
    let explanation = get("explanation").and_then(|v| r.optional_text(v, "explanation"));
    let name = get("name").and_then(|v| r.optional_text(v, "name"));
    let key = kind.and_then(|kind| {
        for (k, _) in m {
            let field = key_text(k).unwrap_or("");
            if !COMMON.contains(&field) && !super::keys::fields_of(kind).contains(&field) {
                let hint = match super::keys::type_with_field(field) {
                    Some(other) if other != kind => format!(
                        "field «{field}» belongs to «{}» questions, not «{}»",
                        other.as_str(),
                        kind.as_str()
                    ),
                    _ => format!("unknown field «{field}» in a «{}» question", kind.as_str()),
                };
                r.error(k, hint);
            }
        }
        read_key(r, node, kind, &get)
    });
    let (Some(id), Some(card), Some(prompt), Some(key)) = (id, card, prompt, key) else {
        return None;
    };
    if r.error_count() != errors_before {
        return None;
    }
    Some(Question {
        id,
        card,
        track,
        name,
        prompt,
        explanation,
        key,
        line: line_of(untag(node)),
    })
}
