//! Behaviour tests on a small fixed Russian corpus.

mod corpus;
mod perf;

use super::{SearchDoc, SearchIndex, SearchQuery, SearchResults};
use corpus::corpus;

fn index() -> SearchIndex {
    let idx = SearchIndex::in_memory().unwrap();
    idx.rebuild(corpus(), "v1").unwrap();
    idx
}

fn q(text: &str) -> SearchQuery {
    SearchQuery {
        q: text.into(),
        ..Default::default()
    }
}

fn run(idx: &SearchIndex, query: SearchQuery) -> SearchResults {
    idx.search(&query).unwrap().results.clone()
}

fn ids(r: &SearchResults) -> Vec<&str> {
    r.hits.iter().map(|h| h.id.as_str()).collect()
}

fn find(idx: &SearchIndex, text: &str) -> Vec<String> {
    ids(&run(idx, q(text)))
        .into_iter()
        .map(String::from)
        .collect()
}

fn pos(list: &[String], id: &str) -> usize {
    list.iter()
        .position(|x| x == id)
        .unwrap_or_else(|| panic!("{id} not in {list:?}"))
}

#[test]
fn index_handle_is_shareable() {
    fn check<T: Clone + Send + Sync + 'static>() {}
    check::<SearchIndex>();
}

#[test]
fn repeated_words_count_once() {
    let idx = index();
    let once = run(&idx, q("латте"));
    let twice = run(&idx, q("латте Латте"));
    assert_eq!(once.hits, twice.hits);
}

#[test]
fn word_forms_match_and_exact_form_ranks_first() {
    let idx = index();
    for form in ["гостя", "гостю", "гостем"] {
        let hits = find(&idx, form);
        assert!(hits.contains(&"spill".to_string()), "{form}: {hits:?}");
        assert!(hits.contains(&"greeting".to_string()), "{form}: {hits:?}");
    }
    // "Гостю" in the situation of `complaint` beats "Гость" in the situation of `spill`.
    let hits = find(&idx, "гостю");
    assert_eq!(hits[0], "complaint", "{hits:?}");
    assert!(pos(&hits, "complaint") < pos(&hits, "spill"));
}

#[test]
fn yo_and_ye_are_the_same_letter() {
    let idx = index();
    for text in ["ещё", "еще", "ЕЩЁ"] {
        let hits = find(&idx, text);
        assert!(hits.contains(&"cappuccino".to_string()), "{text}: {hits:?}");
        assert!(hits.contains(&"wait".to_string()), "{text}: {hits:?}");
    }
    assert_eq!(find(&idx, "лед"), ["frappe"]);
    assert_eq!(find(&idx, "лёд"), ["frappe"]);
}

#[test]
fn typos() {
    let idx = index();
    // One edit in an 8-letter word.
    let r = run(&idx, q("капучмно"));
    assert_eq!(ids(&r)[0], "cappuccino");
    assert_eq!(r.suggestion.as_deref(), Some("капучино"));
    // A transposition is one edit.
    assert_eq!(find(&idx, "капуично")[0], "cappuccino");
    // Never on the first character.
    assert_eq!(run(&idx, q("лапучино")).total, 0);
    // Two edits in an 8-letter word: too many.
    assert_eq!(run(&idx, q("капучмнл")).total, 0);
    // No typos in words shorter than 5 characters ("пена" is indexed).
    assert_eq!(find(&idx, "пена"), ["cappuccino"]);
    assert_eq!(run(&idx, q("пенв")).total, 0);
    // Two edits in a 10-letter word.
    let r = run(&idx, q("кафемашинна"));
    assert_eq!(ids(&r)[0], "espresso-temp");
    assert_eq!(r.suggestion.as_deref(), Some("кофемашина"));
    // Suggestion keeps the rest of the query; no suggestion when nothing was corrected.
    let r = run(&idx, q("Где  капучмно?"));
    assert_eq!(ids(&r)[0], "cappuccino", "{:?}", r.hits);
    assert_eq!(r.suggestion.as_deref(), Some("Где  капучино?"));
    assert_eq!(run(&idx, q("капучино")).suggestion, None);
}

#[test]
fn exact_beats_word_form_beats_typo() {
    let idx = index();
    // "чашку" (cappuccino), "чашки" (dishes), "чашу" (frappe, one edit): all in steps.
    let r = run(&idx, q("чашку"));
    assert_eq!(ids(&r), ["cappuccino", "dishes", "frappe"]);
    assert!(r.hits[0].score > r.hits[1].score && r.hits[1].score > r.hits[2].score);
    assert_eq!(r.suggestion, None);
}

#[test]
fn title_outweighs_example() {
    let idx = index();
    let hits = find(&idx, "латте");
    assert_eq!(hits, ["latte-art", "frappe"]);
}

#[test]
fn filters() {
    let idx = index();
    let mut query = q("молоко");
    query.track = Some("coffee".into());
    let r = run(&idx, query.clone());
    assert_eq!(r.total, 2);
    assert!(r.hits.iter().all(|h| h.track == "coffee"));
    query.track = Some("bar".into());
    assert_eq!(run(&idx, query).total, 0);

    let mut query = q("гость");
    query.tag = Some("Гость".into());
    let mut got = ids(&run(&idx, query.clone()))
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
    got.sort();
    assert_eq!(got, ["spill", "wifi"]);
    query.tag = None;
    query.stage = Some("зал".into());
    let mut got = ids(&run(&idx, query))
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
    got.sort();
    assert_eq!(got, ["complaint", "spill", "wifi"]);
}

