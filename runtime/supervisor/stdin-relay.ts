import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Host } from '../host/host.js';

/**
 * conmon takes a container's stdin only through its attach socket, a SOCK_SEQPACKET unix socket,
 * which Node cannot open. This relay (Debian's python3, run with the socket's directory as cwd so
 * the path fits sun_path) copies its stdin into the socket and drains what conmon sends back
 * (the output reaches clients from the log file). EOF on stdin half-closes the socket, which makes
 * conmon close the container's stdin when it was started for a one-shot stdin.
 */
const RELAY = `
import os, socket, sys, threading
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect("attach")
def drain():
    try:
        while s.recv(65536):
            pass
    except OSError:
        pass
    os._exit(0)
threading.Thread(target=drain, daemon=True).start()
while True:
    data = os.read(0, 8192)
    if not data:
        break
    s.sendall(data)
try:
    s.shutdown(socket.SHUT_WR)
except OSError:
    pass
threading.Event().wait()
`;

/** The interpreter the relay needs (python3-minimal is part of every Debian install with python3-docker). */
export const RELAY_PYTHON = ['/usr/bin/python3', '/usr/local/bin/python3'].find((p) => existsSync(p));

/** Starts the relay into the attach socket in `socketDir` (the container's conmon directory). */
export function startStdinRelay(host: Host, socketDir: string): ChildProcess | undefined {
  if (!RELAY_PYTHON) return undefined;
  return host.spawn(RELAY_PYTHON, ['-c', RELAY], { cwd: socketDir, stdio: ['pipe', 'ignore', 'ignore'] });
}
