//! The dialogue of a complaint (issue 15; ND 124/2020 Art. 28 as rewritten by ND 155/2026
//! Art. 11): the day and place it is scheduled for, and the day it was held (its minutes are in
//! the case's trail). Mandatory in the second round: a second-round decision needs it held.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: [&str; 3] = [
    "ALTER TABLE petition ADD COLUMN dialogue_on DATE",
    "ALTER TABLE petition ADD COLUMN dialogue_place VARCHAR(300)",
    "ALTER TABLE petition ADD COLUMN dialogue_held_on DATE",
];

const DOWN: [&str; 3] = [
    "ALTER TABLE petition DROP COLUMN dialogue_held_on",
    "ALTER TABLE petition DROP COLUMN dialogue_place",
    "ALTER TABLE petition DROP COLUMN dialogue_on",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        for sql in UP {
            conn.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        for sql in DOWN {
            conn.execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
