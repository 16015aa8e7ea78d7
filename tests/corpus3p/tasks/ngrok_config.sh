# ngrok 2.3.41 (@expo/ngrok-bin-win32-x64: Go 1.16.2, the agent Expo ships), offline: its
# version, `authtoken` saved into an existing configuration file (ngrok rewrites the file: a
# boolean comes back quoted and a tunnel keeps only its address, as the Linux build does too),
# and `start --none` refusing configuration files before any connection: a region it does not
# know (two errors, exit 1) and a negative inspection database size. At start-up its Go run-time
# asks os/user.Current (netapi32 NetGetJoinInformation and NetUserGetInfo) and takes the address
# of advapi32!RegisterServiceCtrlHandlerExW (golang.org/x/sys/windows/svc).
run ngrok version
expect_stdout 'ngrok version 2.3.41\n'
expect_exit 0
put ng.yml 'region: eu\nconsole_ui: false\ntunnels:\n  web:\n    proto: http\n    addr: 8080\n'
run ngrok authtoken 1abcDEFghiJKLmno_2pqrSTUvwxYZ --config=ng.yml
expect_stdout 'Authtoken saved to configuration file: ng.yml\n'
expect_exit 0
expect_file ng.yml 'authtoken: 1abcDEFghiJKLmno_2pqrSTUvwxYZ\nregion: eu\nconsole_ui: "false"\ntunnels:\n  web:\n    tunnel:\n      addr: "8080"\n'
put bad.yml 'region: xx\n'
run ngrok start --none --config=bad.yml
expect_stdout "\nERROR:  2 configuration errors occurred:\nERROR:  \t* Invalid configuration property value for 'region', 'xx': Invalid region, must be one of ('us', 'eu', 'ap', 'au')\nERROR:  \t* Invalid configuration property value for 'server_addr', '': invalid address '': missing port in address\n"
expect_exit 1
put bad4.yml 'region: eu\ninspect_db_size: -5\n'
run ngrok start --none --config=bad4.yml
expect_stdout "\nERROR:  Invalid configuration property value for 'inspect_db_size', '-5': inspect db size must be a positive integer, 0 for default, or -1 to disable\n"
expect_exit 1
