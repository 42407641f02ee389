//! Wire forms of domains, mailboxes, paths and parameters (RFC 5321 §4.1.2).

use super::{Sink, WriteWire, impl_encode};
use crate::types::{AddressLiteral, Domain, ForwardPath, Host, LocalPart, Mailbox, Params, Path, ReversePath};

impl WriteWire for Domain<'_> {
    fn write_wire(&self, out: &mut impl Sink) {
        out.put(self.as_str().as_bytes());
    }
}

impl WriteWire for AddressLiteral<'_> {
    fn write_wire(&self, out: &mut impl Sink) {
        out.put(b"[");
        out.put(self.as_str().as_bytes());
        out.put(b"]");
    }
}

impl WriteWire for Host<'_> {
    fn write_wire(&self, out: &mut impl Sink) {
        match self {
            Host::Domain(d) => d.write_wire(out),
            Host::Literal(l) => l.write_wire(out),
        }
    }
}

impl WriteWire for LocalPart<'_> {
    fn write_wire(&self, out: &mut impl Sink) {
        out.put(self.as_str().as_bytes());
    }
}

impl WriteWire for Mailbox<'_> {
    fn write_wire(&self, out: &mut impl Sink) {
        self.local_part.write_wire(out);
        out.put(b"@");
        self.host.write_wire(out);
    }
}

impl WriteWire for Path<'_> {
    fn write_wire(&self, out: &mut impl Sink) {
        out.put(b"<");
        if let Some(r) = &self.source_route {
            out.put(r.as_str().as_bytes());
            out.put(b":");
        }
        self.mailbox.write_wire(out);
        out.put(b">");
    }
}

impl WriteWire for ReversePath<'_> {
    fn write_wire(&self, out: &mut impl Sink) {
        match self {
            ReversePath::Null => out.put(b"<>"),
            ReversePath::Path(p) => p.write_wire(out),
        }
    }
}

impl WriteWire for ForwardPath<'_> {
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

impl WriteWire for Params<'_> {
    fn write_wire(&self, out: &mut impl Sink) {
        out.put(self.as_str().as_bytes());
    }
}

impl_encode!(Domain, AddressLiteral, Host, LocalPart, Mailbox, Path, ReversePath, ForwardPath, Params);
