//! Transcript scripts for the client: the server's octets fed in, the client's output and
//! events expected; run whole, one octet at a time and split at every position, with
//! identical events and output required.
//!
//! ```text
//! # comment
//! ! config key=value ...      before the first line: policy=disabled|opportunistic|required,
//!                             pipelining=on|off, chunking=on|off, accept_unverified=on|off,
//!                             lmtp=on|off, credentials (user/pass), auth_plaintext=on|off,
//!                             xoauth2 (user/token), sasl=MECH[:INITIAL], strict (strict replies)
//! ! implicit                  start with implicit TLS (handshake done, verified)
//! S: text                     server octets, CRLF appended (escapes \r \n \t \0 \xHH \\)
//! S| text                     server octets, no CRLF appended
//! C: text                     expected client octets, CRLF appended
//! C| text                     expected client octets, no CRLF appended
//! E: text                     an expected event or error (see `describe`), a prefix match
//! ! submit FROM TO[,TO...] BODY   submit a message (BODY escaped; `-` for a default body)
//! ! submit-streamed FROM TO[,TO...] [SIZE]   submit a message whose body comes in pieces
//! ! chunk TEXT | ! chunk-last TEXT            the next piece of it (escaped)
//! ! auth-respond TEXT | ! auth-cancel         answer a SASL challenge
//! ! send COMMAND            send a raw command
//! ! quit
//! ! tls ok | tls unverified | tls fail
//! ! time +N                   N seconds pass; handle_timeout
//! ! peer-close
//! ```
//! Consecutive `S` lines form one chunk. After an error the client reads nothing more; the
//! script goes on checking output (a queued QUIT) and events.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::sync::Arc;
use std::time::Duration;

use smtp_wire::{
    Client, ClientConfig, ClientEvent, ClientTlsPending, Domain, Envelope, ForwardPath, ReversePath, TlsInfo, TlsPolicy,
};

#[path = "../common/script.rs"]
mod script;
pub use script::unescape;

/// A config from `key=value` words.
pub fn config(words: &[&str]) -> ClientConfig {
    let mut c = ClientConfig::new(Domain::new("client.test").unwrap());
    for w in words {
        let (k, v) = w.split_once('=').unwrap_or((w, "on"));
        let on = v == "on";
        c = match k {
            "policy" => c.with_tls_policy(match v {
                "disabled" => TlsPolicy::Disabled,
                "opportunistic" => TlsPolicy::Opportunistic,
                "required" => TlsPolicy::Required,
                _ => panic!("policy {v}"),
            }),
            "pipelining" => c.with_pipelining(on),
            "chunking" => c.with_chunking(on),
            "accept_unverified" => c.with_accept_unverified(on),
            "lmtp" => c.with_lmtp(on),
            "auth_plaintext" => c.with_auth_plaintext(on),
            "strict" => c.with_parse_options(smtp_wire::ParseOptions::default()),
            "credentials" => c.with_credentials(smtp_wire::Credentials::new("user", "pass")),
            "xoauth2" => c.with_credentials(smtp_wire::Credentials::xoauth2("user", "token")),
            "sasl" => {
                let (mech, ir) = v.split_once(':').map_or((v, None), |(m, ir)| (m, Some(unescape(ir))));
                let mech = smtp_wire::Mechanism::new(mech).unwrap();
                c.with_credentials(smtp_wire::Credentials::sasl(mech, ir.as_deref()))
            }
            _ => panic!("config {k}"),
        };
    }
    c
}

/// One line per event.
pub fn describe(e: &ClientEvent<'_>) -> String {
    match e {
        ClientEvent::Greeting(r) => format!("Greeting {}", r.code()),
        ClientEvent::Hello(r) => format!("Hello {}", r.code()),
        ClientEvent::StartTls => "StartTls".into(),
        ClientEvent::Ready(o) => format!("Ready {o}"),
        ClientEvent::RecipientAccepted { index, reply } => format!("RcptOk {index} {}", reply.code()),
        ClientEvent::RecipientRefused { index, reply } => format!("RcptNo {index} {}", reply.code()),
        ClientEvent::MessageAccepted { reply, tls } => format!("MsgOk {} {tls}", reply.code()),
        ClientEvent::MessageRefused { reply, tls } => format!("MsgNo {} {tls}", reply.code()),
        ClientEvent::Delivery { index, delivered, reply } => format!("Delivery {index} {delivered} {}", reply.code()),
        ClientEvent::Reply(r) => format!("Reply {}", r.code()),
        ClientEvent::Closed(r) => format!("Closed {}", r.code()),
        ClientEvent::SendBody => "SendBody".into(),
        ClientEvent::AuthChallenge(c) => format!("AuthChallenge {}", c.decode().escape_ascii()),
        other => format!("{other:?}"),
    }
}

/// How the server's chunks are handed in.
#[derive(Debug, Clone, Copy)]
pub enum Feed {
    Whole,
    Octets,
    SplitAt(usize),
}

