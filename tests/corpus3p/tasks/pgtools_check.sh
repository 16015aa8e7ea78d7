# Postgres Language Server 0.25.7 (@postgrestools/cli-x86_64-windows-msvc: Supabase's SQL
# linter and formatter, Rust with async-std, whose async-io reactor polls through the socket
# driver's \Device\Afd helper, MSVC): --version, init (the configuration file it writes, by
# digest), then with a configuration of its linter alone: a migration's safety warnings as
# GitHub annotations (exit 0), a syntax error (exit 1), and format --write in place. Under ntrun
# every run used to panic in each of its runtime threads ("failed to initialize \Device\Afd").
run pgtools --version
expect_stdout 'Version: 0.25.7\n\n'
expect_exit 0
put m.sql 'alter table users drop column email;\nselect 1;\ncreate table t (id serial primary key, name varchar(10));\n'
put bad.sql 'select * fro t;\n'
run pgtools init
expect_exit 0
expect_sha256 postgres-language-server.jsonc 90e96cc96eab74de965cde239d3c6b1ff6abdd103d309d2831c232f3d2c631a6
put postgres-language-server.jsonc '{\n  "linter": {"enabled": true, "rules": {"recommended": true}},\n  "format": {"enabled": true}\n}\n'
run pgtools check --reporter=github m.sql
expect_stdout '::warning title=lint/safety/banDropColumn,file=m.sql,line=1,endLine=1,col=1,endColumn=37::Dropping a column may break existing clients.\n::warning title=lint/safety/lockTimeoutWarning,file=m.sql,line=1,endLine=1,col=1,endColumn=37::Statement takes ACCESS EXCLUSIVE lock on public.users without lock timeout set.\n::warning title=lint/safety/runningStatementWhileHoldingAccessExclusive,file=m.sql,line=2,endLine=2,col=1,endColumn=10::Running statement while holding ACCESS EXCLUSIVE lock.\n::warning title=lint/safety/runningStatementWhileHoldingAccessExclusive,file=m.sql,line=3,endLine=3,col=1,endColumn=58::Running statement while holding ACCESS EXCLUSIVE lock.\n'
expect_exit 0
run pgtools check --reporter=github bad.sql
expect_stdout '::error title=syntax,file=bad.sql,line=1,endLine=1,col=1,endColumn=16::Invalid statement: syntax error at or near "fro"\n'
expect_exit 1
run pgtools format --write m.sql
expect_exit 0
expect_file m.sql 'alter table users\n  drop column email;\nselect 1;\ncreate table t (\n  id serial primary key,\n  name varchar(10)\n);\n'
