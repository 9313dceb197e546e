//! Item and test statistics over first attempts, with the formulas of Moodle's quiz
//! statistics report:
//!
//! - facility index F = mean item score / max (100 % = everyone right);
//! - discrimination index D = 100 × Pearson correlation between the item score and the
//!   score on the rest of the test (total minus the item), sample (n − 1) moments;
//! - coefficient of internal consistency (Cronbach's alpha) over slots:
//!   α = k / (k − 1) × (1 − Σ var(slot) / var(total));
//! - score spread: mean, median, standard deviation (n − 1), lowest and highest total.
//!
//! Each person draws their own questions, so item statistics are over the attempts that
//! drew the item, and alpha is over slots (the n-th question of a direction), as Moodle
//! does for random questions.

use std::collections::BTreeMap;

/// Facility below this (share of full marks) flags a question as too hard.
pub const TOO_HARD: f64 = 0.20;
/// Facility above this flags a question as too easy.
pub const TOO_EASY: f64 = 0.95;
/// Discrimination below this flags a question as not telling strong from weak.
pub const LOW_DISCRIMINATION: f64 = 0.20;

/// One graded question of one attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemScore {
    pub question: String,
    /// The position it was drawn for (same slot = same place in every attempt).
    pub slot: usize,
    /// 0.0 ..= 1.0.
    pub fraction: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    TooHard,
    TooEasy,
    LowDiscrimination,
}

