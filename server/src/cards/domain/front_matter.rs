//! The YAML front matter: finding it, and turning it into [`FrontMatter`] with a diagnostic
//! for every problem. Positions are file positions: YAML line N is file line N + 1.

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

use super::card::{CardId, FrontMatter, Season, Track};
use super::text::to_u32;
use super::{Diagnostic, Severity};
use crate::accounts::domain::Level;

/// Known fields, in canonical order.
pub const FIELDS: [&str; 8] = [
    "id",
    "title",
    "track",
    "tags",
    "stage",
    "level",
    "season",
    "mandatory",
];

/// Where the front matter is.
#[derive(Debug, PartialEq)]
pub enum Split<'a> {
    /// Line 1 is not `---`: the whole file is the body.
    Missing,
    /// No closing `---` line.
    Unclosed,
    Found {
        /// The text between the `---` lines.
        yaml: &'a str,
        /// Byte offset where the body starts (after the closing line).
        body_start: usize,
        /// 1-based line of the first body line.
        body_line: usize,
    },
}

/// Finds the front matter in text whose line endings are `\n`.
pub fn split(text: &str) -> Split<'_> {
    let mut lines = text.split_inclusive('\n');
    let Some(first) = lines.next() else {
        return Split::Missing;
    };
    if first.trim_end_matches('\n') != "---" {
        return Split::Missing;
    }
    let mut offset = first.len();
    for (i, line) in lines.enumerate() {
        if line.trim_end_matches('\n') == "---" {
            return Split::Found {
                yaml: &text[first.len()..offset],
                body_start: offset + line.len(),
                body_line: i + 3,
            };
        }
        offset += line.len();
    }
    Split::Unclosed
}

/// The id with its position, kept even when other fields are wrong (for duplicate checks).
#[derive(Debug, Clone)]
pub struct IdAt {
    pub id: CardId,
    pub line: u32,
    pub column: u32,
}

pub struct Parsed {
    pub front: Option<FrontMatter>,
    pub id: Option<IdAt>,
}

/// Parses the YAML between the `---` lines, pushing diagnostics.
pub fn parse(file: &str, yaml: &str, diags: &mut Vec<Diagnostic>) -> Parsed {
    let mut ctx = Ctx { file, yaml, diags };
    let docs = match MarkedYaml::load_from_str(yaml) {
        Ok(docs) => docs,
        Err(err) => {
            let m = err.marker();
            ctx.push_at(
                Severity::Error,
                m.line(),
                m.col(),
                format!("invalid YAML in front matter: {}", err.info()),
            );
            return Parsed {
                front: None,
                id: None,
            };
        }
    };
    let empty = MarkedYaml::from(YamlData::Value(Scalar::Null));
    let doc = match docs.as_slice() {
        [] => &empty,
        [doc] => doc,
        [_, second, ..] => {
            ctx.error(second, "front matter must be a single YAML document");
            return Parsed {
                front: None,
                id: None,
            };
        }
    };
    ctx.fields(untag(doc))
}

fn untag<'a, 'i>(node: &'a MarkedYaml<'i>) -> &'a MarkedYaml<'i> {
    match &node.data {
        YamlData::Tagged(_, inner) => untag(inner),
        _ => node,
    }
}

struct Ctx<'a> {
    file: &'a str,
    yaml: &'a str,
    diags: &'a mut Vec<Diagnostic>,
}

