//! Where each destination of the relay is in the log (`relay_checkpoints`).

use chorus_kernel::{on_read, on_write, Db, LogPosition, StoreError};

/// The position `destination` has delivered up to (created at the log's start, so a new
/// destination receives the whole history).
pub async fn load(db: &Db, destination: &str) -> Result<LogPosition, StoreError> {
    on_write!(db, pool => {
        sqlx::query(
            "INSERT INTO relay_checkpoints (destination, transaction_id, global_position) \
             VALUES ($1, 0, 0) ON CONFLICT (destination) DO NOTHING",
        )
        .bind(destination)
        .execute(pool)
        .await?;
    });
    let row: (i64, i64) = on_read!(db, pool => {
        sqlx::query_as(
            "SELECT transaction_id, global_position FROM relay_checkpoints WHERE destination = $1",
        )
        .bind(destination)
        .fetch_one(pool)
        .await?
    });
    Ok(LogPosition {
        transaction_id: row.0,
        global_position: row.1,
    })
}

/// Records that `destination` has delivered everything up to `position` (never moving it
/// back: a replica that lost the lead mid-batch cannot undo the new leader's progress).
pub async fn save(db: &Db, destination: &str, position: LogPosition) -> Result<(), StoreError> {
    on_write!(db, pool => {
        sqlx::query(
            "UPDATE relay_checkpoints SET transaction_id = $2, global_position = $3 \
             WHERE destination = $1 \
               AND (transaction_id < $2 OR (transaction_id = $2 AND global_position < $3))",
        )
        .bind(destination)
        .bind(position.transaction_id)
        .bind(position.global_position)
        .execute(pool)
        .await?;
    });
    Ok(())
}