#[test]
fn natural_question() {
    let idx = index();
    let r = run(&idx, q("что делать если гость пролил кофе"));
    assert_eq!(ids(&r)[0], "spill");
    assert_eq!(r.suggestion, None);
    // Stop words alone do not make a card match.
    assert!(!ids(&r).contains(&"dishes"), "{:?}", ids(&r));
    // A question made only of stop words still searches them.
    assert!(run(&idx, q("что")).total > 0);
}

#[test]
fn keyboard_layout() {
    let idx = index();
    let r = run(&idx, q("ntktajy"));
    assert_eq!(ids(&r)[0], "phone");
    assert_eq!(r.suggestion.as_deref(), Some("телефон"));
    assert!(
        r.hits[0].snippet.contains("<mark>телефон</mark>"),
        "{}",
        r.hits[0].snippet
    );
    // Latin words that exist stay as they are.
    let r = run(&idx, q("wi-fi"));
    assert_eq!(ids(&r)[0], "wifi");
    assert_eq!(r.suggestion, None);
}

#[test]
fn snippets() {
    let idx = index();
    let r = run(&idx, q("капучмно"));
    let s = &r.hits[0].snippet;
    assert!(s.contains("<mark>капучино</mark>"), "{s}");
    let r = run(&idx, q("пролила гостю"));
    let spill = r.hits.iter().find(|h| h.id == "spill").unwrap();
    assert!(
        spill.snippet.contains("<mark>Гость</mark>"),
        "{}",
        spill.snippet
    );
    assert!(
        spill.snippet.contains("<mark>пролил</mark>"),
        "{}",
        spill.snippet
    );
    let r = run(&idx, q("пароль"));
    let s = &r.hits[0].snippet;
    assert!(
        s.contains("&lt;script&gt;") && !s.contains("<script"),
        "{s}"
    );
    assert!(s.contains("<mark>пароль</mark>"), "{s}");
    for h in run(&idx, q("coffee пароль")).hits {
        assert!(
            !h.snippet.contains("<b>") && !h.snippet.contains("\"coffee"),
            "{}",
            h.snippet
        );
    }
}

#[test]
fn paging_and_empty_queries() {
    let idx = index();
    let all = run(&idx, q("гость гостя"));
    assert!(all.total >= 5);
    let mut page = q("гость гостя");
    page.limit = 2;
    page.offset = 1;
    let r = run(&idx, page);
    assert_eq!(r.total, all.total);
    assert_eq!(ids(&r), ids(&all)[1..3]);
    for text in ["", "   ", " ,.!"] {
        let mut query = q(text);
        query.track = Some("coffee".into());
        let r = run(&idx, query);
        assert_eq!((r.total, r.hits.len(), r.suggestion), (0, 0, None));
    }
}

#[test]
fn rebuild_apply_stamp() {
    let idx = SearchIndex::in_memory().unwrap();
    assert_eq!((idx.stamp(), idx.doc_count()), (None, 0));
    let docs = corpus();
    let n = docs.len() as u64;
    idx.rebuild(docs.clone(), "v1").unwrap();
    assert_eq!((idx.stamp().as_deref(), idx.doc_count()), (Some("v1"), n));

    let mut phone = docs.iter().find(|d| d.id == "phone").unwrap().clone();
    phone.title = "Смартфон на смене".into();
    let new = SearchDoc {
        id: "tea".into(),
        title: "Заварка чая".into(),
        ..phone.clone()
    };
    let clone = idx.clone();
    clone
        .apply(
            vec![phone, new],
            vec!["wifi".into(), "missing".into()],
            "v2",
        )
        .unwrap();
    assert_eq!((idx.stamp().as_deref(), idx.doc_count()), (Some("v2"), n));
    assert_eq!(run(&idx, q("пароль")).total, 0);
    assert_eq!(find(&idx, "смартфон"), ["phone"]);
    assert_eq!(find(&idx, "чая"), ["tea"]);
    let r = run(&idx, q("телефон"));
    assert_eq!(r.total, 2, "upsert replaced, not duplicated");

    idx.rebuild(docs[..3].to_vec(), "v3").unwrap();
    assert_eq!((idx.stamp().as_deref(), idx.doc_count()), (Some("v3"), 3));
    assert_eq!(run(&idx, q("телефон")).total, 0);
}

#[test]
fn on_disk_reopen_and_recreate() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index");
    {
        let idx = SearchIndex::open_or_create(&path).unwrap();
        assert_eq!(idx.stamp(), None);
        idx.rebuild(corpus(), "disk-1").unwrap();
    }
    {
        let idx = SearchIndex::open_or_create(&path).unwrap();
        assert_eq!(idx.stamp().as_deref(), Some("disk-1"));
        assert_eq!(idx.doc_count(), corpus().len() as u64);
        assert_eq!(find(&idx, "капучмно")[0], "cappuccino");
        idx.apply(vec![], vec!["spill".into()], "disk-2").unwrap();
    }
    {
        let idx = SearchIndex::open_or_create(&path).unwrap();
        assert_eq!(idx.stamp().as_deref(), Some("disk-2"));
        assert_eq!(idx.doc_count(), corpus().len() as u64 - 1);
    }
    // A corrupt index is recreated empty.
    std::fs::write(path.join("meta.json"), b"{not json").unwrap();
    std::fs::write(path.join("notes.txt"), b"keep me").unwrap();
    let idx = SearchIndex::open_or_create(&path).unwrap();
    assert_eq!((idx.stamp(), idx.doc_count()), (None, 0));
    assert!(path.join("notes.txt").exists());
}
