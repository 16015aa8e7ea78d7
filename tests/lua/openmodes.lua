-- io.open's modes and the errors of files: a missing file, a bad mode, a read from a file
-- just opened for writing only (files.lua's check, which Wine 8.0 fails) and a write to one
-- opened for reading only (they fail: nil, a message, a number), append, update modes,
-- os.remove and os.rename of missing files.
local name = "ntrun_lua_modes.txt"
os.remove(name)

local ok, msg, code = io.open(name, "r")
print("open a missing file:", ok, msg, code)
print("a bad mode:", pcall(io.open, name, "rw"))
print("another bad mode:", pcall(io.open, name, "r+b+"))

local w = assert(io.open(name, "w"))
local r1, m1, c1 = w:read("l")
print("read from write-only:", r1, type(m1), math.type(c1))
print("write:", w:write("hello\n") == w)
print("close:", w:close())

local a = assert(io.open(name, "a"))
a:write("more\n")
a:close()
local r = assert(io.open(name, "r"))
print("read all:", r:read("a"))
local w1, m2, c2 = r:write("x")
print("write to read-only:", w1, type(m2), math.type(c2))
r:close()

local u = assert(io.open(name, "r+"))
print("r+ read:", u:read("l"))
print("r+ seek:", u:seek("set", 0))
u:write("HELLO")
u:close()
u = assert(io.open(name, "w+"))
print("w+ emptied:", u:read("a") == "")
u:write("new text")
u:seek("set", 4)
print("w+ read:", u:read("a"))
u:close()
u = assert(io.open(name, "a+"))
u:write("!")
u:seek("set", 0)
print("a+ read:", u:read("a"))
u:close()

print("lines of a missing file:", pcall(io.lines, "no_such_file.txt"))
print("remove:", os.remove(name))
ok, msg, code = os.remove(name)
print("remove a missing file:", ok, msg, code)
ok, msg, code = os.rename("no_such_file.txt", "other.txt")
print("rename a missing file:", ok, msg, code)
