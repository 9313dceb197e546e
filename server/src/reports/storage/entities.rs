//! Tables from `migrations/src/m20261127_000006_reports.rs`.

pub mod attempt_result {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "attempt_results")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub attempt_id: i32,
        pub campaign_id: i32,
        pub user_id: i32,
        pub location_id: Option<i32>,
        pub level: String,
        /// `2026-Q4`.
        pub quarter: String,
        pub track: String,
        pub percent: f64,
        pub passed: bool,
        pub submitted_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod question_result {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "question_results")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub quarter: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub question_id: String,
        /// 0 for people without a location.
        #[sea_orm(primary_key, auto_increment = false)]
        pub location_id: i32,
        pub answered: i64,
        pub failed: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod audit_event {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_events")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub at: DateTimeUtc,
        pub actor_id: Option<i32>,
        pub action: String,
        pub target_user_id: Option<i32>,
        pub detail: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table from `migrations/src/m20261128_000008_report_outbox.rs`.
pub mod outbox_entry {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "report_outbox")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub attempt_id: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
