//! Report facts for attempts submitted before reports existed: written once, at start,
//! when the facts table is empty but submitted quarterly attempts exist.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::accounts::storage::users;
use crate::certification::domain::Quarter;
use crate::error::AppError;
use crate::quizzes::domain::campaign::{QUARTERLY, Score};
use crate::quizzes::storage::entities::{attempt, campaign, item};
use crate::reports::storage::facts::{self, SubmissionFacts};
use crate::state::AppState;

pub async fn backfill(state: &AppState) -> Result<usize, AppError> {
    if facts::any(&state.db).await? {
        return Ok(0);
    }
    let quarterly: Vec<i32> = campaign::Entity::find()
        .filter(campaign::Column::Kind.eq(QUARTERLY))
        .all(state.db.reader())
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    if quarterly.is_empty() {
        return Ok(0);
    }
    let submitted = attempt::Entity::find()
        .filter(attempt::Column::CampaignId.is_in(quarterly))
        .filter(attempt::Column::SubmittedAt.is_not_null())
        .all(state.db.reader())
        .await?;
    let mut people: HashMap<i32, (Option<i32>, String)> = HashMap::new();
    let mut written = 0;
    for a in submitted {
        let (Some(at), Some(score)) = (a.submitted_at, a.score.as_deref()) else {
            continue;
        };
        let Ok(score) = serde_json::from_str::<Score>(score) else {
            continue;
        };
        if !people.contains_key(&a.user_id)
            && let Some(u) = users::get(&state.db, a.user_id).await?
        {
            people.insert(a.user_id, (u.location_id, u.level));
        }
        let (location_id, level) = match (&a.location_id, &a.level) {
            (location, Some(level)) => (*location, level.clone()),
            _ => people
                .get(&a.user_id)
                .cloned()
                .unwrap_or((None, "trainee".into())),
        };
        let quarter = Quarter::containing(at).code();
        let items = item::Entity::find()
            .filter(item::Column::AttemptId.eq(a.id))
            .all(state.db.reader())
            .await?;
        let txn = sea_orm::TransactionTrait::begin(state.db.writer()).await?;
        facts::write(
            &txn,
            SubmissionFacts {
                results: facts::result_rows(&a, &score, location_id, &level, &quarter, at),
                questions: items
                    .iter()
                    .map(|i| {
                        (
                            i.question_id.clone(),
                            location_id.unwrap_or(0),
                            quarter.clone(),
                            i.fraction.unwrap_or(0.0) < 0.5,
                        )
                    })
                    .collect(),
            },
        )
        .await?;
        txn.commit().await?;
        written += 1;
    }
    if written > 0 {
        tracing::info!(
            attempts = written,
            "report facts written for earlier attempts"
        );
    }
    Ok(written)
}
