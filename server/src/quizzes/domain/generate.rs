//! Questions generated from cards: "put the steps in order" for every card with 3 or more
//! steps, and "which of these must never be done" for every card with a taboo list. They
//! are rebuilt from the card's current revision, so they follow every edit.

use super::question::{AnswerKey, Choice, Question, QuestionId};
use crate::cards::domain::Card;

/// Fewer steps than this make no ordering question.
const MIN_STEPS: usize = 3;
/// Steps offered beside the taboo item in the "never" question.
const DISTRACTORS: usize = 3;

/// Bump whenever [`questions_from_card`] would give different questions for the same card:
/// the next import then remakes every card's questions instead of trusting the stored ones.
pub const GENERATOR_VERSION: i32 = 1;

pub const ORDER_PREFIX: &str = "gen-order-";
pub const TABOO_PREFIX: &str = "gen-taboo-";

/// The questions a card yields (zero, one or two).
pub fn questions_from_card(card: &Card) -> Vec<Question> {
    let front = &card.front;
    let mut out = Vec::new();
    let steps: Vec<String> = card.steps.iter().map(|s| one_line(&s.text)).collect();
    if steps.len() >= MIN_STEPS {
        out.push(Question {
            id: QuestionId::generated(ORDER_PREFIX, front.id.as_str()),
            card: front.id.clone(),
            track: front.track,
            name: None,
            prompt: format!(
                "Карточка «{}». Расставьте шаги в правильном порядке.",
                front.title
            ),
            explanation: Some(format!("Порядок шагов — из стандарта «{}».", front.title)),
            key: AnswerKey::Ordering(steps.clone()),
            line: 0,
        });
    }
    if let Some(taboo) = card.taboo.first() {
        let taboo = one_line(&taboo.text);
        let mut options = vec![Choice {
            text: taboo.clone(),
            weight: 1.0,
            feedback: None,
        }];
        for step in steps.iter().filter(|s| **s != taboo).take(DISTRACTORS) {
            options.push(Choice {
                text: step.clone(),
                weight: 0.0,
                feedback: None,
            });
        }
        if options.len() >= 2 {
            // The taboo item is not always first: its place follows from the card id, so
            // it stays put across revisions but differs between cards.
            let at = front.id.as_str().bytes().map(usize::from).sum::<usize>() % options.len();
            options.swap(0, at);
            out.push(Question {
                id: QuestionId::generated(TABOO_PREFIX, front.id.as_str()),
                card: front.id.clone(),
                track: front.track,
                name: None,
                prompt: format!(
                    "Карточка «{}». Что из этого делать нельзя никогда?",
                    front.title
                ),
                explanation: Some(format!(
                    "«{taboo}» — в списке «Табу» стандарта «{}»; остальное — шаги стандарта.",
                    front.title
                )),
                key: AnswerKey::Single(options),
                line: 0,
            });
        }
    }
    out
}

/// Card text as one line (list items can span lines).
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cards::domain::parse_card;

    const CARD: &str = "---\nid: service-thanks-reply\ntitle: Гость говорит «спасибо»\ntrack: service\n---\n\n## Ситуация\n\nГость благодарит.\n\n## Действия\n\n1. Посмотрите на гостя.\n2. Улыбнитесь.\n3. Скажите «Спасибо вам!».\n\n## Пример\n\n«Спасибо вам!»\n\n## Антипример\n\n«Не за что».\n\n## Пояснение\n\nТепло в ответ.\n\n## Табу\n\n- «Не за что».\n- Молчать.\n";

    /// Stored generated questions are trusted while their card and GENERATOR_VERSION are
    /// unchanged. If this fails, the generator's output changed: bump GENERATOR_VERSION
    /// (so imports remake every card's questions) and record the new fingerprint.
    #[test]
    fn a_changed_generator_bumps_its_version() {
        use sha2::{Digest, Sha256};
        let card = parse_card("t.md", CARD.as_bytes())
            .card
            .expect("valid card");
        let output = format!("{:?}", questions_from_card(&card));
        let fingerprint = hex::encode(Sha256::digest(output.as_bytes()));
        assert_eq!(
            (GENERATOR_VERSION, &fingerprint[..16]),
            (1, "db7f3c2d53eeb5a4"),
            "the generated questions changed: bump GENERATOR_VERSION"
        );
    }

    #[test]
    fn a_card_yields_an_ordering_and_a_taboo_question() {
        let card = parse_card("t.md", CARD.as_bytes())
            .card
            .expect("valid card");
        let qs = questions_from_card(&card);
        assert_eq!(qs.len(), 2);
        assert_eq!(qs[0].id.as_str(), "gen-order-service-thanks-reply");
        assert_eq!(
            qs[0].key,
            AnswerKey::Ordering(vec![
                "Посмотрите на гостя.".into(),
                "Улыбнитесь.".into(),
                "Скажите «Спасибо вам!».".into()
            ])
        );
        assert_eq!(qs[1].id.as_str(), "gen-taboo-service-thanks-reply");
        let AnswerKey::Single(options) = &qs[1].key else {
            panic!("{:?}", qs[1].key)
        };
        assert_eq!(options.len(), 4);
        let right: Vec<_> = options.iter().filter(|o| o.weight == 1.0).collect();
        assert_eq!(right.len(), 1);
        assert_eq!(right[0].text, "«Не за что».");
    }

    #[test]
    fn short_cards_get_no_ordering_question() {
        let two_steps = CARD.replace("3. Скажите «Спасибо вам!».\n", "");
        let card = parse_card("t.md", two_steps.as_bytes()).card.unwrap();
        let ids: Vec<_> = questions_from_card(&card)
            .into_iter()
            .map(|q| q.id.as_str().to_owned())
            .collect();
        assert_eq!(ids, ["gen-taboo-service-thanks-reply"]);
    }
}
