//! Overriding a quarterly test result (an appeal upheld, a technical failure): HR or an
//! administrator sets it passed or failed, with a reason. The score stays as graded; the
//! audit log and the person's history keep who changed what and why. Nobody overrides
//! their own result.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};

use super::audit;
use crate::accounts::domain::Principal;
use crate::authz::{self, Action};
use crate::error::{AppError, FieldError};
use crate::quizzes::storage::attempts::{self, AttemptRow};
use crate::quizzes::storage::entities::attempt;
use crate::reports::storage::entities::attempt_result;
use crate::state::AppState;

pub async fn set_result(
    state: &AppState,
    who: &Principal,
    attempt_id: i32,
    passed: bool,
    reason: &str,
) -> Result<AttemptRow, AppError> {
    authz::require(who, Action::ManageCertification)?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 1000 {
        return Err(AppError::validation(vec![FieldError::field(
            "reason",
            "от 1 до 1000 символов: почему результат меняется",
        )]));
    }
    let row = attempts::attempt(&state.db, attempt_id)
        .await?
        .ok_or_else(|| AppError::not_found("attempt"))?;
    if row.submitted_at.is_none() {
        return Err(AppError::conflict(
            "attempt_open",
            "Only a submitted attempt's result can be overridden.",
        ));
    }
    if row.user_id == who.user_id {
        return Err(AppError::forbidden());
    }
    let before = row.passed;
    let txn = state.db.writer().begin().await?;
    attempt::Entity::update_many()
        .col_expr(attempt::Column::Passed, Expr::value(passed))
        .filter(attempt::Column::Id.eq(attempt_id))
        .exec(&txn)
        .await?;
    // Report facts follow: re-written (new ids), so cached aggregates see the change.
    // Facts still waiting in the report outbox are written later from the attempt row,
    // which carries the override (`reports::storage::outbox`).
    let facts = attempt_result::Entity::find()
        .filter(attempt_result::Column::AttemptId.eq(attempt_id))
        .all(&txn)
        .await?;
    if !facts.is_empty() {
        attempt_result::Entity::delete_many()
            .filter(attempt_result::Column::AttemptId.eq(attempt_id))
            .exec(&txn)
            .await?;
        let rewritten = facts.into_iter().map(|f| {
            let mut m: attempt_result::ActiveModel = f.into();
            m.id = sea_orm::ActiveValue::NotSet;
            m.passed = sea_orm::Set(passed);
            m
        });
        attempt_result::Entity::insert_many(rewritten)
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    let word = |p: Option<bool>| match p {
        Some(true) => "сдан",
        Some(false) => "не сдан",
        None => "—",
    };
    let detail = format!(
        "попытка {attempt_id}: {} → {}; {reason}",
        word(before),
        word(Some(passed))
    );
    audit::record(
        state,
        Some(who.user_id),
        audit::RESULT_OVERRIDDEN,
        Some(row.user_id),
        detail.clone(),
    )
    .await;
    crate::certification::storage::record_event(
        &state.db,
        row.user_id,
        state.clock.now(),
        "result_overridden",
        format!("Результат теста изменён: {detail}"),
        Some(who.user_id),
    )
    .await?;
    attempts::attempt(&state.db, attempt_id)
        .await?
        .ok_or_else(|| AppError::not_found("attempt"))
}
