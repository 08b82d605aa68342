//! Every mutation's success path: the payload shows the new state at once
//! (read-your-writes) with the log position of the change.

use chorus_client::{
    add_person, assign_role, person, register_channel, update_person, viewer, Person, Viewer,
};
use chorus_tests::{
    assert_code, backend_tests, role_input, spawn_app, uuid_of, TeamsApi, TestBackend,
};
/// Positions are opaque tokens: never the bare log position (which would show other
/// organizations' write volume), and each new mutation's differs from the last.
fn position(value: &str, previous: &mut String, what: &str) {
    assert!(
        value.len() >= 40 && value.parse::<u64>().is_err(),
        "{what}: position {value:?} is not an opaque token"
    );
    assert_ne!(
        value,
        previous.as_str(),
        "{what}: the same position as the last mutation"
    );
    *previous = value.to_owned();
}

/// `assignRole` with `input`, which must succeed with a new position; returns the role.
async fn assigned(
    admin: &chorus_tests::client::ChorusClient,
    input: assign_role::AssignRoleInput,
    previous: &mut String,
    what: &str,
) -> assign_role::RolePayloadFieldsRoleAssignment {
    let payload = admin.assign_role(input).await.expect(what);
    position(&payload.position, previous, what);
    payload.role_assignment.expect("role")
}

