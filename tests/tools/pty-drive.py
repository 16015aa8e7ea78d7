#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal and types into it as a script says.

usage: pty-drive.py [--size COLSxROWS] [--stdout FILE] SCRIPT -- COMMAND...

The command's stdout goes to FILE when given (its stdin and stderr stay on the terminal).
SCRIPT has one step a line ('#' starts a comment); TEXT takes Python escapes (\\r, \\x1b, \\u00e9):
  expect TEXT   wait until TEXT appears on the terminal after what the last expect matched
  raw           wait until the program has turned the terminal's line editing off (ICANON)
  cooked        wait until it has turned it back on
  send TEXT     type TEXT (written in one piece)
  resize C R    give the terminal C columns and R rows (the program gets SIGWINCH)
A step that waits gives up after 30 s and the rest of the script goes on. At the end the
driver waits for the program (30 s, then kills it) and prints everything the terminal showed,
then a line "status N" with the exit status.
"""
import codecs
import fcntl
import os
import pty
import select
import struct
import sys
import termios
import time


def main():
    args = sys.argv[1:]
    cols, rows, out = 80, 24, None
    while args and args[0].startswith("--"):
        if args[0] == "--size":
            cols, rows = (int(v) for v in args[1].split("x"))
        elif args[0] == "--stdout":
            out = args[1]
        else:
            break
        args = args[2:]
    script, cmd = args[0], args[args.index("--") + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        if out:
            o = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(o, 1)
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        os.execv(cmd[0], cmd)
    buf = bytearray()
    seen = 0  # where the next expect starts looking

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

    def until(cond, limit=30):
        end = time.time() + limit
        while not cond() and time.time() < end:
            if not pump(0.05):
                return

    def icanon():
        return bool(termios.tcgetattr(fd)[3] & termios.ICANON)

    with open(script, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            op, _, arg = line.partition(" ")
            text = codecs.decode(arg.encode("latin-1", "backslashreplace"), "unicode_escape")
            data = text.encode("utf-8")
            if op == "expect":
                until(lambda: buf.find(data, seen) >= 0)
                at = buf.find(data, seen)
                if at >= 0:
                    seen = at + len(data)
            elif op == "raw":
                until(lambda: not icanon())
            elif op == "cooked":
                until(icanon)
            elif op == "send":
                os.write(fd, data)
            elif op == "resize":
                c, r = (int(v) for v in arg.split())
                fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", r, c, 0, 0))
            else:
                sys.exit("pty-drive.py: unknown step: " + line)
    end = time.time() + 30
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.time() > end:
            os.kill(pid, 9)
            _, status = os.waitpid(pid, 0)
            break
        pump(0.1)
    while pump(0.05):
        pass
    sys.stdout.buffer.write(bytes(buf))
    sys.stdout.write("\nstatus %d\n" % os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()
