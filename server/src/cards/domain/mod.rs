//! The ЖМП card format (docs/card-format.md): parsing, validation and rendering.
//! Pure: bytes in, a card or diagnostics out. No file system, HTTP or SQL.

mod card;
mod corpus;
mod diagnostic;
mod front_matter;
mod headings;
mod parse;
mod render;
mod sections;
mod source;
mod text;

#[cfg(test)]
mod tests;

pub use card::{Card, CardId, FrontMatter, Season, Section, Track};
pub use corpus::{CorpusCheck, check_corpus, is_card_path, is_hidden};
pub use diagnostic::{Diagnostic, Severity};
pub use parse::{Parsed, parse_card};
pub use render::render_markdown;
pub use source::render_source;
pub use text::decode;
