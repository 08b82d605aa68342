//! The hot read's lookups take a primary-key path whatever the planner knows: people by
//! ids (every `PersonById`) and a team's roster page, on tables that were never analyzed
//! and hold many rows of one organization. (With the organization in the condition, the
//! people lookup once walked the organization's index and so grew with the organization.)

// Test code: a failed expectation should stop the test right there.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use chorus_kernel::backend_tests;
use chorus_kernel::sql::Page;
use chorus_kernel::testing::{TestBackend, TestDatabase};
use chorus_kernel::{on_read, on_write, Db, DbOptions};
use chorus_server::teams::read::{push_by_ids, push_roster_page, PERSON_SELECT};
use uuid::Uuid;

const ORG: &str = "0190a000-0000-7000-8000-000000000001";
const TEAM: &str = "0190a000-0000-7000-8000-0000000000aa";

/// Many people of one organization and a large roster of one team, never analyzed.
fn fill(backend: TestBackend) -> [String; 2] {
    match backend {
        TestBackend::Postgres => [
            format!(
                "INSERT INTO people (id, organization_id, display_name, email, affiliation, created_at) \
                 SELECT gen_random_uuid(), '{ORG}', 'p' || g, 'p' || g || '@x.example', 'INTERNAL', now() \
                 FROM generate_series(1, 60000) g"
            ),
            format!(
                "INSERT INTO team_roster (team_id, person_id, organization_id, held_from, roles, \
                 display_name, email, affiliation, created_at) \
                 SELECT CASE WHEN g % 2 = 0 THEN '{TEAM}'::uuid ELSE gen_random_uuid() END, \
                 gen_random_uuid(), '{ORG}', now(), '[]', 'p', 'p@x.example', 'INTERNAL', now() \
                 FROM generate_series(1, 20000) g"
            ),
        ],
        TestBackend::Sqlite => {
            let series = "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < ";
            let org = format!("X'{}'", ORG.replace('-', ""));
            let team = format!("X'{}'", TEAM.replace('-', ""));
            [
                format!(
                    "{series}60000) INSERT INTO people (id, organization_id, display_name, email, \
                     affiliation, created_at) SELECT randomblob(16), {org}, 'p' || n, 'p' || n || '@x.example', \
                     'INTERNAL', '2026-01-01T00:00:00+00:00' FROM g"
                ),
                format!(
                    "{series}20000) INSERT INTO team_roster (team_id, person_id, organization_id, held_from, \
                     roles, display_name, email, affiliation, created_at) SELECT \
                     CASE WHEN n % 2 = 0 THEN {team} ELSE randomblob(16) END, randomblob(16), {org}, \
                     '2026-01-01T00:00:00+00:00', '[]', 'p', 'p@x.example', 'INTERNAL', \
                     '2026-01-01T00:00:00+00:00' FROM g"
                ),
            ]
        }
    }
}

/// The plan of the statement `build` appends, as text.
macro_rules! plan {
    ($db:expr, $backend:expr, |$qb:ident| $build:block) => {{
        let backend: TestBackend = $backend;
        on_read!($db, pool => {
            match backend {
                TestBackend::Postgres => {
                    let mut $qb = sqlx::QueryBuilder::new("EXPLAIN ");
                    $build
                    let lines: Vec<String> =
                        $qb.build_query_scalar().fetch_all(pool).await.expect("explain");
                    lines.join("\n")
                }
                TestBackend::Sqlite => {
                    let mut $qb = sqlx::QueryBuilder::new("EXPLAIN QUERY PLAN ");
                    $build
                    let rows: Vec<(i64, i64, i64, String)> =
                        $qb.build_query_as().fetch_all(pool).await.expect("explain");
                    rows.into_iter().map(|r| r.3).collect::<Vec<_>>().join("\n")
                }
            }
        })
    }};
}

