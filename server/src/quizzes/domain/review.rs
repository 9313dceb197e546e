//! The review after submission, in words a person reads: what they answered and what was
//! right, one line per choice, item or pair.

use super::presentation::{Answer, Presentation, view};
use super::question::{AnswerKey, NumericTarget};
use crate::quizzes::domain::emit::number;

const TRUE: &str = "Верно";
const FALSE: &str = "Неверно";

/// The right answer: the correct options, the accepted texts, the order, the pairs.
pub fn right_answer(key: &AnswerKey) -> Vec<String> {
    match key {
        AnswerKey::Single(options) | AnswerKey::Multiple(options) => options
            .iter()
            .filter(|o| {
                o.weight >= 1.0 - 1e-9 || (matches!(key, AnswerKey::Multiple(_)) && o.weight > 0.0)
            })
            .map(|o| o.text.clone())
            .collect(),
        AnswerKey::TrueFalse { answer, .. } => {
            vec![if *answer { TRUE } else { FALSE }.to_owned()]
        }
        AnswerKey::Short(accepted) => accepted
            .iter()
            .filter(|a| a.weight >= 1.0 - 1e-9 && a.text != "*")
            .map(|a| a.text.clone())
            .collect(),
        AnswerKey::Numeric(answers) => answers
            .iter()
            .filter(|a| a.weight >= 1.0 - 1e-9)
            .filter_map(|a| match a.target {
                NumericTarget::Near { value, tolerance } if tolerance > 0.0 => {
                    Some(format!("{} ± {}", number(value), number(tolerance)))
                }
                NumericTarget::Near { value, .. } => Some(number(value)),
                NumericTarget::Range { min, max } => {
                    Some(format!("от {} до {}", number(min), number(max)))
                }
                NumericTarget::Any => None,
            })
            .collect(),
        AnswerKey::Matching(pairs) => pairs
            .iter()
            .filter(|p| !p.left.is_empty())
            .map(|p| format!("{} → {}", p.left, p.right))
            .collect(),
        AnswerKey::Ordering(items) => items
            .iter()
            .enumerate()
            .map(|(n, i)| format!("{}. {i}", n + 1))
            .collect(),
    }
}

/// What the person answered, in the same words; empty when they gave no answer.
pub fn given_answer(key: &AnswerKey, p: &Presentation, answer: Option<&Answer>) -> Vec<String> {
    let Some(a) = answer else {
        return Vec::new();
    };
    let shown = view(key, p);
    let at = |list: &[String], i: usize| list.get(i).cloned().unwrap_or_default();
    match key {
        AnswerKey::Single(_) => a
            .choice
            .map(|c| at(&shown.options, c))
            .into_iter()
            .collect(),
        AnswerKey::Multiple(_) => a
            .choices
            .iter()
            .flatten()
            .map(|&c| at(&shown.options, c))
            .collect(),
        AnswerKey::TrueFalse { .. } => a
            .value
            .map(|v| if v { TRUE } else { FALSE }.to_owned())
            .into_iter()
            .collect(),
        AnswerKey::Short(_) | AnswerKey::Numeric(_) => a.text.clone().into_iter().collect(),
        AnswerKey::Ordering(_) => a
            .order
            .iter()
            .flatten()
            .enumerate()
            .map(|(n, &i)| format!("{}. {}", n + 1, at(&shown.items, i)))
            .collect(),
        AnswerKey::Matching(_) => a
            .matches
            .iter()
            .flatten()
            .enumerate()
            .map(|(i, v)| {
                let value = v.map_or("—".to_owned(), |v| at(&shown.values, v));
                format!("{} → {value}", at(&shown.items, i))
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quizzes::domain::presentation::present;
    use crate::quizzes::domain::question::{Choice, NumericAnswer};
    use rand::SeedableRng;

    #[test]
    fn right_and_given_answers_read_as_text() {
        let key = AnswerKey::Single(vec![
            Choice {
                text: "«Пожалуйста»".into(),
                weight: 0.0,
                feedback: None,
            },
            Choice {
                text: "«Спасибо вам!»".into(),
                weight: 1.0,
                feedback: None,
            },
        ]);
        assert_eq!(right_answer(&key), ["«Спасибо вам!»"]);
        let p = present(&key, &mut rand::rngs::StdRng::seed_from_u64(3));
        let shown = view(&key, &p).options;
        let wrong = shown.iter().position(|o| o == "«Пожалуйста»").unwrap();
        let answer = Answer {
            choice: Some(wrong),
            ..Default::default()
        };
        assert_eq!(given_answer(&key, &p, Some(&answer)), ["«Пожалуйста»"]);
        assert!(given_answer(&key, &p, None).is_empty());

        let numeric = AnswerKey::Numeric(vec![NumericAnswer {
            target: NumericTarget::Near {
                value: 18.0,
                tolerance: 0.5,
            },
            weight: 1.0,
            feedback: None,
        }]);
        assert_eq!(right_answer(&numeric), ["18 ± 0.5"]);
        let tf = AnswerKey::TrueFalse {
            answer: false,
            feedback_wrong: None,
            feedback_right: None,
        };
        assert_eq!(right_answer(&tf), ["Неверно"]);
    }
}
