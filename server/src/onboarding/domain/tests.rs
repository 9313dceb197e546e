//! The programme reader and the combined check.

use std::collections::HashSet;

use super::*;

const GOOD: &str = "\
id: intern
title: Стажировка
level: barista
stages:
  - title: Ориентация
    items:
      - kind: event
        id: intro
        title: Вводный день
        due_day: 1
      - kind: read
        card: greet
        due_day: 2
  - title: Неделя 1
    items:
      - kind: quiz
        id: practice
        title: Тест по сервису
        tracks: [service]
        cards: [greet]
        questions: 5
        pass_percent: 80
        due_day: 7
      - kind: quiz
        id: quarterly
        title: Квартальный тест
        campaign: quarterly
        due_day: 14
      - kind: skill
        id: espresso
        title: Эспрессо по рецепту
        criteria:
          - Доза 18 г ± 0,5
          - Выход 36 г ± 2
        due_day: 10
";

fn cards() -> HashSet<String> {
    ["greet".to_owned()].into()
}

fn check(files: &[(&str, &str)]) -> Checked {
    let files: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
        .collect();
    check_careers(&files, &cards())
}

fn messages(checked: &Checked) -> Vec<String> {
    checked
        .diagnostics
        .iter()
        .map(|d| format!("{}:{}:{}: {}", d.file, d.line, d.column, d.message))
        .collect()
}

#[test]
fn a_good_programme_reads_whole() {
    let checked = check(&[("programs/intern.yaml", GOOD)]);
    assert!(checked.diagnostics.is_empty(), "{:?}", messages(&checked));
    let (path, p) = &checked.programs[0];
    assert_eq!(path, "programs/intern.yaml");
    assert_eq!(p.stages.len(), 2);
    assert_eq!(p.items().count(), 5);
    assert_eq!(
        p.item("greet").unwrap().kind,
        ItemKind::Read {
            card: "greet".into()
        }
    );
    assert_eq!(
        p.item("practice").unwrap().kind,
        ItemKind::Practice {
            cards: vec!["greet".into()],
            tracks: vec!["service".into()],
            questions: 5,
            pass_percent: 80
        }
    );
    assert_eq!(p.item("quarterly").unwrap().kind, ItemKind::Quarterly);
    assert_eq!(p.skills().count(), 1);
    assert_eq!(p.days(), 14);
}

#[test]
fn every_problem_is_reported_at_its_place() {
    let bad = "\
id: Intern
title: Стажировка
stages:
  - title: Неделя
    items:
      - kind: read
        card: nope
        due_day: 0
      - kind: skill
        id: espresso
        title: Эспрессо
        criteria: []
        cards: [greet]
        due_day: 3
      - kind: party
        id: x
      - kind: event
        id: espresso
        title: Повтор
        due_day: 2
";
    let checked = check(&[("programs/bad.yaml", bad)]);
    let all = messages(&checked).join("\n");
    for expected in [
        "programs/bad.yaml:1:5: id «Intern» must match",
        "programs/bad.yaml:7:15: no card with id «nope»",
        "programs/bad.yaml:8:18: due_day must be a whole day",
        "programs/bad.yaml:12:19: «criteria» is empty",
        "programs/bad.yaml:13:9: field «cards» belongs to «quiz» items, not «skill»",
        "programs/bad.yaml:15:15: kind «party» is not one of",
        "item id «espresso» is used twice (first at line 9)",
    ] {
        assert!(all.contains(expected), "missing «{expected}» in:\n{all}");
    }
    assert!(
        checked.programs.is_empty(),
        "a file with errors is not used"
    );
}

#[test]
fn duplicate_ids_name_both_files_and_rules_check_names() {
    let rules = "levels:\n  barista:\n    pass_percent: 80\n    program: intern\n    skills: [espresso, latte]\n";
    let checked = check(&[
        ("certification.yaml", rules),
        ("programs/a.yaml", GOOD),
        ("programs/b.yaml", GOOD),
    ]);
    let all = messages(&checked).join("\n");
    assert!(
        all.contains(
            "programs/b.yaml:1:5: programme id «intern» is also used in programs/a.yaml:1"
        ),
        "{all}"
    );
    assert!(
        all.contains("certification.yaml:5:24: no programme has a skill with id «latte»"),
        "{all}"
    );
    assert!(checked.rules_present && checked.rules.is_none());
    let checked = check(&[
        (
            "certification.yaml",
            "levels:\n  barista:\n    pass_percent: 80\n    program: intern\n",
        ),
        ("programs/a.yaml", GOOD),
    ]);
    assert!(checked.diagnostics.is_empty(), "{:?}", messages(&checked));
    assert!(checked.rules.is_some());
}

#[test]
fn only_yaml_directly_under_programs_is_a_programme() {
    use std::path::Path;
    assert!(is_program_path(Path::new("programs/intern.yaml")));
    assert!(is_program_path(Path::new("programs/intern.yml")));
    assert!(!is_program_path(Path::new("programs/_draft.yaml")));
    assert!(!is_program_path(Path::new("programs/old/intern.yaml")));
    assert!(!is_program_path(Path::new("coffee/intern.yaml")));
    assert!(is_career_path(Path::new("certification.yaml")));
}
