# tsgo 7.0.0-dev.20260707.2 (see tsgo_version): builds a two-module project from its
# tsconfig.json (reads the config and the lib.*.d.ts files beside tsgo.exe, walks src/, writes
# out/*.js and the declarations out/*.d.ts); then a type error is reported with its position
# and the outputs are still written (exit 2: diagnostics, outputs generated).
put tsconfig.json '{\n  "compilerOptions": {\n    "target": "es2020",\n    "module": "commonjs",\n    "outDir": "out",\n    "rootDir": "src",\n    "declaration": true,\n    "strict": true,\n    "types": []\n  },\n  "include": ["src"]\n}\n'
put src/math.ts 'export function add(a: number, b: number): number {\n  return a + b;\n}\nexport const enum Mode { Fast = 1, Slow = 2 }\n'
put src/main.ts 'import { add, Mode } from "./math";\nconst total: number = add(2, 3);\nclass Box<T> {\n  constructor(private readonly value: T) {}\n  get(): T { return this.value; }\n}\nconsole.log(`total ${total}`, new Box(Mode.Slow).get());\n'
run tsgo -p .
expect_stdout ''
expect_exit 0
expect_file out/math.js '"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\nexports.add = add;\nfunction add(a, b) {\n    return a + b;\n}\n'
put src/main.ts 'import { add } from "./math";\nconst total: string = add(2, 3);\nconsole.log(total.toUpperCase(1));\n'
run tsgo -p . --pretty false
expect_stdout "src/main.ts(2,7): error TS2322: Type 'number' is not assignable to type 'string'.\nsrc/main.ts(3,31): error TS2554: Expected 0 arguments, but got 1.\n"
expect_exit 2
expect_file out/main.js '"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\nconst math_1 = require("./math");\nconst total = (0, math_1.add)(2, 3);\nconsole.log(total.toUpperCase(1));\n'
