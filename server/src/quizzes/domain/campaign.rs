//! Campaign rules: who takes the test, what is drawn, when it is passed. Pure.

use std::collections::BTreeMap;

use rand::Rng;
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};

use crate::accounts::domain::Level;
use crate::cards::domain::Track;

/// Questions per direction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Blueprint {
    #[serde(default)]
    pub coffee: u32,
    #[serde(default)]
    pub service: u32,
    #[serde(default)]
    pub bar: u32,
}

impl Blueprint {
    pub fn count(&self, track: Track) -> u32 {
        match track {
            Track::Coffee => self.coffee,
            Track::Service => self.service,
            Track::Bar => self.bar,
        }
    }

    pub fn total(&self) -> u32 {
        self.coffee + self.service + self.bar
    }
}

/// Pass marks in percent: each direction in the blueprint, and overall.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassMarks {
    pub coffee: u32,
    pub service: u32,
    pub bar: u32,
    pub overall: u32,
}

impl PassMarks {
    pub fn of(&self, track: Track) -> u32 {
        match track {
            Track::Coffee => self.coffee,
            Track::Service => self.service,
            Track::Bar => self.bar,
        }
    }
}

/// Who takes the test. Empty lists mean everyone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Audience {
    #[serde(default)]
    pub locations: Vec<i32>,
    #[serde(default)]
    pub levels: Vec<Level>,
}

impl Audience {
    pub fn includes(&self, location: Option<i32>, level: Level) -> bool {
        let location_ok =
            self.locations.is_empty() || location.is_some_and(|l| self.locations.contains(&l));
        let level_ok = self.levels.is_empty() || self.levels.contains(&level);
        location_ok && level_ok
    }
}

/// Campaign kinds as stored: the quarterly test counts for certification; a practice quiz
/// belongs to one person's onboarding programme.
pub const QUARTERLY: &str = "quarterly";
pub const PRACTICE: &str = "practice";

/// What a practice quiz draws from: every question of the listed cards, and every question
/// of the listed directions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Pool {
    #[serde(default)]
    pub cards: Vec<String>,
    #[serde(default)]
    pub tracks: Vec<String>,
}

impl Pool {
    pub fn admits(&self, card: &str, track: &str) -> bool {
        self.tracks.iter().any(|t| t == track) || self.cards.iter().any(|c| c == card)
    }
}

/// Spreads `n` questions over the directions in proportion to how many the pool holds in
/// each (largest remainder), never more than a direction holds.
pub fn spread(n: u32, available: &[(Track, u32)]) -> Blueprint {
    let total: u32 = available.iter().map(|a| a.1).sum();
    let n = n.min(total);
    let mut blueprint = Blueprint::default();
    if total == 0 {
        return blueprint;
    }
    let mut given = 0;
    // (remainder, track, room left in that direction)
    let mut rest = Vec::new();
    for &(track, count) in available {
        let exact = u64::from(n) * u64::from(count);
        let whole = u32::try_from(exact / u64::from(total)).unwrap_or(count);
        given += whole;
        rest.push((exact % u64::from(total), track, count - whole));
        *slot(&mut blueprint, track) += whole;
    }
    // Largest remainders first; n <= total, so rounds with room always finish.
    rest.sort_by_key(|r| std::cmp::Reverse(r.0));
    while given < n {
        for (_, track, room) in rest.iter_mut() {
            if given < n && *room > 0 {
                *room -= 1;
                *slot(&mut blueprint, *track) += 1;
                given += 1;
            }
        }
    }
    blueprint
}

fn slot(blueprint: &mut Blueprint, track: Track) -> &mut u32 {
    match track {
        Track::Coffee => &mut blueprint.coffee,
        Track::Service => &mut blueprint.service,
        Track::Bar => &mut blueprint.bar,
    }
}

/// A question that may be drawn for one person.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub id: String,
    /// The person met it in an earlier attempt.
    pub seen: bool,
    /// How often it has been drawn for anyone.
    pub uses: u64,
}

/// Picks `n` candidates: unseen before seen, then the least used, at random among equals;
/// returned in random order. Fewer when there are fewer candidates.
pub fn draw(candidates: &[Candidate], n: usize, rng: &mut impl Rng) -> Vec<usize> {
    let mut indexes: Vec<usize> = (0..candidates.len()).collect();
    indexes.shuffle(rng);
    indexes.sort_by_key(|&i| (candidates[i].seen, candidates[i].uses));
    indexes.truncate(n);
    indexes.shuffle(rng);
    indexes
}

