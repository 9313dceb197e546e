//! Writing ЖМП cards for tests.

use std::path::Path;

/// A valid card in the card format.
pub struct CardText<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub track: &'a str,
    pub level: &'a str,
    pub mandatory: bool,
    pub tags: &'a [&'a str],
    pub stage: &'a str,
    pub situation: &'a str,
    pub steps: &'a [&'a str],
    pub example: &'a str,
    pub anti_example: &'a str,
    pub taboo: &'a [&'a str],
}

impl Default for CardText<'_> {
    fn default() -> Self {
        CardText {
            id: "guest-says-thanks",
            title: "Гость говорит «спасибо»",
            track: "service",
            level: "trainee",
            mandatory: true,
            tags: &["речь", "благодарность"],
            stage: "farewell",
            situation: "Гость забирает напиток и говорит «спасибо».",
            steps: &[
                "Посмотрите гостю в глаза.",
                "Улыбнитесь.",
                "Ответите: «Спасибо вам!»",
            ],
            example: "— Спасибо! — Спасибо вам, хорошего дня!",
            anti_example: "— Спасибо! — Угу.",
            taboo: &["Молчать в ответ", "Отвечать «не за что»"],
        }
    }
}

impl CardText<'_> {
    pub fn render(&self) -> String {
        let steps: String = self
            .steps
            .iter()
            .enumerate()
            .map(|(n, s)| format!("{}. {s}\n", n + 1))
            .collect();
        let taboo: String = self.taboo.iter().map(|t| format!("- {t}\n")).collect();
        format!(
            "---\nid: {}\ntitle: {}\ntrack: {}\ntags: [{}]\nstage: {}\nlevel: {}\nmandatory: {}\n---\n\n\
             ## Ситуация\n\n{}\n\n## Действия\n\n{steps}\n## Пример\n\n{}\n\n## Антипример\n\n{}\n\n\
             ## Пояснение\n\nТак гость чувствует, что ему рады.\n\n## Табу\n\n{taboo}",
            self.id,
            // Quoted: a title may contain a colon, which plain YAML would misread.
            serde_json::to_string(self.title).unwrap(),
            self.track,
            self.tags.join(", "),
            self.stage,
            self.level,
            self.mandatory,
            self.situation,
            self.example,
            self.anti_example,
        )
    }

    /// Writes the card as `<content>/<track>/<id>.md`.
    pub fn write(&self, content_dir: &Path) {
        let dir = content_dir.join(self.track);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{}.md", self.id)), self.render()).unwrap();
    }
}
