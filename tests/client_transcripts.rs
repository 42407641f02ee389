//! Client transcripts (`tests/client_scripts/*.txt`), each run whole, one octet at a time
//! and split at every position.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod client_harness;

fn script(name: &str) {
    let path = format!("{}/tests/client_scripts/{name}.txt", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    client_harness::check(name, &text);
}

macro_rules! scripts {
    ($($name:ident)*) => {
        $(#[test] fn $name() { script(stringify!($name)); })*

        #[test]
        fn every_script_is_listed() {
            let listed = [$(stringify!($name)),*];
            let dir = format!("{}/tests/client_scripts", env!("CARGO_MANIFEST_DIR"));
            for entry in std::fs::read_dir(dir).unwrap() {
                let name = entry.unwrap().file_name().into_string().unwrap();
                let stem = name.strip_suffix(".txt").unwrap();
                assert!(listed.contains(&stem), "{stem} is not listed");
            }
        }
    };
}

scripts! {
    auth_login auth_plain_tls auth_plaintext_allowed auth_plaintext_refused basic_pipelined bdat send_raw service_closing lmtp lmtp_lhlo_refused greeting_554 handshake_failed handshake_failed_required helo_fallback implicit_tls malformed_reply nonpipelined_all_refused opportunistic_454 peer_closed pipelined_all_refused pipelined_mail_refused required_454 required_helo_downgrade required_stripped required_unverified required_unverified_accepted size_refused starttls_injection starttls_injection_later starttls_injection_partial starttls_upgrade timeout unsolicited_reply
    streamed_data streamed_too_large streamed_bdat streamed_bdat_refused streamed_bad_piece streamed_8bit_undeclared
    auth_xoauth2 auth_xoauth2_ok auth_sasl_steps auth_sasl_initial_cancel auth_sasl_not_offered tolerant_ehlo strict_ehlo
    malformed_multiline malformed_continuation extra_reply_after_data streamed_bdat_lockstep streamed_unsolicited_in_body
    eight_bit_replies strict_eight_bit_greeting
}
