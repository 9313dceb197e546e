//! A programme file into a [`Program`], with a diagnostic for every problem at the line
//! and column of the value at fault. Card references are collected for the caller to
//! check against the corpus.

use super::program::{Item, ItemKind, Program, Stage};
use crate::accounts::domain::Level;
use crate::cards::domain::{CardId, Diagnostic, Track};
use crate::quizzes::domain::yaml::{self, Mapping, Node, Reader, key_text, line_of};

/// A place in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct At {
    pub line: u32,
    pub column: u32,
}

impl At {
    fn of(node: &Node) -> At {
        At {
            line: line_of(node),
            column: yaml::column_of(node),
        }
    }
}

pub struct ParsedProgram {
    /// Present only when the file has no error.
    pub program: Option<Program>,
    /// The id as written (even when the rest is wrong), for duplicate reports.
    pub id: Option<(String, At)>,
    /// Every card named, for the caller to check.
    pub cards: Vec<(String, At)>,
    /// Ids of the skill items as written (even invalid ones), so the rules file is not
    /// blamed for a skill whose programme has an unrelated error.
    pub skill_ids: Vec<String>,
}

const TOP: [&str; 5] = ["id", "title", "level", "description", "stages"];
const STAGE: [&str; 2] = ["title", "items"];

/// Fields each item kind allows (besides `kind`).
fn fields_of(kind: &str) -> &'static [&'static str] {
    match kind {
        "read" => &["id", "title", "due_day", "card"],
        "quiz" => &[
            "id",
            "title",
            "due_day",
            "cards",
            "tracks",
            "questions",
            "pass_percent",
            "campaign",
        ],
        "skill" => &["id", "title", "due_day", "criteria"],
        "event" => &["id", "title", "due_day"],
        _ => &[],
    }
}

pub fn parse_program(file: &str, text: &str, diags: &mut Vec<Diagnostic>) -> ParsedProgram {
    let mut out = ParsedProgram {
        program: None,
        id: None,
        cards: Vec::new(),
        skill_ids: Vec::new(),
    };
    let Some(doc) = yaml::load(file, text, diags) else {
        return out;
    };
    let mut r = Reader { file, diags };
    let errors_before = r.error_count();
    if yaml::is_null(&doc) {
        r.error(
            &doc,
            "the programme is empty: it needs «id», «title» and «stages»",
        );
        return out;
    }
    let Some(top) = r.mapping(&doc, "a programme") else {
        return out;
    };
    unknown_fields(&mut r, top, &TOP, "a programme");
    let id = required(&mut r, top, &doc, "id", "the programme").and_then(|v| {
        let raw = r.required_text(v, "id")?;
        out.id = Some((raw.clone(), At::of(v)));
        CardId::parse(&raw)
            .map_err(|m| r.error(v, m))
            .ok()
            .map(|_| raw)
    });
    let title = required(&mut r, top, &doc, "title", "the programme")
        .and_then(|v| r.required_text(v, "title"));
    let level = get(top, "level").and_then(|v| {
        let word = r.optional_text(v, "level")?;
        word.parse::<Level>()
            .map_err(|e| r.error(v, format!("level {e}")))
            .ok()
    });
    let description = get(top, "description").and_then(|v| r.optional_text(v, "description"));
    let mut stages = Vec::new();
    let mut seen_ids: Vec<(String, At)> = Vec::new();
    if let Some(list) =
        required(&mut r, top, &doc, "stages", "the programme").and_then(|v| r.sequence(v, "stages"))
    {
        if list.is_empty() {
            r.error(
                &doc,
                "«stages» is empty: a programme needs at least one stage",
            );
        }
        for node in list {
            if let Some(stage) = stage(&mut r, node, &mut seen_ids, &mut out) {
                stages.push(stage);
            }
        }
    }
    if r.error_count() == errors_before
        && let (Some(id), Some(title)) = (id, title)
    {
        out.program = Some(Program {
            id,
            title,
            level,
            description,
            stages,
        });
    }
    out
}

fn get<'a, 'i>(m: Mapping<'a, 'i>, field: &str) -> Option<&'a Node<'i>> {
    m.iter()
        .find(|(k, _)| key_text(k) == Some(field))
        .map(|e| e.1)
}

