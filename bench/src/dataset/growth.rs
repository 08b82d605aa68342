//! Two more organizations, for the costs that must not grow with the data:
//!
//! - **Growth Corp** starts at exactly 1,000 people with a 50-member team like the read
//!   team and 100 reporting-line changes; the benchmark reads its team, then adds people
//!   in bulk ([`grow`]) while the server runs and reads it again at 100,000.
//! - **History Corp** has one `ReportingLines` aggregate with 100,000 changes behind it
//!   (people alternating between two managers), where `setReportingLine` is timed against
//!   Growth Corp's at 100.
//!
//! Loaded like the main history: through the aggregates' own command handlers.

use chorus_teams::{
    Organization, OrganizationCommand, OrganizationName, ReportingLines, RoleFunction, RoleScope,
    Team, TeamCommand, TeamName,
};
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::recorder::{value, Recorder, Tracked};
use super::{Clock, Loader};
use crate::BenchError;

/// People in Growth Corp before it grows.
pub const GROWTH_START_PEOPLE: usize = 1_000;
/// Reporting-line changes in Growth Corp: the "100 prior changes" of the cost scenario.
pub const GROWTH_LINE_CHANGES: usize = 100;
/// Members of Growth Corp's team, each with two roles there.
const TEAM_MEMBERS: usize = 50;
/// Leads among them, whom the others report to.
const LEADS: usize = 5;

/// Growth Corp: its admin, team, the leads people report to, and people with no line yet
/// (for measured changes that are each a new line).
#[derive(Debug, Clone)]
pub struct GrowthOrg {
    pub organization_id: Uuid,
    pub admin_id: Uuid,
    pub team_id: Uuid,
    pub leads: Vec<Uuid>,
    pub without_line: Vec<Uuid>,
    /// People added so far (names are numbered from here).
    pub people: usize,
}

/// History Corp: its admin, people whose lines changed `changes` times in all, and a
/// manager none of them reports to yet (so every measured change is a change).
#[derive(Debug, Clone)]
pub struct HistoryOrg {
    pub admin_id: Uuid,
    pub people: Vec<Uuid>,
    pub new_manager: Uuid,
    pub changes: usize,
}

/// A new organization with its admin.
async fn found(
    rec: &mut Recorder,
    clock: &mut Clock,
    name: &str,
) -> Result<(Uuid, Uuid), BenchError> {
    let organization_id = rec.organization_id();
    let admin_id = Uuid::now_v7();
    let mut org = Tracked::<Organization>::new(organization_id);
    let command = OrganizationCommand::CreateOrganization {
        organization_id,
        name: value::<OrganizationName, _>(name)?,
        founding_admin_id: admin_id,
    };
    rec.run(&mut org, command, admin_id, clock.tick()).await?;
    rec.add_person(admin_id, clock.tick(), admin_id).await?;
    Ok((organization_id, admin_id))
}

/// Loads Growth Corp at [`GROWTH_START_PEOPLE`] people.
pub async fn growth_org(url: &str, from: DateTime<Utc>) -> Result<GrowthOrg, BenchError> {
    let mut rec = Recorder::new(Uuid::now_v7(), Loader::connect(url).await?);
    let mut clock = Clock(from);
    let (organization_id, admin_id) = found(&mut rec, &mut clock, "Growth Corp").await?;
    let team_id = Uuid::now_v7();
    let mut team = Tracked::<Team>::new(team_id);
    let command = TeamCommand::CreateTeam {
        team_id,
        organization_id,
        name: value::<TeamName, _>("Roster")?,
        parent_id: None,
    };
    rec.run(&mut team, command, admin_id, clock.tick()).await?;
    let mut reporting = Tracked::<ReportingLines>::new(organization_id);
    let mut leads = Vec::with_capacity(LEADS);
    let mut changes = 0;
    for index in 0..TEAM_MEMBERS {
        let id = Uuid::now_v7();
        let at = clock.tick();
        let mut person = rec.add_person(admin_id, at, id).await?;
        for function in [RoleFunction::SocialMedia, RoleFunction::Analytics] {
            let role = (function, RoleScope::team(team_id));
            rec.assign(&mut person, role, "joined the team", at, admin_id)
                .await?;
        }
        if index < LEADS {
            leads.push(id);
        } else {
            rec.set_manager(&mut reporting, (id, leads[index % LEADS]), at, admin_id)
                .await?;
            changes += 1;
        }
    }
    // The rest of the organization; the first of them get lines up to the 100 changes.
    let mut without_line = Vec::new();
    for _ in TEAM_MEMBERS + 1..GROWTH_START_PEOPLE {
        let id = Uuid::now_v7();
        let at = clock.tick();
        rec.add_person(admin_id, at, id).await?;
        if changes < GROWTH_LINE_CHANGES {
            rec.set_manager(&mut reporting, (id, leads[changes % LEADS]), at, admin_id)
                .await?;
            changes += 1;
        } else {
            without_line.push(id);
        }
    }
    let people = rec.people();
    rec.finish().await?;
    Ok(GrowthOrg {
        organization_id,
        admin_id,
        team_id,
        leads,
        without_line,
        people,
    })
}

/// Adds people to Growth Corp until it has `total`, through the loader, while the server
/// runs (its projector picks them up like any other commit); returns the people added.
pub async fn grow(url: &str, org: &mut GrowthOrg, total: usize) -> Result<usize, BenchError> {
    let mut rec = Recorder::new(org.organization_id, Loader::connect(url).await?);
    rec.numbered_from(org.people);
    let mut clock = Clock(Utc::now() - Duration::hours(1));
    let added = total.saturating_sub(org.people);
    for _ in 0..added {
        rec.add_person(org.admin_id, clock.tick(), Uuid::now_v7())
            .await?;
    }
    org.people = rec.people();
    rec.finish().await?;
    Ok(added)
}

/// Loads History Corp with `changes` reporting-line changes among `people` people.
pub async fn history_org(
    url: &str,
    from: DateTime<Utc>,
    people: usize,
    changes: usize,
) -> Result<HistoryOrg, BenchError> {
    let mut rec = Recorder::new(Uuid::now_v7(), Loader::connect(url).await?);
    let mut clock = Clock(from);
    let (organization_id, admin_id) = found(&mut rec, &mut clock, "History Corp").await?;
    let mut managers = Vec::new();
    for _ in 0..3 {
        let id = Uuid::now_v7();
        rec.add_person(admin_id, clock.tick(), id).await?;
        managers.push(id);
    }
    let mut staff = Vec::with_capacity(people);
    for _ in 0..people {
        let id = Uuid::now_v7();
        rec.add_person(admin_id, clock.tick(), id).await?;
        staff.push(id);
    }
    // Round r sets everyone's line to manager r % 2: each change is a change.
    let mut reporting = Tracked::<ReportingLines>::new(organization_id);
    for change in 0..changes {
        let person = staff[change % people.max(1)];
        let manager = managers[(change / people.max(1)) % 2];
        rec.set_manager(&mut reporting, (person, manager), clock.tick(), admin_id)
            .await?;
    }
    rec.finish().await?;
    Ok(HistoryOrg {
        admin_id,
        people: staff,
        new_manager: managers[2],
        changes,
    })
}
