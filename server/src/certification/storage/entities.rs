//! Tables from `migrations/src/m20261127_000005_careers.rs` (certification part).

pub mod interview {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "interviews")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub user_id: i32,
        /// The level the interview was for.
        pub level: String,
        pub passed: bool,
        pub notes: String,
        pub held_on: Date,
        pub recorded_by: Option<i32>,
        pub recorded_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod certificate {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "certificates")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub user_id: i32,
        pub level: String,
        pub issued_at: DateTimeUtc,
        pub valid_until: DateTimeUtc,
        pub issued_by: Option<i32>,
        /// `valid`, `renewed`, `superseded` or `lapsed`.
        pub status: String,
        pub ended_at: Option<DateTimeUtc>,
        pub end_reason: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod career_event {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "career_events")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub user_id: i32,
        pub at: DateTimeUtc,
        /// `level_changed`, `certificate_issued`, `certificate_renewed`,
        /// `certificate_lapsed`, `interview`, `assigned`, `completed`.
        pub kind: String,
        /// Russian, for the history list.
        pub detail: String,
        pub actor_id: Option<i32>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
