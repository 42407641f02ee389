//! Transcript tests of the server (`tests/server_scripts/*.txt`), one per rule, each run fed
//! whole, one octet at a time and split at every position.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod server_harness;

fn script(name: &str) {
    let path = format!("{}/tests/server_scripts/{name}.txt", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    server_harness::check_script(name, &text);
}

macro_rules! scripts {
    ($($name:ident),* $(,)?) => {
        $(#[test] fn $name() { script(stringify!($name)); })*

        /// Every script in the directory has a test above.
        #[test]
        fn every_script_is_listed() {
            let listed = [$(stringify!($name)),*];
            let dir = format!("{}/tests/server_scripts", env!("CARGO_MANIFEST_DIR"));
            for entry in std::fs::read_dir(dir).unwrap() {
                let name = entry.unwrap().file_name().to_string_lossy().trim_end_matches(".txt").to_string();
                assert!(listed.contains(&name.as_str()), "script {name} has no test");
            }
        }
    };
}

scripts!(
    auth_cancel,
    auth_login,
    auth_plain,
    auth_plaintext_refused,
    bare_lf_command,
    basic_session,
    bdat,
    bdat_chunk_refused,
    bdat_no_chunking,
    bdat_refused,
    bdat_syntax,
    binarymime,
    client_quirks,
    decisions,
    dsn,
    ehlo_rejected_keeps_tx,
    eight_bit,
    eight_bit_refused,
    helo,
    helo_no_extensions,
    implicit_tls,
    lmtp,
    lmtp_data_no_rcpt,
    lmtp_refused_body,
    long_line,
    noop_help_vrfy,
    params,
    peer_close_body,
    peer_close_command,
    peer_close_transaction,
    quit_ends,
    turn_away,
    turn_away_implicit,
    recipients_limit,
    reject_421_closes,
    requiretls,
    sequence_errors,
    size_limit,
    smuggling,
    starttls_disabled,
    starttls_injection,
    starttls_injection_partial,
    starttls_plaintext_after_220,
    starttls_required,
    starttls_syntax,
    starttls_upgrade,
    timeout_command,
    timeout_data,
    tls_failed,
    too_many_errors,
    vrfy_enabled,
);
