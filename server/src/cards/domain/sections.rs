//! The card body: level-2 sections, the steps list and the taboo list.

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag};

use super::headings::{SectionKind, suggest};
use super::render::{options, plain_text, render_markdown};
use super::text::{LineIndex, to_u32};
use super::{Diagnostic, Section};

/// The sections of a valid body.
pub struct Body {
    pub situation: Section,
    pub steps: Vec<Section>,
    pub example: Section,
    pub anti_example: Section,
    pub explanation: Option<Section>,
    pub taboo: Vec<Section>,
}

/// A top-level block: events `events[start..end]`, source bytes `range` of the whole text.
struct Block {
    start: usize,
    end: usize,
    range: Range<usize>,
}

/// A recognised section: its heading block and the blocks up to the next level-2 heading.
struct Found<'b> {
    kind: SectionKind,
    heading: String,
    /// Byte offset and line of the heading.
    offset: usize,
    line: u32,
    content: &'b [Block],
    /// Source bytes from the end of the heading to the next section.
    range: Range<usize>,
}

struct Ctx<'a> {
    file: &'a str,
    text: &'a str,
    index: &'a LineIndex<'a>,
    diags: &'a mut Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn error(&mut self, offset: usize, message: impl Into<String>) {
        let (line, column) = self.index.position(offset);
        self.diags
            .push(Diagnostic::error(self.file, line, column, message));
    }
}

/// Parses and checks the body: `text[body_start..]`. `body_line` is where missing sections
/// are reported.
pub fn parse(
    file: &str,
    text: &str,
    body_start: usize,
    body_line: usize,
    diags: &mut Vec<Diagnostic>,
) -> Option<Body> {
    let index = LineIndex::new(text);
    let errors_before = count_errors(diags);
    let mut ctx = Ctx {
        file,
        text,
        index: &index,
        diags,
    };
    let events: Vec<(Event, Range<usize>)> = Parser::new_ext(&text[body_start..], options())
        .into_offset_iter()
        .map(|(event, range)| (event, range.start + body_start..range.end + body_start))
        .collect();

    for (event, range) in &events {
        if let Event::Start(Tag::Heading {
            level: HeadingLevel::H1,
            ..
        }) = event
        {
            ctx.error(
                range.start,
                "level-1 heading: use level-2 headings (##) for sections",
            );
        }
    }

    let blocks = top_level_blocks(&events);
    let mut found: Vec<Found> = Vec::new();
    let mut suggested: Vec<SectionKind> = Vec::new();
    let headings: Vec<usize> = (0..blocks.len())
        .filter(|&i| is_h2(&events[blocks[i].start].0))
        .collect();

    let first_heading = headings.first().copied().unwrap_or(blocks.len());
    if let Some(block) = blocks[..first_heading]
        .iter()
        .find(|b| !is_h1(&events[b.start].0))
    {
        ctx.error(
            block.range.start,
            "text before the first section; the body must start with a section heading such as «## Ситуация»",
        );
    }

    for (n, &i) in headings.iter().enumerate() {
        let next = headings.get(n + 1).copied().unwrap_or(blocks.len());
        let block = &blocks[i];
        let heading = heading_text(&events[block.start..block.end]);
        let Some(kind) = SectionKind::from_heading(&heading) else {
            let message = match suggest(&heading) {
                _ if heading.is_empty() => format!("empty section heading; {}", expected()),
                Some((kind, name)) => {
                    suggested.push(kind);
                    format!("unknown section «{heading}»; did you mean «{name}»?")
                }
                None => format!("unknown section «{heading}»; {}", expected()),
            };
            ctx.error(block.range.start, message);
            continue;
        };
        if let Some(first) = found.iter().find(|f| f.kind == kind) {
            let message = format!(
                "section «{heading}» is repeated (first at line {})",
                first.line
            );
            ctx.error(block.range.start, message);
            continue;
        }
        let end = blocks.get(next).map_or(text.len(), |b| b.range.start);
        found.push(Found {
            kind,
            heading,
            offset: block.range.start,
            line: index.position(block.range.start).0,
            content: &blocks[i + 1..next],
            range: block.range.end.min(end)..end,
        });
    }

    let missing_at = to_u32(body_line);
    for kind in SectionKind::ALL {
        if found.iter().any(|f| f.kind == kind) || suggested.contains(&kind) {
            continue;
        }
        let heading = kind.ru();
        if kind.required() {
            let message = format!("missing required section «## {heading}»");
            ctx.diags
                .push(Diagnostic::error(file, missing_at, 1, message));
        } else {
            let message = format!(
                "missing section «## {heading}» (recommended: explain why the standard matters)"
            );
            ctx.diags
                .push(Diagnostic::warning(file, missing_at, 1, message));
        }
    }

    let mut sections: Vec<(SectionKind, Section)> = Vec::new();
    let mut steps = Vec::new();
    let mut taboo = Vec::new();
    for f in &found {
        if f.content.is_empty() {
            ctx.error(f.offset, format!("section «{}» is empty", f.heading));
            continue;
        }
        match f.kind {
            SectionKind::Steps => {
                steps = list_items(&mut ctx, &events, f, true);
            }
            SectionKind::Taboo => {
                taboo = list_items(&mut ctx, &events, f, false);
            }
            kind => {
                let markdown = trim_block(&text[f.range.clone()]).to_owned();
                sections.push((kind, section(markdown, f.line)));
            }
        }
    }

    if count_errors(ctx.diags) > errors_before {
        return None;
    }
    let mut take = |kind| {
        sections
            .iter()
            .position(|(k, _)| *k == kind)
            .map(|i| sections.swap_remove(i).1)
    };
    Some(Body {
        situation: take(SectionKind::Situation)?,
        example: take(SectionKind::Example)?,
        anti_example: take(SectionKind::AntiExample)?,
        explanation: take(SectionKind::Explanation),
        steps,
        taboo,
    })
}

