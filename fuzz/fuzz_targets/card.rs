//! Any bytes as a card file: the parser never panics, every problem points inside the
//! file, and a card it accepts is written back (`zhmp export`) as a file it accepts again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhmp::cards::domain::{parse_card, render_markdown, render_source};

fuzz_target!(|data: &[u8]| {
    let parsed = parse_card("fuzz/card.md", data);
    // Line breaks as YAML and editors count them: \n, \r\n, and a lone \r.
    let text = String::from_utf8_lossy(data).replace("\r\n", "\n");
    let lines = text.split(['\n', '\r']).count() as u32;
    for d in &parsed.diagnostics {
        assert!(d.line <= lines + 1, "{d:?} is past the end ({lines} lines)");
    }
    let Some(card) = parsed.card else { return };
    for section in [&card.situation, &card.example, &card.anti_example] {
        render_markdown(&section.markdown);
    }
    let exported = render_source(&card);
    let again = parse_card("fuzz/card.md", exported.as_bytes());
    assert!(
        again.card.is_some(),
        "an accepted card exports to a file that fails: {:?}\n{exported}",
        again.diagnostics
    );
});
