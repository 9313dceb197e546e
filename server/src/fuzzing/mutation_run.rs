//! A short fuzz run inside `cargo test`, so CI exercises the parsers on every change
//! without the ~11-minute instrumented build that coverage-guided fuzzing needs on two
//! cores: every seed file (shipped content, fixtures, Moodle's GIFT files when present,
//! and the corpus `fuzz/run` has grown) is mutated many times with a fixed random seed
//! (byte flips, cuts, repeats, splices, inserted syntax) and fed to the same property
//! checks as the fuzz targets. Not coverage-guided: `fuzz/run` is the deep search.
//! `ZHMP_FUZZ_ROUNDS` (default 3000 per target) and `ZHMP_FUZZ_SEED` change the run.

use std::path::{Path, PathBuf};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Syntax the parsers care about, for insertions.
const TOKENS: &[&str] = &[
    "---\n",
    "\n",
    "\r",
    "\r\n",
    "## ",
    "## Ситуация\n",
    "## Табу\n",
    "1. ",
    "- ",
    ": ",
    "#",
    "{",
    "}",
    "=",
    "~",
    "->",
    "%50%",
    "::",
    "[",
    "]",
    "\"",
    "'",
    "\\",
    "|",
    ">",
    "*",
    "`",
    "&a",
    "*a",
    "!!",
    "\t",
    "id: ",
    "type: ",
    "questions:\n",
    "  - ",
    "\u{feff}",
    "ё",
    "\u{0}",
];

fn seeds(dirs: &[(PathBuf, &[&str])]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for (dir, extensions) in dirs {
        collect(dir, extensions, &mut out);
    }
    out
}

fn collect(dir: &Path, extensions: &[&str], out: &mut Vec<Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, extensions, out);
        } else if (extensions.is_empty()
            || path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| extensions.contains(&e)))
            && let Ok(bytes) = std::fs::read(&path)
        {
            out.push(bytes);
        }
    }
}

fn mutate(rng: &mut StdRng, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut data = input.to_vec();
    for _ in 0..rng.random_range(1..=4) {
        let at = rng.random_range(0..=data.len());
        match rng.random_range(0..6) {
            0 if !data.is_empty() => {
                let i = at.min(data.len() - 1);
                data[i] ^= 1 << rng.random_range(0..8);
            }
            1 => {
                let end = (at + rng.random_range(0..64)).min(data.len());
                data.drain(at..end);
            }
            2 => {
                let end = (at + rng.random_range(0..64)).min(data.len());
                let copy = data[at..end].to_vec();
                data.splice(at..at, copy);
            }
            3 => {
                let token = TOKENS[rng.random_range(0..TOKENS.len())].as_bytes();
                data.splice(at..at, token.iter().copied());
            }
            4 => {
                let from = rng.random_range(0..=other.len());
                let end = (from + rng.random_range(0..256)).min(other.len());
                data.splice(at..at, other[from..end].iter().copied());
            }
            _ => data.truncate(at),
        }
    }
    data
}

fn run(name: &str, dirs: &[(PathBuf, &[&str])], inline: &[&str], property: fn(&[u8])) {
    let mut inputs = seeds(dirs);
    inputs.extend(inline.iter().map(|s| s.as_bytes().to_vec()));
    assert!(!inputs.is_empty(), "{name}: no seed files");
    inputs.push(Vec::new());
    let rounds: usize = std::env::var("ZHMP_FUZZ_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let seed: u64 = std::env::var("ZHMP_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20261127);
    let mut rng = StdRng::seed_from_u64(seed);
    for input in &inputs {
        property(input);
    }
    for round in 0..rounds {
        let input = &inputs[rng.random_range(0..inputs.len())];
        let other = &inputs[rng.random_range(0..inputs.len())];
        let mutated = mutate(&mut rng, input, other);
        let outcome = std::panic::catch_unwind(|| property(&mutated));
        if outcome.is_err() {
            panic!(
                "{name}: round {round} (ZHMP_FUZZ_SEED={seed}) broke a property on this input:\n{}",
                String::from_utf8_lossy(&mutated).escape_debug()
            );
        }
    }
}

const GIFT: &str = "// Сервис\n::Спасибо::Гость говорит «спасибо». Ответ? {\n=«Спасибо вам!»\n~«Пожалуйста»#Мы благодарим в ответ\n}\n\n\
::Молоко:: Молоко греем до 70 °C. {F}\n\n::Температура:: Сколько °C у молока для капучино? {#65:5}\n\n\
::Порядок:: Сопоставьте. {\n=эспрессо -> 30 мл\n=лунго -> 60 мл\n}\n\n::Слово:: Как называется пена? {=микропена =пена}\n\n\
$CATEGORY: бар\n::Несколько:: Что проверить утром? {\n~%50%кофемолку\n~%50%весы\n~%-100%кассу\n}\n";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn cards_survive_mutated_files() {
    let r = repo();
    run(
        "card",
        &[
            (r.join("content"), &["md"]),
            (r.join("tests/fixtures/cards"), &["md"]),
            (r.join("fuzz/corpus/card"), &[]),
        ],
        &[],
        super::card,
    );
}

#[test]
fn banks_survive_mutated_files() {
    let r = repo();
    run(
        "quiz_bank",
        &[
            (r.join("quizzes"), &["yaml"]),
            (r.join("tests/fixtures/quizzes"), &["yaml"]),
            (r.join("fuzz/corpus/quiz_bank"), &[]),
        ],
        &[],
        super::quiz_bank,
    );
}

#[test]
fn gift_files_survive_mutation() {
    let r = repo();
    run(
        "gift",
        &[
            (r.join("../shared/conformance/gift"), &[]),
            (r.join("tests/fixtures"), &["gift"]),
            (r.join("fuzz/corpus/gift"), &[]),
        ],
        // A few questions of every GIFT kind, so the run has seeds without ../shared.
        &[GIFT],
        super::gift,
    );
}

#[test]
fn programmes_survive_mutated_files() {
    let r = repo();
    run(
        "program",
        &[
            (r.join("content"), &["yaml"]),
            (r.join("tests/fixtures/careers"), &["yaml"]),
            (r.join("fuzz/corpus/program"), &[]),
        ],
        &[],
        super::program,
    );
}

#[test]
#[should_panic(expected = "broke a property")]
fn a_broken_property_is_caught_and_reported() {
    // Seeds never hold a NUL byte; the mutations insert one soon enough.
    run("nul", &[], &["## Ситуация\nтекст\n"], |data| {
        assert!(!data.contains(&0), "a NUL byte")
    });
}
