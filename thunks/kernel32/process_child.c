/* Child processes: the registry of children this process started (CreateProcess). */
#include <signal.h>
#include "thunks/kernel32/kernel32_private.h"

bool k32_proc_signal_children(int sig, uint32_t group)
{
    (void)sig;
    return group == 0;
}
