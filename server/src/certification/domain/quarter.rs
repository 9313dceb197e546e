//! Calendar quarters, in UTC: certificates run to the end of the next quarter, and the
//! quarterly test counts in the quarter it was taken and the one after.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: i32,
    /// 1 – 4.
    pub q: u32,
}

impl Quarter {
    pub fn of(date: NaiveDate) -> Quarter {
        Quarter {
            year: date.year(),
            q: (date.month0() / 3) + 1,
        }
    }

    pub fn containing(at: DateTime<Utc>) -> Quarter {
        Quarter::of(at.date_naive())
    }

    pub fn next(self) -> Quarter {
        if self.q == 4 {
            Quarter {
                year: self.year + 1,
                q: 1,
            }
        } else {
            Quarter {
                year: self.year,
                q: self.q + 1,
            }
        }
    }

    pub fn previous(self) -> Quarter {
        if self.q == 1 {
            Quarter {
                year: self.year - 1,
                q: 4,
            }
        } else {
            Quarter {
                year: self.year,
                q: self.q - 1,
            }
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, (self.q - 1) * 3 + 1, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or(NaiveDate::MAX)
    }

    /// `2026-Q4`, as reports store it.
    pub fn code(self) -> String {
        format!("{}-Q{}", self.year, self.q)
    }

    /// Parses [`Quarter::code`].
    pub fn parse(code: &str) -> Option<Quarter> {
        let (year, q) = code.split_once("-Q")?;
        let q: u32 = q.parse().ok()?;
        (1..=4).contains(&q).then_some(Quarter {
            year: year.parse().ok()?,
            q,
        })
    }

    /// «4 кв. 2026».
    pub fn label_ru(self) -> String {
        format!("{} кв. {}", self.q, self.year)
    }
}

/// The last moment of the quarter after the one containing `at`: a certificate issued
/// at `at` is valid until then.
pub fn end_of_next_quarter(at: DateTime<Utc>) -> DateTime<Utc> {
    let after = Quarter::containing(at).next().next().first_day();
    let start = Utc.from_utc_datetime(&after.and_hms_opt(0, 0, 0).unwrap_or_default());
    start - chrono::Duration::seconds(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_and_their_edges() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let q = Quarter::of(d(2026, 11, 27));
        assert_eq!(q, Quarter { year: 2026, q: 4 });
        assert_eq!(q.first_day(), d(2026, 10, 1));
        assert_eq!(q.last_day(), d(2026, 12, 31));
        assert_eq!(q.next(), Quarter { year: 2027, q: 1 });
        assert_eq!(q.next().previous(), q);
        assert_eq!(q.label_ru(), "4 кв. 2026");
        assert_eq!(q.code(), "2026-Q4");
        assert_eq!(Quarter::parse("2026-Q4"), Some(q));
        assert_eq!(Quarter::parse("2026-Q5"), None);
        let at = Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0).unwrap();
        assert_eq!(
            end_of_next_quarter(at),
            Utc.with_ymd_and_hms(2027, 3, 31, 23, 59, 59).unwrap()
        );
        let at = Utc.with_ymd_and_hms(2027, 3, 31, 23, 0, 0).unwrap();
        assert_eq!(end_of_next_quarter(at).date_naive(), d(2027, 6, 30));
    }
}
