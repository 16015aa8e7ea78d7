# Node.js 26.10.0: the os module's view of the machine and the process. os.cpus() (libuv's
# uv_cpu_info: NtQuerySystemInformation(SystemProcessorPerformanceInformation) and the registry's
# HKLM\HARDWARE\DESCRIPTION\System\CentralProcessor\N ~MHz and ProcessorNameString under
# Windows, /proc/stat and /proc/cpuinfo under Linux) against the task's own count of online
# processors and /proc/cpuinfo's model name; os.getPriority/setPriority (GetPriorityClass/
# SetPriorityClass: libuv maps nice 10 to BELOW_NORMAL and 19 to IDLE and back), lowered only:
# raising a priority needs a privilege.
differs wine "Wine 8.0's prefix says Windows 7, which Node.js refuses before running a script"
put os.js 'const os = require("os");
const [n, model] = process.argv.slice(2);
const c = os.cpus();
console.log("cpus:", c.length === Number(n), c.every((x) => x.model === model), c.every((x) => Number.isInteger(x.speed) && x.speed >= 0));
console.log("times:", c.every((x) => Object.values(x.times).every((t) => Number.isInteger(t) && t >= 0)), c.some((x) => x.times.user + x.times.sys + x.times.idle > 0));
console.log("priority:", os.getPriority(), os.getPriority(process.pid));
os.setPriority(10);
console.log("below normal:", os.getPriority());
os.setPriority(19);
console.log("idle:", os.getPriority());
'
run node os.js "$(getconf _NPROCESSORS_ONLN)" "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
expect_stdout 'cpus: true true true
times: true true
priority: 0 0
below normal: 10
idle: 19
'
expect_exit 0
