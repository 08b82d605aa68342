//! A case's SLA clocks: [`CaseSla`], pure serde state the Case aggregate embeds and evolves
//! from its events. Every method takes the instant it happens at, so replaying the same
//! events always gives the same clocks, deadlines and alerts.
//!
//! There is one clock per [`SlaTargetKind`] the case's [`SlaSnapshot`] sets a target for.
//! A clock counts business time (in the snapshot's calendar, or around the clock) while it
//! runs; it banks what it has consumed whenever it stops, pauses or the calendar is
//! recounted, so a deadline is always "the instant the remaining business time has elapsed
//! since `running_since`".
//!
//! - First response: runs from the opening to the first reply, once.
//! - Next response: a cycle runs from the oldest unanswered contact message (after the
//!   first reply) to the next reply; each cycle starts from zero with fresh alert flags.
//! - Resolution: runs from the opening to the resolution; a reopen resumes it from what it
//!   had consumed (same cycle: an alert already recorded is not sent again).
//!
//! While the case waits on the contact ([`CaseSla::pause`]) no clock accumulates.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::business_time::{add_business_time, business_time_between};
use super::{CalendarDefinition, CalendarSnapshot, SlaSnapshot};
use crate::values::SlaTargetKind;

/// How urgent an alert is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SlaAlertLevel {
    /// The remaining business time has fallen to the warning lead.
    Warning,
    /// The deadline has passed.
    Breach,
}

/// An alert that has fallen due on one cycle of one clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SlaAlert {
    /// The clock.
    pub kind: SlaTargetKind,
    /// The clock's cycle (1 for first response and resolution; each next-response cycle
    /// counts up from 1).
    pub cycle: u32,
    /// Warning or breach.
    pub level: SlaAlertLevel,
    /// The instant it fell due (the warning instant, or the deadline).
    pub due_at: DateTime<Utc>,
    /// The clock's deadline.
    pub deadline: DateTime<Utc>,
}

/// How one cycle of a clock ended: for SLA reports (met rates, medians of business time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SlaOutcome {
    /// The clock.
    pub kind: SlaTargetKind,
    /// The clock's cycle.
    pub cycle: u32,
    /// Whether it stopped by its deadline.
    pub met: bool,
    /// Business time the cycle took, in milliseconds.
    pub business_millis: i64,
    /// The target, in minutes.
    pub target_minutes: u32,
    /// When it stopped (the reply, or the resolution).
    pub stopped_at: DateTime<Utc>,
}

impl SlaOutcome {
    /// Business time the cycle took.
    pub fn business_time(&self) -> TimeDelta {
        TimeDelta::milliseconds(self.business_millis)
    }
}

/// The median business time of the outcomes of `kind` among `outcomes` (the lower middle
/// value of an even count), `None` when there is none: an SLA report's first-response or
/// resolution median, over the outcomes of many cases.
pub fn median_business_time<'a>(
    outcomes: impl IntoIterator<Item = &'a SlaOutcome>,
    kind: SlaTargetKind,
) -> Option<TimeDelta> {
    let mut millis: Vec<i64> = outcomes
        .into_iter()
        .filter(|outcome| outcome.kind == kind)
        .map(|outcome| outcome.business_millis)
        .collect();
    millis.sort_unstable();
    let middle = millis.len().checked_sub(1)? / 2;
    millis.get(middle).map(|m| TimeDelta::milliseconds(*m))
}

/// One clock of a case: its target, the business time it has consumed in its current
/// cycle, whether it runs (and since when) or is paused, and which alerts of the cycle have
/// been recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaClock {
    kind: SlaTargetKind,
    target_minutes: u32,
    consumed_millis: i64,
    running_since: Option<DateTime<Utc>>,
    paused: bool,
    cycle: u32,
    warned: bool,
    breached: bool,
}

impl SlaClock {
    fn new(kind: SlaTargetKind, target_minutes: u32) -> Self {
        Self {
            kind,
            target_minutes,
            consumed_millis: 0,
            running_since: None,
            paused: false,
            cycle: 0,
            warned: false,
            breached: false,
        }
    }

    /// Which clock this is.
    pub fn kind(&self) -> SlaTargetKind {
        self.kind
    }

    /// The target, in minutes of business time.
    pub fn target_minutes(&self) -> u32 {
        self.target_minutes
    }

    /// Business time banked in the current cycle (up to `running_since` when running).
    pub fn consumed(&self) -> TimeDelta {
        TimeDelta::milliseconds(self.consumed_millis)
    }

    /// Since when the clock counts, `None` when it does not (idle, stopped or paused).
    pub fn running_since(&self) -> Option<DateTime<Utc>> {
        self.running_since
    }

