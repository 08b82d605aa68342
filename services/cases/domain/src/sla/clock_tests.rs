//! A case's clocks: start, replies, the oldest unanswered message, pause and resume,
//! resolution and reopen, a calendar revised mid-case, alerts exactly once.

use chrono::{DateTime, TimeDelta, Utc};

use super::clock::{CaseSla, SlaAlert, SlaAlertLevel};
use super::test_support::*;
use crate::values::SlaTargetKind::{self, FirstResponse, NextResponse, Resolution};

const PARIS: &str = "Europe/Paris";

fn t() -> DateTime<Utc> {
    utc(2026, 1, 12, 9, 0)
}

fn min(m: i64) -> TimeDelta {
    TimeDelta::minutes(m)
}

/// Around the clock: first response 60, next response 30, resolution 480; warn 10 before.
fn around_the_clock() -> CaseSla {
    CaseSla::start(
        sla_snapshot(targets(Some(60), Some(30), Some(480)), 10, None),
        t(),
    )
}

fn levels(alerts: &[SlaAlert]) -> Vec<(SlaTargetKind, u32, SlaAlertLevel)> {
    alerts.iter().map(|a| (a.kind, a.cycle, a.level)).collect()
}

#[test]
fn first_response_and_resolution_run_from_the_opening() {
    let sla = around_the_clock();
    assert_eq!(sla.deadline(FirstResponse), Some(t() + min(60)));
    assert_eq!(sla.warning_at(FirstResponse), Some(t() + min(50)));
    assert_eq!(sla.deadline(Resolution), Some(t() + min(480)));
    assert_eq!(sla.deadline(NextResponse), None, "no contact message yet");
    assert_eq!(sla.next_timer(), Some(t() + min(50)));
    assert!(sla.outcomes().is_empty());
}

#[test]
fn kinds_without_a_target_have_no_clock() {
    let sla = CaseSla::start(sla_snapshot(targets(None, None, Some(60)), 0, None), t());
    assert!(sla.clock(FirstResponse).is_none());
    assert_eq!(sla.deadline(FirstResponse), None);
    assert_eq!(sla.deadline(Resolution), Some(t() + min(60)));
    assert_eq!(sla.warning_at(Resolution), Some(t() + min(60)), "no lead");
}

#[test]
fn the_first_reply_stops_the_first_response_clock_once() {
    let mut sla = around_the_clock();
    sla.responded(t() + min(30));
    sla.responded(t() + min(40));
    assert_eq!(sla.first_responded_at(), Some(t() + min(30)));
    assert_eq!(sla.deadline(FirstResponse), None);
    let outcomes = sla.outcomes();
    assert_eq!(outcomes.len(), 1, "{outcomes:?}");
    assert_eq!(outcomes[0].kind, FirstResponse);
    assert!(outcomes[0].met);
    assert_eq!(outcomes[0].business_time(), min(30));
    assert_eq!(outcomes[0].stopped_at, t() + min(30));
}

#[test]
fn a_late_first_reply_is_breached_and_one_on_the_deadline_is_met() {
    let mut late = around_the_clock();
    late.responded(t() + min(61));
    assert!(!late.outcomes()[0].met);
    assert_eq!(late.outcomes()[0].business_time(), min(61));
    let mut on_time = around_the_clock();
    on_time.responded(t() + min(60));
    assert!(on_time.outcomes()[0].met);
}

#[test]
fn business_hours_deadline_skips_the_weekend() {
    let friday = local(PARIS, 2026, 1, 9, 16, 0);
    let sla = CaseSla::start(
        sla_snapshot(targets(Some(120), None, None), 10, Some(office(PARIS))),
        friday,
    );
    assert_eq!(
        sla.deadline(FirstResponse),
        Some(local(PARIS, 2026, 1, 12, 10, 0))
    );
    assert_eq!(
        sla.warning_at(FirstResponse),
        Some(local(PARIS, 2026, 1, 12, 9, 50))
    );
    assert_eq!(
        sla.consumed_at(FirstResponse, local(PARIS, 2026, 1, 11, 12, 0)),
        Some(min(60)),
        "Friday's last hour; nothing on the weekend"
    );
}