fn required<'a, 'i>(
    r: &mut Reader,
    m: Mapping<'a, 'i>,
    whole: &Node,
    field: &str,
    what: &str,
) -> Option<&'a Node<'i>> {
    let value = get(m, field);
    if value.is_none() {
        r.error(whole, format!("{what} is missing required field «{field}»"));
    }
    value
}

fn unknown_fields(r: &mut Reader, m: Mapping, allowed: &[&str], what: &str) {
    for (k, _) in m {
        let field = key_text(k).unwrap_or("");
        if !allowed.contains(&field) {
            r.error(
                k,
                format!(
                    "unknown field «{field}» in {what}; allowed: {}",
                    allowed.join(", ")
                ),
            );
        }
    }
}

fn stage(
    r: &mut Reader,
    node: &Node,
    seen_ids: &mut Vec<(String, At)>,
    out: &mut ParsedProgram,
) -> Option<Stage> {
    let m = r.mapping(node, "a stage")?;
    unknown_fields(r, m, &STAGE, "a stage");
    let title = required(r, m, node, "title", "a stage").and_then(|v| r.required_text(v, "title"));
    let mut items = Vec::new();
    if let Some(list) =
        required(r, m, node, "items", "a stage").and_then(|v| r.sequence(v, "items"))
    {
        if list.is_empty() {
            r.error(node, "«items» is empty: a stage needs at least one item");
        }
        for item_node in list {
            // Ids are compared even on items with other errors, so all problems show at once.
            if let Some(id) = peek_id(item_node) {
                if peek(item_node, "kind").as_deref() == Some("skill") {
                    out.skill_ids.push(id.clone());
                }
                if let Some((_, first)) = seen_ids.iter().find(|(seen, _)| *seen == id) {
                    let line = first.line;
                    r.error(
                        item_node,
                        format!("item id «{id}» is used twice (first at line {line})"),
                    );
                } else {
                    seen_ids.push((id, At::of(item_node)));
                }
            }
            if let Some(item) = item(r, item_node, &mut out.cards) {
                items.push(item);
            }
        }
    }
    Some(Stage {
        title: title?,
        items,
    })
}

/// An item's id as written (a read item's card when it has none), without diagnostics.
fn peek_id(node: &Node) -> Option<String> {
    peek(node, "id").or_else(|| peek(node, "card"))
}

/// A text field of a mapping as written, without diagnostics.
fn peek(node: &Node, field: &str) -> Option<String> {
    let saphyr::YamlData::Mapping(m) = &yaml::untag(node).data else {
        return None;
    };
    get(m, field).and_then(|v| match &yaml::untag(v).data {
        saphyr::YamlData::Value(saphyr::Scalar::String(s)) => Some(s.trim().to_owned()),
        _ => None,
    })
}

fn item(r: &mut Reader, node: &Node, cards: &mut Vec<(String, At)>) -> Option<Item> {
    let m = r.mapping(node, "an item")?;
    let errors_before = r.error_count();
    let kind_word = required(r, m, node, "kind", "an item").and_then(|v| {
        let word = r.required_text(v, "kind")?;
        if fields_of(&word).is_empty() {
            r.error(
                v,
                format!("kind «{word}» is not one of: read, quiz, skill, event"),
            );
            return None;
        }
        Some(word)
    })?;
    for (k, _) in m {
        let field = key_text(k).unwrap_or("");
        if field != "kind" && !fields_of(&kind_word).contains(&field) {
            let owner = ["read", "quiz", "skill", "event"]
                .into_iter()
                .find(|kind| fields_of(kind).contains(&field));
            let message = match owner {
                Some(owner) => {
                    format!("field «{field}» belongs to «{owner}» items, not «{kind_word}»")
                }
                None => format!("unknown field «{field}» in a «{kind_word}» item"),
            };
            r.error(k, message);
        }
    }
    let card = (kind_word == "read")
        .then(|| required(r, m, node, "card", "a read item"))
        .flatten()
        .and_then(|v| card_ref(r, v, cards));
    let id = match get(m, "id") {
        Some(v) => r.required_text(v, "id").and_then(|raw: String| {
            CardId::parse(&raw)
                .map_err(|e| r.error(v, e))
                .ok()
                .map(|_| raw)
        }),
        None if kind_word == "read" => card.clone(),
        None => {
            r.error(node, format!("a «{kind_word}» item needs an «id»"));
            None
        }
    };
    let title = match get(m, "title") {
        Some(v) => r.required_text(v, "title"),
        None if kind_word == "read" => Some(String::new()),
        None => {
            r.error(node, format!("a «{kind_word}» item needs a «title»"));
            None
        }
    };
    let due_day = required(r, m, node, "due_day", "an item").and_then(|v| {
        let n = r.number(v, "due_day")?;
        if n.fract() != 0.0 || !(1.0..=366.0).contains(&n) {
            r.error(
                v,
                "due_day must be a whole day from 1 (the start date) to 366",
            );
            return None;
        }
        Some(n as u32)
    });
    let kind = match kind_word.as_str() {
        "read" => card.map(|card| ItemKind::Read { card }),
        "quiz" => quiz(r, m, node, cards),
        "skill" => skill(r, m, node),
        _ => Some(ItemKind::Event),
    };
    if r.error_count() != errors_before {
        return None;
    }
    Some(Item {
        id: id?,
        title: title?,
        due_day: due_day?,
        kind: kind?,
    })
}

