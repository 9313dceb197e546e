//! Certification use cases.

pub mod evidence;
pub mod person;
pub mod promotion;
pub mod sweep;
