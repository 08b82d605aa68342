//! Idempotency keys: a retried mutation returns the first result (`replayed: true`, same
//! position) and appends nothing; the same key with another input is refused.

use chorus_tests::client::{self as api, GraphQLQuery};
use chorus_tests::{assert_code, backend_tests, spawn_app, TestApp, TestBackend};

/// Sends `variables` twice: the first time it writes, the second is a replay with the
/// same position and no new events. `receipt` reads the payload's position and replayed
/// flag. Returns the first answer.
async fn twice<Q: GraphQLQuery>(
    app: &TestApp,
    variables: Q::Variables,
    receipt: fn(&Q::ResponseData) -> (String, bool),
    what: &str,
) -> Q::ResponseData
where
    Q::Variables: Clone,
    Q::ResponseData: std::fmt::Debug,
{
    let admin = app.admin();
    let before = app.event_count().await;
    let first = admin
        .run::<Q>(variables.clone())
        .await
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    let written = app.event_count().await;
    assert!(written > before, "{what}: the first request wrote nothing");
    let (position, replayed) = receipt(&first);
    assert!(!replayed, "{what}: first request marked replayed");
    let second = admin
        .run::<Q>(variables)
        .await
        .unwrap_or_else(|e| panic!("{what} retry: {e}"));
    let (again, replayed) = receipt(&second);
    assert!(replayed, "{what}: retry not marked replayed: {second:?}");
    assert_eq!(again, position, "{what}: retry has another position");
    app.assert_event_count(written, &format!("{what}: the retry appended events"))
        .await;
    first
}

/// `twice` for a mutation whose payload is the root field `$field`.
macro_rules! twice {
    ($app:expr, $op:ident . $field:ident, $input:expr, $what:expr) => {
        twice::<api::$op>(
            $app,
            api::$field::Variables { input: $input },
            |data| (data.$field.position.clone(), data.$field.replayed),
            $what,
        )
    };
}

fn key(key: &str) -> Option<String> {
    Some(key.to_owned())
}

fn create_team(
    name: &str,
    parent_id: Option<&str>,
    idempotency_key: &str,
) -> api::create_team::Variables {
    let input = api::create_team::CreateTeamInput {
        name: name.into(),
        parent_id: parent_id.map(str::to_owned),
        idempotency_key: key(idempotency_key),
    };
    api::create_team::Variables { input }
}

fn add_person(name: &str, email: &str, idempotency_key: &str) -> api::add_person::AddPersonInput {
    api::add_person::AddPersonInput {
        display_name: name.into(),
        email: email.into(),
        affiliation: api::add_person::Affiliation::INTERNAL,
        external_id: None,
        idempotency_key: key(idempotency_key),
    }
}

fn assign_role(
    person_id: &str,
    function: api::assign_role::RoleFunction,
    team_id: Option<&str>,
    reason: &str,
    idempotency_key: Option<&str>,
) -> api::assign_role::AssignRoleInput {
    use api::assign_role::ScopeKind;
    api::assign_role::AssignRoleInput {
        person_id: person_id.into(),
        function,
        responsibility: None,
        scope: api::assign_role::RoleScopeInput {
            kind: if team_id.is_some() {
                ScopeKind::TEAM
            } else {
                ScopeKind::ORGANIZATION
            },
            id: team_id.map(str::to_owned),
        },
        effective_from: None,
        reason: reason.into(),
        idempotency_key: idempotency_key.map(str::to_owned),
    }
}

fn register_channel(
    team_id: &str,
    idempotency_key: &str,
) -> api::register_channel::RegisterChannelInput {
    api::register_channel::RegisterChannelInput {
        team_id: team_id.into(),
        network: api::register_channel::SocialNetwork::YOUTUBE,
        handle: "acme".into(),
        idempotency_key: key(idempotency_key),
    }
}