    /// Whether the clock is paused while the case waits on the contact.
    pub fn is_paused(&self) -> bool {
        self.paused
    }

    /// The current cycle: 0 before the clock first starts.
    pub fn cycle(&self) -> u32 {
        self.cycle
    }

    /// Whether the current cycle's warning has been recorded.
    pub fn warned(&self) -> bool {
        self.warned
    }

    /// Whether the current cycle's breach has been recorded.
    pub fn breached(&self) -> bool {
        self.breached
    }

    /// Whether the clock is in a cycle: running or paused.
    fn is_active(&self) -> bool {
        self.running_since.is_some() || self.paused
    }

    fn target(&self) -> TimeDelta {
        TimeDelta::minutes(self.target_minutes.into())
    }

    /// Business time left before the deadline (zero once it has passed).
    fn remaining(&self) -> TimeDelta {
        (self.target() - self.consumed()).max(TimeDelta::zero())
    }

    /// Business time consumed by `at`.
    fn consumed_at(&self, calendar: Option<&CalendarDefinition>, at: DateTime<Utc>) -> TimeDelta {
        let running = self.running_since.map_or(TimeDelta::zero(), |since| {
            business_time_between(calendar, since, at)
        });
        self.consumed() + running
    }

    /// Banks the business time consumed up to `at`; a running clock goes on from `at`.
    fn bank(&mut self, calendar: Option<&CalendarDefinition>, at: DateTime<Utc>) {
        if let Some(since) = self.running_since {
            let elapsed = business_time_between(calendar, since, at);
            self.consumed_millis = self
                .consumed_millis
                .saturating_add(elapsed.num_milliseconds());
            self.running_since = Some(at.max(since));
        }
    }

    fn start_cycle(&mut self, at: DateTime<Utc>) {
        self.cycle += 1;
        self.consumed_millis = 0;
        self.running_since = Some(at);
        self.paused = false;
        self.warned = false;
        self.breached = false;
    }

    /// Runs again from `at`, keeping what it has consumed and its cycle.
    fn resume(&mut self, at: DateTime<Utc>) {
        self.running_since = Some(at);
        self.paused = false;
        if self.cycle == 0 {
            self.cycle = 1;
        }
    }

    fn pause(&mut self, calendar: Option<&CalendarDefinition>, at: DateTime<Utc>) {
        if self.running_since.is_some() {
            self.bank(calendar, at);
            self.running_since = None;
            self.paused = true;
        }
    }

    /// Stops the cycle at `at`, banking what it consumed, and returns how it ended.
    fn stop(&mut self, calendar: Option<&CalendarDefinition>, at: DateTime<Utc>) -> SlaOutcome {
        let met = match self.deadline(calendar) {
            _ if self.consumed() > self.target() => false,
            Some(deadline) => at <= deadline,
            None => self.consumed() < self.target(),
        };
        self.bank(calendar, at);
        self.running_since = None;
        self.paused = false;
        SlaOutcome {
            kind: self.kind,
            cycle: self.cycle,
            met,
            business_millis: self.consumed_millis,
            target_minutes: self.target_minutes,
            stopped_at: at,
        }
    }

    fn deadline(&self, calendar: Option<&CalendarDefinition>) -> Option<DateTime<Utc>> {
        let since = self.running_since?;
        Some(add_business_time(calendar, since, self.remaining()))
    }

    fn warning_at(
        &self,
        calendar: Option<&CalendarDefinition>,
        lead_minutes: u32,
    ) -> Option<DateTime<Utc>> {
        let since = self.running_since?;
        let lead = TimeDelta::minutes(lead_minutes.into());
        let until_warning = (self.remaining() - lead).max(TimeDelta::zero());
        Some(add_business_time(calendar, since, until_warning))
    }
}

/// The SLA clocks of one case, and the outcomes of the cycles that ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSla {
    snapshot: SlaSnapshot,
    clocks: Vec<SlaClock>,
    first_responded_at: Option<DateTime<Utc>>,
    paused: bool,
    resolved: bool,
    outcomes: Vec<SlaOutcome>,
}

impl CaseSla {
    /// The clocks of a case opened at `opened_at` under `snapshot`: first response and
    /// resolution run from `opened_at`; next response waits for a contact message after the
    /// first reply. Kinds without a target have no clock.
    pub fn start(snapshot: SlaSnapshot, opened_at: DateTime<Utc>) -> Self {
        let clocks = SlaTargetKind::ALL
            .iter()
            .filter_map(|kind| {
                let mut clock = SlaClock::new(*kind, snapshot.targets.get(*kind)?);
                if *kind != SlaTargetKind::NextResponse {
                    clock.start_cycle(opened_at);
                }
                Some(clock)
            })
            .collect();
        Self {
            snapshot,
            clocks,
            first_responded_at: None,
            paused: false,
            resolved: false,
            outcomes: Vec::new(),
        }
    }

