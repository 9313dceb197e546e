//! Tables from `migrations/src/m20261122_000002_cards.rs`.

pub mod card {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "cards")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub title: String,
        pub track: String,
        /// JSON array of strings.
        pub tags: String,
        pub stage: Option<String>,
        pub level: String,
        pub season: String,
        pub mandatory: bool,
        pub revision: i32,
        /// The latest revision marked significant; staff confirm reading this one.
        pub significant_revision: i32,
        /// Path under the content directory when the card came from a file.
        pub source_path: Option<String>,
        /// SHA-256 of the file content last imported, so unchanged files are skipped and
        /// edits made in the web editor are not overwritten by an unchanged file.
        pub file_hash: Option<String>,
        pub archived: bool,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod revision {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "card_revisions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub card_id: String,
        pub revision: i32,
        pub source: String,
        pub significant: bool,
        pub note: Option<String>,
        pub author_id: Option<i32>,
        /// `file` (imported from the content directory) or `editor`.
        pub origin: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod event {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "card_events")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub card_id: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod ack {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "card_acks")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub user_id: i32,
        pub card_id: String,
        pub revision: i32,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