/// The result for one direction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackScore {
    pub track: String,
    /// Sum of question fractions.
    pub points: f64,
    pub questions: u32,
    /// 0 – 100.
    pub percent: f64,
    pub passed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub tracks: Vec<TrackScore>,
    pub percent: f64,
    pub passed: bool,
}

/// Scores graded items `(track, fraction)`: per direction and overall, each against its
/// pass mark. Passed only when every direction and the whole test are.
pub fn score(items: &[(Track, f64)], marks: &PassMarks) -> Score {
    let mut by_track: BTreeMap<Track, (f64, u32)> = BTreeMap::new();
    for &(track, fraction) in items {
        let entry = by_track.entry(track).or_default();
        entry.0 += fraction;
        entry.1 += 1;
    }
    let percent_of = |points: f64, n: u32| {
        if n == 0 {
            0.0
        } else {
            (points / f64::from(n) * 1000.0).round() / 10.0
        }
    };
    let tracks: Vec<TrackScore> = by_track
        .into_iter()
        .map(|(track, (points, n))| {
            let percent = percent_of(points, n);
            TrackScore {
                track: track.as_str().to_owned(),
                points,
                questions: n,
                percent,
                passed: percent >= f64::from(marks.of(track)),
            }
        })
        .collect();
    let points: f64 = tracks.iter().map(|t| t.points).sum();
    let n: u32 = tracks.iter().map(|t| t.questions).sum();
    let percent = percent_of(points, n);
    Score {
        passed: n > 0 && percent >= f64::from(marks.overall) && tracks.iter().all(|t| t.passed),
        tracks,
        percent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn marks() -> PassMarks {
        PassMarks {
            coffee: 70,
            service: 80,
            bar: 70,
            overall: 75,
        }
    }

    #[test]
    fn every_direction_and_the_total_must_pass() {
        let items = [
            (Track::Coffee, 1.0),
            (Track::Coffee, 1.0),
            (Track::Service, 1.0),
            (Track::Service, 0.5),
        ];
        let s = score(&items, &marks());
        assert_eq!(s.percent, 87.5);
        assert_eq!(s.tracks[0].percent, 100.0);
        assert_eq!(s.tracks[1].percent, 75.0);
        assert!(!s.tracks[1].passed, "service needs 80");
        assert!(!s.passed);
        let s = score(&[(Track::Coffee, 1.0), (Track::Service, 1.0)], &marks());
        assert!(s.passed);
        assert!(!score(&[], &marks()).passed);
    }

    #[test]
    fn drawing_prefers_unseen_then_least_used() {
        let c = |id: &str, seen, uses| Candidate {
            id: id.into(),
            seen,
            uses,
        };
        let candidates = [
            c("seen", true, 0),
            c("busy", false, 9),
            c("fresh", false, 1),
            c("new", false, 0),
        ];
        for seed in 0..20 {
            let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
            let mut picked: Vec<&str> = draw(&candidates, 2, &mut rng)
                .into_iter()
                .map(|i| candidates[i].id.as_str())
                .collect();
            picked.sort();
            assert_eq!(picked, ["fresh", "new"]);
        }
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        assert_eq!(draw(&candidates, 10, &mut rng).len(), 4);
    }

    #[test]
    fn practice_questions_spread_in_proportion() {
        let b = spread(10, &[(Track::Coffee, 30), (Track::Service, 10)]);
        assert_eq!((b.coffee, b.service, b.bar), (8, 2, 0));
        let b = spread(
            10,
            &[(Track::Coffee, 1), (Track::Service, 1), (Track::Bar, 1)],
        );
        assert_eq!(b.total(), 3, "never more than the pool holds");
        let b = spread(
            5,
            &[(Track::Coffee, 4), (Track::Service, 4), (Track::Bar, 4)],
        );
        assert_eq!(b.total(), 5);
        assert!(b.coffee <= 4 && b.service <= 4 && b.bar <= 4);
        assert_eq!(spread(3, &[]).total(), 0);
        let pool = Pool {
            cards: vec!["a".into()],
            tracks: vec!["bar".into()],
        };
        assert!(pool.admits("a", "coffee") && pool.admits("z", "bar"));
        assert!(!pool.admits("z", "coffee"));
    }

    #[test]
    fn audiences() {
        let all = Audience::default();
        assert!(all.includes(None, Level::Trainee));
        let shop = Audience {
            locations: vec![3],
            levels: vec![Level::Trainee, Level::Barista],
        };
        assert!(shop.includes(Some(3), Level::Barista));
        assert!(!shop.includes(Some(4), Level::Barista));
        assert!(!shop.includes(None, Level::Barista));
        assert!(!shop.includes(Some(3), Level::Leader));
    }
}
