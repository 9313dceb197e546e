//! The content tools of the command line: `zhmp check` (cards, programmes, certification
//! rules and question banks) and
//! `zhmp import-gift`. They read files only; no database, no server.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::cards::domain::{CardId, Diagnostic, Severity, Track, check_corpus};
use crate::cards::service::import::{read_dir, read_files};
use crate::quizzes::domain::gift::{ImportOptions, gift_to_bank, id_prefix};
use crate::quizzes::domain::{check_banks, is_bank_path};

/// `zhmp check`: cards under `content`, and banks under `quizzes` when given (bank paths
/// are shown under that directory). Diagnostics on stdout, a summary on stderr, failure
/// on errors (or on warnings with `deny_warnings`).
pub fn check(content: &Path, quizzes: Option<&Path>, deny_warnings: bool) -> anyhow::Result<()> {
    let files = read_dir(content).with_context(|| format!("cannot read {}", content.display()))?;
    let (cards, mut diagnostics) = check_corpus(&files);
    let mut summary = format!(
        "checked {} files in {}: {} cards",
        files.len(),
        content.display(),
        cards.len()
    );
    let card_ids = cards
        .iter()
        .map(|(_, c)| c.front.id.as_str().to_owned())
        .collect();
    let careers = crate::onboarding::service::load::check_dir(content, &card_ids)
        .with_context(|| format!("cannot read {}", content.display()))?;
    summary.push_str(&format!(
        "; {} programmes{}",
        careers.programs.len(),
        if careers.rules.is_some() {
            ", certification rules"
        } else {
            ""
        }
    ));
    diagnostics.extend(careers.diagnostics);
    if let Some(quizzes) = quizzes {
        let bank_files = read_files(quizzes, is_bank_path)
            .with_context(|| format!("cannot read {}", quizzes.display()))?;
        let tracks: BTreeMap<CardId, Track> = cards
            .iter()
            .map(|(_, c)| (c.front.id.clone(), c.front.track))
            .collect();
        let (banks, bank_diagnostics) = check_banks(&bank_files, &tracks);
        let questions: usize = banks.iter().map(|(_, b)| b.questions.len()).sum();
        summary.push_str(&format!(
            "; {} banks in {} ({} valid, {questions} questions)",
            bank_files.len(),
            quizzes.display(),
            banks.len()
        ));
        diagnostics.extend(bank_diagnostics.into_iter().map(|mut d| {
            d.file = format!("{}", quizzes.join(&d.file).display());
            d
        }));
    }
    for diagnostic in &diagnostics {
        println!("{diagnostic}");
    }
    let errors = count(&diagnostics, Severity::Error);
    let warnings = count(&diagnostics, Severity::Warning);
    eprintln!("zhmp: {summary}, {errors} errors, {warnings} warnings");
    if errors > 0 || (deny_warnings && warnings > 0) {
        anyhow::bail!("content check failed");
    }
    Ok(())
}

fn count(diagnostics: &[Diagnostic], severity: Severity) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .count()
}

/// `zhmp import-gift`: converts a GIFT file into a bank, written to `out` (replacing it
/// atomically) or to stdout. Problems go to stderr; any error writes nothing.
pub fn import_gift(
    file: &Path,
    track: &str,
    card: Option<&str>,
    out: Option<&PathBuf>,
) -> anyhow::Result<()> {
    let track = Track::parse(track)
        .with_context(|| format!("--track «{track}» is not one of: coffee, service, bar"))?;
    let card = card
        .map(CardId::parse)
        .transpose()
        .map_err(|m| anyhow::anyhow!("--card: {m}"))?;
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let name = file.display().to_string();
    let source = crate::cards::domain::decode(&name, &bytes).map_err(|d| anyhow::anyhow!("{d}"))?;
    let stem_source = out.unwrap_or(&file.to_path_buf()).clone();
    let prefix = id_prefix(
        &stem_source
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
    );
    let options = ImportOptions {
        track,
        card: card.as_ref(),
        id_prefix: &prefix,
    };
    let converted = match gift_to_bank(&name, &source, &options) {
        Ok(converted) => converted,
        Err(problems) => {
            for p in &problems {
                eprintln!("{p}");
            }
            anyhow::bail!(
                "{} has {} errors; nothing was written",
                file.display(),
                count(&problems, Severity::Error)
            );
        }
    };
    for w in &converted.warnings {
        eprintln!("{w}");
    }
    match out {
        Some(out) => {
            write_atomically(out, converted.yaml.as_bytes())?;
            eprintln!(
                "zhmp: imported {} questions into {} ({} skipped)",
                converted.questions.len(),
                out.display(),
                converted.warnings.len()
            );
        }
        None => print!("{}", converted.yaml),
    }
    Ok(())
}

/// Writes through a temporary file in the same directory, so a reader (the server's
/// watcher) never sees half a file.
fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
    let dir = dir.unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let tmp = dir.join(format!(
        ".{}.tmp",
        path.file_name()
            .map_or("bank".into(), |n| n.to_string_lossy())
    ));
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
