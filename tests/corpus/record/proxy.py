"""Records one SMTP session byte for byte: listens on 127.0.0.1:2526, forwards to 127.0.0.1:2524,
writes everything each side sent to OUT.c2s and OUT.s2c, then exits."""
import socket, sys, threading
out = sys.argv[1]
ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(('127.0.0.1', 2526)); ls.listen(1); ls.settimeout(30)
c, _ = ls.accept()
s = socket.create_connection(('127.0.0.1', 2524))
def pump(a, b, path):
    with open(path, 'wb') as f:
        while True:
            d = a.recv(65536)
            if not d:
                break
            f.write(d); f.flush()
            b.sendall(d)
    try: b.shutdown(socket.SHUT_WR)
    except OSError: pass
t1 = threading.Thread(target=pump, args=(c, s, out + '.c2s')); t2 = threading.Thread(target=pump, args=(s, c, out + '.s2c'))
t1.start(); t2.start(); t1.join(); t2.join()
