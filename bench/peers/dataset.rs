//! The benchmark's data: 10,000 cards (the shipped ones plus synthetic ones) and a chain
//! of 5,000 staff in 50 locations with 8 quarters of results, in a database that the
//! server under test then opens.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::chain::{self, LOCATIONS};
use zhmp::accounts::storage::users;
use zhmp::config::Config;
use zhmp::startup;

/// Searches a barista would type, each with the card they are looking for: word forms,
/// typos, a wrong keyboard layout, questions and short phrases.
pub const QUERIES: &[(&str, &str)] = &[
    ("капучино", "coffee-cappuccino-standard"),
    ("капучмно", "coffee-cappuccino-standard"),
    ("капучинно стандарт", "coffee-cappuccino-standard"),
    ("гость жалуется", "service-complaint"),
    ("ожог кипятком", "bar-burn-first-aid"),
    ("как взбивать молоко", "coffee-milk-texturing"),
    (
        "журнал температуры холодильника",
        "bar-fridge-temperature-log",
    ),
    ("гость забыл вещь", "service-forgotten-item"),
    ("гость с ребенком", "service-guest-with-child"),
    ("nefktn", "service-toilet-only"),
    ("колд брю хранение", "coffee-cold-brew"),
    ("расхождение в кассе", "bar-cash-discrepancy"),
    ("пуроверы", "coffee-pour-over"),
    ("разбилось стекло", "bar-glass-breakage"),
    ("сломалась кофемашина", "bar-equipment-breakdown"),
    ("плохой отзыв в интернете", "service-online-review"),
    ("курьер за заказом", "service-delivery-courier"),
    ("очередь в час пик", "service-rush-hour-queue"),
    ("эспрессо тоник", "coffee-espresso-tonic"),
    ("флэт уайт", "coffee-flat-white"),
    ("мытье рук", "bar-hand-washing"),
    ("льдогенератор", "bar-ice-machine-hygiene"),
    ("обратная промывка", "bar-backflush-daily"),
    ("кофе без кофеина", "coffee-decaf"),
    ("гостю не нравится вкус напитка", "service-taste-unhappy"),
    ("пришел перед закрытием", "service-closing-time"),
    ("сдача наличными", "service-cash-and-change"),
    ("калибровка кофемолки", "coffee-grinder-calibration"),
    ("кислый эспрессо", "coffee-shot-tasting"),
    ("слякоть у входа", "service-winter-slush-entrance"),
    ("приемка поставки молока", "bar-delivery-acceptance"),
    ("пароль от wi-fi", "service-wifi-and-charging"),
];

pub const CARDS: usize = 10_000;
pub const STAFF: usize = 5_000;
pub const SUBMITTERS: usize = 500;

/// The content directory: the shipped content, and synthetic cards up to `CARDS`.
pub fn content(repo: &Path, into: &Path) -> std::io::Result<usize> {
    copy_dir(&repo.join("content"), into)?;
    let shipped = count_cards(into)?;
    zhmp::cards::synthetic::write_corpus(&into.join("synthetic"), CARDS - shipped, 1)?;
    Ok(shipped)
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

fn count_cards(dir: &Path) -> std::io::Result<usize> {
    let mut n = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            n += count_cards(&entry.path())?;
        } else if entry.path().extension().is_some_and(|e| e == "md")
            && entry.file_name() != "README.md"
        {
            n += 1;
        }
    }
    Ok(n)
}

/// A database ready for the server: content imported, the chain generated, an admin and
/// `SUBMITTERS` staff signed in (their tokens), a staff token for reading.
pub struct Prepared {
    pub first_import: Duration,
    pub generated: Duration,
    pub admin: String,
    pub reader: String,
    pub submitters: Vec<String>,
    pub result_rows: usize,
}

pub async fn prepare(url: &str, data_dir: &Path, content: &Path, repo: &Path) -> Prepared {
    let mut config = Config::for_paths(url, data_dir);
    config.content_dir = content.to_owned();
    config.quizzes_dir = repo.join("quizzes");
    let state = startup::prepare(config).await.expect("database");
    let started = Instant::now();
    let summary = zhmp::cards::service::import::import(&state)
        .await
        .expect("import");
    assert_eq!(summary.created, CARDS, "every card imported");
    let first_import = started.elapsed();
    let started = Instant::now();
    let chain = chain::generate(&state, STAFF / LOCATIONS).await;
    let generated = started.elapsed();
    let admin_id = users::insert(
        &state.db,
        users::NewUser {
            login: "bench-admin",
            name: "Администратор замеров",
            role: "admin",
            level: "leader",
            location_id: None,
            password_hash: chain.hash.clone(),
        },
    )
    .await
    .expect("admin")
    .id;
    let admin = chain::signed_in(&state, admin_id).await;
    let reader = chain::signed_in(&state, chain.staff[1].0).await;
    let mut submitters = Vec::with_capacity(SUBMITTERS);
    // Every tenth person, so the submitters come from all locations.
    for &(user, _, _) in chain
        .staff
        .iter()
        .step_by(STAFF / SUBMITTERS)
        .take(SUBMITTERS)
    {
        submitters.push(chain::signed_in(&state, user).await);
    }
    Prepared {
        first_import,
        generated,
        admin,
        reader,
        submitters,
        result_rows: chain.results_rows,
    }
}
