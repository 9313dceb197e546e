//! Grading one response against one answer key. Pure: no storage, no HTTP.
//!
//! Responses name options, items and drop-down values by their index in the key's own
//! (canonical) order; the shuffling a person sees is undone before grading.

use super::question::{AnswerKey, Choice};

/// What a person answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    /// Indexes of the chosen options (one for `single`).
    Choices(Vec<usize>),
    Bool(bool),
    Text(String),
    /// For each real (non-distractor) pair in key order: the index of the chosen value in
    /// [`matching_values`], or `None` when left blank.
    Matches(Vec<Option<usize>>),
    /// Item indexes in the order the person put them.
    Order(Vec<usize>),
    Number(f64),
}

/// The mark for one response.
#[derive(Debug, Clone, PartialEq)]
pub struct Grade {
    /// 0.0 ..= 1.0 of the question's mark.
    pub fraction: f64,
    /// The feedback the key attaches to what was answered, if any.
    pub feedback: Option<String>,
}

impl Grade {
    fn of(fraction: f64, feedback: Option<&String>) -> Grade {
        Grade {
            fraction: fraction.clamp(0.0, 1.0),
            feedback: feedback.cloned(),
        }
    }

    fn zero() -> Grade {
        Grade {
            fraction: 0.0,
            feedback: None,
        }
    }
}

/// Grades `response`; a response of the wrong shape (or none) scores 0.
pub fn grade(key: &AnswerKey, response: Option<&Response>) -> Grade {
    let Some(response) = response else {
        return Grade::zero();
    };
    match (key, response) {
        (AnswerKey::Single(options), Response::Choices(chosen)) => match chosen.as_slice() {
            [one] => options
                .get(*one)
                .map_or_else(Grade::zero, |o| Grade::of(o.weight, o.feedback.as_ref())),
            _ => Grade::zero(),
        },
        (AnswerKey::Multiple(options), Response::Choices(chosen)) => multiple(options, chosen),
        (
            AnswerKey::TrueFalse {
                answer,
                feedback_wrong,
                feedback_right,
            },
            Response::Bool(given),
        ) => {
            if given == answer {
                Grade::of(1.0, feedback_right.as_ref())
            } else {
                Grade::of(0.0, feedback_wrong.as_ref())
            }
        }
        (AnswerKey::Short(accepted), Response::Text(text)) => {
            let given = normalize_answer(text);
            if given.is_empty() {
                return Grade::zero();
            }
            accepted
                .iter()
                .filter(|a| wildcard_match(&normalize_answer(&a.text), &given))
                .max_by(|a, b| a.weight.total_cmp(&b.weight))
                .map_or_else(Grade::zero, |a| Grade::of(a.weight, a.feedback.as_ref()))
        }
        (AnswerKey::Matching(pairs), Response::Matches(chosen)) => {
            let values = matching_values(pairs);
            let real: Vec<_> = pairs.iter().filter(|p| !p.left.is_empty()).collect();
            if real.is_empty() || chosen.len() != real.len() {
                return Grade::zero();
            }
            let right = real
                .iter()
                .zip(chosen)
                .filter(|(pair, pick)| pick.and_then(|i| values.get(i)) == Some(&pair.right))
                .count();
            Grade::of(right as f64 / real.len() as f64, None)
        }
        (AnswerKey::Ordering(items), Response::Order(order)) => {
            let in_order = order.len() == items.len()
                && order.iter().enumerate().all(|(i, &j)| {
                    // Equal texts may stand in either place.
                    items.get(j) == Some(&items[i])
                });
            Grade::of(if in_order { 1.0 } else { 0.0 }, None)
        }
        (AnswerKey::Numeric(answers), Response::Number(x)) => answers
            .iter()
            .filter(|a| a.target.accepts(*x))
            .max_by(|a, b| a.weight.total_cmp(&b.weight))
            .map_or_else(Grade::zero, |a| Grade::of(a.weight, a.feedback.as_ref())),
        _ => Grade::zero(),
    }
}

