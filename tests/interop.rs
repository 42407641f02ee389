//! Interoperability with real mail software on loopback ports, each started by its test:
//!
//! - the crate's client (the `blocking_client` example) delivers to Postfix, Exim and Python's
//!   aiosmtpd without TLS, with opportunistic STARTTLS and with TLS required (certificate
//!   verified), to Postfix and Exim with implicit TLS (RFC 8314) and with a UTF-8 recipient
//!   (SMTPUTF8, RFC 6531), and to Exim with BDAT and AUTH as well; Postfix and Exim relay what they get, over mandatory STARTTLS, to the
//!   crate's server, so their own SMTP clients are tested against the crate's server as well
//!   (Exim's authenticates and sends BDAT, over STARTTLS and over implicit TLS), and Postfix's
//!   LMTP client delivers to the crate's server in LMTP mode;
//! - the crate's client in LMTP mode (RFC 2033) delivers to Dovecot's LMTP server, by DATA and
//!   by BDAT, one recipient refused and two delivered, each with its own reply;
//! - real clients (Python's smtplib, swaks, msmtp) deliver to the crate's example servers
//!   (blocking and tokio) with STARTTLS and with implicit TLS, certificate verified, without
//!   AUTH and with AUTH PLAIN and LOGIN (RFC 4954).
//!
//! Every message received is compared byte for byte with what was sent (after the `Received`
//! fields the servers put in front). The tests are `#[ignore]`d in a plain `cargo test`;
//! `.ci/run` installs the software and runs them with `cargo test --test interop -- --ignored`
//! and `SMTP_WIRE_INTEROP=required`, under which missing software fails its test. Without that
//! variable, a test whose software is missing says so and returns.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
// Each driver file is a complete example with its own `mod common`; including several of them
// loads that module more than once, which costs a little compile time and nothing else.
#![allow(clippy::duplicate_mod)]

#[allow(dead_code, unreachable_pub)]
#[path = "../examples/blocking_client.rs"]
mod blocking_client;
#[allow(dead_code, unreachable_pub)]
#[path = "../examples/blocking_server.rs"]
mod blocking_server;
#[allow(dead_code, unreachable_pub)]
#[path = "../examples/probe.rs"]
mod probe;
#[allow(dead_code, unreachable_pub)]
#[path = "../examples/tokio_server.rs"]
mod tokio_server;

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use blocking_client::common::{ClientSettings, TlsMode};
use blocking_server::common::{Identity, split_received};
use smtp_wire::{Envelope, ForwardPath, Keyword, Notify, Orcpt, Param, ParseOptions, Ret, ReversePath, XText};

/// The message every test sends: complete header fields (so that no software adds its own),
/// lines that need dot-stuffing, a lone dot, 8-bit text, a long line.
fn body() -> Vec<u8> {
    let mut b = b"From: <alice@client.test>\r\nTo: <bob@example.net>\r\nSubject: interop\r\n\
Date: Tue, 1 Apr 2025 12:00:00 +0000\r\nMessage-ID: <interop.1@client.test>\r\nMIME-Version: 1.0\r\n\
Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\
.leading dot\r\n..two dots\r\n.\r\nthe line above was a lone dot\r\ncaf\xc3\xa9\r\n"
        .to_vec();
    b.extend_from_slice(&[b'x'; 900]);
    b.extend_from_slice(b"\r\nend\r\n");
    b
}

/// Reports software that is not installed: a failure under `SMTP_WIRE_INTEROP=required` (as
/// `.ci/run` runs these tests), else a note that the test does nothing.
fn missing(what: &str) {
    if std::env::var("SMTP_WIRE_INTEROP").is_ok_and(|v| v == "required") {
        panic!("{what} (SMTP_WIRE_INTEROP=required)");
    }
    println!("SKIPPED: {what}");
}

/// Whether a program can be run; reports it [`missing`] when not.
fn have(program: &str, args: &[&str], what: &str) -> bool {
    let ok = Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        missing(&format!("{what} is not installed (`{program} {}` failed)", args.join(" ")));
    }
    ok
}

/// Makes the directory `path` (and its parents), open to every user whatever the umask: the
/// daemons read their files as their own users (`postfix`, `Debian-exim`, `nobody`).
fn mkdir(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(path).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Writes `contents` to `path`, readable by every user whatever the umask (see [`mkdir`]).
fn write_file(path: &Path, contents: impl AsRef<[u8]>) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, contents).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644)).unwrap();
}

