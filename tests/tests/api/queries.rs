//! Every query field, read through the typed client: viewer, organization, team, teams
//! (filters, pagination, page-size cap), people, channels, person, channel, coverage,
//! roleHolders and teamStructureAsOf (time travel), node and nodes.

use std::time::Duration;

use chorus_client::{
    channel, channels, coverage, node, nodes, organization, people, person, role_holders,
    team_structure_as_of, teams, viewer, Channel, Channels, Coverage, Node, Nodes, Organization,
    People, Person, RoleHolders, TeamStructureAsOf, Teams, Viewer,
};
use chorus_tests::client::{add_person, assign_role, register_channel, update_person};
use chorus_tests::{
    assert_code, backend_tests, expect_data, expect_error, role_input, spawn_app, uuid_of,
    TeamsApi, TestApp, TestBackend,
};
use serde_json::json;

fn team_filter() -> teams::TeamFilterInput {
    teams::TeamFilterInput {
        parent_id: None,
        top_level_only: false,
        include_archived: false,
        name_contains: None,
    }
}

fn person_filter() -> people::PersonFilterInput {
    people::PersonFilterInput {
        affiliation: None,
        include_offboarded: false,
        name_contains: None,
        email: None,
        external_id: None,
    }
}

fn channel_filter() -> channels::ChannelFilterInput {
    channels::ChannelFilterInput {
        team_id: None,
        network: None,
        include_retired: false,
    }
}

/// `async fn $name(app, filter) -> Vec<String>`: the first 100 nodes of the list query
/// `$query` (module and root field `$list`) under `filter`, as their `$label`s.
macro_rules! list_labels {
    ($name:ident, $query:ident, $list:ident, $filter:ident, $label:ident) => {
        async fn $name(app: &TestApp, filter: $list::$filter) -> Vec<String> {
            let variables = $list::Variables {
                first: Some(100),
                after: None,
                filter: Some(filter),
            };
            let data = app
                .admin()
                .run::<$query>(variables)
                .await
                .expect(stringify!($list));
            data.$list
                .edges
                .into_iter()
                .map(|e| e.node.$label)
                .collect()
        }
    };
}

list_labels!(team_names, Teams, teams, TeamFilterInput, name);
list_labels!(
    people_names,
    People,
    people,
    PersonFilterInput,
    display_name
);
list_labels!(
    channel_handles,
    Channels,
    channels,
    ChannelFilterInput,
    handle
);

async fn person_query(app: &TestApp, id: &str, include_inactive: bool) -> person::PersonPerson {
    app.admin()
        .run::<Person>(person::Variables {
            id: id.into(),
            include_inactive_roles: include_inactive,
        })
        .await
        .expect("person")
        .person
        .expect("person exists")
}

