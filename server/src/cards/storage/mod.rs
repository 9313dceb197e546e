//! Card storage: the current state of each card, every revision, the change log and
//! acknowledgements. Writes that belong together run in one transaction on the writer.

pub mod acks;
pub mod cards;
pub mod entities;
pub mod events;
