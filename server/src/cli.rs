//! The `zhmp` command line.

use std::io::Read;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::accounts::service::bootstrap::{self, CliUser};
use crate::config::{Config, ConfigArgs};
use crate::startup;

#[derive(Debug, Parser)]
#[command(
    name = "zhmp",
    version,
    about = "Staff standards, quarterly tests and onboarding for coffee chains"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web app and API (the default command).
    Serve {
        /// Also seed demo locations and one user per role, printing their passwords.
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Manage user accounts directly in the database (works while the server runs).
    #[command(subcommand)]
    User(UserCommand),
    /// Seed two demo locations and one user per role, printing their passwords.
    Demo,
    /// Validate cards and question banks like a compiler: prints `path:line:column:
    /// error|warning: message` for every problem; exits 1 on any error.
    Check {
        /// The card directory to check (default: the configured content directory).
        dir: Option<std::path::PathBuf>,
        /// The question banks to check against those cards (default: the configured
        /// quizzes directory, if it exists, when DIR is not given).
        #[arg(long)]
        quizzes: Option<std::path::PathBuf>,
        /// Treat warnings as errors (exit 1 on any warning too).
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Convert a Moodle GIFT file into a question bank (docs/gift.md).
    ImportGift {
        /// The GIFT file.
        file: std::path::PathBuf,
        /// The bank's direction: coffee | service | bar.
        #[arg(long)]
        track: String,
        /// The card for questions whose $CATEGORY does not end with a card id.
        #[arg(long)]
        card: Option<String>,
        /// Where to write the bank (e.g. quizzes/imported.yaml); stdout when omitted.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Write a consistent snapshot of the SQLite database to FILE while the server runs
    /// (for PostgreSQL use pg_dump; docs/operations.md).
    Backup {
        /// The snapshot to create; it must not exist yet.
        file: std::path::PathBuf,
    },
    /// Write every current card back as Markdown files under DIR (for a content repository).
    Export { dir: std::path::PathBuf },
    /// Write a synthetic corpus of valid cards under DIR, for load tests and benchmarks.
    GenCorpus {
        dir: std::path::PathBuf,
        /// How many cards.
        #[arg(long, default_value_t = 10_000)]
        count: usize,
        /// Seed: the same seed gives the same corpus.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user; the password is read from standard input.
    Add {
        /// Login: 2–32 latin letters, digits, '.', '_', '-'.
        login: String,
        /// staff | trainer | hr | admin
        #[arg(long)]
        role: String,
        /// Display name (defaults to the login).
        #[arg(long)]
        name: Option<String>,
        /// Location name or id.
        #[arg(long)]
        location: Option<String>,
        /// trainee | barista | senior | leader (default trainee).
        #[arg(long)]
        level: Option<String>,
        /// Read the password from standard input (first line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Set a user's password from standard input; their sessions end.
    Passwd {
        login: String,
        /// Read the password from standard input (first line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = Config::resolve(&cli.config)?;
    crate::telemetry::init(&config);
    match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Serve { demo } => serve(config, demo).await,
        Command::Migrate => {
            startup::prepare_offline(config).await?;
            eprintln!("zhmp: database is up to date");
            Ok(())
        }
        Command::User(command) => user(config, command).await,
        Command::Demo => {
            let state = startup::prepare_offline(config).await?;
            print_demo(&state).await
        }
        Command::Check {
            dir,
            quizzes,
            deny_warnings,
        } => {
            // The configured banks are checked when they exist (a content-only repository
            // has none); an explicit --quizzes must exist.
            let configured =
                Some(config.quizzes_dir.clone()).filter(|q| dir.is_none() && q.is_dir());
            let quizzes = quizzes.or(configured);
            let dir = dir.unwrap_or_else(|| config.content_dir.clone());
            crate::content_cli::check(&dir, quizzes.as_deref(), deny_warnings)
        }
        Command::ImportGift {
            file,
            track,
            card,
            out,
        } => crate::content_cli::import_gift(&file, &track, card.as_deref(), out.as_ref()),
        Command::GenCorpus { dir, count, seed } => {
            crate::cards::synthetic::write_corpus(&dir, count, seed)
                .with_context(|| format!("cannot write under {}", dir.display()))?;
            eprintln!(
                "zhmp: wrote {count} synthetic cards under {}",
                dir.display()
            );
            Ok(())
        }
        Command::Backup { file } => {
            if let Some(path) = crate::db::sqlite_file(&config.database_url) {
                anyhow::ensure!(path.exists(), "there is no database at {}", path.display());
            }
            // No migrations: a backup taken before an upgrade must be of the old schema.
            let db = crate::db::Db::connect(&config.database_url)
                .await
                .with_context(|| {
                    format!(
                        "cannot open the database {}",
                        startup::redact(&config.database_url)
                    )
                })?;
            let snapshot = crate::backup::backup(&db, &file).await?;
            eprintln!(
                "zhmp: backup written to {} ({} bytes: {} users, {} cards, {} attempts); integrity check ok",
                snapshot.path.display(),
                snapshot.bytes,
                snapshot.users,
                snapshot.cards,
                snapshot.attempts
            );
            Ok(())
        }
        Command::Export { dir } => {
            let state = startup::prepare_offline(config).await?;
            let written = crate::cards::service::editor::export(&state, &dir).await?;
            eprintln!("zhmp: wrote {written} cards under {}", dir.display());
            Ok(())
        }
    }
}

async fn serve(config: Config, demo: bool) -> anyhow::Result<()> {
    let addr = config.addr;
    let state = startup::prepare(config).await?;
    startup::announce_first_admin(&state).await?;
    if demo {
        print_demo(&state).await?;
    }
    let listener =
        std::net::TcpListener::bind(addr).with_context(|| format!("cannot listen on {addr}"))?;
    startup::serve(state, listener, startup::shutdown_signal()).await
}

async fn user(config: Config, command: UserCommand) -> anyhow::Result<()> {
    let state = startup::prepare_offline(config).await?;
    match command {
        UserCommand::Add {
            login,
            role,
            name,
            location,
            level,
            password_stdin: _,
        } => {
            let password = read_password()?;
            let row = bootstrap::add_user(
                &state,
                CliUser {
                    login,
                    role,
                    name,
                    level,
                    location,
                    password,
                },
            )
            .await?;
            eprintln!(
                "zhmp: created user {} ({}, id {})",
                row.login, row.role, row.id
            );
        }
        UserCommand::Passwd {
            login,
            password_stdin: _,
        } => {
            let password = read_password()?;
            bootstrap::set_password(&state, &login, &password).await?;
            eprintln!("zhmp: password changed for {login}; their sessions have ended");
        }
    }
    Ok(())
}

/// The first line of standard input, without its line ending.
fn read_password() -> anyhow::Result<String> {
    let mut input = String::new();
    std::io::stdin()
        .take(4096)
        .read_to_string(&mut input)
        .context("cannot read the password from standard input")?;
    let line = input.lines().next().unwrap_or_default().to_owned();
    anyhow::ensure!(!line.is_empty(), "no password on standard input");
    Ok(line)
}

async fn print_demo(state: &crate::state::AppState) -> anyhow::Result<()> {
    let accounts = bootstrap::seed_demo(state).await?;
    // The demo trainee starts the shipped internship with the demo barista as mentor
    // (when the content has it), so every home page has something to show.
    crate::cards::service::import::import(state)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.detail))?;
    let internship = crate::onboarding::service::assignments::seed_demo(state)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.detail))?;
    eprintln!("\nzhmp: demo accounts (two locations seeded):");
    for account in accounts {
        eprintln!(
            "  {:<13} {:<8} {:<8} password: {}",
            account.login,
            account.role.as_str(),
            account.level.as_str(),
            account.password.expose()
        );
    }
    if internship {
        eprintln!("  demo-trainee is on the barista internship, mentored by demo-staff");
    }
    eprintln!();
    Ok(())
}
