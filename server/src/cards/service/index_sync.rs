//! Keeps this instance's search index in step with the database.
//!
//! The database's change log (`card_events`) is the source of truth. The index records the
//! last event it contains as its stamp; syncing indexes the cards changed since then. A
//! local change syncs at once; a background task polls every second so changes made on
//! another replica arrive too.

use std::time::Duration;

use crate::cards::domain::Card;
use crate::cards::storage::{cards, events};
use crate::error::AppError;
use crate::search::SearchDoc;
use crate::state::AppState;

pub const POLL_INTERVAL: Duration = Duration::from_secs(1);

pub fn search_doc(card: &Card) -> SearchDoc {
    let texts = |sections: &[crate::cards::domain::Section]| {
        sections.iter().map(|s| s.text.clone()).collect()
    };
    SearchDoc {
        id: card.front.id.as_str().to_owned(),
        title: card.front.title.clone(),
        track: card.front.track.as_str().to_owned(),
        tags: card.front.tags.clone(),
        stage: card.front.stage.clone(),
        situation: card.situation.text.clone(),
        steps: texts(&card.steps),
        example: card.example.text.clone(),
        anti_example: card.anti_example.text.clone(),
        explanation: card
            .explanation
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap_or_default(),
        taboo: texts(&card.taboo),
    }
}

async fn docs_for(state: &AppState, ids: &[String]) -> Result<Vec<SearchDoc>, AppError> {
    let rows = cards::current_sources(&state.db, ids).await?;
    let mut docs = Vec::with_capacity(rows.len());
    for (row, source) in rows {
        docs.push(search_doc(&super::parse_stored(&row, &source)?));
    }
    Ok(docs)
}

/// Brings the index up to date; rebuilds it whole when its stamp is unknown to the log.
pub async fn sync(state: &AppState) -> Result<(), AppError> {
    let _running = state.index_lock.lock().await;
    let latest = events::latest(&state.db).await?;
    let stamp = state.search.stamp().and_then(|s| s.parse::<i32>().ok());
    match stamp {
        Some(seen) if seen == latest => Ok(()),
        Some(seen) if seen < latest => {
            let (changed, newest) = events::changed_since(&state.db, seen).await?;
            state.cards.evict(&changed);
            let docs = docs_for(state, &changed).await?;
            let deletes: Vec<String> = changed
                .iter()
                .filter(|id| !docs.iter().any(|d| &d.id == *id))
                .cloned()
                .collect();
            let search = state.search.clone();
            let stamp = newest.to_string();
            tokio::task::spawn_blocking(move || search.apply(docs, deletes, &stamp))
                .await
                .map_err(AppError::internal)?
                .map_err(AppError::internal)
        }
        _ => rebuild(state, latest).await,
    }
}

/// Cards are read for a rebuild this many at a time.
const REBUILD_SLICE: usize = 500;

async fn rebuild(state: &AppState, latest: i32) -> Result<(), AppError> {
    state.cards.clear();
    let ids = cards::live_ids(&state.db).await?;
    tracing::info!(cards = ids.len(), "rebuilding the search index");
    let search = state.search.clone();
    let stamp = latest.to_string();
    // A pipeline: this task reads slices of cards from the database while a blocking
    // thread parses each card as tantivy's indexing thread takes it. Neither the cards
    // nor their documents pile up, and reading, parsing and indexing overlap. A failed
    // read is sent down the pipe, so the rebuild is abandoned, not committed half-done.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Result<Vec<_>, String>>(2);
    let indexing = tokio::task::spawn_blocking(move || {
        let slices = std::iter::from_fn(move || rx.blocking_recv());
        let docs = slices.flat_map(|slice| match slice {
            Ok(rows) => rows
                .into_iter()
                .map(|(row, source): (cards::CardRow, String)| {
                    super::parse_stored(&row, &source)
                        .map(|card| search_doc(&card))
                        .map_err(|e| e.to_string())
                })
                .collect::<Vec<_>>(),
            Err(e) => vec![Err(e)],
        });
        search.rebuild_from(docs, &stamp)
    });
    let mut read = Ok(());
    for slice in ids.chunks(REBUILD_SLICE) {
        match cards::current_sources(&state.db, slice).await {
            Ok(rows) => {
                if tx.send(Ok(rows)).await.is_err() {
                    break; // the indexer stopped: its error is reported below
                }
            }
            Err(e) => {
                let _ = tx.send(Err(format!("cannot read cards: {e}"))).await;
                read = Err(AppError::from(e));
                break;
            }
        }
    }
    drop(tx);
    let indexed = indexing.await.map_err(AppError::internal)?;
    read?;
    indexed.map_err(AppError::internal)
}

/// Polls for changes made elsewhere, for the life of the process.
pub fn spawn_poller(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(POLL_INTERVAL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(err) = sync(&state).await {
                tracing::warn!(error = %err, "search index sync failed");
            }
        }
    });
}
