/* libntrun test program: sleeps 300 ms (the host works meanwhile), then returns 5. */
#include <windows.h>

int main(void)
{
    Sleep(300);
    return 5;
}