backend_tests! {
    async fn every_query_field_reads_the_organization(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let admin = app.admin();

        // viewer
        let v = admin
            .run::<Viewer>(viewer::Variables)
            .await
            .expect("viewer")
            .viewer;
        let me = v.person.expect("the admin is a person");
        assert_eq!(uuid_of(&me.id), app.admin_id, "[{backend:?}] viewer.person");
        assert_eq!(me.email, "admin@acme.example");
        assert_eq!(me.display_name, "Ada Admin");
        assert!(v.is_admin, "[{backend:?}] founding admin is admin");
        assert!(v.scopes.is_empty());
        let org = v.organization.expect("viewer.organization");
        assert_eq!(uuid_of(&org.id), app.organization_id);
        assert_eq!(org.name, "Acme");

        // organization
        let o = admin
            .run::<Organization>(organization::Variables)
            .await
            .expect("organization")
            .organization
            .expect("organization exists");
        assert_eq!(o.name, "Acme");
        assert_eq!(o.id, org.id);
        assert_eq!(
            o.founding_admin.expect("founding admin").email,
            "admin@acme.example"
        );
        assert!(
            o.coverage.covered.is_empty(),
            "[{backend:?}] nobody holds a role yet: {:?}",
            o.coverage
        );
        assert_eq!(
            o.coverage.missing.len(),
            12,
            "[{backend:?}] all twelve functions missing"
        );

        // Teams: Marketing > Social, Legal Desk, Support, Old (archived)
        let marketing = app.create_team("Marketing", None).await;
        let social = app.create_team("Social", Some(&marketing)).await;
        let legal = app.create_team("Legal Desk", None).await;
        let support = app.create_team("Support", None).await;
        let old = app.create_team("Old Team", None).await;
        admin.archive_team(&old, None).await.expect("archive");

        assert_eq!(
            team_names(&app, team_filter()).await,
            ["Marketing", "Social", "Legal Desk", "Support"],
            "[{backend:?}] default teams"
        );
        for (filter, expected, what) in [
            (
                teams::TeamFilterInput { include_archived: true, ..team_filter() },
                vec!["Marketing", "Social", "Legal Desk", "Support", "Old Team"],
                "includeArchived",
            ),
            (
                teams::TeamFilterInput { top_level_only: true, ..team_filter() },
                vec!["Marketing", "Legal Desk", "Support"],
                "topLevelOnly",
            ),
            (
                teams::TeamFilterInput { parent_id: Some(marketing.clone()), ..team_filter() },
                vec!["Social"],
                "parentId",
            ),
            (
                teams::TeamFilterInput { name_contains: Some("SOC".into()), ..team_filter() },
                vec!["Social"],
                "nameContains is case-insensitive",
            ),
            (
                teams::TeamFilterInput { name_contains: Some("%".into()), ..team_filter() },
                vec![],
                "nameContains treats % literally",
            ),
        ] {
            assert_eq!(team_names(&app, filter).await, expected, "[{backend:?}] {what}");
        }

        // Pagination: pages of two, no duplicates, hasNextPage right.
        let mut seen = Vec::new();
        let mut after = None;
        let mut pages = 0;
        loop {
            let page = admin
                .run::<Teams>(teams::Variables {
                    first: Some(2),
                    after: after.clone(),
                    filter: None,
                })
                .await
                .expect("teams page")
                .teams;
            pages += 1;
            assert!(page.edges.len() <= 2);
            assert_eq!(
                page.page_info.has_previous_page,
                after.is_some(),
                "[{backend:?}] hasPreviousPage"
            );
            seen.extend(page.edges.iter().map(|e| e.node.name.clone()));
            if !page.page_info.has_next_page {
                break;
            }
            after = Some(
                page.page_info
                    .end_cursor
                    .expect("endCursor when hasNextPage"),
            );
            assert!(pages < 10, "pagination does not end");
        }
        assert_eq!(pages, 2, "[{backend:?}] four teams in pages of two");
        assert_eq!(seen, ["Marketing", "Social", "Legal Desk", "Support"]);
        let zero = admin
            .run::<Teams>(teams::Variables {
                first: Some(0),
                after: None,
                filter: None,
            })
            .await
            .expect("first: 0")
            .teams;
        assert!(
            zero.edges.is_empty() && zero.page_info.has_next_page,
            "[{backend:?}] first: 0"
        );
        for first in [101, -1] {
            let result = admin
                .run::<Teams>(teams::Variables {
                    first: Some(first),
                    after: None,
                    filter: None,
                })
                .await;
            assert_code(
                result,
                "BAD_USER_INPUT",
                Some("first"),
                &format!("[{backend:?}] teams(first: {first})"),
            );
        }
        let result = admin
            .run::<Teams>(teams::Variables {
                first: Some(2),
                after: Some("not-a-cursor!".into()),
                filter: None,
            })
            .await;
        assert_code(
            result,
            "BAD_USER_INPUT",
            Some("after"),
            &format!("[{backend:?}] bad cursor"),
        );
        let result = admin
            .run::<Teams>(teams::Variables {
                first: None,
                after: None,
                filter: Some(teams::TeamFilterInput {
                    parent_id: Some("garbage".into()),
                    ..team_filter()
                }),
            })
            .await;
        assert_code(
            result,
            "BAD_USER_INPUT",
            Some("filter.parentId"),
            &format!("[{backend:?}] bad parentId filter"),
        );

        // People: Bob (internal, hr-1), Carol (agency), Dan (consultant, offboarded).
        let bob = app.add_person("Bob Builder", "bob@acme.example").await;
        let external_id = update_person::UpdatePersonInput {
            person_id: bob.clone(),
            display_name: None,
            email: None,
            affiliation: None,
            external_id: Some("hr-1".into()),
            idempotency_key: None,
        };
        admin.update_person(external_id).await.expect("externalId");
        let add = |name: &str, email: &str, affiliation| {
            let input = add_person::AddPersonInput {
                display_name: name.into(),
                email: email.into(),
                affiliation,
                external_id: None,
                idempotency_key: None,
            };
            let admin = admin.clone();
            async move {
                let added = admin.add_person(input).await.expect("addPerson");
                added.person.expect("person").person_fields.id
            }
        };
        let carol = add("Carol Agent", "Carol@Agency.example", add_person::Affiliation::AGENCY).await;
        let dan = add("Dan Consultant", "dan@consult.example", add_person::Affiliation::CONSULTANT).await;
        admin.offboard_person(&dan, Some("contract ended")).await.expect("offboard dan");

        assert_eq!(
            people_names(&app, person_filter()).await,
            ["Ada Admin", "Bob Builder", "Carol Agent"],
            "[{backend:?}] people"
        );
        for (filter, expected, what) in [
            (
                people::PersonFilterInput { include_offboarded: true, ..person_filter() },
                vec!["Ada Admin", "Bob Builder", "Carol Agent", "Dan Consultant"],
                "includeOffboarded",
            ),
            (
                people::PersonFilterInput { affiliation: Some(people::Affiliation::AGENCY), ..person_filter() },
                vec!["Carol Agent"],
                "affiliation",
            ),
            (
                people::PersonFilterInput { name_contains: Some("bUiL".into()), ..person_filter() },
                vec!["Bob Builder"],
                "nameContains",
            ),
            (
                people::PersonFilterInput { email: Some("CAROL@agency.example".into()), ..person_filter() },
                vec!["Carol Agent"],
                "email (case-insensitive)",
            ),
            (
                people::PersonFilterInput { external_id: Some("hr-1".into()), ..person_filter() },
                vec!["Bob Builder"],
                "externalId",
            ),
        ] {
            assert_eq!(people_names(&app, filter).await, expected, "[{backend:?}] {what}");
        }
        assert!(
            people_names(
                &app,
                people::PersonFilterInput {
                    affiliation: Some(people::Affiliation::CONSULTANT),
                    ..person_filter()
                }
            )
            .await
            .is_empty(),
            "[{backend:?}] offboarded consultant hidden by default"
        );
        let page = admin
            .run::<People>(people::Variables {
                first: Some(2),
                after: None,
                filter: None,
            })
            .await
            .expect("people page")
            .people;
        assert_eq!(page.edges.len(), 2);
        assert!(page.page_info.has_next_page);

        // Channels: Social X @acme, Social INSTAGRAM acme, Legal LINKEDIN acme-legal (retired).
        let x = app
            .register_channel(&social, register_channel::SocialNetwork::X, "@acme")
            .await;
        let insta = app
            .register_channel(&social, register_channel::SocialNetwork::INSTAGRAM, "acme")
            .await;
        let linkedin = app
            .register_channel(
                &legal,
                register_channel::SocialNetwork::LINKEDIN,
                "acme-legal",
            )
            .await;
        admin.retire_channel(&linkedin, None).await.expect("retire");
        assert_eq!(
            channel_handles(&app, channel_filter()).await,
            ["acme", "acme"],
            "[{backend:?}] channels"
        );
        for (filter, expected, what) in [
            (
                channels::ChannelFilterInput { include_retired: true, ..channel_filter() },
                vec!["acme", "acme", "acme-legal"],
                "includeRetired",
            ),
            (
                channels::ChannelFilterInput { network: Some(channels::SocialNetwork::X), ..channel_filter() },
                vec!["acme"],
                "network",
            ),
        ] {
            assert_eq!(channel_handles(&app, filter).await, expected, "[{backend:?}] {what}");
        }
        assert!(
            channel_handles(
                &app,
                channels::ChannelFilterInput {
                    team_id: Some(legal.clone()),
                    ..channel_filter()
                }
            )
            .await
            .is_empty(),
            "[{backend:?}] teamId (retired hidden)"
        );
        for (filter, expected, what) in [
            (
                channels::ChannelFilterInput { team_id: Some(legal.clone()), include_retired: true, ..channel_filter() },
                vec!["acme-legal"],
                "teamId + includeRetired",
            ),
        ] {
            assert_eq!(channel_handles(&app, filter).await, expected, "[{backend:?}] {what}");
        }

        // channel(id)
        let c = admin
            .run::<Channel>(channel::Variables { id: x.clone() })
            .await
            .expect("channel")
            .channel
            .expect("channel exists");
        assert_eq!(c.handle, "acme", "[{backend:?}] leading @ is dropped");
        assert_eq!(c.network, channel::SocialNetwork::X);
        assert_eq!(c.team.expect("owner").id, social);
        assert!(!c.retired && c.retired_at.is_none());
        let retired = admin
            .run::<Channel>(channel::Variables {
                id: linkedin.clone(),
            })
            .await
            .expect("retired channel")
            .channel
            .expect("retired channel still readable");
        assert!(retired.retired && retired.retired_at.is_some());
        let missing = admin
            .run::<Channel>(channel::Variables { id: social.clone() })
            .await;
        assert_code(
            missing,
            "BAD_USER_INPUT",
            Some("id"),
            &format!("[{backend:?}] channel(id: a team id)"),
        );

        // Roles and reporting lines: Bob reports to Carol; Bob held SOCIAL_MEDIA (revoked)
        // and holds ANALYTICS in Social; Carol holds CUSTOMER_SERVICE on the X channel.
        admin.set_reporting_line(&bob, &carol).await.expect("line");
        let social_media = app
            .assign_team_role(&bob, assign_role::RoleFunction::SOCIAL_MEDIA, &social)
            .await
            .expect("assign social media");
        admin.revoke_role(&social_media.id, "moved to analytics").await.expect("revoke");
        let analytics = app
            .assign_team_role(&bob, assign_role::RoleFunction::ANALYTICS, &social)
            .await
            .expect("assign analytics");
        let service = (assign_role::RoleFunction::CUSTOMER_SERVICE, None);
        let scope = (assign_role::ScopeKind::CHANNEL, Some(x.as_str()));
        let channel_role = admin
            .assign_role_id(role_input(&carol, service, scope, "answers DMs"))
            .await
            .expect("channel role");

        // person(id): manager, reports, roles with and without inactive ones.
        let b = person_query(&app, &bob, false).await;
        assert_eq!(b.person_fields.display_name, "Bob Builder");
        assert_eq!(b.person_fields.external_id.as_deref(), Some("hr-1"));
        assert_eq!(b.person_fields.affiliation, person::Affiliation::INTERNAL);
        assert_eq!(b.person_fields.status, person::PersonStatus::ACTIVE);
        assert_eq!(
            b.person_fields.manager.expect("Bob's manager").id,
            carol,
            "[{backend:?}] manager"
        );
        let active: Vec<_> = b.roles.nodes.iter().map(|r| r.id.clone()).collect();
        assert_eq!(
            active,
            std::slice::from_ref(&analytics.id),
            "[{backend:?}] active roles only"
        );
        let role = &b.roles.nodes[0];
        assert_eq!(role.function, person::RoleFunction::ANALYTICS);
        assert_eq!(role.scope.kind, person::ScopeKind::TEAM);
        assert_eq!(role.scope.team.as_ref().expect("team scope").id, social);
        assert!(role.scope.channel.is_none());
        assert!(role.active && role.valid_to.is_none());
        assert_eq!(role.granted_by.as_ref().expect("granted by").id, me.id);
        let all = person_query(&app, &bob, true).await;
        let mut ids: Vec<_> = all.roles.nodes.iter().map(|r| r.id.clone()).collect();
        ids.sort();
        let mut expected = vec![social_media.id.clone(), analytics.id.clone()];
        expected.sort();
        assert_eq!(ids, expected, "[{backend:?}] includeInactive");
        let revoked = all
            .roles
            .nodes
            .iter()
            .find(|r| r.id == social_media.id)
            .expect("revoked role");
        assert!(!revoked.active && revoked.valid_to.is_some());
        assert_eq!(revoked.revoke_reason.as_deref(), Some("moved to analytics"));
        assert_eq!(revoked.revoked_by.as_ref().expect("revoked by").id, me.id);
        let c = person_query(&app, &carol, false).await;
        assert!(c.person_fields.manager.is_none());
        assert_eq!(
            c.reports
                .nodes
                .iter()
                .map(|p| p.id.clone())
                .collect::<Vec<_>>(),
            std::slice::from_ref(&bob),
            "[{backend:?}] reports"
        );
        assert_eq!(c.roles.nodes[0].scope.kind, person::ScopeKind::CHANNEL);
        assert_eq!(
            c.roles.nodes[0]
                .scope
                .channel
                .as_ref()
                .expect("channel scope")
                .id,
            x
        );
        let d = person_query(&app, &dan, false).await;
        assert_eq!(d.person_fields.status, person::PersonStatus::OFFBOARDED);
        assert!(d.person_fields.offboarded_at.is_some());

        // team(id): parent, children, members (roles, manager), channels, coverage.
        let t = admin.team_by_id(&social, false, "team").await;
        assert_eq!(t.team_fields.name, "Social");
        assert!(!t.team_fields.archived);
        assert_eq!(
            t.team_fields.parent.expect("parent").id,
            marketing,
            "[{backend:?}] parent"
        );
        assert!(t.children.nodes.is_empty());
        assert_eq!(
            t.members.nodes.len(),
            1,
            "[{backend:?}] members: {:?}",
            t.members.nodes
        );
        let member = &t.members.nodes[0];
        assert_eq!(member.person.as_ref().expect("member").id, bob);
        assert_eq!(
            member
                .roles
                .iter()
                .map(|r| r.id.clone())
                .collect::<Vec<_>>(),
            std::slice::from_ref(&analytics.id)
        );
        assert_eq!(member.manager.as_ref().expect("member's manager").id, carol);
        let mut handles: Vec<_> = t.channels.nodes.iter().map(|c| c.id.clone()).collect();
        handles.sort();
        let mut expected = vec![x.clone(), insta.clone()];
        expected.sort();
        assert_eq!(handles, expected, "[{backend:?}] team.channels");
        let m = admin.team_by_id(&marketing, false, "marketing").await;
        assert!(m.team_fields.parent.is_none());
        assert_eq!(
            m.children
                .nodes
                .iter()
                .map(|c| c.id.clone())
                .collect::<Vec<_>>(),
            std::slice::from_ref(&social),
            "[{backend:?}] children"
        );
        let l = admin.team_by_id(&legal, true, "legal").await;
        assert_eq!(
            l.channels.nodes.len(),
            1,
            "[{backend:?}] includeRetired on team.channels"
        );
        let archived = admin.team_by_id(&old, false, "archived team").await;
        assert!(archived.team_fields.archived && archived.team_fields.archived_at.is_some());

        // coverage: team and organization; a LEGAL role removes LEGAL from `missing`.
        let cov = |team_id: Option<String>| {
            let admin = admin.clone();
            async move {
                admin
                    .run::<Coverage>(coverage::Variables { team_id })
                    .await
                    .expect("coverage")
                    .coverage
            }
        };
        let before = cov(Some(social.clone())).await;
        assert!(
            before.missing.contains(&coverage::RoleFunction::LEGAL),
            "[{backend:?}] {before:?}"
        );
        assert!(
            before.covered.contains(&coverage::RoleFunction::ANALYTICS),
            "[{backend:?}] team role counts"
        );
        assert!(
            before
                .covered
                .contains(&coverage::RoleFunction::CUSTOMER_SERVICE),
            "[{backend:?}] a role on the team's channel counts: {before:?}"
        );
        assert!(
            !before
                .covered
                .contains(&coverage::RoleFunction::SOCIAL_MEDIA),
            "[{backend:?}] revoked role does not count"
        );
        assert_eq!(before.covered.len() + before.missing.len(), 12);
        let counsel = (
            assign_role::RoleFunction::LEGAL,
            Some(assign_role::Responsibility::LEGAL_UGC_COUNSEL),
        );
        let scope = (assign_role::ScopeKind::TEAM, Some(social.as_str()));
        admin
            .assign_role(role_input(&carol, counsel, scope, "reviews UGC"))
            .await
            .expect("legal role");
        let after = cov(Some(social.clone())).await;
        assert!(
            !after.missing.contains(&coverage::RoleFunction::LEGAL),
            "[{backend:?}] {after:?}"
        );
        assert!(after.covered.contains(&coverage::RoleFunction::LEGAL));
        let org_cov = cov(None).await;
        assert!(org_cov.covered.contains(&coverage::RoleFunction::LEGAL));
        assert!(org_cov.missing.contains(&coverage::RoleFunction::SALES));
        let other_team = cov(Some(support.clone())).await;
        assert_eq!(
            other_team.missing.len(),
            12,
            "[{backend:?}] Support has nobody"
        );
        let o = admin
            .run::<Organization>(organization::Variables)
            .await
            .expect("org")
            .organization
            .expect("org");
        assert_eq!(
            format!("{:?}", o.coverage.covered),
            format!("{:?}", org_cov.covered),
            "[{backend:?}] organization.coverage == coverage()"
        );

        // node / nodes for every type.
        let org_id = o.id.clone();
        let cases: Vec<(String, &str)> = vec![
            (org_id.clone(), "Organization"),
            (social.clone(), "Team"),
            (bob.clone(), "Person"),
            (analytics.id.clone(), "RoleAssignment"),
            (x.clone(), "Channel"),
        ];
        for (id, typename) in &cases {
            let n = admin
                .run::<Node>(node::Variables { id: id.clone() })
                .await
                .expect("node")
                .node
                .unwrap_or_else(|| panic!("[{backend:?}] node({typename}) is null"));
            assert_eq!(&n.id, id);
            match (&n.on, *typename) {
                (node::NodeNodeOn::Organization(o), "Organization") => assert_eq!(o.name, "Acme"),
                (node::NodeNodeOn::Team(t), "Team") => assert_eq!(t.name, "Social"),
                (node::NodeNodeOn::Person(p), "Person") => assert_eq!(p.email, "bob@acme.example"),
                (node::NodeNodeOn::RoleAssignment(r), "RoleAssignment") => {
                    assert_eq!(r.function, node::RoleFunction::ANALYTICS);
                    assert!(r.active);
                }
                (node::NodeNodeOn::Channel(c), "Channel") => assert_eq!(c.handle, "acme"),
                (other, wanted) => panic!("[{backend:?}] node({wanted}) came back as {other:?}"),
            }
        }
        // An id of the right shape that does not exist: null.
        let ghost = {
            use base64::Engine;
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(format!("Team:{}", uuid::Uuid::now_v7()))
        };
        let none = admin
            .run::<Node>(node::Variables { id: ghost.clone() })
            .await
            .expect("ghost node")
            .node;
        assert!(none.is_none(), "[{backend:?}] unknown id gives null");
        let mut ids: Vec<String> = cases.iter().map(|(id, _)| id.clone()).collect();
        ids.insert(2, ghost.clone());
        let list = admin
            .run::<Nodes>(nodes::Variables { ids: ids.clone() })
            .await
            .expect("nodes")
            .nodes;
        assert_eq!(list.len(), 6);
        for (got, wanted) in list.iter().zip(&ids) {
            match got {
                Some(n) => assert_eq!(&n.id, wanted, "[{backend:?}] nodes keeps the order"),
                None => assert_eq!(wanted, &ghost, "[{backend:?}] only the unknown id is null"),
            }
        }
        let typenames: Vec<&str> = list
            .iter()
            .flatten()
            .map(|n| match &n.on {
                nodes::NodesNodesOn::Organization(_) => "Organization",
                nodes::NodesNodesOn::Team(_) => "Team",
                nodes::NodesNodesOn::Person(_) => "Person",
                nodes::NodesNodesOn::RoleAssignment(_) => "RoleAssignment",
                nodes::NodesNodesOn::Channel(_) => "Channel",
                nodes::NodesNodesOn::ApprovalPolicy => "ApprovalPolicy",
                nodes::NodesNodesOn::LegalReview => "LegalReview",
                nodes::NodesNodesOn::Post => "Post",
                nodes::NodesNodesOn::Case => "Case",
                nodes::NodesNodesOn::Contact => "Contact",
                nodes::NodesNodesOn::SlaPolicy => "SlaPolicy",
                nodes::NodesNodesOn::BusinessCalendar => "BusinessCalendar",
            })
            .collect();
        assert_eq!(
            typenames,
            [
                "Organization",
                "Team",
                "Person",
                "RoleAssignment",
                "Channel"
            ]
        );
        let result = admin
            .run::<Node>(node::Variables { id: "%%%".into() })
            .await;
        assert_code(
            result,
            "BAD_USER_INPUT",
            Some("id"),
            &format!("[{backend:?}] node(garbage)"),
        );
        let too_many: Vec<String> = (0..101).map(|_| ghost.clone()).collect();
        let result = admin.run::<Nodes>(nodes::Variables { ids: too_many }).await;
        assert_code(
            result,
            "BAD_USER_INPUT",
            Some("ids"),
            &format!("[{backend:?}] nodes over the cap"),
        );
        // The channel role is a node too.
        let n = admin
            .run::<Node>(node::Variables { id: channel_role })
            .await
            .expect("node")
            .node;
        assert!(n.is_some());

        // Argument errors on the other fields.
        expect_error(
            &admin,
            "query($id: ID!) { team(id: $id) { id } }",
            json!({"id": bob}),
            "BAD_USER_INPUT",
            Some("id"),
            "team(id: a person id)",
        )
        .await;
        expect_error(
            &admin,
            "query($id: ID!) { coverage(teamId: $id) { missing } }",
            json!({"id": ghost}),
            "NOT_FOUND",
            None,
            "coverage of an unknown team",
        )
        .await;

        app.stop().await;
    }
}

