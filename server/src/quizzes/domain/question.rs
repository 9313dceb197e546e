//! What a valid question is: its prompt and its answer key (docs/quiz-format.md).

use serde::{Deserialize, Serialize};

use crate::cards::domain::{CardId, Track};

/// `^[a-z0-9][a-z0-9-]{1,63}$`, unique across all banks (the same rule as card ids).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QuestionId(String);

impl QuestionId {
    pub fn parse(raw: &str) -> Result<QuestionId, String> {
        if raw.starts_with("gen-") {
            return Err(format!(
                "question id «{raw}»: ids starting with «gen-» are reserved for generated questions"
            ));
        }
        CardId::parse(raw)
            .map(|id| QuestionId(id.as_str().to_owned()))
            .map_err(|_| {
                format!(
                    "question id «{raw}» must match ^[a-z0-9][a-z0-9-]{{1,63}}$ (latin lowercase, digits, '-')"
                )
            })
    }

    /// The id of a question generated from a card: `prefix` + the card id. Not bound by
    /// the 64-character limit of written ids (a long card id makes a longer one), and the
    /// `gen-` prefix is reserved, so it never clashes with a bank's ids.
    pub fn generated(prefix: &str, card: &str) -> QuestionId {
        QuestionId(format!("{prefix}{card}"))
    }

    pub fn is_generated(&self) -> bool {
        self.0.starts_with("gen-")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for QuestionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The answer types a question can have; the names are the `type:` values of the format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuestionType {
    Single,
    Multiple,
    TrueFalse,
    Short,
    Matching,
    Ordering,
    Numeric,
}

impl QuestionType {
    pub const ALL: [QuestionType; 7] = [
        QuestionType::Single,
        QuestionType::Multiple,
        QuestionType::TrueFalse,
        QuestionType::Short,
        QuestionType::Matching,
        QuestionType::Ordering,
        QuestionType::Numeric,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QuestionType::Single => "single",
            QuestionType::Multiple => "multiple",
            QuestionType::TrueFalse => "true_false",
            QuestionType::Short => "short",
            QuestionType::Matching => "matching",
            QuestionType::Ordering => "ordering",
            QuestionType::Numeric => "numeric",
        }
    }

    pub fn parse(word: &str) -> Option<QuestionType> {
        QuestionType::ALL.into_iter().find(|t| t.as_str() == word)
    }
}

/// An option of a choice question. `weight` is a fraction of the question's mark in
/// [-1, 1]: 1 for the right option of a single-choice question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub text: String,
    pub weight: f64,
    pub feedback: Option<String>,
}

/// An accepted short answer. `*` matches any run of characters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Accepted {
    pub text: String,
    pub weight: f64,
    pub feedback: Option<String>,
}

/// One item of a matching question. An empty `left` is a distractor: its `right` is
/// offered in every drop-down but is the answer to nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pair {
    pub left: String,
    pub right: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NumericTarget {
    /// `value ± tolerance`.
    Near { value: f64, tolerance: f64 },
    /// `min..=max`.
    Range { min: f64, max: f64 },
    /// Any number (GIFT's `*`, usually weight 0 with feedback for wrong answers).
    Any,
}

impl NumericTarget {
    pub fn accepts(self, x: f64) -> bool {
        match self {
            NumericTarget::Near { value, tolerance } => (x - value).abs() <= tolerance + 1e-9,
            NumericTarget::Range { min, max } => x >= min - 1e-9 && x <= max + 1e-9,
            NumericTarget::Any => true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumericAnswer {
    pub target: NumericTarget,
    pub weight: f64,
    pub feedback: Option<String>,
}

/// What counts as right, per type. Stored as JSON with each question revision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "key", rename_all = "snake_case")]
pub enum AnswerKey {
    Single(Vec<Choice>),
    Multiple(Vec<Choice>),
    TrueFalse {
        answer: bool,
        /// Shown when the response was wrong / right (GIFT's two `#` feedbacks).
        feedback_wrong: Option<String>,
        feedback_right: Option<String>,
    },
    Short(Vec<Accepted>),
    Matching(Vec<Pair>),
    Ordering(Vec<String>),
    Numeric(Vec<NumericAnswer>),
}

impl AnswerKey {
    pub fn question_type(&self) -> QuestionType {
        match self {
            AnswerKey::Single(_) => QuestionType::Single,
            AnswerKey::Multiple(_) => QuestionType::Multiple,
            AnswerKey::TrueFalse { .. } => QuestionType::TrueFalse,
            AnswerKey::Short(_) => QuestionType::Short,
            AnswerKey::Matching(_) => QuestionType::Matching,
            AnswerKey::Ordering(_) => QuestionType::Ordering,
            AnswerKey::Numeric(_) => QuestionType::Numeric,
        }
    }
}

/// A valid question of a bank.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub id: QuestionId,
    pub card: CardId,
    pub track: Track,
    pub name: Option<String>,
    pub prompt: String,
    pub explanation: Option<String>,
    pub key: AnswerKey,
    /// 1-based line of the question in its file (0 for generated questions).
    pub line: u32,
}
