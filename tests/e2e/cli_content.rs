//! The `zhmp` binary's content commands: `check`, `export`, and SIGHUP reloads.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::cli::{run, stderr, zhmp};
use crate::support::{Backend, TestApp};

fn fixtures(kind: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/cards")
        .join(kind)
}

/// `zhmp check` as a content-repository lint: every problem as path:line:column, exit 1 on
/// errors, 0 with only warnings unless --deny-warnings.
#[test]
fn check_reports_every_problem_like_a_compiler() {
    let output = zhmp()
        .args(["check", fixtures("bad").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    for expected in [
        "missing-front-matter.md:1:1: error: file must start with YAML front matter (---)",
        "bad-yaml.md:3:13: error: invalid YAML in front matter",
        "wrong-types.md:7:12: error: field «mandatory» must be true or false",
        "bad-id.md:2:5: error: id «Guest_Says» must match",
        "duplicate-a.md:2:5: error: duplicate id «duplicate-card», also in duplicate-b.md",
        "duplicate-b.md:2:5: error: duplicate id «duplicate-card», also in duplicate-a.md",
        "unknown-track.md:4:8: error: track «tea» is not one of: coffee, service, bar",
        "missing-sections.md:6:1: error:",
        "empty-section.md:16:1: error: section «Пример» is empty",
        "steps-not-ordered.md:11:1: error: section «Действия» must contain a numbered list",
        "taboo-not-list.md:30:1: error: section «Табу» must contain a bulleted list",
        "unknown-heading.md:21:1: error: unknown section «Антипримерр»; did you mean «Антипример»?",
        "text-before-section.md:7:1: error: text before the first section",
        "repeated-section.md:35:1: error: section «Шаги» is repeated (first at line 11)",
        "non-utf8.md:9:15: error: file is not valid UTF-8",
        "empty.md:1:1: error: file is empty",
        "unknown-field.md:5:1: warning: unknown field «author»",
    ] {
        assert!(
            stdout.lines().any(|l| l.contains(expected)),
            "missing «{expected}» in:\n{stdout}"
        );
    }
    assert!(stderr(&output).contains("errors"), "summary on stderr");

    let good = zhmp()
        .args(["check", fixtures("good").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(
        good.status.code(),
        Some(0),
        "warnings alone pass: {}",
        stderr(&good)
    );
    assert!(String::from_utf8_lossy(&good.stdout).contains("summer-lemonade.md:9:1: warning:"));
    let strict = zhmp()
        .args([
            "check",
            "--deny-warnings",
            fixtures("good").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(strict.status.code(), Some(1));
}

/// `zhmp export` writes the current cards back as files that check cleanly and re-import
/// unchanged.
#[tokio::test]
async fn export_writes_cards_back_as_files() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    for file in ["service/guest-says-thanks.md", "coffee/espresso-shot.md"] {
        let target = app.content_dir().join(file);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(fixtures("good").join(file), target).unwrap();
    }
    app.reload_content().await;
    let out = app.dir.path().join("exported");
    let output = run(&app, &["export", out.to_str().unwrap()], "");
    assert!(output.status.success(), "{}", stderr(&output));
    for file in ["service/guest-says-thanks.md", "coffee/espresso-shot.md"] {
        assert_eq!(
            std::fs::read(out.join(file)).unwrap(),
            std::fs::read(fixtures("good").join(file)).unwrap(),
            "{file} exported as imported"
        );
    }
    let check = zhmp()
        .args(["check", "--deny-warnings", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

/// SIGHUP makes a running server re-read its content directory.
#[tokio::test]
async fn sighup_reloads_content() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = crate::cli::ServerProcess::start(dir.path(), &[("ZHMP_LOG", "info")]);
    let wait_for = |needle: &str| {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(20) {
            if let Ok(line) = server.lines.recv_timeout(Duration::from_millis(200))
                && line.contains(needle)
            {
                return true;
            }
        }
        false
    };
    assert!(wait_for("serving on"), "server did not start");
    let hup = Command::new("kill")
        .args(["-HUP", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(hup.success());
    let reloaded = wait_for("SIGHUP: reloading content");
    let still_running = server.child.try_wait().unwrap().is_none();
    assert!(reloaded, "no reload on SIGHUP");
    assert!(still_running, "SIGHUP must not stop the server");
}
