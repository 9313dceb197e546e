//! How a question is shown in one attempt, and reading a person's answer back.
//!
//! Options, ordering items and matching values are shuffled per attempt. What the phone
//! receives (a [`View`]) holds only texts in shown order: never a weight, a `correct`
//! mark or the canonical order. Answers come back in shown positions and are mapped to
//! the key's order before grading.

use rand::Rng;
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};

use super::grading::{Response, matching_values, parse_number};
use super::question::AnswerKey;

/// Shown position → index in the key, per list the question has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Presentation {
    /// Options (single/multiple), items (ordering) or left sides (matching).
    pub order: Vec<usize>,
    /// Matching only: the drop-down values.
    pub values: Vec<usize>,
}

/// A shuffled presentation for `key`. Ordering items are never shown in the right order
/// when there are at least two different ones.
pub fn present(key: &AnswerKey, rng: &mut impl Rng) -> Presentation {
    let shuffled = |n: usize, rng: &mut _| {
        let mut order: Vec<usize> = (0..n).collect();
        order.shuffle(rng);
        order
    };
    match key {
        AnswerKey::Single(options) | AnswerKey::Multiple(options) => Presentation {
            order: shuffled(options.len(), rng),
            values: Vec::new(),
        },
        AnswerKey::Ordering(items) => {
            let mut order = shuffled(items.len(), rng);
            let distinct = items.iter().any(|i| *i != items[0]);
            while distinct && order.iter().map(|&i| &items[i]).eq(items.iter()) {
                order.shuffle(rng);
            }
            Presentation {
                order,
                values: Vec::new(),
            }
        }
        AnswerKey::Matching(pairs) => {
            let real = pairs.iter().filter(|p| !p.left.is_empty()).count();
            Presentation {
                order: shuffled(real, rng),
                values: shuffled(matching_values(pairs).len(), rng),
            }
        }
        AnswerKey::TrueFalse { .. } | AnswerKey::Short(_) | AnswerKey::Numeric(_) => {
            Presentation::default()
        }
    }
}

/// What the person sees of a question's answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct View {
    /// Options to choose from (single, multiple), in shown order.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub options: Vec<String>,
    /// Items to put in order (ordering) or to match (matching: the left sides).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub items: Vec<String>,
    /// Matching: the values offered for every item.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub values: Vec<String>,
}

pub fn view(key: &AnswerKey, p: &Presentation) -> View {
    let pick = |texts: &[String], order: &[usize]| -> Vec<String> {
        order
            .iter()
            .filter_map(|&i| texts.get(i).cloned())
            .collect()
    };
    let mut v = View {
        options: Vec::new(),
        items: Vec::new(),
        values: Vec::new(),
    };
    match key {
        AnswerKey::Single(options) | AnswerKey::Multiple(options) => {
            let texts: Vec<String> = options.iter().map(|o| o.text.clone()).collect();
            v.options = pick(&texts, &p.order);
        }
        AnswerKey::Ordering(items) => v.items = pick(items, &p.order),
        AnswerKey::Matching(pairs) => {
            let lefts: Vec<String> = pairs
                .iter()
                .filter(|p| !p.left.is_empty())
                .map(|p| p.left.clone())
                .collect();
            v.items = pick(&lefts, &p.order);
            v.values = pick(&matching_values(pairs), &p.values);
        }
        AnswerKey::TrueFalse { .. } | AnswerKey::Short(_) | AnswerKey::Numeric(_) => {}
    }
    v
}

/// An answer as the phone sends it, in shown positions. Which field is used depends on the
/// question type: `choice` (single), `choices` (multiple), `value` (true_false), `text`
/// (short, numeric), `order` (ordering: shown item positions in the chosen order),
/// `matches` (matching: for each shown item, a shown value position or null).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Answer {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub choice: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub choices: Option<Vec<usize>>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub value: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub order: Option<Vec<usize>>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub matches: Option<Vec<Option<usize>>>,
}

