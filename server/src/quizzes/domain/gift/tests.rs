//! GIFT reading, construct by construct, with the results Moodle's importer gives.
//! The two conformance files from Moodle are checked whole in tests/e2e (through the CLI
//! and the API); here each construct is pinned down on its own.

// Moodle's examples ask for pi to three places: these are its literal answers.
#![allow(clippy::approx_constant)]

use super::*;
use crate::cards::domain::Severity;
use crate::quizzes::domain::question::{NumericTarget, Pair};

fn one(source: &str) -> GiftQuestion {
    let import = parse_gift("t.gift", source);
    assert!(
        import.problems.is_empty(),
        "unexpected problems: {:?}",
        import.problems
    );
    assert_eq!(import.questions.len(), 1, "{:?}", import.questions);
    import.questions.into_iter().next().unwrap()
}

/// (text, weight, feedback) of a choice question's options.
fn choices(key: &AnswerKey) -> Vec<(String, f64, Option<String>)> {
    match key {
        AnswerKey::Single(c) | AnswerKey::Multiple(c) => c
            .iter()
            .map(|c| (c.text.clone(), c.weight, c.feedback.clone()))
            .collect(),
        other => panic!("not a choice question: {other:?}"),
    }
}

fn owned(items: &[(&str, f64, Option<&str>)]) -> Vec<(String, f64, Option<String>)> {
    items
        .iter()
        .map(|(t, w, f)| (t.to_string(), *w, f.map(str::to_owned)))
        .collect()
}

#[test]
fn multiple_choice_with_one_right_answer() {
    let q = one("Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}");
    assert_eq!(q.prompt, "Who's buried in Grant's tomb?");
    assert!(matches!(q.key, AnswerKey::Single(_)));
    assert_eq!(
        choices(&q.key),
        owned(&[
            ("Grant", 0.0, None),
            ("Jefferson", 0.0, None),
            ("no one", 1.0, None)
        ])
    );
}

#[test]
fn answers_inside_the_text_leave_a_blank() {
    let q = one("Grant is {~buried =entombed ~living} in Grant's tomb.");
    assert_eq!(q.prompt, "Grant is _____ in Grant's tomb.");
    let q = one("Two plus two equals {=four =4}.");
    assert_eq!(q.prompt, "Two plus two equals _____.");
}

#[test]
fn true_false_in_all_spellings_with_feedback() {
    for (text, answer) in [("T", true), ("TRUE", true), ("F", false), ("FALSE", false)] {
        let q = one(&format!("The sun rises in the east.{{{text}}}"));
        assert_eq!(
            q.key,
            AnswerKey::TrueFalse {
                answer,
                feedback_wrong: None,
                feedback_right: None
            }
        );
    }
    let q = one(
        "::Q1:: 42 is the Absolute Answer.{\nFALSE#42 is the Ultimate Answer.#You gave the right answer.\n####A Hitchhiker's Guide reference.}",
    );
    assert_eq!(q.name.as_deref(), Some("Q1"));
    assert_eq!(
        q.key,
        AnswerKey::TrueFalse {
            answer: false,
            feedback_wrong: Some("42 is the Ultimate Answer.".into()),
            feedback_right: Some("You gave the right answer.".into()),
        }
    );
    assert_eq!(
        q.general_feedback.as_deref(),
        Some("A Hitchhiker's Guide reference.")
    );
}

#[test]
fn weighted_and_negative_answers() {
    let q = one(
        "What two people are entombed in Grant's tomb? {\n~%-50%No one\n~%50%Grant\n~%50%Grant's wife\n~%-50%Grant's father }",
    );
    assert!(matches!(q.key, AnswerKey::Multiple(_)), "no «=»: multiple");
    assert_eq!(
        choices(&q.key),
        owned(&[
            ("No one", -0.5, None),
            ("Grant", 0.5, None),
            ("Grant's wife", 0.5, None),
            ("Grant's father", -0.5, None)
        ])
    );
    let q = one("Difficult question.{~wrong answer ~%50%half credit answer =full credit answer}");
    assert!(matches!(q.key, AnswerKey::Single(_)));
    assert_eq!(choices(&q.key)[1].1, 0.5);
    let q = one("Weights with decimals {~%33.33333%a ~%33.33333%b ~%33.33334%c ~d}");
    assert!((choices(&q.key)[2].1 - 0.3333334).abs() < 1e-9);
}

#[test]
fn short_answers_with_weights_feedback_and_catch_all() {
    let q = one(
        "::Shortanswer::Which is the best animal?{\n=Frog#Good!\n=%50%Cat#Cats again?\n=%0%*#Completely wrong\n}",
    );
    let AnswerKey::Short(accepted) = &q.key else {
        panic!("{:?}", q.key)
    };
    let got: Vec<_> = accepted
        .iter()
        .map(|a| (a.text.as_str(), a.weight, a.feedback.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("Frog", 1.0, Some("Good!")),
            ("Cat", 0.5, Some("Cats again?")),
            ("*", 0.0, Some("Completely wrong"))
        ]
    );
}

