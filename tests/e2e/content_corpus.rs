//! The shipped knowledge base (`content/`): quality gates from the starter-content issue.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use zhmp::cards::domain::{Card, check_corpus};
use zhmp::cards::service::import::read_dir;

use crate::support::{Backend, TestApp};

fn content_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
}

fn shipped() -> Vec<(String, Card)> {
    let files = read_dir(&content_dir()).expect("content/ is readable");
    let (cards, diagnostics) = check_corpus(&files);
    let problems: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    assert!(
        problems.is_empty(),
        "content/ has problems:\n{}",
        problems.join("\n")
    );
    cards
}

#[test]
fn zhmp_check_passes_with_no_errors_and_no_warnings() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_zhmp"))
        .args(["check", "--deny-warnings"])
        .arg(content_dir())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn at_least_twenty_cards_per_direction_with_unique_ids() {
    let cards = shipped();
    assert!(cards.len() >= 60, "{} cards", cards.len());
    let mut per_track: BTreeMap<&str, usize> = BTreeMap::new();
    let mut ids = BTreeSet::new();
    for (path, card) in &cards {
        let track = card.front.track.as_str();
        *per_track.entry(track).or_default() += 1;
        assert!(
            path.starts_with(&format!("{track}/")),
            "{path} is not under {track}/"
        );
        assert!(
            ids.insert(card.front.id.as_str()),
            "duplicate id {}",
            card.front.id.as_str()
        );
    }
    for track in ["coffee", "service", "bar"] {
        let count = per_track.get(track).copied().unwrap_or(0);
        assert!(count >= 20, "{track}: {count} cards");
    }
}

#[test]
fn cards_are_complete_and_varied() {
    let cards = shipped();
    let mut levels = BTreeSet::new();
    let mut seasons = BTreeSet::new();
    let mut recommended = 0;
    for (path, card) in &cards {
        assert!(card.explanation.is_some(), "{path}: no explanation");
        assert!(card.steps.len() >= 3, "{path}: fewer than 3 steps");
        assert!(!card.taboo.is_empty(), "{path}: no taboo");
        assert!(
            card.example.markdown.contains('«'),
            "{path}: the example has no words in «ёлочках»"
        );
        levels.insert(card.front.level.as_str());
        seasons.insert(card.front.season.as_str());
        recommended += usize::from(!card.front.mandatory);
    }
    assert_eq!(levels.len(), 4, "levels used: {levels:?}");
    assert!(
        seasons.contains("summer") && seasons.contains("winter"),
        "{seasons:?}"
    );
    assert!(
        recommended >= 6,
        "{recommended} recommended (non-mandatory) cards"
    );
}

/// Bureaucratic words make standards hard to read on a phone.
#[test]
fn no_bureaucratic_language() {
    let banned = [
        "осуществ",
        "в рамках",
        "данный",
        "данная",
        "данное",
        "вышеуказанн",
        "в целях",
    ];
    for (path, card) in shipped() {
        let sections = [&card.situation, &card.example, &card.anti_example]
            .into_iter()
            .chain(card.explanation.iter())
            .chain(card.steps.iter())
            .chain(card.taboo.iter());
        for section in sections {
            let text = section.text.to_lowercase();
            for word in banned {
                assert!(
                    !text.contains(word),
                    "{path}:{}: «{word}» in «{}»",
                    section.line,
                    section.text
                );
            }
        }
    }
}

/// The shipped corpus loads and is searchable the way baristas will use it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shipped_content_loads_and_is_searchable() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    copy_dir(&content_dir(), &app.content_dir());
    let summary = app.reload_content().await;
    assert!(summary.created >= 60, "{summary:?}");
    let token = app.admin_token().await;
    let list = app.get_json("/api/v1/cards?per_page=200", &token).await;
    assert_eq!(list["total"].as_u64().unwrap() as usize, summary.created);
    for (query, track) in [
        ("спасибо", "service"),
        ("монеты", "service"),
        ("эспрессо", "coffee"),
        ("паровая трубка", "bar"),
    ] {
        let encoded: String = query
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        let found = app
            .get_json(&format!("/api/v1/search?q={encoded}&limit=3"), &token)
            .await;
        let tracks: Vec<&str> = found["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["track"].as_str().unwrap())
            .collect();
        assert!(
            tracks.contains(&track),
            "«{query}» finds no {track} card in its top 3: {found}"
        );
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
