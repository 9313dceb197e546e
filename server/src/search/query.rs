//! Turns the typed text into a tantivy query, the words to highlight and a suggestion.
//!
//! Every query word becomes a disjunction-max over constant-score term clauses, one per
//! (field group × match kind × term). A clause scores `kind × (COORD + field_weight × idf)`
//! with kind 1.0 exact, 0.9 word form (stem), 0.9/0.85 keyboard layout, 0.75 typo; field
//! weights 0.8 title, 0.5 situation, 0.35 steps/taboo, 0.2 the rest; idf normalized to
//! [0.5, 1]. A word thus scores 1.2..2.3 when matched, and words are summed: the number of
//! matched words dominates (coordination), then field and match kind, then rarity. Within one
//! field exact > stem > typo always holds. Stop words only add a tiny score and never make a
//! document match on their own.

use std::collections::HashSet;

use tantivy::query::{
    BooleanQuery, ConstScoreQuery, DisjunctionMaxQuery, EmptyQuery, FuzzyTermQuery, Occur, Query,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use super::SearchError;
use super::analysis::{stem, tokenize};
use super::schema::{Fields, GROUPS};
use super::snippet::Highlight;
use super::words::{is_stop_word, osa_distance, qwerty_to_jcuken};

/// Field group weights: title, situation, steps/taboo, the rest.
const FIELD_WEIGHT: [f32; GROUPS] = [0.8, 0.5, 0.35, 0.2];
/// Stop-word clauses are scaled down by this factor and get no coordination bonus.
const STOP_FACTOR: f32 = 0.02;
/// At most this many typo candidates per word.
const MAX_TYPO_CANDIDATES: usize = 6;
/// Stop streaming the term dictionary after this many raw candidates.
const MAX_RAW_CANDIDATES: usize = 256;

/// Added once per matched (non-stop) word: the coordination part of a word's score.
const COORD: f32 = 1.5;

/// How a document term matched a query word.
#[derive(Clone, Copy)]
struct Kind {
    /// Multiplies the whole word score.
    factor: f32,
    /// Stemmed fields (true) or exact-word fields (false).
    stemmed: bool,
}

const EXACT: Kind = Kind {
    factor: 1.0,
    stemmed: false,
};
const STEM: Kind = Kind {
    factor: 0.9,
    stemmed: true,
};
const LAYOUT_EXACT: Kind = Kind {
    factor: 0.9,
    stemmed: false,
};
const LAYOUT_STEM: Kind = Kind {
    factor: 0.85,
    stemmed: true,
};
const TYPO: Kind = Kind {
    factor: 0.75,
    stemmed: true,
};

pub(crate) struct Plan {
    pub query: Box<dyn Query>,
    pub highlight: Highlight,
    pub suggestion: Option<String>,
}

/// A query word: normalized text, byte span in the typed query, layout-converted form.
struct Word {
    text: String,
    from: usize,
    to: usize,
    layout: Option<String>,
}

struct Candidate {
    text: String,
    dist: usize,
    df: u64,
}

struct Ctx<'a> {
    searcher: &'a Searcher,
    f: &'a Fields,
    num_docs: f32,
    idf_max: f32,
}