/// Moodle's multi-answer rule: the chosen options' weights add up, clamped to [0, 1].
/// Each option counts once however often it is named.
fn multiple(options: &[Choice], chosen: &[usize]) -> Grade {
    let mut picked: Vec<usize> = chosen
        .iter()
        .copied()
        .filter(|&i| i < options.len())
        .collect();
    picked.sort_unstable();
    picked.dedup();
    let sum: f64 = picked.iter().map(|&i| options[i].weight).sum();
    let feedback: Vec<&str> = picked
        .iter()
        .filter_map(|&i| options[i].feedback.as_deref())
        .collect();
    Grade {
        fraction: sum.clamp(0.0, 1.0),
        feedback: (!feedback.is_empty()).then(|| feedback.join(" ")),
    }
}

/// The values offered in every drop-down of a matching question: each distinct `right`,
/// distractors included, in key order.
pub fn matching_values(pairs: &[super::question::Pair]) -> Vec<String> {
    let mut values: Vec<String> = Vec::new();
    for p in pairs {
        if !values.contains(&p.right) {
            values.push(p.right.clone());
        }
    }
    values
}

/// Short-answer normal form: trimmed, lowercase, `ё` → `е`, every run of spaces and
/// punctuation collapsed to one space. `*` survives (it is the wildcard).
pub fn normalize_answer(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = if c == 'ё' { 'е' } else { c };
        if c.is_alphanumeric() || c == '*' {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
    }
    out
}

/// `pattern` with `*` as "any run of characters" against `text`, both normalised.
fn wildcard_match(pattern: &str, text: &str) -> bool {
    if !pattern.contains('*') {
        return pattern == text;
    }
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, rest) = parts.split_first().expect("split yields one part");
    let Some(mut tail) = text.strip_prefix(first) else {
        return false;
    };
    let (last, middle) = rest.split_last().expect("pattern has a '*'");
    for part in middle {
        match tail.find(part) {
            Some(at) => tail = &tail[at + part.len()..],
            None => return false,
        }
    }
    tail.len() >= last.len() && tail.ends_with(last)
}