#[test]
fn matching_pairs_with_formats_and_a_distractor() {
    let q = one(
        "::Moodle activities::[html]Match the <b>activity</b> to the description.{\n=[html]An activity supporting <i>asynchronous</i> discussions. -> Forum\n=[plain]A bank of <records>. -> Database\n= -> Chat\n}",
    );
    assert_eq!(q.prompt, "Match the activity to the description.");
    assert_eq!(
        q.key,
        AnswerKey::Matching(vec![
            Pair {
                left: "An activity supporting asynchronous discussions.".into(),
                right: "Forum".into()
            },
            Pair {
                left: "A bank of <records>.".into(),
                right: "Database".into()
            },
            Pair {
                left: String::new(),
                right: "Chat".into()
            },
        ])
    );
}

#[test]
fn numerical_answers_tolerance_ranges_weights_and_wrong_feedback() {
    let near = |value, tolerance| NumericTarget::Near { value, tolerance };
    let targets = |q: &GiftQuestion| match &q.key {
        AnswerKey::Numeric(a) => a
            .iter()
            .map(|a| (a.target, a.weight, a.feedback.clone()))
            .collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        targets(&one("When was Grant born? {#1822}")),
        [(near(1822.0, 0.0), 1.0, None)]
    );
    assert_eq!(
        targets(&one("Pi to 3 places? {#3.1415:0.0005}.")),
        [(near(3.1415, 0.0005), 1.0, None)]
    );
    assert_eq!(
        targets(&one("Pi to 3 places? {#3.141..3.142}.")),
        [(
            NumericTarget::Range {
                min: 3.141,
                max: 3.142
            },
            1.0,
            None
        )]
    );
    assert_eq!(
        targets(&one("When? {#\n=1822:0 #Correct!\n=%50%1822:2 #Close.\n}")),
        [
            (near(1822.0, 0.0), 1.0, Some("Correct!".into())),
            (near(1822.0, 2.0), 0.5, Some("Close.".into()))
        ]
    );
    assert_eq!(
        targets(&one("A number from 1 to 5? {#3:2~#Completely wrong}")),
        [
            (near(3.0, 2.0), 1.0, None),
            (NumericTarget::Any, 0.0, Some("Completely wrong".into()))
        ]
    );
}

#[test]
fn escapes_make_control_characters_literal() {
    let q = one("Which answer equals 5? {\n~ \\= 2 + 2\n= \\= 2 + 3\n~ \\= 2 + 4 }");
    assert_eq!(
        choices(&q.key),
        owned(&[
            ("= 2 + 2", 0.0, None),
            ("= 2 + 3", 1.0, None),
            ("= 2 + 4", 0.0, None)
        ])
    );
    let q =
        one("Not a control character? {\n~ \\~ # \\~ is one.\n= \\\\ # Right: \\\\ escapes.\n}");
    assert_eq!(
        choices(&q.key),
        owned(&[
            ("~", 0.0, Some("~ is one.")),
            ("\\", 1.0, Some("Right: \\ escapes."))
        ])
    );
    let q = one("::Time\\: now::What is 2\\:30 \\{24h\\}? {=14\\:30}");
    assert_eq!(q.name.as_deref(), Some("Time: now"));
    assert_eq!(q.prompt, "What is 2:30 {24h}?");
}

#[test]
fn comments_categories_names_and_markdown() {
    let import = parse_gift(
        "t.gift",
        "// a comment\n$CATEGORY: $course$/top/Кофе\n\n// heading\n::Kanji Origins::Japanese characters originally\ncame from what country? {=China}\n\n[markdown]Who's buried in **Grant's tomb**?{=no one}\n",
    );
    assert!(import.problems.is_empty(), "{:?}", import.problems);
    let [kanji, grant] = import.questions.as_slice() else {
        panic!("{:?}", import.questions)
    };
    assert_eq!(kanji.name.as_deref(), Some("Kanji Origins"));
    assert_eq!(kanji.category.as_deref(), Some("$course$/top/Кофе"));
    assert_eq!(kanji.line, 5, "the line after the comment");
    assert_eq!(
        kanji.prompt,
        "Japanese characters originally\ncame from what country?"
    );
    assert_eq!(grant.prompt, "Who's buried in Grant's tomb?");
    assert_eq!(grant.line, 8);
}

#[test]
fn essays_and_descriptions_are_reported_and_skipped_and_errors_name_the_line() {
    let import = parse_gift(
        "t.gift",
        "// essay\n::Q8:: How are you? {}\n\nJust some text.\n\nBroken {=a\n\nMatch {=a -> b =c}\n\nFine {=yes}\n",
    );
    assert_eq!(import.questions.len(), 1);
    assert_eq!(import.questions[0].line, 10);
    let got: Vec<_> = import
        .problems
        .iter()
        .map(|d| (d.line, d.severity))
        .collect();
    assert_eq!(
        got,
        [
            (2, Severity::Warning),
            (4, Severity::Warning),
            (6, Severity::Error),
            (8, Severity::Error)
        ]
    );
    assert!(import.problems[0].message.contains("essay"));
    assert!(import.problems[3].message.contains("«c»"));
}

#[test]
fn any_text_after_the_closing_brace_makes_a_blank_like_moodle() {
    let q = one("::Q5:: A number from 1 to 5? {#3:2}\";\n");
    assert_eq!(q.prompt, "A number from 1 to 5? _____\";");
}
