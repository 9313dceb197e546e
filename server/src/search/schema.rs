//! Index schema: which card section goes into which field.

use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::{Index, TantivyDocument};

use super::analysis::{EXACT_ANALYZER, STEM_ANALYZER, exact_analyzer, stem_analyzer};
use super::doc::SearchDoc;

/// Weighted field groups, highest weight first.
pub(crate) const GROUPS: usize = 4;
pub(crate) const G_TITLE: usize = 0;
pub(crate) const G_SITUATION: usize = 1;
pub(crate) const G_BODY: usize = 2; // steps + taboo
pub(crate) const G_REST: usize = 3; // example, anti_example, explanation, tags

/// Stored-only section texts used for snippets, in snippet priority order.
pub(crate) const SECTIONS: [&str; 7] = [
    "s_situation",
    "s_steps",
    "s_taboo",
    "s_example",
    "s_anti_example",
    "s_explanation",
    "s_tags",
];

#[derive(Clone)]
pub(crate) struct Fields {
    pub id: Field,
    pub track: Field,
    pub stage: Field,
    pub tag: Field,
    /// Unstemmed words per group; `exact[G_TITLE]` also stores the title.
    pub exact: [Field; GROUPS],
    /// Stemmed words per group.
    pub stem: [Field; GROUPS],
    /// Every unstemmed word of the card: the term dictionary for typo and layout lookups.
    pub words: Field,
    /// Every stem of the card: document frequencies for stems.
    pub all_stem: Field,
    pub sections: [Field; SECTIONS.len()],
}

fn text_options(analyzer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    )
}

pub(crate) fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let id = b.add_text_field("id", STRING | STORED);
    let track = b.add_text_field("track", STRING | STORED);
    let stage = b.add_text_field("stage", STRING);
    let tag = b.add_text_field("tag", STRING);
    let names = ["title", "situation", "body", "rest"];
    let exact = names.map(|n| {
        let opts = text_options(EXACT_ANALYZER);
        let opts = if n == "title" {
            opts.set_stored()
        } else {
            opts
        };
        b.add_text_field(&format!("{n}_exact"), opts)
    });
    let stem = names.map(|n| b.add_text_field(&format!("{n}_stem"), text_options(STEM_ANALYZER)));
    let words = b.add_text_field("words", text_options(EXACT_ANALYZER));
    let all_stem = b.add_text_field("all_stem", text_options(STEM_ANALYZER));
    let sections = SECTIONS.map(|n| b.add_text_field(n, STORED));
    let fields = Fields {
        id,
        track,
        stage,
        tag,
        exact,
        stem,
        words,
        all_stem,
        sections,
    };
    (b.build(), fields)
}

pub(crate) fn register_analyzers(index: &Index) {
    index
        .tokenizers()
        .register(EXACT_ANALYZER, exact_analyzer());
    index.tokenizers().register(STEM_ANALYZER, stem_analyzer());
}

/// Normalizes a filter value (track, stage, tag) the same way at index and query time.
pub(crate) fn filter_value(v: &str) -> String {
    v.trim().to_lowercase()
}

impl Fields {
    pub(crate) fn to_document(&self, d: &SearchDoc) -> TantivyDocument {
        let mut doc = TantivyDocument::new();
        doc.add_text(self.id, &d.id);
        doc.add_text(self.track, filter_value(&d.track));
        if let Some(stage) = &d.stage {
            doc.add_text(self.stage, filter_value(stage));
        }
        for t in &d.tags {
            doc.add_text(self.tag, filter_value(t));
        }
        let mut add = |group: usize, text: &str| {
            if text.trim().is_empty() {
                return;
            }
            doc.add_text(self.exact[group], text);
            doc.add_text(self.stem[group], text);
            doc.add_text(self.words, text);
            doc.add_text(self.all_stem, text);
        };
        add(G_TITLE, &d.title);
        add(G_SITUATION, &d.situation);
        for s in d.steps.iter().chain(&d.taboo) {
            add(G_BODY, s);
        }
        for s in [&d.example, &d.anti_example, &d.explanation] {
            add(G_REST, s);
        }
        for t in &d.tags {
            add(G_REST, t);
        }
        let texts = [
            d.situation.clone(),
            d.steps.join("\n"),
            d.taboo.join("\n"),
            d.example.clone(),
            d.anti_example.clone(),
            d.explanation.clone(),
            d.tags.join(", "),
        ];
        for (field, text) in self.sections.iter().zip(texts) {
            doc.add_text(*field, text);
        }
        doc
    }
}

/// The first text value of `field`, or "".
pub(crate) fn stored_text(doc: &TantivyDocument, field: Field) -> &str {
    doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("")
}
