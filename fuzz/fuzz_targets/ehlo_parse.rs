//! Bytes → `EhloReply`: never panics; oracle 1 (exact re-encoding, parses back equal, error
//! offsets inside the input) and the prefix oracles (`parse_prefix` agrees with `parse`,
//! answers are final for any split); agrees with `Reply` + `from_reply_with`; its typed
//! capabilities, written back in canonical form by `EhloReply::new`, type back the same
//! (a malformed capability is refused there); lookups agree with the list; a tolerant reader
//! reads what a strict one reads the same way.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtp_wire::{BuildErrorKind, Capability, EhloReply, Extension, Limits, ParseErrorKind, Reply};
use smtp_wire_fuzz::{assert_shown, exact, prefix, small_limit_sets, without_reply_leniencies};

fuzz_target!(|data: &[u8]| {
    for opts in small_limit_sets(Limits::default().with_reply_line(48).with_reply_lines(4)) {
        let _ = prefix::<EhloReply>(data, &opts);
        let Some(ehlo) = exact::<EhloReply>(data, &opts) else { continue };
        let reply = Reply::parse_with(data, &opts).expect("an EHLO reply is a reply");
        assert_eq!(EhloReply::from_reply_with(&reply, &opts).as_ref(), Ok(&ehlo));
        let caps: Vec<Capability<'_>> = ehlo.capabilities().collect();
        assert_eq!(caps.len() + 1, reply.line_count());
        // The typed view agrees with the keyword as written (up to the first octet that
        // cannot be in a keyword: SP, `=`, or what a malformed line has there), read from the
        // octets (under loose text, what follows the keyword need not be UTF-8).
        for (line, c) in reply.lines().skip(1).zip(&caps) {
            let line = line.text_bytes();
            let keyword = line.split(|&c| !(c.is_ascii_alphanumeric() || c == b'-' || c == b'_')).next();
            let keyword = std::str::from_utf8(keyword.unwrap_or(line)).expect("keywords are ASCII");
            assert_eq!(c.extension(), Extension::from_keyword(keyword), "{}", line.escape_ascii());
            if let Capability::Malformed { keyword, params, .. } = c {
                assert!(opts.malformed_capabilities());
                assert_eq!([keyword.as_str().as_bytes(), params.as_bytes()].concat(), line);
                // Shown escaped, nothing lost.
                assert_shown(&c.to_string(), &[line]);
                assert_eq!(c.to_string(), format!("{keyword}{params}"));
            }
        }
        for c in &caps {
            if let Some(ext) = c.extension() {
                assert!(ehlo.supports(ext));
            }
            assert!(ehlo.supports_keyword(c.keyword()));
        }
        // The keyword-only view names the same extensions, line for line, as the typed one.
        assert!(ehlo.extensions().eq(caps.iter().filter_map(Capability::extension)));
        assert!(ehlo.duplicates().count() < caps.len().max(1));
        if let Some(n) = ehlo.size_limit() {
            assert!(n > 0);
        }
        // Every mechanism comes from an AUTH line, and none twice while the lines list no
        // more names than the look-back.
        let names: Vec<String> = ehlo.auth_mechanisms().map(|m| m.as_str().to_ascii_uppercase()).collect();
        let listed: usize = caps
            .iter()
            .map(|c| if let Capability::Auth { mechanisms, .. } = c { mechanisms.iter().count() } else { 0 })
            .sum();
        assert!(names.len() <= listed);
        for (k, n) in names.iter().enumerate().filter(|_| listed <= 64) {
            assert!(!names[..k].contains(n), "{n} twice");
        }
        if !names.is_empty() {
            assert!(ehlo.supports(Extension::Auth));
        }
        // A strict reader with the same limits reads the same capabilities, if it reads the
        // reply at all.
        let strict = without_reply_leniencies(&opts);
        if let Ok(s) = EhloReply::parse_with(data, &strict) {
            assert_eq!(s.capabilities().collect::<Vec<_>>(), caps);
            assert_eq!((s.host(), s.greeting()), (ehlo.host(), ehlo.greeting()));
        }
        // Canonical form: the same typed values, unless a value is only read, never written
        // (a malformed capability, a greeting with control characters).
        let malformed = caps.iter().any(|c| matches!(c, Capability::Malformed { .. }));
        let controls = ehlo.greeting().is_some_and(|g| g.chars().any(|c| c.is_control() && c != '\t'));
        // A greeting that is not UTF-8 has no `str` view: it is rebuilt without one.
        let octets = ehlo.greeting_bytes().is_some() && ehlo.greeting().is_none();
        assert!(!octets || opts.loose_reply_text());
        match EhloReply::new(&ehlo.host(), ehlo.greeting(), &caps) {
            Ok(rebuilt) => {
                assert!(!malformed && !controls);
                assert_eq!(rebuilt.capabilities().collect::<Vec<_>>(), caps);
                assert_eq!(rebuilt.host(), ehlo.host());
                assert_eq!(rebuilt.greeting(), ehlo.greeting());
                assert_eq!(rebuilt.greeting_bytes(), if octets { None } else { ehlo.greeting_bytes() });
            }
            Err(e) if malformed => {
                assert!(
                    matches!(e.kind(), BuildErrorKind::Grammar(ParseErrorKind::InvalidCapability { .. })) || controls
                );
            }
            Err(e) => assert!(controls, "{e}: rebuilding {}", data.escape_ascii()),
        }
    }
});
