//! Runtime configuration.
//!
//! Precedence is flags > environment > TOML file (`--config`) > defaults. Clap already
//! merges flags with environment variables, so every field here is an `Option` that falls
//! back to the file and then to the built-in default. Everything is validated once, in
//! [`Config::resolve`], so the server fails at startup rather than on the first request.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Settings a user may give on the command line or in the environment.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ConfigArgs {
    /// Optional TOML file with the same settings (snake_case keys).
    #[arg(long, global = true, env = "ZHMP_CONFIG")]
    pub config: Option<PathBuf>,
    /// Address to listen on.
    #[arg(long, global = true, env = "ZHMP_ADDR")]
    pub addr: Option<String>,
    /// `sqlite://PATH` or `postgres://USER@HOST/DB`.
    #[arg(long, global = true, env = "ZHMP_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Directory with ЖМП cards (Markdown).
    #[arg(long, global = true, env = "ZHMP_CONTENT_DIR")]
    pub content_dir: Option<PathBuf>,
    /// Directory with quiz banks (YAML).
    #[arg(long, global = true, env = "ZHMP_QUIZZES_DIR")]
    pub quizzes_dir: Option<PathBuf>,
    /// Directory for local state: the SQLite file, the search index.
    #[arg(long, global = true, env = "ZHMP_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Log filter, e.g. `info` or `zhmp=debug,poem=info`.
    #[arg(long, global = true, env = "ZHMP_LOG")]
    pub log: Option<String>,
    /// Log format: `text` or `json`.
    #[arg(long, global = true, env = "ZHMP_LOG_FORMAT")]
    pub log_format: Option<String>,
    /// Mark cookies `Secure` (set when serving over HTTPS).
    #[arg(long, global = true, env = "ZHMP_SECURE_COOKIES")]
    pub secure_cookies: Option<bool>,
}

/// The same settings as read from a TOML file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    addr: Option<String>,
    database_url: Option<String>,
    content_dir: Option<PathBuf>,
    quizzes_dir: Option<PathBuf>,
    data_dir: Option<PathBuf>,
    log: Option<String>,
    log_format: Option<String>,
    secure_cookies: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// Validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub database_url: String,
    pub content_dir: PathBuf,
    pub quizzes_dir: PathBuf,
    pub data_dir: PathBuf,
    pub log: String,
    pub log_format: LogFormat,
    pub secure_cookies: bool,
}

/// A configuration problem, phrased for the person starting the server.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration: {0}")]
pub struct ConfigError(pub String);

impl Config {
    pub fn resolve(args: &ConfigArgs) -> Result<Config, ConfigError> {
        let file = match &args.config {
            Some(path) => read_file(path)?,
            None => FileConfig::default(),
        };
        let addr_text = pick(args.addr.clone(), file.addr, || "127.0.0.1:8080".into());
        let addr = addr_text.parse().map_err(|_| {
            ConfigError(format!(
                "addr (--addr / ZHMP_ADDR): «{addr_text}» is not an address like 127.0.0.1:8080"
            ))
        })?;
        let data_dir = pick(args.data_dir.clone(), file.data_dir, || "data".into());
        let database_url = pick(args.database_url.clone(), file.database_url, || {
            format!("sqlite://{}", data_dir.join("zhmp.db").display())
        });
        check_database_url(&database_url)?;
        let log_format = match pick(args.log_format.clone(), file.log_format, || "text".into())
            .as_str()
        {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            other => {
                return Err(ConfigError(format!(
                    "log_format (--log-format / ZHMP_LOG_FORMAT): «{other}» is not one of: text, json"
                )));
            }
        };
        let log = pick(args.log.clone(), file.log, || "info".into());
        if tracing_subscriber::EnvFilter::try_new(&log).is_err() {
            return Err(ConfigError(format!(
                "log (--log / ZHMP_LOG): «{log}» is not a log filter such as info or zhmp=debug"
            )));
        }
        Ok(Config {
            addr,
            database_url,
            content_dir: pick(args.content_dir.clone(), file.content_dir, || {
                "content".into()
            }),
            quizzes_dir: pick(args.quizzes_dir.clone(), file.quizzes_dir, || {
                "quizzes".into()
            }),
            data_dir,
            log,
            log_format,
            secure_cookies: pick(args.secure_cookies, file.secure_cookies, || false),
        })
    }

