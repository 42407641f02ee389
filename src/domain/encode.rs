//! Domains, address literals and hosts to their wire octets (RFC 5321 §4.1.2–4.1.3).

use super::{AddressLiteral, Domain, Host};
use crate::wire::{Sink, WriteWire, impl_encode};

impl WriteWire for Domain<'_> {
    #[inline(always)]
    fn write_wire(&self, out: &mut impl Sink) {
        out.put_str(self.as_str());
    }
}

impl WriteWire for AddressLiteral<'_> {
    #[inline(always)]
    fn write_wire(&self, out: &mut impl Sink) {
        out.put_str("[");
        out.put_str(self.as_str());
        out.put_str("]");
    }
}

impl WriteWire for Host<'_> {
    #[inline(always)]
    fn write_wire(&self, out: &mut impl Sink) {
        match self {
            Host::Domain(d) => d.write_wire(out),
            Host::Literal(l) => l.write_wire(out),
        }
    }
}

impl_encode!(Domain, AddressLiteral, Host);