fn count_errors(diags: &[Diagnostic]) -> usize {
    diags
        .iter()
        .filter(|d| d.severity == super::Severity::Error)
        .count()
}

fn expected() -> String {
    let names: Vec<_> = SectionKind::ALL.iter().map(|k| k.ru()).collect();
    format!("expected one of: {}", names.join(", "))
}

fn is_h1(event: &Event) -> bool {
    matches!(
        event,
        Event::Start(Tag::Heading {
            level: HeadingLevel::H1,
            ..
        })
    )
}

fn is_h2(event: &Event) -> bool {
    matches!(
        event,
        Event::Start(Tag::Heading {
            level: HeadingLevel::H2,
            ..
        })
    )
}

fn section(markdown: String, line: u32) -> Section {
    Section {
        html: render_markdown(&markdown),
        text: plain_text(&markdown),
        markdown,
        line,
    }
}

/// Splits the events into top-level blocks.
fn top_level_blocks(events: &[(Event, Range<usize>)]) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, (event, range)) in events.iter().enumerate() {
        match event {
            Event::Start(_) => {
                if depth == 0 {
                    start = i;
                }
                depth += 1;
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    let range = events[start].1.clone();
                    blocks.push(Block {
                        start,
                        end: i + 1,
                        range,
                    });
                }
            }
            _ if depth == 0 => blocks.push(Block {
                start: i,
                end: i + 1,
                range: range.clone(),
            }),
            _ => {}
        }
    }
    blocks
}

/// The text of a heading, formatting dropped, trimmed.
fn heading_text(events: &[(Event, Range<usize>)]) -> String {
    let mut text = String::new();
    for (event, _) in events {
        if let Event::Text(t) | Event::Code(t) = event {
            text.push_str(t);
        }
    }
    text.trim().to_owned()
}

/// Items of the first top-level numbered (`ordered`) or bulleted list of a section.
fn list_items(
    ctx: &mut Ctx,
    events: &[(Event, Range<usize>)],
    found: &Found,
    ordered: bool,
) -> Vec<Section> {
    let list = found.content.iter().find(|b| match &events[b.start].0 {
        Event::Start(Tag::List(start)) => start.is_some() == ordered,
        _ => false,
    });
    let Some(list) = list else {
        let message = if ordered {
            format!(
                "section «{}» must contain a numbered list (1. …)",
                found.heading
            )
        } else {
            format!(
                "section «{}» must contain a bulleted list (- …)",
                found.heading
            )
        };
        ctx.error(found.offset, message);
        return Vec::new();
    };
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut item_start = 0;
    for i in list.start + 1..list.end - 1 {
        match &events[i].0 {
            Event::Start(_) => {
                if depth == 0 {
                    item_start = i;
                }
                depth += 1;
            }
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    items.push(item(ctx, events, item_start, i, &found.heading));
                }
            }
            _ => {}
        }
    }
    items
}

/// One list item: `events[start]` is `Start(Item)`, `events[end]` its `End`.
fn item(
    ctx: &mut Ctx,
    events: &[(Event, Range<usize>)],
    start: usize,
    end: usize,
    heading: &str,
) -> Section {
    let range = events[start].1.clone();
    let (line, _) = ctx.index.position(range.start);
    let markdown = if start + 1 < end {
        item_markdown(ctx.text, events[start + 1].1.start, range.end)
    } else {
        String::new()
    };
    if markdown.is_empty() {
        ctx.error(
            range.start,
            format!("empty list item in section «{heading}»"),
        );
    }
    section(markdown, line)
}

/// The item's own text: from its content start to its end, continuation lines dedented by
/// the width of the list marker.
fn item_markdown(text: &str, content_start: usize, end: usize) -> String {
    let line_start = text[..content_start].rfind('\n').map_or(0, |i| i + 1);
    let indent = text[line_start..content_start].chars().count();
    let mut out = String::new();
    for (i, line) in text[content_start..end].split_inclusive('\n').enumerate() {
        if i == 0 {
            out.push_str(line);
        } else {
            let spaces = line.len() - line.trim_start_matches(' ').len();
            out.push_str(&line[spaces.min(indent)..]);
        }
    }
    trim_block(&out).to_owned()
}

/// Drops leading blank lines and trailing whitespace (leading indentation of the first
/// non-blank line is kept: it may be meaningful Markdown).
pub fn trim_block(s: &str) -> &str {
    let mut start = 0;
    for line in s.split_inclusive('\n') {
        if !line.trim().is_empty() {
            break;
        }
        start += line.len();
    }
    s[start..].trim_end()
}
