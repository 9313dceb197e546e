//! Quiz use cases shared by the API, the pages and the command line.

pub mod import;
pub mod load;
