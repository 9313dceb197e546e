//! Report arithmetic: aggregation, the retraining list, charts. Pure.

pub mod chart;
pub mod results;
pub mod sheet;
pub mod weakest;

pub use results::{GroupBy, GroupKey, Headcount, ResultFact, ResultRow};
pub use sheet::{Cell, Sheet, csv_rows};
pub use weakest::{CardWeakness, QuestionTally, Rate, weakest};