/// What a run produced.
#[derive(Debug, PartialEq, Eq)]
pub struct Trace {
    pub events: Vec<String>,
    pub out: Vec<u8>,
}

/// The default body.
pub const BODY: &[u8] = b"Subject: test\r\n\r\n.dot\r\nhello\r\n";

fn verified() -> TlsInfo {
    TlsInfo::new("TLSv1.3", "TLS_AES_128_GCM_SHA256").with_peer_verified(true)
}

/// Runs `script` with `feed`; returns the trace and the expected one.
pub fn run(script: &str, feed: Feed) -> (Trace, Trace) {
    let mut lines = script.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).peekable();
    let mut cfg = config(&[]);
    let mut implicit = false;
    while let Some(l) = lines.peek() {
        if let Some(rest) = l.strip_prefix("! config") {
            cfg = config(&rest.split_whitespace().collect::<Vec<_>>());
        } else if *l == "! implicit" {
            implicit = true;
        } else {
            break;
        }
        lines.next();
    }
    let cfg = Arc::new(cfg);
    let mut now = Duration::ZERO;
    let mut m = if implicit {
        Some(ClientTlsPending::implicit(cfg.clone()).established(verified(), now).unwrap())
    } else {
        Some(Client::new(cfg.clone(), now))
    };
    let mut got = Trace { events: Vec::new(), out: Vec::new() };
    let mut want = Trace { events: Vec::new(), out: Vec::new() };
    let mut pending: Vec<u8> = Vec::new();
    let lines: Vec<&str> = lines.collect();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        i += 1;
        if l.starts_with("S:") || l.starts_with("S|") {
            let mut chunk = Vec::new();
            let mut j = i - 1;
            while j < lines.len() && (lines[j].starts_with("S:") || lines[j].starts_with("S|")) {
                let t = &lines[j][2..];
                chunk.extend(unescape(t.strip_prefix(' ').unwrap_or(t)));
                if lines[j].starts_with("S:") {
                    chunk.extend_from_slice(b"\r\n");
                }
                j += 1;
            }
            i = j;
            let pieces: Vec<&[u8]> = match feed {
                Feed::Whole => vec![&chunk[..]],
                Feed::Octets => chunk.chunks(1).collect(),
                Feed::SplitAt(k) => {
                    let k = k.min(chunk.len());
                    vec![&chunk[..k], &chunk[k..]]
                }
            };
            for piece in pieces {
                let Some(c) = &mut m else {
                    // Handed to nothing: the pending type has no input method.
                    continue;
                };
                pending.extend_from_slice(piece);
                loop {
                    match c.handle_input(&pending, now) {
                        Ok(h) => {
                            let ev = h.event.as_ref().map(describe);
                            pending.drain(..h.consumed);
                            match ev {
                                Some(e) => got.events.push(e),
                                None => break,
                            }
                        }
                        Err(e) => {
                            if !c.is_closed() || got.events.last().is_none_or(|l| !l.starts_with("ERR")) {
                                got.events.push(format!("ERR {e:?}"));
                            }
                            c.poll_transmit(&mut got.out);
                            pending.clear();
                            m = None;
                            break;
                        }
                    }
                }
                if let Some(c) = &mut m {
                    c.poll_transmit(&mut got.out);
                }
            }
            continue;
        }
        if let Some(t) = l.strip_prefix("C:") {
            want.out.extend(unescape(t.strip_prefix(' ').unwrap_or(t)));
            want.out.extend_from_slice(b"\r\n");
        } else if let Some(t) = l.strip_prefix("C|") {
            want.out.extend(unescape(t.strip_prefix(' ').unwrap_or(t)));
        } else if let Some(t) = l.strip_prefix("E:") {
            want.events.push(t.trim().to_string());
        } else if let Some(rest) = l.strip_prefix("! submit ") {
            let mut w = rest.splitn(3, ' ');
            let from = ReversePath::parse(w.next().unwrap().as_bytes()).unwrap().into_owned();
            let mut env = Envelope::new(from, BODY);
            for to in w.next().unwrap().split(',') {
                env = env.with_recipient(ForwardPath::parse(to.as_bytes()).unwrap().into_owned());
            }
            if let Some(b) = w.next().filter(|b| *b != "-") {
                env = Envelope::new(env.reverse_path().clone(), unescape(b)).with_recipient(
                    ForwardPath::parse(rest.split(' ').nth(1).unwrap().split(',').next().unwrap().as_bytes())
                        .unwrap()
                        .into_owned(),
                );
            }
            if let Some(c) = &mut m {
                if let Err(e) = c.submit(env) {
                    got.events.push(format!("ERR {e:?}"));
                }
                c.poll_transmit(&mut got.out);
            }
        } else if let Some(rest) = l.strip_prefix("! submit-streamed ") {
            let w: Vec<&str> = rest.split(' ').collect();
            let from = ReversePath::parse(w[0].as_bytes()).unwrap().into_owned();
            let mut env = Envelope::streamed(from);
            for to in w[1].split(',') {
                env = env.with_recipient(ForwardPath::parse(to.as_bytes()).unwrap().into_owned());
            }
            if let Some(size) = w.get(2) {
                env = env.with_size(size.parse().unwrap());
            }
            if let Some(c) = &mut m {
                if let Err(e) = c.submit(env) {
                    got.events.push(format!("ERR {e:?}"));
                }
                c.poll_transmit(&mut got.out);
            }
        } else if l.starts_with("! chunk") || l.starts_with("! auth-") {
            if let Some(c) = &mut m {
                let r = if let Some(t) = l.strip_prefix("! chunk-last") {
                    c.body_chunk(&unescape(t.strip_prefix(' ').unwrap_or(t)), true)
                } else if let Some(t) = l.strip_prefix("! chunk") {
                    c.body_chunk(&unescape(t.strip_prefix(' ').unwrap_or(t)), false)
                } else if let Some(t) = l.strip_prefix("! auth-respond") {
                    c.auth_respond(&unescape(t.trim_start()))
                } else if l == "! auth-cancel" {
                    c.auth_cancel()
                } else {
                    panic!("bad script line: {l}");
                };
                if let Err(e) = r {
                    got.events.push(format!("ERR {e:?}"));
                }
                c.poll_transmit(&mut got.out);
                if c.is_closed() {
                    m = None;
                }
            }
        } else if let Some(cmd) = l.strip_prefix("! send ") {
            let line = format!("{cmd}\r\n");
            let cmd = smtp_wire::Command::parse(line.as_bytes()).unwrap();
            if let Some(c) = &mut m {
                if let Err(e) = c.send(&cmd) {
                    got.events.push(format!("ERR {e:?}"));
                }
                c.poll_transmit(&mut got.out);
            }
        } else if l == "! quit" {
            if let Some(c) = &mut m {
                if let Err(e) = c.quit() {
                    got.events.push(format!("ERR {e:?}"));
                }
                c.poll_transmit(&mut got.out);
            }
        } else if let Some(how) = l.strip_prefix("! tls ") {
            let machine = m.take();
            let pending_tls = match machine {
                Some(c) => match c.into_tls() {
                    Ok(p) => Some(p),
                    Err(_) => {
                        got.events.push("ERR into_tls".into());
                        None
                    }
                },
                None => None,
            };
            if let Some(p) = pending_tls {
                assert!(pending.is_empty(), "octets buffered across the boundary");
                match how {
                    "fail" => {
                        let f = p.failed();
                        got.events.push(format!("TlsFailed {} retry={}", f.outcome, f.retry_in_plaintext));
                    }
                    _ => {
                        let info = if how == "ok" { verified() } else { TlsInfo::new("TLSv1.2", "ECDHE") };
                        match p.established(info, now) {
                            Ok(mut c) => {
                                c.poll_transmit(&mut got.out);
                                m = Some(c);
                            }
                            Err(e) => got.events.push(format!("ERR {e:?}")),
                        }
                    }
                }
            }
        } else if let Some(n) = l.strip_prefix("! time +") {
            now += Duration::from_secs(n.parse().unwrap());
            if let Some(c) = &mut m {
                if let Err(e) = c.handle_timeout(now) {
                    got.events.push(format!("ERR {e:?}"));
                    m = None;
                }
            }
        } else if l == "! peer-close" {
            if let Some(c) = &mut m {
                match c.peer_closed() {
                    Ok(()) => got.events.push("PeerClosed ok".into()),
                    Err(e) => got.events.push(format!("ERR {e:?}")),
                }
            }
        } else {
            panic!("bad script line: {l}");
        }
    }
    // Fed split, the 220 to STARTTLS can end a read: StartTls is reported, and the injected
    // octets of the next read are refused. Fed whole, the refusal comes at once.
    if let Some(k) = got.events.windows(2).position(|w| w[0] == "StartTls" && w[1] == "ERR ReplyInjection") {
        if !want.events.iter().any(|e| e == "StartTls") {
            got.events.remove(k);
        }
    }
    (got, want)
}

/// Runs `script` whole, octet by octet and split at every position; all runs must give
/// the expected events (prefix match) and output.
pub fn check(name: &str, script: &str) {
    let (whole, want) = run(script, Feed::Whole);
    let show = |t: &Trace| format!("events: {:#?}\nout:\n{}", t.events, String::from_utf8_lossy(&t.out));
    let ok = whole.events.len() == want.events.len()
        && whole.events.iter().zip(&want.events).all(|(g, w)| g.starts_with(w.as_str()))
        && whole.out == want.out;
    assert!(ok, "{name}: got\n{}\nwant\n{}", show(&whole), show(&want));
    let longest = script.len();
    let mut feeds = vec![Feed::Octets];
    feeds.extend((1..longest.min(400)).map(Feed::SplitAt));
    for feed in feeds {
        let (t, _) = run(script, feed);
        assert_eq!(t, whole, "{name}: {feed:?} differs from whole\n{}\nvs\n{}", show(&t), show(&whole));
    }
}
