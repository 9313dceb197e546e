//! Attempts in progress, remembered per instance.
//!
//! Every autosave and submission needs its attempt with the drawn questions, and reading
//! them back (the attempt, its campaign, its items) was most of what a submission cost
//! while a quarter closed (docs/performance.md). Most of an attempt never changes after
//! its start: its owner, its deadline, the questions drawn and how each is shown. Its
//! answers do, with every autosave, on this instance or on another replica.
//!
//! So an entry is only as good as its count of saves (`attempts.saves`, bumped by every
//! save in the save's own transaction). A save made here applies its answer to the entry
//! along with the count it got back; a count that does not follow on from the entry's
//! (a save made elsewhere came between) drops the entry. Whoever uses an entry checks the
//! stored count where it matters:
//! - a submission graded from an entry closes the attempt only if the stored count is
//!   still the entry's (`storage/finish.rs`); otherwise it reads the attempt and grades
//!   again;
//! - a resume (`GET /attempts/{id}`, the test page) reads the attempt's row and uses the
//!   entry's items only when the counts match;
//! - an autosave needs only what never changes (the question and its presentation, to
//!   check the answer's shape); whether the attempt is still open is decided by the
//!   conditional write that stores it.
//!
//! An attempt this instance submitted stays too, with its grades, for the second tap of
//! «Завершить» and the review: after submission only a result override changes it, and
//! that is in its row, which those read afresh.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

use super::attempts::Loaded;

/// Attempts kept at once: a large chain's quarter close, at a few kilobytes each (the
/// question bodies are shared with the body cache).
const ENTRIES: usize = 4096;

#[derive(Clone)]
pub struct OpenAttempts {
    inner: Arc<Mutex<lru::LruCache<i32, Loaded>>>,
}

impl Default for OpenAttempts {
    fn default() -> OpenAttempts {
        OpenAttempts {
            inner: Arc::new(Mutex::new(lru::LruCache::new(
                NonZeroUsize::new(ENTRIES).expect("non-zero"),
            ))),
        }
    }
}

impl OpenAttempts {
    /// The remembered attempt, as of the count of saves it carries.
    pub fn get(&self, attempt_id: i32) -> Option<Loaded> {
        self.inner.lock().ok()?.get(&attempt_id).cloned()
    }

    /// Remembers an attempt as just read, started or submitted.
    pub fn remember(&self, loaded: &Loaded) {
        if let Ok(mut cache) = self.inner.lock() {
            cache.put(loaded.attempt.id, loaded.clone());
        }
    }

    /// An answer this instance stored, and the attempt's count of saves after it. The
    /// entry takes it only if no other save came between; otherwise it is dropped.
    pub fn saved(
        &self,
        attempt_id: i32,
        question_id: &str,
        answer_json: &str,
        at: DateTime<Utc>,
        saves: i32,
    ) {
        let Ok(mut cache) = self.inner.lock() else {
            return;
        };
        let Some(entry) = cache.get_mut(&attempt_id) else {
            return;
        };
        let follows_on = entry.attempt.saves + 1 == saves && !entry.is_submitted();
        let item = entry
            .items
            .iter_mut()
            .map(|(item, _)| item)
            .find(|item| item.question_id == question_id);
        match item {
            Some(item) if follows_on => {
                item.answer = Some(answer_json.to_owned());
                item.answered_at = Some(at);
                entry.attempt.saves = saves;
            }
            _ => {
                cache.pop(&attempt_id);
            }
        }
    }

