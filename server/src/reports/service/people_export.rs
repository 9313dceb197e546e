//! The big export: every person's best result per direction for each quarter, produced a
//! quarter at a time so memory stays bounded however many staff and quarters there are.

use std::collections::{BTreeMap, HashMap};

use super::scope::{self, Scope};
use crate::accounts::domain::{Level, Principal};
use crate::accounts::storage::users::{self, UserFilter};
use crate::certification::domain::Quarter;
use crate::error::AppError;
use crate::reports::domain::Cell;
use crate::reports::storage::facts;
use crate::state::AppState;

pub const HEADERS: [&str; 9] = [
    "Квартал",
    "Сотрудник",
    "Логин",
    "Кофейня",
    "Уровень",
    "Кофе, %",
    "Сервис, %",
    "Бар, %",
    "Сдан",
];

/// Who and where: resolved once for the whole export.
pub struct Context {
    pub scope: Scope,
    pub location: Option<i32>,
    pub people: HashMap<i32, (String, String)>,
    pub locations: HashMap<i32, String>,
}

pub async fn context(
    state: &AppState,
    who: &Principal,
    location: Option<i32>,
) -> Result<Context, AppError> {
    let scope = scope::of(who);
    let location = scope::location_filter(scope, location)?;
    let people = users::list(
        &state.db,
        &UserFilter {
            location_id: location,
            ..Default::default()
        },
    )
    .await?
    .into_iter()
    .map(|u| (u.id, (u.name, u.login)))
    .collect();
    Ok(Context {
        scope,
        location,
        people,
        locations: super::results::location_names(state).await?,
    })
}

/// A person's quarter: (location, level, best of [coffee, service, bar]).
type PersonQuarter = (Option<i32>, String, [Option<f64>; 3]);

/// One quarter's rows, people in name order.
pub async fn quarter_rows(
    state: &AppState,
    ctx: &Context,
    quarter: Quarter,
) -> Result<Vec<Vec<Cell>>, AppError> {
    let code = quarter.code();
    let settled = crate::reports::storage::outbox::settle(&state.db).await?;
    let mut facts = facts::results(&settled, std::slice::from_ref(&code), ctx.location).await?;
    if let Scope::Person(me) = ctx.scope {
        facts.retain(|f| f.user_id == me);
    }
    let passed = facts::passed_users(&settled, &code, ctx.location).await?;
    let mut by_person: BTreeMap<i32, PersonQuarter> = BTreeMap::new();
    for f in facts {
        let entry =
            by_person
                .entry(f.user_id)
                .or_insert((f.location_id, f.level.clone(), [None; 3]));
        let slot = match f.track.as_str() {
            "coffee" => 0,
            "service" => 1,
            _ => 2,
        };
        let best = entry.2[slot].get_or_insert(f.percent);
        *best = best.max(f.percent);
    }
    let mut rows: Vec<(String, Vec<Cell>)> = by_person
        .into_iter()
        .map(|(user, (location, level, tracks))| {
            let (name, login) = ctx.people.get(&user).cloned().unwrap_or_default();
            let row = vec![
                code.clone().into(),
                name.clone().into(),
                login.into(),
                location
                    .map(|l| {
                        ctx.locations
                            .get(&l)
                            .cloned()
                            .unwrap_or_else(|| l.to_string())
                    })
                    .into(),
                level
                    .parse::<Level>()
                    .map_or(level.clone(), |l| l.label_ru().to_owned())
                    .into(),
                tracks[0].into(),
                tracks[1].into(),
                tracks[2].into(),
                if passed.contains(&user) {
                    "да"
                } else {
                    "нет"
                }
                .into(),
            ];
            (name, row)
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(rows.into_iter().map(|(_, r)| r).collect())
}

/// An XLSX workbook written row by row in constant-memory mode (rows go to a temporary
/// file as they come), with typed columns.
pub struct Book {
    book: rust_xlsxwriter::Workbook,
    next_row: u32,
}

impl Book {
    pub fn new() -> Result<Book, rust_xlsxwriter::XlsxError> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet_with_constant_memory();
        sheet.set_name("Сотрудники")?;
        let bold = rust_xlsxwriter::Format::new().set_bold();
        for (col, header) in HEADERS.iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, *header, &bold)?;
        }
        Ok(Book { book, next_row: 1 })
    }

    pub fn append(&mut self, rows: &[Vec<Cell>]) -> Result<(), rust_xlsxwriter::XlsxError> {
        let sheet = self.book.worksheet_from_index(0)?;
        for row in rows {
            for (col, cell) in row.iter().enumerate() {
                match cell {
                    Cell::Text(s) => {
                        sheet.write_string(self.next_row, col as u16, s)?;
                    }
                    Cell::Number(x) => {
                        sheet.write_number(self.next_row, col as u16, *x)?;
                    }
                    Cell::Empty => {}
                }
            }
            self.next_row += 1;
        }
        Ok(())
    }

    pub fn finish(mut self) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        self.book.save_to_buffer()
    }
}
