//! Kept responses: the whole answer to a hot read query, kept in-process and sent again
//! without executing GraphQL while nothing it was read from has changed.
//!
//! Agents refresh the same queue page many times between two changes to it, and executing
//! its seven hundred fields costs more than everything else the request does (the
//! profile in docs/performance-analysis.md). An answer is kept only when all of these
//! hold; any other request executes as usual:
//! - it answers one query operation whose root fields are all fields a context declared
//!   keepable ([`Keepable::roots`]), and each root's resolver agreed to keep this call
//!   ([`keep`]), naming the guard that re-checks the caller's right to it;
//! - every other field it resolved is one its context declared to depend on nothing but
//!   the organization's read models ([`Keepable::fields`]): no clock, no other
//!   organization, nothing outside the log;
//! - it holds no error.
//!
//! The key is everything the answer depends on besides the read models: the caller (actor,
//! scopes, token), the document, the operation name and the variables, compared in full on
//! a hit. A hit still authenticates the token (before this module is asked) and runs each
//! root's guard, so a right that lapsed with time or was revoked is never answered from
//! memory.
//!
//! Consistency is [`crate::cache`]'s with the organization as the group: the
//! [`Invalidation`] projection drops an organization's kept answers while it applies any
//! event of that organization, inside the projection transaction, and only the process
//! whose projector leads keeps answers.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextResolve, ResolveInfo,
};
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationType, Selection,
};
use async_graphql::{Context, ServerResult, Value};
use chorus_kernel::{DbTx, Projection, RecordedEvent, StoreError};
use uuid::Uuid;

use crate::cache::{ProjectedCache, ReadTicket};
use crate::{ApiResult, Caller, Principal, Runtime};

/// What a guard returns: whether the caller may still be given the kept answer.
pub type GuardFuture<'a> = Pin<Box<dyn Future<Output = ApiResult<()>> + Send + 'a>>;

/// Re-checks, on every hit, the right a root field's resolver checked when it answered.
pub type Guard = for<'a> fn(Caller<'a>) -> GuardFuture<'a>;

/// What a context lets this module keep.
#[derive(Debug, Clone, Copy, Default)]
pub struct Keepable {
    /// Root query fields whose resolvers may call [`keep`].
    pub roots: &'static [&'static str],
    /// Per type, the fields whose answers depend only on the organization's read models.
    pub fields: &'static [KeepableFields],
}

/// Fields of one type whose answers depend only on the organization's read models.
#[derive(Debug, Clone, Copy)]
pub struct KeepableFields {
    /// The GraphQL type.
    pub of: &'static str,
    /// Its fields.
    pub names: &'static [&'static str],
}

/// The most kilobytes of answers kept over all organizations, and of one organization's.
const CAPACITY_KB: usize = 64 * 1024;
const ORGANIZATION_CAPACITY_KB: usize = CAPACITY_KB / 4;

/// How long a kept answer may be used at most.
const TTL: Duration = Duration::from_secs(10);

/// A kept answer: the key it answers (to compare in full), the serialized response and the
/// guards of its root fields.
#[derive(Debug)]
pub struct KeptResponse {
    material: String,
    pub body: Vec<u8>,
    guards: Vec<Guard>,
}

static RESPONSES: LazyLock<ProjectedCache<Uuid, u64, Arc<KeptResponse>>> = LazyLock::new(|| {
    ProjectedCache::weighed(TTL, CAPACITY_KB, ORGANIZATION_CAPACITY_KB, |kept| {
        kept.body.len() / 1024 + 1
    })
});

/// Answers sent from memory, and answers kept, since the process started (`/metrics`).
static SERVED: AtomicU64 = AtomicU64::new(0);
static KEPT: AtomicU64 = AtomicU64::new(0);

/// How many answers this process sent from memory, and how many it kept.
pub fn counts() -> (u64, u64) {
    (SERVED.load(Ordering::Relaxed), KEPT.load(Ordering::Relaxed))
}

/// A request's key: its organization, the hash it is filed under, and what it hashes.
#[derive(Debug, Clone)]
pub struct ResponseKey {
    organization: Uuid,
    hash: u64,
    material: String,
}

