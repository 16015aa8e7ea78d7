# hostname NAME refuses to set the name (LF line ends: hostname.exe's own text), exit 1.
run hostname newname
expect_stdout 'Error: Setting the system hostname is not possible with the hostname utility.\nUsage: hostname\n'
expect_exit 1