    /// The policy version, targets and calendar the clocks count by.
    pub fn snapshot(&self) -> &SlaSnapshot {
        &self.snapshot
    }

    /// The clock of `kind`, `None` when the policy sets no target for it.
    pub fn clock(&self, kind: SlaTargetKind) -> Option<&SlaClock> {
        self.clocks.iter().find(|clock| clock.kind == kind)
    }

    /// When the case was first replied to.
    pub fn first_responded_at(&self) -> Option<DateTime<Utc>> {
        self.first_responded_at
    }

    /// Whether the case waits on the contact (no clock accumulates).
    pub fn is_paused(&self) -> bool {
        self.paused
    }

    /// Whether the case is resolved (every clock stopped).
    pub fn is_resolved(&self) -> bool {
        self.resolved
    }

    /// How the ended cycles ended, in the order they ended; a resolution reopened and
    /// resolved again keeps only its latest outcome.
    pub fn outcomes(&self) -> &[SlaOutcome] {
        &self.outcomes
    }

    fn calendar(&self) -> Option<&CalendarDefinition> {
        self.snapshot.calendar.as_ref().map(|c| &c.definition)
    }

    /// The calendar and the clocks, borrowed apart so the clocks can change.
    fn parts(&mut self) -> (Option<&CalendarDefinition>, &mut Vec<SlaClock>) {
        (
            self.snapshot.calendar.as_ref().map(|c| &c.definition),
            &mut self.clocks,
        )
    }

    fn record_outcome(&mut self, outcome: SlaOutcome) {
        self.outcomes
            .retain(|o| (o.kind, o.cycle) != (outcome.kind, outcome.cycle));
        self.outcomes.push(outcome);
    }

    /// Stops the clock of `kind` if it is in a cycle, recording its outcome when `outcome`.
    fn stop(&mut self, kind: SlaTargetKind, at: DateTime<Utc>, outcome: bool) {
        let (calendar, clocks) = self.parts();
        let Some(clock) = clocks.iter_mut().find(|c| c.kind == kind && c.is_active()) else {
            return;
        };
        let ended = clock.stop(calendar, at);
        if outcome {
            self.record_outcome(ended);
        }
    }

    /// A reply at `at`: stops the first-response clock (the first time only) and the
    /// running next-response cycle, recording their outcomes. Nothing on a resolved case.
    pub fn responded(&mut self, at: DateTime<Utc>) {
        if self.resolved {
            return;
        }
        if self.first_responded_at.is_none() {
            self.first_responded_at = Some(at);
            self.stop(SlaTargetKind::FirstResponse, at, true);
        }
        self.stop(SlaTargetKind::NextResponse, at, true);
    }

    /// A contact message at `at`: resumes the paused clocks (the case no longer waits on
    /// the contact) and, after the first reply, starts a next-response cycle at `at` unless
    /// one runs already (the cycle counts from the oldest unanswered message). Nothing on a
    /// resolved case: the case reopens first ([`CaseSla::reopened`]).
    pub fn contact_wrote(&mut self, at: DateTime<Utc>) {
        if self.resolved {
            return;
        }
        self.resume(at);
        if self.first_responded_at.is_none() {
            return;
        }
        if let Some(clock) = self
            .clocks
            .iter_mut()
            .find(|c| c.kind == SlaTargetKind::NextResponse && !c.is_active())
        {
            clock.start_cycle(at);
        }
    }

    /// The case waits on the contact from `at`: every running clock banks what it consumed
    /// and stops accumulating. Nothing when already paused or resolved.
    pub fn pause(&mut self, at: DateTime<Utc>) {
        if self.paused || self.resolved {
            return;
        }
        self.paused = true;
        let (calendar, clocks) = self.parts();
        for clock in clocks {
            clock.pause(calendar, at);
        }
    }

    /// The case stops waiting on the contact at `at`: the paused clocks run again from `at`.
    /// Nothing when not paused.
    pub fn resume(&mut self, at: DateTime<Utc>) {
        if !self.paused {
            return;
        }
        self.paused = false;
        for clock in self.clocks.iter_mut().filter(|c| c.paused) {
            clock.resume(at);
        }
    }

    /// The case is resolved at `at`: every clock stops; the resolution's outcome is
    /// recorded (a first response or next response still open ends without an outcome:
    /// no reply was made). Nothing when already resolved.
    pub fn resolved(&mut self, at: DateTime<Utc>) {
        if self.resolved {
            return;
        }
        self.stop(SlaTargetKind::Resolution, at, true);
        self.stop(SlaTargetKind::FirstResponse, at, false);
        self.stop(SlaTargetKind::NextResponse, at, false);
        self.resolved = true;
        self.paused = false;
    }

