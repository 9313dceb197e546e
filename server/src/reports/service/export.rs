//! Report tables as sheets, for CSV and XLSX exports.

use super::results::Table;
use super::weakest::Weakest;
use crate::accounts::domain::Level;
use crate::cards::domain::Track;
use crate::reports::domain::Sheet;

pub fn results_sheet(t: &Table) -> Sheet {
    let mut sheet = Sheet::new(
        "Результаты",
        &[
            "Квартал",
            "Кофейня",
            "Уровень",
            "Направление",
            "Прошли тест",
            "Сотрудников",
            "Участие, %",
            "Сдали, %",
            "Средний балл, %",
        ],
    );
    for r in &t.rows {
        let quarter = r.key.quarter.clone().unwrap_or_else(|| t.quarter.code());
        sheet.push(vec![
            quarter.into(),
            r.key
                .location_id
                .map(|id| {
                    t.location_names
                        .get(&id)
                        .cloned()
                        .unwrap_or_else(|| id.to_string())
                })
                .into(),
            r.key
                .level
                .as_deref()
                .map(|l| {
                    l.parse::<Level>()
                        .map_or_else(|_| l.to_owned(), |v| v.label_ru().to_owned())
                })
                .into(),
            r.key
                .track
                .as_deref()
                .map(|t| Track::parse(t).map_or_else(|| t.to_owned(), |v| v.label_ru().to_owned()))
                .into(),
            r.takers.into(),
            r.headcount.into(),
            r.participation.into(),
            r.pass_rate.into(),
            r.average.into(),
        ]);
    }
    sheet
}

pub fn weakest_sheet(w: &Weakest, location_name: impl Fn(Option<i32>) -> String) -> Sheet {
    let mut sheet = Sheet::new(
        "Слабые стандарты",
        &[
            "Карточка",
            "Название",
            "Направление",
            "Ответов",
            "Ошибок",
            "Ошибок, %",
            "Худший вопрос",
            "Ошибок в нём, %",
            "Хуже всего в",
        ],
    );
    for c in &w.cards {
        let (title, track) = w.card_info.get(&c.card_id).cloned().unwrap_or_default();
        let worst = c.questions.first();
        sheet.push(vec![
            c.card_id.clone().into(),
            title.into(),
            Track::parse(&track)
                .map_or(track.clone(), |t| t.label_ru().to_owned())
                .into(),
            c.rate.answered.into(),
            c.rate.failed.into(),
            c.rate.fail_rate.into(),
            worst.map(|q| q.0.clone()).into(),
            worst.map(|q| q.1.fail_rate).into(),
            c.worst_locations
                .first()
                .map(|(l, _)| location_name(*l))
                .into(),
        ]);
    }
    sheet
}

pub fn coverage_sheet(
    rows: &[super::coverage::CoverageRow],
    name: impl Fn(Option<i32>) -> String,
) -> Sheet {
    let mut sheet = Sheet::new(
        "Покрытие",
        &[
            "Кофейня",
            "Сотрудников",
            "Нужно подтверждений",
            "Подтверждено",
            "Покрытие, %",
            "На адаптации",
            "С просрочкой",
            "Сертифицировано",
            "Истекает за 30 дней",
            "Приостановлено",
        ],
    );
    for r in rows {
        sheet.push(vec![
            name(r.location_id).into(),
            r.staff.into(),
            (r.required as f64).into(),
            (r.confirmed as f64).into(),
            r.coverage.into(),
            r.onboarding.into(),
            r.overdue.into(),
            r.certified.into(),
            r.expiring.into(),
            r.lapsed.into(),
        ]);
    }
    sheet
}