backend_tests! {
    async fn retries_replay_and_reused_keys_are_refused(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let admin = app.admin();
        let tag = |what: &str| format!("[{backend:?}] {what}");
        use api::assign_role::RoleFunction as F;

        // createTeam: the retry returns the same team.
        let create = create_team("Social", None, "create-social");
        let first = twice::<api::CreateTeam>(
            &app,
            create.clone(),
            |d| (d.create_team.position.clone(), d.create_team.replayed),
            &tag("createTeam"),
        )
        .await;
        let team = first.create_team.team.expect("team").id;
        let again = admin.run::<api::CreateTeam>(create).await.expect("createTeam retry");
        assert_eq!(again.create_team.team.expect("team").id, team, "{}", tag("same team id"));
        let everything = api::teams::Variables { first: None, after: None, filter: None };
        let teams = admin.run::<api::Teams>(everything).await.expect("teams");
        assert_eq!(teams.teams.edges.len(), 1, "{}", tag("one team"));

        // Same key, different input; same key, another mutation.
        let before = app.event_count().await;
        let reused = create_team("Other", None, "create-social");
        chorus_tests::expect_refused::<api::CreateTeam>(&admin, reused, "IDEMPOTENCY_KEY_REUSED", &tag("createTeam reused key")).await;
        let reused = api::add_person::Variables { input: add_person("X", "x@acme.example", "create-social") };
        chorus_tests::expect_refused::<api::AddPerson>(&admin, reused, "IDEMPOTENCY_KEY_REUSED", &tag("addPerson with createTeam's key")).await;
        assert_eq!(app.event_count().await, before, "{}", tag("reused keys wrote events"));

        // Every other mutation kind.
        let added = twice!(&app, AddPerson.add_person, add_person("Pia", "pia@acme.example", "add-pia"), &tag("addPerson")).await;
        let person = added.add_person.person.expect("person").person_fields.id;
        let manager = app.add_person("Mo", "mo@acme.example").await;
        let rename = api::rename_organization::RenameOrganizationInput { name: "Acme 2".into(), idempotency_key: key("rename-org") };
        twice!(&app, RenameOrganization.rename_organization, rename, &tag("renameOrganization")).await;
        let rename = api::rename_team::RenameTeamInput { team_id: team.clone(), name: "Social 2".into(), idempotency_key: key("rename-team") };
        twice!(&app, RenameTeam.rename_team, rename, &tag("renameTeam")).await;
        let update = api::update_person::UpdatePersonInput {
            person_id: person.clone(),
            display_name: Some("Pia P".into()),
            email: None,
            affiliation: None,
            external_id: None,
            idempotency_key: key("update-pia"),
        };
        twice!(&app, UpdatePerson.update_person, update, &tag("updatePerson")).await;
        let assign = assign_role(&person, F::SOCIAL_MEDIA, Some(&team), "r", Some("assign-pia"));
        let assigned = twice!(&app, AssignRole.assign_role, assign.clone(), &tag("assignRole")).await;
        let role = assigned.assign_role.role_assignment.expect("role").id;
        let replayed = admin.run::<api::AssignRole>(api::assign_role::Variables { input: assign }).await.expect("assignRole replay");
        assert_eq!(replayed.assign_role.role_assignment.expect("role").id, role, "{}", tag("the replay names the first assignment"));
        let held = api::person::Variables { id: person.clone(), include_inactive_roles: false };
        let held = admin.run::<api::Person>(held).await.expect("roles").person.expect("person");
        let roles: Vec<&str> = held.roles.nodes.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(roles, [role.as_str()], "{}", tag("one assignment"));
        let revoke = api::revoke_role::RevokeRoleInput { role_assignment_id: role.clone(), reason: "r".into(), idempotency_key: key("revoke-pia") };
        twice!(&app, RevokeRole.revoke_role, revoke, &tag("revokeRole")).await;
        let line = api::set_reporting_line::SetReportingLineInput { person_id: person.clone(), manager_id: manager.clone(), idempotency_key: key("line-pia") };
        twice!(&app, SetReportingLine.set_reporting_line, line, &tag("setReportingLine")).await;
        let clear = api::clear_reporting_line::ClearReportingLineInput { person_id: person.clone(), idempotency_key: key("clear-pia") };
        twice!(&app, ClearReportingLine.clear_reporting_line, clear, &tag("clearReportingLine")).await;
        let registered = twice!(&app, RegisterChannel.register_channel, register_channel(&team, "channel-yt"), &tag("registerChannel")).await;
        let channel = registered.register_channel.channel.expect("channel").id;
        let replay = api::register_channel::Variables { input: register_channel(&team, "channel-yt") };
        let replayed = admin.run::<api::RegisterChannel>(replay).await.expect("registerChannel replay");
        assert_eq!(replayed.register_channel.channel.expect("channel").id, channel);
        // Same handle, new key: a real duplicate.
        let duplicate = api::register_channel::Variables { input: register_channel(&team, "channel-yt-2") };
        chorus_tests::expect_refused::<api::RegisterChannel>(&admin, duplicate, "ALREADY_EXISTS", &tag("registerChannel duplicate with a new key")).await;
        let retire = api::retire_channel::RetireChannelInput { channel_id: channel, reason: None, idempotency_key: key("retire-yt") };
        twice!(&app, RetireChannel.retire_channel, retire, &tag("retireChannel")).await;
        let offboard = api::offboard_person::OffboardPersonInput { person_id: person, reason: None, idempotency_key: key("offboard-pia") };
        twice!(&app, OffboardPerson.offboard_person, offboard, &tag("offboardPerson")).await;
        let archive = api::archive_team::ArchiveTeamInput { team_id: team.clone(), reason: None, idempotency_key: key("archive") };
        let archived = twice!(&app, ArchiveTeam.archive_team, archive, &tag("archiveTeam")).await;
        assert!(archived.archive_team.team.expect("team").archived);

        // The retry of a role assignment with a responsibility, and a new key for it.
        let other_team = app.create_team("Typed", None).await;
        let typed = |key: &str| {
            let input = api::assign_role::AssignRoleInput {
                responsibility: Some(api::assign_role::Responsibility::CONTENT_DEVELOPER),
                ..assign_role(&manager, F::CREATIVE, Some(&other_team), "typed", Some(key))
            };
            admin.run::<api::AssignRole>(api::assign_role::Variables { input })
        };
        let a = typed("typed-1").await.expect("typed assign").assign_role;
        let b = typed("typed-1").await.expect("typed retry").assign_role;
        assert!(!a.replayed && b.replayed);
        assert_eq!(a.position, b.position);
        assert_eq!(
            a.role_assignment.expect("role").id,
            b.role_assignment.expect("replayed role").id,
            "{}",
            tag("typed replay")
        );
        // Without a key, the same request is a duplicate.
        assert_code(typed("typed-2").await, "DUPLICATE_ACTIVE_ASSIGNMENT", None, &tag("new key, same role"));

        // Keys belong to an organization: another one may use the same key.
        let other = app.second_org("Globex", "admin@globex.example").await;
        let theirs = other
            .client
            .run::<api::CreateTeam>(create_team("Social", None, "create-social"))
            .await
            .expect("other org, same key")
            .create_team;
        assert!(!theirs.replayed, "{}", tag("keys are per organization"));
        assert_ne!(theirs.team.expect("team").id, team, "{}", tag("other org got A's team"));

        app.stop().await;
    }
}

