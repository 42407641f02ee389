//! Property tests: the two round-trip oracles for every message type, exact re-encoding of
//! accepted input, and split invariance of `parse_prefix`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::{arb, esc};
use proptest::prelude::*;
use smtp_wire::{
    AddressLiteral, AuthResponse, Base64, Command, CommandBody, Domain, Encode, ForwardPath, Limits, Mailbox, Param,
    ParseOptions, ReversePath, Status, XText,
};

/// Frames `data` fed in pieces of the given sizes (cycled): lines, skipped lengths, and the
/// stream offset of an error, in order.
fn frame(data: &[u8], limit: usize, pieces: &[usize]) -> Vec<String> {
    use smtp_wire::framing::{Line, LineFramer};
    let mut framer = LineFramer::new(limit);
    let (mut buf, mut out, mut fed, mut base, mut k) = (Vec::new(), Vec::new(), 0usize, 0usize, 0usize);
    while fed < data.len() {
        let end = fed.saturating_add(pieces[k % pieces.len()]).min(data.len());
        k += 1;
        buf.extend_from_slice(&data[fed..end]);
        fed = end;
        loop {
            match framer.next_line(&buf) {
                Ok(Status::Complete { value, consumed }) => {
                    match value {
                        Line::Complete(l) => out.push(esc(l)),
                        Line::TooLong { len } => out.push(format!("<too long {len}>")),
                        _ => {}
                    }
                    buf.drain(..consumed);
                    base += consumed;
                    if consumed == 0 {
                        break;
                    }
                }
                Ok(Status::Incomplete) => break,
                Err(e) => {
                    out.push(format!("<{} at {}>", e.kind(), base + e.offset()));
                    return out;
                }
            }
        }
    }
    out
}

