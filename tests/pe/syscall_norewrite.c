/* syscall_norewrite: syscall_rewrite.c under ntrun --no-rewrite (syscall_norewrite.ntrun): the
 * same calls and results, and every site keeps the bytes it was assembled with. */
#define SYSCALL_REWRITE_EXPECT_OFF 1
#include "syscall_rewrite.c"