impl Ctx<'_> {
    fn df(&self, field: Field, text: &str) -> Result<u64, SearchError> {
        Ok(self
            .searcher
            .doc_freq(&Term::from_field_text(field, text))?)
    }

    fn idf_norm(&self, df: u64) -> f32 {
        let df = df as f32;
        let idf = (1.0 + (self.num_docs - df + 0.5).max(0.0) / (df + 0.5)).ln();
        0.5 + 0.5 * (idf / self.idf_max).min(1.0)
    }

    /// Adds one clause per field group for `term`; false when the term is not in the index.
    fn add(
        &self,
        out: &mut Vec<Box<dyn Query>>,
        term: &str,
        kind: Kind,
        stop: bool,
    ) -> Result<bool, SearchError> {
        let df_field = if kind.stemmed {
            self.f.all_stem
        } else {
            self.f.words
        };
        let df = self.df(df_field, term)?;
        if df == 0 {
            return Ok(false);
        }
        let idf = self.idf_norm(df);
        let fields = if kind.stemmed {
            &self.f.stem
        } else {
            &self.f.exact
        };
        for (&field, &weight) in fields.iter().zip(&FIELD_WEIGHT) {
            let score = if stop {
                STOP_FACTOR * kind.factor * weight
            } else {
                kind.factor * (COORD + weight * idf)
            };
            let tq = TermQuery::new(Term::from_field_text(field, term), IndexRecordOption::Basic);
            out.push(Box::new(ConstScoreQuery::new(Box::new(tq), score)));
        }
        Ok(true)
    }

    /// Indexed words within the allowed edit distance of `word`, sharing its first character.
    fn typo_candidates(&self, word: &str) -> Result<Vec<Candidate>, SearchError> {
        let max = match word.chars().count() {
            0..=4 => return Ok(Vec::new()),
            5..=8 => 1,
            _ => 2,
        };
        if word.chars().all(|c| c.is_ascii_digit()) {
            return Ok(Vec::new());
        }
        let Some(first) = word.chars().next() else {
            return Ok(Vec::new());
        };
        let field = self.f.words;
        let automaton =
            FuzzyTermQuery::new(Term::from_field_text(field, word), max, true).automaton()?;
        let lo = first.to_string();
        let hi = char::from_u32(first as u32 + 1).map(|c| c.to_string());
        let mut raw = HashSet::new();
        'segments: for segment in self.searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut range = inverted.terms().search(&automaton).ge(lo.as_bytes());
            if let Some(hi) = &hi {
                range = range.lt(hi.as_bytes());
            }
            let mut stream = range.into_stream()?;
            while stream.advance() {
                if let Ok(t) = std::str::from_utf8(stream.key())
                    && t != word
                {
                    raw.insert(t.to_string());
                    if raw.len() >= MAX_RAW_CANDIDATES {
                        break 'segments;
                    }
                }
            }
        }
        let mut out = Vec::new();
        for text in raw {
            let dist = osa_distance(word, &text);
            if dist == 0 || dist > usize::from(max) {
                continue;
            }
            let df = self.df(field, &text)?;
            if df > 0 {
                out.push(Candidate { text, dist, df });
            }
        }
        out.sort_by(|a, b| {
            (a.dist.cmp(&b.dist))
                .then(b.df.cmp(&a.df))
                .then(a.text.cmp(&b.text))
        });
        out.truncate(MAX_TYPO_CANDIDATES);
        Ok(out)
    }

    /// Query words, with layout conversions attached to all-Latin chunks that convert
    /// into indexed words.
    fn words(&self, q: &str) -> Result<Vec<Word>, SearchError> {
        let mut words: Vec<Word> = tokenize(q)
            .into_iter()
            .map(|t| Word {
                text: t.text,
                from: t.from,
                to: t.to,
                layout: None,
            })
            .collect();
        let mut absorbed = vec![false; words.len()];
        for (start, chunk) in chunks(q) {
            if !chunk.is_ascii() || !chunk.bytes().any(|b| b.is_ascii_alphabetic()) {
                continue;
            }
            let converted: String = chunk.chars().map(qwerty_to_jcuken).collect();
            let conv = tokenize(&converted);
            let mut known = !conv.is_empty();
            for t in &conv {
                known = known && self.df(self.f.words, &t.text)? > 0;
            }
            let inside: Vec<usize> = (0..words.len())
                .filter(|&i| words[i].from >= start && words[i].to <= start + chunk.len())
                .collect();
            if !known || inside.is_empty() {
                continue;
            }
            if conv.len() == inside.len() {
                for (t, &i) in conv.into_iter().zip(&inside) {
                    words[i].layout = Some(t.text);
                }
            } else if conv.len() == 1 {
                // The chunk is one word whose punctuation keys are Cyrillic letters.
                // The chunk is ASCII, so a char offset in `converted` is a byte offset in it.
                let t = &conv[0];
                let w = &mut words[inside[0]];
                w.from = start + converted[..t.from].chars().count();
                w.to = start + converted[..t.to].chars().count();
                w.layout = Some(t.text.clone());
                for &i in &inside[1..] {
                    absorbed[i] = true;
                }
            }
        }
        Ok(words
            .into_iter()
            .zip(absorbed)
            .filter(|(_, a)| !a)
            .map(|(w, _)| w)
            .collect())
    }
}

