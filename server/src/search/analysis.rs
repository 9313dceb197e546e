//! Russian text analysis shared by indexing, querying and snippets.
//!
//! Tokens are maximal runs of alphanumeric characters (Cyrillic, Latin, digits, any script),
//! lowercased, with `ё` folded to `е`. Combining marks inside a word are folded as well:
//! `и` + U+0306 becomes `й`, `е` + U+0308 becomes `е`, any other mark (e.g. a stress accent)
//! is dropped. The stemmed analyzer adds tantivy's Snowball Russian stemmer on top.

use std::cell::RefCell;
use std::collections::HashMap;

use tantivy::tokenizer::{
    Language, RawTokenizer, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer,
};

/// Tokenizer name for the unstemmed ("exact words") fields. Bump the version when the
/// analysis changes: the name is part of the schema, so on-disk indexes get rebuilt.
pub(crate) const EXACT_ANALYZER: &str = "zhmp_ru_exact_v1";
/// Tokenizer name for the stemmed fields.
pub(crate) const STEM_ANALYZER: &str = "zhmp_ru_stem_v1";

/// Tokens longer than this (in characters) are junk (hashes, URLs) and are skipped.
const MAX_TOKEN_CHARS: usize = 64;

/// Splits text into normalized word tokens (see the module docs), stemmed when `stem`.
#[derive(Clone, Default)]
pub(crate) struct RuTokenizer {
    token: Token,
    stem: bool,
}

pub(crate) struct RuTokenStream<'a> {
    text: &'a str,
    pos: usize,
    token: &'a mut Token,
    stem: bool,
}

impl Tokenizer for RuTokenizer {
    type TokenStream<'a> = RuTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> RuTokenStream<'a> {
        self.token.reset();
        RuTokenStream {
            text,
            pos: 0,
            token: &mut self.token,
            stem: self.stem,
        }
    }
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

/// Appends the normalized form of a word character to `out` and returns how many
/// characters that added; `None` when `c` is not alphanumeric. ASCII and the basic
/// Cyrillic alphabet, nearly every character of a card, skip the Unicode tables: they were
/// a third of the time spent indexing.
#[inline]
fn push_folded(c: char, out: &mut String) -> Option<usize> {
    match c {
        'a'..='z' | '0'..='9' | 'а'..='я' => out.push(c),
        'A'..='Z' => out.push(c.to_ascii_lowercase()),
        // А..Я are 0x20 below а..я.
        'А'..='Я' => out.push(char::from_u32(c as u32 + 0x20).unwrap_or(c)),
        'ё' | 'Ё' => out.push('е'),
        _ if c.is_ascii() => return None,
        _ if c.is_alphanumeric() => {
            let mut n = 0;
            for l in c.to_lowercase() {
                out.push(if l == 'ё' { 'е' } else { l });
                n += 1;
            }
            return Some(n);
        }
        _ => return None,
    }
    Some(1)
}

/// `text` lowercased with `ё` folded to `е` the way tokens are, other characters kept:
/// every token of `text` occurs in the result as a contiguous run (unless the text has
/// combining marks, which the tokenizer folds or drops).
pub(crate) fn fold_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if push_folded(c, &mut out).is_none() {
            out.push(c);
        }
    }
    out
}

impl TokenStream for RuTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let out = &mut self.token.text;
        loop {
            out.clear();
            let bytes = self.text.as_bytes();
            // Skip to the next word character. ASCII separators (spaces, punctuation) are
            // skipped byte by byte; anything else is decoded and classified.
            let mut start = self.pos;
            let mut chars = 0usize;
            while start < bytes.len() {
                if bytes[start].is_ascii() && !bytes[start].is_ascii_alphanumeric() {
                    start += 1;
                    continue;
                }
                let c = self.text[start..].chars().next().unwrap_or(' ');
                if let Some(n) = push_folded(c, out) {
                    chars = n;
                    break;
                }
                start += c.len_utf8();
            }
            if start >= bytes.len() {
                self.pos = bytes.len();
                return false;
            }
            let first_len = self.text[start..].chars().next().map_or(1, char::len_utf8);
            let mut end = self.text.len();
            for (i, c) in self.text[start + first_len..].char_indices() {
                if let Some(n) = push_folded(c, out) {
                    chars += n;
                } else if is_combining(c) {
                    if c == '\u{0306}' && out.ends_with('и') {
                        out.pop();
                        out.push('й');
                    }
                    // U+0308 after `е` is a decomposed `ё`: already folded. Others: dropped.
                } else {
                    end = start + first_len + i;
                    break;
                }
            }
            self.pos = end;
            if chars > MAX_TOKEN_CHARS {
                continue;
            }
            if self.stem {
                stem_in_place(out);
            }
            self.token.position = self.token.position.wrapping_add(1);
            self.token.offset_from = start;
            self.token.offset_to = end;
            return true;
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

pub(crate) fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(RuTokenizer::default())
}

pub(crate) fn stem_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(RuTokenizer {
        stem: true,
        ..RuTokenizer::default()
    })
}

/// A normalized token with its byte range in the source text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct WordToken {
    pub from: usize,
    pub to: usize,
    pub text: String,
}

/// Normalized tokens of `text` with their byte offsets.
pub(crate) fn tokenize(text: &str) -> Vec<WordToken> {
    let mut tokenizer = RuTokenizer::default();
    let mut stream = tokenizer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        let t = stream.token();
        out.push(WordToken {
            from: t.offset_from,
            to: t.offset_to,
            text: t.text.clone(),
        });
    }
    out
}

