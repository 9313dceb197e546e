//! Whether a person meets a level's requirements, item by item, so a page can show what
//! is still missing. Pure.

use std::collections::{BTreeMap, HashSet};

use super::rules::Requirements;
use crate::cards::domain::Track;

/// What is known about a person.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    /// Best score per direction among quarterly attempts in the current or previous quarter.
    pub best_scores: BTreeMap<Track, f64>,
    /// Programmes the person has completed.
    pub programs_completed: HashSet<String>,
    /// Skills with a passed sign-off.
    pub skills_passed: HashSet<String>,
    /// A passed interview for the target level since the last promotion.
    pub interview_passed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// `test:coffee`, `program:ID`, `skill:ID`, `interview`.
    pub key: String,
    pub met: bool,
    /// What it is, in Russian, for pages.
    pub label: String,
}

pub fn checks(req: &Requirements, evidence: &Evidence) -> Vec<Check> {
    let mut out = Vec::new();
    for track in Track::ALL {
        let best = evidence.best_scores.get(&track).copied();
        out.push(Check {
            key: format!("test:{}", track.as_str()),
            met: best.is_some_and(|b| b >= f64::from(req.pass_percent)),
            label: match best {
                Some(b) => format!(
                    "Квартальный тест — {}: {b:.0}% (нужно {}%)",
                    track.label_ru().to_lowercase(),
                    req.pass_percent
                ),
                None => format!(
                    "Квартальный тест — {}: нет результата (нужно {}%)",
                    track.label_ru().to_lowercase(),
                    req.pass_percent
                ),
            },
        });
    }
    if let Some(program) = &req.program {
        out.push(Check {
            key: format!("program:{program}"),
            met: evidence.programs_completed.contains(program),
            label: format!("Программа «{program}» пройдена"),
        });
    }
    for skill in &req.skills {
        out.push(Check {
            key: format!("skill:{skill}"),
            met: evidence.skills_passed.contains(skill),
            label: format!("Навык «{skill}» зачтён"),
        });
    }
    if req.interview {
        out.push(Check {
            key: "interview".into(),
            met: evidence.interview_passed,
            label: "Собеседование с HR пройдено".into(),
        });
    }
    out
}

pub fn all_met(checks: &[Check]) -> bool {
    checks.iter().all(|c| c.met)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req() -> Requirements {
        Requirements {
            pass_percent: 80,
            program: Some("intern".into()),
            skills: vec!["espresso".into()],
            interview: true,
            recertification: None,
        }
    }

    #[test]
    fn every_requirement_must_be_met() {
        let mut e = Evidence::default();
        let c = checks(&req(), &e);
        assert_eq!(c.len(), 6);
        assert!(c.iter().all(|c| !c.met));
        e.best_scores.insert(Track::Coffee, 80.0);
        e.best_scores.insert(Track::Service, 95.0);
        e.best_scores.insert(Track::Bar, 79.9);
        e.programs_completed.insert("intern".into());
        e.skills_passed.insert("espresso".into());
        e.interview_passed = true;
        let c = checks(&req(), &e);
        let unmet: Vec<&str> = c
            .iter()
            .filter(|c| !c.met)
            .map(|c| c.key.as_str())
            .collect();
        assert_eq!(unmet, ["test:bar"]);
        assert!(!all_met(&c));
        e.best_scores.insert(Track::Bar, 88.0);
        assert!(all_met(&checks(&req(), &e)));
    }
}