impl Ctx<'_> {
    /// `line` is 1-based in the YAML, `col` 0-based, as saphyr reports them.
    fn push_at(&mut self, severity: Severity, line: usize, col: usize, message: String) {
        self.diags.push(Diagnostic {
            file: self.file.to_owned(),
            line: to_u32(line.max(1) + 1),
            column: to_u32(col + 1),
            severity,
            message,
        });
    }

    fn position(node: &MarkedYaml) -> (usize, usize) {
        (node.span.start.line(), node.span.start.col())
    }

    fn error(&mut self, node: &MarkedYaml, message: impl Into<String>) {
        let (line, col) = Self::position(node);
        self.push_at(Severity::Error, line, col, message.into());
    }

    fn errors(&self) -> usize {
        self.diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    fn fields(&mut self, doc: &MarkedYaml) -> Parsed {
        let no_fields = saphyr::AnnotatedMapping::new();
        let mapping = match &doc.data {
            YamlData::Mapping(mapping) => mapping,
            YamlData::Value(Scalar::Null) => &no_fields,
            _ => {
                self.error(doc, "front matter must be a mapping of fields (key: value)");
                return Parsed {
                    front: None,
                    id: None,
                };
            }
        };
        let errors_before = self.errors();
        let mut id = None;
        let mut title = None;
        let mut track = None;
        let mut tags = Vec::new();
        let mut stage = None;
        let mut level = Level::Trainee;
        let mut season = Season::All;
        let mut mandatory = true;
        for (key, value) in mapping {
            let key_text = self.text(untag(key)).ok().flatten().unwrap_or_default();
            let value = untag(value);
            match key_text.as_str() {
                "id" => id = self.id(value),
                "title" => title = self.required_string("title", value),
                "track" => {
                    track = self.word("track", value, Track::parse, &Track::ALL.map(Track::as_str))
                }
                "tags" => tags = self.tags(value),
                "stage" => stage = self.optional_string("stage", value),
                "level" | "season" if is_null(value) => {}
                "level" => {
                    let allowed = Level::ALL.map(Level::as_str);
                    level = self
                        .word("level", value, |w| w.parse().ok(), &allowed)
                        .unwrap_or(level);
                }
                "season" => {
                    let allowed = Season::ALL.map(Season::as_str);
                    season = self
                        .word("season", value, Season::parse, &allowed)
                        .unwrap_or(season);
                }
                "mandatory" => mandatory = self.boolean("mandatory", value).unwrap_or(mandatory),
                other => {
                    let (line, col) = Self::position(key);
                    let message = format!(
                        "unknown field «{other}»; known fields: {}",
                        FIELDS.join(", ")
                    );
                    self.push_at(Severity::Warning, line, col, message);
                }
            }
        }
        for (field, present) in [
            ("id", mapping_has(mapping, "id")),
            ("title", mapping_has(mapping, "title")),
            ("track", mapping_has(mapping, "track")),
        ] {
            if !present {
                self.diags.push(Diagnostic::error(
                    self.file,
                    1,
                    1,
                    format!("missing required field «{field}»"),
                ));
            }
        }
        let front = match (id.clone(), title, track) {
            (Some(id), Some(title), Some(track)) if self.errors() == errors_before => {
                Some(FrontMatter {
                    id: id.id,
                    title,
                    track,
                    tags,
                    stage,
                    level,
                    season,
                    mandatory,
                })
            }
            _ => None,
        };
        Parsed { front, id }
    }

    /// A scalar as text: strings as they are, other scalars (numbers, booleans) as written.
    /// `Ok(None)` for null, `Err(())` for lists, mappings and bad values.
    fn text(&self, node: &MarkedYaml) -> Result<Option<String>, ()> {
        match &node.data {
            YamlData::Value(Scalar::Null) => Ok(None),
            YamlData::Value(Scalar::String(s)) => Ok(Some(s.to_string())),
            YamlData::Value(_) => {
                let (start, end) = (node.span.start.index(), node.span.end.index());
                let written: String = self
                    .yaml
                    .chars()
                    .skip(start)
                    .take(end.saturating_sub(start))
                    .collect();
                Ok(Some(written.trim().to_owned()))
            }
            YamlData::Representation(s, ..) => Ok(Some(s.to_string())),
            _ => Err(()),
        }
    }

    /// A trimmed non-empty string, or an error naming the field.
    fn required_string(&mut self, field: &str, node: &MarkedYaml) -> Option<String> {
        match self.text(node) {
            Ok(Some(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Ok(_) => {
                self.error(node, format!("field «{field}» is empty"));
                None
            }
            Err(()) => {
                self.error(node, format!("field «{field}» must be a string"));
                None
            }
        }
    }

    fn optional_string(&mut self, field: &str, node: &MarkedYaml) -> Option<String> {
        match self.text(node) {
            Ok(s) => s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()),
            Err(()) => {
                self.error(node, format!("field «{field}» must be a string"));
                None
            }
        }
    }

    fn id(&mut self, node: &MarkedYaml) -> Option<IdAt> {
        let raw = self.required_string("id", node)?;
        match CardId::parse(&raw) {
            Ok(id) => {
                let (line, col) = Self::position(node);
                Some(IdAt {
                    id,
                    line: to_u32(line + 1),
                    column: to_u32(col + 1),
                })
            }
            Err(message) => {
                self.error(node, message);
                None
            }
        }
    }

    fn word<T>(
        &mut self,
        field: &str,
        node: &MarkedYaml,
        parse: impl Fn(&str) -> Option<T>,
        allowed: &[&str],
    ) -> Option<T> {
        let word = self.required_string(field, node)?;
        let value = parse(&word);
        if value.is_none() {
            let allowed = allowed.join(", ");
            self.error(node, format!("{field} «{word}» is not one of: {allowed}"));
        }
        value
    }

    fn tags(&mut self, node: &MarkedYaml) -> Vec<String> {
        let items = match &node.data {
            YamlData::Sequence(items) => items,
            YamlData::Value(Scalar::Null) => return Vec::new(),
            _ => {
                self.error(
                    node,
                    "field «tags» must be a list of strings, e.g. [речь, благодарность]",
                );
                return Vec::new();
            }
        };
        let mut tags = Vec::new();
        for item in items.iter().map(untag) {
            match self.text(item) {
                Ok(Some(tag)) if !tag.trim().is_empty() => tags.push(tag.trim().to_owned()),
                Ok(_) => self.error(item, "a tag in «tags» is empty"),
                Err(()) => self.error(item, "each tag in «tags» must be a string"),
            }
        }
        tags
    }

    fn boolean(&mut self, field: &str, node: &MarkedYaml) -> Option<bool> {
        match &node.data {
            YamlData::Value(Scalar::Boolean(b)) => Some(*b),
            YamlData::Value(Scalar::Null) => None,
            _ => {
                self.error(node, format!("field «{field}» must be true or false"));
                None
            }
        }
    }
}

fn is_null(node: &MarkedYaml) -> bool {
    matches!(node.data, YamlData::Value(Scalar::Null))
}

fn mapping_has(mapping: &saphyr::AnnotatedMapping<MarkedYaml>, field: &str) -> bool {
    mapping
        .keys()
        .any(|k| matches!(&untag(k).data, YamlData::Value(Scalar::String(s)) if s == field))
}