impl ResponseKey {
    /// The key of `request` asked by `principal` (`None` when it carries what no kept
    /// answer can stand for: uploads or extensions).
    pub fn of(principal: &Principal, request: &async_graphql::Request) -> Option<Self> {
        if !request.extensions.is_empty() || !request.uploads.is_empty() {
            return None;
        }
        let mut scopes: Vec<&str> = principal.scopes.iter().map(String::as_str).collect();
        scopes.sort_unstable();
        let variables = serde_json::to_string(&request.variables).ok()?;
        let material = format!(
            "{:?}\u{0}{:?}\u{0}{}\u{0}{:?}\u{0}{}\u{0}{variables}",
            principal.actor,
            principal.token_id,
            scopes.join(" "),
            request.operation_name,
            request.query,
        );
        let mut hasher = DefaultHasher::new();
        material.hash(&mut hasher);
        Some(Self {
            organization: principal.organization_id,
            hash: hasher.finish(),
            material,
        })
    }
}

/// The kept answer for `key`, if this process may use one and the caller still passes
/// its guards.
pub async fn lookup(
    runtime: &Runtime,
    principal: &Principal,
    key: &ResponseKey,
) -> Option<Arc<KeptResponse>> {
    let kept = RESPONSES.lookup(runtime, key.organization, key.hash)?;
    if kept.material != key.material {
        return None;
    }
    let caller = Caller {
        runtime,
        principal,
        channel: "graphql",
    };
    for guard in &kept.guards {
        guard(caller).await.ok()?;
    }
    SERVED.fetch_add(1, Ordering::Relaxed);
    Some(kept)
}

/// Whether the operation `operation_name` of `document` may be answered by a kept
/// response: a query whose root selections are all plain fields of `roots`.
pub fn is_candidate(
    roots: &HashSet<&'static str>,
    document: &ExecutableDocument,
    operation_name: Option<&str>,
) -> bool {
    let operation = match (&document.operations, operation_name) {
        (DocumentOperations::Single(operation), _) => operation,
        (DocumentOperations::Multiple(operations), Some(name)) => match operations.get(name) {
            Some(operation) => operation,
            None => return false,
        },
        // A document of one named operation, sent without its name.
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => {
            match operations.values().next() {
                Some(operation) => operation,
                None => return false,
            }
        }
        (DocumentOperations::Multiple(_), None) => return false,
    };
    operation.node.ty == OperationType::Query
        && operation.node.directives.is_empty()
        && !operation.node.selection_set.node.items.is_empty()
        && operation.node.selection_set.node.items.iter().all(|item| {
            matches!(&item.node, Selection::Field(field)
                if field.node.directives.is_empty()
                    && roots.contains(field.node.name.node.as_str()))
        })
}

/// To call before executing a candidate: whether its answer may be kept.
pub async fn begin(runtime: &Runtime, key: &ResponseKey) -> ReadTicket {
    RESPONSES.begin(runtime, key.organization).await
}

/// Keeps `body`, the answer to `key` executed after `ticket`, if `keeping` (the request's)
/// says every field it resolved may be kept.
pub fn finish(ticket: ReadTicket, key: ResponseKey, keeping: &Keeping, body: &[u8]) {
    let Ok(state) = keeping.0.lock() else {
        return;
    };
    if state.refused || state.roots == 0 || state.roots != state.guards.len() {
        return;
    }
    let kept = Arc::new(KeptResponse {
        material: key.material,
        body: body.to_vec(),
        guards: state.guards.clone(),
    });
    RESPONSES.keep(ticket, key.organization, key.hash, &kept, None);
    if RESPONSES.holds(key.organization, key.hash) {
        KEPT.fetch_add(1, Ordering::Relaxed);
    }
}

/// Whether `key` holds a usable kept answer (tests).
pub fn holds(key: &ResponseKey) -> bool {
    RESPONSES.holds(key.organization, key.hash)
}

/// What a candidate request's execution learnt about keeping its answer (request data).
#[derive(Debug, Default)]
pub struct Keeping(Mutex<KeepingState>);

#[derive(Debug, Default)]
struct KeepingState {
    /// Root fields resolved.
    roots: usize,
    /// The guards of the root fields that agreed to be kept.
    guards: Vec<Guard>,
    /// Whether a field that may not be kept was resolved.
    refused: bool,
}

/// Called by a keepable root field's resolver once it has checked the caller with `guard`:
/// this call's answer may be kept (its arguments make it depend on nothing but the read
/// models). A resolver whose arguments involve the clock does not call it.
pub fn keep(ctx: &Context<'_>, guard: Guard) {
    if let Some(keeping) = ctx.data_opt::<Arc<Keeping>>() {
        if let Ok(mut state) = keeping.0.lock() {
            state.guards.push(guard);
        }
    }
}

