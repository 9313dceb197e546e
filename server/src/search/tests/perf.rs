//! Timing on a synthetic 10k-card corpus: `cargo test -p zhmp --lib search:: -- --ignored`.

use std::time::Instant;

use crate::search::{SearchDoc, SearchIndex, SearchQuery};

const WORDS: &[&str] = &[
    "гость",
    "гостя",
    "гостю",
    "кофе",
    "капучино",
    "латте",
    "молоко",
    "молока",
    "эспрессо",
    "бариста",
    "чашка",
    "чашку",
    "стойка",
    "касса",
    "заказ",
    "заказа",
    "напиток",
    "напитка",
    "температура",
    "кофемашина",
    "кофемашины",
    "смена",
    "смены",
    "улыбка",
    "приветствие",
    "жалоба",
    "сироп",
    "сахар",
    "десерт",
    "салфетки",
    "посуда",
    "уборка",
    "открытие",
    "закрытие",
    "телефон",
    "очередь",
    "оплата",
    "карта",
    "чек",
    "скидка",
    "бонус",
    "пролил",
    "пролила",
];

/// Cards whose words follow a roughly Zipfian distribution over a ~30k-word vocabulary:
/// the real words above are the most frequent, then pseudo-words built from syllables.
fn synthetic(n: usize) -> Vec<SearchDoc> {
    const SYLLABLES: &[&str] = &[
        "ка", "ло", "ми", "ре", "ту", "на", "во", "зе", "пу", "ши", "да", "бо", "ге", "жу", "ны",
        "ря", "сю", "фа", "хо", "це", "чи", "ще", "эл", "юн", "ям", "ор", "ус", "ип",
    ];
    let mut vocab: Vec<String> = WORDS.iter().map(|w| w.to_string()).collect();
    for a in SYLLABLES {
        for b in SYLLABLES {
            for c in SYLLABLES {
                for end in ["", "а", "ом", "ы"] {
                    vocab.push(format!("{a}{b}{c}{end}"));
                }
            }
        }
    }
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let len = vocab.len() as f64;
    let mut text = |words: usize| -> String {
        (0..words)
            .map(|_| {
                let u = (next() % 1_000_000) as f64 / 1_000_000.0;
                vocab[(len.powf(u) as usize).saturating_sub(1)].as_str()
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    (0..n)
        .map(|i| SearchDoc {
            id: format!("card-{i}"),
            title: text(5),
            track: ["coffee", "service", "bar"][i % 3].into(),
            tags: vec![text(1)],
            stage: None,
            situation: text(25),
            steps: (0..4).map(|_| text(15)).collect(),
            example: text(25),
            anti_example: text(15),
            explanation: text(30),
            taboo: vec![text(10)],
        })
        .collect()
}

#[test]
#[ignore = "timing; run explicitly"]
fn search_latency_10k() {
    let idx = SearchIndex::in_memory().unwrap();
    let t = Instant::now();
    idx.rebuild(synthetic(10_000), "perf").unwrap();
    eprintln!("indexing 10k cards: {:?}", t.elapsed());
    let queries = [
        "что делать если гость пролил кофе",
        "капучмно",
        "кафемашинна температура",
        "ntktajy",
        "гостю",
        "молоко сироп сахар десерт",
        "каломиа тушина",
        "каломи",
    ];
    for text in queries {
        let query = SearchQuery {
            q: text.into(),
            ..Default::default()
        };
        idx.search(&query).unwrap();
        let mut times: Vec<f64> = (0..50)
            .map(|_| {
                let t = Instant::now();
                idx.search(&query).unwrap();
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        times.sort_by(f64::total_cmp);
        let total = idx.search(&query).unwrap().total;
        eprintln!(
            "{text:?}: total {total}, p50 {:.2} ms, p99 {:.2} ms",
            times[25], times[49]
        );
    }
    // 16 concurrent clients, each running every query 20 times.
    let t = Instant::now();
    let mut all: Vec<f64> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..16)
            .map(|_| {
                let idx = idx.clone();
                scope.spawn(move || {
                    let mut times = Vec::new();
                    for _ in 0..20 {
                        for text in queries {
                            let query = SearchQuery {
                                q: text.into(),
                                ..Default::default()
                            };
                            let t = Instant::now();
                            idx.search(&query).unwrap();
                            times.push(t.elapsed().as_secs_f64() * 1000.0);
                        }
                    }
                    times
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    all.sort_by(f64::total_cmp);
    eprintln!(
        "16 clients: {} searches in {:?}, p50 {:.2} ms, p99 {:.2} ms ({} CPUs)",
        all.len(),
        t.elapsed(),
        all[all.len() / 2],
        all[all.len() * 99 / 100],
        std::thread::available_parallelism().map_or(0, |n| n.get()),
    );
}
