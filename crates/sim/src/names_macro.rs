// Included by crates/sim/src/lib.rs and src/curriculum/names.rs (and so build.rs): a
// macro only, with no paths, so it means the same wherever it is included.

/// Gives a fieldless enum its names in files from one list: `ALL` (every value, in
/// order), `NAMES` (their names, in the same order), `name` and `from_name`.
macro_rules! names {
    ($ty:ident { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            /// Every value, in declaration order.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];
            /// The names accepted in files, in the order of `ALL`.
            pub const NAMES: &'static [&'static str] = &[$($name),+];

            /// The name used in files and on the page.
            pub fn name(self) -> &'static str {
                match self {
                    $($ty::$variant => $name),+
                }
            }

            /// The value with this name.
            pub fn from_name(name: &str) -> Option<$ty> {
                match name {
                    $($name => Some($ty::$variant),)+
                    _ => None,
                }
            }
        }
    };
}