fn card_ref(r: &mut Reader, v: &Node, cards: &mut Vec<(String, At)>) -> Option<String> {
    let raw = r.required_text(v, "card")?;
    CardId::parse(&raw)
        .map_err(|e| r.error(v, format!("card: {e}")))
        .ok()?;
    cards.push((raw.clone(), At::of(v)));
    Some(raw)
}

fn quiz(
    r: &mut Reader,
    m: Mapping,
    node: &Node,
    cards: &mut Vec<(String, At)>,
) -> Option<ItemKind> {
    if let Some(v) = get(m, "campaign") {
        let word = r.required_text(v, "campaign")?;
        if word != "quarterly" {
            r.error(v, format!("campaign «{word}»: only «quarterly» is known"));
            return None;
        }
        for field in ["cards", "tracks", "questions", "pass_percent"] {
            if let Some(extra) = get(m, field) {
                r.error(
                    extra,
                    format!("«{field}» is for practice quizzes, not «campaign: quarterly»"),
                );
            }
        }
        return Some(ItemKind::Quarterly);
    }
    let mut card_ids = Vec::new();
    if let Some(list) = get(m, "cards").and_then(|v| r.sequence(v, "cards")) {
        for v in list {
            if let Some(card) = card_ref(r, v, cards) {
                card_ids.push(card);
            }
        }
    }
    let mut tracks = Vec::new();
    if let Some(list) = get(m, "tracks").and_then(|v| r.sequence(v, "tracks")) {
        for v in list {
            let word = r.required_text(v, "tracks")?;
            match Track::parse(&word) {
                Some(track) => tracks.push(track.as_str().to_owned()),
                None => r.error(
                    v,
                    format!("track «{word}» is not one of: coffee, service, bar"),
                ),
            }
        }
    }
    if card_ids.is_empty() && tracks.is_empty() {
        r.error(
            node,
            "a quiz needs «cards» and/or «tracks» to draw from, or «campaign: quarterly»",
        );
    }
    let questions_node = required(r, m, node, "questions", "a quiz");
    let questions = whole_in(r, questions_node, "questions", 1, 100);
    let mark_node = required(r, m, node, "pass_percent", "a quiz");
    let pass_percent = whole_in(r, mark_node, "pass_percent", 0, 100);
    Some(ItemKind::Practice {
        cards: card_ids,
        tracks,
        questions: questions?,
        pass_percent: pass_percent?,
    })
}

fn whole_in(r: &mut Reader, v: Option<&Node>, field: &str, low: u32, high: u32) -> Option<u32> {
    let v = v?;
    let n = r.number(v, field)?;
    if n.fract() != 0.0 || n < f64::from(low) || n > f64::from(high) {
        r.error(
            v,
            format!("{field} must be a whole number from {low} to {high}"),
        );
        return None;
    }
    Some(n as u32)
}

fn skill(r: &mut Reader, m: Mapping, node: &Node) -> Option<ItemKind> {
    let list = required(r, m, node, "criteria", "a skill").and_then(|v| {
        let list = r.sequence(v, "criteria")?;
        if list.is_empty() {
            r.error(v, "«criteria» is empty: list what the mentor checks");
        }
        Some(list)
    })?;
    let criteria: Vec<String> = list
        .iter()
        .filter_map(|v| r.required_text(v, "criteria"))
        .collect();
    Some(ItemKind::Skill { criteria })
}
