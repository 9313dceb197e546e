//! Moodle's GIFT question format (docs/gift.md), read the way Moodle's own importer reads
//! it (question/format/gift/format.php), so a file imports with the same questions and
//! answers: blocks separated by blank lines, `//` comment lines, `$CATEGORY:`, `::name::`,
//! `[format]` prefixes, escapes, `{…}` answers with `=`/`~`/`%w%`/`#feedback`, `####`
//! general feedback, true/false, short answer, matching, numerical. Essays and
//! descriptions are reported and skipped.

mod answers;
mod convert;
mod text;

use crate::cards::domain::Diagnostic;

pub use super::question::AnswerKey;
pub use convert::{Converted, ImportOptions, gift_to_bank, id_prefix};
pub use text::{Format, to_plain};

/// One question read from GIFT.
#[derive(Debug, Clone, PartialEq)]
pub struct GiftQuestion {
    /// 1-based line where the question's text starts.
    pub line: u32,
    /// `::name::`, if given.
    pub name: Option<String>,
    /// The last `$CATEGORY:` before the question.
    pub category: Option<String>,
    /// Plain text; a blank `_____` marks where the answer stood when text follows it.
    pub prompt: String,
    /// `####` general feedback.
    pub general_feedback: Option<String>,
    pub key: AnswerKey,
}

/// The questions of a file and the problems found. Errors are questions that could not
/// be read; warnings are questions skipped on purpose (essays, descriptions) and oddities.
#[derive(Debug, Default)]
pub struct GiftImport {
    pub questions: Vec<GiftQuestion>,
    pub problems: Vec<Diagnostic>,
}

/// A block of non-blank lines: one question, category or description.
struct Block {
    /// Line of the first line that is not a comment.
    line: u32,
    /// Lines with comment lines blanked, joined by `\n` and trimmed.
    text: String,
}

/// Reads a GIFT file. `file` names it in diagnostics.
pub fn parse_gift(file: &str, source: &str) -> GiftImport {
    let mut import = GiftImport::default();
    let mut category = None;
    for block in blocks(source) {
        let text = text::hide_escapes(&block.text);
        if let Some(rest) = text.strip_prefix("$CATEGORY:") {
            category = Some(text::reveal_escapes(rest).trim().to_owned());
            continue;
        }
        match answers::question(&text) {
            Ok(answers::Read::Question(mut q)) => {
                q.line = block.line;
                q.category = category.clone();
                import.questions.push(q);
            }
            Ok(answers::Read::Skipped(why)) => import
                .problems
                .push(Diagnostic::warning(file, block.line, 1, why)),
            Err(message) => import
                .problems
                .push(Diagnostic::error(file, block.line, 1, message)),
        }
    }
    import
}

/// Splits the source into blocks at blank lines. Lines are trimmed; comment lines (`//`
/// first) stay inside their block as blanks, as in Moodle, but do not start it.
fn blocks(source: &str) -> Vec<Block> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut out = Vec::new();
    let mut lines: Vec<&str> = Vec::new();
    let mut first: Option<u32> = None;
    let mut flush = |lines: &mut Vec<&str>, first: &mut Option<u32>| {
        let text = lines.join("\n").trim().to_owned();
        if let (false, Some(line)) = (text.is_empty(), *first) {
            out.push(Block { line, text });
        }
        lines.clear();
        *first = None;
    };
    for (n, raw) in source.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            flush(&mut lines, &mut first);
        } else if line.starts_with("//") {
            lines.push(" ");
        } else {
            first.get_or_insert(u32::try_from(n + 1).unwrap_or(u32::MAX));
            lines.push(line);
        }
    }
    flush(&mut lines, &mut first);
    out
}

#[cfg(test)]
mod tests;
