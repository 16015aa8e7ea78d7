# lefthook 2.2.2 (lefthook-windows-x64, Go 1.27): its version, with the commit (version --full),
# and its command list (help).
run lefthook version
expect_stdout '2.2.2\n'
expect_exit 0
run lefthook version --full
expect_stdout '2.2.2 eb4e504b7c1d1ea6cb1fd29542431cb6d1a93a03\n'
expect_exit 0
run lefthook help
expect_stdout_head 9 'NAME:\n   lefthook - Git hooks manager\n\nUSAGE:\n   lefthook [global options] [command [command options]]\n\nVERSION:\n   2.2.2 eb4e504b7c1d1ea6cb1fd29542431cb6d1a93a03\n\n'
expect_exit 0
