//! Small macros shared by the domain types.

/// Declares a closed set of values spelled as stable snake_case strings on the wire, in the
/// OpenAPI document and in the database: serde, the OpenAPI schema, the column type (a string
/// column read back through `FromStr`, so an unknown stored value is an error, never a default),
/// `as_str`, `parse` and `ALL` in one place.
///
/// The spellings are taken as token trees (`tt`), not `literal` fragments: a `literal` fragment
/// reaches derive macros wrapped in an invisible group, which utoipa does not read as the
/// variant's `rename`, and the OpenAPI document then spelled variants in PascalCase.
macro_rules! str_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:tt ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize, utoipa::ToSchema, sea_orm::DeriveValueType,
        )]
        #[sea_orm(value_type = "String")]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Reads the stable spelling.
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::domain::UnknownValue;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Self::parse(text).ok_or_else(|| $crate::domain::UnknownValue::new(stringify!($name), text))
            }
        }
    };
}
