//! Enums stored as stable text codes with a Chinese label: one definition for sessions,
//! follow-ups and whatever else keeps codes in the database and shows labels to people.
//! The caller has `Serialize`, `Deserialize` and `TS` in scope.

macro_rules! str_enum {
    ($name:ident { $($variant:ident = $code:literal / $label:literal),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
        #[serde(rename_all = "snake_case")]
        #[ts(export, export_to = "../../../ui/src/bindings/")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $code),+ } }
            pub fn label(self) -> &'static str { match self { $($name::$variant => $label),+ } }
            pub fn parse(s: &str) -> Option<$name> {
                let s = s.trim();
                Self::ALL.iter().copied().find(|v| v.as_str() == s || v.label() == s)
            }
        }
    };
}

pub(crate) use str_enum;
