//! Reading-confirmation coverage per location, counted in the database: a confirmation
//! counts when it is of a live mandatory card at or below the person's level and not older
//! than the card's latest significant revision.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, Statement};

use crate::db::Db;

/// Levels as numbers, so SQL can compare them (the same order as `Level`).
const RANK: &str = "CASE {} WHEN 'trainee' THEN 0 WHEN 'barista' THEN 1 WHEN 'senior' THEN 2 WHEN 'leader' THEN 3 ELSE 9 END";

fn rank(column: &str) -> String {
    RANK.replace("{}", column)
}

/// Confirmations that count, per location of active staff (`None`: no location).
pub async fn confirmed_by_location(
    db: &Db,
    only: Option<i32>,
) -> Result<HashMap<Option<i32>, i64>, sea_orm::DbErr> {
    let conn = db.reader();
    // Plain SQL that both SQLite and PostgreSQL accept; no user input goes into it.
    let sql = format!(
        "SELECT location_id, COUNT(*) AS n FROM ( \
           SELECT DISTINCT u.location_id AS location_id, a.user_id, a.card_id \
           FROM card_acks a \
           JOIN cards c ON c.id = a.card_id \
           JOIN users u ON u.id = a.user_id \
           WHERE a.revision >= c.significant_revision AND c.mandatory AND NOT c.archived \
             AND u.active AND u.role = 'staff' AND {} <= {} {} \
         ) counted GROUP BY location_id",
        rank("c.level"),
        rank("u.level"),
        only.map_or(String::new(), |id| format!("AND u.location_id = {id}")),
    );
    let rows = conn
        .query_all_raw(Statement::from_string(conn.get_database_backend(), sql))
        .await?;
    let mut out = HashMap::new();
    for row in rows {
        let location: Option<i32> = row.try_get("", "location_id")?;
        let n: i64 = row.try_get("", "n")?;
        out.insert(location, n);
    }
    Ok(out)
}
