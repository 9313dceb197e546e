//! Any text as a Moodle GIFT file: the importer never panics, and what it imports is a
//! bank the bank parser accepts (what `zhmp import-gift --out` writes, `zhmp check` reads).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhmp::cards::domain::{CardId, Track};
use zhmp::quizzes::domain::gift::{ImportOptions, gift_to_bank};
use zhmp::quizzes::domain::parse_bank;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let card = CardId::parse("fuzz-card").expect("a valid id");
    let options = ImportOptions {
        track: Track::Service,
        card: Some(&card),
        id_prefix: "fuzz",
    };
    let Ok(converted) = gift_to_bank("fuzz.gift", text, &options) else {
        return;
    };
    let mut diags = Vec::new();
    parse_bank("fuzz.yaml", &converted.yaml, &mut diags);
    let errors: Vec<_> = diags
        .iter()
        .filter(|d| d.severity == zhmp::cards::domain::Severity::Error)
        .collect();
    assert!(
        errors.is_empty(),
        "imported bank fails to parse: {errors:?}\n{}",
        converted.yaml
    );
});
