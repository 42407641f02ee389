//! Pipelining (RFC 2920): which commands end a group, and an output queue that releases
//! replies only at group ends.

use alloc::vec::Vec;

use crate::CommandBody;

/// Whether `cmd` must be the last command of a pipelined group, so that the replies queued
/// so far are flushed after it.
///
/// RFC 2920 §3.1: "The EHLO, DATA, VRFY, EXPN, TURN, QUIT, and NOOP commands can only appear
/// as the last command in a group"; RFC 3207 §4: STARTTLS too; RFC 4954 §4: AUTH (this
/// machine treats every AUTH as a group end, which a client that pipelines PLAIN with an
/// initial response also accepts); HELO and LHLO are treated like EHLO; `BDAT … LAST` ends
/// the message (RFC 3030 §2 lets the other chunks be pipelined); commands this crate does not
/// know are not declared pipelinable, so they end a group too.
pub(crate) fn ends_group(cmd: &CommandBody<'_>) -> bool {
    match cmd {
        CommandBody::Mail { .. } | CommandBody::Rcpt { .. } | CommandBody::Rset => false,
        CommandBody::Bdat { last, .. } => *last,
        _ => true,
    }
}

/// Replies waiting to be transmitted; only the first `flushable` octets may go out.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub(crate) struct OutQueue {
    buf: Vec<u8>,
    flushable: usize,
}

impl OutQueue {
    /// Where replies are written.
    pub(crate) fn buf(&mut self) -> &mut Vec<u8> {
        &mut self.buf
    }

    /// Everything written so far may be transmitted (a group ended).
    pub(crate) fn flush(&mut self) {
        self.flushable = self.buf.len();
    }

    /// Octets that may be transmitted now.
    pub(crate) fn flushable(&self) -> usize {
        self.flushable
    }

    /// Octets queued, flushable or not.
    pub(crate) fn len(&self) -> usize {
        self.buf.len()
    }

    /// Whether nothing is queued.
    pub(crate) fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Moves the flushable octets to `out`; `true` if there were any.
    pub(crate) fn transmit(&mut self, out: &mut Vec<u8>) -> bool {
        if self.flushable == 0 {
            return false;
        }
        let n = self.flushable.min(self.buf.len());
        out.extend(self.buf.drain(..n));
        self.flushable = 0;
        n > 0
    }
}
