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
