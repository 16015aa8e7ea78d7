# hostname prints the computer name: Wine's hostname.exe asks GetComputerNameW, which gives the
# host name up to its first dot, upper-cased and cut to 15 characters (a NetBIOS name).
name=$(hostname | cut -d. -f1 | tr '[:lower:]' '[:upper:]' | cut -c1-15)
run hostname
expect_stdout "$name\\r\\n"
expect_exit 0