backend_tests! {
    async fn every_mutation_returns_the_new_state_and_a_position(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let admin = app.admin();
        let me = admin
            .run::<Viewer>(viewer::Variables)
            .await
            .expect("viewer")
            .viewer
            .person
            .expect("admin")
            .id;
        let mut last = String::new();
        let tag = |what: &str| format!("[{backend:?}] {what}");

        // renameOrganization
        let r = admin.rename_organization("  Acme Social  ").await.expect("renameOrganization");
        assert_eq!(
            r.organization.expect("organization").name,
            "Acme Social",
            "{}",
            tag("name is trimmed")
        );
        assert!(!r.replayed);
        position(&r.position, &mut last, &tag("renameOrganization"));

        // createTeam (top level, then with a parent)
        let parent = admin.create_team("Marketing", None).await.expect("createTeam");
        position(&parent.position, &mut last, &tag("createTeam"));
        let parent = parent.team.expect("team");
        assert_eq!(parent.name, "Marketing");
        assert!(parent.parent.is_none() && !parent.archived && parent.archived_at.is_none());
        let child = admin
            .create_team("Social", Some(&parent.id))
            .await
            .expect("createTeam with parent");
        position(&child.position, &mut last, &tag("createTeam child"));
        assert!(!child.replayed);
        let child = child.team.expect("child team");
        assert_eq!(
            child.parent.as_ref().expect("parent").id,
            parent.id,
            "{}",
            tag("parent")
        );

        // renameTeam
        let renamed = admin.rename_team(&child.id, "Social Media").await.expect("renameTeam");
        position(&renamed.position, &mut last, &tag("renameTeam"));
        assert_eq!(renamed.team.expect("team").name, "Social Media");
        // Read-your-writes through the header, too.
        let fresh = admin
            .consistent_with(renamed.position.clone())
            .team_by_id(&child.id, false, "team with Chorus-Consistent-With")
            .await;
        assert_eq!(fresh.team_fields.name, "Social Media");

        // archiveTeam
        let doomed = app.create_team("Doomed", None).await;
        let archived = admin.archive_team(&doomed, Some("merged")).await.expect("archiveTeam");
        position(&archived.position, &mut last, &tag("archiveTeam"));
        let archived = archived.team.expect("archived team");
        assert!(
            archived.archived && archived.archived_at.is_some(),
            "{}",
            tag("archived")
        );

        // addPerson
        let added = admin
            .add_person(add_person::AddPersonInput {
                display_name: "Eve Editor".into(),
                email: " Eve@Acme.Example ".into(),
                affiliation: add_person::Affiliation::FREELANCER,
                external_id: Some("hr-42".into()),
                idempotency_key: None,
            })
            .await
            .expect("addPerson");
        position(&added.position, &mut last, &tag("addPerson"));
        let added = added.person.expect("person");
        let eve = &added.person_fields;
        assert_eq!(eve.display_name, "Eve Editor");
        assert_eq!(
            eve.email,
            "eve@acme.example",
            "{}",
            tag("email is normalised")
        );
        assert_eq!(eve.affiliation, add_person::Affiliation::FREELANCER);
        assert_eq!(eve.external_id.as_deref(), Some("hr-42"));
        assert_eq!(eve.status, add_person::PersonStatus::ACTIVE);
        assert!(eve.offboarded_at.is_none() && added.roles.nodes.is_empty());

        // updatePerson: only the given fields change.
        let updated = admin
            .update_person(update_person::UpdatePersonInput {
                person_id: eve.id.clone(),
                display_name: Some("Eve Chief Editor".into()),
                email: None,
                affiliation: Some(update_person::Affiliation::INTERNAL),
                external_id: None,
                idempotency_key: None,
            })
            .await
            .expect("updatePerson");
        position(&updated.position, &mut last, &tag("updatePerson"));
        let eve2 = updated.person.expect("person").person_fields;
        assert_eq!(eve2.display_name, "Eve Chief Editor");
        assert_eq!(eve2.affiliation, add_person::Affiliation::INTERNAL);
        assert_eq!(eve2.email, "eve@acme.example", "{}", tag("email untouched"));
        assert_eq!(
            eve2.external_id.as_deref(),
            Some("hr-42"),
            "{}",
            tag("externalId untouched")
        );

        // registerChannel
        let bluesky = register_channel::SocialNetwork::BLUESKY;
        let registered = admin
            .register_channel(&child.id, bluesky.clone(), "@acme.bsky.social")
            .await
            .expect("registerChannel");
        position(&registered.position, &mut last, &tag("registerChannel"));
        let channel = registered.channel.expect("channel");
        assert_eq!(channel.handle, "acme.bsky.social");
        assert_eq!(channel.network, bluesky);
        assert_eq!(channel.team.as_ref().expect("owner").id, child.id);
        assert!(!channel.retired);

        // assignRole in each scope kind.
        use assign_role::{Responsibility as R, RoleFunction as F, ScopeKind as S};
        let reason = "needed for launch";
        let input = role_input(&eve.id, (F::MARKETING, None), (S::ORGANIZATION, None), reason);
        let org_role = assigned(&admin, input, &mut last, &tag("assignRole (organization)")).await;
        assert_eq!(org_role.scope.kind, S::ORGANIZATION);
        assert!(org_role.scope.team.is_none() && org_role.scope.channel.is_none());
        assert_eq!(org_role.function, F::MARKETING);
        assert!(org_role.active && org_role.valid_to.is_none());
        assert_eq!(org_role.reason, "needed for launch");
        assert_eq!(org_role.person.as_ref().expect("holder").id, eve.id);
        assert_eq!(
            org_role.granted_by.as_ref().expect("granted by").id,
            me,
            "{}",
            tag("grantedBy")
        );

        let manager = (F::SOCIAL_MEDIA, Some(R::SOCIAL_MEDIA_MANAGER));
        let input = role_input(&eve.id, manager, (S::TEAM, Some(&child.id)), reason);
        let team_role = assigned(&admin, input, &mut last, &tag("assignRole (team)")).await;
        assert_eq!(team_role.scope.kind, S::TEAM);
        assert_eq!(team_role.scope.team.as_ref().expect("team").id, child.id);
        assert_eq!(team_role.responsibility, Some(R::SOCIAL_MEDIA_MANAGER));

        let service = (F::CUSTOMER_SERVICE, None);
        let input = role_input(&eve.id, service, (S::CHANNEL, Some(&channel.id)), reason);
        let channel_role = assigned(&admin, input, &mut last, &tag("assignRole (channel)")).await;
        assert_eq!(channel_role.scope.kind, S::CHANNEL);
        assert_eq!(
            channel_role.scope.channel.as_ref().expect("channel").id,
            channel.id
        );

        // A future-dated role is not active yet.
        let counsel = (F::LEGAL, Some(R::LEGAL_PRIVACY_SECURITY_COUNSEL));
        let future = assign_role::AssignRoleInput {
            effective_from: Some(chrono::Utc::now() + chrono::TimeDelta::days(7)),
            ..role_input(&eve.id, counsel, (S::ORGANIZATION, None), "starts next week")
        };
        let future = admin.assign_role(future).await.expect("future role");
        position(&future.position, &mut last, &tag("assignRole (future)"));
        assert!(
            !future.role_assignment.expect("role").active,
            "{}",
            tag("future role inactive")
        );

        // revokeRole
        let revoked = admin.revoke_role(&org_role.id, "campaign over").await.expect("revokeRole");
        position(&revoked.position, &mut last, &tag("revokeRole"));
        let revoked = revoked.role_assignment.expect("role");
        assert_eq!(revoked.id, org_role.id);
        assert!(
            !revoked.active && revoked.valid_to.is_some(),
            "{}",
            tag("revoked")
        );
        assert_eq!(revoked.revoke_reason.as_deref(), Some("campaign over"));
        assert_eq!(revoked.revoked_by.as_ref().expect("revoked by").id, me);

        // setReportingLine / clearReportingLine
        let boss = app.add_person("Bea Boss", "bea@acme.example").await;
        let line = admin.set_reporting_line(&eve.id, &boss).await.expect("setReportingLine");
        position(&line.position, &mut last, &tag("setReportingLine"));
        assert_eq!(
            line.person.expect("person").manager.expect("manager").id,
            boss,
            "{}",
            tag("manager")
        );
        let boss_view = admin
            .run::<Person>(person::Variables {
                id: boss.clone(),
                include_inactive_roles: false,
            })
            .await
            .expect("boss")
            .person
            .expect("boss");
        assert_eq!(
            boss_view
                .reports
                .nodes
                .iter()
                .map(|p| p.id.clone())
                .collect::<Vec<_>>(),
            std::slice::from_ref(&eve.id)
        );
        let cleared = admin.clear_reporting_line(&eve.id).await.expect("clearReportingLine");
        position(&cleared.position, &mut last, &tag("clearReportingLine"));
        assert!(
            cleared.person.expect("person").manager.is_none(),
            "{}",
            tag("cleared")
        );

        // retireChannel
        let retired = admin
            .retire_channel(&channel.id, Some("account closed"))
            .await
            .expect("retireChannel");
        position(&retired.position, &mut last, &tag("retireChannel"));
        let retired = retired.channel.expect("channel");
        assert!(retired.retired && retired.retired_at.is_some());

        // offboardPerson: revokes every role; the person's token stops working.
        let eve_token = app.token_for_person(uuid_of(&eve.id));
        let eve_client = app.client(Some(&eve_token));
        let seen = eve_client
            .run::<Viewer>(viewer::Variables)
            .await
            .expect("eve reads before offboarding")
            .viewer;
        assert!(!seen.is_admin);
        let line = admin.set_reporting_line(&eve.id, &boss).await.expect("line again");
        position(&line.position, &mut last, &tag("setReportingLine again"));
        let off = admin
            .offboard_person(&eve.id, Some("left the company"))
            .await
            .expect("offboardPerson");
        position(&off.position, &mut last, &tag("offboardPerson"));
        let gone = off.person.expect("person");
        assert_eq!(
            gone.person_fields.status,
            add_person::PersonStatus::OFFBOARDED
        );
        assert!(gone.person_fields.offboarded_at.is_some());
        assert!(gone.roles.nodes.len() >= 3, "{}", tag("roles listed"));
        assert!(
            gone.roles.nodes.iter().all(|r| !r.active),
            "{}: every role revoked: {:?}",
            tag("offboard"),
            gone.roles.nodes
        );
        assert!(gone.roles.nodes.iter().all(|r| r.valid_to.is_some()));
        let team_now = admin.team_by_id(&child.id, true, "team").await;
        assert!(
            team_now.members.nodes.is_empty(),
            "{}: offboarded person left the team",
            tag("members")
        );
        let result = eve_client.run::<Viewer>(viewer::Variables).await;
        let error = assert_code(result, "UNAUTHENTICATED", None, &tag("offboarded token"));
        assert_eq!(error.status(), Some(401), "{}", tag("HTTP 401"));

        app.stop().await;
    }
}
