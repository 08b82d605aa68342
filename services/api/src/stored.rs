//! The one typed decoder for enum columns: read models keep a domain enum in its stored
//! (SCREAMING_SNAKE_CASE) form, and a row holding a value the domain does not know is a
//! clear internal error naming the table and column (logged, never sent).

use std::str::FromStr;

use crate::error::{ApiError, ApiResult};

/// Decodes `value`, read from `table.column`, into the domain enum `T`.
pub fn decode_stored<T: FromStr>(table: &str, column: &str, value: &str) -> ApiResult<T> {
    value
        .parse()
        .map_err(|_| ApiError::internal(&unknown(table, column, value)))
}

/// What is logged for a stored value the domain does not know.
fn unknown(table: &str, column: &str, value: &str) -> String {
    format!("{table}.{column}: unknown value {value:?}")
}

/// Decodes an optional enum column (NULL stays `None`).
pub fn decode_stored_opt<T: FromStr>(
    table: &str,
    column: &str,
    value: Option<&str>,
) -> ApiResult<Option<T>> {
    value
        .map(|value| decode_stored(table, column, value))
        .transpose()
}

/// A GraphQL enum mirroring a domain enum variant for variant, with conversions both
/// ways and [`decode_stored`] for its stored form.
#[macro_export]
macro_rules! mirror_enum {
    ($(#[$meta:meta])* $name:ident => $domain:ty { $($variant:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(::async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq, ::serde::Serialize)]
        pub enum $name { $($variant),* }
        impl From<$name> for $domain {
            fn from(value: $name) -> Self { match value { $($name::$variant => <$domain>::$variant),* } }
        }
        impl From<$domain> for $name {
            fn from(value: $domain) -> Self { match value { $(<$domain>::$variant => $name::$variant),* } }
        }
        impl $name {
            /// Decodes the stored (SCREAMING_SNAKE_CASE) form read from `table.column`.
            #[allow(dead_code)]
            pub(crate) fn from_stored(
                table: &str,
                column: &str,
                value: &str,
            ) -> $crate::ApiResult<Self> {
                $crate::stored::decode_stored::<$domain>(table, column, value).map(Self::from)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    enum Colour {
        Red,
    }
    impl FromStr for Colour {
        type Err = ();
        fn from_str(s: &str) -> Result<Self, ()> {
            match s {
                "RED" => Ok(Colour::Red),
                _ => Err(()),
            }
        }
    }

    #[test]
    fn a_known_value_decodes_and_an_unknown_one_names_table_and_column() {
        assert_eq!(
            decode_stored::<Colour>("t", "c", "RED").ok(),
            Some(Colour::Red)
        );
        assert!(matches!(
            decode_stored::<Colour>("posts", "status", "PURPLE"),
            Err(ApiError::Internal)
        ));
        assert_eq!(
            unknown("posts", "status", "PURPLE"),
            r#"posts.status: unknown value "PURPLE""#
        );
        assert_eq!(decode_stored_opt::<Colour>("t", "c", None).ok(), Some(None));
    }
}
