//! `Nullable<T>`: a list item that may be `null`, and says so in the OpenAPI document.
//!
//! Object fields of type `Option<T>` are marked with `#[oai(nullable)]`, but that marks
//! the field, not the items of a list: `Vec<Option<f64>>` would be documented as an array
//! of numbers while the server sends `[null, 61.5]`. Lists whose items may be missing
//! use `Vec<Nullable<T>>` instead.

use std::borrow::Cow;

use poem_openapi::registry::{MetaSchema, MetaSchemaRef, Registry};
use poem_openapi::types::{ParseError, ParseFromJSON, ParseResult, ToJSON, Type};
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Nullable<T>(pub Option<T>);

impl<T> From<Option<T>> for Nullable<T> {
    fn from(value: Option<T>) -> Nullable<T> {
        Nullable(value)
    }
}

/// `[Some(1), None]` → `[Nullable(Some(1)), Nullable(None)]`.
pub fn nullable_items<T>(items: impl IntoIterator<Item = Option<T>>) -> Vec<Nullable<T>> {
    items.into_iter().map(Nullable).collect()
}

impl<T: Type> Type for Nullable<T> {
    const IS_REQUIRED: bool = true;

    type RawValueType = T::RawValueType;

    type RawElementValueType = T::RawElementValueType;

    fn name() -> Cow<'static, str> {
        format!("nullable_{}", T::name()).into()
    }

    fn schema_ref() -> MetaSchemaRef {
        T::schema_ref().merge(MetaSchema {
            nullable: true,
            ..MetaSchema::ANY
        })
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        self.0.as_ref().and_then(Type::as_raw_value)
    }

    fn raw_element_iter<'a>(
        &'a self,
    ) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
        match &self.0 {
            Some(value) => value.raw_element_iter(),
            None => Box::new(std::iter::empty()),
        }
    }
}

impl<T: ToJSON> ToJSON for Nullable<T> {
    fn to_json(&self) -> Option<Value> {
        Some(
            self.0
                .as_ref()
                .and_then(ToJSON::to_json)
                .unwrap_or(Value::Null),
        )
    }
}

impl<T: ParseFromJSON> ParseFromJSON for Nullable<T> {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Nullable<T>> {
        match value {
            None | Some(Value::Null) => Ok(Nullable(None)),
            value => T::parse_from_json(value)
                .map(|parsed| Nullable(Some(parsed)))
                .map_err(ParseError::propagate),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_documented_as_nullable_and_round_trip() {
        let MetaSchemaRef::Inline(schema) = <Nullable<f64>>::schema_ref() else {
            panic!("a number schema is inline");
        };
        assert!(schema.nullable);
        assert_eq!(schema.ty, "number");

        let items = nullable_items([Some(61.5), None]);
        assert_eq!(
            items.to_json(),
            Some(serde_json::json!([61.5, null])),
            "None is sent as null, not dropped"
        );
        let parsed = <Vec<Nullable<u32>>>::parse_from_json(Some(serde_json::json!([2, null])))
            .expect("nulls parse");
        assert_eq!(parsed, vec![Nullable(Some(2)), Nullable(None)]);
    }
}
