//! Local parts, mailboxes and paths to their wire octets (RFC 5321 §4.1.2).

use alloc::string::String;
use core::fmt;

use super::{ForwardPath, LocalPart, Mailbox, Path, Postmaster, ReversePath};
use crate::wire::{Sink, WriteWire, apply_case, impl_encode};

impl WriteWire for LocalPart<'_> {
    #[inline(always)]
    fn write_wire(&self, out: &mut impl Sink) {
        out.put(self.as_str().as_bytes());
    }
}

impl WriteWire for Mailbox<'_> {
    #[inline(always)]
    fn write_wire(&self, out: &mut impl Sink) {
        self.local_part.write_wire(out);
        out.put(b"@");
        self.host.write_wire(out);
    }
}

impl WriteWire for Path<'_> {
    #[inline(always)]
    fn write_wire(&self, out: &mut impl Sink) {
        out.put(b"<");
        self.write_inside(out);
        out.put(b">");
    }
}

impl Path<'_> {
    /// What goes between the brackets: `[ A-d-l ":" ] Mailbox` (RFC 5321 §4.1.2), for a
    /// writer that joins the brackets to the words around them.
    #[inline(always)]
    pub(crate) fn write_inside(&self, out: &mut impl Sink) {
        if let Some(r) = &self.source_route {
            out.put(r.as_str().as_bytes());
            out.put(b":");
        }
        self.mailbox.write_wire(out);
    }
}

impl WriteWire for ReversePath<'_> {
    #[inline(always)]
    fn write_wire(&self, out: &mut impl Sink) {
        match self {
            ReversePath::Null => out.put(b"<>"),
            ReversePath::Path(p) => p.write_wire(out),
        }
    }
}

impl WriteWire for ForwardPath<'_> {
    #[inline(always)]
    fn write_wire(&self, out: &mut impl Sink) {
        match self {
            ForwardPath::Postmaster(p) => {
                out.put(b"<");
                p.write(out);
                out.put(b">");
            }
            ForwardPath::Path(p) => p.write_wire(out),
        }
    }
}

impl Postmaster {
    /// Writes the word as it was spelled.
    #[inline(always)]
    pub(crate) fn write(&self, out: &mut impl Sink) {
        apply_case(b"POSTMASTER", self.lower, out);
    }
}

impl fmt::Display for ForwardPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Postmaster(p) => {
                let mut s = String::with_capacity(10);
                p.write(&mut s);
                write!(f, "<{s}>")
            }
            Self::Path(p) => p.fmt(f),
        }
    }
}

impl_encode!(LocalPart, Mailbox, Path, ReversePath, ForwardPath);