/// The answer in the key's order, or what is wrong with its shape (for a 422).
pub fn to_response(key: &AnswerKey, p: &Presentation, a: &Answer) -> Result<Response, String> {
    let canonical = |shown: usize, order: &[usize]| {
        order
            .get(shown)
            .copied()
            .ok_or_else(|| format!("position {shown} is out of range"))
    };
    match key {
        AnswerKey::Single(_) => {
            let shown = a.choice.ok_or("a single-choice answer needs «choice»")?;
            Ok(Response::Choices(vec![canonical(shown, &p.order)?]))
        }
        AnswerKey::Multiple(_) => {
            let shown = a
                .choices
                .as_ref()
                .ok_or("a multiple-choice answer needs «choices»")?;
            let picked: Result<Vec<usize>, String> =
                shown.iter().map(|&s| canonical(s, &p.order)).collect();
            Ok(Response::Choices(picked?))
        }
        AnswerKey::TrueFalse { .. } => Ok(Response::Bool(
            a.value.ok_or("a true/false answer needs «value»")?,
        )),
        AnswerKey::Short(_) => {
            let text = a.text.as_ref().ok_or("a short answer needs «text»")?;
            if text.chars().count() > 500 {
                return Err("the answer is longer than 500 characters".into());
            }
            Ok(Response::Text(text.clone()))
        }
        AnswerKey::Numeric(_) => {
            let text = a.text.as_ref().ok_or("a numeric answer needs «text»")?;
            parse_number(text)
                .map(Response::Number)
                .ok_or_else(|| format!("«{text}» is not a number"))
        }
        AnswerKey::Ordering(items) => {
            let order = a.order.as_ref().ok_or("an ordering answer needs «order»")?;
            let mut seen = vec![false; items.len()];
            let mut out = Vec::with_capacity(order.len());
            for &s in order {
                let c = canonical(s, &p.order)?;
                if std::mem::replace(&mut seen[c], true) {
                    return Err(format!("position {s} is used twice"));
                }
                out.push(c);
            }
            if out.len() != items.len() {
                return Err(format!("«order» must list all {} items", items.len()));
            }
            Ok(Response::Order(out))
        }
        AnswerKey::Matching(_) => {
            let matches = a
                .matches
                .as_ref()
                .ok_or("a matching answer needs «matches»")?;
            if matches.len() != p.order.len() {
                return Err(format!("«matches» must have {} entries", p.order.len()));
            }
            let mut by_pair = vec![None; p.order.len()];
            for (shown_item, pick) in matches.iter().enumerate() {
                let pair = p.order[shown_item];
                by_pair[pair] = match pick {
                    Some(v) => Some(canonical(*v, &p.values)?),
                    None => None,
                };
            }
            Ok(Response::Matches(by_pair))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quizzes::domain::grading::grade;
    use crate::quizzes::domain::question::{Choice, Pair};
    use rand::SeedableRng;

    fn rng() -> rand::rngs::StdRng {
        rand::rngs::StdRng::seed_from_u64(7)
    }

    fn choice(text: &str, weight: f64) -> Choice {
        Choice {
            text: text.into(),
            weight,
            feedback: Some("секрет".into()),
        }
    }

    #[test]
    fn the_view_holds_no_answers() {
        let key = AnswerKey::Single(vec![choice("a", 0.0), choice("b", 1.0), choice("c", 0.0)]);
        let p = present(&key, &mut rng());
        let json = serde_json::to_string(&view(&key, &p)).unwrap();
        assert!(!json.contains("weight") && !json.contains("1.0") && !json.contains("секрет"));
        let mut shown = view(&key, &p).options;
        shown.sort();
        assert_eq!(shown, ["a", "b", "c"]);
    }

    #[test]
    fn shown_positions_map_back_to_the_key() {
        let key = AnswerKey::Single(vec![choice("a", 0.0), choice("b", 1.0), choice("c", 0.0)]);
        let p = present(&key, &mut rng());
        let shown = view(&key, &p).options;
        let at = shown.iter().position(|o| o == "b").unwrap();
        let answer = Answer {
            choice: Some(at),
            ..Default::default()
        };
        let response = to_response(&key, &p, &answer).unwrap();
        assert_eq!(grade(&key, Some(&response)).fraction, 1.0);
        let bad = Answer {
            choice: Some(9),
            ..Default::default()
        };
        assert!(to_response(&key, &p, &bad).is_err());
        assert!(to_response(&key, &p, &Answer::default()).is_err());
    }

    #[test]
    fn ordering_is_never_shown_solved_and_grades_through_the_shuffle() {
        let items: Vec<String> = ["раз", "два", "три"].map(String::from).to_vec();
        let key = AnswerKey::Ordering(items.clone());
        for seed in 0..50 {
            let p = present(&key, &mut rand::rngs::StdRng::seed_from_u64(seed));
            let shown = view(&key, &p).items;
            assert_ne!(shown, items);
            // Put the shown items back in the right order.
            let order: Vec<usize> = items
                .iter()
                .map(|i| shown.iter().position(|s| s == i).unwrap())
                .collect();
            let answer = Answer {
                order: Some(order),
                ..Default::default()
            };
            let response = to_response(&key, &p, &answer).unwrap();
            assert_eq!(grade(&key, Some(&response)).fraction, 1.0);
        }
        let p = present(&key, &mut rng());
        let twice = Answer {
            order: Some(vec![0, 0, 1]),
            ..Default::default()
        };
        assert!(to_response(&key, &p, &twice).is_err());
    }

    #[test]
    fn matching_answers_map_items_and_values() {
        let pair = |l: &str, r: &str| Pair {
            left: l.into(),
            right: r.into(),
        };
        let key = AnswerKey::Matching(vec![
            pair("Канада", "Оттава"),
            pair("Италия", "Рим"),
            pair("", "Париж"),
        ]);
        let p = present(&key, &mut rng());
        let v = view(&key, &p);
        assert_eq!(v.items.len(), 2);
        assert_eq!(v.values.len(), 3);
        let right_for = |item: &str| {
            if item == "Канада" {
                "Оттава"
            } else {
                "Рим"
            }
        };
        let matches = v
            .items
            .iter()
            .map(|i| v.values.iter().position(|x| x == right_for(i)))
            .collect();
        let answer = Answer {
            matches: Some(matches),
            ..Default::default()
        };
        let response = to_response(&key, &p, &answer).unwrap();
        assert_eq!(grade(&key, Some(&response)).fraction, 1.0);
    }

    #[test]
    fn numbers_and_text_answers() {
        let key = AnswerKey::Numeric(vec![]);
        let p = Presentation::default();
        let answer = Answer {
            text: Some("18,5".into()),
            ..Default::default()
        };
        assert_eq!(to_response(&key, &p, &answer), Ok(Response::Number(18.5)));
        let words = Answer {
            text: Some("восемнадцать".into()),
            ..Default::default()
        };
        assert!(to_response(&key, &p, &words).is_err());
    }
}
