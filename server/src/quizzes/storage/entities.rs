//! Tables from `migrations/src/m20261127_000003_questions.rs`.

pub mod question {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "questions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub card_id: String,
        pub track: String,
        /// The question type (`single`, `ordering`, …).
        pub kind: String,
        /// `bank` or `generated`.
        pub origin: String,
        /// The bank file (relative to the quizzes directory) for bank questions.
        pub bank_path: Option<String>,
        pub revision: i32,
        /// SHA-256 of the current revision's body: unchanged questions are skipped cheaply.
        pub body_hash: String,
        pub disabled: bool,
        pub retired: bool,
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
    #[sea_orm(table_name = "question_revisions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub question_id: String,
        pub revision: i32,
        /// JSON of [`crate::quizzes::storage::questions::Body`].
        pub body: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod bank {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "quiz_banks")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub path: String,
        pub track: String,
        pub file_hash: String,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
