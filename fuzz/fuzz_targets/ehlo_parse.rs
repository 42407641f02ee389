//! Bytes → `EhloReply`: never panics; oracle 1 (exact re-encoding, parses back equal, error
//! offsets inside the input) and the prefix oracles (`parse_prefix` agrees with `parse`,
//! answers are final for any split); agrees with `Reply` + `TryFrom`; its typed capabilities,
//! written back in canonical form by `EhloReply::new`, type back the same; lookups agree
//! with the list.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtp_wire::{Capability, EhloReply, Extension, Limits, Reply};
use smtp_wire_fuzz::{exact, prefix, small_limit_sets};

fuzz_target!(|data: &[u8]| {
    for opts in small_limit_sets(Limits::default().with_reply_line(48).with_reply_lines(4)) {
        let _ = prefix::<EhloReply>(data, &opts);
        let Some(ehlo) = exact::<EhloReply>(data, &opts) else { continue };
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
});
