//! The properties every parser of trainers' files must keep on any input, in one place:
//! the cargo-fuzz targets (`fuzz/`, coverage-guided, docs/fuzzing.md) call these, and so
//! does the short mutation run that `cargo test` does in CI (`mutation_run`). Each one
//! panics when its property is broken.

#[cfg(test)]
mod mutation_run;

use crate::cards::domain::{CardId, Severity, Track, parse_card, render_markdown, render_source};
use crate::onboarding::domain::parse::parse_program;
use crate::quizzes::domain::gift::{ImportOptions, gift_to_bank};
use crate::quizzes::domain::parse_bank;

/// Lines as YAML and editors count them: `\n`, `\r\n`, and a lone `\r`.
fn line_count(text: &str) -> u32 {
    text.replace("\r\n", "\n").split(['\n', '\r']).count() as u32
}

fn lines_inside(text: &str, lines: impl IntoIterator<Item = u32>) {
    let count = line_count(text);
    for line in lines {
        assert!(
            line <= count + 1,
            "a problem on line {line} of a {count}-line file"
        );
    }
}

/// Any bytes as a card file: no panic, every problem inside the file, and a card that is
/// accepted exports (`zhmp export`) to a file that is accepted again.
pub fn card(data: &[u8]) {
    let parsed = parse_card("fuzz/card.md", data);
    lines_inside(
        &String::from_utf8_lossy(data),
        parsed.diagnostics.iter().map(|d| d.line),
    );
    let Some(card) = parsed.card else { return };
    for section in [&card.situation, &card.example, &card.anti_example] {
        render_markdown(&section.markdown);
    }
    let exported = render_source(&card);
    let again = parse_card("fuzz/card.md", exported.as_bytes());
    assert!(
        again.card.is_some(),
        "an accepted card exports to a file that fails: {:?}\n{exported}",
        again.diagnostics
    );
}

/// Any text as a question bank: no panic, every problem inside the file.
pub fn quiz_bank(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut diagnostics = Vec::new();
    parse_bank("fuzz/bank.yaml", text, &mut diagnostics);
    lines_inside(text, diagnostics.iter().map(|d| d.line));
}

/// Any text as an onboarding programme: no panic, every problem inside the file.
pub fn program(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut diagnostics = Vec::new();
    parse_program("fuzz/program.yaml", text, &mut diagnostics);
    lines_inside(text, diagnostics.iter().map(|d| d.line));
}

/// Any text as a Moodle GIFT file: no panic, and what imports is a bank the bank parser
/// accepts (what `zhmp import-gift --out` writes and `zhmp check` reads).
pub fn gift(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let card = CardId::parse("fuzz-card").expect("a valid id");
    let options = ImportOptions {
        track: Track::Service,
        card: Some(&card),
        id_prefix: "fuzz",
    };
    let Ok(converted) = gift_to_bank("fuzz.gift", text, &options) else {
        return;
    };
    let mut diagnostics = Vec::new();
    parse_bank("fuzz.yaml", &converted.yaml, &mut diagnostics);
    let errors: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(
        errors.is_empty(),
        "imported bank fails to parse: {errors:?}\n{}",
        converted.yaml
    );
}