backend_tests! {
    #[runtime(flavor = "current_thread")]
    async fn the_hot_lookups_use_a_key_path_without_statistics(backend: TestBackend) {
        let test_db = TestDatabase::create(backend).await;
        let db = Db::connect(test_db.url(), &DbOptions::default(), &chorus_kernel::db::migrations())
            .await
            .expect("connect");
        for sql in fill(backend) {
            on_write!(&db, pool => {
                sqlx::query(&sql).execute(pool).await.expect("fill");
            });
        }
        let tag = format!("{backend:?}");
        let ids: Vec<Uuid> = (0..50).map(|_| Uuid::now_v7()).collect();
        let people = plan!(&db, backend, |qb| {
            push_by_ids(&mut qb, PERSON_SELECT, &ids);
        });
        assert!(
            !people.contains("people_by_organization"),
            "[{tag}] people by ids must not walk the organization's index: {people}"
        );
        match backend {
            TestBackend::Postgres => assert!(
                people.contains("people_pkey"),
                "[{tag}] people by ids use the primary key: {people}"
            ),
            TestBackend::Sqlite => assert!(
                people.contains("sqlite_autoindex_people_1"),
                "[{tag}] people by ids use the primary key: {people}"
            ),
        }

        let team = Uuid::parse_str(TEAM).expect("team");
        let org = Uuid::parse_str(ORG).expect("org");
        let page = Page { after: Some(Uuid::nil()), limit: 51 };
        let roster = plan!(&db, backend, |qb| {
            push_roster_page(&mut qb, team, org, Some(chorus_kernel::now()), page);
        });
        match backend {
            TestBackend::Postgres => {
                // Walked in order or fetched by bitmap and top-N sorted, as the planner
                // guesses the team's size: either way one team's range of the key, never
                // the organization's rows.
                assert!(
                    roster.contains("team_roster_pkey") && !roster.contains("Seq Scan"),
                    "[{tag}] a roster page reads the team's range of the primary key: {roster}"
                );
            }
            TestBackend::Sqlite => {
                assert!(
                    roster.contains("sqlite_autoindex_team_roster_1") && !roster.contains("TEMP B-TREE"),
                    "[{tag}] a roster page walks the team's range of the primary key in order: {roster}"
                );
            }
        }
        db.close().await;
        drop(test_db);
    }

    /// A resuming subscription reads its own organization's events in commit order by the
    /// index on (organization, commit order), never the other organizations' rows, on a
    /// log that was never analyzed.
    #[runtime(flavor = "current_thread")]
    async fn a_resume_reads_only_its_organizations_events_without_statistics(backend: TestBackend) {
        let test_db = TestDatabase::create(backend).await;
        let db = Db::connect(test_db.url(), &DbOptions::default(), &chorus_kernel::db::migrations())
            .await
            .expect("connect");
        let reader = chorus_kernel::LogReader::new(db.clone(), chorus_kernel::Upcasters::default());
        let columns = "aggregate_type, aggregate_id, sequence, event_type, event_version, payload, \
            organization_id, actor_kind, occurred_at, correlation_id, request_source";
        let fill = match backend {
            TestBackend::Postgres => format!(
                "INSERT INTO events ({columns}) SELECT 'team', 't' || g, 1, 'TeamCreated', '1', '{{}}', \
                 CASE WHEN g % 10 = 0 THEN '{ORG}'::uuid ELSE '{TEAM}'::uuid END, 'system', now(), \
                 gen_random_uuid(), 'test' FROM generate_series(1, 40000) g"
            ),
            TestBackend::Sqlite => format!(
                "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 40000) \
                 INSERT INTO events ({columns}, transaction_id) SELECT 'team', 't' || n, 1, 'TeamCreated', '1', \
                 '{{}}', CASE WHEN n % 10 = 0 THEN X'{}' ELSE X'{}' END, 'system', \
                 '2026-01-01T00:00:00+00:00', randomblob(16), 'test', 0 FROM g",
                ORG.replace('-', ""),
                TEAM.replace('-', "")
            ),
        };
        on_write!(&db, pool => {
            sqlx::query(&fill).execute(pool).await.expect("fill");
        });
        let org = Uuid::parse_str(ORG).expect("org");
        let tag = format!("{backend:?}");
        let plan = reader.read_organization_after_plan(org).await.expect("plan");
        let index = match backend {
            TestBackend::Postgres => "events_organization_commit_order",
            TestBackend::Sqlite => "events_organization",
        };
        assert!(
            plan.contains(index) && !plan.contains("Seq Scan") && !plan.contains("TEMP B-TREE")
                && !plan.contains("Sort"),
            "[{tag}] a resume walks its organization's range of {index} in order: {plan}"
        );
        let events = reader
            .read_organization_after(org, chorus_kernel::LogPosition::START, 10)
            .await
            .expect("read");
        assert_eq!(events.len(), 10, "[{tag}]");
        assert!(events.iter().all(|e| e.metadata.organization_id == org), "[{tag}]");
        db.close().await;
        drop(test_db);
    }
}