/// Whitespace-separated chunks of `q` with their byte offsets.
fn chunks(q: &str) -> impl Iterator<Item = (usize, &str)> {
    q.split(char::is_whitespace)
        .filter(|c| !c.is_empty())
        .map(move |c| (c.as_ptr() as usize - q.as_ptr() as usize, c))
}

/// Plans the query; `None` when the text has no words.
pub(crate) fn plan(searcher: &Searcher, f: &Fields, q: &str) -> Result<Option<Plan>, SearchError> {
    let num_docs = searcher.num_docs() as f32;
    let ctx = Ctx {
        searcher,
        f,
        num_docs,
        idf_max: (1.0 + (num_docs + 0.5) / 0.5).ln().max(f32::EPSILON),
    };
    let words = ctx.words(q)?;
    if words.is_empty() {
        return Ok(None);
    }
    let is_stop = |w: &Word| is_stop_word(&w.text) || w.layout.as_deref().is_some_and(is_stop_word);
    let all_stop = words.iter().all(is_stop);
    let mut required: Vec<Box<dyn Query>> = Vec::new();
    let mut optional: Vec<Box<dyn Query>> = Vec::new();
    let mut highlight = Highlight::default();
    let mut fixes: Vec<(usize, usize, String)> = Vec::new();
    let mut seen_words = HashSet::new();
    for w in &words {
        if !seen_words.insert((w.text.as_str(), w.layout.as_deref())) {
            continue;
        }
        let stop = is_stop(w) && !all_stop;
        let mut clauses: Vec<Box<dyn Query>> = Vec::new();
        let word_stem = stem(&w.text);
        let exact_hit = ctx.add(&mut clauses, &w.text, EXACT, stop)?;
        let stem_hit = ctx.add(&mut clauses, &word_stem, STEM, stop)?;
        if !stop {
            if exact_hit || stem_hit {
                highlight.add(&w.text, &word_stem);
            }
            let mut seen_stems: HashSet<String> = HashSet::from([word_stem.clone()]);
            let mut fix = None;
            if let Some(conv) = &w.layout {
                let conv_stem = stem(conv);
                ctx.add(&mut clauses, conv, LAYOUT_EXACT, false)?;
                ctx.add(&mut clauses, &conv_stem, LAYOUT_STEM, false)?;
                highlight.add(conv, &conv_stem);
                seen_stems.insert(conv_stem);
                fix = Some(conv.clone());
            }
            for c in ctx.typo_candidates(&w.text)? {
                let c_stem = stem(&c.text);
                if seen_stems.insert(c_stem.clone())
                    && ctx.add(&mut clauses, &c_stem, TYPO, false)?
                {
                    highlight.add(&c.text, &c_stem);
                    fix = fix.or(Some(c.text));
                }
            }
            if !exact_hit
                && !stem_hit
                && let Some(fix) = fix
            {
                fixes.push((w.from, w.to, fix));
            }
        }
        if clauses.is_empty() {
            continue;
        }
        let word_query: Box<dyn Query> = Box::new(DisjunctionMaxQuery::new(clauses));
        if stop {
            optional.push(word_query);
        } else {
            required.push(word_query);
        }
    }
    let query: Box<dyn Query> = if required.is_empty() {
        Box::new(EmptyQuery)
    } else {
        let mut clauses = vec![(Occur::Must, Box::new(BooleanQuery::union(required)) as _)];
        clauses.extend(optional.into_iter().map(|q| (Occur::Should, q)));
        Box::new(BooleanQuery::new(clauses))
    };
    Ok(Some(Plan {
        query,
        highlight,
        suggestion: suggestion(q, fixes),
    }))
}

/// `q` with the spans in `fixes` replaced; `None` when nothing changes.
fn suggestion(q: &str, mut fixes: Vec<(usize, usize, String)>) -> Option<String> {
    if fixes.is_empty() {
        return None;
    }
    fixes.sort_by_key(|f| f.0);
    let mut out = String::with_capacity(q.len() + 16);
    let mut pos = 0;
    for (from, to, text) in fixes {
        if from < pos {
            continue;
        }
        out.push_str(&q[pos..from]);
        out.push_str(&text);
        pos = to;
    }
    out.push_str(&q[pos..]);
    let out = out.trim().to_string();
    (out != q.trim()).then_some(out)
}