#[test]
fn warning_and_breach_are_each_due_exactly_once() {
    let mut sla = CaseSla::start(sla_snapshot(targets(Some(60), None, None), 10, None), t());
    assert!(sla.due(t() + min(49)).is_empty());
    let warning = sla.due(t() + min(50));
    assert_eq!(
        levels(&warning),
        vec![(FirstResponse, 1, SlaAlertLevel::Warning)]
    );
    assert_eq!(warning[0].due_at, t() + min(50));
    assert_eq!(warning[0].deadline, t() + min(60));
    assert_eq!(sla.due(t() + min(55)), warning, "due until recorded");
    sla.record(&warning[0]);
    for now in [t() + min(50), t() + min(59)] {
        assert!(sla.due(now).is_empty(), "warning recorded");
    }
    assert_eq!(sla.next_timer(), Some(t() + min(60)));
    let breach = sla.due(t() + min(60));
    assert_eq!(
        levels(&breach),
        vec![(FirstResponse, 1, SlaAlertLevel::Breach)]
    );
    assert_eq!(sla.due(t() + min(600)), breach);
    sla.record(&breach[0]);
    for now in [t() + min(60), t() + min(61), t() + TimeDelta::days(400)] {
        assert!(sla.due(now).is_empty(), "breach recorded");
    }
    assert_eq!(sla.next_timer(), None);
}

#[test]
fn a_breach_due_brings_its_unrecorded_warning() {
    let mut sla = around_the_clock();
    let alerts = sla.due(t() + min(61));
    assert_eq!(
        levels(&alerts),
        vec![
            (FirstResponse, 1, SlaAlertLevel::Warning),
            (FirstResponse, 1, SlaAlertLevel::Breach),
        ]
    );
    sla.record(&alerts[1]);
    assert!(
        sla.due(t() + min(61)).is_empty(),
        "a breach marks its warning"
    );
}

#[test]
fn next_response_counts_from_the_oldest_unanswered_message() {
    let mut sla = around_the_clock();
    sla.contact_wrote(t() + min(5));
    assert_eq!(
        sla.deadline(NextResponse),
        None,
        "before the first reply the first-response clock covers it"
    );
    sla.responded(t() + min(10));
    sla.contact_wrote(t() + min(20));
    sla.contact_wrote(t() + min(40));
    assert_eq!(sla.deadline(NextResponse), Some(t() + min(50)));
    sla.responded(t() + min(45));
    assert_eq!(sla.deadline(NextResponse), None);
    let next = sla
        .outcomes()
        .iter()
        .find(|o| o.kind == NextResponse)
        .copied()
        .expect("next-response outcome");
    assert_eq!(
        (next.cycle, next.met, next.business_time()),
        (1, true, min(25))
    );
    sla.contact_wrote(t() + min(60));
    assert_eq!(sla.deadline(NextResponse), Some(t() + min(90)));
    assert_eq!(sla.clock(NextResponse).map(|c| c.cycle()), Some(2));
}

#[test]
fn a_new_next_response_cycle_gets_fresh_alert_flags() {
    let mut sla = around_the_clock();
    sla.responded(t() + min(1));
    sla.contact_wrote(t() + min(10));
    let first = sla.due(t() + min(41));
    let next: Vec<_> = first.iter().filter(|a| a.kind == NextResponse).collect();
    assert_eq!(next.len(), 2);
    for alert in &first {
        sla.record(alert);
    }
    assert!(sla.due(t() + min(41)).is_empty());
    sla.responded(t() + min(45));
    sla.contact_wrote(t() + min(100));
    assert!(sla.due(t() + min(119)).is_empty());
    let second = sla.due(t() + min(120));
    assert_eq!(
        levels(&second),
        vec![(NextResponse, 2, SlaAlertLevel::Warning)]
    );
    // An alert of the previous cycle does not mark the new one.
    sla.record(next[0]);
    assert_eq!(sla.due(t() + min(120)), second);
    sla.record(&second[0]);
    assert!(sla.due(t() + min(120)).is_empty());
}

#[test]
fn time_while_paused_does_not_count() {
    let mut sla = around_the_clock();
    sla.responded(t() + min(10));
    sla.pause(t() + min(60));
    assert!(sla.is_paused());
    assert_eq!(sla.deadline(Resolution), None);
    assert_eq!(sla.warning_at(Resolution), None);
    assert!(sla.due(t() + TimeDelta::days(30)).is_empty());
    assert_eq!(sla.next_timer(), None);
    assert_eq!(sla.consumed_at(Resolution, t() + min(600)), Some(min(60)));
    sla.pause(t() + min(90));
    sla.resume(t() + min(25 * 60));
    assert_eq!(
        sla.deadline(Resolution),
        Some(t() + min(25 * 60 + 420)),
        "the 420 minutes left, from the resume"
    );
    sla.resume(t() + min(26 * 60));
    assert_eq!(sla.deadline(Resolution), Some(t() + min(25 * 60 + 420)));
}

#[test]
fn a_contact_message_resumes_the_paused_clocks() {
    let mut sla = around_the_clock();
    sla.responded(t() + min(10));
    sla.pause(t() + min(60));
    sla.contact_wrote(t() + min(180));
    assert!(!sla.is_paused());
    assert_eq!(sla.deadline(Resolution), Some(t() + min(180 + 420)));
    assert_eq!(sla.deadline(NextResponse), Some(t() + min(180 + 30)));
}

