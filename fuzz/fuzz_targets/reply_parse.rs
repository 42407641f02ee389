//! Bytes → `Reply` and `SaslChallenge`: never panics; an accepted reply re-encodes to the
//! same octets and parses back equal; `parse_prefix` agrees with `parse` on the first reply;
//! its answers are final (the first answer other than Incomplete over the prefixes of the
//! input is the answer for the whole input); error offsets stay inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtp_wire::{Encode, Limits, ParseOptions, Reply, SaslChallenge, Status};
use smtp_wire_fuzz::assert_exact;

/// Strict, SMTPUTF8, and small limits so that the line and line-count bounds are reached.
fn option_sets() -> [ParseOptions; 3] {
    [
        ParseOptions::default(),
        ParseOptions::default().with_smtputf8(true),
        ParseOptions::default()
            .with_smtputf8(true)
            .with_limits(Limits::default().with_reply_line(32).with_reply_lines(3).with_sasl_line(40)),
    ]
}

fuzz_target!(|data: &[u8]| {
    for opts in option_sets() {
        match Reply::parse_with(data, &opts) {
            Ok(reply) => {
                assert_exact(&reply, data);
                assert_eq!(Reply::parse_with(&reply.to_vec(), &opts).as_ref(), Ok(&reply));
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
                    assert_eq!(smtp_wire::Base64::encode(&c.decode()).as_str(), c.data().as_str());
                }
            }
            Err(e) => assert!(e.offset() <= data.len(), "offset {} past {}", e.offset(), data.len()),
        }
        let whole = Reply::parse_prefix_with(data, &opts);
        match &whole {
            Ok(Status::Complete { value, consumed }) => {
                assert!(*consumed <= data.len());
                assert_eq!(Reply::parse_with(&data[..*consumed], &opts).as_ref(), Ok(value));
            }
            Ok(Status::Incomplete) => {}
            Err(e) => assert!(e.offset() <= data.len()),
        }
        // Answers are final: the same for any prefix that has one (checked on short inputs;
        // the check is quadratic).
        if data.len() <= 600 {
            for k in 0..data.len() {
                match Reply::parse_prefix_with(&data[..k], &opts) {
                    Ok(Status::Incomplete) => {}
                    answer => {
                        assert_eq!(answer, whole, "prefix {k} of {}", data.escape_ascii());
                        break;
                    }
                }
            }
        }
        match SaslChallenge::parse_with(data, &opts) {
            Ok(c) => assert_exact(&c, data),
            Err(e) => assert!(e.offset() <= data.len()),
        }
        if let Ok(Status::Complete { value, consumed }) = SaslChallenge::parse_prefix_with(data, &opts) {
            assert_eq!(SaslChallenge::parse_with(&data[..consumed], &opts), Ok(value));
        }
    }
    // An accepted enhanced code is exactly its canonical text (no leading zeros, RFC 3463).
    if let Ok(e) = smtp_wire::EnhancedCode::parse(data) {
        assert_eq!(e.to_string().as_bytes(), data);
    }
});
