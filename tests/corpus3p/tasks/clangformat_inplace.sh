# clang-format 22.1.8 on files: a .clang-format two folders up (found by walking up from the
# file), --dry-run -Werror on an unformatted file (exit 1, the violations on stderr), -i in place
# (LLVM writes a temporary file beside it and renames it over the original, after asking
# GetVolumePathNameW and GetDriveTypeW whether the disk is local), then a clean --dry-run
# (exit 0) and --output-replacements-xml of the formatted file (no replacements).
put .clang-format 'BasedOnStyle: Mozilla\nIndentWidth: 8\nColumnLimit: 60\n'
put src/lib/s.cc '#include <b.h>\n#include <a.h>\nstruct S{int a;void f(){a++;}};\nint g(S *s){return s->a;}\n'
run clangformat --dry-run -Werror src/lib/s.cc
expect_stdout ''
expect_exit 1
run clangformat -i src/lib/s.cc
expect_stdout ''
expect_exit 0
expect_file src/lib/s.cc '#include <a.h>\n#include <b.h>\nstruct S\n{\n        int a;\n        void f() { a++; }\n};\nint\ng(S* s)\n{\n        return s->a;\n}\n'
run clangformat --dry-run -Werror src/lib/s.cc
expect_stdout ''
expect_exit 0
run clangformat --output-replacements-xml src/lib/s.cc
expect_stdout "<?xml version='1.0'?>\n<replacements xml:space='preserve' incomplete_format='false'>\n</replacements>\n"
expect_exit 0
