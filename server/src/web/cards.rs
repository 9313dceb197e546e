//! Reading cards: the list by direction and stage, one card laid out for a phone, the
//! "Прочитал(а) и понял(а)" confirmation and the person's to-read list.

use askama::Template;
use poem::web::{Data, Form, Path, Query};
use poem::{Request, Response, handler};
use serde::Deserialize;

use super::card_view::{CardBody, CardBrief, encode, stage_label};
use super::session::signed_in;
use super::{Layout, PageError, html, see_other};
use crate::accounts::domain::{Principal, Role};
use crate::authz::{self, Action};
use crate::cards::domain::Track;
use crate::cards::service::{reading, tags_of};
use crate::cards::storage::cards::{CardFilter, CardRow};
use crate::error::AppError;
use crate::state::AppState;

const PER_PAGE: usize = 50;

pub struct Link {
    pub href: String,
    pub label: String,
    pub current: bool,
}

pub struct StageChoice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "cards.html")]
struct CardsPage<'a> {
    layout: Option<&'a Layout>,
    tabs: Vec<Link>,
    track: String,
    stages: Vec<StageChoice>,
    stage: String,
    cards: Vec<CardBrief>,
    total: usize,
    page: usize,
    pages: usize,
    prev_href: Option<String>,
    next_href: Option<String>,
    can_author: bool,
    can_manage: bool,
}

#[derive(Deserialize)]
pub struct ListQuery {
    track: Option<String>,
    stage: Option<String>,
    page: Option<String>,
}

/// Ids of the cards the person still has to confirm (only staff confirm): mandatory ones
/// and those their running programme lists.
async fn to_read_ids(state: &AppState, who: &Principal) -> Result<Vec<String>, AppError> {
    if who.role != Role::Staff {
        return Ok(Vec::new());
    }
    let mut ids: Vec<String> = reading::to_read(state, who)
        .await?
        .into_iter()
        .map(|row| row.id)
        .collect();
    // Cards the person's programme asks them to read count too, whatever their level.
    for card in crate::onboarding::service::assignments::cards_to_read(state, who).await? {
        if !ids.contains(&card) {
            ids.push(card);
        }
    }
    Ok(ids)
}

/// Whether this one card is still to confirm: a mandatory card for the person's level, or
/// one their running programme lists (the same rule as `to_read_ids`, for one card).
async fn is_to_read(state: &AppState, who: &Principal, row: &CardRow) -> Result<bool, AppError> {
    if who.role != Role::Staff {
        return Ok(false);
    }
    if reading::still_to_read(state, who, row).await? {
        return Ok(true);
    }
    let listed = crate::onboarding::service::assignments::cards_to_read(state, who).await?;
    Ok(listed.contains(&row.id))
}

fn list_href(track: &str, stage: &str, page: usize) -> String {
    let mut params = Vec::new();
    if !track.is_empty() {
        params.push(format!("track={}", encode(track)));
    }
    if !stage.is_empty() {
        params.push(format!("stage={}", encode(stage)));
    }
    if page > 1 {
        params.push(format!("page={page}"));
    }
    if params.is_empty() {
        "/cards".to_owned()
    } else {
        format!("/cards?{}", params.join("&"))
    }
}

#[handler]
pub async fn list(
    req: &Request,
    Data(state): Data<&AppState>,
    Query(query): Query<ListQuery>,
) -> Response {
    signed_in(state, req, |page| async move {
        let who = &page.principal;
        let fail = |e| PageError::new(page.layout("/cards"), e);
        let track = query
            .track
            .as_deref()
            .and_then(Track::parse)
            .map(|t| t.as_str().to_owned())
            .unwrap_or_default();
        let stage = query.stage.unwrap_or_default().trim().to_owned();
        let filter = CardFilter {
            track: (!track.is_empty()).then(|| track.clone()),
            ..Default::default()
        };
        let (_, rows) = reading::list(state, who, &filter, 1, 100_000)
            .await
            .map_err(fail)?;
        let mut stage_words: Vec<String> = rows.iter().filter_map(|r| r.stage.clone()).collect();
        stage_words.sort();
        stage_words.dedup();
        let stages = stage_words
            .into_iter()
            .map(|word| StageChoice {
                label: stage_label(&word),
                selected: word == stage,
                value: word,
            })
            .collect();
        let pending = to_read_ids(state, who).await.map_err(fail)?;
        let matching: Vec<_> = rows
            .iter()
            .filter(|r| stage.is_empty() || r.stage.as_deref() == Some(stage.as_str()))
            .collect();
        let total = matching.len();
        let pages = total.div_ceil(PER_PAGE).max(1);
        let current = query
            .page
            .and_then(|p| p.parse::<usize>().ok())
            .unwrap_or(1)
            .clamp(1, pages);
        let cards = matching
            .into_iter()
            .skip((current - 1) * PER_PAGE)
            .take(PER_PAGE)
            .map(|row| CardBrief {
                to_read: pending.contains(&row.id),
                ..CardBrief::of(row)
            })
            .collect();
        let mut tabs = vec![Link {
            href: list_href("", "", 1),
            label: "Все".to_owned(),
            current: track.is_empty(),
        }];
        tabs.extend(Track::ALL.into_iter().map(|t| Link {
            href: list_href(t.as_str(), "", 1),
            label: t.label_ru().to_owned(),
            current: track == t.as_str(),
        }));
        let layout = page.layout("/cards");
        Ok(html(CardsPage {
            layout: Some(&layout),
            tabs,
            prev_href: (current > 1).then(|| list_href(&track, &stage, current - 1)),
            next_href: (current < pages).then(|| list_href(&track, &stage, current + 1)),
            track,
            stages,
            stage,
            cards,
            total,
            page: current,
            pages,
            can_author: authz::allows(who, Action::AuthorContent),
            can_manage: authz::allows(who, Action::ManageContent),
        }))
    })
    .await
}