    /// A configuration for tests and tools: everything default but the given paths.
    pub fn for_paths(database_url: &str, data_dir: &Path) -> Config {
        Config {
            addr: "127.0.0.1:0".parse().expect("static address"),
            database_url: database_url.to_owned(),
            content_dir: data_dir.join("content"),
            quizzes_dir: data_dir.join("quizzes"),
            data_dir: data_dir.to_owned(),
            log: "warn".into(),
            log_format: LogFormat::Text,
            secure_cookies: false,
        }
    }
}

fn pick<T>(flag_or_env: Option<T>, file: Option<T>, default: impl FnOnce() -> T) -> T {
    flag_or_env.or(file).unwrap_or_else(default)
}

fn read_file(path: &Path) -> Result<FileConfig, ConfigError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError(format!("cannot read {}: {e}", path.display())))?;
    toml::from_str(&text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start].matches('\n').count() + 1)
            .unwrap_or(1);
        ConfigError(format!("{}:{line}: {}", path.display(), e.message()))
    })
}

fn check_database_url(url: &str) -> Result<(), ConfigError> {
    let ok = ["sqlite:", "postgres://", "postgresql://"]
        .iter()
        .any(|scheme| url.starts_with(scheme));
    if ok {
        Ok(())
    } else {
        Err(ConfigError(format!(
            "database_url (--database-url / ZHMP_DATABASE_URL): «{url}» must start with sqlite:// or postgres://"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_sqlite_under_data() {
        let config = Config::resolve(&ConfigArgs::default()).unwrap();
        assert_eq!(config.addr.to_string(), "127.0.0.1:8080");
        assert_eq!(config.database_url, "sqlite://data/zhmp.db");
        assert_eq!(config.log_format, LogFormat::Text);
    }

    #[test]
    fn flags_win_over_file() {
        let dir = std::env::temp_dir().join(format!("zhmp-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("zhmp.toml");
        std::fs::write(&file, "addr = \"0.0.0.0:9000\"\nlog = \"debug\"\n").unwrap();
        let args = ConfigArgs {
            config: Some(file),
            addr: Some("127.0.0.1:7000".into()),
            ..Default::default()
        };
        let config = Config::resolve(&args).unwrap();
        assert_eq!(config.addr.to_string(), "127.0.0.1:7000");
        assert_eq!(config.log, "debug");
    }

    #[test]
    fn bad_values_name_the_setting() {
        let args = ConfigArgs {
            addr: Some("nowhere".into()),
            ..Default::default()
        };
        let err = Config::resolve(&args).unwrap_err().to_string();
        assert!(err.contains("ZHMP_ADDR"), "{err}");
        let args = ConfigArgs {
            database_url: Some("mysql://x".into()),
            ..Default::default()
        };
        let err = Config::resolve(&args).unwrap_err().to_string();
        assert!(err.contains("ZHMP_DATABASE_URL"), "{err}");
    }

    #[test]
    fn unknown_file_keys_are_reported_with_line() {
        let dir = std::env::temp_dir().join(format!("zhmp-config-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("zhmp.toml");
        std::fs::write(&file, "addr = \"127.0.0.1:1\"\nport = 5\n").unwrap();
        let args = ConfigArgs {
            config: Some(file),
            ..Default::default()
        };
        let err = Config::resolve(&args).unwrap_err().to_string();
        assert!(err.contains("zhmp.toml:2"), "{err}");
    }
}
