//! Plain values: an object whose selected fields are all columns already loaded is
//! answered without the executor.
//!
//! async-graphql resolves every field of every object as a boxed future in a
//! `FuturesUnordered` and files its value in an `IndexMap`: on a page of 50 members with
//! their person, roles and manager that is about 800 futures for data already in memory,
//! and it was the largest share of the hot read's CPU (docs/performance-analysis.md).
//! [`Plain`] wraps an object type: when [`PlainValue::plain`] can answer the whole
//! selection from what the object holds, that is the value; when it cannot (a field
//! that loads, takes arguments or is not listed), the object resolves as usual. The
//! schema does not change: `Plain<T>` is registered as `T`.
//!
//! The walk follows GraphQL's field collection: aliases, `__typename`, fragment spreads
//! and inline fragments whose type condition the object meets (its own type or an
//! interface it implements). `@skip` and `@include` were already applied by the executor
//! (async-graphql removes skipped selections before it resolves); any other directive
//! sends the object back to the executor. The context fields used here are async-graphql
//! 7.2's (`query_env.fragments`, `schema_env.registry`), hidden from its docs but public.

use std::borrow::Cow;

use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{Field, Selection, SelectionSet};
use async_graphql::registry::Registry;
use async_graphql::{
    ContextSelectionSet, Name, OutputType, Positioned, ScalarType, ServerResult, Value,
};

/// An object that can answer some selections without the executor.
pub trait PlainValue {
    /// The object's value for `ctx`'s selection, or `None` when some selected field needs
    /// the executor.
    fn plain(&self, ctx: &ContextSelectionSet<'_>) -> Option<Value>;
}

/// `T`, answered as a plain value where it can be (see the module).
pub struct Plain<T>(pub T);

impl<T: OutputType + PlainValue> OutputType for Plain<T> {
    fn type_name() -> Cow<'static, str> {
        T::type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        T::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        match self.0.plain(ctx) {
            Some(value) => Ok(value),
            None => self.0.resolve(ctx, field).await,
        }
    }
}

/// The object of type `type_name` that `ctx` selects, each selected field's value from
/// `value` (its name, and the context of its own selection set): `None` as soon as one
/// field has no plain value, takes arguments or carries a directive.
pub fn object(
    ctx: &ContextSelectionSet<'_>,
    type_name: &str,
    value: &mut impl FnMut(&str, &ContextSelectionSet<'_>) -> Option<Value>,
) -> Option<Value> {
    let mut out = IndexMap::new();
    collect(ctx, &ctx.item.node, type_name, value, &mut out)?;
    Some(Value::Object(out))
}

fn collect(
    ctx: &ContextSelectionSet<'_>,
    set: &SelectionSet,
    type_name: &str,
    value: &mut impl FnMut(&str, &ContextSelectionSet<'_>) -> Option<Value>,
    out: &mut IndexMap<Name, Value>,
) -> Option<()> {
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) => {
                let field = &field.node;
                if !field.arguments.is_empty() || !field.directives.is_empty() {
                    return None;
                }
                let key = field.response_key().node.clone();
                let name = field.name.node.as_str();
                let answer = if name == "__typename" {
                    Value::String(type_name.to_owned())
                } else {
                    value(name, &ctx.with_selection_set(&field.selection_set))?
                };
                // The same key twice (`person { id } person { email }`) is merged by the
                // executor; leave that to it.
                if out.insert(key, answer).is_some() {
                    return None;
                }
            }
            Selection::FragmentSpread(spread) => {
                if !spread.node.directives.is_empty() {
                    return None;
                }
                let fragment = ctx
                    .query_env
                    .fragments
                    .get(&spread.node.fragment_name.node)?;
                let condition = fragment.node.type_condition.node.on.node.as_str();
                if applies(ctx, type_name, condition) {
                    collect(
                        ctx,
                        &fragment.node.selection_set.node,
                        type_name,
                        value,
                        out,
                    )?;
                }
            }
            Selection::InlineFragment(fragment) => {
                if !fragment.node.directives.is_empty() {
                    return None;
                }
                let applies = fragment
                    .node
                    .type_condition
                    .as_ref()
                    .is_none_or(|c| applies(ctx, type_name, c.node.on.node.as_str()));
                if applies {
                    collect(
                        ctx,
                        &fragment.node.selection_set.node,
                        type_name,
                        value,
                        out,
                    )?;
                }
            }
        }
    }
    Some(())
}

/// Whether a fragment on `condition` applies to an object of type `type_name`.
fn applies(ctx: &ContextSelectionSet<'_>, type_name: &str, condition: &str) -> bool {
    condition == type_name
        || ctx
            .schema_env
            .registry
            .implements
            .get(type_name)
            .is_some_and(|interfaces| interfaces.contains(condition))
}

/// A scalar's value, as the executor writes it.
pub fn scalar<S: ScalarType>(value: &S) -> Value {
    value.to_value()
}

/// An optional scalar's value (`null` when absent).
pub fn optional<S: ScalarType>(value: Option<&S>) -> Value {
    value.map_or(Value::Null, ScalarType::to_value)
}

/// A string's value.
pub fn string(value: &str) -> Value {
    Value::String(value.to_owned())
}
