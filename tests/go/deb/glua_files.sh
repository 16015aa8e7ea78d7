# glua: files through Lua's io and os libraries — write, append, read by lines and by count,
# seek, rename, remove, a missing file (nil, not an error), os.exit(3); and local time with TZ
# set (ntrun gives the Windows build the zone TZ names): os.time of a date table and os.date,
# in New York (daylight saving time) and in Kolkata (a half-hour offset).
cat > files.lua <<'EOF'
local f = assert(io.open("log.txt", "w"))
f:write("alpha\n", 42, "\n", 3.5, "\n")
f:close()
f = assert(io.open("log.txt", "a")) f:write("omega\n") f:close()
for l in io.lines("log.txt") do print("line", l) end
f = assert(io.open("log.txt", "rb"))
print(f:read(5), f:seek("cur"), f:seek("end"), f:seek("set", 6), f:read("*n"), f:read("*l"), f:read("*a"))
f:close()
print(os.rename("log.txt", "kept.txt"))
local h = io.open("kept.txt")
print(io.open("log.txt") == nil, h ~= nil)
h:close() -- open, it could not be removed on Windows (Go shares no FILE_SHARE_DELETE)
print(os.remove("kept.txt"))
print(io.open("kept.txt") == nil)
local g = assert(io.open("out.txt", "w")) g:write("left behind\n") g:close()
os.exit(3)
EOF
cat > tz.lua <<'EOF'
print(os.getenv("TZ"), os.time({year = 2020, month = 1, day = 1, hour = 12}),
      os.time({year = 2020, month = 7, day = 1, hour = 12}))
print(os.date("%Y-%m-%d %H:%M", 1593600000), os.date("!%Y-%m-%d %H:%M", 1593600000))
local d = os.date("*t", 1577880000)
print(d.year, d.month, d.day, d.hour, d.min)
EOF
run glua files.lua
expect_exit 3
tz_was_set=${TZ+set} tz_saved=${TZ-}
export TZ=America/New_York
run glua tz.lua
expect_exit 0
export TZ=Asia/Kolkata
run glua tz.lua
expect_exit 0
if [ -n "$tz_was_set" ]; then export TZ="$tz_saved"; else unset TZ; fi
