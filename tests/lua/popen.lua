-- io.popen and os.execute: a command's output read through a pipe (a line, then the end),
-- a large output, a command's input written through a pipe, and the statuses close and
-- os.execute return (true/nil, "exit", the exit code). The commands are the same text for
-- sh and cmd.exe; the interpreter runs itself as a child (arg[-1], a path without spaces).
local lua = arg[-1]

local f = assert(io.popen("echo hello"))
print("read a line:", f:read("l"))
print("then the end:", f:read("l"))
print("close:", f:close())

f = assert(io.popen(lua .. ' -e "for i = 1, 20000 do print(i) end"'))
local n, sum = 0, 0
for l in f:lines() do
  n, sum = n + 1, sum + tonumber(l)
end
print("large output:", n, sum)
print("close:", f:close())

print("close of a failing command:", io.popen("exit 3"):close())

io.stdout:flush()
local w = assert(io.popen(lua .. ' -e "io.write((io.read([[a]]):upper()))"', "w"))
w:write("written ", "through ")
w:write("a pipe\n")
print("write close:", w:close())
io.stdout:flush()

w = assert(io.popen(lua .. ' -e "os.exit(#io.read([[a]]))"', "w"))
w:write(string.rep("x", 42))
print("the child read:", w:close())

print("execute exit 0:", os.execute("exit 0"))
print("execute exit 7:", os.execute("exit 7"))
print("a shell exists:", os.execute())
print("read mode only r or w:", pcall(io.popen, "echo x", "rw"))
