//! A card's past and its readers: revisions with a diff between any two (trainers,
//! admins), and who has confirmed the current significant revision (hr, admins, shop
//! leaders).

use std::collections::HashMap;

use askama::Template;
use poem::web::{Data, Path, Query};
use poem::{Request, Response, handler};
use serde::Deserialize;

use super::card_view::when;
use super::session::signed_in;
use super::{Layout, PageError, html};
use crate::accounts::service::locations;
use crate::accounts::storage::locations::Location;
use crate::accounts::storage::users;
use crate::authz::{self, Action, PeopleScope};
use crate::cards::domain::parse_card;
use crate::cards::service::reading::{self, DiffLine};
use crate::error::AppError;
use crate::state::AppState;

pub struct RevisionLine {
    pub number: i32,
    pub when: String,
    pub author: String,
    pub significant: bool,
    pub note: Option<String>,
}

#[derive(Template)]
#[template(path = "card_history.html")]
struct HistoryPage<'a> {
    layout: Option<&'a Layout>,
    id: String,
    title: String,
    revisions: Vec<RevisionLine>,
    /// Preselected: the previous and the latest revision.
    from: i32,
    to: i32,
}

#[handler]
pub async fn history(
    req: &Request,
    Data(state): Data<&AppState>,
    Path(id): Path<String>,
) -> Response {
    signed_in(state, req, |page| async move {
        let fail = |e| PageError::new(page.layout("/cards"), e);
        let rows = reading::revisions(state, &page.principal, &id)
            .await
            .map_err(fail)?;
        let mut names: HashMap<i32, String> = HashMap::new();
        for author in rows.iter().filter_map(|r| r.author_id) {
            if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(author)
                && let Some(user) = users::get(&state.db, author)
                    .await
                    .map_err(|e| fail(e.into()))?
            {
                slot.insert(user.name);
            }
        }
        let title = rows
            .first()
            .and_then(|r| parse_card("card.md", r.source.as_bytes()).card)
            .map_or_else(|| id.clone(), |card| card.front.title);
        let to = rows.first().map_or(1, |r| r.revision);
        let from = rows.get(1).map_or(to, |r| r.revision);
        let revisions = rows
            .into_iter()
            .map(|r| RevisionLine {
                number: r.revision,
                when: when(r.created_at),
                author: match r.author_id {
                    _ if r.origin == "file" => "файл".to_owned(),
                    Some(a) => names.get(&a).cloned().unwrap_or_else(|| "—".to_owned()),
                    None => "—".to_owned(),
                },
                significant: r.significant,
                note: r.note,
            })
            .collect();
        let layout = page.layout("/cards");
        Ok(html(HistoryPage {
            layout: Some(&layout),
            id,
            title,
            revisions,
            from,
            to,
        }))
    })
    .await
}

/// Unchanged lines shown around each change; longer unchanged runs fold away.
const DIFF_CONTEXT: usize = 3;

/// A run of diff lines; `folded` runs are unchanged text shown collapsed.
pub struct DiffChunk {
    pub folded: bool,
    pub lines: Vec<DiffLine>,
}

fn chunks(lines: Vec<DiffLine>) -> Vec<DiffChunk> {
    let changed: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].op != "equal")
        .collect();
    let near = |i: usize| changed.iter().any(|&c| i.abs_diff(c) <= DIFF_CONTEXT);
    let mut out: Vec<DiffChunk> = Vec::new();
    for (i, line) in lines.into_iter().enumerate() {
        let folded = !near(i);
        match out.last_mut() {
            Some(chunk) if chunk.folded == folded => chunk.lines.push(line),
            _ => out.push(DiffChunk {
                folded,
                lines: vec![line],
            }),
        }
    }
    // Folding two or three lines saves nothing.
    for chunk in &mut out {
        chunk.folded = chunk.folded && chunk.lines.len() > DIFF_CONTEXT;
    }
    out
}

#[derive(Template)]
#[template(path = "card_diff.html")]
struct DiffPage<'a> {
    layout: Option<&'a Layout>,
    id: String,
    from: i32,
    to: i32,
    chunks: Vec<DiffChunk>,
    added: usize,
    removed: usize,
}

#[derive(Deserialize)]
pub struct DiffQuery {
    from: Option<String>,
    to: Option<String>,
}

