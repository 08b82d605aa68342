use super::*;

#[test]
fn numbers_read_well() {
    assert_eq!(number(1_234_567.8), "1,234,568");
    assert_eq!(number(123.4), "123");
    assert_eq!(number(12.34), "12.3");
    assert_eq!(number(1.234), "1.23");
}

#[test]
fn targets_judge_ratio_and_latency() {
    let stats = Stats {
        clients: 16,
        requests: 100,
        seconds: 1.0,
        per_second: 600.0,
        p50_ms: 5.0,
        p99_ms: 20.0,
        max_ms: 30.0,
    };
    // 600/s is 0.6 of the 1,000/s insert ceiling; its p99 is 20 ms.
    let write = |p99_target| {
        Figure::stats(
            "write",
            "w".into(),
            "commands/s",
            &stats,
            Some(("insert", 1000.0)),
            Target::RatioAtLeastAndP99(0.5, p99_target),
        )
    };
    let ok = write(25.0);
    assert_eq!(ok.met, Some(true));
    assert_eq!(ok.ratio, Some(0.6));
    assert_eq!(write(10.0).met, Some(false));
    let memory = Figure::value("memory", "m".into(), "MB", 151.0, Target::AtMost(150.0));
    assert_eq!(memory.met, Some(false));
}

#[test]
fn a_peer_ratio_is_judged_with_the_figure_own_target() {
    let chorus = |per_second, p99_ms| Stats {
        clients: 32,
        requests: 100,
        seconds: 1.0,
        per_second,
        p50_ms: 1.0,
        p99_ms,
        max_ms: p99_ms,
    };
    let peer = chorus(1_000.0, 50.0);
    let read = |rate, p99| {
        Figure::stats(
            "read",
            "r".into(),
            "requests/s",
            &chorus(rate, p99),
            None,
            Target::P99AtMost(20.0),
        )
        .against_peer("PostGraphile", &peer, 2.0)
    };
    let fast = read(2_500.0, 10.0);
    assert_eq!(fast.met, Some(true));
    assert_eq!(fast.peer.as_ref().map(|p| p.ratio), Some(2.5));
    assert_eq!(
        read(1_500.0, 10.0).met,
        Some(false),
        "1.5× the peer is short of 2×"
    );
    assert_eq!(read(2_500.0, 30.0).met, Some(false), "p99 over 20 ms");
    assert!(fast.target_text.contains("≥ 2× PostGraphile"));
}

#[test]
fn within_targets_compare_with_the_reference() {
    let rate = |value| {
        Figure::rate(
            "growth-read",
            "g".into(),
            "requests/s",
            value,
            Some(("at 1,000", 1_000.0)),
            Target::RateWithin(1.2),
        )
        .met
    };
    assert_eq!(rate(850.0), Some(true), "1,000 / 850 is within 1.2×");
    assert_eq!(rate(800.0), Some(false), "1,000 / 800 = 1.25×");
    let latency = |p50_ms| {
        let stats = Stats {
            clients: 1,
            requests: 10,
            seconds: 1.0,
            per_second: 10.0,
            p50_ms,
            p99_ms: p50_ms,
            max_ms: p50_ms,
        };
        Figure::latency(
            "lines-long",
            "l".into(),
            &stats,
            Some(("p50 at 100", 10.0)),
            Target::LatencyWithin(1.5),
        )
        .met
    };
    assert_eq!(latency(14.0), Some(true));
    assert_eq!(latency(16.0), Some(false));
    assert_eq!(
        Figure::rate("x", "x".into(), "r", 1.0, None, Target::RateWithin(1.2)).met,
        None,
        "no reference, nothing to judge"
    );
}