    /// The case is reopened at `at`: the resolution clock resumes from what it had consumed
    /// (same cycle, its recorded alerts stay recorded); a next-response cycle starts at
    /// `at`, or, when the case was never replied to, the first-response clock resumes.
    /// Nothing when not resolved.
    pub fn reopened(&mut self, at: DateTime<Utc>) {
        if !self.resolved {
            return;
        }
        self.resolved = false;
        let first_responded = self.first_responded_at.is_some();
        for clock in &mut self.clocks {
            match clock.kind {
                SlaTargetKind::Resolution => clock.resume(at),
                SlaTargetKind::FirstResponse if !first_responded => clock.resume(at),
                SlaTargetKind::NextResponse if first_responded => clock.start_cycle(at),
                _ => {}
            }
        }
    }

    /// The calendar was revised (or replaced) at `at`: each running clock banks the
    /// business time it consumed up to `at` under the old calendar, then counts only what
    /// remains under `calendar` (`None`: around the clock). Paused clocks have banked
    /// already. Recorded alerts stay recorded.
    pub fn recount(&mut self, at: DateTime<Utc>, calendar: Option<CalendarSnapshot>) {
        let (old, clocks) = self.parts();
        for clock in clocks {
            clock.bank(old, at);
        }
        self.snapshot.calendar = calendar;
    }

    /// When the clock of `kind` reaches its target: `None` when it has no target, is not
    /// running, or is paused.
    pub fn deadline(&self, kind: SlaTargetKind) -> Option<DateTime<Utc>> {
        self.clock(kind)?.deadline(self.calendar())
    }

    /// When the remaining business time of the clock of `kind` falls to the warning lead
    /// (its start when it already has): `None` when it has no target, is not running, or is
    /// paused.
    pub fn warning_at(&self, kind: SlaTargetKind) -> Option<DateTime<Utc>> {
        self.clock(kind)?
            .warning_at(self.calendar(), self.snapshot.warning_lead_minutes)
    }

    /// The alerts due by `now` that have not been recorded for their clock's current cycle,
    /// each clock's warning before its breach (a breach due implies its warning is due when
    /// that was not recorded). Only running clocks alert: a paused clock's alerts wait for
    /// it to resume, a stopped clock's are dropped (its outcome says whether it was met).
    pub fn due(&self, now: DateTime<Utc>) -> Vec<SlaAlert> {
        let calendar = self.calendar();
        let lead = self.snapshot.warning_lead_minutes;
        let mut alerts = Vec::new();
        for clock in &self.clocks {
            let (Some(deadline), Some(warning)) =
                (clock.deadline(calendar), clock.warning_at(calendar, lead))
            else {
                continue;
            };
            let mut alert = |level, due_at| {
                alerts.push(SlaAlert {
                    kind: clock.kind,
                    cycle: clock.cycle,
                    level,
                    due_at,
                    deadline,
                });
            };
            if !clock.warned && now >= warning {
                alert(SlaAlertLevel::Warning, warning);
            }
            if !clock.breached && now >= deadline {
                alert(SlaAlertLevel::Breach, deadline);
            }
        }
        alerts
    }

    /// Marks `alert` recorded, so [`CaseSla::due`] never returns it again for its cycle (a
    /// breach also marks its warning). An alert of another cycle than the clock's current
    /// one changes nothing.
    pub fn record(&mut self, alert: &SlaAlert) {
        let Some(clock) = self
            .clocks
            .iter_mut()
            .find(|c| c.kind == alert.kind && c.cycle == alert.cycle)
        else {
            return;
        };
        match alert.level {
            SlaAlertLevel::Warning => clock.warned = true,
            SlaAlertLevel::Breach => {
                clock.warned = true;
                clock.breached = true;
            }
        }
    }

    /// The earliest instant an alert not yet recorded falls due (a running clock's warning,
    /// else its deadline), `None` when none will: what the SLA timer indexes the case by.
    pub fn next_timer(&self) -> Option<DateTime<Utc>> {
        let calendar = self.calendar();
        let lead = self.snapshot.warning_lead_minutes;
        self.clocks
            .iter()
            .filter_map(|clock| {
                if !clock.warned {
                    clock.warning_at(calendar, lead)
                } else if !clock.breached {
                    clock.deadline(calendar)
                } else {
                    None
                }
            })
            .min()
    }

    /// Business time the clock of `kind` has consumed in its current cycle by `at`.
    pub fn consumed_at(&self, kind: SlaTargetKind, at: DateTime<Utc>) -> Option<TimeDelta> {
        Some(self.clock(kind)?.consumed_at(self.calendar(), at))
    }
}