/// Remembered stems per thread. A corpus of 10,000 cards has a few tens of thousands of
/// distinct words but millions of word occurrences, and Snowball's suffix search was the
/// largest cost of indexing after tokenizing; a lookup is far cheaper.
struct StemMemo {
    stemmer: TextAnalyzer,
    stems: HashMap<String, String>,
}

/// The memo is emptied when it reaches this many words (junk input cannot grow it without
/// bound; real vocabularies stay far below).
const STEM_MEMO_LIMIT: usize = 200_000;

thread_local! {
    static STEMS: RefCell<StemMemo> = RefCell::new(StemMemo {
        stemmer: TextAnalyzer::builder(RawTokenizer::default())
            .filter(Stemmer::new(Language::Russian))
            .build(),
        stems: HashMap::new(),
    });
}

/// Replaces an already normalized word with its Snowball Russian stem.
fn stem_in_place(word: &mut String) {
    STEMS.with(|memo| {
        let mut memo = memo.borrow_mut();
        if let Some(stem) = memo.stems.get(word.as_str()) {
            word.clone_from(stem);
            return;
        }
        let stem = {
            let mut stream = memo.stemmer.token_stream(word);
            if stream.advance() {
                stream.token().text.clone()
            } else {
                word.clone()
            }
        };
        if memo.stems.len() >= STEM_MEMO_LIMIT {
            memo.stems.clear();
        }
        memo.stems
            .insert(std::mem::replace(word, stem.clone()), stem);
    })
}

/// The stem of an already normalized word (as produced by [`tokenize`]).
pub(crate) fn stem(word: &str) -> String {
    let mut out = word.to_owned();
    stem_in_place(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        tokenize(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn tokenizes_and_normalizes() {
        assert_eq!(
            texts("Ещё раз: Гость, 93°C и 9 бар — latte-art!"),
            [
                "еще",
                "раз",
                "гость",
                "93",
                "c",
                "и",
                "9",
                "бар",
                "latte",
                "art"
            ]
        );
        // Decomposed й and ё, stress accent.
        assert_eq!(
            texts("мои\u{0306} е\u{0308}ж за\u{0301}мок"),
            ["мой", "еж", "замок"]
        );
        let t = tokenize("  Чай ёлка");
        assert_eq!((t[1].from, t[1].to), (9, 17));
    }

    #[test]
    fn stems_russian_forms() {
        assert_eq!(stem("гостя"), stem("гость"));
        assert_eq!(stem("гостю"), stem("гостем"));
        assert_eq!(stem("93"), "93");
    }

    /// The tokenizer before its fast path, kept as the reference it must match.
    fn reference(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut word = String::new();
        let mut chars = 0;
        for c in text.chars().chain([' ']) {
            if c.is_alphanumeric() {
                for l in c.to_lowercase() {
                    word.push(if l == 'ё' { 'е' } else { l });
                    chars += 1;
                }
            } else if is_combining(c) && !word.is_empty() {
                if c == '\u{0306}' && word.ends_with('и') {
                    word.pop();
                    word.push('й');
                }
            } else if !is_combining(c) {
                if !word.is_empty() && chars <= MAX_TOKEN_CHARS {
                    out.push(word.clone());
                }
                word.clear();
                chars = 0;
            }
        }
        out
    }

    #[test]
    fn the_fast_path_matches_the_unicode_tables() {
        // Every character of the first planes that matter, as words and between words.
        let all: String = (0u32..0x3000).filter_map(char::from_u32).collect();
        assert_eq!(texts(&all), reference(&all));
        let spaced: String = (0u32..0x3000)
            .filter_map(char::from_u32)
            .flat_map(|c| [c, 'ж', ' '])
            .collect();
        assert_eq!(texts(&spaced), reference(&spaced));
        let mixed = "ЁЛКА Ёж ёж İstanbul ǅemal ΣΊΣΥΦΟΣ ß ẞ Ⅻ ½ ٣ КАПУЧИНО-CAFÉ 10,5 л.";
        assert_eq!(texts(mixed), reference(mixed));
    }

    #[test]
    fn folded_text_holds_every_token() {
        let text = "ЁЛКА, Гость-İstanbul: «Капучино» ΣΊΣΥΦΟΣ 93°C";
        let folded = fold_text(text);
        for token in texts(text) {
            assert!(folded.contains(&token), "{token} in {folded}");
        }
        assert!(folded.starts_with("елка, гость-"), "{folded}");
    }

    #[test]
    fn remembered_stems_are_the_stemmers() {
        let mut plain = TextAnalyzer::builder(RawTokenizer::default())
            .filter(Stemmer::new(Language::Russian))
            .build();
        for w in [
            "гостя",
            "гостю",
            "гостя",
            "молоко",
            "молока",
            "93",
            "latte",
            "гостя",
        ] {
            let mut stream = plain.token_stream(w);
            assert!(stream.advance());
            assert_eq!(stem(w), stream.token().text, "{w}");
        }
        let mut analyzer = stem_analyzer();
        let mut stream = analyzer.token_stream("Гостя гостю");
        let mut got = Vec::new();
        while stream.advance() {
            got.push(stream.token().text.clone());
        }
        assert_eq!(got, [stem("гостя"), stem("гостю")]);
    }
}
