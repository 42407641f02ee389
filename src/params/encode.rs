//! ESMTP parameters to their wire octets (RFC 5321 §4.1.2).

use alloc::string::String;
use core::fmt;

use super::{AuthParam, ByMode, Notify, Param, Params, Ret, RrvsAction};
use crate::wire::{Sink, WriteWire, impl_encode, write_num};

impl WriteWire for Params<'_> {
    #[inline(always)]
    fn write_wire(&self, out: &mut impl Sink) {
        out.put(self.as_str().as_bytes());
    }
}

impl_encode!(Params);

impl Param<'_> {
    /// Writes the canonical wire form (`KEYWORD[=value]`).
    pub(crate) fn write(&self, out: &mut impl Sink) {
        match self {
            Self::Size(n) => {
                out.put(b"SIZE=");
                write_num(out, *n);
            }
            Self::Body(b) => {
                out.put(b"BODY=");
                out.put(b.as_str().as_bytes());
            }
            Self::SmtpUtf8 => out.put(b"SMTPUTF8"),
            Self::RequireTls => out.put(b"REQUIRETLS"),
            Self::Ret(Ret::Full) => out.put(b"RET=FULL"),
            Self::Ret(Ret::Headers) => out.put(b"RET=HDRS"),
            Self::EnvId(x) => {
                out.put(b"ENVID=");
                out.put(x.as_str().as_bytes());
            }
            Self::Auth(AuthParam::Null) => out.put(b"AUTH=<>"),
            Self::Auth(AuthParam::Mailbox(x)) => {
                out.put(b"AUTH=");
                out.put(x.as_str().as_bytes());
            }
            Self::MtPriority(p) => {
                out.put(b"MT-PRIORITY=");
                if *p < 0 {
                    out.put(b"-");
                }
                write_num(out, u64::from(p.unsigned_abs()));
            }
            Self::HoldFor(s) => {
                out.put(b"HOLDFOR=");
                write_num(out, u64::from(*s));
            }
            Self::HoldUntil(t) => {
                out.put(b"HOLDUNTIL=");
                out.put(t.as_str().as_bytes());
            }
            Self::By(by) => {
                out.put(b"BY=");
                if by.time < 0 {
                    out.put(b"-");
                }
                write_num(out, u64::from(by.time.unsigned_abs()));
                out.put(match by.mode {
                    ByMode::Notify => b";N",
                    ByMode::Return => b";R",
                });
                if by.trace {
                    out.put(b"T");
                }
            }
            Self::Notify(Notify::Never) => out.put(b"NOTIFY=NEVER"),
            Self::Notify(Notify::On { success, failure, delay }) => {
                out.put(b"NOTIFY=");
                let mut first = true;
                for (on, word) in [(*success, &b"SUCCESS"[..]), (*failure, b"FAILURE"), (*delay, b"DELAY")] {
                    if on {
                        if !first {
                            out.put(b",");
                        }
                        out.put(word);
                        first = false;
                    }
                }
            }
            Self::Orcpt(o) => {
                out.put(b"ORCPT=");
                out.put(o.addr_type.as_str().as_bytes());
                out.put(b";");
                out.put(o.addr.as_str().as_bytes());
            }
            Self::Rrvs(r) => {
                out.put(b"RRVS=");
                out.put(r.since.as_str().as_bytes());
                match r.action {
                    Some(RrvsAction::Continue) => out.put(b";C"),
                    Some(RrvsAction::Reject) => out.put(b";R"),
                    None => {}
                }
            }
            Self::Other { keyword, value } => {
                out.put(keyword.as_str().as_bytes());
                if let Some(v) = value {
                    out.put(b"=");
                    out.put(v.as_str().as_bytes());
                }
            }
        }
    }
}

impl fmt::Display for Param<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        self.write(&mut s);
        f.write_str(&s)
    }
}
