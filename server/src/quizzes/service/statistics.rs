//! Item statistics of a campaign over first attempts (see `domain::stats`).

use crate::accounts::domain::Principal;
use crate::authz::{self, Action};
use crate::error::AppError;
use crate::quizzes::domain::stats::{ItemScore, ItemStats, TestStats, statistics};
use crate::quizzes::storage::attempts;
use crate::quizzes::storage::questions::{self, QuestionRow};
use crate::state::AppState;

pub struct CampaignStatistics {
    pub test: TestStats,
    /// With each item's question row (card, direction, type), when it still exists.
    pub items: Vec<(ItemStats, Option<QuestionRow>)>,
}

pub async fn of_campaign(
    state: &AppState,
    who: &Principal,
    campaign_id: i32,
) -> Result<CampaignStatistics, AppError> {
    authz::require(who, Action::ManageCampaigns)?;
    attempts::campaign(&state.db, campaign_id)
        .await?
        .ok_or_else(|| AppError::not_found("campaign"))?;
    let firsts = attempts::first_attempts(&state.db, campaign_id).await?;
    let ids: Vec<i32> = firsts.iter().map(|a| a.id).collect();
    let mut items = attempts::items_of(&state.db, &ids).await?;
    let scored: Vec<Vec<ItemScore>> = ids
        .iter()
        .map(|id| {
            items
                .remove(id)
                .unwrap_or_default()
                .into_iter()
                .map(|i| ItemScore {
                    question: i.question_id,
                    slot: usize::try_from(i.position).unwrap_or(0),
                    fraction: i.fraction.unwrap_or(0.0),
                })
                .collect()
        })
        .collect();
    let (item_stats, test) = statistics(&scored);
    let question_ids: Vec<String> = item_stats.iter().map(|s| s.question.clone()).collect();
    let mut rows = questions::rows_of(&state.db, &question_ids).await?;
    Ok(CampaignStatistics {
        test,
        items: item_stats
            .into_iter()
            .map(|s| {
                let row = rows.remove(&s.question);
                (s, row)
            })
            .collect(),
    })
}
