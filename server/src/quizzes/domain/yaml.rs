//! Reading marked YAML with a diagnostic for every problem, positioned at the value at
//! fault. The question bank reader is built on this.

use saphyr::{AnnotatedMapping, LoadableYamlNode, MarkedYaml, Scalar, YamlData};

use crate::cards::domain::{Diagnostic, Severity};

pub type Node<'i> = MarkedYaml<'i>;
pub type Mapping<'a, 'i> = &'a AnnotatedMapping<'i, MarkedYaml<'i>>;

/// Parses `text` as one YAML document; `None` (with a diagnostic) when it is not YAML.
pub fn load<'i>(file: &str, text: &'i str, diags: &mut Vec<Diagnostic>) -> Option<Node<'i>> {
    match MarkedYaml::load_from_str(text) {
        Ok(mut docs) => match docs.len() {
            0 => Some(MarkedYaml::from(YamlData::Value(Scalar::Null))),
            1 => docs.pop(),
            _ => {
                let second = &docs[1];
                diags.push(Diagnostic::error(
                    file,
                    line_of(second),
                    column_of(second),
                    "a bank must be a single YAML document",
                ));
                None
            }
        },
        Err(err) => {
            let m = err.marker();
            diags.push(Diagnostic::error(
                file,
                u32::try_from(m.line().max(1)).unwrap_or(u32::MAX),
                u32::try_from(m.col() + 1).unwrap_or(u32::MAX),
                format!("invalid YAML: {}", err.info()),
            ));
            None
        }
    }
}

/// The node under any `!tag`.
pub fn untag<'a, 'i>(node: &'a Node<'i>) -> &'a Node<'i> {
    match &node.data {
        YamlData::Tagged(_, inner) => untag(inner),
        _ => node,
    }
}

pub fn line_of(node: &Node) -> u32 {
    u32::try_from(node.span.start.line().max(1)).unwrap_or(u32::MAX)
}

pub fn column_of(node: &Node) -> u32 {
    u32::try_from(node.span.start.col() + 1).unwrap_or(u32::MAX)
}

pub fn is_null(node: &Node) -> bool {
    matches!(untag(node).data, YamlData::Value(Scalar::Null))
}

/// Collects diagnostics for one file.
pub struct Reader<'a> {
    pub file: &'a str,
    pub diags: &'a mut Vec<Diagnostic>,
}

impl Reader<'_> {
    pub fn error(&mut self, node: &Node, message: impl Into<String>) {
        self.diags.push(Diagnostic::error(
            self.file,
            line_of(node),
            column_of(node),
            message,
        ));
    }

    pub fn error_count(&self) -> usize {
        self.diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// The node as a mapping, or an error naming `what`.
    pub fn mapping<'a, 'i>(&mut self, node: &'a Node<'i>, what: &str) -> Option<Mapping<'a, 'i>> {
        match &untag(node).data {
            YamlData::Mapping(m) => Some(m),
            _ => {
                self.error(node, format!("{what} must be a mapping (key: value)"));
                None
            }
        }
    }

    /// The node as a list, or an error naming `field`.
    pub fn sequence<'a, 'i>(&mut self, node: &'a Node<'i>, field: &str) -> Option<&'a [Node<'i>]> {
        match &untag(node).data {
            YamlData::Sequence(items) => Some(items),
            _ => {
                self.error(node, format!("field «{field}» must be a list"));
                None
            }
        }
    }

    /// A scalar as text: strings as written, numbers and booleans as their text.
    pub fn text(&mut self, node: &Node, field: &str) -> Option<String> {
        match &untag(node).data {
            YamlData::Value(Scalar::String(s)) => Some(s.to_string()),
            YamlData::Value(Scalar::Integer(i)) => Some(i.to_string()),
            YamlData::Value(Scalar::FloatingPoint(f)) => Some(f.to_string()),
            YamlData::Value(Scalar::Boolean(b)) => Some(b.to_string()),
            YamlData::Representation(s, ..) => Some(s.to_string()),
            YamlData::Value(Scalar::Null) => {
                self.error(node, format!("field «{field}» is empty"));
                None
            }
            _ => {
                self.error(node, format!("field «{field}» must be text"));
                None
            }
        }
    }

    /// Trimmed, non-empty text.
    pub fn required_text(&mut self, node: &Node, field: &str) -> Option<String> {
        let text = self.text(node, field)?;
        let trimmed = text.trim();
        if trimmed.is_empty() {
            self.error(node, format!("field «{field}» is empty"));
            return None;
        }
        Some(trimmed.to_owned())
    }

    /// Optional text: null or blank is `None`.
    pub fn optional_text(&mut self, node: &Node, field: &str) -> Option<String> {
        if is_null(node) {
            return None;
        }
        let text = self.text(node, field)?;
        let trimmed = text.trim();
        (!trimmed.is_empty()).then(|| trimmed.to_owned())
    }

    pub fn boolean(&mut self, node: &Node, field: &str) -> Option<bool> {
        match &untag(node).data {
            YamlData::Value(Scalar::Boolean(b)) => Some(*b),
            _ => {
                self.error(node, format!("field «{field}» must be true or false"));
                None
            }
        }
    }

    pub fn number(&mut self, node: &Node, field: &str) -> Option<f64> {
        match &untag(node).data {
            YamlData::Value(Scalar::Integer(i)) => Some(*i as f64),
            YamlData::Value(Scalar::FloatingPoint(f)) if f.is_finite() => Some(f.into_inner()),
            _ => {
                self.error(node, format!("field «{field}» must be a number"));
                None
            }
        }
    }
}

/// The key's text when it is a plain string.
pub fn key_text<'a>(key: &'a Node) -> Option<&'a str> {
    match &untag(key).data {
        YamlData::Value(Scalar::String(s)) => Some(s.as_ref()),
        _ => None,
    }
}
