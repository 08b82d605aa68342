use chrono::{DateTime, TimeDelta, Utc};
use cqrs_es::test::TestFramework;
use uuid::Uuid;

use super::*;
use crate::testing::assert_events_round_trip;
use crate::values::Reason;

type TokenTest = TestFramework<ServiceToken>;

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000, 0).expect("valid instant")
}

fn issued() -> ServiceTokenEvent {
    ServiceTokenEvent::ServiceTokenIssued {
        token_id: Uuid::from_u128(1),
        organization_id: Uuid::from_u128(2),
        service_account_id: Uuid::from_u128(3),
        scopes: vec![ServiceScope::TeamsRead],
        description: Some("HR sync".into()),
        expires_at: now() + TimeDelta::hours(1),
        issued_by: None,
        at: now(),
    }
}

fn issue(scopes: Vec<ServiceScope>, expires_at: DateTime<Utc>) -> ServiceTokenCommand {
    ServiceTokenCommand::IssueServiceToken {
        token_id: Uuid::from_u128(1),
        organization_id: Uuid::from_u128(2),
        service_account_id: Uuid::from_u128(3),
        scopes,
        description: Some(Reason::try_from("HR sync").expect("valid")),
        expires_at,
        issued_by: None,
        now: now(),
    }
}

fn revoke() -> ServiceTokenCommand {
    ServiceTokenCommand::RevokeServiceToken {
        reason: None,
        revoked_by: Some(Uuid::from_u128(9)),
        now: now(),
    }
}

#[test]
fn a_token_is_issued_with_its_scopes() {
    TokenTest::with(())
        .given_no_previous_events()
        .when(issue(
            vec![ServiceScope::TeamsRead],
            now() + TimeDelta::hours(1),
        ))
        .then_expect_events(vec![issued()]);
}

#[test]
fn a_token_needs_scopes_each_once_and_a_future_expiry() {
    TokenTest::with(())
        .given_no_previous_events()
        .when(issue(vec![], now() + TimeDelta::hours(1)))
        .then_expect_error(ServiceTokenError::InvalidScopes);
    TokenTest::with(())
        .given_no_previous_events()
        .when(issue(
            vec![ServiceScope::TeamsRead, ServiceScope::TeamsRead],
            now() + TimeDelta::hours(1),
        ))
        .then_expect_error(ServiceTokenError::InvalidScopes);
    TokenTest::with(())
        .given_no_previous_events()
        .when(issue(vec![ServiceScope::TeamsRead], now()))
        .then_expect_error(ServiceTokenError::ExpiresBeforeIssue);
    TokenTest::with(())
        .given(vec![issued()])
        .when(issue(
            vec![ServiceScope::TeamsRead],
            now() + TimeDelta::hours(1),
        ))
        .then_expect_error(ServiceTokenError::AlreadyExists);
}

#[test]
fn a_token_is_revoked_once() {
    let revoked = ServiceTokenEvent::ServiceTokenRevoked {
        reason: None,
        revoked_by: Some(Uuid::from_u128(9)),
        at: now(),
    };
    TokenTest::with(())
        .given(vec![issued()])
        .when(revoke())
        .then_expect_events(vec![revoked.clone()]);
    TokenTest::with(())
        .given(vec![issued(), revoked.clone()])
        .when(revoke())
        .then_expect_error(ServiceTokenError::AlreadyRevoked);
    TokenTest::with(())
        .given_no_previous_events()
        .when(revoke())
        .then_expect_error(ServiceTokenError::NotFound);
    assert_events_round_trip(&[issued(), revoked]);
}

#[test]
fn scopes_read_and_write_their_token_form() {
    for scope in ServiceScope::ALL {
        assert_eq!(
            serde_json::to_string(scope).expect("serialize"),
            format!("\"{}\"", scope.as_str())
        );
        assert_eq!(scope.as_str().parse::<ServiceScope>().as_ref(), Ok(scope));
    }
    assert_eq!(
        "root".parse::<ServiceScope>().expect_err("unknown").field,
        "scope"
    );
}
