//! Tests over the fixture corpus in `tests/fixtures/cards/` and across modules.

use std::path::{Path, PathBuf};

use super::*;
use crate::accounts::domain::Level;

fn fixtures(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/cards")
        .join(dir)
}

/// Every card file under `root`, with its path relative to `root` (`/`-separated), sorted.
fn read_corpus(root: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let relative = path.strip_prefix(root).unwrap();
            if path.is_dir() {
                walk(root, &path, out);
            } else if is_card_path(relative) {
                let name = relative.to_string_lossy().replace('\\', "/");
                out.push((name, std::fs::read(&path).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

const E: Severity = Severity::Error;
const W: Severity = Severity::Warning;

/// Line, column, severity and a message substring.
type Expected = (u32, u32, Severity, &'static str);

/// For each bad fixture: every diagnostic it must produce, in order.
#[rustfmt::skip]
const EXPECTED: &[(&str, &[Expected])] = &[
    ("bad-id.md", &[(2, 5, E, "id «Guest_Says» must match ^[a-z0-9][a-z0-9-]{1,63}$")]),
    ("bad-yaml.md", &[(3, 13, E, "invalid YAML in front matter: mapping values are not allowed")]),
    ("duplicate-a.md", &[(2, 5, E, "duplicate id «duplicate-card», also in duplicate-b.md")]),
    ("duplicate-b.md", &[(2, 5, E, "duplicate id «duplicate-card», also in duplicate-a.md")]),
    ("empty-section.md", &[(16, 1, E, "section «Пример» is empty")]),
    ("empty.md", &[(1, 1, E, "file is empty")]),
    ("front-matter-not-mapping.md", &[(2, 1, E, "front matter must be a mapping of fields")]),
    ("level-1-heading.md", &[(7, 1, E, "use level-2 headings (##) for sections")]),
    ("missing-fields.md", &[
        (1, 1, E, "missing required field «id»"),
        (1, 1, E, "missing required field «track»"),
    ]),
    ("missing-front-matter.md", &[(1, 1, E, "file must start with YAML front matter (---)")]),
    ("missing-sections.md", &[
        (6, 1, E, "missing required section «## Действия»"),
        (6, 1, E, "missing required section «## Пример»"),
        (6, 1, E, "missing required section «## Антипример»"),
        (6, 1, W, "missing section «## Пояснение»"),
        (6, 1, E, "missing required section «## Табу»"),
    ]),
    ("non-utf8.md", &[(9, 15, E, "file is not valid UTF-8 (invalid byte 0xFF)")]),
    ("repeated-section.md", &[(35, 1, E, "section «Шаги» is repeated (first at line 11)")]),
    ("steps-not-ordered.md", &[(11, 1, E, "section «Действия» must contain a numbered list (1. …)")]),
    ("taboo-not-list.md", &[(30, 1, E, "section «Табу» must contain a bulleted list (- …)")]),
    ("text-before-section.md", &[(7, 1, E, "text before the first section")]),
    ("unclosed-front-matter.md", &[(1, 1, E, "front matter is not closed")]),
    ("unknown-field.md", &[(5, 1, W, "unknown field «author»; known fields: id, title, track")]),
    ("unknown-heading.md", &[
        (21, 1, E, "unknown section «Антипримерр»; did you mean «Антипример»?"),
        (34, 1, E, "unknown section «Заметки»; expected one of: Ситуация, Действия"),
    ]),
    ("unknown-level-and-season.md", &[
        (5, 8, E, "level «boss» is not one of: trainee, barista, senior, leader"),
        (6, 9, E, "season «spring» is not one of: all, summer, winter"),
    ]),
    ("unknown-track.md", &[(4, 8, E, "track «tea» is not one of: coffee, service, bar")]),
    ("wrong-types.md", &[
        (3, 8, E, "field «title» must be a string"),
        (5, 7, E, "field «tags» must be a list of strings"),
        (6, 8, E, "field «stage» must be a string"),
        (7, 12, E, "field «mandatory» must be true or false"),
    ]),
];

#[test]
fn bad_corpus_reports_every_problem_where_it_is() {
    let files = read_corpus(&fixtures("bad"));
    let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    let expected_names: Vec<&str> = EXPECTED.iter().map(|(name, _)| *name).collect();
    assert_eq!(names, expected_names, "every bad fixture has expectations");

    let (cards, diagnostics) = check_corpus(&files);
    for (file, expected) in EXPECTED {
        let got: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.file == *file).collect();
        let shown: Vec<String> = got.iter().map(|d| d.to_string()).collect();
        assert_eq!(got.len(), expected.len(), "{file}: {shown:#?}");
        for (d, (line, column, severity, message)) in got.iter().zip(*expected) {
            assert_eq!(
                (d.line, d.column, d.severity),
                (*line, *column, *severity),
                "{d}"
            );
            assert!(d.message.contains(message), "{d}\nexpected: {message}");
        }
    }
    // Only the file with nothing but a warning gives a card; duplicates give none.
    let valid: Vec<&str> = cards.iter().map(|(file, _)| file.as_str()).collect();
    assert_eq!(valid, ["unknown-field.md"]);
}

#[test]
fn too_large_file_is_rejected_before_parsing() {
    let mut bytes = std::fs::read(fixtures("good/bar/summer-lemonade.md")).unwrap();
    bytes.resize(1_048_577, b' ');
    let parsed = parse_card("too-large.md", &bytes);
    assert!(parsed.card.is_none());
    assert_eq!(parsed.diagnostics.len(), 1);
    let d = &parsed.diagnostics[0];
    assert_eq!((d.line, d.column, d.severity), (1, 1, E));
    assert!(
        d.message.contains("file is too large: 1048577 bytes"),
        "{d}"
    );
    // Exactly at the limit is fine.
    bytes.truncate(1_048_576);
    assert!(parse_card("limit.md", &bytes).card.is_some());
}

#[test]
fn good_corpus_has_no_errors() {
    let files = read_corpus(&fixtures("good"));
    let (cards, diagnostics) = check_corpus(&files);
    let shown: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        shown,
        [
            "bar/summer-lemonade.md:9:1: warning: missing section «## Пояснение» \
          (recommended: explain why the standard matters)"
        ]
    );
    let names: Vec<&str> = cards.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        names,
        [
            "bar/summer-lemonade.md",
            "coffee/espresso-shot.md",
            "service/guest-says-thanks.md"
        ]
    );
}

fn good(path: &str) -> Card {
    let bytes = std::fs::read(fixtures("good").join(path)).unwrap();
    let parsed = parse_card(path, &bytes);
    parsed
        .card
        .unwrap_or_else(|| panic!("{:#?}", parsed.diagnostics))
}

#[test]
fn good_cards_have_their_fields_and_sections() {
    let card = good("service/guest-says-thanks.md");
    let f = &card.front;
    assert_eq!(f.id.as_str(), "guest-says-thanks");
    assert_eq!(f.title, "Гость говорит «спасибо»");
    assert_eq!(
        (f.track, f.level, f.season, f.mandatory),
        (Track::Service, Level::Trainee, Season::All, true)
    );
    assert_eq!(f.tags, ["речь", "благодарность"]);
    assert_eq!(f.stage.as_deref(), Some("farewell"));
    assert_eq!(card.situation.line, 12);
    assert!(card.situation.markdown.starts_with("Гость забирает"));
    assert_eq!(card.steps.len(), 4);
    assert_eq!(
        card.steps[2].markdown,
        "Ответьте коротко и тепло:\n«Пожалуйста! Хорошего дня!»"
    );
    assert_eq!(card.steps[2].line, 21);
    assert_eq!(
        card.steps[2].text,
        "Ответьте коротко и тепло: «Пожалуйста! Хорошего дня!»"
    );
    assert_eq!(card.taboo.len(), 3);
    assert_eq!(card.taboo[2].html, "<p><em>Молчание.</em></p>\n");
    assert!(card.example.html.contains("<blockquote>"));
    assert!(
        card.explanation
            .unwrap()
            .html
            .contains("<strong>возвращает гостей</strong>")
    );

    let card = good("coffee/espresso-shot.md");
    assert_eq!(
        (card.front.level, card.front.season, card.front.mandatory),
        (Level::Barista, Season::All, true)
    );
    assert_eq!(card.front.tags, ["эспрессо", "рецептура"]);
    assert_eq!(card.steps.len(), 5);
    assert!(
        card.steps[3].html.contains("<table>"),
        "{}",
        card.steps[3].html
    );
    assert!(
        card.example
            .html
            .contains("href=\"https://example.com/recipes/espresso\"")
    );
    assert!(card.anti_example.html.contains("<del>fresh</del>"));

    let card = good("bar/summer-lemonade.md");
    assert_eq!(
        (card.front.season, card.front.mandatory, card.front.stage),
        (Season::Summer, false, None)
    );
    assert!(card.explanation.is_none());
    assert_eq!(card.steps.len(), 4);
}

/// The card with every `line` set to 0.
fn without_lines(mut card: Card) -> Card {
    for s in [
        &mut card.situation,
        &mut card.example,
        &mut card.anti_example,
    ] {
        s.line = 0;
    }
    for s in card
        .explanation
        .iter_mut()
        .chain(&mut card.steps)
        .chain(&mut card.taboo)
    {
        s.line = 0;
    }
    card
}

#[test]
fn render_source_round_trips() {
    for path in [
        "service/guest-says-thanks.md",
        "coffee/espresso-shot.md",
        "bar/summer-lemonade.md",
    ] {
        let card = good(path);
        let source = render_source(&card);
        let parsed = parse_card(path, source.as_bytes());
        let again = parsed
            .card
            .unwrap_or_else(|| panic!("{source}\n{:#?}", parsed.diagnostics));
        assert_eq!(
            without_lines(again.clone()),
            without_lines(card),
            "{source}"
        );
        // Canonical source is a fixed point, line numbers included.
        assert_eq!(render_source(&again), source);
        assert_eq!(parse_card(path, source.as_bytes()).card, Some(again));
    }
}

const XSS_CARD: &str = "---
id: xss
title: \"<script>alert(1)</script>\"
track: bar
---

## Ситуация

<script>alert(1)</script>

## Действия

1. <img src=x onerror=alert(1)>
2. [click](javascript:alert(1))
3. [click](<java\tscript:alert(1)>) [x]( JaVaScRiPt:alert(1))

## Пример

Текст <img src=x onerror=alert(1)> и <a href=\"javascript:alert(1)\">ссылка</a>.

![x](javascript:alert(1)) <javascript:alert(1)>

## Антипример

[click](javascript:alert(1))

<iframe src=\"https://evil.example\"></iframe>

## Пояснение

[ok](https://example.com) [ref]

[ref]: javascript:alert(1)

## Табу

- <script>alert(1)</script>
- [click](javascript:alert(1))
";

#[test]
fn raw_html_and_unsafe_links_never_reach_the_page() {
    let parsed = parse_card("xss.md", XSS_CARD.as_bytes());
    let card = parsed
        .card
        .unwrap_or_else(|| panic!("{:#?}", parsed.diagnostics));
    let mut sections = vec![&card.situation, &card.example, &card.anti_example];
    sections.extend(
        card.explanation
            .iter()
            .chain(&card.steps)
            .chain(&card.taboo),
    );
    assert_eq!(sections.len(), 4 + 3 + 2);
    for s in sections {
        let html = s.html.to_lowercase();
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<iframe"), "{html}");
        assert!(!html.contains("<a href=\"javascript"), "{html}");
        // `onerror=` may only appear as escaped text, never inside a tag.
        for tag in html.split('<').skip(1) {
            let inside = tag.split('>').next().unwrap();
            assert!(
                !inside.contains("onerror") && !inside.contains("javascript"),
                "{html}"
            );
        }
    }
    assert!(
        card.situation
            .html
            .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
    );
    assert_eq!(card.steps[1].html, "<p>click</p>\n");
    assert!(
        card.explanation
            .unwrap()
            .html
            .contains("<a href=\"https://example.com\">ok</a>")
    );
    // The live preview uses the same rules.
    let preview = render_markdown("<script>alert(1)</script> [x](javascript:alert(1))");
    assert!(
        !preview.contains("<script") && !preview.contains("href"),
        "{preview}"
    );
}

#[test]
fn crlf_files_parse_like_lf_files() {
    let bytes = std::fs::read(fixtures("good/service/guest-says-thanks.md")).unwrap();
    let lf = parse_card("a.md", &bytes);
    let crlf_text = String::from_utf8(bytes).unwrap().replace('\n', "\r\n");
    let crlf = parse_card("a.md", crlf_text.as_bytes());
    assert_eq!(lf, crlf);
    assert!(lf.card.is_some());
}
