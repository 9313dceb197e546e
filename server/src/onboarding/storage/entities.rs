//! Tables from `migrations/src/m20261127_000005_careers.rs` (onboarding part).

pub mod program {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "programs")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub title: String,
        pub level: Option<String>,
        pub revision: i32,
        /// The YAML as written.
        pub source: String,
        /// JSON of [`crate::onboarding::domain::Program`].
        pub definition: String,
        pub file_path: Option<String>,
        /// SHA-256 of the file last imported: unchanged files are skipped, and a UI edit is
        /// not overwritten by a file that did not change.
        pub file_hash: Option<String>,
        pub archived: bool,
        pub updated_at: DateTimeUtc,
        pub updated_by: Option<i32>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod program_revision {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "program_revisions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub program_id: String,
        pub revision: i32,
        pub source: String,
        pub definition: String,
        pub note: Option<String>,
        pub created_at: DateTimeUtc,
        pub created_by: Option<i32>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod content_rule {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "content_rules")]
    pub struct Model {
        /// `certification`.
        #[sea_orm(primary_key, auto_increment = false)]
        pub name: String,
        pub source: String,
        /// JSON of the parsed rules.
        pub definition: String,
        pub file_hash: String,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod assignment {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "assignments")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub user_id: i32,
        pub program_id: String,
        /// The programme revision given: later edits do not change a running assignment.
        pub program_revision: i32,
        pub mentor_id: Option<i32>,
        pub start_date: Date,
        /// `onboarding` or `recertification`.
        pub reason: String,
        pub assigned_by: Option<i32>,
        pub assigned_at: DateTimeUtc,
        pub completed_at: Option<DateTimeUtc>,
        pub cancelled_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod item_record {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "item_records")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub assignment_id: i32,
        pub item_id: String,
        /// `signoff` or `attendance`.
        pub kind: String,
        pub passed: bool,
        /// JSON list of booleans, one per criterion (sign-offs).
        pub criteria: Option<String>,
        pub comment: Option<String>,
        pub practise: Option<String>,
        pub event_date: Option<Date>,
        pub trainer: Option<String>,
        pub recorded_by: Option<i32>,
        pub recorded_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
