//! [`Limits`]: the sizes of RFC 5321 §4.5.3.1, as strict defaults that can be raised.

/// Size limits, in octets, checked before any grammar runs.
///
/// The defaults are the minimum maximums of RFC 5321 §4.5.3.1 (and RFC 4954 §4 for SASL
/// lines): an implementation must accept objects up to these sizes and may refuse larger ones.
/// Extensions may lengthen a command line (RFC 1870 §3 adds 26 octets for `SIZE=`, RFC 3461
/// §4 more for DSN parameters); raise [`command_line`](Self::command_line) when you advertise
/// them.
///
/// ```
/// use smtp_wire::Limits;
///
/// let limits = Limits::default().with_command_line(1024);
/// assert_eq!(limits.command_line(), 1024);
/// assert_eq!(limits.local_part(), 64);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Limits {
    command_line: usize,
    sasl_line: usize,
    local_part: usize,
    domain: usize,
    path: usize,
    reply_line: usize,
    reply_lines: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self::RFC5321
    }
}

impl Limits {
    /// The RFC 5321 §4.5.3.1 minimums (and RFC 4954 §4's 12288 octets for SASL lines).
    pub const RFC5321: Self = Self {
        // §4.5.3.1.4: "The maximum total length of a command line including the command word
        // and the <CRLF> is 512 octets."
        command_line: 512,
        // RFC 4954 §4: "a line length of 12288 octets ... is sufficient".
        sasl_line: 12288,
        // §4.5.3.1.1
        local_part: 64,
        // §4.5.3.1.2
        domain: 255,
        // §4.5.3.1.3: "including the punctuation and element separators"
        path: 256,
        // §4.5.3.1.5: "The maximum total length of a reply line including the reply code and
        // the <CRLF> is 512 octets."
        reply_line: 512,
        // No RFC bound: 100 lines of 512 octets cap a reply at 51 200 octets, several times
        // the longest EHLO list or HELP text real servers send.
        reply_lines: 100,
    };

    /// Longest command line, CRLF included (default 512, RFC 5321 §4.5.3.1.4).
    pub const fn command_line(&self) -> usize {
        self.command_line
    }
    /// Longest `AUTH` command or SASL response line, CRLF included (default 12288, RFC 4954 §4).
    pub const fn sasl_line(&self) -> usize {
        self.sasl_line
    }
    /// Longest local part (default 64, RFC 5321 §4.5.3.1.1).
    pub const fn local_part(&self) -> usize {
        self.local_part
    }
    /// Longest domain (default 255, RFC 5321 §4.5.3.1.2).
    pub const fn domain(&self) -> usize {
        self.domain
    }
    /// Longest path with its angle brackets (default 256, RFC 5321 §4.5.3.1.3).
    pub const fn path(&self) -> usize {
        self.path
    }

    /// Longest reply line, reply code and CRLF included (default 512, RFC 5321 §4.5.3.1.5).
    /// A `334` SASL challenge line may be as long as [`sasl_line`](Self::sasl_line) (RFC 4954
    /// §4). Values below 5 (`250` CRLF, the shortest reply line) count as 5.
    pub const fn reply_line(&self) -> usize {
        self.reply_line
    }
    /// Most lines in one reply (default 100; RFC 5321 §4.2.1 sets no bound, so a peer that
    /// never sends the last line would otherwise hold the parser forever). Values below 1
    /// count as 1.
    pub const fn reply_lines(&self) -> usize {
        self.reply_lines
    }

    /// Sets [`command_line`](Self::command_line).
    #[must_use]
    pub const fn with_command_line(mut self, octets: usize) -> Self {
        self.command_line = octets;
        self
    }
    /// Sets [`sasl_line`](Self::sasl_line).
    #[must_use]
    pub const fn with_sasl_line(mut self, octets: usize) -> Self {
        self.sasl_line = octets;
        self
    }
    /// Sets [`local_part`](Self::local_part).
    #[must_use]
    pub const fn with_local_part(mut self, octets: usize) -> Self {
        self.local_part = octets;
        self
    }
    /// Sets [`domain`](Self::domain).
    #[must_use]
    pub const fn with_domain(mut self, octets: usize) -> Self {
        self.domain = octets;
        self
    }
    /// Sets [`path`](Self::path).
    #[must_use]
    pub const fn with_path(mut self, octets: usize) -> Self {
        self.path = octets;
        self
    }
    /// Sets [`reply_line`](Self::reply_line).
    #[must_use]
    pub const fn with_reply_line(mut self, octets: usize) -> Self {
        self.reply_line = octets;
        self
    }
    /// Sets [`reply_lines`](Self::reply_lines).
    #[must_use]
    pub const fn with_reply_lines(mut self, lines: usize) -> Self {
        self.reply_lines = lines;
        self
    }
}
