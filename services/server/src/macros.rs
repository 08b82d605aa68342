//! SQL helpers shared by the read sides of every context.

/// Builds and runs one query on whichever backend `$db` is. `$qb` is a
/// `sqlx::QueryBuilder` that renders `$n` or `?` placeholders for its backend.
macro_rules! fetch_all {
    ($db:expr, $row:ty, |$qb:ident| $build:block) => {
        chorus_kernel::on_read!($db, pool => {
            let mut $qb = sqlx::QueryBuilder::new("");
            $build
            $qb.build_query_as::<$row>().fetch_all(pool).await?
        })
    };
}
