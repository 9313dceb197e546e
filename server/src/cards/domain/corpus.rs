//! The whole content directory: which files are cards, and checks across cards.

use std::collections::{BTreeMap, BTreeSet};
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
    let mut check = CorpusCheck::default();
    let parsed: Vec<(String, Option<Card>)> = files
        .iter()
        .map(|(file, bytes)| (file.clone(), check.add(file, bytes)))
        .collect();
    let (duplicated, diagnostics) = check.finish();
    let cards = parsed
        .into_iter()
        .filter(|(file, _)| !duplicated.contains(file))
        .filter_map(|(file, card)| Some((file, card?)))
        .collect();
    (cards, diagnostics)
}

/// [`check_corpus`] one file at a time, so a large corpus need not be held in memory:
/// [`add`](Self::add) parses a file and remembers only its id; [`finish`](Self::finish)
/// reports the ids that several files share.
#[derive(Default)]
pub struct CorpusCheck {
    diagnostics: Vec<Diagnostic>,
    /// id → the files declaring it, with the id's line and column in each.
    by_id: BTreeMap<String, Vec<(String, u32, u32)>>,
}

impl CorpusCheck {
    /// Parses one file, keeping its problems. Returns the card when the file is valid on
    /// its own; it may still turn out to share its id with another file.
    pub fn add(&mut self, file: &str, bytes: &[u8]) -> Option<Card> {
        let (result, id) = parse_with_id(file, bytes);
        self.diagnostics.extend(result.diagnostics);
        if let Some(id) = id {
            self.by_id
                .entry(id.id.as_str().to_owned())
                .or_default()
                .push((file.to_owned(), id.line, id.column));
        }
        result.card
    }

    /// Takes in what another check (of other files) found, so files can be checked on
    /// several threads.
    pub fn merge(&mut self, other: CorpusCheck) {
        self.diagnostics.extend(other.diagnostics);
        for (id, owners) in other.by_id {
            self.by_id.entry(id).or_default().extend(owners);
        }
    }

    /// The files whose id another file also declares (none of them may be used), and
    /// every problem found, sorted by file, line and column.
    pub fn finish(mut self) -> (BTreeSet<String>, Vec<Diagnostic>) {
        let mut duplicated = BTreeSet::new();
        for (id, owners) in &self.by_id {
            if owners.len() < 2 {
                continue;
            }
            for (file, line, column) in owners {
                duplicated.insert(file.clone());
                let others: Vec<&str> = owners
                    .iter()
                    .map(|(other, ..)| other.as_str())
                    .filter(|other| other != file)
                    .collect();
                self.diagnostics.push(Diagnostic::error(
                    file,
                    *line,
                    *column,
                    format!("duplicate id «{id}», also in {}", others.join(", ")),
                ));
            }
        }
        sort(&mut self.diagnostics);
        (duplicated, self.diagnostics)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CARD: &str = "---\nid: same-id\ntitle: Т\ntrack: bar\n---\n\n## Ситуация\n\nС.\n\n## Шаги\n\n1. Ш.\n\n## Пример\n\nП.\n\n## Антипример\n\nА.\n\n## Пояснение\n\nП.\n\n## Табу\n\n- Т.\n";

    #[test]
    fn checks_merged_from_threads_find_duplicates_across_them() {
        let mut first = CorpusCheck::default();
        assert!(first.add("a/one.md", CARD.as_bytes()).is_some());
        let mut second = CorpusCheck::default();
        assert!(second.add("b/two.md", CARD.as_bytes()).is_some());
        assert!(second.add("b/broken.md", b"no front matter").is_none());
        first.merge(second);
        let (duplicated, diagnostics) = first.finish();
        assert_eq!(
            duplicated.into_iter().collect::<Vec<_>>(),
            ["a/one.md", "b/two.md"]
        );
        let mut files: Vec<&str> = diagnostics.iter().map(|d| d.file.as_str()).collect();
        files.dedup();
        assert_eq!(
            files,
            ["a/one.md", "b/broken.md", "b/two.md"],
            "sorted by file"
        );
        assert!(diagnostics[0].message.contains("also in b/two.md"));
        let last = diagnostics.last().unwrap();
        assert!(last.message.contains("also in a/one.md"), "{last:?}");
    }

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
