//! GIFT questions into a question bank: ids, cards, and a check that every converted
//! question is one the bank format accepts (problems named at the GIFT line).

use super::{GiftQuestion, parse_gift};
use crate::cards::domain::{CardId, Diagnostic, Severity, Track};
use crate::quizzes::domain::emit::bank_yaml;
use crate::quizzes::domain::parse_bank;
use crate::quizzes::domain::question::{Question, QuestionId};

/// How imported questions are filed.
pub struct ImportOptions<'a> {
    pub track: Track,
    /// The card for questions whose `$CATEGORY` does not name one.
    pub card: Option<&'a CardId>,
    /// Question ids are `<prefix>-<n>`; a slug of the file name is a good prefix.
    pub id_prefix: &'a str,
}

/// A converted file: the bank as YAML, its questions, and the warnings (skipped essays
/// and descriptions, stray text).
#[derive(Debug)]
pub struct Converted {
    pub yaml: String,
    pub questions: Vec<Question>,
    pub warnings: Vec<Diagnostic>,
}

/// Reads `source` (GIFT) and converts it. Any error fails the whole import, with every
/// problem listed, so a bank is never written half-imported.
pub fn gift_to_bank(
    file: &str,
    source: &str,
    options: &ImportOptions,
) -> Result<Converted, Vec<Diagnostic>> {
    let import = parse_gift(file, source);
    let mut problems = import.problems;
    let mut questions = Vec::new();
    for (n, g) in import.questions.into_iter().enumerate() {
        let line = g.line;
        match convert(g, n + 1, options) {
            Ok(q) => questions.push(q),
            Err(message) => problems.push(Diagnostic::error(file, line, 1, message)),
        }
    }
    for q in &questions {
        // Each question on its own, so a problem points at its GIFT line.
        let yaml = bank_yaml("", options.track, std::slice::from_ref(q));
        let mut diags = Vec::new();
        parse_bank(file, &yaml, &mut diags);
        for d in diags.into_iter().filter(|d| d.severity == Severity::Error) {
            problems.push(Diagnostic::error(file, q.line, 1, d.message));
        }
    }
    if problems.iter().any(|d| d.severity == Severity::Error) {
        problems.sort_by_key(|d| d.line);
        return Err(problems);
    }
    if questions.is_empty() {
        return Err(vec![Diagnostic::error(file, 1, 1, "no questions found")]);
    }
    let header = format!(
        "Imported from {file} by zhmp import-gift: {} questions.",
        questions.len()
    );
    Ok(Converted {
        yaml: bank_yaml(&header, options.track, &questions),
        questions,
        warnings: problems,
    })
}

fn convert(g: GiftQuestion, n: usize, options: &ImportOptions) -> Result<Question, String> {
    let from_category = g
        .category
        .as_deref()
        .and_then(|c| c.rsplit('/').next())
        .and_then(|last| CardId::parse(last.trim()).ok());
    let card = from_category
        .or_else(|| options.card.cloned())
        .ok_or_else(|| {
            "no card for this question: pass --card ID, or end its $CATEGORY with a card id"
                .to_owned()
        })?;
    let id = QuestionId::parse(&format!("{}-{n}", options.id_prefix))?;
    Ok(Question {
        id,
        card,
        track: options.track,
        name: g.name,
        prompt: g.prompt,
        explanation: g.general_feedback,
        key: g.key,
        line: g.line,
    })
}

/// A question-id prefix from a file name: lowercase latin letters and digits, other runs
/// of characters as `-`, at most 40 characters; `gift` when nothing is left.
pub fn id_prefix(file_name: &str) -> String {
    let mut out = String::new();
    for c in file_name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let mut out: String = out.trim_matches('-').chars().take(40).collect();
    while out.ends_with('-') {
        out.pop();
    }
    if out.len() < 2 {
        return "gift".into();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_slugs() {
        assert_eq!(
            id_prefix("moodle-examples.gift.txt"),
            "moodle-examples-gift-txt"
        );
        assert_eq!(id_prefix("Кофе.gift"), "gift");
        assert_eq!(id_prefix("Bar Q4 2026"), "bar-q4-2026");
    }

    #[test]
    fn questions_get_cards_from_the_category_or_the_option() {
        let card = CardId::parse("coffee-espresso-recipe").unwrap();
        let options = ImportOptions {
            track: Track::Coffee,
            card: Some(&card),
            id_prefix: "q",
        };
        let source = "A? {=yes ~no}\n\n$CATEGORY: $course$/top/service-greeting\n\nB? {T}\n";
        let converted = gift_to_bank("t.gift", source, &options).unwrap();
        let cards: Vec<_> = converted
            .questions
            .iter()
            .map(|q| q.card.as_str())
            .collect();
        assert_eq!(cards, ["coffee-espresso-recipe", "service-greeting"]);
        let ids: Vec<_> = converted.questions.iter().map(|q| q.id.as_str()).collect();
        assert_eq!(ids, ["q-1", "q-2"]);
        let mut diags = Vec::new();
        let reread = parse_bank("out.yaml", &converted.yaml, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(reread.bank.unwrap().questions.len(), 2);

        let none = ImportOptions {
            card: None,
            ..options
        };
        let problems = gift_to_bank("t.gift", "A? {=yes ~no}\n", &none).unwrap_err();
        assert_eq!(problems[0].line, 1);
        assert!(problems[0].message.contains("--card"));
    }

    #[test]
    fn questions_the_bank_format_rejects_fail_at_their_gift_line() {
        let card = CardId::parse("coffee-espresso-recipe").unwrap();
        let options = ImportOptions {
            track: Track::Coffee,
            card: Some(&card),
            id_prefix: "q",
        };
        // Two identical options: Moodle takes it, a bank does not.
        let problems =
            gift_to_bank("t.gift", "Ok? {=yes ~no}\n\nDup? {=a ~a}\n", &options).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, 3);
        assert!(
            problems[0].message.contains("twice"),
            "{}",
            problems[0].message
        );
    }
}
