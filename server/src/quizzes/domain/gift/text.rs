//! GIFT text handling: escapes, `[format]` prefixes, and turning HTML or Markdown into the
//! plain text question banks hold.

/// Control characters escaped with a backslash become private-use placeholders while a
/// question is split, and turn back into themselves afterwards. `\\` is a backslash and
/// `\n` a line break, as in Moodle's importer.
const ESCAPES: [(char, char); 6] = [
    (':', '\u{E03A}'),
    ('#', '\u{E023}'),
    ('=', '\u{E03D}'),
    ('{', '\u{E07B}'),
    ('~', '\u{E07E}'),
    ('}', '\u{E07D}'),
];

/// Replaces escaped control characters with placeholders.
pub fn hide_escapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek().copied() {
            Some('\\') => {
                chars.next();
                out.push('\\');
            }
            Some('n') => {
                chars.next();
                out.push('\n');
            }
            Some(next) => match ESCAPES.iter().find(|(ch, _)| *ch == next) {
                Some((_, placeholder)) => {
                    chars.next();
                    out.push(*placeholder);
                }
                None => out.push('\\'),
            },
            None => out.push('\\'),
        }
    }
    out
}

/// Turns placeholders back into the characters they stand for.
pub fn reveal_escapes(text: &str) -> String {
    text.chars()
        .map(|c| {
            ESCAPES
                .iter()
                .find(|(_, p)| *p == c)
                .map_or(c, |(ch, _)| *ch)
        })
        .collect()
}

/// GIFT's text formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Moodle,
    Html,
    Plain,
    Markdown,
}

impl Format {
    fn parse(word: &str) -> Option<Format> {
        match word {
            "moodle" => Some(Format::Moodle),
            "html" => Some(Format::Html),
            "plain" => Some(Format::Plain),
            "markdown" => Some(Format::Markdown),
            _ => None,
        }
    }
}

/// Splits a leading `[format]` off `text` (unknown names stay part of the text, as in
/// Moodle), reveals escapes and trims. Returns the format in force and the raw text.
pub fn with_format(text: &str, default: Format) -> (Format, String) {
    let trimmed = text.trim_start();
    if let Some(rest) = trimmed.strip_prefix('[')
        && let Some(end) = rest.find(']')
        && let Some(format) = Format::parse(&rest[..end])
    {
        return (format, reveal_escapes(&rest[end + 1..]).trim().to_owned());
    }
    (default, reveal_escapes(text).trim().to_owned())
}

/// The plain text a person reads: tags removed and entities decoded for HTML (and
/// Moodle's auto-format, which allows HTML), emphasis and links unwrapped for Markdown.
pub fn to_plain(format: Format, text: &str) -> String {
    let plain = match format {
        Format::Plain => text.to_owned(),
        Format::Html | Format::Moodle => strip_html(text),
        Format::Markdown => markdown_text(text),
    };
    collapse_blank_lines(&plain)
}

/// Text with HTML tags dropped and the common entities decoded.
fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let after = &rest[lt + 1..];
        // Only `<` followed by a letter, `/` or `!` opens a tag; "a < b" is text.
        let opens_tag =
            after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!');
        match (opens_tag, after.find('>')) {
            (true, Some(gt)) => {
                let tag = after[..gt].trim_start_matches('/').to_ascii_lowercase();
                if tag.starts_with("br") || tag.starts_with("p") || tag.starts_with("li") {
                    out.push('\n');
                }
                rest = &after[gt + 1..];
            }
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    decode_entities(&out)
}

fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let entity = after.find(';').filter(|&n| n <= 10).map(|n| &after[..n]);
        let decoded = entity.and_then(|e| match e {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" | "#39" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => e
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| e.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        });
        match (entity, decoded) {
            (Some(e), Some(c)) => {
                out.push(c);
                rest = &after[e.len() + 1..];
            }
            _ => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The text content of Markdown, via pulldown-cmark: emphasis and links unwrapped,
/// paragraphs and line breaks kept as line breaks.
fn markdown_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::Html(t) | Event::InlineHtml(t) => out.push_str(&strip_html(&t)),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_)) => out.push('\n'),
            _ => {}
        }
    }
    out
}

fn collapse_blank_lines(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_hide_control_characters_until_revealed() {
        let hidden = hide_escapes(r"a \= b \~ c \# d \{ e \} f \: g \\ h \n i");
        assert!(!hidden.contains(['=', '~', '#', '{', '}', ':']));
        assert_eq!(
            reveal_escapes(&hidden),
            "a = b ~ c # d { e } f : g \\ h \n i"
        );
        assert_eq!(
            hide_escapes(r"\q"),
            r"\q",
            "unknown escapes stay as written"
        );
    }

    #[test]
    fn formats_are_split_off_and_text_made_plain() {
        assert_eq!(
            with_format("[html]Match the <b>activity</b>", Format::Moodle),
            (Format::Html, "Match the <b>activity</b>".into())
        );
        assert_eq!(
            with_format("[unknown]text", Format::Plain),
            (Format::Plain, "[unknown]text".into())
        );
        assert_eq!(
            to_plain(Format::Html, "a <b>b</b> &amp; c &lt; d"),
            "a b & c < d"
        );
        assert_eq!(to_plain(Format::Html, "1 < 2"), "1 < 2");
        assert_eq!(
            to_plain(Format::Markdown, "Who's buried in **Grant's tomb**?"),
            "Who's buried in Grant's tomb?"
        );
        assert_eq!(to_plain(Format::Plain, "<b>as is</b>"), "<b>as is</b>");
    }
}
