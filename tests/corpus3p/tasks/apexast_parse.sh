# Apex AST Serializer 2.3.0 (@prettier-apex/apex-ast-serializer-win32-x64, prettier-plugin-apex's
# parser: Salesforce's Apex compiler front end, Java, compiled by Oracle GraalVM 23.0.2 Native
# Image): the syntax tree of a class read from a file (-l), of anonymous Apex read from standard
# input (-a) and of a class with a syntax error (its parseErrors; exit 0), each as one line of
# JSON (compared by digest: 2.6, 2.4 and 1.5 KB). Standard input is a file here; from a pipe,
# Java's System.in.available() asks kernel32!GetNumberOfConsoleInputEvents first and, as it
# fails for a pipe, PeekNamedPipe (pe.console_input_events).
differs wine 'Wine 8.0 has no ntdll!RtlAddressInSectionTable: exit 127, nothing printed'
put B.cls 'class A {\n  void f() { System.debug(1 + 2); }\n}\n'
run apexast -l B.cls
expect_stdout_sha256 ad5011c46fd14f83033e5548c8fc9ef96bc9f53dd87d0c0cf526d9aa4df906d9
expect_exit 0
stdin 'Integer i = 40 + 2;\nSystem.debug(i);\n'
run apexast -a
expect_stdout_sha256 233697929f2b18f34f8deba3aabf18784ed2dab71d3a6f3b75cd715375177e1e
expect_exit 0
stdin 'class A { void f( }\n'
run apexast
expect_stdout_sha256 e225a1b4e0447373bd7024a108561e61bdb6b35e69a75dec6422d133f1e99226
expect_exit 0
