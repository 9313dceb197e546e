//! A table as exported: CSV (UTF-8 with a BOM, so Excel opens Cyrillic) or XLSX with typed
//! columns (numbers stay numbers). Pure apart from the XLSX writer's buffer.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<f64> for Cell {
    fn from(x: f64) -> Cell {
        Cell::Number(x)
    }
}

impl From<u32> for Cell {
    fn from(x: u32) -> Cell {
        Cell::Number(f64::from(x))
    }
}

impl From<u64> for Cell {
    fn from(x: u64) -> Cell {
        Cell::Number(x as f64)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(x: Option<T>) -> Cell {
        x.map_or(Cell::Empty, Into::into)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    pub fn new(name: &str, headers: &[&str]) -> Sheet {
        Sheet {
            name: name.to_owned(),
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
    }

    pub fn to_csv(&self) -> Vec<u8> {
        let mut out = "\u{feff}".as_bytes().to_vec();
        let header: Vec<Cell> = self.headers.iter().map(|h| Cell::Text(h.clone())).collect();
        out.extend(csv_rows(std::slice::from_ref(&header)));
        out.extend(csv_rows(&self.rows));
        out
    }

    pub fn to_xlsx(&self) -> Result<Vec<u8>, XlsxError> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        // Sheet names are at most 31 characters in Excel.
        let name: String = self.name.chars().take(31).collect();
        sheet.set_name(&name)?;
        let bold = Format::new().set_bold();
        for (col, header) in self.headers.iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, header, &bold)?;
        }
        for (r, row) in self.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
            for (c, cell) in row.iter().enumerate() {
                match cell {
                    Cell::Text(s) => {
                        sheet.write_string(r, c as u16, s)?;
                    }
                    Cell::Number(x) => {
                        sheet.write_number(r, c as u16, *x)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        sheet.autofit();
        book.save_to_buffer()
    }
}

/// CSV lines for rows (no BOM, no header): exports that stream write these in chunks.
pub fn csv_rows(rows: &[Vec<Cell>]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        for row in rows {
            let fields: Vec<String> = row
                .iter()
                .map(|c| match c {
                    Cell::Text(s) => s.clone(),
                    Cell::Number(x) => x.to_string(),
                    Cell::Empty => String::new(),
                })
                .collect();
            // Writing into a Vec cannot fail.
            let _ = writer.write_record(&fields);
        }
        let _ = writer.flush();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_has_a_bom_and_quotes_what_needs_it() {
        let mut s = Sheet::new("Итоги", &["Кофейня", "Сдали, %"]);
        s.push(vec!["На Тверской, 1".into(), 75.5.into()]);
        s.push(vec!["Без данных".into(), Cell::Empty]);
        let csv = String::from_utf8(s.to_csv()).unwrap();
        assert!(csv.starts_with('\u{feff}'));
        assert_eq!(
            csv.trim_start_matches('\u{feff}'),
            "Кофейня,\"Сдали, %\"\n\"На Тверской, 1\",75.5\nБез данных,\n"
        );
        let xlsx = s.to_xlsx().unwrap();
        assert_eq!(&xlsx[..2], b"PK", "a zip container");
    }
}