#[derive(Template)]
#[template(path = "card.html")]
struct CardPage<'a> {
    layout: Option<&'a Layout>,
    brief: CardBrief,
    tags: Vec<String>,
    body: CardBody,
    notice: Option<&'static str>,
    can_author: bool,
    can_view_reading: bool,
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    read: Option<String>,
    saved: Option<String>,
    created: Option<String>,
}

impl NoticeQuery {
    fn notice(&self) -> Option<&'static str> {
        if self.read.is_some() {
            Some("Отмечено как прочитанное.")
        } else if self.created.is_some() {
            Some("Карточка создана.")
        } else if self.saved.is_some() {
            Some("Карточка сохранена.")
        } else {
            None
        }
    }
}

#[handler]
pub async fn show(
    req: &Request,
    Data(state): Data<&AppState>,
    Path(id): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Response {
    signed_in(state, req, |page| async move {
        let who = &page.principal;
        let fail = |e| PageError::new(page.layout("/cards"), e);
        let cached = reading::get(state, who, &id).await.map_err(fail)?;
        let (row, card) = (&cached.row, &cached.card);
        let unread = is_to_read(state, who, row).await.map_err(fail)?;
        let layout = page.layout("/cards");
        Ok(html(CardPage {
            layout: Some(&layout),
            brief: CardBrief {
                to_read: unread,
                ..CardBrief::of(row)
            },
            tags: tags_of(row),
            body: CardBody::of(card, 2),
            notice: query.notice(),
            can_author: authz::allows(who, Action::AuthorContent),
            can_view_reading: authz::allows(who, Action::ViewReadingStatus),
        }))
    })
    .await
}

#[derive(Deserialize)]
pub struct AckForm {
    csrf: String,
    /// `to-read` to come back to the to-read list; the card page otherwise.
    back: Option<String>,
}

#[handler]
pub async fn ack(
    req: &Request,
    Data(state): Data<&AppState>,
    Path(id): Path<String>,
    Form(form): Form<AckForm>,
) -> Response {
    signed_in(state, req, |page| async move {
        let fail = |e| PageError::new(page.layout("/cards"), e);
        page.check_csrf(&form.csrf).map_err(fail)?;
        reading::confirm(state, &page.principal, &id)
            .await
            .map_err(fail)?;
        Ok(match form.back.as_deref() {
            Some("to-read") => see_other("/to-read?read=1"),
            _ => see_other(&format!("/cards/{}?read=1", encode(&id))),
        })
    })
    .await
}

#[derive(Template)]
#[template(path = "to_read.html")]
struct ToReadPage<'a> {
    layout: Option<&'a Layout>,
    cards: Vec<CardBrief>,
    notice: Option<&'static str>,
}

#[handler]
pub async fn to_read(
    req: &Request,
    Data(state): Data<&AppState>,
    Query(query): Query<NoticeQuery>,
) -> Response {
    signed_in(state, req, |page| async move {
        let fail = |e| PageError::new(page.layout("/to-read"), e);
        let mut rows = reading::to_read(state, &page.principal)
            .await
            .map_err(fail)?;
        // Cards the person's programme lists come after the mandatory ones.
        for id in crate::onboarding::service::assignments::cards_to_read(state, &page.principal)
            .await
            .map_err(fail)?
        {
            if !rows.iter().any(|r| r.id == id)
                && let Some(row) = crate::cards::storage::cards::get(&state.db, &id)
                    .await
                    .map_err(|e| fail(e.into()))?
                    .filter(|r| !r.archived)
            {
                rows.push(row);
            }
        }
        let layout = page.layout("/to-read");
        Ok(html(ToReadPage {
            layout: Some(&layout),
            cards: rows.iter().map(CardBrief::of).collect(),
            notice: query.notice(),
        }))
    })
    .await
}
