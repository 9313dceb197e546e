//! One file to a card: decoding, front matter, sections.

use super::front_matter::{self, IdAt, Split};
use super::{Card, Diagnostic, Severity, sections, text};

/// The result of parsing one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// Present only when there are no errors (warnings allowed).
    pub card: Option<Card>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses one file. `file` is the path relative to the content dir (used in diagnostics).
pub fn parse_card(file: &str, bytes: &[u8]) -> Parsed {
    let (parsed, _) = parse_with_id(file, bytes);
    parsed
}

/// Like [`parse_card`], also returning the id (with its position) whenever the id field
/// itself is valid, so the corpus check can find duplicates among broken files too.
pub(super) fn parse_with_id(file: &str, bytes: &[u8]) -> (Parsed, Option<IdAt>) {
    let text = match text::decode(file, bytes) {
        Ok(text) => text,
        Err(diagnostic) => {
            let parsed = Parsed {
                card: None,
                diagnostics: vec![diagnostic],
            };
            return (parsed, None);
        }
    };
    let mut diagnostics = Vec::new();
    let (front, id, body_start, body_line) = match front_matter::split(&text) {
        Split::Missing => {
            diagnostics.push(Diagnostic::error(
                file,
                1,
                1,
                "file must start with YAML front matter (---)",
            ));
            (None, None, 0, 1)
        }
        Split::Unclosed => {
            let parsed = Parsed {
                card: None,
                diagnostics: vec![Diagnostic::error(
                    file,
                    1,
                    1,
                    "front matter is not closed: add a line with just --- after the fields",
                )],
            };
            return (parsed, None);
        }
        Split::Found {
            yaml,
            body_start,
            body_line,
        } => {
            let parsed = front_matter::parse(file, yaml, &mut diagnostics);
            (parsed.front, parsed.id, body_start, body_line)
        }
    };
    let body = sections::parse(file, &text, body_start, body_line, &mut diagnostics);
    let has_errors = diagnostics.iter().any(|d| d.severity == Severity::Error);
    let card = match (front, body) {
        (Some(front), Some(body)) if !has_errors => Some(Card {
            front,
            situation: body.situation,
            steps: body.steps,
            example: body.example,
            anti_example: body.anti_example,
            explanation: body.explanation,
            taboo: body.taboo,
        }),
        _ => None,
    };
    sort(&mut diagnostics);
    (Parsed { card, diagnostics }, id)
}

/// Orders diagnostics by file, line and column (stable: same-position ones keep their order).
pub(super) fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::domain::Level;

    const BODY: &str = "
## Ситуация

Гость говорит «спасибо».

## Действия

1. Улыбнитесь.

## Пример

— Пожалуйста!

## Антипример

— Угу.

## Пояснение

Это важно.

## Табу

