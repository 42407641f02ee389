//! SMTP smuggling (SEC Consult, December 2023; CVE-2023-51764 Postfix, CVE-2023-51765
//! Sendmail, CVE-2023-51766 Exim, CVE-2024-27305 aiosmtpd): every end-of-data variant used by
//! the public tools (`The-Login/SMTP-Smuggling-Tools`, `hannob/smtpsmug`) and the peers' own
//! DATA bugs. Under every bare-line-end policy, fed whole, one octet at a time and split at
//! every point, the body must end only at the real `CRLF . CRLF`, with the smuggled
//! transaction inside the body, and the next command read from the right place.
//!
//! The other half of smuggling is the relay that passes a variant on: the last tests check
//! that a body accepted leniently cannot leave through [`DataEncoder`] with a variant intact.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod body_model;
mod common;

use body_model::run_data;
use common::esc;
use smtp_wire::framing::{BareLineEnds, BodyConfig, DataEncoder, EncoderConfig};
use smtp_wire::{Command, CommandBody, ParseErrorKind, Status};

/// Every end-of-data variant of SEC Consult's and hannob's tools (security.md §3.2), plus the
/// ones the peers got wrong and a few neighbours.
const VARIANTS: &[&[u8]] = &[
    b"\n.\n",
    b"\n.\r",
    b"\r.\n",
    b"\r.\r",
    b"\n.\r\n",
    b"\r\n.\n",
    b"\r.\r\n",
    b"\r\n.\r",
    b"\r\n\x00.\r\n",
    b"\r\n.\x00\r\n",
    b"\r\n.\r\r\n",
    b"\r\r\n.\r\r\n",
    // neighbours
    b"\n\n.\n\n",
    b"\r\r.\r\r",
    b"\n\r.\n\r",
    b"\r\n.\n\r\n",
    b"\r\n.\r.\r\n",
    b".\n",
    b"\r\n..\r\n",
];

const SMUGGLED: &[u8] = b"mail FROM:<admin@bank.example>\r\nrcpt TO:<victim@example.org>\r\ndata\r\n\
From: Bank <admin@bank.example>\r\nTo: victim@example.org\r\nSubject: urgent\r\n\r\nsmuggled\r\n";

const POLICIES: [BareLineEnds; 3] = [BareLineEnds::Reject, BareLineEnds::Normalize, BareLineEnds::Allow];

/// The stream a client sends after `DATA`: a body with `variant` inside, the smuggled
/// transaction after it, the real end, and the next command.
fn stream(variant: &[u8]) -> (Vec<u8>, usize) {
    let mut s = b"From: attacker@example.net\r\nSubject: test\r\n\r\nhello".to_vec();
    s.extend_from_slice(variant);
    s.extend_from_slice(SMUGGLED);
    s.extend_from_slice(b"\r\n.\r\n");
    let end = s.len();
    s.extend_from_slice(b"QUIT\r\n");
    (s, end)
}

/// The first bare CR or LF of the stream (what `Reject` must report).
fn first_bare(s: &[u8]) -> Option<(usize, ParseErrorKind)> {
    body_model::first_bare(s)
}

