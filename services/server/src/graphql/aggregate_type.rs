//! `AggregateType`, the kinds of records whose events can be followed: a GraphQL enum
//! built from what the contexts publish ([`chorus_api::Module::published`]) instead of
//! written here, so a new context's records join it from the context's own folder.

use std::borrow::Cow;

use async_graphql::parser::types::Field;
use async_graphql::registry::{MetaEnumValue, MetaType, MetaTypeId, Registry};
use async_graphql::{
    ContextSelectionSet, InputType, InputValueError, InputValueResult, Name, OutputType,
    Positioned, ServerResult, Value,
};
use chorus_api::module::PublishedKind;

/// One kind of record a context publishes; its enum value is its stored aggregate type
/// in capitals (`reporting_lines` is `REPORTING_LINES`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AggregateType(pub PublishedKind);

impl AggregateType {
    const NAME: &'static str = "AggregateType";

    fn all() -> impl Iterator<Item = Self> {
        crate::modules::published_kinds().iter().copied().map(Self)
    }

    /// The kind of a stored aggregate type, if a context publishes it.
    pub fn from_stored(aggregate_type: &str) -> Option<Self> {
        Self::all().find(|kind| kind.0.aggregate_type == aggregate_type)
    }

    fn value_name(self) -> String {
        self.0.aggregate_type.to_ascii_uppercase()
    }

    fn type_info(registry: &mut Registry) -> String {
        registry.create_input_type::<Self, _>(MetaTypeId::Enum, |_| MetaType::Enum {
            name: Self::NAME.to_owned(),
            description: Some("Kinds of records whose events can be followed.".to_owned()),
            enum_values: Self::all()
                .map(|kind| {
                    let name = kind.value_name();
                    let value = MetaEnumValue {
                        name: name.clone(),
                        description: None,
                        deprecation: Default::default(),
                        visible: None,
                        inaccessible: false,
                        tags: Vec::new(),
                        directive_invocations: Vec::new(),
                    };
                    (name, value)
                })
                .collect(),
            visible: None,
            inaccessible: false,
            tags: Vec::new(),
            rust_typename: Some(std::any::type_name::<Self>()),
            directive_invocations: Vec::new(),
            requires_scopes: Vec::new(),
        })
    }
}

impl InputType for AggregateType {
    type RawValueType = Self;

    fn type_name() -> Cow<'static, str> {
        Cow::Borrowed(Self::NAME)
    }

    fn create_type_info(registry: &mut Registry) -> String {
        Self::type_info(registry)
    }

    fn parse(value: Option<Value>) -> InputValueResult<Self> {
        let value = value.unwrap_or_default();
        let name = match &value {
            Value::Enum(name) => name.as_str(),
            Value::String(name) => name.as_str(),
            _ => return Err(InputValueError::expected_type(value)),
        };
        Self::all()
            .find(|kind| kind.value_name() == name)
            .ok_or_else(|| {
                InputValueError::custom(format_args!(
                    r#"Enumeration type does not contain value "{name}"."#
                ))
            })
    }

    fn to_value(&self) -> Value {
        Value::Enum(Name::new(self.value_name()))
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        Some(self)
    }
}

impl OutputType for AggregateType {
    fn type_name() -> Cow<'static, str> {
        Cow::Borrowed(Self::NAME)
    }

    fn create_type_info(registry: &mut Registry) -> String {
        Self::type_info(registry)
    }

    async fn resolve(
        &self,
        _: &ContextSelectionSet<'_>,
        _: &Positioned<Field>,
    ) -> ServerResult<Value> {
        Ok(self.to_value())
    }
}
