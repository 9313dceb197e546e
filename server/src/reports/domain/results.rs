//! Test results aggregated for dashboards: participation, pass rate and average score by
//! any grouping (location, level, direction, quarter). Pure.

use std::collections::HashMap;

/// One direction of one submitted quarterly attempt (a row of `attempt_results`).
#[derive(Debug, Clone, PartialEq)]
pub struct ResultFact {
    pub user_id: i32,
    pub location_id: Option<i32>,
    pub level: String,
    pub quarter: String,
    pub track: String,
    pub percent: f64,
    pub passed: bool,
}

/// What a report row is grouped by; `None` means "all".
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct GroupKey {
    pub quarter: Option<String>,
    pub location_id: Option<i32>,
    pub level: Option<String>,
    pub track: Option<String>,
}

/// Which dimensions to keep.
#[derive(Debug, Clone, Copy, Default)]
pub struct GroupBy {
    pub quarter: bool,
    pub location: bool,
    pub level: bool,
    pub track: bool,
}

impl GroupBy {
    /// The headcount key for a group: staff are counted by location and level only.
    fn headcount_key(&self, key: &GroupKey) -> (Option<i32>, Option<String>) {
        (key.location_id, key.level.clone())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResultRow {
    pub key: GroupKey,
    /// People with at least one submitted attempt in the group.
    pub takers: u32,
    /// Staff the group could have had (active staff of that location and level now);
    /// `None` when unknown.
    pub headcount: Option<u32>,
    /// takers / headcount, 0 – 100.
    pub participation: Option<f64>,
    /// People whose best attempt passed, 0 – 100 of takers.
    pub pass_rate: f64,
    /// Mean of each person's best score, 0 – 100.
    pub average: f64,
}

/// Headcount of active staff by (location, level); a `None` part sums over it.
#[derive(Debug, Clone, Default)]
pub struct Headcount {
    by: HashMap<(Option<i32>, String), u32>,
}

impl Headcount {
    pub fn add(&mut self, location_id: Option<i32>, level: &str) {
        *self.by.entry((location_id, level.to_owned())).or_default() += 1;
    }

    pub fn count(&self, location_id: Option<i32>, level: Option<&str>) -> u32 {
        self.by
            .iter()
            .filter(|((l, lv), _)| {
                location_id.is_none_or(|want| *l == Some(want))
                    && level.is_none_or(|want| lv == want)
            })
            .map(|(_, n)| *n)
            .sum()
    }
}

/// A group's counts as computed elsewhere (the database): turned into a report row with
/// the same rounding and headcount rules as [`aggregate`].
pub fn row_of(
    key: GroupKey,
    takers: u32,
    passed: u32,
    average: f64,
    by: GroupBy,
    headcount: &Headcount,
) -> ResultRow {
    let (location, level) = by.headcount_key(&key);
    let heads = headcount.count(location, level.as_deref());
    let headcount = (heads > 0).then_some(heads);
    ResultRow {
        participation: headcount.map(|h| round1(f64::from(takers) * 100.0 / f64::from(h))),
        headcount,
        pass_rate: round1(f64::from(passed) * 100.0 / f64::from(takers.max(1))),
        average: round1(average),
        takers,
        key,
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_round_and_count_heads_by_location_and_level() {
        let mut heads = Headcount::default();
        for (l, lv) in [
            (10, "barista"),
            (10, "barista"),
            (10, "senior"),
            (20, "barista"),
        ] {
            heads.add(Some(l), lv);
        }
        assert_eq!(heads.count(Some(10), None), 3);
        assert_eq!(heads.count(None, Some("barista")), 3);
        assert_eq!(heads.count(None, None), 4);
        let by = GroupBy {
            location: true,
            ..Default::default()
        };
        let key = GroupKey {
            location_id: Some(10),
            ..Default::default()
        };
        let row = row_of(key, 2, 1, 66.666, by, &heads);
        assert_eq!(row.headcount, Some(3));
        assert_eq!(row.participation, Some(66.7));
        assert_eq!(row.pass_rate, 50.0);
        assert_eq!(row.average, 66.7);
        let nobody = row_of(
            GroupKey {
                location_id: Some(99),
                ..Default::default()
            },
            1,
            0,
            10.0,
            by,
            &heads,
        );
        assert_eq!((nobody.headcount, nobody.participation), (None, None));
    }
}
