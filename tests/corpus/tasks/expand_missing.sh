# expand of a missing file fails (the message goes to stderr), exit 1.
run expand nofile.cab out.txt
expect_stdout ''
expect_exit 1
