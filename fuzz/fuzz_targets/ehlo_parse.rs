//! Bytes → `EhloReply`: never panics; an accepted reply re-encodes to the same octets, parses
//! back equal and agrees with `Reply` + `TryFrom`; its typed capabilities, written back in
//! canonical form by `EhloReply::new`, type back the same; lookups agree with the list;
//! `parse_prefix` answers are final; error offsets stay inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtp_wire::{Capability, EhloReply, Encode, Extension, Limits, ParseOptions, Reply, Status};
use smtp_wire_fuzz::assert_exact;

fn option_sets() -> [ParseOptions; 3] {
    [
        ParseOptions::default(),
        ParseOptions::default().with_smtputf8(true),
        ParseOptions::default()
            .with_smtputf8(true)
            .with_limits(Limits::default().with_reply_line(48).with_reply_lines(4)),
    ]
}

fuzz_target!(|data: &[u8]| {
    for opts in option_sets() {
        match EhloReply::parse_with(data, &opts) {
            Ok(ehlo) => {
                assert_exact(&ehlo, data);
                assert_eq!(EhloReply::parse_with(&ehlo.to_vec(), &opts).as_ref(), Ok(&ehlo));
                let reply = Reply::parse_with(data, &opts).expect("an EHLO reply is a reply");
                assert_eq!(EhloReply::try_from(&reply).as_ref(), Ok(&ehlo));
                let caps: Vec<Capability<'_>> = ehlo.capabilities().collect();
                assert_eq!(caps.len() + 1, reply.line_count());
                // The typed view agrees with the keyword as written.
                for (line, c) in reply.texts().skip(1).zip(&caps) {
                    let keyword = line.split([' ', '=']).next().unwrap_or(line);
                    assert_eq!(c.extension(), Extension::from_keyword(keyword), "{line}");
                }
                for c in &caps {
                    if let Some(ext) = c.extension() {
                        assert!(ehlo.supports(ext));
                    }
                    assert!(ehlo.supports_keyword(c.keyword()));
                }
                assert!(ehlo.duplicates().count() < caps.len().max(1));
                if let Some(n) = ehlo.size_limit() {
                    assert!(n > 0);
                }
                let _ = ehlo.auth_mechanisms().count();
                // Canonical form: the same typed values.
                let rebuilt = EhloReply::new(&ehlo.host(), ehlo.greeting(), &caps)
                    .unwrap_or_else(|e| panic!("{e}: rebuilding {}", data.escape_ascii()));
                assert_eq!(rebuilt.capabilities().collect::<Vec<_>>(), caps);
                assert_eq!(rebuilt.host(), ehlo.host());
                assert_eq!(rebuilt.greeting(), ehlo.greeting());
            }
            Err(e) => assert!(e.offset() <= data.len(), "offset {} past {}", e.offset(), data.len()),
        }
        let whole = EhloReply::parse_prefix_with(data, &opts);
        if let Ok(Status::Complete { value, consumed }) = &whole {
            assert_eq!(EhloReply::parse_with(&data[..*consumed], &opts).as_ref(), Ok(value));
        }
        if data.len() <= 600 {
            for k in 0..data.len() {
                match EhloReply::parse_prefix_with(&data[..k], &opts) {
                    Ok(Status::Incomplete) => {}
                    answer => {
                        assert_eq!(answer, whole, "prefix {k} of {}", data.escape_ascii());
                        break;
                    }
                }
            }
        }
    }
});
