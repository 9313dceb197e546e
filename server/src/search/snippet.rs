//! HTML snippets: the best ~160-character passage with the matched words in `<mark>`.

use std::collections::HashSet;

use super::analysis::{fold_text, stem, tokenize};

/// Passage length in characters.
const WINDOW: usize = 160;
/// At most this much context before the first matched word.
const LEAD: usize = 40;

/// The words a query matched: surface forms and stems (Snowball stems are prefixes).
#[derive(Debug, Default)]
pub(crate) struct Highlight {
    surfaces: HashSet<String>,
    stems: Vec<String>,
}

impl Highlight {
    pub(crate) fn add(&mut self, surface: &str, stem: &str) {
        self.surfaces.insert(surface.to_string());
        if !stem.is_empty() && !self.stems.iter().any(|s| s == stem) {
            self.stems.push(stem.to_string());
        }
    }

    /// Whether a normalized token of card text is one of the matched words.
    pub(crate) fn is_match(&self, token: &str) -> bool {
        if self.surfaces.contains(token) {
            return true;
        }
        let mut token_stem: Option<String> = None;
        for s in &self.stems {
            if token.starts_with(s.as_str()) {
                let ts = token_stem.get_or_insert_with(|| stem(token));
                if ts == s {
                    return true;
                }
            }
        }
        false
    }

    /// A cheap test that can only err towards yes: whether any matched word can occur in
    /// `text` at all. Every match contains a surface or a stem as written, once the text
    /// is lowercased with `ё` folded, so a text without any of them needs no tokenizing.
    /// Text with combining marks is folded differently by the tokenizer: always yes.
    fn may_occur_in(&self, text: &str) -> bool {
        if text.chars().any(|c| matches!(c, '\u{0300}'..='\u{036F}')) {
            return true;
        }
        let folded = fold_text(text);
        (self.stems.iter().chain(&self.surfaces)).any(|w| folded.contains(w.as_str()))
    }
}

/// Snippet from the first section (in priority order) that has a match; the title only when
/// no section matches; the start of the first non-empty section when nothing matches.
pub(crate) fn make_snippet(sections: &[&str], title: &str, hl: &Highlight) -> String {
    for s in sections {
        if let Some(html) = passage(s, hl, false) {
            return html;
        }
    }
    if let Some(html) = passage(title, hl, false) {
        return html;
    }
    sections
        .iter()
        .find(|s| !s.trim().is_empty())
        .and_then(|s| passage(s, hl, true))
        .unwrap_or_else(|| escape(title))
}

fn passage(text: &str, hl: &Highlight, force: bool) -> Option<String> {
    if !force && !hl.may_occur_in(text) {
        return None;
    }
    let matched: Vec<(usize, usize)> = tokenize(text)
        .into_iter()
        .filter(|t| hl.is_match(&t.text))
        .map(|t| (t.from, t.to))
        .collect();
    if matched.is_empty() && !force {
        return None;
    }
    // Byte offset of every char, plus the end.
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    let total = bounds.len() - 1;
    let char_at = |byte: usize| bounds.partition_point(|&b| b < byte);
    let is_word = |k: usize| {
        text[bounds[k]..bounds[k + 1]]
            .chars()
            .all(char::is_alphanumeric)
    };

    let (mut start, mut end) = if total <= WINDOW {
        (0, total)
    } else if matched.is_empty() {
        (0, WINDOW)
    } else {
        let m: Vec<(usize, usize)> = matched
            .iter()
            .map(|&(f, t)| (char_at(f), char_at(t)))
            .collect();
        // The window start (a match) covering the most matches.
        let (mut best_i, mut best_n, mut j) = (0, 0, 0);
        for i in 0..m.len() {
            j = j.max(i);
            while j + 1 < m.len() && m[j + 1].1 - m[i].0 <= WINDOW {
                j += 1;
            }
            if j - i + 1 > best_n {
                (best_i, best_n) = (i, j - i + 1);
            }
        }
        let (span_from, span_to) = (m[best_i].0, m[best_i + best_n - 1].1);
        let slack = WINDOW.saturating_sub(span_to - span_from);
        let s = span_from - (slack / 2).min(LEAD).min(span_from);
        let e = (s + WINDOW).min(total);
        (e.saturating_sub(WINDOW), e)
    };
    // Do not cut words in half.
    if start > 0 && is_word(start - 1) {
        while start < end && is_word(start) {
            start += 1;
        }
    }
    if end < total && is_word(end) {
        while end > start && is_word(end - 1) {
            end -= 1;
        }
    }
    let (from, to) = (bounds[start], bounds[end]);
    let trimmed = text[from..to].trim_start();
    let from = to - trimmed.len();
    let to = from + trimmed.trim_end().len();

    let mut out = String::with_capacity(to - from + 32);
    if from > 0 {
        out.push('…');
    }
    let mut pos = from;
    for &(f, t) in matched.iter().filter(|&&(f, t)| f >= from && t <= to) {
        out.push_str(&escape(&text[pos..f]));
        out.push_str("<mark>");
        out.push_str(&escape(&text[f..t]));
        out.push_str("</mark>");
        pos = t;
    }
    out.push_str(&escape(&text[pos..to]));
    if to < text.len() {
        out.push('…');
    }
    Some(out)
}

/// Escapes text for HTML; newlines (joined list items) become spaces.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hl(words: &[&str]) -> Highlight {
        let mut h = Highlight::default();
        for w in words {
            h.add(w, &stem(w));
        }
        h
    }

    #[test]
    fn marks_forms_and_escapes() {
        let h = hl(&["гость"]);
        let html = make_snippet(&["Гостю <b>нужно</b> & \"быстро\""], "Гость", &h);
        assert_eq!(
            html,
            "<mark>Гостю</mark> &lt;b&gt;нужно&lt;/b&gt; &amp; &quot;быстро&quot;"
        );
    }

    #[test]
    fn picks_passage_with_most_matches() {
        let filler = "слово ".repeat(60);
        let text = format!("{filler}кофе и молоко рядом, кофе снова. {filler}");
        let html = make_snippet(&[&text], "", &hl(&["кофе", "молоко"]));
        assert!(html.starts_with('…') && html.ends_with('…'), "{html}");
        assert_eq!(html.matches("<mark>").count(), 3, "{html}");
        assert!(html.chars().count() < WINDOW + 60, "{html}");
        assert!(!html.contains("слов…") && !html.contains("…лово"), "{html}");
    }

    #[test]
    fn falls_back_to_title_then_first_section() {
        let h = hl(&["бариста"]);
        assert_eq!(
            make_snippet(&["", "нет совпадений"], "Бариста", &h),
            "<mark>Бариста</mark>"
        );
        assert_eq!(
            make_snippet(&["", "нет совпадений"], "Чай", &h),
            "нет совпадений"
        );
    }
}
