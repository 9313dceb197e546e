//! Russian text analysis shared by indexing, querying and snippets.
//!
//! Tokens are maximal runs of alphanumeric characters (Cyrillic, Latin, digits, any script),
//! lowercased, with `ё` folded to `е`. Combining marks inside a word are folded as well:
//! `и` + U+0306 becomes `й`, `е` + U+0308 becomes `е`, any other mark (e.g. a stress accent)
//! is dropped. The stemmed analyzer adds tantivy's Snowball Russian stemmer on top.

use std::cell::RefCell;

use tantivy::tokenizer::{Language, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer};

/// Tokenizer name for the unstemmed ("exact words") fields. Bump the version when the
/// analysis changes: the name is part of the schema, so on-disk indexes get rebuilt.
pub(crate) const EXACT_ANALYZER: &str = "zhmp_ru_exact_v1";
/// Tokenizer name for the stemmed fields.
pub(crate) const STEM_ANALYZER: &str = "zhmp_ru_stem_v1";

/// Tokens longer than this (in characters) are junk (hashes, URLs) and are skipped.
const MAX_TOKEN_CHARS: usize = 64;

/// Splits text into normalized word tokens (see the module docs).
#[derive(Clone, Default)]
pub(crate) struct RuTokenizer {
    token: Token,
}

pub(crate) struct RuTokenStream<'a> {
    text: &'a str,
    pos: usize,
    token: &'a mut Token,
}

impl Tokenizer for RuTokenizer {
    type TokenStream<'a> = RuTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> RuTokenStream<'a> {
        self.token.reset();
        RuTokenStream {
            text,
            pos: 0,
            token: &mut self.token,
        }
    }
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

impl TokenStream for RuTokenStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            let rest = &self.text[self.pos..];
            let Some((start_rel, _)) = rest.char_indices().find(|(_, c)| c.is_alphanumeric())
            else {
                self.pos = self.text.len();
                return false;
            };
            let start = self.pos + start_rel;
            let mut end = self.text.len();
            let mut out = String::new();
            let mut chars = 0usize;
            for (i, c) in self.text[start..].char_indices() {
                if c.is_alphanumeric() {
                    for l in c.to_lowercase() {
                        out.push(if l == 'ё' { 'е' } else { l });
                        chars += 1;
                    }
                } else if is_combining(c) {
                    if c == '\u{0306}' && out.ends_with('и') {
                        out.pop();
                        out.push('й');
                    }
                    // U+0308 after `е` is a decomposed `ё`: already folded. Others: dropped.
                } else {
                    end = start + i;
                    break;
                }
            }
            self.pos = end;
            if chars > MAX_TOKEN_CHARS {
                continue;
            }
            self.token.position = self.token.position.wrapping_add(1);
            self.token.offset_from = start;
            self.token.offset_to = end;
            self.token.text = out;
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
    TextAnalyzer::builder(RuTokenizer::default())
        .filter(Stemmer::new(Language::Russian))
        .build()
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

thread_local! {
    static STEMMER: RefCell<TextAnalyzer> = RefCell::new(stem_analyzer());
}

/// The stem of an already normalized word (as produced by [`tokenize`]).
pub(crate) fn stem(word: &str) -> String {
    STEMMER.with(|s| {
        let mut analyzer = s.borrow_mut();
        let mut stream = analyzer.token_stream(word);
        if stream.advance() {
            stream.token().text.clone()
        } else {
            word.to_string()
        }
    })
}

/// Words that never restrict a query and barely affect ranking.
const STOP_WORDS: &[&str] = &[
    "а",
    "без",
    "бы",
    "был",
    "была",
    "были",
    "было",
    "быть",
    "в",
    "вам",
    "вас",
    "ведь",
    "во",
    "вот",
    "все",
    "всех",
    "вы",
    "где",
    "да",
    "даже",
    "для",
    "до",
    "его",
    "ее",
    "ей",
    "ему",
    "если",
    "есть",
    "еще",
    "же",
    "за",
    "и",
    "из",
    "или",
    "им",
    "их",
    "к",
    "как",
    "какая",
    "какие",
    "какой",
    "когда",
    "ко",
    "кто",
    "ли",
    "либо",
    "мне",
    "мы",
    "на",
    "над",
    "не",
    "него",
    "нее",
    "ней",
    "нет",
    "ни",
    "них",
    "но",
    "ну",
    "о",
    "об",
    "он",
    "она",
    "они",
    "оно",
    "от",
    "по",
    "под",
    "при",
    "про",
    "с",
    "со",
    "так",
    "также",
    "там",
    "то",
    "тоже",
    "только",
    "тот",
    "ты",
    "у",
    "уже",
    "чем",
    "что",
    "чтобы",
    "это",
    "этот",
    "эта",
    "эти",
    "я",
];

pub(crate) fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(&word)
}

/// Maps a character typed on a QWERTY layout to the Cyrillic letter on the same key
/// of the standard ЙЦУКЕН layout; other characters are returned unchanged.
pub(crate) fn qwerty_to_jcuken(c: char) -> char {
    const FROM: &str = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`{}:\"<>~";
    const TO: &str = "йцукенгшщзхъфывапролджэячсмитьбюёхъжэбюё";
    let lower = c.to_ascii_lowercase();
    match FROM.chars().position(|f| f == lower) {
        Some(i) => TO.chars().nth(i).unwrap_or(c),
        None => c,
    }
}

/// Optimal-string-alignment (restricted Damerau–Levenshtein) distance in characters:
/// insertions, deletions, substitutions and adjacent transpositions all cost one.
pub(crate) fn osa_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (n, m) = (a.len(), b.len());
    let mut prev2 = vec![0usize; m + 1];
    let mut prev: Vec<usize> = (0..=m).collect();
    let mut cur = vec![0usize; m + 1];
    for i in 1..=n {
        cur[0] = i;
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[m]
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

    #[test]
    fn stop_words_are_normalized() {
        for w in STOP_WORDS {
            assert_eq!(texts(w), [*w]);
        }
        assert!(is_stop_word("если") && !is_stop_word("гость"));
    }

    #[test]
    fn layout_and_distance() {
        let s: String = "ntktajy".chars().map(qwerty_to_jcuken).collect();
        assert_eq!(s, "телефон");
        let s: String = "k.,jq".chars().map(qwerty_to_jcuken).collect();
        assert_eq!(s, "любой");
        assert_eq!(osa_distance("капучино", "капучмно"), 1);
        assert_eq!(osa_distance("капучино", "капуично"), 1);
        assert_eq!(osa_distance("молоко", "молоко"), 0);
        assert_eq!(osa_distance("кофемашина", "кофемешинаа"), 2);
    }
}
