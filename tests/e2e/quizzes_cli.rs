//! Question banks on the command line: `zhmp check` over banks, the shipped bank's quality
//! gates, and `zhmp import-gift` on Moodle's own GIFT files.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use zhmp::cards::domain::{CardId, Track, check_corpus};
use zhmp::cards::service::import::{read_dir, read_files};
use zhmp::quizzes::domain::{AnswerKey, NumericTarget, QuestionType, check_banks, is_bank_path};

use crate::cli::{stderr, zhmp};
use crate::support::conformance::gift_file;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn check_reports_bank_problems_with_their_positions() {
    let output = zhmp()
        .args([
            "check",
            "--quizzes",
            repo("tests/fixtures/quizzes/bad").to_str().unwrap(),
            repo("tests/fixtures/cards/good").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let out = stdout(&output);
    for expected in [
        "broken-yaml.yaml:5:1: error: invalid YAML",
        "duplicate.yaml:1:8: error: track «tea» is not one of: coffee, service, bar",
        "duplicate.yaml:3:9: error: duplicate question id «duplicate-q», also at problems.yaml:50",
        "duplicate.yaml:7:12: error: an «ordering» question needs at least 2 items",
        "problems.yaml:8:7: error: no correct option: mark one with «correct: true»",
        "problems.yaml:16:9: error: a «single» question has exactly one correct option",
        "problems.yaml:18:11: error: unknown card «no-such-card»",
        "problems.yaml:22:9: error: question id «Bad_Id» must match",
        "problems.yaml:29:11: error: type «essay» is not one of: single, multiple, true_false",
        "problems.yaml:31:5: error: question is missing required field «prompt»",
        "problems.yaml:34:13: error: field «answer» must be true or false",
        "problems.yaml:42:28: error: weight 150 is outside -100..100",
        "problems.yaml:48:5: error: field «options» belongs to «single» questions, not «true_false»",
        "problems.yaml:50:9: error: duplicate question id «duplicate-q», also at duplicate.yaml:3",
        "problems.yaml:60:20: error: unknown option field",
        "problems.yaml:63:11: warning: card «espresso-shot» is in direction «coffee», this bank is «service»",
        "problems.yaml:67:9: error: the range is empty: min 30 > max 20",
    ] {
        assert!(
            out.lines().any(|l| l.contains(expected)),
            "missing «{expected}» in:\n{out}"
        );
    }
    assert!(stderr(&output).contains("3 banks"), "{}", stderr(&output));

    let good = zhmp()
        .args([
            "check",
            "--deny-warnings",
            "--quizzes",
            repo("tests/fixtures/quizzes/good").to_str().unwrap(),
            repo("tests/fixtures/cards/good").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    // The good card fixtures carry a deliberate warning; the bank adds none.
    assert!(!stdout(&good).contains("service.yaml"), "{}", stdout(&good));
}

/// The bank shipped in quizzes/: clean under `zhmp check --deny-warnings`, at least three
/// questions for every shipped card, every type used.
#[test]
fn shipped_bank_passes_check_and_covers_every_card() {
    let output = zhmp()
        .args([
            "check",
            "--deny-warnings",
            "--quizzes",
            repo("quizzes").to_str().unwrap(),
            repo("content").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}\n{}",
        stdout(&output),
        stderr(&output)
    );

    let (cards, _) = check_corpus(&read_dir(&repo("content")).unwrap());
    let tracks: BTreeMap<CardId, Track> = cards
        .iter()
        .map(|(_, c)| (c.front.id.clone(), c.front.track))
        .collect();
    let files = read_files(&repo("quizzes"), is_bank_path).unwrap();
    let (banks, diagnostics) = check_banks(&files, &tracks);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let mut per_card: HashMap<&str, usize> = HashMap::new();
    let mut types = std::collections::HashSet::new();
    for (_, bank) in &banks {
        for q in &bank.questions {
            *per_card.entry(q.card.as_str()).or_default() += 1;
            types.insert(q.key.question_type());
            assert_eq!(
                tracks[&q.card], bank.track,
                "{} is filed under the card's direction",
                q.id
            );
            assert!(q.explanation.is_some(), "{} explains its answer", q.id);
        }
    }
    for id in tracks.keys() {
        let n = per_card.get(id.as_str()).copied().unwrap_or(0);
        assert!(n >= 3, "card {} has {n} questions", id.as_str());
    }
    assert_eq!(types.len(), QuestionType::ALL.len(), "every type used");
}

/// Runs `zhmp import-gift` on a conformance file; `None` when the files are absent.
fn import(fixture: &str, dir: &Path) -> Option<(std::process::Output, PathBuf)> {
    let source = gift_file(fixture)?;
    let out = dir.join("imported.yaml");
    let output = zhmp()
        .args([
            "import-gift",
            source.to_str().unwrap(),
            "--track",
            "coffee",
            "--card",
            "espresso-shot",
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    Some((output, out))
}

/// Reads the written bank back through the same parser the server uses.
fn read_bank(path: &Path) -> Vec<zhmp::quizzes::domain::Question> {
    let tracks = BTreeMap::from([(CardId::parse("espresso-shot").unwrap(), Track::Coffee)]);
    let files = vec![("imported.yaml".to_owned(), std::fs::read(path).unwrap())];
    let (banks, diagnostics) = check_banks(&files, &tracks);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    banks.into_iter().next().unwrap().1.questions
}

fn choices(key: &AnswerKey) -> Vec<(String, f64)> {
    match key {
        AnswerKey::Single(c) | AnswerKey::Multiple(c) => {
            c.iter().map(|c| (c.text.clone(), c.weight)).collect()
        }
        other => panic!("not a choice question: {other:?}"),
    }
}

/// Moodle's examples file: every construct, 43 questions, the answers Moodle reads.
#[test]
fn import_gift_reads_moodles_examples_like_moodle() {
    let dir = tempfile::tempdir().unwrap();
    let Some((output, out)) = import("moodle-examples.gift.txt", dir.path()) else {
        return;
    };
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("imported 43 questions"),
        "{}",
        stderr(&output)
    );
    let qs = read_bank(&out);
    assert_eq!(qs.len(), 43);
    let count = |t: QuestionType| qs.iter().filter(|q| q.key.question_type() == t).count();
    assert_eq!(count(QuestionType::Single), 16);
    assert_eq!(count(QuestionType::Multiple), 2);
    assert_eq!(count(QuestionType::TrueFalse), 5);
    assert_eq!(count(QuestionType::Short), 9);
    assert_eq!(count(QuestionType::Matching), 3);
    assert_eq!(count(QuestionType::Numeric), 8);

    let named = |name: &str| qs.iter().find(|q| q.name.as_deref() == Some(name)).unwrap();
    assert_eq!(
        choices(&named("Jesus' hometown").key),
        [
            ("Jerusalem".to_owned(), 0.0),
            ("Bethlehem".to_owned(), 0.25),
            ("Galilee".to_owned(), 0.5),
            ("Nazareth".to_owned(), 1.0)
        ]
    );
    assert_eq!(
        named("Jesus' hometown").prompt,
        "Jesus Christ was from _____."
    );
    let control = named("GIFT Control Characters");
    let texts: Vec<String> = choices(&control.key).into_iter().map(|c| c.0).collect();
    assert_eq!(texts, ["~", "=", "#", "{", "}", "\\"]);
    let AnswerKey::Single(options) = &control.key else {
        unreachable!()
    };
    assert!(
        options[5]
            .feedback
            .as_deref()
            .unwrap()
            .starts_with("Correct! \\ (backslash) is not a control character.")
    );
    let AnswerKey::Numeric(answers) = &named("Numerical example").key else {
        panic!()
    };
    assert_eq!(
        answers
            .iter()
            .map(|a| (a.target, a.weight))
            .collect::<Vec<_>>(),
        [
            (
                NumericTarget::Near {
                    value: 1822.0,
                    tolerance: 0.0
                },
                1.0
            ),
            (
                NumericTarget::Near {
                    value: 1822.0,
                    tolerance: 2.0
                },
                0.5
            )
        ]
    );
    let kanji = named("Kanji Origins");
    assert_eq!(kanji.key.question_type(), QuestionType::Short);
    let markdown = qs
        .iter()
        .find(|q| {
            q.prompt == "Who's buried in Grant's tomb?"
                && q.name.is_none()
                && matches!(&q.key, AnswerKey::Short(a) if a[0].feedback.is_some())
        })
        .expect("the [markdown] question, emphasis removed");
    assert_eq!(markdown.key.question_type(), QuestionType::Short);
    let special = qs
        .iter()
        .find(|q| q.prompt == "Which answer equals 5?")
        .unwrap();
    assert_eq!(
        choices(&special.key),
        [
            ("= 2 + 2".to_owned(), 0.0),
            ("= 2 + 3".to_owned(), 1.0),
            ("= 2 + 4".to_owned(), 0.0)
        ]
    );
}

/// Moodle's importer fixture: the essay is reported and skipped, the rest imports.
#[test]
fn import_gift_reads_moodles_fixture_and_reports_the_essay() {
    let dir = tempfile::tempdir().unwrap();
    let Some((output, out)) = import("moodle-fixture-questions.gift.txt", dir.path()) else {
        return;
    };
    assert!(output.status.success(), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("moodle-fixture-questions.gift.txt:2:1: warning: essay question «Q8»"),
        "{err}"
    );
    let qs = read_bank(&out);
    assert_eq!(qs.len(), 8);
    let named = |name: &str| qs.iter().find(|q| q.name.as_deref() == Some(name)).unwrap();
    let AnswerKey::Matching(pairs) = &named("Moodle activities").key else {
        panic!()
    };
    let lefts: Vec<&str> = pairs.iter().map(|p| p.left.as_str()).collect();
    let rights: Vec<&str> = pairs.iter().map(|p| p.right.as_str()).collect();
    assert_eq!(rights, ["Forum", "Choice", "Database", "Wiki", "Chat"]);
    assert_eq!(lefts[0], "An activity supporting asynchronous discussions.");
    assert_eq!(lefts[4], "", "the distractor");
    assert_eq!(
        named("Moodle activities").prompt,
        "Match the activity to the description."
    );
    assert_eq!(
        choices(&named("colours").key),
        [
            ("yellow".to_owned(), 0.5),
            ("red".to_owned(), -1.0),
            ("off-beige".to_owned(), 0.5),
            ("blue".to_owned(), -1.0)
        ]
    );
    assert_eq!(named("Q2").key.question_type(), QuestionType::Single);
    let AnswerKey::Short(accepted) = &named("Shortanswer").key else {
        panic!()
    };
    let got: Vec<_> = accepted
        .iter()
        .map(|a| (a.text.as_str(), a.weight))
        .collect();
    assert_eq!(got, [("Frog", 1.0), ("Cat", 0.5), ("*", 0.0)]);
    let q1 = named("Q1");
    assert_eq!(
        q1.explanation.as_deref(),
        Some("This is, of course, a Hitchiker's Guide to the Galaxy reference.")
    );
    assert!(matches!(q1.key, AnswerKey::TrueFalse { answer: false, .. }));
    let AnswerKey::Numeric(q5) = &named("Q5").key else {
        panic!()
    };
    assert_eq!(q5.len(), 2, "3 ± 2 and the catch-all with its feedback");
    assert_eq!(q5[1].target, NumericTarget::Any);
    assert_eq!(q5[1].feedback.as_deref(), Some("Completely wrong"));
    let tsl: Vec<_> = qs
        .iter()
        .filter(|q| q.name.as_deref() == Some("2-08 TSL"))
        .collect();
    assert_eq!(tsl.len(), 2, "T and TRUE");
    assert_eq!(
        named("Q5").prompt,
        "What is a number from 1 to 5? _____\";",
        "stray text after the braces stays, as in Moodle"
    );
}

#[test]
fn import_gift_names_the_line_of_a_broken_question_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("broken.gift");
    std::fs::write(&source, "Fine? {T}\n\n// a comment\nBroken {=a ~b\n").unwrap();
    let out = dir.path().join("out.yaml");
    let output = zhmp()
        .args([
            "import-gift",
            source.to_str().unwrap(),
            "--track",
            "bar",
            "--card",
            "summer-lemonade",
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("broken.gift:4:1: error: unbalanced braces"),
        "{}",
        stderr(&output)
    );
    assert!(!out.exists(), "nothing written");

    let Some(fixture) = gift_file("moodle-fixture-questions.gift.txt") else {
        return;
    };
    let no_card = zhmp()
        .args(["import-gift", fixture.to_str().unwrap(), "--track", "bar"])
        .output()
        .unwrap();
    assert_eq!(no_card.status.code(), Some(1));
    assert!(stderr(&no_card).contains("--card"), "{}", stderr(&no_card));
}
