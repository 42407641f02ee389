//! Bytes → `Reply` and `SaslChallenge`, under strict, SMTPUTF8, small-limit and loose-text
//! options (loose text accepts all the strict reader does, read the same): never
//! panics; oracle 1 (exact re-encoding, parses back equal, error offsets inside the input)
//! and the prefix oracles (`parse_prefix` agrees with `parse`, answers are final for any
//! split) for both; lines, enhanced codes and messages agree; a reply that is a challenge
//! parses as one, with canonical base64; an accepted enhanced code is its canonical text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtp_wire::{Base64, EnhancedCode, Limits, Reply, SaslChallenge};
use smtp_wire_fuzz::{exact, prefix, small_limit_sets, without_reply_leniencies};

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
            let n = reply.lines().count();
            assert_eq!(n, reply.line_count());
            assert!(n <= opts.limits().reply_lines().max(1));
            for (k, line) in reply.lines().enumerate() {
                assert_eq!(line.is_last(), k + 1 == n);
                assert!(line.text().ends_with(line.message()));
                if let Some(code) = line.enhanced_code() {
                    assert!(line.text().starts_with(&code.to_string()));
                    assert_eq!(u16::from(code.class()), reply.code().as_u16() / 100);
                }
            }
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
