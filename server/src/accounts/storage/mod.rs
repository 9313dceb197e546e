//! Account storage: sea-orm entities and the queries the account services need. The same
//! code serves SQLite and PostgreSQL; reads go to `Db::reader`, writes to `Db::writer`.

pub mod entities;
pub mod locations;
pub mod sessions;
pub mod users;
