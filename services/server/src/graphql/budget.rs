//! The request budget: limits counted per HTTP request, not per operation.
//!
//! async-graphql bounds each operation's depth and complexity, but a batched request of
//! ten operations each just under the limit would run ten times the work. Every HTTP
//! request gets one [`RequestBudget`]: each operation's complexity (as validation
//! computed it) and its aliases are taken from it, and an operation that would overdraw
//! it is refused with `LIMIT_EXCEEDED` before it runs. Aliases are bounded because they
//! let one operation repeat any field, mutations included, under new names.
//!
//! A document may hold many operations (a client keeps a family of them together) and the
//! request names the one to run. async-graphql validates and prices the whole document,
//! so the document is narrowed to that operation and the fragments it reaches before
//! validation: a request is charged for what it runs, not for what it carries.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use std::collections::HashSet;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextPrepareRequest,
    NextValidation,
};
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Selection, SelectionSet,
};
use async_graphql::{
    ErrorExtensions, Name, Request, ServerError, ServerResult, ValidationResult, Variables,
};

use crate::error::ApiError;

/// What one HTTP request may still spend.
#[derive(Debug)]
pub struct RequestBudget {
    complexity: AtomicUsize,
    aliases: AtomicUsize,
    max_complexity: usize,
    max_aliases: usize,
}

impl RequestBudget {
    pub fn new(max_complexity: usize, max_aliases: usize) -> Arc<Self> {
        Arc::new(Self {
            complexity: AtomicUsize::new(max_complexity),
            aliases: AtomicUsize::new(max_aliases),
            max_complexity,
            max_aliases,
        })
    }

    fn spend(counter: &AtomicUsize, amount: usize) -> bool {
        counter
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| {
                left.checked_sub(amount)
            })
            .is_ok()
    }

    fn spend_complexity(&self, amount: usize) -> Result<(), ServerError> {
        let max = self.max_complexity;
        Self::spend(&self.complexity, amount)
            .then_some(())
            .ok_or_else(|| {
                let message = format!(
                    "the operations of one request may have a complexity of at most {max} in all"
                );
                refusal("complexity", message)
            })
    }

    fn spend_aliases(&self, amount: usize) -> Result<(), ServerError> {
        let max = self.max_aliases;
        Self::spend(&self.aliases, amount)
            .then_some(())
            .ok_or_else(|| {
                refusal(
                    "aliases",
                    format!("the operations of one request may use at most {max} aliases in all"),
                )
            })
    }
}

fn refusal(limit: &'static str, message: String) -> ServerError {
    let error = ApiError::LimitExceeded { limit, message }.extend();
    let mut server = ServerError::new(error.message, None);
    server.extensions = error.extensions;
    server
}

/// The schema extension that charges each operation to its request's budget.
pub struct Budget;

impl ExtensionFactory for Budget {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(BudgetExtension)
    }
}

struct BudgetExtension;

/// The operation a request names, carried from the request to the parsed document.
struct SelectedOperation(String);

#[async_trait::async_trait]
impl Extension for BudgetExtension {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let request = match request.operation_name.clone() {
            Some(name) => request.data(SelectedOperation(name)),
            None => request,
        };
        next.run(ctx, request).await
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let mut document = next.run(ctx, query, variables).await?;
        if let Some(SelectedOperation(name)) = ctx.data_opt::<SelectedOperation>() {
            select_operation(&mut document, name)?;
        }
        if let Some(budget) = ctx.data_opt::<Arc<RequestBudget>>() {
            budget.spend_aliases(count_aliases(&document))?;
        }
        Ok(document)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        if let Some(budget) = ctx.data_opt::<Arc<RequestBudget>>() {
            budget
                .spend_complexity(result.complexity)
                .map_err(|e| vec![e])?;
        }
        Ok(result)
    }
}

/// Narrows `document` to the operation `name` and the fragments it reaches; a name the
/// document does not hold is refused before anything is priced.
fn select_operation(document: &mut ExecutableDocument, name: &str) -> ServerResult<()> {
    let DocumentOperations::Multiple(operations) = &mut document.operations else {
        // One anonymous operation: async-graphql refuses the name when it selects.
        return Ok(());
    };
    let Some(selected) = operations.get(name) else {
        return Err(ServerError::new(
            format!("the document has no operation named {name:?}"),
            None,
        ));
    };
    let mut reached: HashSet<Name> = HashSet::new();
    let mut pending = Vec::new();
    spreads(&selected.node.selection_set.node, &mut pending);
    while let Some(fragment) = pending.pop() {
        if let Some(definition) = document.fragments.get(&fragment) {
            if reached.insert(fragment) {
                spreads(&definition.node.selection_set.node, &mut pending);
            }
        }
    }
    operations.retain(|operation, _| operation.as_str() == name);
    document
        .fragments
        .retain(|fragment, _| reached.contains(fragment));
    Ok(())
}

/// The fragment names spread in `set`, at any depth of its fields and inline fragments
/// (walked with a stack of its own: a hostile document's nesting cannot exhaust ours,
/// and the lean path walks it before async-graphql's recursion limit is checked).
fn spreads(set: &SelectionSet, found: &mut Vec<Name>) {
    let mut sets = vec![set];
    while let Some(set) = sets.pop() {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => sets.push(&field.node.selection_set.node),
                Selection::InlineFragment(fragment) => sets.push(&fragment.node.selection_set.node),
                Selection::FragmentSpread(spread) => {
                    found.push(spread.node.fragment_name.node.clone())
                }
            }
        }
    }
}

/// Aliases written in the document, operations and fragments alike (walked with a stack
/// of its own, as [`spreads`] is).
pub fn count_aliases(document: &ExecutableDocument) -> usize {
    let mut sets: Vec<&SelectionSet> = document
        .operations
        .iter()
        .map(|(_, operation)| &operation.node.selection_set.node)
        .chain(
            document
                .fragments
                .values()
                .map(|fragment| &fragment.node.selection_set.node),
        )
        .collect();
    let mut aliases = 0;
    while let Some(set) = sets.pop() {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    aliases += usize::from(field.node.alias.is_some());
                    sets.push(&field.node.selection_set.node);
                }
                Selection::InlineFragment(fragment) => sets.push(&fragment.node.selection_set.node),
                Selection::FragmentSpread(_) => {}
            }
        }
    }
    aliases
}

/// The budget of a request that holds one operation, charged before it runs on the lean
/// schema (the one without [`Budget`]): any schema extension makes async-graphql wrap
/// every field's resolver in the extension chain (a registry lookup and a boxed future
/// per field, a quarter of a team read's CPU), and one operation needs none of it. Its
/// complexity is bounded by the schema's own limit, which is the request's budget; its
/// aliases and its operation are settled here on a document parsed once, which the
/// executor then uses. A document that does not parse is left to the executor, which
/// reports it as it always does.
pub fn charge_single(request: &mut Request, max_aliases: usize) -> ServerResult<()> {
    let Ok(mut document) = async_graphql::parser::parse_query(&request.query) else {
        return Ok(());
    };
    if let Some(name) = &request.operation_name {
        select_operation(&mut document, name)?;
    }
    RequestBudget::new(usize::MAX, max_aliases).spend_aliases(count_aliases(&document))?;
    request.set_parsed_query(document);
    Ok(())
}