backend_tests! {
    async fn role_holders_and_team_structure_travel_in_time(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let admin = app.admin();
        let team_id = app.create_team("Social", None).await;
        let pat = app.add_person("Pat Poster", "pat@acme.example").await;
        let first_manager = app.add_person("Mona First", "mona@acme.example").await;
        let second_manager = app.add_person("Max Second", "max@acme.example").await;

        let before_anything = chrono::Utc::now();
        tokio::time::sleep(Duration::from_millis(20)).await;

        // t1: Pat becomes SOCIAL_MEDIA in the team, reporting to Mona.
        let social = app
            .assign_team_role(&pat, assign_role::RoleFunction::SOCIAL_MEDIA, &team_id)
            .await
            .expect("assign");
        admin.set_reporting_line(&pat, &first_manager).await.expect("line 1");

        tokio::time::sleep(Duration::from_millis(30)).await;
        let between = chrono::Utc::now();
        tokio::time::sleep(Duration::from_millis(30)).await;

        // t2: the role is revoked, Pat moves to ANALYTICS and to Max.
        let revoked = admin.revoke_role(&social.id, "new job").await.expect("revoke");
        assert!(!revoked.role_assignment.expect("role").active);
        let analytics = app
            .assign_team_role(&pat, assign_role::RoleFunction::ANALYTICS, &team_id)
            .await
            .expect("assign analytics");
        admin.set_reporting_line(&pat, &second_manager).await.expect("line 2");
        let after = person_query(&app, &pat, true).await;
        let valid_to = after
            .roles
            .nodes
            .iter()
            .find(|r| r.id == social.id)
            .and_then(|r| r.valid_to)
            .expect("revoked role has validTo");
        assert!(
            social.valid_from < between && between < valid_to,
            "[{backend:?}] clocks: {:?} {between} {valid_to}",
            social.valid_from
        );

        let holders = |function: role_holders::RoleFunction,
                       at: Option<chrono::DateTime<chrono::Utc>>| {
            let admin = admin.clone();
            let team_id = team_id.clone();
            async move {
                admin
                    .run::<RoleHolders>(role_holders::Variables {
                        team_id,
                        function,
                        at,
                        first: None,
                        after: None,
                    })
                    .await
                    .expect("roleHolders")
                    .role_holders
                    .nodes
                    .into_iter()
                    .map(|r| r.id)
                    .collect::<Vec<_>>()
            }
        };
        use role_holders::RoleFunction as F;
        assert_eq!(
            holders(F::SOCIAL_MEDIA, Some(between)).await,
            std::slice::from_ref(&social.id),
            "[{backend:?}] holder between t1 and t2"
        );
        assert!(
            holders(F::SOCIAL_MEDIA, None).await.is_empty(),
            "[{backend:?}] no holder now"
        );
        assert!(
            holders(F::SOCIAL_MEDIA, Some(before_anything))
                .await
                .is_empty(),
            "[{backend:?}] no holder before t1"
        );
        assert!(
            holders(
                F::SOCIAL_MEDIA,
                Some(valid_to + chrono::TimeDelta::milliseconds(1))
            )
            .await
            .is_empty(),
            "[{backend:?}] no holder after t2"
        );
        assert_eq!(
            holders(F::SOCIAL_MEDIA, Some(social.valid_from)).await,
            std::slice::from_ref(&social.id),
            "[{backend:?}] validFrom is inclusive"
        );
        assert!(
            holders(F::SOCIAL_MEDIA, Some(valid_to)).await.is_empty(),
            "[{backend:?}] validTo is exclusive"
        );
        assert!(holders(F::ANALYTICS, Some(between)).await.is_empty());
        assert_eq!(
            holders(F::ANALYTICS, None).await,
            std::slice::from_ref(&analytics.id)
        );
        let holder = admin
            .run::<RoleHolders>(role_holders::Variables {
                team_id: team_id.clone(),
                function: F::SOCIAL_MEDIA,
                at: Some(between),
                first: None,
                after: None,
            })
            .await
            .expect("roleHolders")
            .role_holders
            .nodes
            .remove(0);
        assert_eq!(holder.person.expect("holder").id, pat);
        assert!(!holder.active, "[{backend:?}] `active` is about now");
        let result = admin
            .run::<RoleHolders>(role_holders::Variables {
                team_id: pat.clone(),
                function: F::LEGAL,
                at: None,
                first: None,
                after: None,
            })
            .await;
        assert_code(
            result,
            "BAD_USER_INPUT",
            Some("teamId"),
            &format!("[{backend:?}] roleHolders(teamId: a person)"),
        );

        // teamStructureAsOf: then and now differ.
        let structure = |at: chrono::DateTime<chrono::Utc>| {
            let admin = admin.clone();
            let team_id = team_id.clone();
            async move {
                admin
                    .run::<TeamStructureAsOf>(team_structure_as_of::Variables { team_id, at })
                    .await
                    .expect("teamStructureAsOf")
                    .team_structure_as_of
            }
        };
        let then = structure(between).await;
        assert_eq!(then.at, between, "[{backend:?}] echoes the instant");
        assert_eq!(then.team.id, team_id);
        assert_eq!(
            then.members.nodes.len(),
            1,
            "[{backend:?}] {:?}",
            then.members.nodes
        );
        let member = &then.members.nodes[0];
        assert_eq!(member.person.id, pat);
        assert_eq!(
            member
                .roles
                .iter()
                .map(|r| r.id.clone())
                .collect::<Vec<_>>(),
            std::slice::from_ref(&social.id),
            "[{backend:?}] roles then"
        );
        assert_eq!(
            member.roles[0].function,
            team_structure_as_of::RoleFunction::SOCIAL_MEDIA
        );
        assert_eq!(
            member.manager.as_ref().expect("manager then").id,
            first_manager,
            "[{backend:?}] manager then"
        );

        let now = structure(chrono::Utc::now()).await;
        let member = &now.members.nodes[0];
        assert_eq!(
            member
                .roles
                .iter()
                .map(|r| r.id.clone())
                .collect::<Vec<_>>(),
            std::slice::from_ref(&analytics.id),
            "[{backend:?}] roles now"
        );
        assert_eq!(
            member.manager.as_ref().expect("manager now").id,
            second_manager,
            "[{backend:?}] manager now"
        );

        let before = structure(before_anything).await;
        assert!(
            before.members.nodes.is_empty(),
            "[{backend:?}] nobody before t1"
        );

        expect_error(
            &admin,
            "query($t: ID!) { teamStructureAsOf(teamId: $t, at: \"2024-01-01T00:00:00Z\") { at } }",
            json!({"t": "nonsense"}),
            "BAD_USER_INPUT",
            Some("teamId"),
            "teamStructureAsOf(garbage)",
        )
        .await;
        expect_error(
            &admin,
            "query($t: ID!) { teamStructureAsOf(teamId: $t, at: \"yesterday\") { at } }",
            json!({"t": team_id}),
            "BAD_USER_INPUT",
            None,
            &format!("[{backend:?}] an invalid DateTime is refused with a code"),
        )
        .await;

        app.stop().await;
    }
}

