//! Checking the programme files and the certification rules together, against the cards:
//! every problem at once, like the card and bank checks.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::parse::parse_program;
use super::program::Program;
use crate::cards::domain::Diagnostic;
use crate::certification::domain::rules::{Rules, parse_rules};

/// The rules file, relative to the content directory.
pub const RULES_PATH: &str = "certification.yaml";

/// `programs/NAME.yaml` (or `.yml`) directly under the content directory's `programs/`.
pub fn is_program_path(path: &Path) -> bool {
    let mut parts = path.components();
    let in_programs = parts.next().is_some_and(|c| c.as_os_str() == "programs");
    let file = parts.next();
    in_programs
        && parts.next().is_none()
        && file.is_some_and(|f| {
            let name = f.as_os_str().to_string_lossy();
            !name.starts_with(['.', '_']) && (name.ends_with(".yaml") || name.ends_with(".yml"))
        })
}

pub fn is_career_path(path: &Path) -> bool {
    is_program_path(path) || path == Path::new(RULES_PATH)
}

pub struct Checked {
    /// Valid programmes with their file paths.
    pub programs: Vec<(String, Program)>,
    /// The rules, when the file exists and is valid.
    pub rules: Option<Rules>,
    /// Whether a rules file exists (valid or not).
    pub rules_present: bool,
    pub diagnostics: Vec<Diagnostic>,
}

/// `files` are (relative path, bytes) of programme files and the rules file; `cards` are
/// the ids of the cards that exist.
pub fn check_careers(files: &[(String, Vec<u8>)], cards: &HashSet<String>) -> Checked {
    let mut diagnostics = Vec::new();
    let mut programs: Vec<(String, Program)> = Vec::new();
    let mut first_seen: HashMap<String, (String, u32)> = HashMap::new();
    let mut rules_text = None;
    // Names the rules may use: every programme and skill written, valid or not (an error
    // in a programme is reported there, not again as an unknown name in the rules).
    let mut program_ids: HashSet<String> = HashSet::new();
    let mut skill_ids: HashSet<String> = HashSet::new();
    for (path, bytes) in files {
        let Ok(text) = std::str::from_utf8(bytes) else {
            diagnostics.push(Diagnostic::error(path, 1, 1, "the file is not UTF-8"));
            continue;
        };
        let text = text.replace("\r\n", "\n");
        if path == RULES_PATH {
            rules_text = Some(text);
            continue;
        }
        let parsed = parse_program(path, &text, &mut diagnostics);
        program_ids.extend(parsed.id.iter().map(|(id, _)| id.clone()));
        skill_ids.extend(parsed.skill_ids.iter().cloned());
        for (card, at) in &parsed.cards {
            if !cards.contains(card) {
                diagnostics.push(Diagnostic::error(
                    path,
                    at.line,
                    at.column,
                    format!("no card with id «{card}»"),
                ));
            }
        }
        let mut duplicate = false;
        if let Some((id, at)) = &parsed.id {
            if let Some((other, line)) = first_seen.get(id) {
                duplicate = true;
                diagnostics.push(Diagnostic::error(
                    path,
                    at.line,
                    at.column,
                    format!("programme id «{id}» is also used in {other}:{line}"),
                ));
            } else {
                first_seen.insert(id.clone(), (path.clone(), at.line));
            }
        }
        let cards_ok = parsed.cards.iter().all(|(c, _)| cards.contains(c));
        if let Some(program) = parsed.program
            && cards_ok
            && !duplicate
        {
            programs.push((path.clone(), program));
        }
    }
    let rules_present = rules_text.is_some();
    let rules = rules_text.and_then(|text| {
        parse_rules(
            RULES_PATH,
            &text,
            &program_ids,
            &skill_ids,
            &mut diagnostics,
        )
    });
    Checked {
        programs,
        rules,
        rules_present,
        diagnostics,
    }
}