#[test]
fn no_variant_ends_the_body_early() {
    let mut checked = 0;
    for variant in VARIANTS {
        let (wire, end) = stream(variant);
        for policy in POLICIES {
            let cfg = BodyConfig::STRICT.with_bare_line_ends(policy);
            let whole = run_data(&wire, cfg, &[]);
            let (at, summary) = whole.end.unwrap_or_else(|| panic!("no end: {}", esc(&wire)));
            assert_eq!(at, end, "{policy:?} ended early at {at} in {}", esc(&wire));
            assert_eq!(&wire[at..], b"QUIT\r\n");
            // Byte at a time and at every split point: the same.
            let trickle: Vec<usize> = (1..wire.len()).collect();
            assert_eq!(run_data(&wire, cfg, &trickle), whole, "{policy:?} byte at a time: {}", esc(variant));
            for k in 0..=wire.len() {
                assert_eq!(run_data(&wire, cfg, &[k]), whole, "{policy:?} split at {k}: {}", esc(variant));
            }
            // The reference model agrees.
            let model = body_model::data(&wire, &cfg).unwrap();
            assert_eq!(whole.output, model.output);
            assert_eq!(summary.refusal().map(|e| (e.offset() as u64, e.kind())), model.refusal);
            match (policy, first_bare(&wire[..end])) {
                (BareLineEnds::Reject, Some((offset, kind))) => {
                    let r = summary.refusal().unwrap_or_else(|| panic!("accepted {}", esc(variant)));
                    assert_eq!((r.kind(), r.offset()), (kind, offset), "{}", esc(variant));
                    // Nothing from the offending octet on was yielded: the smuggled part never is.
                    assert!(whole.output.len() <= offset);
                    assert!(!contains(&whole.output, b"mail FROM"));
                }
                _ => {
                    assert_eq!(summary.refusal(), None, "{policy:?} {}", esc(variant));
                    // The smuggled transaction is body text, in one message.
                    assert!(contains(&whole.output, b"mail FROM:<admin@bank.example>\r\nrcpt TO:"), "{}", esc(variant));
                    assert!(whole.output.ends_with(b"smuggled\r\n\r\n"));
                }
            }
            checked += 1;
        }
    }
    assert_eq!(checked, VARIANTS.len() * 3);
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn nul_variants_keep_the_nul() {
    // Variants 9 and 10 target servers that strip NUL before looking for the end.
    for (variant, kept) in [(&b"\r\n\x00.\r\n"[..], &b"\r\n\x00.\r\n"[..]), (b"\r\n.\x00\r\n", b"\r\n\x00\r\n")] {
        let (wire, _) = stream(variant);
        let run = run_data(&wire, BodyConfig::STRICT, &[]);
        assert!(run.end.unwrap().1.is_accepted());
        assert!(contains(&run.output, &[b"hello", kept].concat()), "{}", esc(variant));
    }
}

#[test]
fn normalize_never_creates_an_end_or_a_dot_line_start() {
    // Under Normalize, `\n.\r\n` becomes `\r\n.\r\n` inside the body, dot kept.
    let cfg = BodyConfig::STRICT.with_bare_line_ends(BareLineEnds::Normalize);
    for (variant, decoded) in [
        (&b"\n.\r\n"[..], &b"\r\n.\r\n"[..]),
        (b"\n.\n", b"\r\n.\r\n"),
        (b"\r.\r", b"\r\n.\r\n"),
        (b"\r\n.\n", b"\r\n\r\n"),
        (b"\r\n.\r\r\n", b"\r\n\r\n\r\n"),
        (b"\n..\n", b"\r\n..\r\n"),
    ] {
        let (wire, end) = stream(variant);
        let run = run_data(&wire, cfg, &[]);
        assert_eq!(run.end.unwrap().0, end);
        assert!(
            contains(&run.output, &[b"hello", decoded, b"mail FROM"].concat()),
            "{}: {}",
            esc(variant),
            esc(&run.output)
        );
    }
}

/// smtp-proto 0.2.5 (probe in peers.md): a receiver that starts "mid-line" misses `.\r\n`
/// right after DATA and does not unstuff a first line that starts with a dot; `CRLF . CR CR
/// LF` ends its data.
#[test]
fn smtp_proto_data_bugs() {
    let run = run_data(b".\r\nQUIT\r\n", BodyConfig::STRICT, &[]);
    assert_eq!((run.output.as_slice(), run.end.unwrap().0), (&b""[..], 3));
    let run = run_data(b"..first line\r\n.\r\n", BodyConfig::STRICT, &[]);
    assert_eq!(run.output, b".first line\r\n");
    for policy in POLICIES {
        let cfg = BodyConfig::STRICT.with_bare_line_ends(policy);
        let wire = b"a\r\n.\r\r\nMAIL FROM:<x@y>\r\n.\r\n";
        assert_eq!(run_data(wire, cfg, &[]).end.unwrap().0, wire.len(), "{policy:?}");
    }
    // Side by side: smtp-proto's receiver on the same bytes (documents the differential).
    let mut r = smtp_proto::request::receiver::DataReceiver::new();
    let mut buf = Vec::new();
    let wire = b"a\r\n.\r\r\nMAIL FROM:<x@y>\r\n.\r\n";
    let mut it = wire.iter();
    let ended = r.ingest(&mut it, &mut buf);
    assert!(ended, "smtp-proto ends DATA at CRLF . CR CR LF (if this fails, the peer fixed it)");
    assert!(it.as_slice().len() > 5, "…leaving the smuggled command to be read as one");
}

/// mailin-embedded (peers.md): `LF . CRLF` ended the message.
#[test]
fn mailin_lf_dot_crlf() {
    for policy in POLICIES {
        let cfg = BodyConfig::STRICT.with_bare_line_ends(policy);
        let wire = b"Testing\n.\r\nNO SMUGGLING\r\n.\r\n";
        let run = run_data(wire, cfg, &[]);
        assert_eq!(run.end.unwrap().0, wire.len(), "{policy:?}");
    }
    // aiosmtpd's test_smtpsmuggling.py case, under Allow: one message with both texts.
    let run = run_data(
        b"Testing\n.\r\nNO SMUGGLING\r\n.\r\n",
        BodyConfig::STRICT.with_bare_line_ends(BareLineEnds::Allow),
        &[],
    );
    assert_eq!(run.output, b"Testing\n.\r\nNO SMUGGLING\r\n");
}

/// A whole session: the commands after a smuggling attempt are parsed only after the real end,
/// and the smuggled `mail FROM` is never seen as a command.
#[test]
fn the_session_stays_in_step() {
    for variant in VARIANTS {
        for policy in POLICIES {
            let mut session =
                b"EHLO a.example\r\nMAIL FROM:<a@a.example>\r\nRCPT TO:<b@b.example>\r\nDATA\r\n".to_vec();
            let (body, _) = stream(variant);
            session.extend_from_slice(&body);
            let cfg = BodyConfig::STRICT.with_bare_line_ends(policy);
            let mut rest = &session[..];
            let mut verbs = Vec::new();
            while !rest.is_empty() {
                let Status::Complete { value, consumed } = Command::parse_prefix(rest).unwrap() else { panic!() };
                verbs.push(value.verb().to_owned());
                rest = &rest[consumed..];
                if matches!(value.body(), CommandBody::Data) {
                    let run = run_data(rest, cfg, &[7, 13]);
                    rest = &rest[run.end.unwrap().0..];
                }
            }
            assert_eq!(verbs, ["EHLO", "MAIL", "RCPT", "DATA", "QUIT"], "{policy:?} {}", esc(variant));
        }
    }
}

/// The relay half: a body accepted with `Allow` (bare line ends kept) cannot be written to the
/// next hop with a variant intact. The strict encoder refuses it; the normalizing one writes
/// CRLF and stuffs the dot, and a strict decoder then reads one message with the smuggled text
/// inside.
#[test]
fn relaying_a_lenient_body_cannot_smuggle() {
    for variant in VARIANTS {
        let (wire, _) = stream(variant);
        let body = run_data(&wire, BodyConfig::STRICT.with_bare_line_ends(BareLineEnds::Allow), &[]).output;
        let mut out = Vec::new();
        let mut strict = DataEncoder::default();
        let strict_result = strict.encode(&body, &mut out).and_then(|()| strict.finish(&mut out));
        assert_eq!(strict_result.is_err(), body_model::first_bare(&body).is_some(), "{}", esc(variant));

        let mut out = Vec::new();
        let mut enc = DataEncoder::new(EncoderConfig::STRICT.with_normalize(true));
        enc.encode(&body, &mut out).unwrap();
        enc.finish(&mut out).unwrap();
        assert_eq!(body_model::first_bare(&out), None);
        let next_hop = run_data(&out, BodyConfig::STRICT, &[]);
        let (at, s) = next_hop.end.unwrap();
        assert_eq!((at, s.refusal()), (out.len(), None), "{}", esc(variant));
        assert_eq!(next_hop.output, body_model::normalize(&body));
        // Even a lenient next hop that takes any LF as a line end finds no early end: every
        // `.` after an LF is stuffed, except the final marker's.
        let early =
            (0..out.len().saturating_sub(4)).any(|p| out[p..].starts_with(b"\n.") && out.get(p + 2) != Some(&b'.'));
        assert!(!early, "{}", esc(&out));
    }
}
