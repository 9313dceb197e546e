//! Quiz use cases shared by the API, the pages and the command line.

pub mod attempts;
pub mod campaigns;
pub mod draw_pool;
pub mod import;
pub mod load;
pub mod open_attempts;
pub mod statistics;
pub mod submit;
pub mod submit_queue;
