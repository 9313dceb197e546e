//! The whole quizzes directory: which files are banks, and checks across banks and cards.

use std::collections::BTreeMap;
use std::path::Path;

use super::bank::{Bank, parse_bank};
use crate::cards::domain::{CardId, Diagnostic, Severity, Track, decode, is_hidden};

/// Whether a path (relative to the quizzes dir) is a bank: `*.yaml` or `*.yml`, the file
/// name does not start with `_`, and no component starts with `.`.
pub fn is_bank_path(path: &Path) -> bool {
    let hidden = is_hidden(path);
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
        return false;
    };
    let yaml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
    !hidden && yaml && !name.starts_with('_')
}

/// Checks every bank against each other and against the cards (`cards`: id → direction).
/// Returns the banks without any error (a bank with an error is left out whole, so its
/// last good version stays in use) and every diagnostic, sorted by file, line, column.
pub fn check_banks(
    files: &[(String, Vec<u8>)],
    cards: &BTreeMap<CardId, Track>,
) -> (Vec<(String, Bank)>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut parsed = Vec::new();
    let mut by_id: BTreeMap<String, Vec<(usize, u32, u32)>> = BTreeMap::new();
    for (i, (file, bytes)) in files.iter().enumerate() {
        let text = match decode(file, bytes) {
            Ok(text) => text,
            Err(d) => {
                diags.push(d);
                parsed.push(None);
                continue;
            }
        };
        let result = parse_bank(file, &text, &mut diags);
        for at in &result.ids {
            by_id
                .entry(at.id.as_str().to_owned())
                .or_default()
                .push((i, at.line, at.column));
        }
        for (card, line, column) in &result.cards {
            match cards.get(card) {
                None => diags.push(Diagnostic::error(
                    file,
                    *line,
                    *column,
                    format!("unknown card «{}»: no card has this id", card.as_str()),
                )),
                Some(track) => {
                    if let Some(bank) = &result.bank
                        && bank.track != *track
                    {
                        diags.push(Diagnostic::warning(
                            file,
                            *line,
                            *column,
                            format!(
                                "card «{}» is in direction «{}», this bank is «{}»",
                                card.as_str(),
                                track.as_str(),
                                bank.track.as_str()
                            ),
                        ));
                    }
                }
            }
        }
        parsed.push(result.bank);
    }
    for (id, places) in &by_id {
        if places.len() < 2 {
            continue;
        }
        for (n, &(i, line, column)) in places.iter().enumerate() {
            let others: Vec<String> = places
                .iter()
                .enumerate()
                .filter(|&(m, _)| m != n)
                .map(|(_, &(j, l, _))| format!("{}:{l}", files[j].0))
                .collect();
            diags.push(Diagnostic::error(
                &files[i].0,
                line,
                column,
                format!(
                    "duplicate question id «{id}», also at {}",
                    others.join(", ")
                ),
            ));
        }
    }
    let failed = |file: &str| {
        diags
            .iter()
            .any(|d| d.file == file && d.severity == Severity::Error)
    };
    let banks = parsed
        .into_iter()
        .zip(files)
        .filter_map(|(bank, (file, _))| Some((file.clone(), bank?)))
        .filter(|(file, _)| !failed(file))
        .collect();
    diags.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    (banks, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bank_paths() {
        for yes in ["service.yaml", "a/b.yml", "Bar.YAML"] {
            assert!(is_bank_path(Path::new(yes)), "{yes}");
        }
        for no in [
            "_draft.yaml",
            ".hidden/a.yaml",
            "a.md",
            "notes.txt",
            "../x.yaml",
        ] {
            assert!(!is_bank_path(Path::new(no)), "{no}");
        }
    }
}