#[handler]
pub async fn diff(
    req: &Request,
    Data(state): Data<&AppState>,
    Path(id): Path<String>,
    Query(query): Query<DiffQuery>,
) -> Response {
    signed_in(state, req, |page| async move {
        let fail = |e| PageError::new(page.layout("/cards"), e);
        authz::require(&page.principal, Action::AuthorContent).map_err(fail)?;
        let number = |v: Option<String>| {
            v.and_then(|v| v.trim().parse::<i32>().ok()).ok_or_else(|| {
                AppError::bad_request("bad_revision", "from and to must be revision numbers")
            })
        };
        let (from, to) = (
            number(query.from).map_err(fail)?,
            number(query.to).map_err(fail)?,
        );
        let lines = reading::diff(state, &page.principal, &id, from, to)
            .await
            .map_err(fail)?;
        let layout = page.layout("/cards");
        Ok(html(DiffPage {
            layout: Some(&layout),
            added: lines.iter().filter(|l| l.op == "insert").count(),
            removed: lines.iter().filter(|l| l.op == "delete").count(),
            id,
            from,
            to,
            chunks: chunks(lines),
        }))
    })
    .await
}

pub struct LocationGroup {
    pub name: String,
    pub confirmed: Vec<String>,
    pub pending: Vec<String>,
}

#[derive(Template)]
#[template(path = "card_reading.html")]
struct ReadingPage<'a> {
    layout: Option<&'a Layout>,
    id: String,
    title: String,
    revision: i32,
    mandatory: bool,
    groups: Vec<LocationGroup>,
    confirmed: usize,
    pending: usize,
    can_filter: bool,
    locations: Vec<Location>,
    selected_location: Option<i32>,
}

#[derive(Deserialize)]
pub struct ReadingQuery {
    location_id: Option<String>,
}

#[handler]
pub async fn readers(
    req: &Request,
    Data(state): Data<&AppState>,
    Path(id): Path<String>,
    Query(query): Query<ReadingQuery>,
) -> Response {
    signed_in(state, req, |page| async move {
        let who = &page.principal;
        let fail = |e| PageError::new(page.layout("/cards"), e);
        authz::require(who, Action::ViewReadingStatus).map_err(fail)?;
        let can_filter = authz::people_scope(who).map_err(fail)? == PeopleScope::Everyone;
        let selected = query
            .location_id
            .and_then(|v| v.parse().ok())
            .filter(|_| can_filter);
        let status = reading::reading_status(state, who, &id, selected)
            .await
            .map_err(fail)?;
        let all_locations = locations::list(state, who).await.map_err(fail)?;
        let mut groups: Vec<(Option<i32>, LocationGroup)> = Vec::new();
        let people = status
            .confirmed
            .iter()
            .map(|p| (p, true))
            .chain(status.pending.iter().map(|p| (p, false)));
        for (person, done) in people {
            let index = match groups.iter().position(|(l, _)| *l == person.location_id) {
                Some(index) => index,
                None => {
                    let name = person
                        .location_id
                        .and_then(|l| all_locations.iter().find(|x| x.id == l))
                        .map_or_else(|| "Без кофейни".to_owned(), |l| l.name.clone());
                    groups.push((
                        person.location_id,
                        LocationGroup {
                            name,
                            confirmed: Vec::new(),
                            pending: Vec::new(),
                        },
                    ));
                    groups.len() - 1
                }
            };
            let group = &mut groups[index].1;
            if done {
                group.confirmed.push(person.name.clone());
            } else {
                group.pending.push(person.name.clone());
            }
        }
        groups.sort_by(|a, b| (a.0.is_none(), &a.1.name).cmp(&(b.0.is_none(), &b.1.name)));
        let layout = page.layout("/cards");
        Ok(html(ReadingPage {
            layout: Some(&layout),
            id: status.card.id.clone(),
            title: status.card.title.clone(),
            revision: status.card.significant_revision,
            mandatory: status.card.mandatory,
            groups: groups
                .into_iter()
                .map(|(_, mut g)| {
                    g.confirmed.sort();
                    g.pending.sort();
                    g
                })
                .collect(),
            confirmed: status.confirmed.len(),
            pending: status.pending.len(),
            can_filter,
            locations: all_locations,
            selected_location: selected,
        }))
    })
    .await
}