impl Flag {
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::TooHard => "too_hard",
            Flag::TooEasy => "too_easy",
            Flag::LowDiscrimination => "low_discrimination",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ItemStats {
    pub question: String,
    /// Attempts that drew the question.
    pub count: usize,
    /// 0.0 ..= 1.0.
    pub facility: f64,
    /// -1.0 ..= 1.0; `None` when a variance is zero or fewer than two attempts.
    pub discrimination: Option<f64>,
    /// Standard deviation of the item score (n − 1).
    pub sd: Option<f64>,
    pub flags: Vec<Flag>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TestStats {
    pub attempts: usize,
    /// Totals as a share of the maximum (0.0 ..= 1.0).
    pub mean: Option<f64>,
    pub median: Option<f64>,
    pub sd: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Cronbach's alpha; `None` with fewer than two slots or attempts, or no variance.
    pub alpha: Option<f64>,
}

/// Statistics for `attempts` (each the graded items of one first attempt).
pub fn statistics(attempts: &[Vec<ItemScore>]) -> (Vec<ItemStats>, TestStats) {
    let totals: Vec<f64> = attempts
        .iter()
        .map(|a| a.iter().map(|i| i.fraction).sum())
        .collect();
    let mut per_item: BTreeMap<&str, Vec<(f64, f64)>> = BTreeMap::new();
    for (attempt, total) in attempts.iter().zip(&totals) {
        for item in attempt {
            per_item
                .entry(&item.question)
                .or_default()
                .push((item.fraction, total - item.fraction));
        }
    }
    let items = per_item
        .into_iter()
        .map(|(question, pairs)| item(question, &pairs))
        .collect();
    (items, test(attempts, &totals))
}

fn item(question: &str, pairs: &[(f64, f64)]) -> ItemStats {
    let marks: Vec<f64> = pairs.iter().map(|p| p.0).collect();
    let rest: Vec<f64> = pairs.iter().map(|p| p.1).collect();
    let facility = mean(&marks).unwrap_or(0.0);
    let discrimination = correlation(&marks, &rest);
    let mut flags = Vec::new();
    if facility < TOO_HARD {
        flags.push(Flag::TooHard);
    }
    if facility > TOO_EASY {
        flags.push(Flag::TooEasy);
    }
    if discrimination.is_some_and(|d| d < LOW_DISCRIMINATION) {
        flags.push(Flag::LowDiscrimination);
    }
    ItemStats {
        question: question.to_owned(),
        count: pairs.len(),
        facility,
        discrimination,
        sd: variance(&marks).map(f64::sqrt),
        flags,
    }
}

fn test(attempts: &[Vec<ItemScore>], totals: &[f64]) -> TestStats {
    let max_total = attempts.iter().map(Vec::len).max().unwrap_or(0) as f64;
    let shares: Vec<f64> = attempts
        .iter()
        .zip(totals)
        .map(|(a, t)| {
            if a.is_empty() {
                0.0
            } else {
                t / a.len() as f64
            }
        })
        .collect();
    let mut sorted = shares.clone();
    sorted.sort_by(f64::total_cmp);
    let median = match sorted.len() {
        0 => None,
        n if n % 2 == 1 => Some(sorted[n / 2]),
        n => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    };
    TestStats {
        attempts: attempts.len(),
        mean: mean(&shares),
        median,
        sd: variance(&shares).map(f64::sqrt),
        min: sorted.first().copied(),
        max: sorted.last().copied(),
        alpha: alpha(attempts, totals, max_total as usize),
    }
}

/// Cronbach's alpha over slots, using attempts that have every slot.
fn alpha(attempts: &[Vec<ItemScore>], totals: &[f64], slots: usize) -> Option<f64> {
    if slots < 2 {
        return None;
    }
    let complete: Vec<(&Vec<ItemScore>, f64)> = attempts
        .iter()
        .zip(totals)
        .filter(|(a, _)| a.len() == slots)
        .map(|(a, t)| (a, *t))
        .collect();
    let mut by_slot: BTreeMap<usize, Vec<f64>> = BTreeMap::new();
    for (attempt, _) in &complete {
        for item in attempt.iter() {
            by_slot.entry(item.slot).or_default().push(item.fraction);
        }
    }
    if by_slot.len() != slots || by_slot.values().any(|v| v.len() != complete.len()) {
        return None;
    }
    let total_variance = variance(&complete.iter().map(|c| c.1).collect::<Vec<_>>())?;
    if total_variance <= f64::EPSILON {
        return None;
    }
    let sum_of_variances: f64 = by_slot.values().filter_map(|v| variance(v)).sum();
    let k = slots as f64;
    Some(k / (k - 1.0) * (1.0 - sum_of_variances / total_variance))
}

fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

/// Sample variance (n − 1).
fn variance(xs: &[f64]) -> Option<f64> {
    if xs.len() < 2 {
        return None;
    }
    let m = mean(xs)?;
    Some(xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (xs.len() - 1) as f64)
}

fn correlation(xs: &[f64], ys: &[f64]) -> Option<f64> {
    if xs.len() < 2 || xs.len() != ys.len() {
        return None;
    }
    let (mx, my) = (mean(xs)?, mean(ys)?);
    let n1 = (xs.len() - 1) as f64;
    let cov = xs
        .iter()
        .zip(ys)
        .map(|(x, y)| (x - mx) * (y - my))
        .sum::<f64>()
        / n1;
    let (vx, vy) = (variance(xs)?, variance(ys)?);
    (vx * vy > 1e-12).then(|| cov / (vx * vy).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(marks: &[(&str, f64)]) -> Vec<ItemScore> {
        marks
            .iter()
            .enumerate()
            .map(|(slot, (q, f))| ItemScore {
                question: q.to_string(),
                slot,
                fraction: *f,
            })
            .collect()
    }

    /// Four people, three questions each (same questions in the same slots):
    ///
    /// | person | a | b | c | total |
    /// |--------|---|---|---|-------|
    /// | 1      | 1 | 1 | 1 | 3     |
    /// | 2      | 1 | 1 | 0 | 2     |
    /// | 3      | 1 | 0 | 0 | 1     |
    /// | 4      | 0 | 0 | 1 | 1     |
    ///
    /// By hand: facility a = 3/4, b = 2/4, c = 2/4.
    /// Item b, rest scores (a + c): 2, 1, 1, 1 → b = (1,1,0,0), rest = (2,1,1,1):
    /// means 0.5 and 1.25; cov = [(.5)(.75) + (.5)(-.25) + (-.5)(-.25) + (-.5)(-.25)] / 3
    /// = 0.5 / 3; var b = 1/3; var rest = (0.5625 + 3 × 0.0625) / 3 = 0.75 / 3 = 0.25;
    /// D = (0.5/3) / sqrt(1/3 × 0.25) = 0.16667 / 0.28868 = 0.57735.
    /// Item c: c = (1,0,0,1), rest (a + b) = (2,2,1,0): means .5 and 1.25;
    /// cov = [(.5)(.75) + (-.5)(.75) + (-.5)(-.25) + (.5)(-1.25)] / 3 = -0.5 / 3;
    /// var rest = (0.5625 + 0.5625 + 0.0625 + 1.5625) / 3 = 2.75 / 3;
    /// D = -0.16667 / sqrt(1/3 × 2.75/3) = -0.16667 / 0.55277 = -0.30151.
    /// Alpha: item variances 0.25, 1/3, 1/3 (sum 0.91667); totals 3,2,1,1: mean 1.75,
    /// var = (1.5625 + 0.0625 + 0.5625 + 0.5625) / 3 = 0.91667;
    /// α = 3/2 × (1 − 0.91667 / 0.91667) = 0.
    #[test]
    fn matches_hand_computed_values() {
        let attempts = vec![
            attempt(&[("a", 1.0), ("b", 1.0), ("c", 1.0)]),
            attempt(&[("a", 1.0), ("b", 1.0), ("c", 0.0)]),
            attempt(&[("a", 1.0), ("b", 0.0), ("c", 0.0)]),
            attempt(&[("a", 0.0), ("b", 0.0), ("c", 1.0)]),
        ];
        let (items, test) = statistics(&attempts);
        let get = |q: &str| items.iter().find(|i| i.question == q).unwrap().clone();
        assert_eq!(get("a").facility, 0.75);
        assert_eq!(get("b").facility, 0.5);
        assert!((get("b").discrimination.unwrap() - 0.57735).abs() < 1e-5);
        assert!((get("c").discrimination.unwrap() + 0.30151).abs() < 1e-5);
        assert_eq!(get("c").flags, [Flag::LowDiscrimination]);
        assert!(get("b").flags.is_empty());
        assert!(test.alpha.unwrap().abs() < 1e-9);
        assert_eq!(test.attempts, 4);
        assert!((test.mean.unwrap() - 1.75 / 3.0).abs() < 1e-9);
        assert_eq!(test.median, Some(0.5));
        assert_eq!(test.min, Some(1.0 / 3.0));
        assert_eq!(test.max, Some(1.0));
    }

    /// Perfectly consistent items: everyone either knows all or nothing.
    /// Items all equal per person → alpha = 1 and discrimination = 1.
    #[test]
    fn consistent_items_have_alpha_one() {
        let attempts = vec![
            attempt(&[("a", 1.0), ("b", 1.0)]),
            attempt(&[("a", 0.0), ("b", 0.0)]),
            attempt(&[("a", 1.0), ("b", 1.0)]),
        ];
        let (items, test) = statistics(&attempts);
        assert!((test.alpha.unwrap() - 1.0).abs() < 1e-9);
        assert!((items[0].discrimination.unwrap() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn easy_hard_and_undefined_cases() {
        let attempts = vec![
            attempt(&[("easy", 1.0), ("hard", 0.0)]),
            attempt(&[("easy", 1.0), ("hard", 0.0)]),
        ];
        let (items, test) = statistics(&attempts);
        assert_eq!(items[0].flags, [Flag::TooEasy]);
        assert_eq!(items[1].flags, [Flag::TooHard]);
        assert_eq!(items[0].discrimination, None, "no variance");
        assert_eq!(test.alpha, None, "no variance in totals");
        let (items, test) = statistics(&[]);
        assert!(items.is_empty());
        assert_eq!(test.mean, None);
    }
}
