//! Transcript scripts for the server: a tiny C:/S: format, run whole, one octet at a time
//! and split at every position, with identical events and output required.
//!
//! ```text
//! # comment
//! ! config key=value ...      before the first line: policy=disabled|opportunistic|required,
//!                             pipelining=on|off, chunking, binarymime, smtputf8, dsn, vrfy,
//!                             expn, lmtp, auth_plaintext (on|off), auth=PLAIN,LOGIN,
//!                             max_recipients=N, max_size=N|none, max_errors=N,
//!                             bare=reject|normalize|allow, command_line=N
//! ! implicit                  start with implicit TLS (established at once)
//! ! turn-away TEXT            start with a 554 greeting (Server::turn_away, or
//!                             TlsPending::turn_away with implicit)
//! ! whole-only                run the script fed whole only
//! C: text                     client octets, CRLF appended (escapes \r \n \t \0 \xHH \\)
//! C| text                     client octets, no CRLF appended
//! S: text                     an expected reply line (CRLF appended)
//! E: text                     an expected event (see `describe`)
//! A: accept | reject TEXT | respond TEXT | challenge TEXT
//!                             answers to the questions, in the order they are asked
//! ! time +N                   N seconds pass; handle_timeout
//! ! tls ok | tls fail         into_tls, then established / failed
//! ! peer-close                the client closes the connection
//! ```
#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::sync::Arc;
use std::time::Duration;

use smtp_wire::framing::BareLineEnds;
use smtp_wire::{
    AuthMechanisms, Close, Domain, InitialResponse, Reply, Server, ServerConfig, ServerEvent, Status, TlsInfo,
    TlsPending, TlsPolicy, Violation,
};

#[path = "../common/script.rs"]
mod script;
pub use script::unescape;

/// A config from `key=value` words.
pub fn config(words: &[&str]) -> ServerConfig {
    let mut c = ServerConfig::new(Domain::new("mx.test").unwrap());
    for w in words {
        let (k, v) = w.split_once('=').unwrap_or((w, "on"));
        let on = v == "on";
        match k {
            "policy" => {
                c.tls_policy = match v {
                    "disabled" => TlsPolicy::Disabled,
                    "opportunistic" => TlsPolicy::Opportunistic,
                    "required" => TlsPolicy::Required,
                    _ => panic!("policy {v}"),
                }
            }
            "pipelining" => c.pipelining = on,
            "chunking" => c.chunking = on,
            "binarymime" => c.binarymime = on,
            "smtputf8" => c.smtputf8 = on,
            "utf8_envelope" => c.utf8_envelope = on,
            "repeats" => c.exact_parameter_repeats = on,
            "dsn" => c.dsn = on,
            "requiretls" => c.requiretls = on,
            "reject_8bit" => c.reject_undeclared_8bit = on,
            "vrfy" => c.vrfy = on,
            "expn" => c.expn = on,
            "lmtp" => c.lmtp = on,
            "auth_plaintext" => c.auth_plaintext = on,
            "auth" => c.auth_mechanisms = Some(AuthMechanisms::new(&v.replace(',', " ")).unwrap().into_owned()),
            "max_recipients" => c.max_recipients = v.parse().unwrap(),
            "max_size" => c.max_message_size = if v == "none" { None } else { Some(v.parse().unwrap()) },
            "max_errors" => c.max_errors = v.parse().unwrap(),
            "command_line" => c.limits = c.limits.with_command_line(v.parse().unwrap()),
            "bare" => {
                c.bare_line_ends = match v {
                    "reject" => BareLineEnds::Reject,
                    "normalize" => BareLineEnds::Normalize,
                    "allow" => BareLineEnds::Allow,
                    _ => panic!("bare {v}"),
                }
            }
            _ => panic!("unknown config key {k}"),
        }
    }
    c
}

/// One step of a script.
#[derive(Debug, Clone)]
pub enum Step {
    Feed(Vec<u8>),
    Time(u64),
    Tls(bool),
    PeerClose,
}

/// A parsed script.
#[derive(Debug, Clone)]
pub struct Script {
    pub config: ServerConfig,
    pub implicit: bool,
    pub turn_away: Option<String>,
    pub whole_only: bool,
    pub steps: Vec<Step>,
    pub decisions: Vec<String>,
    pub events: Vec<String>,
    pub output: Vec<u8>,
}

