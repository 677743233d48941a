//! Commands by name, for a host that is not Tauri (the dev host): JSON arguments in, JSON
//! result or `IpcError` out, with the same argument names as Tauri's IPC (camelCase). Also the
//! surface as data ([`specs`]), from which the TypeScript client is generated.

use crate::ipc::*;
use crate::state::AppState;
use cloudneeti_core::Error;
use serde_json::Value;

/// One command as the TypeScript client needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandSpec {
    pub name: &'static str,
    pub doc: &'static str,
    /// Argument names (snake_case, as declared) with their TypeScript types.
    pub args: Vec<(&'static str, String)>,
    pub returns: String,
}

fn bad_arguments(command: &str, e: serde_json::Error) -> IpcError {
    Error::invalid(
        "command arguments",
        format!("{command} got arguments it cannot read ({e})"),
        "This is a bug in the app's user interface; please report it.",
    )
    .into()
}

macro_rules! dispatcher {
    ($( $(#[doc = $doc:literal])* $name:ident ( $($arg:ident : $ty:ty),* ) -> $ret:ty ; )*) => {
        /// Runs the command `name` with `args` (an object of camelCase argument names).
        pub async fn dispatch(state: &AppState, name: &str, args: Value) -> IpcResult<Value> {
            match name {
                $(
                    stringify!($name) => {
                        #[derive(serde::Deserialize)]
                        #[serde(rename_all = "camelCase", deny_unknown_fields)]
                        struct Args { $($arg: $ty),* }
                        let Args { $($arg),* } =
                            serde_json::from_value(args).map_err(|e| bad_arguments(name, e))?;
                        let out: $ret = crate::commands::$name(state, $($arg),*).await?;
                        Ok(serde_json::to_value(out).expect("command results serialise"))
                    }
                )*
                _ => Err(Error::invalid(
                    "command",
                    format!("there is no command named \"{}\"", cloudneeti_core::text::printable(name)),
                    "This is a bug in the app's user interface; please report it.",
                )
                .into()),
            }
        }

        /// Visits every argument and result type of the surface (the TypeScript generator
        /// follows their dependencies from there), so no list of types is kept by hand.
        #[cfg(test)]
        pub(crate) fn visit_types(visitor: &mut impl ts_rs::TypeVisitor) {
            $($( visitor.visit::<$ty>(); )* visitor.visit::<$ret>();)*
            visitor.visit::<IpcError>();
        }

        /// Every command of the surface, in declaration order.
        pub fn specs() -> Vec<CommandSpec> {
            let cfg = ts_rs::Config::new();
            let _ = &cfg;
            vec![$(
                CommandSpec {
                    name: stringify!($name),
                    doc: concat!($($doc, "\n",)* ""),
                    args: vec![$((stringify!($arg), <$ty as ts_rs::TS>::name(&cfg))),*],
                    returns: <$ret as ts_rs::TS>::name(&cfg),
                }
            ),*]
        }
    };
}

command_surface!(dispatcher);
