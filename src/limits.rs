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
}
