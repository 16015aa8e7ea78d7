-- 50 MB written line by line, then read back line by line (issue 12's Lua case)
local name, total = arg[1], tonumber(arg[2])
local f = assert(io.open(name, "w"))
local n, written = 0, 0
while written < total do
  local line = n .. " the quick brown fox jumps over the lazy dog"
  f:write(line, "\n")
  written = written + #line + 1
  n = n + 1
end
f:close()
local lines, bytes = 0, 0
for l in io.lines(name) do lines = lines + 1; bytes = bytes + #l + 1 end
os.remove(name)
print(lines, bytes)
assert(lines == n and bytes == written)
