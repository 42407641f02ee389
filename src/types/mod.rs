//! The vocabulary: validated values, borrowed from the input or owned. No grammar lives here
//! (the `parse` module has it) and no state.

/// A validated newtype over wire text (borrowed or owned): `as_str`, `into_owned`, `Display`.
/// `Debug` is separate (see `debug_plain!`) so credentials can redact it.
macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name<'a>(pub(crate) Cow<'a, str>);

        impl $name<'_> {
            /// The wire text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// A copy that owns its text.
            pub fn into_owned(self) -> $name<'static> {
                $name(Cow::Owned(self.0.into_owned()))
            }
        }

        impl fmt::Display for $name<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

/// `Debug` showing the wire text.
macro_rules! debug_plain {
    ($($name:ident),*) => {$(
        impl fmt::Debug for $name<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_tuple(stringify!($name)).field(&self.0).finish()
            }
        }
    )*};
}

mod command;
mod domain;
mod ehlo;
mod enhanced;
mod params;
mod path;
mod reply;
pub(crate) mod spelling;
mod text;

pub use command::{AuthResponse, Command, CommandBody, InitialResponse};
pub use domain::{AddressLiteral, Domain, Host, LiteralKind};
pub use ehlo::{
    AuthMechanisms, Capabilities, Capability, Duplicates, EhloKeyword, EhloParams, EhloReply, Extension, MechanismIter,
    ServerLimit, ServerLimits,
};
pub use enhanced::EnhancedCode;
pub use params::{AuthParam, BodyType, By, ByMode, Notify, Orcpt, Param, ParamIter, Params, Ret, Rrvs, RrvsAction};
pub use path::{ForwardPath, LocalPart, Mailbox, Path, Postmaster, ReversePath, SourceRoute};
pub use reply::{Reply, ReplyBuilder, ReplyCategory, ReplyClass, ReplyCode, ReplyLine, ReplyLines, SaslChallenge};
pub use spelling::Spelling;
pub use text::{Base64, EsmtpValue, Keyword, Mechanism, SmtpString, Text, Timestamp, XText};
