//! ЖМП cards with every revision, a change log that replicas poll to keep their search
//! index current, and staff acknowledgements of significant revisions.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Cards {
    Table,
    Id,
    Title,
    Track,
    Tags,
    Stage,
    Level,
    Season,
    Mandatory,
    Revision,
    SignificantRevision,
    SourcePath,
    FileHash,
    Archived,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CardRevisions {
    Table,
    Id,
    CardId,
    Revision,
    Source,
    Significant,
    Note,
    AuthorId,
    Origin,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CardEvents {
    Table,
    Id,
    CardId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CardAcks {
    Table,
    Id,
    UserId,
    CardId,
    Revision,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Cards::Table)
                    .col(string_len(Cards::Id, 64).primary_key())
                    .col(string(Cards::Title))
                    .col(string_len(Cards::Track, 16))
                    // JSON array of strings; filtering by tag happens in the search index.
                    .col(text(Cards::Tags))
                    .col(string_len_null(Cards::Stage, 64))
                    .col(string_len(Cards::Level, 16))
                    .col(string_len(Cards::Season, 16))
                    .col(boolean(Cards::Mandatory))
                    .col(integer(Cards::Revision))
                    .col(integer(Cards::SignificantRevision))
                    .col(string_null(Cards::SourcePath))
                    .col(string_len_null(Cards::FileHash, 64))
                    .col(boolean(Cards::Archived).default(false))
                    .col(timestamp_with_time_zone(Cards::CreatedAt))
                    .col(timestamp_with_time_zone(Cards::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CardRevisions::Table)
                    .col(pk_auto(CardRevisions::Id))
                    .col(string_len(CardRevisions::CardId, 64))
                    .col(integer(CardRevisions::Revision))
                    .col(text(CardRevisions::Source))
                    .col(boolean(CardRevisions::Significant))
                    .col(string_null(CardRevisions::Note))
                    .col(integer_null(CardRevisions::AuthorId))
                    .col(string_len(CardRevisions::Origin, 16))
                    .col(timestamp_with_time_zone(CardRevisions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_card_revisions_card")
                            .from(CardRevisions::Table, CardRevisions::CardId)
                            .to(Cards::Table, Cards::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_card_revisions_author")
                            .from(CardRevisions::Table, CardRevisions::AuthorId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_card_revisions_card_revision")
                    .table(CardRevisions::Table)
                    .col(CardRevisions::CardId)
                    .col(CardRevisions::Revision)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CardEvents::Table)
                    .col(pk_auto(CardEvents::Id))
                    .col(string_len(CardEvents::CardId, 64))
                    .col(timestamp_with_time_zone(CardEvents::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CardAcks::Table)
                    .col(pk_auto(CardAcks::Id))
                    .col(integer(CardAcks::UserId))
                    .col(string_len(CardAcks::CardId, 64))
                    .col(integer(CardAcks::Revision))
                    .col(timestamp_with_time_zone(CardAcks::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_card_acks_user")
                            .from(CardAcks::Table, CardAcks::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_card_acks_card")
                            .from(CardAcks::Table, CardAcks::CardId)
                            .to(Cards::Table, Cards::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_card_acks_unique")
                    .table(CardAcks::Table)
                    .col(CardAcks::UserId)
                    .col(CardAcks::CardId)
                    .col(CardAcks::Revision)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CardAcks::Table.into_iden(),
            CardEvents::Table.into_iden(),
            CardRevisions::Table.into_iden(),
            Cards::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
