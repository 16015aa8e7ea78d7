# dbmate 2.24.0 (@dbmate/win32-x64: Go with cgo, SQLite compiled in by mingw-w64 against the
# UCRT): create a SQLite database and apply two migrations from db/migrations (the lines after
# the first two carry timings), then list them as applied. Go's os.Hostname at start-up calls
# GetComputerNameExW.
# (a migration starts with \055, a "-" that printf does not take for an option)
put db/migrations/20200101000000_create_users.sql '\055- migrate:up\ncreate table users (id integer primary key, name text not null);\ninsert into users (name) values (\047ada\047);\n\n-- migrate:down\ndrop table users;\n'
put db/migrations/20200102000000_create_posts.sql '\055- migrate:up\ncreate table posts (id integer primary key, user_id integer references users(id));\n\n-- migrate:down\ndrop table posts;\n'
run dbmate --url sqlite:app.db --no-dump-schema up
expect_stdout_head 2 'Creating: app.db\nApplying: 20200101000000_create_users.sql\n'
expect_exit 0
run dbmate --url sqlite:app.db status
expect_stdout '[X] 20200101000000_create_users.sql\n[X] 20200102000000_create_posts.sql\n\nApplied: 2\nPending: 0\n'
expect_exit 0
