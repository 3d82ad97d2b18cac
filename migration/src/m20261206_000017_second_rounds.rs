//! A case file that knows its round's history and its form (issue 15): the earlier decision or
//! conclusion a second round is about (number, date, body, and when the petitioner received it),
//! whether the petition is signed or fingerprinted (an unsigned complaint or denunciation is never
//! accepted), and the day a complainant learned of the act (the 90-day filing limit). Every case
//! registered before was signed as far as the register knows: the column defaults to true.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: [&str; 6] = [
    "ALTER TABLE petition ADD COLUMN signed BOOLEAN NOT NULL DEFAULT TRUE",
    "ALTER TABLE petition ADD COLUMN earlier_decision_no VARCHAR(100)",
    "ALTER TABLE petition ADD COLUMN earlier_decision_on DATE",
    "ALTER TABLE petition ADD COLUMN earlier_decision_body VARCHAR(300)",
    "ALTER TABLE petition ADD COLUMN earlier_decision_received_on DATE",
    "ALTER TABLE petition ADD COLUMN act_known_on DATE",
];

const DOWN: [&str; 6] = [
    "ALTER TABLE petition DROP COLUMN act_known_on",
    "ALTER TABLE petition DROP COLUMN earlier_decision_received_on",
    "ALTER TABLE petition DROP COLUMN earlier_decision_body",
    "ALTER TABLE petition DROP COLUMN earlier_decision_on",
    "ALTER TABLE petition DROP COLUMN earlier_decision_no",
    "ALTER TABLE petition DROP COLUMN signed",
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
