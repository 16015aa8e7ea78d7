/* ghost2.dll: a second DLL next to ghost.dll in "elsewhere" (a program that misses both). */
__declspec(dllexport) int GhostNumber(void) { return 2; }
