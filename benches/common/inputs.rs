//! Inputs shared by the benches and `examples/profile_parse.rs`, so that criterion medians and
//! instruction counts are taken on the same octets: the generated mail bodies, and the parts
//! that smtp-wire and its peers (smtp-proto, smtp-codec) handle alike.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use smtp_wire::{Command, Encode, EnhancedCode, Reply, ReplyCode};

/// Six real servers' EHLO replies (Postfix, Exim, Sendmail, Outlook, Gmail), the `parse_ehlo`
/// bench's inputs.
pub const EHLO: &[&[u8]] = &[
    b"250-mx.postfix.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-VRFY\r\n250-ETRN\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n",
    b"250-mail.example.com Hello client.example [192.0.2.1]\r\n250-SIZE 52428800\r\n250-8BITMIME\r\n250-PIPELINING\r\n250-AUTH PLAIN LOGIN\r\n250-CHUNKING\r\n250-PRDR\r\n250 HELP\r\n",
    b"250-mail.example.com Hello client.example [192.0.2.1], pleased to meet you\r\n250-ENHANCEDSTATUSCODES\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-SIZE\r\n250-DSN\r\n250-ETRN\r\n250-AUTH DIGEST-MD5 CRAM-MD5\r\n250-DELIVERBY\r\n250 HELP\r\n",
    b"250-BN8NAM12FT055.mail.protection.outlook.com Hello [192.0.2.1]\r\n250-SIZE 157286400\r\n250-PIPELINING\r\n250-DSN\r\n250-ENHANCEDSTATUSCODES\r\n250-STARTTLS\r\n250-8BITMIME\r\n250-BINARYMIME\r\n250-CHUNKING\r\n250 SMTPUTF8\r\n",
    b"250-mx.google.com at your service, [192.0.2.1]\r\n250-SIZE 157286400\r\n250-8BITMIME\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-PIPELINING\r\n250-CHUNKING\r\n250 SMTPUTF8\r\n",
    b"250-smtp.gmail.com at your service, [192.0.2.1]\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n250-AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH\r\n250-ENHANCEDSTATUSCODES\r\n250-PIPELINING\r\n250-CHUNKING\r\n250 SMTPUTF8\r\n",
];

/// The command mix of `benches/command.rs`: what a busy MX sees per message (EHLO, MAIL with
/// parameters, several RCPTs, DATA or BDAT, RSET/NOOP/QUIT).
pub const COMMAND_MIX: &[&[u8]] = &[
    b"EHLO mail.client.example\r\n",
    b"MAIL FROM:<alice.sender@client.example> SIZE=18342 BODY=8BITMIME\r\n",
    b"RCPT TO:<bob@example.org>\r\n",
    b"RCPT TO:<carol.long-name@sub.example.org> NOTIFY=SUCCESS,FAILURE\r\n",
    b"RCPT TO:<Postmaster>\r\n",
    b"DATA\r\n",
    b"MAIL FROM:<> BODY=7BIT\r\n",
    b"RCPT TO:<dave@example.net>\r\n",
    b"BDAT 65536\r\n",
    b"BDAT 1024 LAST\r\n",
    b"RSET\r\n",
    b"NOOP\r\n",
    b"AUTH PLAIN AHVzZXIAcGFzc3dvcmQ=\r\n",
    b"STARTTLS\r\n",
    b"VRFY postmaster\r\n",
    b"QUIT\r\n",
];