/// Everything a constructed value may need: UTF-8, the optional space, long lines.
fn permissive() -> ParseOptions {
    ParseOptions::default()
        .with_smtputf8(true)
        .with_space_after_colon(true)
        .with_limits(Limits::default().with_command_line(8192))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Oracle 2: any constructible command encodes to bytes that parse back to it.
    #[test]
    fn command_value_encode_parse(cmd in arb::<Command<'static>>()) {
        let bytes = cmd.to_vec();
        prop_assert_eq!(cmd.encoded_len(), bytes.len());
        let back = Command::parse_with(&bytes, &permissive())
            .unwrap_or_else(|e| panic!("{e}: {}", esc(&bytes)));
        prop_assert_eq!(&back, &cmd, "{}", esc(&bytes));
        // Oracle 1 on the same bytes: parse → encode is the identity on accepted input.
        prop_assert_eq!(back.to_vec(), bytes);
    }

    /// Every parameter of a parsed MAIL or RCPT, made to own its text, is the same value and
    /// writes the same text, after the line it came from is gone.
    #[test]
    fn params_into_owned(cmd in arb::<Command<'static>>()) {
        let bytes = cmd.to_vec();
        let back = Command::parse_with(&bytes, &permissive()).unwrap();
        let params = match back.body() {
            CommandBody::Mail { params, .. } | CommandBody::Rcpt { params, .. } => params.clone(),
            _ => return Ok(()),
        };
        let borrowed: Vec<Param<'_>> = params.iter().collect();
        let texts: Vec<String> = borrowed.iter().map(ToString::to_string).collect();
        let owned: Vec<Param<'static>> = borrowed.iter().cloned().map(Param::into_owned).collect();
        prop_assert_eq!(&owned, &borrowed);
        drop(borrowed);
        drop(params);
        drop(back);
        drop(bytes);
        let owned_texts: Vec<String> = owned.iter().map(ToString::to_string).collect();
        prop_assert_eq!(owned_texts, texts);
    }

    /// Accepted input re-encodes exactly, including inputs near valid ones (one octet
    /// changed, inserted or removed).
    #[test]
    fn mutated_commands_reencode_exactly(cmd in arb::<Command<'static>>(), pos in any::<usize>(), byte in any::<u8>(), op in 0..3u8) {
        let mut bytes = cmd.to_vec();
        let p = pos % bytes.len();
        match op {
            0 => bytes[p] = byte,
            1 => bytes.insert(p, byte),
            _ => { bytes.remove(p); }
        }
        for opts in [ParseOptions::default(), permissive()] {
            if let Ok(c) = Command::parse_with(&bytes, &opts) {
                prop_assert_eq!(c.to_vec(), bytes.clone(), "{}", esc(&bytes));
                prop_assert_eq!(Command::parse_with(&c.to_vec(), &opts).unwrap().into_owned(), c);
            }
        }
    }

    /// `parse_prefix` gives the same commands however the stream is split into reads.
    #[test]
    fn parse_prefix_is_split_invariant(cmds in proptest::collection::vec(arb::<Command<'static>>(), 1..6), cuts in proptest::collection::vec(any::<usize>(), 0..8)) {
        let stream: Vec<u8> = cmds.iter().flat_map(|c| c.to_vec()).collect();
        let opts = permissive();
        let (got, rest) = common::feed_in_reads(&stream, &cuts, |b| {
            Command::parse_prefix_with(b, &opts).unwrap().map(Command::into_owned)
        });
        prop_assert!(rest.is_empty());
        prop_assert_eq!(got, cmds);
    }

    #[test]
    fn paths_round_trip(rp in arb::<ReversePath<'static>>(), fp in arb::<ForwardPath<'static>>(), mb in arb::<Mailbox<'static>>()) {
        let o = permissive();
        prop_assert_eq!(ReversePath::parse_with(&rp.to_vec(), &o).unwrap().into_owned(), rp);
        prop_assert_eq!(ForwardPath::parse_with(&fp.to_vec(), &o).unwrap().into_owned(), fp);
        prop_assert_eq!(Mailbox::parse_with(&mb.to_vec(), &o).unwrap().into_owned(), mb);
    }

    #[test]
    fn domains_and_literals_round_trip(d in arb::<Domain<'static>>(), l in arb::<AddressLiteral<'static>>()) {
        let o = permissive();
        prop_assert_eq!(Domain::parse_with(&d.to_vec(), &o).unwrap().into_owned(), d);
        let back = AddressLiteral::parse(&l.to_vec()).unwrap().into_owned();
        prop_assert_eq!(back.ip(), l.ip());
        prop_assert_eq!(back, l);
    }

    #[test]
    fn auth_responses_round_trip(r in arb::<AuthResponse<'static>>()) {
        prop_assert_eq!(AuthResponse::parse(&r.to_vec()).unwrap().into_owned(), r);
    }

    #[test]
    fn xtext_and_base64_round_trip(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let x = XText::encode(&bytes);
        prop_assert_eq!(XText::new(x.as_str()).unwrap().decode(), bytes.clone());
        let b = Base64::encode(&bytes);
        prop_assert_eq!(Base64::new(b.as_str()).unwrap().decode(), bytes);
    }

    /// The line framer gives the same lines, skips and errors however the stream is split.
    #[test]
    fn line_framer_is_split_invariant(data in proptest::collection::vec(prop_oneof![Just(b'\r'), Just(b'\n'), Just(b'a'), any::<u8>()], 0..200), limit in 3usize..40, cuts in proptest::collection::vec(1usize..20, 1..20)) {
        let whole = frame(&data, limit, &[usize::MAX]);
        let split = frame(&data, limit, &cuts);
        let trickle = frame(&data, limit, &[1]);
        prop_assert_eq!(&whole, &split);
        prop_assert_eq!(&whole, &trickle);
    }

    /// No input makes a parser panic, and errors point inside the input.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        for opts in [ParseOptions::default(), permissive()] {
            match Command::parse_with(&bytes, &opts) {
                Ok(c) => prop_assert_eq!(c.to_vec(), bytes.clone()),
                Err(e) => prop_assert!(e.offset() <= bytes.len()),
            }
            let _ = Command::parse_prefix_with(&bytes, &opts);
        }
        let _ = AuthResponse::parse(&bytes);
        let _ = ReversePath::parse(&bytes);
        let _ = AddressLiteral::parse(&bytes);
    }
}