/// Reads a typed number: spaces ignored, `,` or `.` as the decimal separator.
pub fn parse_number(text: &str) -> Option<f64> {
    let cleaned: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    cleaned.parse::<f64>().ok().filter(|x| x.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quizzes::domain::question::{Accepted, NumericAnswer, NumericTarget, Pair};

    fn choice(text: &str, weight: f64) -> Choice {
        Choice {
            text: text.into(),
            weight,
            feedback: None,
        }
    }

    #[test]
    fn single_choice_scores_the_chosen_options_weight() {
        let key = AnswerKey::Single(vec![choice("a", 0.0), choice("b", 1.0), choice("c", 0.5)]);
        let g = |i: Vec<usize>| grade(&key, Some(&Response::Choices(i))).fraction;
        assert_eq!(g(vec![1]), 1.0);
        assert_eq!(g(vec![0]), 0.0);
        assert_eq!(g(vec![2]), 0.5);
        assert_eq!(g(vec![1, 2]), 0.0, "two picks for a single-choice question");
        assert_eq!(g(vec![9]), 0.0);
        assert_eq!(grade(&key, None).fraction, 0.0);
        assert_eq!(grade(&key, Some(&Response::Bool(true))).fraction, 0.0);
    }

    #[test]
    fn multiple_choice_adds_weights_and_clamps() {
        let key = AnswerKey::Multiple(vec![
            choice("a", -0.5),
            choice("b", 0.5),
            choice("c", 0.5),
            choice("d", -0.5),
        ]);
        let g = |i: Vec<usize>| grade(&key, Some(&Response::Choices(i))).fraction;
        assert_eq!(g(vec![1, 2]), 1.0);
        assert_eq!(g(vec![1]), 0.5);
        assert_eq!(g(vec![1, 2, 0]), 0.5);
        assert_eq!(g(vec![0, 1, 2, 3]), 0.0);
        assert_eq!(g(vec![0]), 0.0, "never below zero");
        assert_eq!(g(vec![1, 1, 1]), 0.5, "a repeated pick counts once");
    }

    #[test]
    fn short_answers_compare_normalised_text() {
        assert_eq!(normalize_answer("  Спасибо   вам! "), "спасибо вам");
        assert_eq!(normalize_answer("Ёлка,ёж"), "елка еж");
        let key = AnswerKey::Short(vec![
            Accepted {
                text: "Спасибо вам!".into(),
                weight: 1.0,
                feedback: None,
            },
            Accepted {
                text: "*".into(),
                weight: 0.0,
                feedback: Some("Нет".into()),
            },
        ]);
        let g = |t: &str| grade(&key, Some(&Response::Text(t.into())));
        assert_eq!(g("спасибо, ВАМ").fraction, 1.0);
        let other = g("пожалуйста");
        assert_eq!(other.fraction, 0.0);
        assert_eq!(other.feedback.as_deref(), Some("Нет"));
        assert_eq!(g("   ").fraction, 0.0);
    }

    #[test]
    fn wildcards_match_runs_of_characters() {
        assert!(wildcard_match("*", "что угодно"));
        assert!(wildcard_match("эспрессо*", "эспрессо двойной"));
        assert!(wildcard_match("*молоко", "овсяное молоко"));
        assert!(wildcard_match("a*b*c", "axxbyyc"));
        assert!(!wildcard_match("a*b*c", "axxcyyb"));
        assert!(!wildcard_match("ab*ba", "aba"));
    }

    #[test]
    fn matching_scores_the_share_of_right_pairs_and_ignores_distractors() {
        let pair = |l: &str, r: &str| Pair {
            left: l.into(),
            right: r.into(),
        };
        let key = AnswerKey::Matching(vec![
            pair("Канада", "Оттава"),
            pair("Италия", "Рим"),
            pair("", "Париж"),
        ]);
        let values = matching_values(match &key {
            AnswerKey::Matching(p) => p,
            _ => unreachable!(),
        });
        assert_eq!(values, ["Оттава", "Рим", "Париж"]);
        let g = |m: Vec<Option<usize>>| grade(&key, Some(&Response::Matches(m))).fraction;
        assert_eq!(g(vec![Some(0), Some(1)]), 1.0);
        assert_eq!(g(vec![Some(0), Some(2)]), 0.5);
        assert_eq!(g(vec![None, None]), 0.0);
        assert_eq!(g(vec![Some(0)]), 0.0, "wrong shape");
    }

    #[test]
    fn ordering_is_all_or_nothing() {
        let key = AnswerKey::Ordering(vec!["a".into(), "b".into(), "c".into()]);
        let g = |o: Vec<usize>| grade(&key, Some(&Response::Order(o))).fraction;
        assert_eq!(g(vec![0, 1, 2]), 1.0);
        assert_eq!(g(vec![1, 0, 2]), 0.0);
        assert_eq!(g(vec![0, 1]), 0.0);
    }

    #[test]
    fn numeric_accepts_tolerance_and_ranges_and_takes_the_best_weight() {
        let key = AnswerKey::Numeric(vec![
            NumericAnswer {
                target: NumericTarget::Near {
                    value: 1822.0,
                    tolerance: 0.0,
                },
                weight: 1.0,
                feedback: None,
            },
            NumericAnswer {
                target: NumericTarget::Near {
                    value: 1822.0,
                    tolerance: 2.0,
                },
                weight: 0.5,
                feedback: None,
            },
            NumericAnswer {
                target: NumericTarget::Range {
                    min: 2.71,
                    max: 2.72,
                },
                weight: 0.25,
                feedback: None,
            },
        ]);
        let g = |x: f64| grade(&key, Some(&Response::Number(x))).fraction;
        assert_eq!(g(1822.0), 1.0);
        assert_eq!(g(1820.0), 0.5);
        assert_eq!(g(1819.0), 0.0);
        assert_eq!(g(2.715), 0.25);
        assert_eq!(parse_number(" 0,5 "), Some(0.5));
        assert_eq!(parse_number("1 822"), Some(1822.0));
        assert_eq!(parse_number("abc"), None);
        assert_eq!(parse_number("inf"), None);
    }
}
