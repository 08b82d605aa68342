//! Issues 11 and 12's targets, each with the figure of every backend that answers it, met or not:
//! the summary at the head of `performance.md`.

use std::fmt::Write as _;

use crate::report::{BackendReport, Figure};

/// One target: the figure that answers it (by id, and for the writes by client count).
struct Goal {
    id: &'static str,
    clients: Option<usize>,
    text: &'static str,
}

const GOALS: [Goal; 11] = [
    Goal {
        id: "read",
        clients: None,
        text: "team with 50 members, roles, manager, 32 connections: ≥ 2× PostGraphile v5 \
               on the same data; p99 ≤ 20 ms",
    },
    Goal {
        id: "growth-read",
        clients: None,
        text: "the same read as the organization grows from 1,000 to 100,000 people, \
               no ANALYZE: within 1.2× of the 1,000-people figure",
    },
    Goal {
        id: "write",
        clients: Some(16),
        text: "a mutation at 16 clients: ≥ 50% of the INSERT ceiling; ≥ 2× PostGraphile's \
               create mutation; p99 ≤ 25 ms",
    },
    Goal {
        id: "lines-long",
        clients: None,
        text: "a reporting-line change at 100,000 prior changes: within 1.5× of one at 100",
    },
    Goal {
        id: "lines-conflicts",
        clients: None,
        text: "16 concurrent changes to different people's lines: no CONFLICT",
    },
    Goal {
        id: "case-queue",
        clients: None,
        text: "a team's case queue page (50 open cases with their contacts) among \
               1,000,000 cases, 32 connections: p99 ≤ 10 ms",
    },
    Goal {
        id: "sla-timer",
        clients: None,
        text: "the SLA timer's query with 10 cases due among 1,000,000: within 1.5× of \
               the same 10 among 1,000",
    },
    Goal {
        id: "sla-timer-buffers",
        clients: None,
        text: "the SLA timer's query touches at most 3 buffers per case due (EXPLAIN \
               ANALYZE, BUFFERS)",
    },
    Goal {
        id: "rebuild",
        clients: None,
        text: "projection rebuild: ≥ 50% of the sequential-read ceiling",
    },
    Goal {
        id: "subscription",
        clients: None,
        text: "subscription, commit (recordedAt) to delivery under the write load: \
               p99 ≤ 50 ms",
    },
    Goal {
        id: "memory",
        clients: None,
        text: "server RSS ≤ 150 MB",
    },
];

fn find<'a>(backend: &'a BackendReport, goal: &Goal) -> Option<&'a Figure> {
    backend.figures.iter().find(|f| {
        f.id == goal.id
            && goal
                .clients
                .is_none_or(|c| f.stats.as_ref().is_some_and(|s| s.clients == c))
    })
}

/// A figure in one cell: value, ratios, p99, and the verdict (`judged` says whether this
/// backend's run is one the targets are judged on).
fn cell(figure: &Figure, judged: bool) -> String {
    let mut parts = vec![format!(
        "{} {}",
        crate::report::number(figure.value),
        figure.unit
    )];
    if let (Some(ratio), Some(ceiling)) = (figure.ratio, &figure.ceiling) {
        parts.push(format!("{:.0}% of {}", ratio * 100.0, ceiling.name));
    }
    if let Some(peer) = &figure.peer {
        parts.push(format!("{:.2}× {}", peer.ratio, peer.name));
    }
    if let Some(p99) = figure.p99_ms {
        parts.push(format!("p99 {p99:.2} ms"));
    }
    let verdict = match (judged, figure.met) {
        (true, Some(true)) => "**met**",
        (true, Some(false)) => "**not met**",
        (true, None) => "not judged (a figure is missing)",
        (false, Some(true)) => "would be met (not judged)",
        (false, Some(false)) => "would not be met (not judged)",
        (false, None) => "not judged",
    };
    format!("{}: {verdict}", parts.join(", "))
}

/// The summary table; `judged(backend)` says whether a backend's figures are judged.
pub fn summary(backends: &[BackendReport], judged: impl Fn(&BackendReport) -> bool) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "## Issues 11 and 12's targets\n");
    let _ = writeln!(
        md,
        "Every ratio is measured in this run. PostGraphile v5 runs on PostgreSQL only: the \
         SQLite rows are held against its PostgreSQL figure of the same run.\n"
    );
    let mut header = "| target |".to_owned();
    let mut rule = "|---|".to_owned();
    for backend in backends {
        let _ = write!(header, " {} |", backend.backend);
        rule.push_str("---|");
    }
    let _ = writeln!(md, "{header}\n{rule}");
    for goal in &GOALS {
        let mut row = format!("| {} |", goal.text);
        for backend in backends {
            let text =
                find(backend, goal).map_or("not measured".into(), |f| cell(f, judged(backend)));
            let _ = write!(row, " {text} |");
        }
        let _ = writeln!(md, "{row}");
    }
    let mut row = "| the live read models keep answering while a rebuild runs |".to_owned();
    for _ in backends {
        row.push_str(" not measured by chorus-bench |");
    }
    let _ = writeln!(md, "{row}");
    md.push('\n');
    md
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Stats;
    use crate::report::Target;

    fn stats(clients: usize, per_second: f64, p99_ms: f64) -> Stats {
        Stats {
            clients,
            requests: 100,
            seconds: 1.0,
            per_second,
            p50_ms: p99_ms / 2.0,
            p99_ms,
            max_ms: p99_ms,
        }
    }

    fn backend(figures: Vec<Figure>) -> BackendReport {
        BackendReport {
            backend: "PostgreSQL".into(),
            events: 0,
            approvals: 0,
            cases: 0,
            events_read_sequentially: 0,
            load_seconds: 0.0,
            figures,
        }
    }

    #[test]
    fn the_16_client_write_answers_the_mutation_target() {
        let write = |clients, rate| {
            Figure::stats(
                "write",
                format!("assignRole, {clients}"),
                "commands/s",
                &stats(clients, rate, 10.0),
                Some(("INSERT", 1_000.0)),
                Target::RatioAtLeastAndP99(0.5, 25.0),
            )
        };
        let report = backend(vec![write(1, 100.0), write(16, 600.0), write(64, 50.0)]);
        let figure = find(&report, &GOALS[2]).expect("the 16-client write");
        assert_eq!(figure.value, 600.0);
        let md = summary(&[report], |_| true);
        assert!(md.contains("600 commands/s, 60% of INSERT"), "{md}");
        assert!(md.contains("**met**"), "{md}");
        assert!(md.contains("| not measured |"), "the read is missing: {md}");
    }

    #[test]
    fn figures_of_a_run_that_is_not_judged_say_so() {
        let memory = Figure::value("memory", "m".into(), "MB", 151.0, Target::AtMost(150.0));
        let md = summary(&[backend(vec![memory])], |_| false);
        assert!(md.contains("151 MB: would not be met (not judged)"), "{md}");
    }
}
