//! `content/certification.yaml`: what each level requires (docs/programs.md).

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::accounts::domain::Level;
use crate::cards::domain::Diagnostic;
use crate::quizzes::domain::yaml::{self, Node, Reader, key_text};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Rules {
    pub levels: BTreeMap<Level, Requirements>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirements {
    /// Every direction of the quarterly test at least this, in percent.
    pub pass_percent: u32,
    pub program: Option<String>,
    pub skills: Vec<String>,
    pub interview: bool,
    /// The programme assigned when a certificate of this level lapses.
    pub recertification: Option<String>,
}

impl Rules {
    pub fn of(&self, level: Level) -> Option<&Requirements> {
        self.levels.get(&level)
    }
}

/// The level after `level`, if any.
pub fn next_level(level: Level) -> Option<Level> {
    Level::ALL.into_iter().find(|l| *l > level)
}

const FIELDS: [&str; 5] = [
    "pass_percent",
    "program",
    "skills",
    "interview",
    "recertification",
];

/// Parses the rules, checking every programme and skill named against what exists.
pub fn parse_rules(
    file: &str,
    text: &str,
    programs: &HashSet<String>,
    skills: &HashSet<String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Rules> {
    let doc = yaml::load(file, text, diags)?;
    let mut r = Reader { file, diags };
    let errors_before = r.error_count();
    let top = r.mapping(&doc, "the certification rules")?;
    let mut rules = Rules::default();
    let mut levels_node = None;
    for (k, v) in top {
        match key_text(k) {
            Some("levels") => levels_node = Some(v),
            _ => r.error(k, "unknown field; the rules have «levels»"),
        }
    }
    let Some(levels_node) = levels_node else {
        r.error(&doc, "missing required field «levels»");
        return None;
    };
    for (k, v) in r.mapping(levels_node, "«levels»")? {
        let word = key_text(k).unwrap_or("");
        let level = match word.parse::<Level>() {
            Ok(Level::Trainee) => {
                r.error(
                    k,
                    "trainee is where everyone starts: it has no requirements",
                );
                continue;
            }
            Ok(level) => level,
            Err(e) => {
                r.error(k, format!("level {e}"));
                continue;
            }
        };
        if let Some(req) = requirements(&mut r, v, programs, skills) {
            rules.levels.insert(level, req);
        }
    }
    (r.error_count() == errors_before).then_some(rules)
}

fn requirements(
    r: &mut Reader,
    node: &Node,
    programs: &HashSet<String>,
    skills: &HashSet<String>,
) -> Option<Requirements> {
    let m = r.mapping(node, "a level's requirements")?;
    let mut req = Requirements {
        pass_percent: 0,
        program: None,
        skills: Vec::new(),
        interview: true,
        recertification: None,
    };
    let mut has_mark = false;
    for (k, v) in m {
        match key_text(k) {
            Some("pass_percent") => {
                let n = r.number(v, "pass_percent")?;
                if n.fract() != 0.0 || !(0.0..=100.0).contains(&n) {
                    r.error(v, "pass_percent must be a whole number from 0 to 100");
                }
                req.pass_percent = n as u32;
                has_mark = true;
            }
            Some(field @ ("program" | "recertification")) => {
                let Some(id) = r.optional_text(v, field) else {
                    continue;
                };
                if !programs.contains(&id) {
                    r.error(v, format!("no programme with id «{id}» in programs/"));
                }
                if field == "program" {
                    req.program = Some(id);
                } else {
                    req.recertification = Some(id);
                }
            }
            Some("skills") => {
                for s in r.sequence(v, "skills").unwrap_or_default() {
                    let Some(id) = r.required_text(s, "skills") else {
                        continue;
                    };
                    if !skills.contains(&id) {
                        r.error(s, format!("no programme has a skill with id «{id}»"));
                    }
                    req.skills.push(id);
                }
            }
            Some("interview") => req.interview = r.boolean(v, "interview").unwrap_or(true),
            _ => r.error(
                k,
                format!("unknown field; a level has: {}", FIELDS.join(", ")),
            ),
        }
    }
    if !has_mark {
        r.error(node, "a level needs «pass_percent» for the quarterly test");
    }
    Some(req)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(items: &[&str]) -> HashSet<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn reads_levels_and_checks_names() {
        let text = "levels:\n  barista:\n    pass_percent: 80\n    program: intern\n    skills: [espresso]\n    recertification: recert\n  leader:\n    pass_percent: 90\n    interview: false\n";
        let mut diags = Vec::new();
        let rules = parse_rules(
            "certification.yaml",
            text,
            &set(&["intern", "recert"]),
            &set(&["espresso"]),
            &mut diags,
        )
        .expect("valid");
        assert!(diags.is_empty(), "{diags:?}");
        let barista = rules.of(Level::Barista).unwrap();
        assert_eq!(barista.pass_percent, 80);
        assert_eq!(barista.program.as_deref(), Some("intern"));
        assert!(barista.interview);
        assert!(!rules.of(Level::Leader).unwrap().interview);
        assert!(rules.of(Level::Senior).is_none());
        assert_eq!(next_level(Level::Trainee), Some(Level::Barista));
        assert_eq!(next_level(Level::Leader), None);
    }

    #[test]
    fn unknown_names_are_errors_with_their_line() {
        let text = "levels:\n  barista:\n    pass_percent: 180\n    program: nope\n    skills: [latte]\n  boss: {}\n";
        let mut diags = Vec::new();
        assert!(parse_rules("c.yaml", text, &set(&[]), &set(&[]), &mut diags).is_none());
        let lines: Vec<(u32, &str)> = diags.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert!(
            lines.iter().any(|(l, m)| *l == 3 && m.contains("0 to 100")),
            "{lines:?}"
        );
        assert!(
            lines.iter().any(|(l, m)| *l == 4 && m.contains("«nope»")),
            "{lines:?}"
        );
        assert!(
            lines.iter().any(|(l, m)| *l == 5 && m.contains("«latte»")),
            "{lines:?}"
        );
        assert!(
            lines.iter().any(|(l, m)| *l == 6 && m.contains("boss")),
            "{lines:?}"
        );
    }
}
