//! Route names as the API documents them.
//!
//! poem-openapi registers `/users/{id}` with poem as `/users/:param0`, so the matched
//! pattern and path-parameter errors speak of `param0`. This table, built once from the
//! OpenAPI document, maps them back: metrics are labelled `/api/v1/users/{id}` and a bad
//! path parameter is reported as field `id`.

use std::collections::HashMap;

#[derive(Debug, Default)]
pub struct RouteNames {
    /// poem pattern → (documented path, parameter names in order).
    by_pattern: HashMap<String, (String, Vec<String>)>,
}

impl RouteNames {
    /// `prefix` is where the API is nested (`/api/v1`).
    pub fn from_spec(spec_json: &str, prefix: &str) -> RouteNames {
        let spec: serde_json::Value = serde_json::from_str(spec_json).unwrap_or_default();
        let mut by_pattern = HashMap::new();
        for path in spec["paths"]
            .as_object()
            .into_iter()
            .flat_map(|paths| paths.keys())
        {
            let mut names = Vec::new();
            let pattern: Vec<String> = path
                .split('/')
                .map(
                    |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                        Some(name) => {
                            let poem = format!(":param{}", names.len());
                            names.push(name.to_owned());
                            poem
                        }
                        None => segment.to_owned(),
                    },
                )
                .collect();
            by_pattern.insert(
                format!("{prefix}{}", pattern.join("/")),
                (format!("{prefix}{path}"), names),
            );
        }
        RouteNames { by_pattern }
    }

    /// The documented form of a matched pattern, or the pattern itself.
    pub fn display<'a>(&'a self, pattern: &'a str) -> &'a str {
        self.by_pattern
            .get(pattern)
            .map_or(pattern, |(path, _)| path.as_str())
    }

    /// The documented name of poem's `paramN` in a matched pattern.
    pub fn param_name(&self, pattern: &str, poem_name: &str) -> Option<&str> {
        let index: usize = poem_name.strip_prefix("param")?.parse().ok()?;
        let (_, names) = self.by_pattern.get(pattern)?;
        names.get(index).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_poem_patterns_to_documented_paths() {
        let spec = r#"{"paths": {"/users/{id}": {}, "/me": {}, "/a/{x}/b/{y}": {}}}"#;
        let names = RouteNames::from_spec(spec, "/api/v1");
        assert_eq!(names.display("/api/v1/users/:param0"), "/api/v1/users/{id}");
        assert_eq!(names.display("/api/v1/me"), "/api/v1/me");
        assert_eq!(names.display("/login"), "/login");
        assert_eq!(
            names.param_name("/api/v1/a/:param0/b/:param1", "param1"),
            Some("y")
        );
        assert_eq!(names.param_name("/api/v1/me", "param0"), None);
    }
}
