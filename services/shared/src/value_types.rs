//! The two shapes every domain value type takes, written once for all contexts:
//!
//! - [`text_value!`](crate::text_value): a validated text newtype. Its one parse function
//!   (usually a [`text`](crate::text) policy call naming the API field) is the only way
//!   in: `TryFrom`, `FromStr` and serde's `Deserialize` all go through it, so no command
//!   or event can hold text it refuses. It serializes as a plain string.
//! - [`code_enum!`](crate::code_enum): a fieldless enum's `SCREAMING_SNAKE_CASE` names
//!   (`ALL`, `as_str`, `FromStr`, `Display`), identical to its serde names.
//!
//! The expansions derive `serde::Serialize` and `serde::Deserialize`, so the crate that
//! invokes them depends on `serde` (this crate does not).

/// Declares validated text newtypes over `String`.
///
/// ```ignore
/// text_value! {
///     /// Name of a team: a [`text::name`] of 1 to 120 characters.
///     pub struct TeamName = |raw| text::name("name", raw, 1, 120, true);
/// }
/// ```
///
/// The right-hand side is anything callable as `fn(&str) -> Result<String, ValueError>`
/// (a closure or a function's path); it returns the normalised value or the refusal.
#[macro_export]
macro_rules! text_value {
    ($($(#[$meta:meta])* $vis:vis struct $name:ident = $parse:expr;)+) => {$(
        $(#[$meta])*
        #[derive(
            Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord,
            ::serde::Serialize, ::serde::Deserialize,
        )]
        #[serde(try_from = "String", into = "String")]
        $vis struct $name(String);

        impl $name {
            fn parse(raw: &str) -> ::std::result::Result<String, $crate::ValueError> {
                let parse: fn(&str) -> ::std::result::Result<String, $crate::ValueError> =
                    $parse;
                parse(raw)
            }
        }

        $crate::string_newtype!($name);
    )+};
}

/// Implements the plumbing of a string newtype `struct $name(String)` whose rules live in
/// `fn parse(&str) -> Result<String, ValueError>`: `as_str`, `into_inner`, `TryFrom<&str>`,
/// `TryFrom<String>`, `FromStr`, `AsRef<str>`, `Display` and `From<$name> for String`.
/// [`text_value!`](crate::text_value) declares the struct and calls it.
#[macro_export]
macro_rules! string_newtype {
    ($name:ident) => {
        impl $name {
            /// The validated, normalised value.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Consumes the value, returning the normalised string.
            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl TryFrom<&str> for $name {
            type Error = $crate::ValueError;

            fn try_from(raw: &str) -> Result<Self, Self::Error> {
                Self::parse(raw).map(Self)
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::ValueError;

            fn try_from(raw: String) -> Result<Self, Self::Error> {
                Self::try_from(raw.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::ValueError;

            fn from_str(raw: &str) -> Result<Self, Self::Err> {
                Self::try_from(raw)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

/// Implements `ALL`, `as_str`, `FromStr` and `Display` for a fieldless enum, keeping the
/// strings identical to the serde `SCREAMING_SNAKE_CASE` names. An unknown name is a
/// [`ValueError`](crate::ValueError) naming `$field` and listing the valid names.
#[macro_export]
macro_rules! code_enum {
    ($name:ident, $field:literal, { $($variant:ident => $code:literal),+ $(,)? }) => {
        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The `SCREAMING_SNAKE_CASE` name, identical to the serde form.
            pub fn as_str(&self) -> &'static str {
                match self {
                    $(Self::$variant => $code),+
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::ValueError;

            fn from_str(raw: &str) -> Result<Self, Self::Err> {
                match raw {
                    $($code => Ok(Self::$variant),)+
                    _ => Err($crate::ValueError::new(
                        $field,
                        format!("must be one of {}", [$($code),+].join(", ")),
                    )),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