backend_tests! {
    /// `nameContains` is a literal substring even with LIKE's special characters (SQLite
    /// needs an explicit ESCAPE clause for this; without it nothing would match).
    async fn name_filters_treat_like_wildcards_literally(backend: TestBackend) {
        let app = spawn_app(backend).await;
        app.create_team("100% Organic_Reach", None).await;
        app.create_team("1000 Organic Reach", None).await;
        for (filter, expected, what) in [
            (
                teams::TeamFilterInput { name_contains: Some("0% organic_r".into()), ..team_filter() },
                vec!["100% Organic_Reach"],
                "% and _ are literal",
            ),
        ] {
            assert_eq!(team_names(&app, filter).await, expected, "[{backend:?}] {what}");
        }
        app.stop().await;
    }
}

backend_tests! {
    /// `teamStructureAsOf` shows the channels and sub-teams that existed at the instant, not
    /// today's.
    async fn team_structure_as_of_has_the_channels_and_sub_teams_of_that_instant(
        backend: TestBackend,
    ) {
        use chorus_client::register_channel::SocialNetwork;

        let app = spawn_app(backend).await;
        let admin = app.admin();
        let before_team = chrono::Utc::now();
        tokio::time::sleep(Duration::from_millis(5)).await;
        let hub = app.create_team("Hub", None).await;
        let old_child = app.create_team("Old child", Some(&hub)).await;
        let old_channel = app.register_channel(&hub, SocialNetwork::X, "@old").await;
        tokio::time::sleep(Duration::from_millis(5)).await;
        let then = chrono::Utc::now();
        tokio::time::sleep(Duration::from_millis(5)).await;
        admin.archive_team(&old_child, None).await.expect("archive");
        admin.retire_channel(&old_channel, None).await.expect("retire");
        app.create_team("New child", Some(&hub)).await;
        app.register_channel(&hub, SocialNetwork::INSTAGRAM, "@new")
            .await;

        let query =
            "query($id: ID!, $at: DateTime!) { teamStructureAsOf(teamId: $id, at: $at) { existed \
                     channels { nodes { handle } } children { nodes { name } } } }";
        let at = |instant: chrono::DateTime<chrono::Utc>| {
            let admin = admin.clone();
            let hub = hub.clone();
            async move {
                expect_data(
                    &admin,
                    query,
                    json!({"id": hub, "at": instant.to_rfc3339()}),
                    "as of",
                )
                .await["teamStructureAsOf"]
                    .clone()
            }
        };
        let snapshot = at(then).await;
        assert_eq!(snapshot["existed"], true);
        assert_eq!(
            snapshot["channels"]["nodes"],
            json!([{"handle": "old"}]),
            "[{backend:?}] channels then"
        );
        assert_eq!(
            snapshot["children"]["nodes"],
            json!([{"name": "Old child"}]),
            "[{backend:?}] sub-teams then"
        );
        let snapshot = at(chrono::Utc::now()).await;
        assert_eq!(
            snapshot["channels"]["nodes"],
            json!([{"handle": "new"}]),
            "[{backend:?}] channels now"
        );
        assert_eq!(
            snapshot["children"]["nodes"],
            json!([{"name": "New child"}]),
            "[{backend:?}] sub-teams now"
        );
        let snapshot = at(before_team).await;
        assert_eq!(
            snapshot["existed"], false,
            "[{backend:?}] the team did not exist yet"
        );
        assert_eq!(snapshot["channels"]["nodes"], json!([]));
        app.stop().await;
    }
}
