use std::collections::HashMap;

use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::ToJSON;
use poem_openapi::{ApiResponse, OpenApi};

use super::CardTags;
use super::models::{
    CardDetail, CardDiff, CardEdit, ContentProblem, DiffLine, Preview, RevisionInfo, RevisionList,
    Sections,
};
use crate::accounts::storage::users;
use crate::authz::{self, Action};
use crate::cards::domain::{Severity, parse_card};
use crate::cards::service::editor::{self, Edit, EditOutcome};
use crate::cards::service::reading;
use crate::error::{AppError, AppResult};
use crate::http::auth::Auth;
use crate::state::AppState;

pub struct AuthoringApi;

#[derive(ApiResponse)]
enum Saved {
    /// The new revision is stored.
    #[oai(status = 200)]
    Updated(Json<CardDetail>),
    /// A new card was created.
    #[oai(status = 201)]
    Created(Json<CardDetail>),
}

pub fn problems(diagnostics: &[crate::cards::domain::Diagnostic]) -> Vec<ContentProblem> {
    diagnostics
        .iter()
        .map(|d| ContentProblem {
            file: d.file.clone(),
            line: d.line,
            column: d.column,
            severity: match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            }
            .to_owned(),
            message: d.message.clone(),
        })
        .collect()
}

#[OpenApi(tag = "CardTags::Authoring")]
impl AuthoringApi {
    /// Save a new revision (or create the card with `base_revision: 0`). 422 lists every
    /// problem with file, line and column; 409 when the card moved on since
    /// `base_revision`, with the current card in `current`.
    #[oai(path = "/cards/:id", method = "put")]
    async fn put(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<String>,
        body: Json<CardEdit>,
    ) -> AppResult<Saved> {
        let edit = Edit {
            id: &id.0,
            source: &body.source,
            base_revision: body.base_revision,
            significant: body.significant,
            note: body.note.as_deref(),
        };
        match editor::save(&state, auth.principal(), edit).await? {
            EditOutcome::Saved(_) => {
                let cached = reading::get(&state, auth.principal(), &id.0).await?;
                let detail = CardDetail::new(&cached);
                Ok(if cached.row.revision == 1 {
                    Saved::Created(Json(detail))
                } else {
                    Saved::Updated(Json(detail))
                })
            }
            EditOutcome::Conflict(conflict) => {
                let mut err = AppError::conflict(
                    "revision_conflict",
                    "The card changed since your base revision; merge with the current one.",
                );
                if let Some(row) = conflict.current {
                    let cached = reading::get(&state, auth.principal(), &row.id).await?;
                    err.current = Some(CardDetail::new(&cached).to_json().unwrap_or_default());
                }
                Err(err)
            }
        }
    }

    /// Every revision of a card, newest first.
    #[oai(path = "/cards/:id/revisions", method = "get")]
    async fn revisions(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<String>,
    ) -> AppResult<Json<RevisionList>> {
        let rows = reading::revisions(&state, auth.principal(), &id.0).await?;
        let mut names: HashMap<i32, String> = HashMap::new();
        for author in rows.iter().filter_map(|r| r.author_id) {
            if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(author)
                && let Some(user) = users::get(&state.db, author).await?
            {
                slot.insert(user.name);
            }
        }
        Ok(Json(RevisionList {
            items: rows
                .into_iter()
                .map(|r| RevisionInfo {
                    revision: r.revision,
                    significant: r.significant,
                    author_name: r.author_id.and_then(|a| names.get(&a).cloned()),
                    note: r.note,
                    origin: r.origin,
                    author_id: r.author_id,
                    created_at: r.created_at,
                })
                .collect(),
        }))
    }

    /// Line diff between two revisions.
    #[oai(path = "/cards/:id/diff", method = "get")]
    async fn diff(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<String>,
        from: Query<i32>,
        to: Query<i32>,
    ) -> AppResult<Json<CardDiff>> {
        let lines = reading::diff(&state, auth.principal(), &id.0, from.0, to.0).await?;
        Ok(Json(CardDiff {
            from: from.0,
            to: to.0,
            lines: lines
                .into_iter()
                .map(|l| DiffLine {
                    op: l.op.to_owned(),
                    text: l.text,
                })
                .collect(),
        }))
    }

    /// Render a card source without saving it: the sections as they would look, and every
    /// problem found. For the editor's live preview.
    #[oai(path = "/cards/preview", method = "post")]
    async fn preview(
        &self,
        auth: Auth,
        body: Json<super::models::PreviewRequest>,
    ) -> AppResult<Json<Preview>> {
        authz::require(auth.principal(), Action::AuthorContent)?;
        let parsed = parse_card("preview.md", body.source.as_bytes());
        Ok(Json(Preview {
            valid: parsed.card.is_some(),
            title: parsed.card.as_ref().map(|c| c.front.title.clone()),
            sections: parsed.card.as_ref().map(Sections::from),
            problems: problems(&parsed.diagnostics),
        }))
    }
}