    /// Forgets an attempt (found closed or stale).
    pub fn forget(&self, attempt_id: i32) {
        if let Ok(mut cache) = self.inner.lock() {
            cache.pop(&attempt_id);
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::quizzes::domain::AnswerKey;
    use crate::quizzes::domain::campaign::PassMarks;
    use crate::quizzes::service::campaigns::Campaign;
    use crate::quizzes::storage::attempts::{AttemptRow, CampaignRow, ItemRow};
    use crate::quizzes::storage::questions::Body;

    fn at(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, hour, 0, 0).unwrap()
    }

    fn attempt(id: i32, saves: i32) -> Loaded {
        let campaign = CampaignRow {
            id: 1,
            title: "Квартальный тест".into(),
            opens_at: at(0),
            closes_at: at(23),
            audience: "{}".into(),
            blueprint: "{}".into(),
            time_limit_minutes: 30,
            pass_marks: "{}".into(),
            attempts_allowed: 1,
            created_by: None,
            created_at: at(0),
            kind: "quarterly".into(),
            owner_id: None,
            cards: None,
            source: None,
        };
        let body = Arc::new(Body {
            name: None,
            prompt: "Правда?".into(),
            explanation: None,
            answer: AnswerKey::TrueFalse {
                answer: true,
                feedback_wrong: None,
                feedback_right: None,
            },
        });
        let item = |n: i32| ItemRow {
            id: id * 10 + n,
            attempt_id: id,
            position: n,
            question_id: format!("q{n}"),
            revision: 1,
            track: "coffee".into(),
            presentation: "{}".into(),
            answer: None,
            answered_at: None,
            fraction: None,
        };
        Loaded {
            attempt: AttemptRow {
                id,
                campaign_id: 1,
                user_id: 5,
                number: 1,
                started_at: at(9),
                deadline_at: at(10),
                submitted_at: None,
                percent: None,
                passed: None,
                score: None,
                location_id: None,
                level: None,
                saves,
            },
            campaign: Arc::new(Campaign {
                row: campaign,
                audience: Default::default(),
                blueprint: Default::default(),
                pass_marks: PassMarks {
                    coffee: 60,
                    service: 60,
                    bar: 60,
                    overall: 60,
                },
                pool: None,
            }),
            items: vec![(item(0), body.clone()), (item(1), body)],
        }
    }

    #[test]
    fn a_save_that_follows_on_is_applied() {
        let cache = OpenAttempts::default();
        cache.remember(&attempt(7, 2));
        cache.saved(7, "q1", r#"{"value":true}"#, at(9), 3);
        let known = cache.get(7).expect("kept");
        assert_eq!(known.attempt.saves, 3);
        assert_eq!(
            known.items[1].0.answer.as_deref(),
            Some(r#"{"value":true}"#)
        );
        assert_eq!(known.items[1].0.answered_at, Some(at(9)));
        assert_eq!(known.items[0].0.answer, None);
    }

    #[test]
    fn a_save_made_elsewhere_in_between_drops_the_entry() {
        let cache = OpenAttempts::default();
        cache.remember(&attempt(7, 2));
        // Count 4 means another save (count 3) was stored that this instance never saw.
        cache.saved(7, "q1", r#"{"value":true}"#, at(9), 4);
        assert!(cache.get(7).is_none());
    }

    #[test]
    fn an_unknown_question_drops_the_entry_and_unknown_attempts_stay_unknown() {
        let cache = OpenAttempts::default();
        cache.remember(&attempt(7, 0));
        cache.saved(7, "q9", "{}", at(9), 1);
        assert!(cache.get(7).is_none());
        cache.saved(8, "q1", "{}", at(9), 1);
        assert!(cache.get(8).is_none());
    }

    #[test]
    fn a_submitted_attempt_replaces_the_open_one_and_takes_no_saves() {
        let cache = OpenAttempts::default();
        cache.remember(&attempt(7, 0));
        let mut done = attempt(7, 0);
        done.attempt.submitted_at = Some(at(9));
        cache.remember(&done);
        cache.saved(7, "q1", "{}", at(9), 1);
        assert!(
            cache.get(7).is_none(),
            "a save after submission means it is stale"
        );
        cache.remember(&done);
        assert_eq!(cache.get(7).unwrap().attempt.submitted_at, Some(at(9)));
        cache.forget(7);
        assert!(cache.get(7).is_none());
    }
}
