# glua (GopherLua, Lua 5.1 in Go): a word count sorted by count then word, string.format,
# string patterns, coroutines, pcall with an error object, closures, deep recursion that ends in
# "stack overflow" (exit 1, traceback on stderr).
cat > words.lua <<'EOF'
local t = {}
for w in string.gmatch("the quick brown fox jumps over the lazy dog the end fox", "%a+") do
  t[w] = (t[w] or 0) + 1
end
local keys = {}
for k in pairs(t) do keys[#keys + 1] = k end
table.sort(keys, function(a, b) if t[a] ~= t[b] then return t[a] > t[b] end return a < b end)
for i, k in ipairs(keys) do print(i, k, t[k]) end
print(string.format("%5.2f|%-6s|%x|%q|%g", math.pi, "ab", 255, "a\nb", 1e20))
print(("hello world"):gsub("o", "0"), ("key=val"):match("(%w+)=(%w+)"))
local co = coroutine.wrap(function(a)
  local b = coroutine.yield(a + 1)
  print("co got", b)
  return "done"
end)
print(co(1)) print(co("x"))
local ok, e = pcall(error, {code = 7})
print(ok, type(e), e.code)
local function counter() local n = 0 return function() n = n + 1 return n end end
local c = counter() c() c()
print(c(), select("#", 1, nil, 3), math.floor(10 / 3), 7 % -3, 2 ^ 10, #arg, arg[1])
EOF
printf 'local function f(n) if n == 0 then return 0 end return 1 + f(n - 1) end\nprint(f(100))\nprint(f(1000000))\n' > deep.lua
run glua words.lua first
expect_exit 0
run glua deep.lua
expect_exit 1
