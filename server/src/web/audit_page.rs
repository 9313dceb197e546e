//! The audit log for administrators: who did what sensitive thing, when.

use askama::Template;
use poem::web::{Data, Query};
use poem::{Request, Response, handler};

use super::session::signed_in;
use super::{Layout, PageError, html};
use crate::accounts::storage::users;
use crate::reports::service::audit;
use crate::state::AppState;

const PAGE: u64 = 100;

pub struct Entry {
    pub at: String,
    pub actor: String,
    pub action: &'static str,
    pub target: Option<(i32, String)>,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage<'a> {
    layout: Option<&'a Layout>,
    entries: Vec<Entry>,
    older: Option<i32>,
}

#[derive(serde::Deserialize)]
pub struct AuditQuery {
    before: Option<i32>,
}

fn action_label(action: &str) -> &'static str {
    match action {
        audit::ROLE_CHANGED => "Роль изменена",
        audit::LEVEL_CHANGED => "Уровень изменён",
        audit::PROMOTED => "Повышение",
        audit::INTERVIEW => "Собеседование",
        audit::RESULT_OVERRIDDEN => "Результат теста изменён",
        audit::EXPORTED => "Выгрузка",
        _ => "Действие",
    }
}

#[handler]
pub async fn log(
    req: &Request,
    Data(state): Data<&AppState>,
    Query(query): Query<AuditQuery>,
) -> Response {
    signed_in(state, req, |page| async move {
        let fail = |e| PageError::new(page.layout("/audit"), e);
        let rows = audit::page(state, &page.principal, query.before, PAGE)
            .await
            .map_err(fail)?;
        let mut names = std::collections::HashMap::new();
        let mut ids: Vec<i32> = Vec::new();
        for r in &rows {
            ids.extend(r.actor_id);
            ids.extend(r.target_user_id);
        }
        ids.sort_unstable();
        ids.dedup();
        for id in ids {
            if let Some(u) = users::get(&state.db, id)
                .await
                .map_err(|e| fail(e.into()))?
            {
                names.insert(id, u.name);
            }
        }
        let name = |id: Option<i32>| id.and_then(|i| names.get(&i).cloned());
        let older = (rows.len() as u64 == PAGE)
            .then(|| rows.last().map(|r| r.id))
            .flatten();
        let entries = rows
            .iter()
            .map(|r| Entry {
                at: r.at.format("%d.%m.%Y %H:%M UTC").to_string(),
                actor: name(r.actor_id).unwrap_or_else(|| "система".to_owned()),
                action: action_label(&r.action),
                target: r
                    .target_user_id
                    .map(|id| (id, name(Some(id)).unwrap_or_default())),
                detail: r.detail.clone(),
            })
            .collect();
        let layout = page.layout("/audit");
        Ok(html(AuditPage {
            layout: Some(&layout),
            entries,
            older,
        }))
    })
    .await
}