/// A fresh directory under the system's temporary directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("smtp-wire-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        mkdir(&dir);
        Self(dir)
    }
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A port for a daemon the test starts, free when asked for and never handed out twice by this
/// process. It is taken below the kernel's ephemeral range (32768 and up by default), where
/// the servers bound to port 0 by the tests running beside it never land.
fn free_port() -> u16 {
    use std::sync::atomic::{AtomicU16, Ordering};
    // A start that differs from one test process to the next.
    static NEXT: AtomicU16 = AtomicU16::new(0);
    let base = 20_000 + (std::process::id() % 500) as u16 * 20;
    loop {
        let port = base + NEXT.fetch_add(1, Ordering::Relaxed) % 10_000;
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

/// Waits until something accepts connections on `port`, while `child` runs.
fn wait_for_port(port: u16, child: &mut Child) -> Result<(), String> {
    let start = Instant::now();
    loop {
        let listening = std::net::TcpStream::connect(("127.0.0.1", port)).is_ok();
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("the server exited early: {status}"));
        }
        if listening {
            return Ok(());
        }
        if start.elapsed() > Duration::from_secs(20) {
            return Err(format!("nothing listens on port {port}"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Starts `cmd` (a server in the foreground) with its output in `log`, and waits until it
/// listens on each of `ports`; if it does not, stops it and fails with its output.
fn start_daemon(cmd: &mut Command, log: &Path, ports: &[u16]) -> Child {
    let file = std::fs::File::create(log).unwrap();
    let mut child = cmd.stdout(file.try_clone().unwrap()).stderr(file).spawn().unwrap();
    for &port in ports {
        if let Err(why) = wait_for_port(port, &mut child) {
            stop_daemon(&mut child);
            panic!("{cmd:?}: {why}\n{}", std::fs::read_to_string(log).unwrap_or_default());
        }
    }
    child
}

/// Stops a daemon started by [`start_daemon`]: SIGTERM (it stops its own children), then, if
/// it has not exited within ten seconds, SIGKILL.
fn stop_daemon(child: &mut Child) {
    let _ = Command::new("kill").arg("-TERM").arg(child.id().to_string()).status();
    let start = Instant::now();
    while matches!(child.try_wait(), Ok(None)) {
        if start.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.wait();
}

/// Waits (30 seconds at most) until the daemon's `log` passes `test`: daemons write their logs
/// out of step with the dialogue (Postfix through its log daemon; Exim after its replies).
fn wait_for_log(log: &dyn Fn() -> String, test: impl Fn(&str) -> bool, what: &str) -> String {
    let start = Instant::now();
    loop {
        let text = log();
        if test(&text) {
            return text;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "{what}: {text}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The files `names` under `dir`, each under a heading: for a failure's message.
fn read_logs(dir: &Path, names: &[&str]) -> String {
    names.iter().map(|f| format!("--- {f}\n{}", std::fs::read_to_string(dir.join(f)).unwrap_or_default())).collect()
}

/// Waits for `n` files in `dir`; returns their contents in name order.
fn wait_for_files(dir: &Path, n: usize) -> Vec<Vec<u8>> {
    let start = Instant::now();
    loop {
        let mut names: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        if names.len() >= n {
            names.sort();
            std::thread::sleep(Duration::from_millis(100)); // let the last write finish
            return names.iter().map(|p| std::fs::read(p).unwrap()).collect();
        }
        assert!(start.elapsed() < Duration::from_secs(30), "{} of {n} messages arrived in {dir:?}", names.len());
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The message behind the leading `Received` fields (`hops` of them).
fn strip_received(mut stored: &[u8], hops: usize) -> &[u8] {
    for _ in 0..hops {
        let (trace, rest) = split_received(stored);
        assert!(trace.starts_with(b"Received: "), "no Received field: {:?}", String::from_utf8_lossy(stored));
        stored = rest;
    }
    stored
}

fn assert_same(got: &[u8], sent: &[u8], what: &str) {
    assert!(
        got == sent,
        "{what}: received\n{:?}\nsent\n{:?}",
        String::from_utf8_lossy(got),
        String::from_utf8_lossy(sent)
    );
}

/// How the crate's client sends its one message (see [`crate_send`]).
#[derive(Debug, Clone, Copy)]
struct SendOpts<'a> {
    /// `--tls`: `off`, `starttls`, `required` or `implicit`.
    mode: &'a str,
    /// BDAT (RFC 3030) when the server offers CHUNKING.
    chunking: bool,
    /// AUTH (RFC 4954) with this user and password.
    auth: Option<(&'a str, &'a str)>,
    /// The recipients.
    to: &'a [&'a str],
    /// Ask for delivery status notifications (RFC 3461): `RET=HDRS ENVID=QQ314159` on MAIL,
    /// `NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;<recipient>` on each RCPT.
    dsn: bool,
}

impl Default for SendOpts<'_> {
    fn default() -> Self {
        Self { mode: "starttls", chunking: false, auth: None, to: &["bob@example.net"], dsn: false }
    }
}

/// The crate's client: one message to `port`, in `mode`, trusting `identity`, expecting the
/// certificate to be issued to `name`. Returns the TLS outcome.
fn crate_client(port: u16, mode: &str, identity: &Identity, name: &str) -> String {
    crate_send(port, identity, name, SendOpts { mode, ..SendOpts::default() })
}

/// The crate's client: one message to `port` as `send` says, trusting `identity`, expecting
/// the certificate to be issued to `name`; the message must be accepted. Returns the TLS
/// outcome.
fn crate_send(port: u16, identity: &Identity, name: &str, send: SendOpts<'_>) -> String {
    let SendOpts { mode, chunking, auth, to, dsn } = send;
    let mode = TlsMode::parse(mode).unwrap();
    let mut settings = ClientSettings::new(&format!("127.0.0.1:{port}"), mode, identity.roots()).unwrap();
    settings.name = rustls::pki_types::ServerName::try_from(name.to_string()).unwrap();
    let settings = settings.with_smtp(|mut c| {
        c.hostname = smtp_wire::Domain::new("client.test").unwrap().into_owned().into();
        c.credentials = auth.map(|(user, pass)| smtp_wire::Credentials::new(user, pass));
        c.with_chunking(chunking)
    });
    let from = ReversePath::parse(b"<alice@client.test>").unwrap().into_owned();
    let mut envelope = Envelope::new(from, body());
    if dsn {
        envelope = envelope
            .with_mail_param(Param::Ret(Ret::Headers))
            .with_mail_param(Param::EnvId(XText::new("QQ314159").unwrap().into_owned()));
    }
    // A UTF-8 path is taken as under SMTPUTF8 (RFC 6531): the client then declares it.
    let utf8 = ParseOptions::default().with_smtputf8(true);
    for to in to {
        let text = format!("<{to}>");
        let path = ForwardPath::parse_with(text.as_bytes(), &utf8).unwrap().into_owned();
        let params = if dsn {
            let notify = Param::Notify(Notify::On { success: true, failure: true, delay: false });
            let orcpt = Orcpt { addr_type: Keyword::new("rfc822").unwrap(), addr: XText::encode(to.as_bytes()) };
            vec![notify, Param::Orcpt(orcpt)]
        } else {
            Vec::new()
        };
        envelope = envelope.with_recipient_params(path, params);
    }
    let report = blocking_client::deliver(&settings, vec![envelope], &mut |_| {}).unwrap();
    assert_eq!(report.messages.len(), 1);
    assert!(report.messages[0].0, "refused: {:?}", report.messages);
    report.outcome.unwrap().to_string()
}

fn check_outcome(outcome: &str, mode: &str, what: &str) {
    match mode {
        "off" => assert!(outcome.starts_with("plaintext (TLS disabled"), "{what}: {outcome}"),
        "implicit" => assert!(
            outcome.starts_with("encrypted (implicit TLS, TLSv1.") && outcome.ends_with(", verified)"),
            "{what}: {outcome}"
        ),
        _ => assert!(
            outcome.starts_with("encrypted (STARTTLS, TLSv1.") && outcome.ends_with(", verified)"),
            "{what}: {outcome}"
        ),
    }
}

/// The crate's blocking example server behind an MTA under test: `--tls` `mode` with
/// `identity` (none for `off`), named `hostname`, with AUTH for [`USER`] when `auth`, in LMTP
/// mode when `lmtp`. Returns where it listens and what it stores.
fn relay_server(
    mode: &str,
    identity: Option<&Identity>,
    hostname: &str,
    auth: bool,
    lmtp: bool,
) -> (SocketAddr, mpsc::Receiver<Vec<u8>>) {
    use blocking_server::common::{ServerSettings, Sink, TlsMode};
    let (tx, inbox) = mpsc::channel();
    let mut settings =
        ServerSettings::new(TlsMode::parse(mode).unwrap(), identity, hostname, Sink::Channel(tx)).unwrap();
    if auth {
        settings = settings.with_auth(USER, PASS);
    }
    if lmtp {
        settings = settings.with_lmtp();
    }
    settings.quiet = true;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || blocking_server::serve(listener, Arc::new(settings)));
    (addr, inbox)
}

/// Sends the message to a UTF-8 recipient (`bøb@example.net`, so with SMTPUTF8, RFC 6531)
/// through an MTA (`name`, its `port` and certificate name, its log for failures) that relays
/// to the crate's server behind `inbox`, and checks both hops' Received fields: the crate's
/// `with` its keyword `ours` and the recipient, the MTA's holding each of `theirs`.
fn through_with_utf8(
    (mta, port, cert_name, log): (&str, u16, &str, &dyn Fn() -> String),
    identity: &Identity,
    inbox: &mpsc::Receiver<Vec<u8>>,
    ours: &str,
    theirs: &[&str],
) {
    let what = format!("crate client (SMTPUTF8) → {mta} → crate server");
    crate_send(port, identity, cert_name, SendOpts { to: &["bøb@example.net"], ..SendOpts::default() });
    let stored = inbox.recv_timeout(Duration::from_secs(30)).unwrap_or_else(|_| panic!("{what}: {}", log()));
    let text = String::from_utf8_lossy(&stored).to_string();
    assert!(text.contains(&format!("by relay.test with {ours} for <bøb@example.net>\r\n")), "{what}: {text}");
    assert!(theirs.iter().all(|t| text.contains(t)), "{what}: {theirs:?} in {text}");
    assert_same(strip_received(&stored, 2), &body(), &what);
}

// ---------------------------------------------------------------------------------------------
// Postfix

/// A loopback-only Postfix instance: its own main.cf/master.cf, queue and data directories,
/// STARTTLS with `identity`, no DNS, relaying everything over mandatory TLS to `relay`, but
/// mail for `lmtp.test` over LMTP (its `lmtp` client, RFC 2033) to `lmtp`. It is run as
/// `master -d` (no daemon, no `alternate_config_directories` needed).
struct Postfix {
    master: Child,
    port: u16,
    /// A second `smtpd`, TLS from the first octet (`smtpd_tls_wrappermode`, RFC 8314).
    smtps_port: u16,
    dir: TempDir,
}

impl Postfix {
    fn start(identity: &Identity, relay: SocketAddr, lmtp: SocketAddr) -> Self {
        let dir = TempDir::new("postfix");
        let d = dir.path();
        for sub in ["etc", "data", "queue"] {
            mkdir(&d.join(sub));
        }
        write_file(&d.join("cert.pem"), &identity.cert_pem);
        write_file(&d.join("key.pem"), &identity.key_pem);
        let (port, smtps_port) = (free_port(), free_port());
        let d = d.display();
        let main_cf = format!(
            "compatibility_level = 3.6\nqueue_directory = {d}/queue\ndata_directory = {d}/data\n\
             mail_owner = postfix\nsetgid_group = postdrop\nmyhostname = mx.postfix.test\n\
             mydomain = postfix.test\nmydestination =\ninet_interfaces = 127.0.0.1\ninet_protocols = ipv4\n\
             mynetworks = 127.0.0.0/8\nrelayhost = [{}]:{}\nsmtp_dns_support_level = disabled\n\
             smtpd_tls_cert_file = {d}/cert.pem\nsmtpd_tls_key_file = {d}/key.pem\n\
             smtpd_tls_security_level = may\nsmtp_tls_security_level = encrypt\n\
             smtpd_relay_restrictions = permit_mynetworks, reject\nlocal_header_rewrite_clients =\n\
             alias_maps =\nalias_database =\nlocal_recipient_maps =\nbiff = no\nmaillog_file = /dev/stdout\n\
             transport_maps = inline:{{lmtp.test=lmtp:inet:{}:{}}}\n\
             debug_peer_list = {}\nqueue_run_delay = 1s\nminimal_backoff_time = 1s\nmaximal_backoff_time = 2s\n",
            relay.ip(),
            relay.port(),
            lmtp.ip(),
            lmtp.port(),
            relay.ip()
        );
        write_file(&dir.path().join("etc/main.cf"), main_cf);
        let master_cf = format!(
            "127.0.0.1:{port} inet n - n - - smtpd\n\
             127.0.0.1:{smtps_port} inet n - n - - smtpd -o smtpd_tls_wrappermode=yes\n\
             cleanup unix n - n - 0 cleanup\nqmgr unix n - n 300 1 qmgr\n\
             rewrite unix - - n - - trivial-rewrite\nbounce unix - - n - 0 bounce\n\
             defer unix - - n - 0 bounce\ntrace unix - - n - 0 bounce\nverify unix - - n - 1 verify\n\
             flush unix n - n 1000? 0 flush\nproxymap unix - - n - - proxymap\nsmtp unix - - n - - smtp\n\
             relay unix - - n - - smtp\nlmtp unix - - n - - lmtp\nshowq unix n - n - - showq\nerror unix - - n - - error\n\
             retry unix - - n - - error\ndiscard unix - - n - - discard\nanvil unix - - n - 1 anvil\n\
             scache unix - - n - 1 scache\npostlog unix-dgram n - n - 1 postlogd\n\
             tlsmgr unix - - n 1000? 1 tlsmgr\n"
        );
        write_file(&dir.path().join("etc/master.cf"), master_cf);
        // The queue layout `postfix check` would make (it refuses a directory that is not
        // listed in the default main.cf's alternate_config_directories).
        let queue = dir.path().join("queue");
        for (sub, mode) in [
            ("active", "700"),
            ("bounce", "700"),
            ("corrupt", "700"),
            ("defer", "700"),
            ("deferred", "700"),
            ("flush", "700"),
            ("hold", "700"),
            ("incoming", "700"),
            ("private", "700"),
            ("saved", "700"),
            ("trace", "700"),
            ("maildrop", "730"),
            ("public", "710"),
            ("pid", "755"),
        ] {
            let path = queue.join(sub);
            mkdir(&path);
            let owner = match sub {
                "pid" => "root",
                "maildrop" | "public" => "postfix:postdrop",
                _ => "postfix",
            };
            assert!(Command::new("chown").arg(owner).arg(&path).status().unwrap().success());
            assert!(Command::new("chmod").arg(mode).arg(&path).status().unwrap().success());
        }
        assert!(Command::new("chown").arg("postfix").arg(dir.path().join("data")).status().unwrap().success());
        let mut master = Command::new("/usr/lib/postfix/sbin/master");
        master.arg("-c").arg(dir.path().join("etc")).arg("-d");
        let master = start_daemon(&mut master, &dir.path().join("master.log"), &[port, smtps_port]);
        Self { master, port, smtps_port, dir }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("master.log")).unwrap_or_default()
    }
}

impl Drop for Postfix {
    fn drop(&mut self) {
        stop_daemon(&mut self.master);
    }
}

fn postfix_version() -> Option<String> {
    let out = Command::new("postconf").arg("-d").arg("mail_version").output().ok()?;
    Some(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

#[test]
#[ignore = "needs Postfix; run by .ci/run with --ignored"]
fn crate_client_to_postfix_and_postfix_to_crate_server() {
    if !Path::new("/usr/lib/postfix/sbin/master").exists() {
        missing("Postfix is not installed (/usr/lib/postfix/sbin/master)");
        return;
    }
    println!("{}", postfix_version().unwrap_or_default());
    // The crate's server, behind Postfix: STARTTLS required.
    let relay_id = Identity::generate(&["relay.test"]).unwrap();
    let (relay, inbox) = relay_server("required", Some(&relay_id), "relay.test", false, false);
    // And the crate's server in LMTP mode (no TLS), where Postfix delivers `lmtp.test`.
    let (lmtp, lmtp_inbox) = relay_server("off", None, "lmtp.test", false, true);

    let identity = Identity::generate(&["mx.postfix.test"]).unwrap();
    let postfix = Postfix::start(&identity, relay, lmtp);
    for mode in ["off", "starttls", "required", "implicit"] {
        let what = format!("crate client --tls {mode} → Postfix → crate server");
        let port = if mode == "implicit" { postfix.smtps_port } else { postfix.port };
        let outcome = crate_client(port, mode, &identity, "mx.postfix.test");
        check_outcome(&outcome, mode, &what);
        let stored =
            inbox.recv_timeout(Duration::from_secs(30)).unwrap_or_else(|_| panic!("{what}: {}", postfix.log()));
        let text = String::from_utf8_lossy(&stored).to_string();
        // Two hops: the crate's server's field (Postfix came over TLS), then Postfix's own.
        assert!(text.starts_with("Received: from mx.postfix.test ([127.0.0.1])\r\n\tby relay.test"), "{text}");
        assert!(text.contains("with ESMTPS for <bob@example.net>\r\n\ttls TLS_"), "{what}: {text}");
        let postfix_with = if mode == "off" { "with ESMTP id" } else { "with ESMTPS id" };
        assert!(text.contains(postfix_with), "{what}: {text}");
        assert_same(strip_received(&stored, 2), &body(), &what);
    }
    // Postfix's record of the four relay hops.
    let sent = |log: &str| {
        log.lines().filter(|l| l.contains("postfix/smtp[") && l.contains("status=sent (250 2.0.0 Ok: queued)")).count()
    };
    wait_for_log(&|| postfix.log(), |log| sent(log) >= 4, "Postfix's relay hops");

    // Two recipients at `lmtp.test`: Postfix's LMTP client delivers them in one transaction
    // and reads one reply per recipient after the body (RFC 2033 §4.2).
    let what = "crate client → Postfix → LMTP → crate server";
    let to = ["carol@lmtp.test", "dave@lmtp.test"];
    crate_send(postfix.port, &identity, "mx.postfix.test", SendOpts { to: &to, ..SendOpts::default() });
    let stored =
        lmtp_inbox.recv_timeout(Duration::from_secs(30)).unwrap_or_else(|_| panic!("{what}: {}", postfix.log()));
    let text = String::from_utf8_lossy(&stored).to_string();
    assert!(text.starts_with("Received: from mx.postfix.test ([127.0.0.1])\r\n\tby lmtp.test with LMTP"), "{text}");
    assert_same(strip_received(&stored, 2), &body(), what);
    // Both recipients delivered by the one copy, each acknowledged on its own.
    let delivered = |log: &str, to: &str| {
        log.lines().any(|l| {
            l.contains("postfix/lmtp[")
                && l.contains(&format!("to=<{to}>"))
                && l.contains("status=sent (250 2.0.0 Ok: queued)")
        })
    };
    wait_for_log(&|| postfix.log(), |log| to.iter().all(|t| delivered(log, t)), what);
    assert!(lmtp_inbox.recv_timeout(Duration::from_millis(300)).is_err(), "{what}: a second copy");

    // An internationalized recipient (RFC 6531): the crate's client declares SMTPUTF8, Postfix
    // relays with it, and the path arrives as sent.
    through_with_utf8(
        ("Postfix", postfix.port, "mx.postfix.test", &|| postfix.log()),
        &identity,
        &inbox,
        "UTF8SMTPS",
        &["(Postfix) with UTF8SMTPS id ", "\tfor <bøb@example.net>; "],
    );
    // Delivery status notifications (RFC 3461): the crate's client asks for them, Postfix
    // relays the request, and the crate's server (which offers DSN) takes it. Postfix's SMTP
    // client logs its side of the dialogue with the crate's server (`debug_peer_list`).
    let what = "crate client (DSN) → Postfix → crate server";
    crate_send(postfix.port, &identity, "mx.postfix.test", SendOpts { dsn: true, ..SendOpts::default() });
    let stored = inbox.recv_timeout(Duration::from_secs(30)).unwrap_or_else(|_| panic!("{what}: {}", postfix.log()));
    assert_same(strip_received(&stored, 2), &body(), what);
    // Postfix's SMTP client lines to the crate's server, each holding all of `needles`:
    // waited for, as Postfix's processes log through its log daemon, not in step with the
    // dialogue.
    let relayed = |needles: &[&str]| {
        let to_relay = format!("]:{}: ", relay.port());
        let found = |log: &str| {
            log.lines()
                .any(|l| l.contains("postfix/smtp[") && l.contains(&to_relay) && needles.iter().all(|n| l.contains(n)))
        };
        wait_for_log(&|| postfix.log(), found, &format!("{what}: {needles:?}"));
    };
    relayed(&["MAIL FROM:<alice@client.test> SIZE=", " ENVID=QQ314159 RET=HDRS"]);
    relayed(&["RCPT TO:<bob@example.net> ORCPT=rfc822;bob@example.net NOTIFY=SUCCESS,FAILURE"]);
    // Postfix writes the SMTPUTF8 run's ORCPT as rfc822 with the UTF-8 octets in xtext, which
    // the crate's server takes (an address type of `utf-8` is RFC 6533's; tolerant content).
    relayed(&["RCPT TO:<bøb@example.net> ORCPT=rfc822;b+C3+B8b@example.net"]);
    // The probe: Postfix discards a command pipelined behind STARTTLS (CVE-2011-0411, fixed).
    let target = format!("127.0.0.1:{}", postfix.port);
    let f = probe::probe(&target, "mx.postfix.test", false, identity.roots()).unwrap();
    println!("{}", probe::table(&target, &f));
    assert_eq!(f.verified, Some(true));
    assert!(f.ehlo_before.iter().any(|c| c == "STARTTLS") && !f.ehlo_after.iter().any(|c| c == "STARTTLS"));
    assert_eq!(f.pipelining, "discarded (safe)");
}

// ---------------------------------------------------------------------------------------------
// Exim

/// Where the Exim binary is: `$SMTP_WIRE_EXIM`, the system's, or where `.ci/run` unpacks
/// Debian's `exim4-daemon-light` (Exim and Postfix cannot be installed side by side: each is
/// the system's mail transport agent).
fn exim_binary() -> Option<PathBuf> {
    let candidates = std::env::var_os("SMTP_WIRE_EXIM")
        .map(PathBuf::from)
        .into_iter()
        .chain(["/usr/sbin/exim4", "/opt/smtp-wire-exim/usr/sbin/exim4"].map(PathBuf::from));
    for bin in candidates {
        if bin.exists() {
            return Some(bin);
        }
    }
    missing("Exim is not installed ($SMTP_WIRE_EXIM, /usr/sbin/exim4, /opt/smtp-wire-exim)");
    None
}

/// A loopback-only Exim daemon in the foreground (`-bdf`) with its own configuration, spool and
/// logs: STARTTLS with `identity`, AUTH PLAIN and LOGIN for [`USER`] after STARTTLS, no DNS,
/// every recipient relayed (`manualroute`) to `relay` over mandatory TLS and AUTH PLAIN as
/// [`USER`], the relay's certificate required to verify against `relay_ca` and to name the
/// address (`tls_verify_hosts`: Exim otherwise only tries, and delivers anyway).
struct Exim {
    daemon: Child,
    port: u16,
    /// A second port, TLS from the first octet (`tls_on_connect_ports`, RFC 8314).
    tls_port: u16,
    dir: TempDir,
}

impl Exim {
    fn start(bin: &Path, identity: &Identity, relay: SocketAddr, smtps: SocketAddr, relay_ca: &str) -> Self {
        let dir = TempDir::new("exim");
        let d = dir.path();
        for sub in ["spool", "log"] {
            mkdir(&d.join(sub));
            // Deliveries run as the Exim user, which writes the spool and the logs.
            let status = Command::new("chown").arg("-R").arg("Debian-exim:").arg(d.join(sub)).status().unwrap();
            assert!(status.success(), "chown Debian-exim (the user Debian's Exim runs as)");
        }
        write_file(&d.join("cert.pem"), &identity.cert_pem);
        write_file(&d.join("key.pem"), &identity.key_pem);
        write_file(&d.join("relay.pem"), relay_ca);
        let (port, tls_port) = (free_port(), free_port());
        let (bin, d) = (bin.display(), d.display());
        let config = format!(
            "exim_path = {bin}\nprimary_hostname = mx.exim.test\nqualify_domain = exim.test\n\
             spool_directory = {d}/spool\nlog_file_path = {d}/log/%slog\n\
             local_interfaces = 127.0.0.1\ndaemon_smtp_ports = {port} : {tls_port}\n\
             tls_on_connect_ports = {tls_port}\nhost_lookup =\nrfc1413_hosts =\n\
             hostlist relay_from_hosts = 127.0.0.1\nacl_smtp_rcpt = acl_check_rcpt\n\
             tls_advertise_hosts = *\ntls_certificate = {d}/cert.pem\ntls_privatekey = {d}/key.pem\n\
             begin acl\nacl_check_rcpt:\n  accept hosts = +relay_from_hosts\n  deny\n\
             begin authenticators\n\
             plain_server:\n  driver = plaintext\n  public_name = PLAIN\n  server_prompts = :\n\
             \x20 server_condition = ${{if and {{{{eq{{$auth2}}{{{USER}}}}}{{eq{{$auth3}}{{{PASS}}}}}}}}}\n\
             \x20 server_set_id = $auth2\n  server_advertise_condition = ${{if def:tls_in_cipher}}\n\
             login_server:\n  driver = plaintext\n  public_name = LOGIN\n\
             \x20 server_prompts = Username:: : Password::\n\
             \x20 server_condition = ${{if and {{{{eq{{$auth1}}{{{USER}}}}}{{eq{{$auth2}}{{{PASS}}}}}}}}}\n\
             \x20 server_set_id = $auth1\n  server_advertise_condition = ${{if def:tls_in_cipher}}\n\
             plain_client:\n  driver = plaintext\n  public_name = PLAIN\n  client_send = ^{USER}^{PASS}\n\
             begin routers\n\
             smtps:\n  driver = manualroute\n  domains = smtps.test\n  transport = smtps_smtp\n\
             \x20 route_list = * {smtps_ip}\n  self = send\n  no_more\n\
             relay:\n  driver = manualroute\n  transport = remote_smtp\n\
             \x20 route_list = * {relay_ip}\n  self = send\n  no_more\n\
             begin transports\nremote_smtp:\n  driver = smtp\n  port = {relay_port}\n\
             \x20 hosts_require_tls = *\n  hosts_require_auth = *\n  tls_verify_certificates = {d}/relay.pem\n\
             \x20 tls_verify_hosts = *\n  tls_verify_cert_hostnames = *\n\
             smtps_smtp:\n  driver = smtp\n  port = {smtps_port}\n  protocol = smtps\n\
             \x20 hosts_require_auth = *\n  tls_verify_certificates = {d}/relay.pem\n\
             \x20 tls_verify_hosts = *\n  tls_verify_cert_hostnames = *\n\
             begin retry\n* * F,1m,10s\n",
            relay_ip = relay.ip(),
            smtps_ip = smtps.ip(),
            smtps_port = smtps.port(),
            relay_port = relay.port(),
        );
        let conf = dir.path().join("exim.conf");
        write_file(&conf, config);
        let mut daemon = Command::new(bin.to_string());
        // A queue run every two seconds: a deferred delivery is tried again within the
        // test's patience.
        daemon.arg("-C").arg(&conf).arg("-bdf").arg("-q2s");
        let daemon = start_daemon(&mut daemon, &dir.path().join("daemon.log"), &[port, tls_port]);
        Self { daemon, port, tls_port, dir }
    }

    /// The daemon's output and Exim's logs.
    fn log(&self) -> String {
        read_logs(self.dir.path(), &["daemon.log", "log/mainlog", "log/rejectlog", "log/paniclog"])
    }
}

impl Drop for Exim {
    fn drop(&mut self) {
        stop_daemon(&mut self.daemon);
    }
}

#[test]
#[ignore = "needs Exim; run by .ci/run with --ignored"]
fn crate_client_to_exim_and_exim_to_crate_server() {
    let Some(bin) = exim_binary() else { return };
    let version = Command::new(&bin).arg("-bV").output().unwrap();
    println!("{}", String::from_utf8_lossy(&version.stdout).lines().next().unwrap_or_default());
    // The crate's server, behind Exim: STARTTLS required, AUTH required of Exim, CHUNKING
    // offered (Exim's client sends BDAT when it may).
    let relay_id = Identity::generate(&["relay.test", "127.0.0.1"]).unwrap();
    let (relay, inbox) = relay_server("required", Some(&relay_id), "relay.test", true, false);
    // And the crate's server with TLS from the first octet (RFC 8314), AUTH required, where
    // Exim delivers `smtps.test` (`protocol = smtps`).
    let (smtps, smtps_inbox) = relay_server("implicit", Some(&relay_id), "relay.test", true, false);

    let identity = Identity::generate(&["mx.exim.test"]).unwrap();
    let exim = Exim::start(&bin, &identity, relay, smtps, &relay_id.cert_pem);
    // (TLS mode, BDAT, AUTH): the crate's client authenticates where Exim offers AUTH (after
    // STARTTLS).
    let runs = [
        ("off", false, false),
        ("starttls", false, true),
        ("required", false, false),
        ("starttls", true, true),
        ("implicit", false, true),
    ];
    for (mode, chunking, auth) in runs {
        let what = format!("crate client --tls {mode} (BDAT: {chunking}, AUTH: {auth}) → Exim → crate server");
        let credentials = auth.then_some((USER, PASS));
        let port = if mode == "implicit" { exim.tls_port } else { exim.port };
        let send = SendOpts { mode, chunking, auth: credentials, ..SendOpts::default() };
        let outcome = crate_send(port, &identity, "mx.exim.test", send);
        check_outcome(&outcome, mode, &what);
        let stored = inbox.recv_timeout(Duration::from_secs(30)).unwrap_or_else(|_| panic!("{what}: {}", exim.log()));
        let text = String::from_utf8_lossy(&stored).to_string();
        // Two hops: the crate's server's field (Exim came over TLS and authenticated), then
        // Exim's own.
        assert!(text.starts_with("Received: from mx.exim.test ([127.0.0.1])\r\n\tby relay.test"), "{what}: {text}");
        assert!(text.contains("with ESMTPSA for <bob@example.net>\r\n\ttls TLS_"), "{what}: {text}");
        let exim_with = match (mode, auth) {
            ("off", _) => "with esmtp ",
            (_, false) => "with esmtps ",
            (_, true) => "with esmtpsa ",
        };
        assert!(text.contains(exim_with), "{what}: {text}");
        assert_same(strip_received(&stored, 2), &body(), &what);
    }
    // An internationalized recipient (RFC 6531), over STARTTLS without AUTH.
    through_with_utf8(
        ("Exim", exim.port, "mx.exim.test", &|| exim.log()),
        &identity,
        &inbox,
        "UTF8SMTPSA",
        &["by mx.exim.test with utf8esmtps ", "\tfor bøb@example.net;"],
    );
    // Exim's client with TLS from the first octet (`protocol = smtps`) to the crate's server
    // in implicit mode.
    let what = "crate client → Exim → implicit TLS → crate server";
    crate_send(exim.port, &identity, "mx.exim.test", SendOpts { to: &["carol@smtps.test"], ..SendOpts::default() });
    let stored = smtps_inbox.recv_timeout(Duration::from_secs(30)).unwrap_or_else(|_| panic!("{what}: {}", exim.log()));
    let text = String::from_utf8_lossy(&stored).to_string();
    assert!(text.contains("by relay.test with ESMTPSA for <carol@smtps.test>\r\n\ttls TLS_"), "{what}: {text}");
    assert_same(strip_received(&stored, 2), &body(), what);
    // Exim's own record, once the seven deliveries are logged (the crate's servers store a
    // message before Exim logs the delivery): every relay hop over TLS with the certificate
    // verified, authenticated (`A=`) and by BDAT (`K`), one of them by `smtps`. Of the
    // arrivals: one plaintext, two over STARTTLS, three over TLS (two STARTTLS, one TLS on
    // connect) and authenticated by the crate's client (PLAIN), one of them by BDAT (`K`),
    // and one with SMTPUTF8 over STARTTLS.
    let log =
        wait_for_log(&|| exim.log(), |log| log.matches(" Completed").count() >= runs.len() + 2, "Exim's deliveries");
    assert_eq!(log.matches(" CV=yes A=plain_client K C=\"250 2.0.0 Ok: queued\"").count(), 7, "{log}");
    assert!(
        log.lines().any(|l| l.contains(" => carol@smtps.test R=smtps T=smtps_smtp ") && l.contains(" CV=yes ")),
        "{log}"
    );
    assert_eq!(log.matches(" P=utf8esmtps X=TLS1.3:").count(), 1, "{log}");
    assert_eq!(log.matches(" P=esmtp S=").count(), 1, "{log}");
    assert_eq!(log.matches(" P=esmtps X=TLS1.3:").count(), 2, "{log}");
    assert_eq!(log.matches(" P=esmtpsa X=TLS1.3:").count(), 3, "{log}");
    assert_eq!(log.matches(&format!(" A=plain_server:{USER} ")).count(), 3, "{log}");
    assert_eq!(log.matches(" K S=").count(), 1, "{log}");
    let target = format!("127.0.0.1:{}", exim.port);
    let f = probe::probe(&target, "mx.exim.test", false, identity.roots()).unwrap();
    println!("{}", probe::table(&target, &f));
    assert_eq!(f.verified, Some(true));
    assert!(f.ehlo_before.iter().any(|c| c == "STARTTLS") && !f.ehlo_after.iter().any(|c| c == "STARTTLS"));
    assert_eq!(f.pipelining, "discarded (safe)");
}

// ---------------------------------------------------------------------------------------------
// Dovecot (LMTP)

/// A Dovecot LMTP server on a loopback port, in the foreground (`dovecot -F`) with its own
/// configuration, run and state directories, and Maildirs: the users are `bob` and `dave`
/// (`passwd-file`, any domain), mail saved with its CRLFs (`mail_save_crlf`).
struct Dovecot {
    master: Child,
    port: u16,
    dir: TempDir,
}

impl Dovecot {
    const USERS: [&str; 2] = ["bob", "dave"];

    fn start() -> Self {
        let dir = TempDir::new("dovecot");
        let d = dir.path();
        let mut users = String::new();
        for user in Self::USERS {
            let home = d.join("home").join(user);
            mkdir(&home);
            // Mail is written as the user's uid: nobody's.
            assert!(Command::new("chown").arg("nobody:").arg(&home).status().unwrap().success());
            users.push_str(&format!("{user}::65534:65534::{}\n", home.display()));
        }
        write_file(&d.join("users"), users);
        let port = free_port();
        let d = d.display();
        let config = format!(
            "protocols = lmtp\nlisten = 127.0.0.1\nbase_dir = {d}/run\nstate_dir = {d}/state\n\
             log_path = {d}/dovecot.log\nssl = no\nmail_location = maildir:~/Maildir\nmail_save_crlf = yes\n\
             auth_username_format = %n\n\
             service lmtp {{\n  inet_listener lmtp {{\n    address = 127.0.0.1\n    port = {port}\n  }}\n}}\n\
             passdb {{\n  driver = static\n  args = nopassword=y\n}}\n\
             userdb {{\n  driver = passwd-file\n  args = {d}/users\n}}\n"
        );
        let conf = dir.path().join("dovecot.conf");
        write_file(&conf, config);
        let mut master = Command::new("dovecot");
        master.arg("-F").arg("-c").arg(&conf);
        let master = start_daemon(&mut master, &dir.path().join("master.log"), &[port]);
        Self { master, port, dir }
    }

    /// The messages saved for `user` (each is checked alike, so in no particular order).
    fn mailbox(&self, user: &str) -> Vec<Vec<u8>> {
        let new = self.dir.path().join("home").join(user).join("Maildir/new");
        std::fs::read_dir(new).unwrap().map(|e| std::fs::read(e.unwrap().path()).unwrap()).collect()
    }

    fn log(&self) -> String {
        read_logs(self.dir.path(), &["master.log", "dovecot.log"])
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        stop_daemon(&mut self.master);
    }
}

/// The message behind the header fields Dovecot's LMTP puts in front of a saved message:
/// `Return-Path` (the reverse path) and its `Received` field.
fn strip_dovecot_fields(saved: &[u8]) -> &[u8] {
    let text = String::from_utf8_lossy(saved);
    let return_path = "Return-Path: <alice@client.test>\r\n";
    assert!(text.starts_with(return_path), "{text}");
    let (trace, rest) = split_received(&saved[return_path.len()..]);
    let trace = String::from_utf8_lossy(trace);
    assert!(trace.starts_with("Received: from client.test ([127.0.0.1])\r\n\tby "), "{trace}");
    assert!(trace.contains(" with LMTP\r\n"), "{trace}");
    rest
}

#[test]
#[ignore = "needs Dovecot's LMTP server; run by .ci/run with --ignored"]
fn crate_lmtp_client_to_dovecot() {
    if !have("dovecot", &["--version"], "Dovecot") {
        return;
    }
    if !Path::new("/usr/lib/dovecot/lmtp").exists() {
        missing("Dovecot's LMTP server is not installed (/usr/lib/dovecot/lmtp, dovecot-lmtpd)");
        return;
    }
    let version = Command::new("dovecot").arg("--version").output().unwrap();
    println!("Dovecot {}", String::from_utf8_lossy(&version.stdout).trim());
    let dovecot = Dovecot::start();
    let recipients = ["bob@example.net", "carol@example.net", "dave@example.net"];
    for chunking in [false, true] {
        let what = format!("crate client (LMTP, BDAT: {chunking}) → Dovecot");
        // No TLS (LMTP runs on a trusted network or a local socket, RFC 2033 §5): the roots
        // are never used.
        let roots = Identity::generate(&["localhost"]).unwrap().roots();
        let settings = ClientSettings::new(&format!("127.0.0.1:{}", dovecot.port), TlsMode::Off, roots).unwrap();
        let settings = settings.with_smtp(|mut c| {
            c.hostname = smtp_wire::Domain::new("client.test").unwrap().into_owned().into();
            c.with_lmtp(true).with_chunking(chunking)
        });
        let from = ReversePath::parse(b"<alice@client.test>").unwrap().into_owned();
        let mut envelope = Envelope::new(from, body());
        for to in recipients {
            envelope = envelope.with_recipient(ForwardPath::parse(format!("<{to}>").as_bytes()).unwrap().into_owned());
        }
        let mut sent = Vec::new();
        let mut tap = |t: blocking_client::common::Tapped<'_>| {
            if let blocking_client::common::Tapped::Sent(octets) = t {
                sent.extend_from_slice(octets);
            }
        };
        let report = blocking_client::deliver(&settings, vec![envelope], &mut tap)
            .unwrap_or_else(|e| panic!("{what}: {e}\n{}", dovecot.log()));
        let sent = String::from_utf8_lossy(&sent);
        assert!(sent.starts_with("LHLO client.test\r\n"), "{what}: {sent}");
        assert_eq!(sent.contains("\r\nBDAT "), chunking, "{what}: {sent}");
        assert_eq!(sent.contains("\r\nDATA\r\n"), !chunking, "{what}: {sent}");
        // carol is refused at RCPT; bob and dave each get their own reply after the body
        // (RFC 2033 §4.2), in the order they were accepted.
        assert_eq!(report.refused.len(), 1, "{what}: {report:?}");
        assert_eq!(report.refused[0].0, 1, "{what}: {report:?}");
        assert!(report.refused[0].1.starts_with("550 5.1.1 <carol@example.net> User doesn't exist"), "{report:?}");
        let delivered: Vec<usize> = report.deliveries.iter().filter(|d| d.1).map(|d| d.0).collect();
        assert_eq!(delivered, [0, 2], "{what}: {report:?}");
        for (index, _, reply) in &report.deliveries {
            assert!(reply.starts_with(&format!("250 2.0.0 <{}> ", recipients[*index])), "{what}: {reply}");
            assert!(reply.ends_with(" Saved"), "{what}: {reply}");
        }
        assert_eq!(report.messages.len(), 1, "{what}: {report:?}");
        assert!(report.messages[0].0, "{what}: {report:?}");
    }
    // Each run saved one message in each mailbox: the body, byte for byte, behind Dovecot's
    // own fields.
    for user in Dovecot::USERS {
        let saved = dovecot.mailbox(user);
        assert_eq!(saved.len(), 2, "{user}: {}", dovecot.log());
        for message in &saved {
            assert_same(strip_dovecot_fields(message), &body(), &format!("Dovecot mailbox of {user}"));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// aiosmtpd (server) and smtplib (client)

const AIOSMTPD: &str = r#"
import pathlib, ssl, sys
from aiosmtpd.controller import Controller
port, out, cert, key, mode = int(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
class Store:
    n = 0
    async def handle_DATA(self, server, session, envelope):
        Store.n += 1
        (out / f"{Store.n:06}.eml").write_bytes(envelope.original_content)
        return "250 2.0.0 Ok: stored"
kw = {}
if mode != "off":
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    kw = {"tls_context": ctx, "require_starttls": mode == "required"}
c = Controller(Store(), hostname="127.0.0.1", port=port, server_hostname="mx.aiosmtpd.test", **kw)
c.start()
print("READY", flush=True)
sys.stdin.read()
c.stop()
"#;

const SMTPLIB: &str = r#"
import smtplib, ssl, sys
port, ca, body, auth, tls, to = int(sys.argv[1]), sys.argv[2], open(sys.argv[3], "rb").read(), sys.argv[4], sys.argv[5], sys.argv[6]
ctx = ssl.create_default_context(cafile=ca)
if tls == "implicit":
    # SMTP_SSL: TLS from the first octet (RFC 8314).
    s = smtplib.SMTP_SSL("127.0.0.1", port, local_hostname="smtplib.test", context=ctx, timeout=30)
else:
    s = smtplib.SMTP("127.0.0.1", port, local_hostname="smtplib.test", timeout=30)
    s.starttls(context=ctx)
with s:
    print(s.sock.version(), s.sock.cipher()[0])
    if auth == "plain":
        # login() picks the first of CRAM-MD5, PLAIN, LOGIN the server offers.
        print(s.login("alice", "s3cret"))
    elif auth == "login":
        # LOGIN with the user name as initial response (smtplib's default); the dialogue is
        # shown on stderr.
        s.set_debuglevel(1)
        s.ehlo()
        s.user, s.password = "alice", "s3cret"
        print(s.auth("LOGIN", s.auth_login))
    # SMTPUTF8 (RFC 6531) for an address beyond US-ASCII.
    options = [] if to.isascii() else ["SMTPUTF8"]
    s.sendmail("alice@client.test", [to], body, mail_options=options)
"#;

fn python_has(module: &str) -> bool {
    have("python3", &["-c", &format!("import {module}")], &format!("Python's {module}"))
}

fn python_versions() -> String {
    let out = Command::new("python3")
        .args(["-c", "import sys, importlib.metadata as m; print('Python', sys.version.split()[0], 'aiosmtpd', m.version('aiosmtpd'))"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
#[ignore = "needs Python's aiosmtpd; run by .ci/run with --ignored"]
fn crate_client_to_aiosmtpd() {
    if !python_has("aiosmtpd") {
        return;
    }
    println!("{}", python_versions());
    let identity = Identity::generate(&["mx.aiosmtpd.test"]).unwrap();
    let dir = TempDir::new("aiosmtpd");
    write_file(&dir.path().join("cert.pem"), &identity.cert_pem);
    write_file(&dir.path().join("key.pem"), &identity.key_pem);
    // One aiosmtpd per server posture: no TLS, STARTTLS offered, STARTTLS required.
    for (server_mode, client_mode) in [("off", "off"), ("starttls", "starttls"), ("required", "required")] {
        let out = dir.path().join(server_mode);
        mkdir(&out);
        let port = free_port();
        let mut server = Command::new("python3")
            .args(["-c", AIOSMTPD, &port.to_string()])
            .arg(&out)
            .arg(dir.path().join("cert.pem"))
            .arg(dir.path().join("key.pem"))
            .arg(server_mode)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut ready = String::new();
        BufReader::new(server.stdout.take().unwrap()).read_line(&mut ready).unwrap();
        assert_eq!(ready.trim(), "READY");
        let what = format!("crate client --tls {client_mode} → aiosmtpd ({server_mode})");
        let outcome = crate_client(port, client_mode, &identity, "mx.aiosmtpd.test");
        check_outcome(&outcome, client_mode, &what);
        let stored = wait_for_files(&out, 1);
        assert_same(&stored[0], &body(), &what);
        if server_mode == "starttls" {
            // aiosmtpd 1.4.6 fixed CVE-2024-34083 (plaintext read after STARTTLS).
            let target = format!("127.0.0.1:{port}");
            let f = probe::probe(&target, "mx.aiosmtpd.test", false, identity.roots()).unwrap();
            println!("{}", probe::table(&target, &f));
            assert_eq!(f.pipelining, "discarded (safe)");
        }
        drop(server.stdin.take()); // aiosmtpd stops when its stdin closes
        let _ = server.wait();
    }
}

// ---------------------------------------------------------------------------------------------
// Real clients to the crate's example servers.

/// The account the example servers take when started with AUTH (`AUTH PLAIN LOGIN`, offered
/// after STARTTLS only).
const USER: &str = "alice";
const PASS: &str = "s3cret";

/// Starts an example server (`tokio`: the tokio one, else the blocking one) with `tls` as its
/// `--tls` (`starttls`, `required`, or `implicit`: TLS from the first octet, RFC 8314), a
/// certificate for 127.0.0.1, and
/// with `auth` AUTH PLAIN LOGIN for [`USER`]; returns its port, the messages it stores, and the
/// certificate's PEM file.
fn crate_server(tokio: bool, dir: &Path, auth: bool, tls: &str) -> (u16, mpsc::Receiver<Vec<u8>>, PathBuf) {
    let (tx, inbox) = mpsc::channel();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let ca = dir.join(if tokio { "tokio.pem" } else { "blocking.pem" });
    if tokio {
        use tokio_server::common::{Identity, ServerSettings, Sink, TlsMode};
        let id = Identity::generate(&["localhost", "127.0.0.1"]).unwrap();
        write_file(&ca, &id.cert_pem);
        let mode = TlsMode::parse(tls).unwrap();
        let mut settings = ServerSettings::new(mode, Some(&id), "mx.test", Sink::Channel(tx)).unwrap();
        if auth {
            settings = settings.with_auth(USER, PASS);
        }
        settings.quiet = true;
        listener.set_nonblocking(true).unwrap();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                tokio_server::serve(listener, Arc::new(settings)).await
            })
        });
    } else {
        use blocking_server::common::{ServerSettings, Sink, TlsMode};
        let id = Identity::generate(&["localhost", "127.0.0.1"]).unwrap();
        write_file(&ca, &id.cert_pem);
        let mode = TlsMode::parse(tls).unwrap();
        let mut settings = ServerSettings::new(mode, Some(&id), "mx.test", Sink::Channel(tx)).unwrap();
        if auth {
            settings = settings.with_auth(USER, PASS);
        }
        settings.quiet = true;
        std::thread::spawn(move || blocking_server::serve(listener, Arc::new(settings)));
    }
    (port, inbox, ca)
}

/// Checks the stored message: one Received field recording TLS (RFC 3848 `ESMTPS`, or
/// `ESMTPSA` when `authenticated`) and the recipient `<bob@example.net>`, then exactly `sent`.
fn check_stored(inbox: &mpsc::Receiver<Vec<u8>>, sent: &[u8], authenticated: bool, what: &str) {
    let with = if authenticated { "ESMTPSA" } else { "ESMTPS" };
    check_stored_with(inbox, sent, &format!("with {with} for <bob@example.net>\r\n\ttls TLS_"), what);
}

/// Checks the stored message: one Received field that contains `with`, then exactly `sent`.
fn check_stored_with(inbox: &mpsc::Receiver<Vec<u8>>, sent: &[u8], with: &str, what: &str) {
    let stored = inbox.recv_timeout(Duration::from_secs(30)).unwrap_or_else(|_| panic!("{what}: nothing stored"));
    let (trace, message) = split_received(&stored);
    let trace = String::from_utf8_lossy(trace);
    assert!(trace.contains(with), "{what}: {trace}");
    assert_same(message, sent, what);
}

/// Nothing arrives in `inbox` (a refused client's message).
fn check_nothing_stored(inbox: &mpsc::Receiver<Vec<u8>>, what: &str) {
    if let Ok(stored) = inbox.recv_timeout(Duration::from_millis(300)) {
        panic!("{what}: stored {:?}", String::from_utf8_lossy(&stored));
    }
}

#[test]
#[ignore = "needs Python; run by .ci/run with --ignored"]
fn smtplib_to_crate_servers() {
    if !python_has("smtplib") {
        return;
    }
    let dir = TempDir::new("smtplib");
    let file = dir.path().join("body.eml");
    write_file(&file, body());
    let runs = [
        ("starttls", "none", "bob@example.net"),
        ("starttls", "plain", "bob@example.net"),
        ("starttls", "login", "bob@example.net"),
        ("implicit", "plain", "bob@example.net"),
        ("starttls", "none", "bøb@example.net"),
    ];
    for tokio in [false, true] {
        for (tls, auth, to) in runs {
            let (port, inbox, ca) = crate_server(tokio, dir.path(), auth != "none", tls);
            let out = Command::new("python3")
                .args(["-c", SMTPLIB, &port.to_string()])
                .arg(&ca)
                .arg(&file)
                .args([auth, tls, to])
                .output()
                .unwrap();
            let what = format!("smtplib ({tls}, AUTH: {auth}, to {to}) → crate server (tokio: {tokio})");
            let said = String::from_utf8_lossy(&out.stdout);
            assert!(out.status.success(), "{what}: {said}{}", String::from_utf8_lossy(&out.stderr));
            println!("{what}: {}", said.trim().replace('\n', "; "));
            if auth != "none" {
                assert!(said.contains("(235, b'2.7.0 Authentication successful')"), "{what}: {said}");
            }
            if auth == "login" {
                // The user name as initial response: base64 of "alice".
                let dialogue = String::from_utf8_lossy(&out.stderr);
                assert!(dialogue.contains("send: 'AUTH LOGIN YWxpY2U=\\r\\n'"), "{what}: {dialogue}");
            }
            let with = match (auth, to.is_ascii()) {
                (_, false) => format!("with UTF8SMTPS for <{to}>\r\n\ttls TLS_"),
                ("none", true) => format!("with ESMTPS for <{to}>\r\n\ttls TLS_"),
                _ => format!("with ESMTPSA for <{to}>\r\n\ttls TLS_"),
            };
            check_stored_with(&inbox, &body(), &with, &what);
        }
    }
}

#[test]
#[ignore = "needs swaks; run by .ci/run with --ignored"]
fn swaks_to_crate_servers() {
    if !have("swaks", &["--version"], "swaks") {
        return;
    }
    let dir = TempDir::new("swaks");
    // swaks ends the data with CRLF "." CRLF itself: its file is the message without the last CRLF.
    let file = dir.path().join("body.eml");
    let sent = body();
    write_file(&file, &sent[..sent.len() - 2]);
    // No STARTTLS to a server that requires it (RFC 3207 §4): MAIL gets 530, nothing is stored.
    for tokio in [false, true] {
        let (port, inbox, _) = crate_server(tokio, dir.path(), false, "required");
        let out = Command::new("swaks")
            .args(["--server", &format!("127.0.0.1:{port}"), "--ehlo", "swaks.test"])
            .args(["--from", "alice@client.test", "--to", "bob@example.net", "--data"])
            .arg(&file)
            .output()
            .unwrap();
        let what = format!("swaks without TLS → crate server, TLS required (tokio: {tokio})");
        let transcript = String::from_utf8_lossy(&out.stdout);
        assert!(!out.status.success(), "{what}: {transcript}");
        assert!(
            transcript.contains("<-  250 STARTTLS") || transcript.contains("<-  250-STARTTLS"),
            "{what}: {transcript}"
        );
        assert!(transcript.contains("<** 530 5.7.0 Must issue a STARTTLS command first"), "{what}: {transcript}");
        check_nothing_stored(&inbox, &what);
    }
    // STARTTLS: no AUTH; PLAIN (swaks sends the initial response on the AUTH line); LOGIN (it
    // answers both challenges); PLAIN with a wrong password, which must be refused. TLS on
    // connect (RFC 8314) with PLAIN.
    // (swaks' TLS flag, the server's --tls, AUTH, password)
    let runs = [
        ("--tls", "starttls", None, PASS),
        ("--tls", "starttls", Some("PLAIN"), PASS),
        ("--tls", "starttls", Some("LOGIN"), PASS),
        ("--tls", "starttls", Some("PLAIN"), "wrong"),
        ("--tls-on-connect", "implicit", Some("PLAIN"), PASS),
    ];
    for tokio in [false, true] {
        for (tls, server, auth, pass) in runs {
            let (port, inbox, ca) = crate_server(tokio, dir.path(), auth.is_some(), server);
            let mut cmd = Command::new("swaks");
            cmd.args(["--server", &format!("127.0.0.1:{port}"), tls, "--tls-verify", "--tls-ca-path"])
                .arg(&ca)
                .args(["--ehlo", "swaks.test", "--from", "alice@client.test", "--to", "bob@example.net", "--data"])
                .arg(&file);
            if let Some(mech) = auth {
                cmd.args(["--auth", mech, "--auth-user", USER, "--auth-password", pass]);
            }
            let out = cmd.output().unwrap();
            let what = format!("swaks {tls} (AUTH: {auth:?}, password {pass}) → crate server (tokio: {tokio})");
            let transcript = String::from_utf8_lossy(&out.stdout);
            assert!(transcript.contains("=== TLS started with cipher TLSv1.3"), "{what}: {transcript}");
            if pass != PASS {
                assert!(!out.status.success(), "{what}: {transcript}");
                assert!(
                    transcript.contains("<~* 535 5.7.8 Authentication credentials invalid"),
                    "{what}: {transcript}"
                );
                check_nothing_stored(&inbox, &what);
                continue;
            }
            assert!(out.status.success(), "{what}: {transcript}{}", String::from_utf8_lossy(&out.stderr));
            match auth {
                // The initial response on the AUTH line (RFC 4954 §4): base64 of NUL alice NUL s3cret.
                Some("PLAIN") => {
                    assert!(transcript.contains(" ~> AUTH PLAIN AGFsaWNlAHMzY3JldA==\n"), "{what}: {transcript}")
                }
                // LOGIN: the two challenges answered.
                Some(_) => assert!(
                    transcript.contains(" ~> AUTH LOGIN\n<~  334 VXNlcm5hbWU6\n ~> YWxpY2U=\n<~  334 UGFzc3dvcmQ6\n"),
                    "{what}: {transcript}"
                ),
                None => {}
            }
            if auth.is_some() {
                assert!(transcript.contains("<~  235 2.7.0 Authentication successful"), "{what}: {transcript}");
            }
            check_stored(&inbox, &sent, auth.is_some(), &what);
        }
    }
}

#[test]
#[ignore = "needs msmtp; run by .ci/run with --ignored"]
fn msmtp_to_crate_servers() {
    if !have("msmtp", &["--version"], "msmtp") {
        return;
    }
    let dir = TempDir::new("msmtp");
    // STARTTLS without AUTH, with PLAIN and with LOGIN; TLS from the first octet
    // (`--tls-starttls=off`, RFC 8314) with PLAIN.
    // (msmtp's --tls-starttls, the server's --tls, AUTH)
    let runs = [
        ("on", "starttls", None),
        ("on", "starttls", Some("plain")),
        ("on", "starttls", Some("login")),
        ("off", "implicit", Some("plain")),
    ];
    for tokio in [false, true] {
        for (starttls, server, auth) in runs {
            let (port, inbox, ca) = crate_server(tokio, dir.path(), auth.is_some(), server);
            let mut cmd = Command::new("msmtp");
            cmd.args([
                "--host=127.0.0.1",
                &format!("--port={port}"),
                "--tls=on",
                "--timeout=30",
                &format!("--tls-starttls={starttls}"),
            ])
            .arg(format!("--tls-trust-file={}", ca.display()))
            .args(["--domain=msmtp.test", "--from=alice@client.test"]);
            if let Some(mech) = auth {
                cmd.arg(format!("--auth={mech}"))
                    .arg(format!("--user={USER}"))
                    .arg(format!("--passwordeval=echo {PASS}"));
            }
            let mut child = cmd.arg("bob@example.net").stdin(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
            child.stdin.take().unwrap().write_all(&body()).unwrap();
            let out = child.wait_with_output().unwrap();
            let what = format!("msmtp (STARTTLS: {starttls}, AUTH: {auth:?}) → crate server (tokio: {tokio})");
            assert!(out.status.success(), "{what}: {}", String::from_utf8_lossy(&out.stderr));
            check_stored(&inbox, &body(), auth.is_some(), &what);
        }
    }
}
