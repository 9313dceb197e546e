//! The whole content directory: which files are cards, and checks across cards.

use std::collections::BTreeMap;
use std::path::{Component, Path};

use super::parse::{parse_with_id, sort};
use super::{Card, Diagnostic};

/// Whether a path (relative to the content dir) is a card: `*.md` (extension matched
/// case-insensitively), the file name is not `README.md` (any case) and does not start with
/// `_`, and no component starts with `.` (hidden files and directories, `..`).
pub fn is_card_path(path: &Path) -> bool {
    let hidden = is_hidden(path);
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
        return false;
    };
    let is_md = path
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("md"));
    !hidden && is_md && !name.starts_with('_') && !name.eq_ignore_ascii_case("README.md")
}

/// Whether any component of a relative path is hidden (starts with `.`) or leaves the
/// directory (`..`): such files are never content.
pub fn is_hidden(path: &Path) -> bool {
    path.components().any(|c| match c {
        Component::Normal(name) => name.to_string_lossy().starts_with('.'),
        Component::ParentDir => true,
        _ => false,
    })
}

/// Checks a whole corpus: parses every file and reports duplicate ids, as an error on each
/// file sharing an id, naming the other files. Returns the valid cards (in input order;
/// every file with a duplicated id is left out) and all diagnostics sorted by file, line
/// and column.
pub fn check_corpus(files: &[(String, Vec<u8>)]) -> (Vec<(String, Card)>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut parsed = Vec::new();
    let mut by_id: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, (file, bytes)) in files.iter().enumerate() {
        let (result, id) = parse_with_id(file, bytes);
        diagnostics.extend(result.diagnostics);
        if let Some(id) = &id {
            by_id.entry(id.id.as_str().to_owned()).or_default().push(i);
        }
        parsed.push((result.card, id));
    }
    let mut duplicated = vec![false; files.len()];
    for (id, owners) in &by_id {
        if owners.len() < 2 {
            continue;
        }
        for &i in owners {
            duplicated[i] = true;
            let others: Vec<&str> = owners
                .iter()
                .filter(|&&j| j != i)
                .map(|&j| files[j].0.as_str())
                .collect();
            let at = parsed[i].1.as_ref().map_or((1, 1), |a| (a.line, a.column));
            diagnostics.push(Diagnostic::error(
                &files[i].0,
                at.0,
                at.1,
                format!("duplicate id «{id}», also in {}", others.join(", ")),
            ));
        }
    }
    let cards = parsed
        .into_iter()
        .zip(files)
        .zip(duplicated)
        .filter_map(|(((card, _), (file, _)), dup)| Some((file.clone(), card.filter(|_| !dup)?)))
        .collect();
    sort(&mut diagnostics);
    (cards, diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_paths() {
        for yes in [
            "a.md",
            "coffee/espresso.md",
            "service/Guest.MD",
            "./bar/x.md",
        ] {
            assert!(is_card_path(Path::new(yes)), "{yes}");
        }
        for no in [
            "README.md",
            "coffee/readme.md",
            "_draft.md",
            "coffee/_template.md",
            ".git/x.md",
            "coffee/.hidden.md",
            ".drafts/a/b.md",
            "../a.md",
            "a.txt",
            "a.md.bak",
            "md",
        ] {
            assert!(!is_card_path(Path::new(no)), "{no}");
        }
    }
}