- Молчание.
";

    fn card(front: &str, body: &str) -> Parsed {
        parse_card("t.md", format!("---\n{front}---\n{body}").as_bytes())
    }

    /// `line:column: message` of every diagnostic.
    fn shown(parsed: &Parsed) -> Vec<String> {
        let show = |d: &Diagnostic| format!("{}:{}: {}", d.line, d.column, d.message);
        parsed.diagnostics.iter().map(show).collect()
    }

    const FRONT: &str = "id: t1\ntitle: T\ntrack: bar\n";

    #[test]
    fn defaults_and_lenient_scalars() {
        let parsed = card(
            "id: 2024\ntitle: 1.5\ntrack: bar\nlevel:\nstage: ''\n",
            BODY,
        );
        let card = parsed.card.expect("valid");
        assert_eq!(card.front.id.as_str(), "2024");
        assert_eq!(card.front.title, "1.5");
        assert_eq!(card.front.level, Level::Trainee);
        assert_eq!(card.front.stage, None);
        assert!(card.front.mandatory);
    }

    #[test]
    fn empty_or_null_fields_are_errors() {
        let parsed = card("id:\ntitle: '  '\ntrack: bar\ntags: [a, '', [b]]\n", BODY);
        assert!(parsed.card.is_none());
        assert_eq!(
            shown(&parsed),
            [
                "2:3: field «id» is empty",
                "3:8: field «title» is empty",
                "5:11: a tag in «tags» is empty",
                "5:15: each tag in «tags» must be a string",
            ]
        );
        let parsed = card("", BODY);
        assert_eq!(shown(&parsed).len(), 3, "{:?}", shown(&parsed));
        assert!(shown(&parsed)[0].contains("missing required field «id»"));
    }

    #[test]
    fn yaml_errors_point_into_the_file() {
        let parsed = card("id: t1\ntitle: \"unclosed\ntrack: bar\n", BODY);
        assert_eq!(parsed.diagnostics.len(), 1, "{:?}", shown(&parsed));
        assert!(
            shown(&parsed)[0].contains("invalid YAML"),
            "{:?}",
            shown(&parsed)
        );
        let parsed = card("id: t1\n--- x\n", BODY);
        assert_eq!(
            shown(&parsed),
            ["3:5: front matter must be a single YAML document"]
        );
        let parsed = card("id: t1\nid: t2\ntitle: T\ntrack: bar\n", BODY);
        assert_eq!(
            shown(&parsed),
            ["3:1: invalid YAML in front matter: duplicated key in mapping"]
        );
    }

    #[test]
    fn steps_are_the_first_numbered_list_with_prose_around() {
        let body = BODY.replace(
            "1. Улыбнитесь.\n",
            "Сначала:\n\n- не так\n\n3. Раз\n4. Два\n   продолжение\n\nПотом:\n\n1. Не шаг\n",
        );
        let card = card(FRONT, &body).card.expect("valid");
        let steps: Vec<&str> = card.steps.iter().map(|s| s.markdown.as_str()).collect();
        assert_eq!(steps, ["Раз", "Два\nпродолжение"]);
        assert_eq!(card.steps[0].line, 17);
    }

    #[test]
    fn empty_items_are_errors() {
        let body = BODY.replace("1. Улыбнитесь.\n", "1. Улыбнитесь.\n2.\n");
        assert_eq!(
            shown(&card(FRONT, &body)),
            ["14:1: empty list item in section «Действия»"]
        );
    }

    #[test]
    fn nested_and_setext_headings() {
        // A level-2 heading inside a quote is content; a setext one is a section heading.
        let body = BODY.replace("— Угу.", "> ## Табу\n\nНе так\n---");
        assert_eq!(
            shown(&card(FRONT, &body)),
            [
                "23:1: unknown section «Не так»; expected one of: Ситуация, Действия, Пример, Антипример, Пояснение, Табу"
            ]
        );
        let body = BODY.replace("## Пример", "## Пример ##\n\n### Подзаголовок");
        assert!(card(FRONT, &body).card.is_some());
        let body = BODY.replace("## Пояснение", "##");
        let got = shown(&card(FRONT, &body));
        assert!(
            got[0].starts_with("6:1: missing section «## Пояснение»"),
            "{got:?}"
        );
        assert!(
            got[1].starts_with("23:1: empty section heading; expected one of"),
            "{got:?}"
        );
    }

    #[test]
    fn sections_may_come_in_any_order_and_language() {
        let body = "\n## Taboo\n\n* no\n\n## EXAMPLE\n\nyes\n\n## situation\n\ns\n\n\
                    ## Последовательность действий\n\n1) one\n\n## Anti-example\n\nno\n";
        let parsed = card(FRONT, body);
        assert_eq!(
            shown(&parsed),
            ["6:1: missing section «## Пояснение» (recommended: explain why the standard matters)"]
        );
        let card = parsed.card.expect("valid with a warning");
        assert_eq!(card.taboo[0].markdown, "no");
        assert_eq!(card.steps[0].markdown, "one");
    }

    #[test]
    fn everything_is_reported_at_once() {
        let parsed = card(
            "id: Bad\ntitle: T\ntrack: tea\nfoo: 1\n",
            "\nintro\n\n# H1\n\n## Ситуация\n\nx\n",
        );
        let got = shown(&parsed);
        assert_eq!(got.len(), 2 + 1 + 2 + 4 + 1, "{got:#?}");
        // Sorted by position.
        let positions: Vec<(u32, u32)> = parsed
            .diagnostics
            .iter()
            .map(|d| (d.line, d.column))
            .collect();
        assert!(positions.is_sorted(), "{got:#?}");
    }

    #[test]
    fn odd_input_gives_diagnostics_not_panics() {
        let deep = format!("id: {}{}\n", "[".repeat(5000), "]".repeat(5000));
        let many_items = format!("{BODY}\n{}", "- x\n".repeat(50_000));
        for (front, body) in [
            ("? [a, b]\n: c\nid: x1\n", BODY),
            ("id: !!int x\ntitle: !custom T\ntrack: bar\n", BODY),
            ("id: &a x1\ntitle: *a\ntrack: bar\n", BODY),
            ("\tid: x\n", BODY),
            ("{", BODY),
            ("--- x\n", BODY),
            ("id: x1\n...\n", BODY),
            (deep.as_str(), BODY),
            (FRONT, "\n## Табу\n\n-\n-  \n\n## Действия\n\n1.\n"),
            (FRONT, "\n## Ситуация\n\n```\nunclosed fence\n## Пример\n"),
            (FRONT, "\n## Ситуация\n\n| a |\n|---|\n| <b>x</b> |\n"),
            (FRONT, "\n## \u{feff}Ситуация\n\nx\n"),
            (FRONT, "\n\u{0}## Ситуация\n"),
            (FRONT, many_items.as_str()),
        ] {
            let parsed = card(front, body);
            assert!(!parsed.diagnostics.is_empty() || parsed.card.is_some());
        }
        for bytes in [
            &b"---"[..],
            b"---\n",
            b"---\n---",
            b"\xef\xbb\xbf",
            b"\xff",
            b"#",
        ] {
            let parsed = parse_card("t.md", bytes);
            assert!(parsed.card.is_none() && !parsed.diagnostics.is_empty());
        }
    }
}
