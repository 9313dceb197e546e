//! Gathering what happened to a person (cards confirmed, quizzes passed, sign-offs) so
//! progress can be computed. One gathering serves all of a person's assignments.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};

use crate::cards::storage::{acks, cards};
use crate::error::AppError;
use crate::onboarding::domain::{Facts, Record};
use crate::onboarding::storage::assignments::{AssignmentRow, RecordRow};
use crate::quizzes::domain::campaign::QUARTERLY;
use crate::quizzes::storage::attempts::{self, AttemptRow, CampaignRow};
use crate::state::AppState;

/// The practice quiz of an assignment's item is found by this source.
pub fn practice_source(assignment_id: i32, item_id: &str) -> String {
    format!("assignment:{assignment_id}:{item_id}")
}

/// Cards' latest significant revisions, read once per request.
pub async fn significant_revisions(state: &AppState) -> Result<HashMap<String, i32>, AppError> {
    Ok(cards::all(&state.db)
        .await?
        .into_iter()
        .filter(|c| !c.archived)
        .map(|c| (c.id, c.significant_revision))
        .collect())
}

/// A person's test history: every attempt with its campaign.
pub struct Attempts {
    pub rows: Vec<AttemptRow>,
    pub campaigns: HashMap<i32, CampaignRow>,
}

impl Attempts {
    pub async fn of(state: &AppState, user_id: i32) -> Result<Attempts, AppError> {
        let rows = attempts::attempts_of_user(&state.db, user_id).await?;
        let mut ids: Vec<i32> = rows.iter().map(|a| a.campaign_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let campaigns = attempts::campaigns_by_ids(&state.db, &ids)
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        Ok(Attempts { rows, campaigns })
    }

    /// Submitted attempts of quarterly campaigns, with their campaign.
    pub fn quarterly(&self) -> impl Iterator<Item = (&AttemptRow, &CampaignRow)> {
        self.rows.iter().filter_map(|a| {
            let c = self.campaigns.get(&a.campaign_id)?;
            (c.kind == QUARTERLY && a.submitted_at.is_some()).then_some((a, c))
        })
    }

    pub fn quarterly_passed_since(&self, since: DateTime<Utc>) -> bool {
        self.quarterly()
            .any(|(a, _)| a.passed == Some(true) && a.submitted_at.is_some_and(|s| s >= since))
    }

    /// Sources of the practice quizzes passed.
    fn practice_passed(&self) -> HashSet<&str> {
        self.rows
            .iter()
            .filter(|a| a.passed == Some(true))
            .filter_map(|a| self.campaigns.get(&a.campaign_id)?.source.as_deref())
            .collect()
    }
}

/// Everything about one person that progress needs.
pub struct PersonFacts {
    confirmed: HashSet<String>,
    attempts: Attempts,
}

impl PersonFacts {
    pub async fn gather(
        state: &AppState,
        user_id: i32,
        significant: &HashMap<String, i32>,
    ) -> Result<PersonFacts, AppError> {
        let mut latest: HashMap<String, i32> = HashMap::new();
        for ack in acks::of_user(&state.db, user_id).await? {
            let entry = latest.entry(ack.card_id).or_insert(ack.revision);
            *entry = (*entry).max(ack.revision);
        }
        let confirmed = latest
            .into_iter()
            .filter(|(card, revision)| significant.get(card).is_some_and(|s| revision >= s))
            .map(|(card, _)| card)
            .collect();
        Ok(PersonFacts {
            confirmed,
            attempts: Attempts::of(state, user_id).await?,
        })
    }

    pub fn attempts(&self) -> &Attempts {
        &self.attempts
    }

    /// The facts for one assignment, given its records (oldest first).
    pub fn for_assignment(&self, row: &AssignmentRow, records: &[RecordRow]) -> Facts {
        let prefix = format!("assignment:{}:", row.id);
        let practice_passed = self
            .attempts
            .practice_passed()
            .into_iter()
            .filter_map(|source| source.strip_prefix(&prefix).map(str::to_owned))
            .collect();
        Facts {
            read: self.confirmed.clone(),
            practice_passed,
            quarterly_passed: self.attempts.quarterly_passed_since(passes_count_from(row)),
            records: records
                .iter()
                .filter(|r| r.assignment_id == row.id)
                .map(|r| Record {
                    item_id: r.item_id.clone(),
                    passed: r.passed,
                    practise: r.practise.clone(),
                })
                .collect(),
        }
    }
}

/// From when a quarterly pass counts for an assignment: its start date; for a
/// recertification, not before it was assigned (the failed or missed test came before).
fn passes_count_from(row: &AssignmentRow) -> DateTime<Utc> {
    let start = start_of(row.start_date);
    if row.reason == crate::onboarding::storage::assignments::RECERTIFICATION {
        start.max(row.assigned_at)
    } else {
        start
    }
}

pub fn start_of(date: NaiveDate) -> DateTime<Utc> {
    date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}
