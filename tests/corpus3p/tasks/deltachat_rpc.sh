# Delta Chat's JSON-RPC server 2.57.0 (@deltachat/stdio-rpc-server-win32-x64: Rust, tokio,
# SQLCipher): nine requests on standard input, each sent once the answer to the one before is
# on stdout (the server answers concurrently and drops requests still running when its input
# closes): add an account (a SQLCipher database under DC_ACCOUNTS_PATH; SQLCipher raises the
# working-set limits and VirtualLocks its key memory), list accounts, set and read a config
# value, is_configured, two address checks, remove the account, list again; then exit 0 when
# standard input ends.
case $os in
win) export DC_ACCOUNTS_PATH="$wcwd\\accounts" ;;
*) export DC_ACCOUNTS_PATH="$cwd/accounts" ;;
esac
mkfifo "$tmp/requests"
(
    exec 7> "$tmp/requests"
    n=0
    for req in '"add_account"' '"get_all_account_ids"' \
               '"set_config","params":[1,"displayname","Alice"]' \
               '"get_config","params":[1,"displayname"]' '"is_configured","params":[1]' \
               '"check_email_validity","params":["alice@example.org"]' \
               '"check_email_validity","params":["not an address"]' \
               '"remove_account","params":[1]' '"get_all_account_ids"'; do
        n=$((n + 1))
        printf '{"jsonrpc":"2.0","method":%s,"id":%d}\n' "$req" $n >&7
        i=0
        while ! grep -q "\"id\":$n," "$out" && [ $i -lt 1200 ]; do
            sleep 0.1
            i=$((i + 1))
        done
    done
) &
writer=$!
stdin_file=$tmp/requests
run deltachat
kill $writer 2>/dev/null # the server ended early: no more requests to wait for
wait
expect_stdout '{"jsonrpc":"2.0","id":1,"result":1}
{"jsonrpc":"2.0","id":2,"result":[1]}
{"jsonrpc":"2.0","id":3,"result":null}
{"jsonrpc":"2.0","id":4,"result":"Alice"}
{"jsonrpc":"2.0","id":5,"result":false}
{"jsonrpc":"2.0","id":6,"result":true}
{"jsonrpc":"2.0","id":7,"result":false}
{"jsonrpc":"2.0","id":8,"result":null}
{"jsonrpc":"2.0","id":9,"result":[]}\n'
expect_exit 0
