//! Certification: levels with requirements (content/certification.yaml), interviews,
//! promotions, certificates that lapse, and the career history (docs/programs.md).

pub mod api;
pub mod domain;
pub mod service;
pub mod storage;
