//! What a valid programme is, once parsed (docs/programs.md). Stored as JSON, so an
//! assignment keeps the exact programme revision it was given.

use serde::{Deserialize, Serialize};

use crate::accounts::domain::Level;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Program {
    pub id: String,
    pub title: String,
    pub level: Option<Level>,
    pub description: Option<String>,
    pub stages: Vec<Stage>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    pub title: String,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// Unique within the programme; a skill's id names the skill across programmes.
    pub id: String,
    pub title: String,
    /// Day 1 is the start date.
    pub due_day: u32,
    pub kind: ItemKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ItemKind {
    Read {
        card: String,
    },
    /// A practice quiz drawn from the bank.
    Practice {
        cards: Vec<String>,
        tracks: Vec<String>,
        questions: u32,
        pass_percent: u32,
    },
    /// Pass a quarterly test campaign.
    Quarterly,
    Skill {
        criteria: Vec<String>,
    },
    Event,
}

impl ItemKind {
    /// The word in the file and the API: read, quiz, skill, event.
    pub fn word(&self) -> &'static str {
        match self {
            ItemKind::Read { .. } => "read",
            ItemKind::Practice { .. } | ItemKind::Quarterly => "quiz",
            ItemKind::Skill { .. } => "skill",
            ItemKind::Event => "event",
        }
    }

    pub fn label_ru(&self) -> &'static str {
        match self {
            ItemKind::Read { .. } => "Прочитать",
            ItemKind::Practice { .. } => "Тест",
            ItemKind::Quarterly => "Квартальный тест",
            ItemKind::Skill { .. } => "Навык",
            ItemKind::Event => "Мероприятие",
        }
    }
}

impl Program {
    pub fn items(&self) -> impl Iterator<Item = (&Stage, &Item)> {
        self.stages
            .iter()
            .flat_map(|s| s.items.iter().map(move |i| (s, i)))
    }

    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items().map(|(_, i)| i).find(|i| i.id == id)
    }

    /// Ids of the skills this programme signs off.
    pub fn skills(&self) -> impl Iterator<Item = &Item> {
        self.items()
            .map(|(_, i)| i)
            .filter(|i| matches!(i.kind, ItemKind::Skill { .. }))
    }

    /// The last due day: how long the programme runs.
    pub fn days(&self) -> u32 {
        self.items().map(|(_, i)| i.due_day).max().unwrap_or(0)
    }
}
