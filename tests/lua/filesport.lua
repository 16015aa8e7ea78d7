-- The parts of Lua's own files.lua that apply in its portable mode (_port=true), in our own
-- words since that test suite is not to be had here (docs/testing.md): two handles on one file
-- and the three buffering modes, os.tmpname names that are free (os.rename onto one works, as
-- msvcrt's tmpnam creates nothing), numbers read back, files longer than BUFSIZ read in pieces
-- and as one huge line, io.lines with formats and as load's reader, binary bytes (NUL, 0xFF)
-- through "wb"/"rb", reads at the end of a file, f:lines() of a write-only file raising, files
-- closed by the collector, and os.date/os.time round trips.
local file, other = os.tmpname(), os.tmpname()
print("tmpname gives two names:", file ~= other)

-- buffering: what a second handle sees of the first one's writes
do
  local f = assert(io.open(file, "w"))
  local fr = assert(io.open(file, "r"))
  print("setvbuf full:", f:setvbuf("full", 2000))
  f:write("x")
  print("full buffer, nothing yet:", fr:read("a") == "")
  f:close()
  fr:seek("set")
  print("after close:", fr:read("a"))
  f = assert(io.open(file, "w"))
  print("setvbuf no:", f:setvbuf("no"))
  f:write("y")
  fr:seek("set")
  print("no buffer, at once:", fr:read("a"))
  f:close()
  f = assert(io.open(file, "a"))
  print("setvbuf line:", f:setvbuf("line"))
  f:write("z")
  fr:seek("set", 1)
  print("line buffer, no line yet:", fr:read("a") == "")
  f:write("a\n"):seek("set", 1)
  fr:seek("set", 1)
  print("after a seek:", fr:read("a") == "za\n")
  f:close()
  fr:close()
  print("remove:", os.remove(file))
end

-- rename onto a fresh tmpname, and not from a name that is gone
do
  local f = assert(io.open(file, "w"))
  f:write("moved")
  f:close()
  print("rename onto a fresh tmpname:", os.rename(file, other))
  print("rename again fails:", (os.rename(file, other)))
  f = assert(io.open(other))
  print("read the moved file:", f:read("a"))
  f:close()
  print("remove:", os.remove(other))
end

-- numbers written and read back, and where reading a number stops
do
  local big = math.maxinteger
  local f = assert(io.open(file, "w"))
  f:write(big, "\n", string.format("0X%x\n", big), "0xABCp-3\n", 0, "\n", -big, "\n")
  f:write("-12.3-\t-0xffff+  .3|5.E-3X  +234e+13E\n")
  f:write("1234", string.rep("0", 300), "\n", ".e+\t0.e;\t--;\n")
  f:close()
  f = assert(io.open(file, "r"))
  print("numbers:", f:read("n") == big, f:read("n") == big, f:read("n") == 0xABCp-3,
        f:read("n"), f:read("*n") == -big)
  print("stops:", f:read("n"), f:read(1), f:read("n"), f:read(2), f:read("n"), f:read(1),
        f:read("n"), f:read(1), f:read("n"), f:read(1))
  f:read("l")
  print("too long a number:", f:read("n"), #f:read("l"))
  print("invalid ones:", f:read("n"), f:read(2), f:read("n"), f:read(1), f:read("n"), f:read(2))
  f:read("a")
  print("at the end:", f:read("n"), f:read(0), f:read(1), f:read("l"), f:read("a") == "")
  f:close()
  os.remove(file)
end

-- a file longer than BUFSIZ, in pieces and as one line
do
  local f = assert(io.open(file, "w"))
  for _ = 1, 5001 do f:write("0123456789123") end
  f:write("\n12346")
  f:close()
  f = assert(io.open(file, "r"))
  local x = f:read("a")
  f:seek("set", 0)
  local y = f:read(30001) .. f:read(1005) .. f:read(0) .. f:read(1) .. f:read(100003)
  print("large file:", #x, x == y)
  f:seek("set", 0)
  local line = f:read()
  print("huge line:", #line, x == line .. "\n" .. f:read(), f:read())
  f:close()
  os.remove(file)
end

-- io.lines with formats, as a loop and as load's reader
do
  io.output(file):write("\n\nline\nother"):close()
  local s = ""
  for l in io.lines(file, "L") do s = s .. l end
  print("lines L:", s == "\n\nline\nother")
  s = ""
  for l in io.lines(file, "l") do s = s .. l end
  print("lines l:", s)
  io.output(file):write("0123456789\n"):close()
  for a, b, c in io.lines(file, 1, 2, "a") do print("lines 1, 2, a:", a, b, c == "3456789\n") end
  io.output(file):write("00\n10\n20\n30\n40\n"):close()
  local sum = 0
  for a, b in io.lines(file, "n", "n") do sum = sum + a + (b or 0) end
  print("lines n, n:", sum)
  io.output(file):write("local y\n= X\nX =\nX *\n2 +\nX;\n"):close()
  _G.X = 1
  load((io.lines(file, "L")))()
  load((io.lines(file, 1)))()
  print("load from lines:", _G.X)
  local n, it = 0, io.lines(file)
  while it() do n = n + 1 end
  print("lines counted:", n, pcall(it))
  io.output(io.stdout)
  os.remove(file)
end

-- bytes that text mode could change, through the binary modes
do
  local f = assert(io.open(file, "wb"))
  f:write("outra coisa\0\1\3\0\0\0\0\255\0", "\26after a ^Z\r\n")
  f:close()
  f = assert(io.open(file, "rb"))
  print("binary:", f:read(11), f:read(4) == "\0\1\3\0", f:read(3) == "\0\0\0", f:read(0),
        f:read(1) == "\255", f:read("a") == "\0\26after a ^Z\r\n", f:read(0))
  f:close()
  f = assert(io.open(file, "wb"))
  f:write(string.dump(function () return 10, "\0alo\255", "hi" end))
  f:close()
  local a, b, c = assert(loadfile(file))()
  print("a dumped chunk:", a, b == "\0alo\255", c)
  io.open(file, "w"):write("\xEF\xBB\xBFreturn 239"):close()
  print("a chunk after a BOM:", loadfile(file)())
  os.remove(file)
end

-- errors of files open the wrong way, and of closed ones
do
  local f = assert(io.open(file, "w"))
  local ok, msg = pcall(f:lines())
  print("lines of a write-only file:", ok, type(msg) == "string" and tonumber(msg) == nil)
  f:close()
  print("closed:", tostring(f), io.type(f), pcall(f.read, f))
  io.output(file)
  io.write("alo")
  io.close()
  print("write after io.close:", pcall(io.write, "x"))
  io.output(io.stdout)
  os.remove(file)
end

-- many files left to the collector
do
  io.open(file, "w"):close()
  for _ = 1, 60 do
    for _ = 1, 5 do
      io.input(file)
      assert(io.open(file, "r"))
      io.lines(file)
    end
    collectgarbage()
  end
  io.input():close()
  io.input(io.stdin)
  print("files closed by the collector:", os.remove(file))
end

-- os.date and os.time
do
  print("empty formats:", os.date("") == "", os.date("!") == "")
  local long = string.rep("a", 10000)
  print("a long format:", os.date(long) == long)
  local t = os.time()
  print("a repeated %d:", os.date(string.rep("%d", 1000), t) == string.rep(os.date("%d", t), 1000))
  print("%%:", os.date(string.rep("%", 200)) == string.rep("%", 100))
  for _, bad in ipairs{"%9", "%", "%O", "%E", "%Ea", "%Ez"} do
    print("invalid " .. bad .. ":", (pcall(os.date, bad)))
  end
  local D = os.date("*t", t)
  print("round trip:", os.time(D) == t, type(D.isdst))
  D.isdst = nil
  print("isdst absent:", os.time(D) == t)
  local U = os.date("!*t", t)
  print("utc fields:", os.date("!%Y %m %d %H %M %S %w %j", t) ==
        string.format("%04d %02d %02d %02d %02d %02d %d %03d", U.year, U.month, U.day, U.hour,
                      U.min, U.sec, U.wday - 1, U.yday))
  local t1 = os.time{year = 2000, month = 10, day = 1, hour = 23, min = 12}
  local t2 = os.time{year = 2000, month = 10, day = 1, hour = 23, min = 10, sec = 19}
  print("difftime:", os.difftime(t1, t2))
  print("no day:", pcall(os.time, {hour = 12}))
end