#[test]
fn alerts_crossed_before_a_pause_fall_due_on_resume() {
    let mut sla = CaseSla::start(sla_snapshot(targets(Some(60), None, None), 10, None), t());
    sla.pause(t() + min(55));
    assert!(sla.due(t() + min(56)).is_empty(), "paused");
    sla.resume(t() + min(120));
    let alerts = sla.due(t() + min(120));
    assert_eq!(
        levels(&alerts),
        vec![(FirstResponse, 1, SlaAlertLevel::Warning)]
    );
    assert_eq!(alerts[0].due_at, t() + min(120));
    assert_eq!(alerts[0].deadline, t() + min(125));
}

#[test]
fn resolution_stops_everything_and_a_reopen_resumes_it() {
    let mut sla = around_the_clock();
    sla.responded(t() + min(10));
    let late = sla.due(t() + min(480));
    for alert in late.iter().filter(|a| a.kind == Resolution) {
        sla.record(alert);
    }
    sla.resolved(t() + min(500));
    assert!(sla.is_resolved());
    for kind in [FirstResponse, NextResponse, Resolution] {
        assert_eq!(sla.deadline(kind), None);
    }
    assert!(sla.due(t() + TimeDelta::days(3)).is_empty());
    assert_eq!(sla.next_timer(), None);
    let resolution = |sla: &CaseSla| {
        let found: Vec<_> = sla
            .outcomes()
            .iter()
            .filter(|o| o.kind == Resolution)
            .copied()
            .collect();
        assert_eq!(found.len(), 1, "one resolution outcome");
        found[0]
    };
    assert_eq!(
        (resolution(&sla).met, resolution(&sla).business_time()),
        (false, min(500))
    );
    // Events on a resolved case change nothing.
    sla.contact_wrote(t() + min(600));
    sla.pause(t() + min(600));
    assert_eq!(sla.deadline(NextResponse), None);
    assert!(!sla.is_paused());

    let reopened_at = t() + TimeDelta::days(1);
    sla.reopened(reopened_at);
    assert!(!sla.is_resolved());
    assert_eq!(
        sla.consumed_at(Resolution, reopened_at),
        Some(min(500)),
        "resumes from what it had consumed"
    );
    assert_eq!(sla.deadline(Resolution), Some(reopened_at), "already past");
    assert_eq!(sla.deadline(NextResponse), Some(reopened_at + min(30)));
    let alerts = sla.due(reopened_at + min(25));
    assert_eq!(
        levels(&alerts),
        vec![(NextResponse, 1, SlaAlertLevel::Warning)],
        "the resolution's alerts were recorded in the same cycle"
    );
    sla.resolved(reopened_at + min(60));
    assert_eq!(resolution(&sla).business_time(), min(560));
    assert_eq!(resolution(&sla).stopped_at, reopened_at + min(60));
}

#[test]
fn a_reopen_before_any_reply_resumes_the_first_response_clock() {
    let mut sla = around_the_clock();
    sla.resolved(t() + min(20));
    assert!(
        sla.outcomes().iter().all(|o| o.kind == Resolution),
        "no reply, no first-response outcome"
    );
    sla.reopened(t() + min(100));
    assert_eq!(sla.deadline(FirstResponse), Some(t() + min(140)));
    assert_eq!(sla.deadline(NextResponse), None);
}

#[test]
fn a_calendar_edit_mid_case_recounts_only_the_remaining_time() {
    // Two business days to resolve, counted in 09:00–17:00 from Monday 09:00.
    let opened = local(PARIS, 2026, 1, 12, 9, 0);
    let mut sla = CaseSla::start(
        sla_snapshot(targets(None, None, Some(16 * 60)), 60, Some(office(PARIS))),
        opened,
    );
    assert_eq!(
        sla.deadline(Resolution),
        Some(local(PARIS, 2026, 1, 13, 17, 0))
    );
    // Monday 15:00 the calendar becomes 09:00–13:00: the 6 hours already counted stay
    // counted; the 10 left count in the new hours (Tue 4, Wed 4, Thu 2).
    let edit = local(PARIS, 2026, 1, 12, 15, 0);
    let mornings = calendar(PARIS, &WEEKDAYS, (9, 0), (13, 0), &[]);
    sla.recount(edit, Some(calendar_snapshot(2, mornings)));
    assert_eq!(sla.consumed_at(Resolution, edit), Some(min(6 * 60)));
    assert_eq!(
        sla.deadline(Resolution),
        Some(local(PARIS, 2026, 1, 15, 11, 0))
    );
    assert_eq!(
        sla.warning_at(Resolution),
        Some(local(PARIS, 2026, 1, 15, 10, 0))
    );
    assert_eq!(sla.snapshot().calendar.as_ref().map(|c| c.version), Some(2));
    // Around the clock from Wednesday 09:00: 10 hours minus Tuesday's 4.
    sla.recount(local(PARIS, 2026, 1, 14, 9, 0), None);
    assert_eq!(
        sla.deadline(Resolution),
        Some(local(PARIS, 2026, 1, 14, 15, 0))
    );
}

