//! What a valid card is, once parsed.

use crate::accounts::domain::Level;

/// Direction of the quarterly test a card belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Track {
    Coffee,
    Service,
    Bar,
}

impl Track {
    pub const ALL: [Track; 3] = [Track::Coffee, Track::Service, Track::Bar];

    pub fn as_str(self) -> &'static str {
        match self {
            Track::Coffee => "coffee",
            Track::Service => "service",
            Track::Bar => "bar",
        }
    }

    pub fn label_ru(self) -> &'static str {
        match self {
            Track::Coffee => "Кофе",
            Track::Service => "Сервис",
            Track::Bar => "Бар",
        }
    }

    pub fn parse(word: &str) -> Option<Track> {
        Track::ALL.into_iter().find(|t| t.as_str() == word)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Season {
    All,
    Summer,
    Winter,
}

impl Season {
    pub const ALL: [Season; 3] = [Season::All, Season::Summer, Season::Winter];

    pub fn as_str(self) -> &'static str {
        match self {
            Season::All => "all",
            Season::Summer => "summer",
            Season::Winter => "winter",
        }
    }

    pub fn parse(word: &str) -> Option<Season> {
        Season::ALL.into_iter().find(|s| s.as_str() == word)
    }
}

/// `^[a-z0-9][a-z0-9-]{1,63}$`, unique in the corpus.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CardId(String);

impl CardId {
    pub fn parse(raw: &str) -> Result<CardId, String> {
        let ok = raw.len() >= 2
            && raw.len() <= 64
            && raw.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            && raw
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if ok {
            Ok(CardId(raw.to_owned()))
        } else {
            Err(format!(
                "id «{raw}» must match ^[a-z0-9][a-z0-9-]{{1,63}}$ (latin lowercase, digits, '-')"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FrontMatter {
    pub id: CardId,
    pub title: String,
    pub track: Track,
    pub tags: Vec<String>,
    pub stage: Option<String>,
    pub level: Level,
    pub season: Season,
    pub mandatory: bool,
}

/// One piece of a card: the whole situation, or one step, or one taboo item.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// The Markdown as written (for a list item: the item's own text).
    pub markdown: String,
    /// Rendered HTML, safe to embed: raw HTML is shown as text, unsafe links are dropped.
    pub html: String,
    /// Plain text for search and snippets.
    pub text: String,
    /// 1-based line in the file where it starts.
    pub line: u32,
}

/// A valid card.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    pub front: FrontMatter,
    pub situation: Section,
    pub steps: Vec<Section>,
    pub example: Section,
    pub anti_example: Section,
    pub explanation: Option<Section>,
    pub taboo: Vec<Section>,
}
