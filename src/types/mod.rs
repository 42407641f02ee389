//! The vocabulary: validated values, borrowed from the input or owned. No grammar lives here
//! (the `parse` module has it) and no state.

mod command;
mod domain;
mod params;
mod path;
pub(crate) mod spelling;
mod text;

pub use command::{AuthResponse, Command, CommandBody, InitialResponse};
pub use domain::{AddressLiteral, Domain, Host, LiteralKind};
pub use params::{AuthParam, BodyType, By, ByMode, Notify, Orcpt, Param, ParamIter, Params, Ret, Rrvs, RrvsAction};
pub use path::{ForwardPath, LocalPart, Mailbox, Path, Postmaster, ReversePath, SourceRoute};
pub use spelling::Spelling;
pub use text::{Base64, EsmtpValue, Keyword, Mechanism, SmtpString, Text, Timestamp, XText};
