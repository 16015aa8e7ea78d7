#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal and types into it as a script says.

usage: pty-drive.py [--size COLSxROWS] [--stdout FILE] [--stdin FILE] [--step-timeout S] SCRIPT
                    -- COMMAND...

The command's stdout goes to FILE when given, its stdin comes from FILE when given (what is not
redirected stays on the terminal, which is the command's controlling terminal either way).
SCRIPT has one step a line ('#' starts a comment); TEXT takes Python escapes (\\r, \\x1b, \\u00e9):
  expect TEXT   wait until TEXT appears on the terminal after what the last expect matched
  raw           wait until the program has turned the terminal's line editing off (ICANON)
  cooked        wait until it has turned it back on
  unprocessed   wait until the program reads with processed input off (the terminal's ISIG off:
                ^C is a key, as in _getch or a console mode without ENABLE_PROCESSED_INPUT)
  processed     wait until ISIG is on again
  send TEXT     type TEXT (written in one piece)
  resize C R    give the terminal C columns and R rows (the program gets SIGWINCH)
  answer R C    wait for the program's cursor position query (DSR 6, ESC [ 6 n) after what the
                last expect matched, and answer it as a terminal does: the cursor at row R,
                column C (ESC [ R ; C R)
A step that waits gives up after --step-timeout seconds (20 by default): the driver then says
on stderr which step of which script line it waited for, what the terminal showed since the
last match and the terminal's modes, kills the program and exits with status 3 after printing
what the terminal showed. With PTY_DRIVE_GDB=1 in the environment it first prints the
program's threads' stacks (gdb -batch -p PID) on stderr, and the results of the gdb commands
PTY_DRIVE_GDB holds (';' between them) when it is not 1. After the last step the driver waits for the program (30 s, then
kills it: exit status 4) and prints everything the terminal showed, then a line "status N"
with the exit status.
"""
import codecs
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time


def main():
    args = sys.argv[1:]
    cols, rows, out, inp, step_timeout = 80, 24, None, None, 20.0
    while args and args[0].startswith("--"):
        if args[0] == "--size":
            cols, rows = (int(v) for v in args[1].split("x"))
        elif args[0] == "--stdout":
            out = args[1]
        elif args[0] == "--stdin":
            inp = args[1]
        elif args[0] == "--step-timeout":
            step_timeout = float(args[1])
        else:
            break
        args = args[2:]
    script, cmd = args[0], args[args.index("--") + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        if out:
            o = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(o, 1)
        if inp:
            i = os.open(inp, os.O_RDONLY)
            os.dup2(i, 0)
        os.execv(cmd[0], cmd)
    buf = bytearray()
    seen = 0  # where the next expect starts looking
    start = time.time()

    def pump(t):
        r, _, _ = select.select([fd], [], [], t)
        if r:
            try:
                data = os.read(fd, 4096)
            except OSError:
                return False
            if not data:
                return False
            buf.extend(data)
        return True

    def until(cond, limit):
        """Whether cond() came true within limit seconds (False also when the terminal closed)."""
        end = time.time() + limit
        while not cond():
            if time.time() >= end or not pump(0.05):
                return cond()
        return True

    def modes():
        try:
            a = termios.tcgetattr(fd)
        except termios.error as e:
            return "(no modes: %s)" % e
        names = [(termios.ICANON, "ICANON"), (termios.ECHO, "ECHO"), (termios.ISIG, "ISIG")]
        on = [n for bit, n in names if a[3] & bit] or ["none of ICANON ECHO ISIG"]
        cc = a[6]
        return "lflag %s, VEOL %r, VEOL2 %r, VMIN %r" % (
            " ".join(on), cc[termios.VEOL], cc[termios.VEOL2], cc[termios.VMIN])

    def lflag(bit, on):
        """Whether the terminal's lflag bit is `on` (False when the modes cannot be read)."""
        try:
            return bool(termios.tcgetattr(fd)[3] & bit) == on
        except termios.error:
            return False

    def icanon():
        return lflag(termios.ICANON, True)

    def finish(status, note):
        sys.stdout.buffer.write(bytes(buf))
        sys.stdout.write("\nstatus %d\n" % status)
        if note:
            sys.stdout.write(note + "\n")
        sys.stdout.flush()

    def give_up(lineno, line):
        waited = time.time() - start
        tail = bytes(buf[seen:])[-400:]
        sys.stderr.write(
            "pty-drive.py: %s:%d: step `%s` not done within %g s (%.1f s into the run);\n"
            "  the terminal showed since the last match: %r\n  the terminal's modes: %s\n"
            "  killing the program (pid %d)\n"
            % (script, lineno, line, step_timeout, waited, tail, modes(), pid))
        if os.environ.get("PTY_DRIVE_GDB"):
            import subprocess
            more = [c for c in os.environ["PTY_DRIVE_GDB"].split(";") if c.strip() not in ("", "1")]
            ex = ["thread apply all bt"] + more
            subprocess.run(["gdb", "-batch", "-p", str(pid)] + [a for c in ex for a in ("-ex", c)],
                           stdout=sys.stderr, stderr=subprocess.STDOUT, timeout=60)
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        while pump(0.05):
            pass
        finish(os.waitstatus_to_exitcode(status),
               "pty-drive.py: %s:%d: step `%s` timed out" % (script, lineno, line))
        sys.exit(3)

    with open(script, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            op, _, arg = line.partition(" ")
            text = codecs.decode(arg.encode("latin-1", "backslashreplace"), "unicode_escape")
            data = text.encode("utf-8")
            if op == "expect":
                if not until(lambda: buf.find(data, seen) >= 0, step_timeout):
                    give_up(lineno, line)
                seen = buf.find(data, seen) + len(data)
            elif op == "answer":
                dsr = b"\x1b[6n"
                if not until(lambda: buf.find(dsr, seen) >= 0, step_timeout):
                    give_up(lineno, line)
                seen = buf.find(dsr, seen) + len(dsr)
                r, c = (int(v) for v in arg.split())
                os.write(fd, b"\x1b[%d;%dR" % (r, c))
            elif op == "raw":
                if not until(lambda: not icanon(), step_timeout):
                    give_up(lineno, line)
            elif op == "cooked":
                if not until(icanon, step_timeout):
                    give_up(lineno, line)
            elif op == "unprocessed":
                if not until(lambda: lflag(termios.ISIG, False), step_timeout):
                    give_up(lineno, line)
            elif op == "processed":
                if not until(lambda: lflag(termios.ISIG, True), step_timeout):
                    give_up(lineno, line)
            elif op == "send":
                os.write(fd, data)
            elif op == "resize":
                c, r = (int(v) for v in arg.split())
                fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", r, c, 0, 0))
            else:
                sys.exit("pty-drive.py: %s:%d: unknown step: %s" % (script, lineno, line))
    end = time.time() + 30
    killed = False
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.time() > end:
            sys.stderr.write("pty-drive.py: the program (pid %d) did not end within 30 s after "
                             "the script's last step; the terminal's modes: %s; killing it\n"
                             % (pid, modes()))
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
            killed = True
            break
        pump(0.1)
    end = time.time() + 5  # what is left to read (a grandchild may keep the terminal open)
    while time.time() < end and pump(0.05):
        pass
    finish(os.waitstatus_to_exitcode(status),
           "pty-drive.py: killed after the script's end" if killed else None)
    sys.exit(4 if killed else 0)


if __name__ == "__main__":
    main()
