//! A card back to canonical Markdown source (used by `zhmp export`).

use std::fmt::Write;

use super::headings::SectionKind;
use super::{Card, Section};

/// Writes the card as canonical source: every front-matter field in a fixed order (defaults
/// included, empty optional fields left out), then the sections under their Russian
/// headings in canonical order. Steps and taboo are written as lists of their items (prose
/// around those lists is not part of a card). Parsing the result gives an equal card,
/// except for `line` numbers.
pub fn render_source(card: &Card) -> String {
    let f = &card.front;
    let mut out = String::from("---\n");
    // Writing to a String cannot fail.
    let _ = writeln!(out, "id: {}", scalar(f.id.as_str()));
    let _ = writeln!(out, "title: {}", scalar(&f.title));
    let _ = writeln!(out, "track: {}", f.track.as_str());
    if !f.tags.is_empty() {
        let tags: Vec<String> = f.tags.iter().map(|t| scalar(t)).collect();
        let _ = writeln!(out, "tags: [{}]", tags.join(", "));
    }
    if let Some(stage) = &f.stage {
        let _ = writeln!(out, "stage: {}", scalar(stage));
    }
    let _ = writeln!(out, "level: {}", f.level.as_str());
    let _ = writeln!(out, "season: {}", f.season.as_str());
    let _ = writeln!(out, "mandatory: {}", f.mandatory);
    out.push_str("---\n");
    for kind in SectionKind::ALL {
        let body = match kind {
            SectionKind::Situation => card.situation.markdown.clone(),
            SectionKind::Steps => list(&card.steps, true),
            SectionKind::Example => card.example.markdown.clone(),
            SectionKind::AntiExample => card.anti_example.markdown.clone(),
            SectionKind::Explanation => match &card.explanation {
                Some(section) => section.markdown.clone(),
                None => continue,
            },
            SectionKind::Taboo => list(&card.taboo, false),
        };
        let _ = write!(out, "\n## {}\n\n{body}\n", kind.ru());
    }
    out
}

/// Items as a numbered or bulleted list, continuation lines indented under the marker.
fn list(items: &[Section], ordered: bool) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        let marker = if ordered {
            format!("{}. ", i + 1)
        } else {
            "- ".to_owned()
        };
        let indent = " ".repeat(marker.len());
        out.push_str(&marker);
        for (n, line) in item.markdown.lines().enumerate() {
            if n > 0 {
                out.push('\n');
                if !line.is_empty() {
                    out.push_str(&indent);
                }
            }
            out.push_str(line);
        }
        out.push('\n');
    }
    out.trim_end().to_owned()
}

/// A YAML scalar: plain when that reads back as the same string, double-quoted otherwise.
fn scalar(s: &str) -> String {
    let special = [
        "true", "false", "null", "yes", "no", "on", "off", "y", "n", "~",
    ];
    let plain = s.starts_with(char::is_alphabetic)
        && s == s.trim()
        && !s.contains(|c: char| c.is_control() || ":#,[]{}\"'&*!|>%@`?\\".contains(c))
        && !special.contains(&s.to_lowercase().as_str());
    if plain {
        return s.to_owned();
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::scalar;

    #[test]
    fn scalars_are_quoted_only_when_needed() {
        assert_eq!(scalar("guest-says-thanks"), "guest-says-thanks");
        assert_eq!(scalar("Гость говорит «спасибо»"), "Гость говорит «спасибо»");
        assert_eq!(scalar("2024"), "\"2024\"");
        assert_eq!(scalar("true"), "\"true\"");
        assert_eq!(scalar("Кофе: эспрессо"), "\"Кофе: эспрессо\"");
        assert_eq!(scalar("a \"b\" \\ c"), "\"a \\\"b\\\" \\\\ c\"");
        assert_eq!(scalar("- item"), "\"- item\"");
    }
}