backend_tests! {
    /// The key is looked up before any validation: a retry after the state moved on (here the
    /// parent team was archived in between) still gets the first answer. And a key is bound
    /// to its caller: another admin reusing it is refused, never handed the first result.
    async fn replays_come_before_validation_and_keys_belong_to_their_caller(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let admin = app.admin();
        let tag = |what: &str| format!("[{backend:?}] {what}");
        let parent = app.create_team("Marketing", None).await;
        let create = create_team("Social", Some(&parent), "child-1");
        let first = admin.run::<api::CreateTeam>(create.clone()).await.expect("create child");
        let archive = api::archive_team::ArchiveTeamInput { team_id: parent, reason: None, idempotency_key: None };
        admin.run::<api::ArchiveTeam>(api::archive_team::Variables { input: archive }).await.expect("archive parent");
        let retry = admin.run::<api::CreateTeam>(create.clone()).await.expect("retry after archive");
        assert!(retry.create_team.replayed, "{}", tag("replayed, not TEAM_ARCHIVED"));
        assert_eq!(retry.create_team.team.map(|t| t.id), first.create_team.team.map(|t| t.id));

        // A second admin (senior management at organization scope) sends the same request
        // with the same key: a different caller, so the key is refused.
        let other = app.add_person("Grace Admin", "grace@acme.example").await;
        let promote = assign_role(&other, api::assign_role::RoleFunction::SENIOR_MANAGEMENT, None, "Second admin", None);
        admin.run::<api::AssignRole>(api::assign_role::Variables { input: promote }).await.expect("promote");
        let grace = app.client(Some(&app.token_for_person(chorus_tests::uuid_of(&other))));
        chorus_tests::expect_refused::<api::CreateTeam>(&grace, create, "IDEMPOTENCY_KEY_REUSED", &tag("other caller")).await;
        app.stop().await;
    }
}