pub fn parse_script(text: &str) -> Script {
    let mut s = Script {
        config: config(&[]),
        implicit: false,
        turn_away: None,
        whole_only: false,
        steps: Vec::new(),
        decisions: Vec::new(),
        events: Vec::new(),
        output: Vec::new(),
    };
    for line in text.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (tag, rest) = line.split_at(line.len().min(2));
        let rest = rest.strip_prefix(' ').unwrap_or(rest);
        match tag {
            "C:" | "C|" => {
                let mut bytes = unescape(rest);
                if tag == "C:" {
                    bytes.extend_from_slice(b"\r\n");
                }
                match s.steps.last_mut() {
                    Some(Step::Feed(f)) => f.extend_from_slice(&bytes),
                    _ => s.steps.push(Step::Feed(bytes)),
                }
            }
            "S:" => {
                s.output.extend_from_slice(rest.as_bytes());
                s.output.extend_from_slice(b"\r\n");
            }
            "E:" => s.events.push(rest.to_string()),
            "A:" => s.decisions.push(rest.to_string()),
            "! " => {
                let words: Vec<&str> = rest.split_whitespace().collect();
                match words.as_slice() {
                    ["config", kv @ ..] => s.config = config(kv),
                    ["implicit"] => s.implicit = true,
                    ["turn-away", ..] => s.turn_away = Some(rest.trim_start_matches("turn-away ").to_string()),
                    ["whole-only"] => s.whole_only = true,
                    ["time", n] => s.steps.push(Step::Time(n.trim_start_matches('+').parse().unwrap())),
                    ["tls", "ok"] => s.steps.push(Step::Tls(true)),
                    ["tls", "fail"] => s.steps.push(Step::Tls(false)),
                    ["peer-close"] => s.steps.push(Step::PeerClose),
                    _ => panic!("bad directive {line}"),
                }
            }
            _ => panic!("bad line {line:?}"),
        }
    }
    s
}

/// A short, stable description of an event.
pub fn describe(ev: &ServerEvent<'_>) -> String {
    match ev {
        ServerEvent::Hello { kind, host } => format!("hello {kind:?} {host}"),
        ServerEvent::Mail { reverse_path, params } => {
            format!("mail {reverse_path} {}", params.as_str()).trim_end().to_string()
        }
        ServerEvent::Rcpt { forward_path, params } => {
            format!("rcpt {forward_path} {}", params.as_str()).trim_end().to_string()
        }
        ServerEvent::Vrfy { arg } => format!("vrfy {arg}"),
        ServerEvent::Expn { arg } => format!("expn {arg}"),
        ServerEvent::Auth { mechanism, initial_response } => match initial_response {
            None => format!("auth {mechanism}"),
            Some(InitialResponse::Empty) => format!("auth {mechanism} ="),
            Some(InitialResponse::Data(d)) => format!("auth {mechanism} {d}"),
        },
        ServerEvent::AuthResponse { response } => format!("auth-response {response}"),
        ServerEvent::AuthAborted => "auth-aborted".into(),
        ServerEvent::Body(b) => format!("body {}", b.escape_ascii()),
        ServerEvent::MessageComplete { summary, recipients, undeclared_8bit, needs_smtputf8 } => {
            let flag = if *undeclared_8bit { " undeclared-8bit" } else { "" };
            let utf8 = if *needs_smtputf8 { " needs-smtputf8" } else { "" };
            format!("message {} rcpts={recipients}{flag}{utf8}", summary.body_len())
        }
        ServerEvent::MessageRefused { reason } => format!("refused {:?}@{}", reason.kind(), reason.offset()),
        ServerEvent::StartTls => "starttls".into(),
        // How many octets followed STARTTLS depends on how they were read.
        ServerEvent::Closed(Close::Violation(Violation::StartTlsInjection { .. })) => "closed StartTlsInjection".into(),
        ServerEvent::Closed(c) => format!("closed {c:?}"),
        other => format!("{other:?}"),
    }
}

/// What a run produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub events: Vec<String>,
    pub output: Vec<u8>,
}

fn reply(text: &str) -> Reply<'static> {
    let mut b = text.as_bytes().to_vec();
    b.extend_from_slice(b"\r\n");
    Reply::parse(&b).unwrap_or_else(|e| panic!("bad reply in script {text:?}: {e}")).into_owned()
}

fn decide(server: &mut Server, decision: Option<&String>) -> Result<(), String> {
    let Some(d) = decision else { return Err("no decision left in the script".into()) };
    let (verb, arg) = d.split_once(' ').unwrap_or((d, ""));
    let r = match verb {
        "accept" => server.accept(),
        "reject" => server.reject(&reply(arg)),
        "respond" => server.respond(&reply(arg)),
        "challenge" => server.challenge(&unescape(arg)),
        _ => panic!("bad decision {d}"),
    };
    r.map_err(|e| format!("decision {d} failed: {e}"))
}