#[test]
fn a_recount_leaves_paused_clocks_banked() {
    let opened = local(PARIS, 2026, 1, 12, 9, 0);
    let mut sla = CaseSla::start(
        sla_snapshot(targets(None, None, Some(16 * 60)), 60, Some(office(PARIS))),
        opened,
    );
    sla.pause(local(PARIS, 2026, 1, 12, 11, 0));
    sla.recount(local(PARIS, 2026, 1, 12, 15, 0), None);
    sla.resume(local(PARIS, 2026, 1, 12, 20, 0));
    assert_eq!(
        sla.deadline(Resolution),
        Some(local(PARIS, 2026, 1, 13, 10, 0)),
        "14 hours left, around the clock from Monday 20:00"
    );
}

#[test]
fn the_clocks_are_serde_state_and_deterministic() {
    let run = || {
        let mut sla = CaseSla::start(
            sla_snapshot(
                targets(Some(60), Some(30), Some(480)),
                10,
                Some(office(PARIS)),
            ),
            local(PARIS, 2026, 3, 27, 16, 30),
        );
        sla.responded(local(PARIS, 2026, 3, 30, 9, 10));
        sla.contact_wrote(local(PARIS, 2026, 3, 30, 9, 20));
        sla.pause(local(PARIS, 2026, 3, 30, 9, 25));
        sla.resume(local(PARIS, 2026, 3, 30, 11, 0));
        sla
    };
    let sla = run();
    assert_eq!(sla, run());
    let json = serde_json::to_string(&sla).expect("serialize");
    let back: CaseSla = serde_json::from_str(&json).expect("deserialize");
    assert_eq!(back, sla);
    assert_eq!(back.deadline(NextResponse), sla.deadline(NextResponse));
    assert_eq!(
        sla.deadline(NextResponse),
        Some(local(PARIS, 2026, 3, 30, 11, 25)),
        "5 of 30 minutes before the pause"
    );
}

#[test]
fn a_recount_does_not_send_a_recorded_alert_again() {
    let mut sla = CaseSla::start(sla_snapshot(targets(Some(60), None, None), 10, None), t());
    let warning = sla.due(t() + min(50));
    sla.record(&warning[0]);
    // From Monday 10:55 Paris the clock counts in 09:00-10:57 hours: 2 of the 5 minutes
    // left on Monday, 3 on Tuesday; the recorded warning stays recorded.
    let short = calendar(PARIS, &WEEKDAYS, (9, 0), (10, 57), &[]);
    sla.recount(t() + min(55), Some(calendar_snapshot(2, short)));
    let deadline = local(PARIS, 2026, 1, 13, 9, 3);
    assert_eq!(sla.deadline(FirstResponse), Some(deadline));
    assert_eq!(
        sla.warning_at(FirstResponse),
        Some(t() + min(55)),
        "already past"
    );
    for now in [t() + min(58), t() + min(60), deadline - min(1)] {
        assert!(sla.due(now).is_empty(), "{now}");
    }
    assert_eq!(sla.next_timer(), Some(deadline));
    assert_eq!(
        levels(&sla.due(deadline)),
        vec![(FirstResponse, 1, SlaAlertLevel::Breach)]
    );
}

#[test]
fn medians_of_business_time_for_a_report() {
    use super::clock::median_business_time;
    let outcomes: Vec<_> = [30, 10, 50, 20]
        .into_iter()
        .map(|minutes| {
            let mut sla = around_the_clock();
            sla.responded(t() + min(minutes));
            sla.resolved(t() + min(minutes * 10));
            sla.outcomes().to_vec()
        })
        .collect::<Vec<_>>()
        .concat();
    assert_eq!(
        median_business_time(&outcomes, FirstResponse),
        Some(min(20))
    );
    assert_eq!(median_business_time(&outcomes, Resolution), Some(min(200)));
    assert_eq!(median_business_time(&outcomes, NextResponse), None);
    let met = outcomes
        .iter()
        .filter(|o| o.kind == Resolution && o.met)
        .count();
    assert_eq!(met, 3, "100, 200 and 300 of 480 minutes met; 500 breached");
}
