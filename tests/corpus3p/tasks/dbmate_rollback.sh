# dbmate 2.24.0 (see dbmate_migrate): apply two migrations, roll the last one back (its down
# section drops the table), then `status --exit-code` lists it as pending and exits 1; applying
# again runs only that one.
# (a migration starts with \055, a "-" that printf does not take for an option)
put db/migrations/20200101000000_create_users.sql '\055- migrate:up\ncreate table users (id integer primary key, name text not null);\n\n-- migrate:down\ndrop table users;\n'
put db/migrations/20200102000000_create_posts.sql '\055- migrate:up\ncreate table posts (id integer primary key, user_id integer references users(id));\n\n-- migrate:down\ndrop table posts;\n'
run dbmate --url sqlite:app.db --no-dump-schema up
expect_exit 0
run dbmate --url sqlite:app.db --no-dump-schema rollback
expect_stdout_head 1 'Rolling back: 20200102000000_create_posts.sql\n'
expect_exit 0
run dbmate --url sqlite:app.db status --exit-code
expect_stdout '[X] 20200101000000_create_users.sql\n[ ] 20200102000000_create_posts.sql\n\nApplied: 1\nPending: 1\n'
expect_exit 1
run dbmate --url sqlite:app.db --no-dump-schema migrate
expect_stdout_head 1 'Applying: 20200102000000_create_posts.sql\n'
expect_exit 0
