//! Raw bytes to checked text, and byte offsets to `line:column` positions.

use super::Diagnostic;

/// Files larger than this are rejected without parsing.
pub const MAX_CARD_BYTES: usize = 1_048_576;

/// Checks size, encoding and emptiness; returns the text with line endings normalised to
/// `\n` (a `\r\n` or lone `\r` becomes `\n`, so line numbers match what editors show) and a
/// leading byte order mark removed.
pub fn decode(file: &str, bytes: &[u8]) -> Result<String, Diagnostic> {
    if bytes.len() > MAX_CARD_BYTES {
        return Err(Diagnostic::error(
            file,
            1,
            1,
            format!(
                "file is too large: {} bytes (the limit is 1 MiB, {MAX_CARD_BYTES} bytes)",
                bytes.len()
            ),
        ));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = &bytes[..err.valid_up_to()];
            // The prefix is valid UTF-8 by definition.
            let prefix = std::str::from_utf8(valid).unwrap_or_default();
            let (line, column) = end_position(&normalise(prefix));
            let bad = bytes[err.valid_up_to()];
            return Err(Diagnostic::error(
                file,
                line,
                column,
                format!("file is not valid UTF-8 (invalid byte 0x{bad:02X}); save it as UTF-8"),
            ));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Diagnostic::error(file, 1, 1, "file is empty"));
    }
    Ok(normalise(text))
}

fn normalise(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Position just after the end of `text`.
fn end_position(text: &str) -> (u32, u32) {
    let line = text.matches('\n').count() + 1;
    let last = text.rfind('\n').map_or(text, |i| &text[i + 1..]);
    (to_u32(line), to_u32(last.chars().count() + 1))
}

pub fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Maps byte offsets of a text to 1-based lines and 1-based columns counted in characters.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// `(line, column)` of a byte offset (clamped to the text, rounded down to a character).
    pub fn position(&self, offset: usize) -> (u32, u32) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let column = self.text[self.starts[line]..offset].chars().count() + 1;
        (to_u32(line + 1), to_u32(column))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let index = LineIndex::new("ab\nжмп x\n");
        assert_eq!(index.position(0), (1, 1));
        assert_eq!(index.position(3), (2, 1));
        assert_eq!(index.position("ab\nжмп ".len()), (2, 5));
        assert_eq!(index.position(100), (3, 1));
    }

    #[test]
    fn decode_reports_invalid_utf8_position() {
        let err = decode("a.md", b"ok\n\xd0\xb6\xff").unwrap_err();
        assert_eq!((err.line, err.column), (2, 2));
        assert!(err.message.contains("0xFF"), "{}", err.message);
    }

    #[test]
    fn decode_normalises_line_endings_and_bom() {
        let text = decode("a.md", "\u{feff}---\r\nid: x\r---\n".as_bytes()).unwrap();
        assert_eq!(text, "---\nid: x\n---\n");
    }

    #[test]
    fn decode_rejects_empty_and_huge_files() {
        assert!(
            decode("a.md", b" \n\n")
                .unwrap_err()
                .message
                .contains("empty")
        );
        let big = vec![b'a'; MAX_CARD_BYTES + 1];
        let err = decode("a.md", &big).unwrap_err();
        assert_eq!((err.line, err.column), (1, 1));
        assert!(err.message.contains("too large"));
    }
}