/// The lines `benches/command.rs` parses: the mix plus every command line of the corpus that
/// precedes a message body, only those both smtp-wire and smtp-proto accept.
pub fn command_lines() -> Vec<Vec<u8>> {
    let mut lines: Vec<Vec<u8>> = COMMAND_MIX.iter().map(|l| l.to_vec()).collect();
    let dir = format!("{}/tests/corpus", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for p in files.into_iter().filter(|p| p.extension().is_some_and(|e| e == "c2s")) {
        let data = std::fs::read(p).unwrap();
        let mut rest = &data[..];
        while let Ok(smtp_wire::Status::Complete { value, consumed }) = Command::parse_prefix(rest) {
            let body = matches!(value.body(), smtp_wire::CommandBody::Data | smtp_wire::CommandBody::Bdat { .. });
            lines.push(rest[..consumed].to_vec());
            rest = &rest[consumed..];
            if body {
                break;
            }
        }
    }
    // Keep only what both parsers accept.
    lines.retain(|l| Command::parse(l).is_ok() && smtp_proto::Request::parse(&mut l.iter()).is_ok());
    lines
}

/// How large each generated body is.
pub const SIZE: usize = 4 << 20;

/// The generator's seed.
pub const SEED: u64 = 0x5eed_cafe_f00d_1234;

/// A deterministic pseudo-random generator (xorshift), so every run sees the same bodies.
pub struct Rng(pub u64);
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const WORDS: &[&str] = &[
    "the",
    "message",
    "body",
    "of",
    "an",
    "email",
    "is",
    "a",
    "sequence",
    "lines",
    "SMTP",
    "server",
    "client",
    "transfer",
    "delivery",
    "regards",
    "meeting",
    "tomorrow",
    "attached",
    "report",
    "quarterly",
    "please",
    "review",
];

/// Plain text: words in lines of 30–78 octets, an empty line now and then, a header block.
pub fn plain(rng: &mut Rng) -> Vec<u8> {
    let mut body = b"From: Alice <alice@example.org>\r\nTo: bob@example.net\r\nSubject: report\r\n\r\n".to_vec();
    while body.len() < SIZE {
        let target = 30 + rng.below(49) as usize;
        let mut line = String::new();
        while line.len() < target {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(WORDS[rng.below(WORDS.len() as u64) as usize]);
        }
        body.extend_from_slice(line.as_bytes());
        body.extend_from_slice(b"\r\n");
        if rng.below(8) == 0 {
            body.extend_from_slice(b"\r\n");
        }
    }
    body
}

/// Dot-heavy: every line after the first starts with one or more dots (each is stuffed on the
/// wire), short lines, many of them only dots. (The first line has no dot: smtp-proto's
/// receiver does not unstuff a first line, and the peers must do the same work.)
pub fn dot_heavy(rng: &mut Rng) -> Vec<u8> {
    let mut body = b"Subject: dots\r\n".to_vec();
    while body.len() < SIZE {
        let dots = 1 + rng.below(3) as usize;
        body.extend(std::iter::repeat_n(b'.', dots));
        if rng.below(2) == 0 {
            body.extend_from_slice(WORDS[rng.below(WORDS.len() as u64) as usize].as_bytes());
        }
        body.extend_from_slice(b"\r\n");
    }
    body
}

/// Long lines: 998-octet lines (the RFC 5322 maximum), base64-like text.
pub fn long_lines(rng: &mut Rng) -> Vec<u8> {
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut body = Vec::new();
    while body.len() < SIZE {
        for _ in 0..998 {
            body.push(B64[rng.below(64) as usize]);
        }
        body.extend_from_slice(b"\r\n");
    }
    body
}

/// The three bodies, in this order, from one generator with a fixed seed.
pub fn bodies() -> Vec<(&'static str, Vec<u8>)> {
    let mut rng = Rng(SEED);
    vec![("plain", plain(&mut rng)), ("dot-heavy", dot_heavy(&mut rng)), ("long-lines", long_lines(&mut rng))]
}

/// The single-line replies with an enhanced code that smtp-proto's `Response` can hold too
/// (one octet per sub-code: 5.7.520 and the like are left out): code, enhanced code, text.
pub fn single_line_enhanced<'a>(
    replies: impl IntoIterator<Item = &'a Reply<'a>>,
) -> Vec<(ReplyCode, EnhancedCode, String)> {
    replies
        .into_iter()
        .filter_map(|reply| {
            let line = reply.lines().next()?;
            let esc = line.enhanced_code()?;
            (!reply.is_multiline() && esc.subject() < 10 && esc.detail() < 10)
                .then(|| (reply.code(), esc, line.message().to_owned()))
        })
        .collect()
}

/// The same parts as smtp-proto's `Response` values.
pub fn proto_responses(parts: &[(ReplyCode, EnhancedCode, String)]) -> Vec<smtp_proto::Response<String>> {
    parts
        .iter()
        .map(|(code, esc, msg)| smtp_proto::Response {
            code: code.as_u16(),
            esc: [esc.class(), esc.subject() as u8, esc.detail() as u8],
            message: msg.clone(),
        })
        .collect()
}

/// The command lines both encoders hold and write to the same octets (so they do the same
/// work): smtp-codec has no BDAT, no general AUTH, no parameters on its own terms.
pub fn codec_common(lines: &[Vec<u8>]) -> Vec<(Command<'_>, smtp_codec::types::Command)> {
    lines
        .iter()
        .filter_map(|l| {
            let ours = Command::parse(l).ok()?;
            let (rest, theirs) = smtp_codec::parse::command::command(l).ok()?;
            let (mut a, mut b) = (Vec::new(), Vec::new());
            ours.encode(&mut a);
            theirs.serialize(&mut b).ok()?;
            (rest.is_empty() && a == b).then_some((ours, theirs))
        })
        .collect()
}