/// Runs `script`, cutting each feed into reads with `cut`.
pub fn run(script: &Script, cut: &dyn Fn(&[u8]) -> Vec<Vec<u8>>) -> Run {
    let config = Arc::new(script.config.clone());
    let mut now = Duration::ZERO;
    let info = TlsInfo::new("TLSv1.3", "TLS_AES_128_GCM_SHA256");
    let mut server = match (script.implicit, &script.turn_away) {
        (true, None) => TlsPending::implicit(Arc::clone(&config)).established(info, now),
        (true, Some(text)) => TlsPending::implicit(Arc::clone(&config)).turn_away(info, now, text),
        (false, None) => Server::new(Arc::clone(&config), now),
        (false, Some(text)) => Server::turn_away(Arc::clone(&config), now, text),
    };
    let mut decisions = script.decisions.iter();
    let mut events: Vec<String> = Vec::new();
    let mut output = Vec::new();
    let mut buf: Vec<u8> = Vec::new();
    let mut ended = false;
    let push = |events: &mut Vec<String>, e: String| {
        if let (Some(last), Some(more)) = (events.last_mut(), e.strip_prefix("body ")) {
            if last.starts_with("body ") {
                last.push_str(more);
                return;
            }
        }
        events.push(e);
    };
    for step in &script.steps {
        if ended {
            break;
        }
        match step {
            Step::Feed(bytes) => {
                'reads: for read in cut(bytes) {
                    if read.is_empty() {
                        continue; // a network read never returns nothing
                    }
                    buf.extend_from_slice(&read);
                    loop {
                        let h = match server.handle_input(&buf, now) {
                            Ok(h) => h,
                            Err(e) => {
                                push(&mut events, format!("error {e:?}"));
                                break 'reads;
                            }
                        };
                        let consumed = h.consumed;
                        assert!(consumed <= buf.len());
                        let mut done = h.event.is_none() && consumed == 0;
                        if let Some(ev) = &h.event {
                            // STARTTLS accepted: nothing more to hand in until the next read.
                            done |= matches!(ev, ServerEvent::StartTls);
                            push(&mut events, describe(ev));
                            if matches!(ev, ServerEvent::Closed(_)) {
                                ended = true;
                            }
                        }
                        drop(h);
                        buf.drain(..consumed);
                        // LMTP asks several answers for one message.
                        while server.is_pending() && !ended {
                            if let Err(e) = decide(&mut server, decisions.next()) {
                                push(&mut events, e);
                                ended = true;
                            }
                        }
                        server.poll_transmit(&mut output);
                        if done || ended {
                            break;
                        }
                    }
                    if ended {
                        break;
                    }
                }
            }
            Step::Time(secs) => {
                now += Duration::from_secs(*secs);
                server.handle_timeout(now);
                if let Some(c) = server.closed() {
                    push(&mut events, format!("closed {c:?}"));
                    ended = true;
                }
            }
            Step::Tls(ok) => {
                server.poll_transmit(&mut output);
                assert!(buf.is_empty(), "octets left in the buffer at the TLS hand-off");
                let pending = match server.into_tls() {
                    Ok(p) => p,
                    Err(s) => {
                        server = s;
                        push(&mut events, "into_tls refused".into());
                        continue;
                    }
                };
                if *ok {
                    server = pending.established(TlsInfo::new("TLSv1.3", "TLS_AES_128_GCM_SHA256"), now);
                    push(&mut events, "tls established".into());
                } else {
                    push(&mut events, format!("tls failed {:?}", pending.failed()));
                    return Run { events, output };
                }
            }
            Step::PeerClose => {
                let c = server.peer_closed();
                push(&mut events, format!("closed {c:?}"));
                ended = true;
            }
        }
    }
    server.poll_transmit(&mut output);
    Run { events, output }
}

/// Every reply in `output` parses (RFC 5321 §4.2) and the stream holds nothing else.
pub fn assert_replies_valid(output: &[u8]) -> usize {
    let mut rest = output;
    let mut n = 0;
    while !rest.is_empty() {
        match Reply::parse_prefix(rest) {
            Ok(Status::Complete { consumed, .. }) => {
                rest = &rest[consumed..];
                n += 1;
            }
            other => panic!("invalid reply stream at {:?}: {other:?}", rest.escape_ascii().to_string()),
        }
    }
    n
}

pub fn whole(b: &[u8]) -> Vec<Vec<u8>> {
    vec![b.to_vec()]
}

pub fn octets(b: &[u8]) -> Vec<Vec<u8>> {
    b.iter().map(|&x| vec![x]).collect()
}

/// Runs the script fed whole, one octet at a time and split at every position of every
/// feed; all must give the expected events and output.
pub fn check_script(name: &str, text: &str) {
    let script = parse_script(text);
    let expect = Run { events: script.events.clone(), output: script.output.clone() };
    let show =
        |r: &Run| format!("events:\n  {}\noutput:\n{}", r.events.join("\n  "), String::from_utf8_lossy(&r.output));
    let got = run(&script, &whole);
    assert!(got == expect, "{name} (whole):\nGOT {}\nEXPECTED {}", show(&got), show(&expect));
    assert_replies_valid(&got.output);
    if script.whole_only {
        return;
    }
    let got = run(&script, &octets);
    assert!(got == expect, "{name} (one octet at a time):\nGOT {}\nEXPECTED {}", show(&got), show(&expect));
    let longest = script.steps.iter().map(|s| if let Step::Feed(f) = s { f.len() } else { 0 }).max().unwrap_or(0);
    for k in 0..=longest {
        let cut = move |b: &[u8]| {
            let k = k.min(b.len());
            vec![b[..k].to_vec(), b[k..].to_vec()]
        };
        let got = run(&script, &cut);
        assert!(got == expect, "{name} (split at {k}):\nGOT {}\nEXPECTED {}", show(&got), show(&expect));
    }
}
