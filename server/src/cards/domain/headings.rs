//! The level-2 section headings a card may use, and "did you mean" suggestions.

/// One of the six sections of a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionKind {
    Situation,
    Steps,
    Example,
    AntiExample,
    Explanation,
    Taboo,
}

impl SectionKind {
    /// Canonical order (also the order `render_source` writes).
    pub const ALL: [SectionKind; 6] = [
        SectionKind::Situation,
        SectionKind::Steps,
        SectionKind::Example,
        SectionKind::AntiExample,
        SectionKind::Explanation,
        SectionKind::Taboo,
    ];

    /// The canonical Russian heading.
    pub fn ru(self) -> &'static str {
        match self {
            SectionKind::Situation => "Ситуация",
            SectionKind::Steps => "Действия",
            SectionKind::Example => "Пример",
            SectionKind::AntiExample => "Антипример",
            SectionKind::Explanation => "Пояснение",
            SectionKind::Taboo => "Табу",
        }
    }

    /// The English heading.
    pub fn en(self) -> &'static str {
        match self {
            SectionKind::Situation => "Situation",
            SectionKind::Steps => "Steps",
            SectionKind::Example => "Example",
            SectionKind::AntiExample => "Anti-example",
            SectionKind::Explanation => "Explanation",
            SectionKind::Taboo => "Taboo",
        }
    }

    /// Every accepted heading, lowercase.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            SectionKind::Situation => &["ситуация", "situation"],
            SectionKind::Steps => &["действия", "последовательность действий", "шаги", "steps"],
            SectionKind::Example => &["пример", "example"],
            SectionKind::AntiExample => &["антипример", "anti-example"],
            SectionKind::Explanation => &["пояснение", "explanation"],
            SectionKind::Taboo => &["табу", "taboo"],
        }
    }

    /// Only the explanation may be left out (with a warning).
    pub fn required(self) -> bool {
        self != SectionKind::Explanation
    }

    /// The section a heading names (case-insensitive, surrounding whitespace ignored).
    pub fn from_heading(heading: &str) -> Option<SectionKind> {
        let key = normalise(heading);
        SectionKind::ALL
            .into_iter()
            .find(|kind| kind.aliases().contains(&key.as_str()))
    }
}

/// Lowercase, trimmed, inner whitespace collapsed to single spaces.
fn normalise(heading: &str) -> String {
    heading
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The section an unknown heading was probably meant to be: the closest accepted heading
/// within a small edit distance, or one the heading is a prefix of (or starts with); with
/// the heading to suggest, in the heading's script: Russian for Cyrillic headings, English
/// otherwise.
pub fn suggest(heading: &str) -> Option<(SectionKind, &'static str)> {
    let key = normalise(heading);
    let key_len = key.chars().count();
    let mut best: Option<(usize, SectionKind)> = None;
    for kind in SectionKind::ALL {
        for alias in kind.aliases() {
            let alias_len = alias.chars().count();
            let distance = levenshtein(&key, alias);
            let close = distance <= 3 && distance * 2 < alias_len;
            let prefix = (key_len >= 3 && alias.starts_with(key.as_str()))
                || (key.starts_with(alias) && key[alias.len()..].starts_with([' ', ':', ',']));
            // A prefix match ranks like a one-letter typo.
            let score = if prefix { distance.min(1) } else { distance };
            if (close || prefix) && best.is_none_or(|(d, _)| score < d) {
                best = Some((score, kind));
            }
        }
    }
    let (_, kind) = best?;
    let cyrillic = key.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c));
    Some((kind, if cyrillic { kind.ru() } else { kind.en() }))
}

/// Edit distance in characters.
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_match_case_insensitively_in_both_languages() {
        assert_eq!(
            SectionKind::from_heading("  ПОСЛЕДОВАТЕЛЬНОСТЬ   действий "),
            Some(SectionKind::Steps)
        );
        assert_eq!(
            SectionKind::from_heading("Anti-Example"),
            Some(SectionKind::AntiExample)
        );
        assert_eq!(SectionKind::from_heading("Шаги"), Some(SectionKind::Steps));
        assert_eq!(SectionKind::from_heading("Итоги"), None);
    }

    #[test]
    fn near_misses_get_a_suggestion_in_the_same_script() {
        assert_eq!(suggest("Антипримеры").map(|s| s.1), Some("Антипример"));
        assert_eq!(suggest("Анти-пример").map(|s| s.1), Some("Антипример"));
        assert_eq!(suggest("Ситуацыя").map(|s| s.1), Some("Ситуация"));
        assert_eq!(suggest("Пояснения").map(|s| s.1), Some("Пояснение"));
        assert_eq!(suggest("Antiexample").map(|s| s.1), Some("Anti-example"));
        assert_eq!(suggest("Expl").map(|s| s.1), Some("Explanation"));
        assert_eq!(suggest("Пример ответа").map(|s| s.1), Some("Пример"));
        assert_eq!(suggest("Шаг").map(|s| s.1), Some("Действия"));
        assert_eq!(suggest("Итоги"), None);
        assert_eq!(suggest("Notes"), None);
    }

    #[test]
    fn levenshtein_counts_characters() {
        assert_eq!(levenshtein("табу", "табу"), 0);
        assert_eq!(levenshtein("табу", "таба"), 1);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
    }
}