/// The extension that watches a candidate's execution: counts its root fields and refuses
/// keeping when any other field is not declared keepable.
#[derive(Debug, Clone)]
pub struct KeepWatch {
    fields: Arc<HashMap<&'static str, HashSet<&'static str>>>,
}

impl KeepWatch {
    /// Watches for the fields `keepable` declares.
    pub fn new(keepable: &[Keepable]) -> Self {
        let mut fields: HashMap<&'static str, HashSet<&'static str>> = HashMap::new();
        for declared in keepable {
            for declared in declared.fields {
                fields
                    .entry(declared.of)
                    .or_default()
                    .extend(declared.names);
            }
        }
        Self {
            fields: Arc::new(fields),
        }
    }

    /// The root fields `keepable` declares.
    pub fn roots(keepable: &[Keepable]) -> HashSet<&'static str> {
        keepable
            .iter()
            .flat_map(|k| k.roots.iter().copied())
            .collect()
    }
}

impl ExtensionFactory for KeepWatch {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(self.clone())
    }
}

#[async_trait::async_trait]
impl Extension for KeepWatch {
    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        if let Some(keeping) = ctx.data_opt::<Arc<Keeping>>() {
            let root = info.path_node.parent.is_none();
            // A list's items are resolved under the list type's name; the list field
            // itself was checked.
            let item = info.parent_type.starts_with('[');
            let declared = || {
                self.fields
                    .get(info.parent_type)
                    .is_some_and(|names| names.contains(info.name))
            };
            if let Ok(mut state) = keeping.0.lock() {
                if root {
                    state.roots += 1;
                } else if !item && !declared() {
                    state.refused = true;
                }
            }
        }
        next.run(ctx, info).await
    }
}

/// Drops an organization's kept answers while any of its events is projected. It owns no
/// table; its checkpoint follows the others'.
#[derive(Debug, Clone, Copy)]
pub struct Invalidation;

#[async_trait::async_trait]
impl Projection for Invalidation {
    fn name(&self) -> &'static str {
        "kept_responses"
    }

    fn tables(&self) -> &'static [&'static str] {
        &[]
    }

    async fn apply(&self, _tx: &mut DbTx, event: &RecordedEvent) -> Result<(), StoreError> {
        RESPONSES.invalidate(event.metadata.organization_id, event.position);
        Ok(())
    }

    async fn apply_batch(
        &self,
        _tx: &mut DbTx,
        events: &[RecordedEvent],
    ) -> Result<(), StoreError> {
        let mut last: HashMap<Uuid, chorus_kernel::LogPosition> = HashMap::new();
        for event in events {
            last.insert(event.metadata.organization_id, event.position);
        }
        for (organization, position) in last {
            RESPONSES.invalidate(organization, position);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(query: &str, operation: Option<&str>) -> bool {
        let roots: HashSet<&'static str> = ["caseQueue"].into_iter().collect();
        let document = async_graphql::parser::parse_query(query).expect("a document");
        is_candidate(&roots, &document, operation)
    }

    #[test]
    fn only_queries_of_plain_keepable_root_fields_are_candidates() {
        assert!(candidate("{ caseQueue { edges { node { id } } } }", None));
        assert!(candidate(
            "query Queue { caseQueue { edges { node { id } } } }",
            None
        ));
        assert!(candidate(
            "{ a: caseQueue { nodes { id } } b: caseQueue { nodes { id } } }",
            None
        ));
        assert!(candidate(
            "query A { caseQueue { nodes { id } } } query B { me { id } }",
            Some("A")
        ));
        for (query, operation) in [
            (
                "query A { caseQueue { nodes { id } } } query B { me { id } }",
                Some("B"),
            ),
            (
                "query A { caseQueue { nodes { id } } } query B { me { id } }",
                None,
            ),
            ("{ caseQueue { nodes { id } } me { id } }", None),
            ("{ caseQueue { nodes { id } } __typename }", None),
            (
                "{ ...F } fragment F on Query { caseQueue { nodes { id } } }",
                None,
            ),
            ("{ ... on Query { caseQueue { nodes { id } } } }", None),
            ("{ caseQueue @include(if: true) { nodes { id } } }", None),
            ("query @deprecated { caseQueue { nodes { id } } }", None),
            ("mutation { caseQueue { nodes { id } } }", None),
            ("subscription { caseQueue { nodes { id } } }", None),
        ] {
            assert!(!candidate(query, operation), "{query} ({operation:?})");
        }
    }
}
