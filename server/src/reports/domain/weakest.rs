//! The retraining list: standards (cards) ranked by how often their questions are failed,
//! with the questions and the locations where it is worst. Pure.

use std::collections::BTreeMap;

/// A question's tally in one location and quarter (a row of `question_results` with its
/// card). A question counts as failed when it scored under half.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionTally {
    pub question_id: String,
    pub card_id: String,
    pub location_id: Option<i32>,
    pub answered: u64,
    pub failed: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rate {
    pub answered: u64,
    pub failed: u64,
    /// failed / answered, 0 – 100.
    pub fail_rate: f64,
}

impl Rate {
    fn of(answered: u64, failed: u64) -> Rate {
        Rate {
            answered,
            failed,
            fail_rate: if answered == 0 {
                0.0
            } else {
                (failed as f64 * 1000.0 / answered as f64).round() / 10.0
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CardWeakness {
    pub card_id: String,
    pub rate: Rate,
    /// Its questions, most failed first.
    pub questions: Vec<(String, Rate)>,
    /// Locations, worst first (only those with at least the minimum answers), at most 3.
    pub worst_locations: Vec<(Option<i32>, Rate)>,
}

/// Cards with at least `min_answered` answers, most failed first (then most answered).
pub fn weakest(tallies: &[QuestionTally], min_answered: u64) -> Vec<CardWeakness> {
    #[derive(Default)]
    struct Sums {
        total: (u64, u64),
        questions: BTreeMap<String, (u64, u64)>,
        locations: BTreeMap<Option<i32>, (u64, u64)>,
    }
    let mut cards: BTreeMap<&str, Sums> = BTreeMap::new();
    for t in tallies {
        let sums = cards.entry(&t.card_id).or_default();
        for slot in [
            &mut sums.total,
            sums.questions.entry(t.question_id.clone()).or_default(),
            sums.locations.entry(t.location_id).or_default(),
        ] {
            slot.0 += t.answered;
            slot.1 += t.failed;
        }
    }
    let mut out: Vec<CardWeakness> = cards
        .into_iter()
        .filter(|(_, s)| s.total.0 >= min_answered.max(1))
        .map(|(card, s)| {
            let mut questions: Vec<(String, Rate)> = s
                .questions
                .into_iter()
                .map(|(q, (a, f))| (q, Rate::of(a, f)))
                .collect();
            questions.sort_by(|a, b| b.1.fail_rate.total_cmp(&a.1.fail_rate).then(a.0.cmp(&b.0)));
            let mut locations: Vec<(Option<i32>, Rate)> = s
                .locations
                .into_iter()
                .filter(|(_, (a, _))| *a >= min_answered.max(1))
                .map(|(l, (a, f))| (l, Rate::of(a, f)))
                .collect();
            locations.sort_by(|a, b| b.1.fail_rate.total_cmp(&a.1.fail_rate).then(a.0.cmp(&b.0)));
            locations.truncate(3);
            CardWeakness {
                card_id: card.to_owned(),
                rate: Rate::of(s.total.0, s.total.1),
                questions,
                worst_locations: locations,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.rate
            .fail_rate
            .total_cmp(&a.rate.fail_rate)
            .then(b.rate.answered.cmp(&a.rate.answered))
            .then(a.card_id.cmp(&b.card_id))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(q: &str, card: &str, location: i32, answered: u64, failed: u64) -> QuestionTally {
        QuestionTally {
            question_id: q.into(),
            card_id: card.into(),
            location_id: Some(location),
            answered,
            failed,
        }
    }

    #[test]
    fn cards_rank_by_fail_rate_with_questions_and_worst_shops() {
        let tallies = [
            t("q1", "milk", 1, 10, 8),
            t("q1", "milk", 2, 10, 2),
            t("q2", "milk", 1, 10, 0),
            t("q3", "greet", 1, 20, 2),
            t("q4", "rare", 1, 1, 1),
        ];
        let list = weakest(&tallies, 5);
        let ids: Vec<&str> = list.iter().map(|c| c.card_id.as_str()).collect();
        assert_eq!(
            ids,
            ["milk", "greet"],
            "«rare» has too few answers to judge"
        );
        let milk = &list[0];
        assert_eq!((milk.rate.answered, milk.rate.failed), (30, 10));
        assert_eq!(milk.rate.fail_rate, 33.3);
        assert_eq!(milk.questions[0].0, "q1");
        assert_eq!(milk.questions[0].1.fail_rate, 50.0);
        assert_eq!(milk.worst_locations[0].0, Some(1));
        assert_eq!(milk.worst_locations[0].1.fail_rate, 40.0);
    }
}
