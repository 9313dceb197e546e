//! Any text as an onboarding programme: the parser never panics and every problem points
//! inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhmp::onboarding::domain::parse::parse_program;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut diags = Vec::new();
    parse_program("fuzz/program.yaml", text, &mut diags);
    // Line breaks as YAML counts them: \n, \r\n, and a lone \r.
    let lines = text.replace("\r\n", "\n").split(['\n', '\r']).count() as u32;
    for d in &diags {
        assert!(d.line <= lines + 1, "{d:?} is past the end ({lines} lines)");
    }
});
