//! The vocabulary: validated values, borrowed from the input or owned. No grammar lives here
//! (the `parse` module has it) and no state.

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
