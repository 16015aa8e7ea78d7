/* The pieces of MSVC's static C++ runtime a test program links against: operator new/delete
 * over the UCRT heap and type_info's vftable symbol, which vcruntime140.dll exports as data but
 * MSVC-compiled objects reference directly (the static vcruntime.lib supplies it). Here it is
 * the address of the DLL's data export, read through the import table at start. */
extern "C" __declspec(dllimport) void *__cdecl malloc(unsigned long long);
extern "C" __declspec(dllimport) void __cdecl free(void *);

void *operator new(unsigned long long n) { return malloc(n ? n : 1); }
void *operator new[](unsigned long long n) { return malloc(n ? n : 1); }
void operator delete(void *p) noexcept { free(p); }
void operator delete[](void *p) noexcept { free(p); }
void operator delete(void *p, unsigned long long) noexcept { free(p); }
void operator delete[](void *p, unsigned long long) noexcept { free(p); }

/* type_info's vftable: RTTI type descriptors point at it; the frame handlers match types by
 * descriptor name, never through the table, so one empty slot (the deleting destructor, which
 * test programs do not call) serves. */
extern "C" const void *const ntrun_type_info_vftable[1] __asm__("??_7type_info@@6B@") = {0};
