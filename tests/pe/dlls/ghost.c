/* ghost.dll: built into a subdirectory ("elsewhere") of the test programs' directory, where
 * the DLL search finds it only through NTRUN_DLL_PATH or --dll-path (tests/cli/dll-search.sh). */
__declspec(dllexport) const char *GhostGreeting(void) { return "ghost.dll says hello"; }
