//! Test results aggregated for dashboards: participation, pass rate and average score by
//! any grouping (location, level, direction, quarter). Pure.

use std::collections::{BTreeMap, HashMap};

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
    fn key(&self, f: &ResultFact) -> GroupKey {
        GroupKey {
            quarter: self.quarter.then(|| f.quarter.clone()),
            location_id: if self.location { f.location_id } else { None },
            level: self.level.then(|| f.level.clone()),
            track: self.track.then(|| f.track.clone()),
        }
    }

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

/// The reference for the report rules, on facts in memory: the service runs the same
/// rules in SQL (`reports::storage::facts::aggregate`) and shapes rows with [`row_of`].
/// Groups facts: each person counts once per group (their best score; passed if any
/// attempt passed), so retakes do not inflate numbers.
pub fn aggregate(facts: &[ResultFact], by: GroupBy, headcount: &Headcount) -> Vec<ResultRow> {
    // group → person → (best percent, passed)
    let mut groups: BTreeMap<GroupKey, HashMap<i32, (f64, bool)>> = BTreeMap::new();
    for f in facts {
        let person = groups
            .entry(by.key(f))
            .or_default()
            .entry(f.user_id)
            .or_insert((f.percent, f.passed));
        person.0 = person.0.max(f.percent);
        person.1 |= f.passed;
    }
    groups
        .into_iter()
        .map(|(key, people)| {
            let takers = u32::try_from(people.len()).unwrap_or(u32::MAX);
            let passed = people.values().filter(|p| p.1).count();
            let sum: f64 = people.values().map(|p| p.0).sum();
            let (location, level) = by.headcount_key(&key);
            let heads = headcount.count(location, level.as_deref());
            let headcount = (heads > 0).then_some(heads);
            ResultRow {
                participation: headcount.map(|h| round1(f64::from(takers) * 100.0 / f64::from(h))),
                headcount,
                pass_rate: round1(passed as f64 * 100.0 / people.len().max(1) as f64),
                average: round1(sum / people.len().max(1) as f64),
                takers,
                key,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(
        user: i32,
        location: i32,
        level: &str,
        quarter: &str,
        track: &str,
        percent: f64,
        passed: bool,
    ) -> ResultFact {
        ResultFact {
            user_id: user,
            location_id: Some(location),
            level: level.into(),
            quarter: quarter.into(),
            track: track.into(),
            percent,
            passed,
        }
    }

    #[test]
    fn people_count_once_with_their_best_attempt() {
        let facts = [
            fact(1, 10, "barista", "2026-Q4", "coffee", 40.0, false),
            fact(1, 10, "barista", "2026-Q4", "coffee", 90.0, true),
            fact(2, 10, "barista", "2026-Q4", "coffee", 50.0, false),
            fact(3, 20, "trainee", "2026-Q4", "coffee", 100.0, true),
            fact(3, 20, "trainee", "2026-Q3", "coffee", 70.0, true),
        ];
        let mut heads = Headcount::default();
        for (l, lv) in [
            (10, "barista"),
            (10, "barista"),
            (10, "barista"),
            (10, "barista"),
            (20, "trainee"),
        ] {
            heads.add(Some(l), lv);
        }
        let by = GroupBy {
            quarter: true,
            location: true,
            ..Default::default()
        };
        let rows = aggregate(&facts, by, &heads);
        assert_eq!(rows.len(), 3);
        let shop = rows.iter().find(|r| r.key.location_id == Some(10)).unwrap();
        assert_eq!(shop.takers, 2);
        assert_eq!(shop.headcount, Some(4));
        assert_eq!(shop.participation, Some(50.0));
        assert_eq!(shop.pass_rate, 50.0);
        assert_eq!(
            shop.average, 70.0,
            "best of person 1 (90) and person 2 (50)"
        );
        let chain = aggregate(
            &facts,
            GroupBy {
                quarter: true,
                ..Default::default()
            },
            &heads,
        );
        let q4 = chain
            .iter()
            .find(|r| r.key.quarter.as_deref() == Some("2026-Q4"))
            .unwrap();
        assert_eq!((q4.takers, q4.headcount), (3, Some(5)));
        assert_eq!(q4.participation, Some(60.0));
        assert_eq!(q4.pass_rate, 66.7);
    }
}
