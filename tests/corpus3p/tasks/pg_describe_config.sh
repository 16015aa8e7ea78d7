# PostgreSQL 18.4 (see pg_version): postgres --describe-config, every server setting with its
# context, group, type, default, bounds and descriptions (347 lines, tab-separated; compared by
# SHA-256). The Linux build prints the same lines but for its platform's defaults of seven
# settings (dynamic_shared_memory_type posix against windows, file_extend_method,
# io_combine_limit and io_max_combine_limit's maximum, shared_memory_type, syslog_facility,
# unix_socket_directories, wal_sync_method) and LF line ends.
differs native 'seven platform defaults and LF line ends (above)'
program hermesc
export NTRUN_DLL_PATH="${exe%/*}"
run postgres --describe-config
expect_stdout_sha256 fc50fc733f3f8c5a5abeb15ff8bd7d7cdbda4b08c85aeadc7182a892acd057ab
expect_exit 0
