//! A synthetic corpus of valid cards for benchmarks and load tests: realistic Russian
//! vocabulary, sizes and structure, deterministic for a given seed.

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

const TRACKS: [&str; 3] = ["coffee", "service", "bar"];
const LEVELS: [&str; 4] = ["trainee", "barista", "senior", "leader"];
const STAGES: [&str; 8] = [
    "greeting",
    "order",
    "payment",
    "preparation",
    "handover",
    "farewell",
    "opening",
    "closing",
];
const SEASONS: [&str; 4] = ["all", "all", "summer", "winter"];
const GUESTS: [&str; 10] = [
    "гость",
    "постоянный гость",
    "гость с ребёнком",
    "гость с ноутбуком",
    "турист",
    "гость в спешке",
    "пожилой гость",
    "курьер",
    "компания друзей",
    "гость с собакой",
];
const EVENTS: [&str; 16] = [
    "просит капучино на овсяном молоке",
    "жалуется на холодный латте",
    "пролил американо",
    "спрашивает про аллергены в десерте",
    "платит мелочью",
    "просит счёт отдельно",
    "ждёт заказ дольше пяти минут",
    "хочет зарядить телефон",
    "спрашивает, где туалет",
    "отмечает день рождения",
    "оставляет отзыв в приложении",
    "просит воду без льда",
    "заказывает фильтр-кофе с собой",
    "интересуется обжаркой зерна",
    "забыл на столе кошелёк",
    "просит сделать напиток менее сладким",
];
const ACTIONS: [&str; 18] = [
    "Поздоровайтесь и посмотрите гостю в глаза",
    "Уточните объём и вид молока",
    "Назовите сумму и способ оплаты",
    "Извинитесь и предложите решение",
    "Приготовьте напиток заново за 2–3 минуты",
    "Проверьте температуру молока: 60–65 °C",
    "Предложите десерт без навязывания",
    "Поблагодарите за визит",
    "Протрите стол влажной салфеткой",
    "Сообщите управляющему о проблеме",
    "Запишите заказ в систему",
    "Пригласите гостя к выдаче по имени",
    "Уберите посуду в течение минуты",
    "Проверьте срок годности по этикетке",
    "Промойте паровую трубку сразу после взбивания",
    "Откалибруйте помол: 18 г на входе, 36 г на выходе",
    "Предложите стакан воды",
    "Попрощайтесь и пригласите прийти снова",
];
const TABOO: [&str; 10] = [
    "Спорить с гостем",
    "Говорить «вы ошиблись»",
    "Отказываться брать монеты",
    "Обсуждать гостей при гостях",
    "Пользоваться телефоном за стойкой",
    "Молчать в ответ на «спасибо»",
    "Подавать напиток с подтёками на чашке",
    "Перекладывать вину на коллег",
    "Торопить гостя",
    "Оставлять молоко вне холодильника дольше 15 минут",
];
const REASONS: [&str; 6] = [
    "Гость запоминает не напиток, а то, как с ним обошлись.",
    "Единый стандарт делает вкус одинаковым в каждой кофейне.",
    "Быстрое решение проблемы возвращает доверие.",
    "Чистота бара — это безопасность и вкус.",
    "Уважение к деньгам гостя — уважение к самому гостю.",
    "Спокойный тон снимает напряжение в очереди.",
];

fn pick<'a>(rng: &mut StdRng, words: &'a [&'a str]) -> &'a str {
    words.choose(rng).copied().unwrap_or_default()
}

/// One synthetic card's source.
pub fn card(rng: &mut StdRng, number: usize) -> (String, String) {
    let track = TRACKS[number % TRACKS.len()];
    let guest = pick(rng, &GUESTS);
    let event = pick(rng, &EVENTS);
    let id = format!("synthetic-{number:05}");
    let title = format!("{} {} (№{number})", capitalise(guest), event);
    let steps: String = (0..rng.random_range(3..=6))
        .map(|n| format!("{}. {}.\n", n + 1, pick(rng, &ACTIONS)))
        .collect();
    let taboo: String = (0..rng.random_range(2..=4))
        .map(|_| format!("- {}\n", pick(rng, &TABOO)))
        .collect();
    let source = format!(
        "---\nid: {id}\ntitle: \"{title}\"\ntrack: {track}\ntags: [{}, {}]\nstage: {}\nlevel: {}\nseason: {}\nmandatory: {}\n---\n\n\
         ## Ситуация\n\n{} {event}. Рядом очередь из {} человек, до закрытия {} минут.\n\n\
         ## Действия\n\n{steps}\n## Пример\n\n— Добрый день! {}. Всё будет готово через {} минуты.\n\n\
         ## Антипример\n\n— Подождите. {} — не моя проблема.\n\n## Пояснение\n\n{}\n\n## Табу\n\n{taboo}",
        pick(
            rng,
            &["сервис", "кофе", "чистота", "касса", "гость", "молоко"]
        ),
        pick(rng, &["скорость", "вкус", "вежливость", "безопасность"]),
        pick(rng, &STAGES),
        pick(rng, &LEVELS),
        pick(rng, &SEASONS),
        rng.random_bool(0.8),
        capitalise(guest),
        rng.random_range(2..12),
        rng.random_range(10..120),
        pick(rng, &ACTIONS),
        rng.random_range(2..5),
        capitalise(event),
        pick(rng, &REASONS),
    );
    (format!("{track}/{id}.md"), source)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `count` cards as `(relative path, source)`, the same for the same seed.
pub fn corpus(count: usize, seed: u64) -> Vec<(String, String)> {
    let mut rng = StdRng::seed_from_u64(seed);
    (1..=count).map(|n| card(&mut rng, n)).collect()
}

/// Writes the corpus under `dir` (the content directory layout).
pub fn write_corpus(dir: &std::path::Path, count: usize, seed: u64) -> std::io::Result<()> {
    for (path, source) in corpus(count, seed) {
        let file = dir.join(path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(file, source)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cards::domain::{Severity, check_corpus};

    #[test]
    fn every_synthetic_card_is_valid_and_unique() {
        let files: Vec<(String, Vec<u8>)> = corpus(300, 7)
            .into_iter()
            .map(|(p, s)| (p, s.into_bytes()))
            .collect();
        let (cards, diagnostics) = check_corpus(&files);
        let errors: Vec<_> = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(cards.len(), 300);
        assert_eq!(corpus(5, 7), corpus(5, 7), "deterministic");
    }
}
