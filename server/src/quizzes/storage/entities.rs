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

pub mod campaign {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "campaigns")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub title: String,
        pub opens_at: DateTimeUtc,
        pub closes_at: DateTimeUtc,
        /// JSON: [`crate::quizzes::domain::campaign::Audience`].
        pub audience: String,
        /// JSON: [`crate::quizzes::domain::campaign::Blueprint`].
        pub blueprint: String,
        pub time_limit_minutes: i32,
        /// JSON: [`crate::quizzes::domain::campaign::PassMarks`].
        pub pass_marks: String,
        pub attempts_allowed: i32,
        pub created_by: Option<i32>,
        pub created_at: DateTimeUtc,
        /// `quarterly` (counts for certification) or `practice` (a personal quiz of an
        /// onboarding programme).
        pub kind: String,
        /// A practice quiz's only taker.
        pub owner_id: Option<i32>,
        /// JSON: [`crate::quizzes::domain::campaign::Pool`] of a practice quiz.
        pub cards: Option<String>,
        /// What created a practice quiz (`assignment:ID:ITEM`), to find it again.
        pub source: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod attempt {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "attempts")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub campaign_id: i32,
        pub user_id: i32,
        /// 1 for a person's first attempt in the campaign.
        pub number: i32,
        pub started_at: DateTimeUtc,
        /// The earlier of start + time limit and the campaign's close.
        pub deadline_at: DateTimeUtc,
        pub submitted_at: Option<DateTimeUtc>,
        pub percent: Option<f64>,
        pub passed: Option<bool>,
        /// JSON: [`crate::quizzes::domain::campaign::Score`].
        pub score: Option<String>,
        /// Where the person worked and at what level when they started (reports group by it).
        pub location_id: Option<i32>,
        pub level: Option<String>,
        /// Answers saved so far; a submission stores its grades only if this is still the
        /// count it graded (`storage/finish.rs`).
        pub saves: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod item {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "attempt_items")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub attempt_id: i32,
        /// 0-based place in the attempt.
        pub position: i32,
        pub question_id: String,
        /// The question revision pinned for this attempt.
        pub revision: i32,
        pub track: String,
        /// JSON: [`crate::quizzes::domain::presentation::Presentation`].
        pub presentation: String,
        /// JSON: [`crate::quizzes::domain::presentation::Answer`], as last saved.
        pub answer: Option<String>,
        pub answered_at: Option<DateTimeUtc>,
        /// 0.0 ..= 1.0 once graded.
        pub fraction: Option<f64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
