//! ЖМП cards: the format (`domain`), storage with revisions, import from the content
//! directory, the API and acknowledgements.

pub mod api;
pub mod domain;
pub mod service;
pub mod storage;
pub mod synthetic;
