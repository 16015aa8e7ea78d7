/* libntrun test program: imports a function from a DLL that does not exist (nosuch.dll, import
 * library made from missing_dll.def): the load must fail naming it. */
__declspec(dllimport) int nosuch_function(void);

int main(void) { return nosuch_function(); }
