# whoami prints GetUserNameExW(NameSamCompatible): COMPUTER\user.
name=$(hostname | cut -d. -f1 | tr '[:lower:]' '[:upper:]' | cut -c1-15)
run whoami
expect_stdout "$name\\\\$(id -un)\\r\\n"
expect_exit 0
