//! Questions back into the bank format (docs/quiz-format.md), as YAML text. Used by the
//! GIFT import; the output is read back with [`super::parse_bank`] before anyone sees it,
//! so what is written is always a bank the server loads.

use std::fmt::Write;

use super::question::{AnswerKey, NumericTarget, Question};
use crate::cards::domain::Track;

/// A YAML double-quoted scalar: always valid, whatever the text holds.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A number without noise: 50, -33.33333, 0.0005.
pub fn number(x: f64) -> String {
    let rounded = (x * 1e9).round() / 1e9;
    let mut s = format!("{rounded}");
    if s == "-0" {
        s = "0".into();
    }
    s
}

fn percent(weight: f64) -> String {
    number((weight * 100.0 * 1e5).round() / 1e5)
}

/// Writes a whole bank. `header` becomes a comment at the top.
pub fn bank_yaml(header: &str, track: Track, questions: &[Question]) -> String {
    let mut out = String::new();
    for line in header.lines() {
        let _ = writeln!(out, "# {line}");
    }
    let _ = writeln!(out, "track: {}", track.as_str());
    let _ = writeln!(out, "questions:");
    for q in questions {
        question(&mut out, q);
    }
    out
}

fn question(out: &mut String, q: &Question) {
    let _ = writeln!(out, "  - id: {}", q.id.as_str());
    let _ = writeln!(out, "    card: {}", q.card.as_str());
    let _ = writeln!(out, "    type: {}", q.key.question_type().as_str());
    if let Some(name) = &q.name {
        let _ = writeln!(out, "    name: {}", quoted(name));
    }
    let _ = writeln!(out, "    prompt: {}", quoted(&q.prompt));
    let feedback = |f: &Option<String>| {
        f.as_ref()
            .map_or(String::new(), |f| format!(", feedback: {}", quoted(f)))
    };
    match &q.key {
        AnswerKey::Single(options) | AnswerKey::Multiple(options) => {
            let single = matches!(q.key, AnswerKey::Single(_));
            let _ = writeln!(out, "    options:");
            for o in options {
                let mark = if single && o.weight == 1.0 {
                    ", correct: true".to_owned()
                } else if single && o.weight == 0.0 {
                    String::new()
                } else {
                    format!(", weight: {}", percent(o.weight))
                };
                let _ = writeln!(
                    out,
                    "      - {{ text: {}{mark}{} }}",
                    quoted(&o.text),
                    feedback(&o.feedback)
                );
            }
        }
        AnswerKey::TrueFalse {
            answer,
            feedback_wrong,
            feedback_right,
        } => {
            let _ = writeln!(out, "    answer: {answer}");
            if let Some(f) = feedback_right {
                let _ = writeln!(out, "    feedback_right: {}", quoted(f));
            }
            if let Some(f) = feedback_wrong {
                let _ = writeln!(out, "    feedback_wrong: {}", quoted(f));
            }
        }
        AnswerKey::Short(accepted) => {
            let _ = writeln!(out, "    answers:");
            for a in accepted {
                let _ = writeln!(
                    out,
                    "      - {{ text: {}, weight: {}{} }}",
                    quoted(&a.text),
                    percent(a.weight),
                    feedback(&a.feedback)
                );
            }
        }
        AnswerKey::Matching(pairs) => {
            let _ = writeln!(out, "    pairs:");
            for p in pairs {
                let _ = writeln!(
                    out,
                    "      - {{ left: {}, right: {} }}",
                    quoted(&p.left),
                    quoted(&p.right)
                );
            }
        }
        AnswerKey::Ordering(items) => {
            let _ = writeln!(out, "    items:");
            for item in items {
                let _ = writeln!(out, "      - {}", quoted(item));
            }
        }
        AnswerKey::Numeric(answers) => {
            let _ = writeln!(out, "    answers:");
            for a in answers {
                let target = match a.target {
                    NumericTarget::Near { value, tolerance } => {
                        format!("value: {}, tolerance: {}", number(value), number(tolerance))
                    }
                    NumericTarget::Range { min, max } => {
                        format!("min: {}, max: {}", number(min), number(max))
                    }
                    NumericTarget::Any => "any: true".to_owned(),
                };
                let _ = writeln!(
                    out,
                    "      - {{ {target}, weight: {}{} }}",
                    percent(a.weight),
                    feedback(&a.feedback)
                );
            }
        }
    }
    if let Some(explanation) = &q.explanation {
        let _ = writeln!(out, "    explanation: {}", quoted(explanation));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_survives_any_text() {
        assert_eq!(quoted(r#"a "b" \ c"#), r#""a \"b\" \\ c""#);
        assert_eq!(quoted("line\nnext\u{1}"), r#""line\nnext\x01""#);
        assert_eq!(quoted("«Спасибо вам!»: #1"), "\"«Спасибо вам!»: #1\"");
    }

    #[test]
    fn numbers_print_without_noise() {
        assert_eq!(number(50.0), "50");
        assert_eq!(number(-0.0), "0");
        assert_eq!(number(0.0005), "0.0005");
        assert_eq!(percent(0.3333333), "33.33333");
        assert_eq!(percent(-0.5), "-50");
    }
}
