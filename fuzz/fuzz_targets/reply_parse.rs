//! Bytes → `Reply` and `SaslChallenge`, under strict, SMTPUTF8, small-limit and loose-text
//! options (loose text accepts all the strict reader does, read the same, and text that is
//! not UTF-8): never panics; oracle 1 (exact re-encoding, parses back equal, error offsets
//! inside the input) and the prefix oracles (`parse_prefix` agrees with `parse`, answers are
//! final for any split) for both; lines, enhanced codes and messages agree, as octets; the
//! `str` views are all of the text or nothing, the lossy views replace only what is not
//! UTF-8, `Display` escapes and loses nothing; a reply that is a challenge parses as one,
//! with canonical base64; an accepted enhanced code is its canonical text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtp_wire::{Base64, EnhancedCode, Limits, Reply, SaslChallenge};
use smtp_wire_fuzz::{assert_shown, assert_text_views, exact, prefix, small_limit_sets, without_reply_leniencies};

fuzz_target!(|data: &[u8]| {
    for opts in small_limit_sets(Limits::default().with_reply_line(32).with_reply_lines(3).with_sasl_line(40)) {
        let parsed = exact::<Reply>(data, &opts);
        // Loose text only widens: what the strict reader takes, it takes the same.
        if let Ok(strict) = Reply::parse_with(data, &without_reply_leniencies(&opts)) {
            assert_eq!(parsed.as_ref(), Some(&strict));
        }
        if let Some(reply) = parsed {
            if !opts.loose_reply_text() && !opts.smtputf8() {
                assert!(reply.is_ascii());
            }
            // Only loose text may be other than UTF-8.
            assert!(reply.is_utf8() || opts.loose_reply_text());
            assert_eq!(reply.is_utf8(), reply.lines().all(|l| l.is_utf8()));
            assert_eq!(reply.as_bytes(), data);
            assert_eq!(reply.as_str().as_bytes(), if reply.is_utf8() { data } else { b"" });
            let n = reply.lines().count();
            assert_eq!(n, reply.line_count());
            assert!(n <= opts.limits().reply_lines().max(1));
            for (k, line) in reply.lines().enumerate() {
                assert_eq!(line.is_last(), k + 1 == n);
                assert!(line.text_bytes().ends_with(line.message_bytes()));
                assert_eq!(line.as_bytes().get(4..).unwrap_or(&[]), line.text_bytes());
                if let Some(code) = line.enhanced_code() {
                    assert!(line.text_bytes().starts_with(code.to_string().as_bytes()));
                    assert_eq!(u16::from(code.class()), reply.code().as_u16() / 100);
                }
                assert_text_views(line.text_bytes(), line.text(), &line.text_lossy());
                assert_text_views(line.message_bytes(), line.message(), &line.message_lossy());
                assert_text_views(line.as_bytes(), line.as_str(), &String::from_utf8_lossy(line.as_bytes()));
                assert_eq!(line.to_str().is_some(), line.is_utf8());
            }
            let lines: Vec<&[u8]> = reply.lines().map(|l| l.as_bytes()).collect();
            assert_shown(&reply.to_string(), &lines);
            let _ = format!("{reply:?}");
            if let Ok(c) = SaslChallenge::try_from(&reply) {
                assert_eq!(SaslChallenge::parse_with(data, &opts).as_ref(), Ok(&c));
                assert_eq!(Base64::encode(&c.decode()).as_str(), c.data().as_str());
            }
        }
        let _ = prefix::<Reply>(data, &opts);
        exact::<SaslChallenge>(data, &opts);
        let _ = prefix::<SaslChallenge>(data, &opts);
    }
    // No leading zeros (RFC 3463). `EnhancedCode` is `Parse` but not `Encode`: its text.
    if let Ok(e) = EnhancedCode::parse(data) {
        assert_eq!(e.to_string().as_bytes(), data);
    }
});
