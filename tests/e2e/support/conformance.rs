//! Moodle's GIFT conformance files. They are Moodle's own test data (GPL), so they are not
//! copied into this repository: they live in `shared/conformance/gift/` beside the
//! project (CI lays it there), or wherever `ZHMP_GIFT_FIXTURES` points. Without them the
//! conformance tests are skipped with a notice, or fail when
//! `ZHMP_REQUIRE_CONFORMANCE=1` (as in `.ci/run`).

use std::path::PathBuf;

/// The path of one conformance file, or `None` (after a notice) when they are absent.
pub fn gift_file(name: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("ZHMP_GIFT_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance/gift")
        });
    let path = dir.join(name);
    if path.exists() {
        return Some(path);
    }
    let required = std::env::var("ZHMP_REQUIRE_CONFORMANCE").as_deref() == Ok("1");
    assert!(
        !required,
        "{} is missing (ZHMP_REQUIRE_CONFORMANCE=1): put shared/ beside the project or set ZHMP_GIFT_FIXTURES",
        path.display()
    );
    eprintln!(
        "skipping: GIFT conformance file {} not found (set ZHMP_GIFT_FIXTURES)",
        path.display()
    );
    None
}
