/* What a managed runtime asks at start-up (the .NET NativeAOT runtime of vsce-sign calls each):
 * processor topology (GetLogicalProcessorInformation(Ex) records that cover every processor
 * once, NUMA node 0, one processor group), thread affinity and ideal processors, InitializeContext
 * / LocateXStateFeature / SetXStateFeaturesMask on a plain CONTEXT, QueryUnbiasedInterruptTime,
 * FlushProcessWriteBuffers, memory resource notifications, CoGetApartmentType in and out of COM,
 * and bcrypt's FIPS mode (off). Printed as facts that hold on any Windows machine (no counts
 * that depend on the processor). Wine 8.0 prints the same lines but where it has stubs
 * (GetNumaProcessorNodeEx, GetNumaNodeProcessorMaskEx, GetProcessGroupAffinity,
 * Set/GetThreadIdealProcessorEx: ERROR_CALL_NOT_IMPLEMENTED) and the caches (none in a
 * container without sysfs cache folders; Windows always lists them). */
#define _WIN32_WINNT 0x0A00
#include <windows.h>
#include <objbase.h>
#include <bcrypt.h>
#include <stdio.h>

static int popcount(ULONG_PTR m)
{
    int n = 0;
    for (; m; m &= m - 1)
        n++;
    return n;
}

static DWORD WINAPI other_thread(void *arg)
{
    APTTYPE t = 99;
    APTTYPEQUALIFIER q = 99;
    HRESULT hr = CoGetApartmentType(&t, &q);
    printf("other thread apartment: %08lx type %d qualifier %d\n", hr, (int)t, (int)q);
    return 0;
}

int main(void)
{
    DWORD ncpu = GetActiveProcessorCount(ALL_PROCESSOR_GROUPS);

    /* ---- GetLogicalProcessorInformationEx ---- */
    DWORD len = 0;
    BOOL ok = GetLogicalProcessorInformationEx(RelationAll, NULL, &len);
    printf("Ex size query: %d error %lu len>0 %d\n", ok, GetLastError(), len > 0);
    BYTE *buf = malloc(len);
    ok = GetLogicalProcessorInformationEx(RelationAll, (void *)buf, &len);
    int cores = 0, nodes = 0, groups = 0, packages = 0, caches = 0, covered = 0, group_ok = 0;
    for (DWORD off = 0; ok && off < len;) {
        SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *r = (void *)(buf + off);
        switch (r->Relationship) {
        case RelationProcessorCore:
            cores++;
            covered += popcount(r->Processor.GroupMask[0].Mask);
            break;
        case RelationProcessorPackage: packages++; break;
        case RelationNumaNode: nodes += r->NumaNode.NodeNumber == 0; break;
        case RelationCache: caches += r->Cache.Level >= 1 && r->Cache.LineSize >= 32; break;
        case RelationGroup:
            groups++;
            group_ok = r->Group.ActiveGroupCount == 1 &&
                       r->Group.GroupInfo[0].ActiveProcessorCount == ncpu &&
                       popcount(r->Group.GroupInfo[0].ActiveProcessorMask) == (int)ncpu;
            break;
        default: break;
        }
        if (r->Size == 0)
            break;
        off += r->Size;
    }
    printf("Ex: ok %d cores>0 %d cores cover all processors %d node 0 %d packages>0 %d "
           "caches>0 %d one group %d with all processors %d\n",
           ok, cores > 0, covered == (int)ncpu, nodes == 1, packages > 0, caches > 0,
           groups == 1, group_ok);
    len = 0;
    ok = GetLogicalProcessorInformationEx(RelationGroup, (void *)buf, &len);
    printf("Ex group only, len 0: %d error %lu\n", ok, GetLastError());
    ok = GetLogicalProcessorInformationEx(RelationGroup, (void *)buf, &len);
    printf("Ex group only: %d relationship %d\n", ok,
           (int)((SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *)buf)->Relationship);
    free(buf);

    /* ---- GetLogicalProcessorInformation ---- */
    len = 0;
    ok = GetLogicalProcessorInformation(NULL, &len);
    printf("classic size query: %d error %lu multiple of record %d\n", ok, GetLastError(),
           len % sizeof(SYSTEM_LOGICAL_PROCESSOR_INFORMATION) == 0);
    SYSTEM_LOGICAL_PROCESSOR_INFORMATION *info = malloc(len);
    ok = GetLogicalProcessorInformation(info, &len);
    covered = 0;
    for (DWORD i = 0; ok && i < len / sizeof *info; i++)
        if (info[i].Relationship == RelationProcessorCore)
            covered += popcount(info[i].ProcessorMask);
    printf("classic: ok %d cores cover all processors %d\n", ok, covered == (int)ncpu);
    free(info);

    /* ---- NUMA and groups ---- */
    ULONG highest = 99;
    ok = GetNumaHighestNodeNumber(&highest);
    printf("highest node: %d %lu\n", ok, highest);
    PROCESSOR_NUMBER pn = {0, 0, 0};
    USHORT node = 99;
    ok = GetNumaProcessorNodeEx(&pn, &node);
    printf("node of processor 0: %d %u\n", ok, node);
    pn.Number = 255;
    SetLastError(0);
    ok = GetNumaProcessorNodeEx(&pn, &node);
    printf("node of processor 255: %d %#x error %lu\n", ok, node, GetLastError());
    GROUP_AFFINITY ga;
    ok = GetNumaNodeProcessorMaskEx(0, &ga);
    printf("node 0 mask: %d all processors %d group %u\n", ok, popcount(ga.Mask) == (int)ncpu,
           ga.Group);
    USHORT count = 0, grp[4] = {9, 9, 9, 9};
    ok = GetProcessGroupAffinity(GetCurrentProcess(), &count, grp);
    printf("process groups, count 0: %d error %lu count %u\n", ok, GetLastError(), count);
    count = 4;
    ok = GetProcessGroupAffinity(GetCurrentProcess(), &count, grp);
    printf("process groups: %d count %u group %u\n", ok, count, grp[0]);
    PROCESSOR_NUMBER cur;
    GetCurrentProcessorNumberEx(&cur);
    printf("current processor: group %u in range %d\n", cur.Group, cur.Number < ncpu);
    printf("large page minimum: %#zx\n", GetLargePageMinimum());
    void *p = VirtualAllocExNuma(GetCurrentProcess(), NULL, 65536, MEM_COMMIT | MEM_RESERVE,
                                 PAGE_READWRITE, 0);
    printf("VirtualAllocExNuma node 0: %d\n", p != NULL);
    if (p)
        VirtualFree(p, 0, MEM_RELEASE);

    /* ---- thread affinity and ideal processor ---- */
    ULONG_PTR old = SetThreadAffinityMask(GetCurrentThread(), 1);
    ULONG_PTR back = SetThreadAffinityMask(GetCurrentThread(), old);
    printf("affinity: previous all processors %d, then 1: %d\n", popcount(old) == (int)ncpu,
           back == 1);
    SetLastError(0);
    ULONG_PTR zero = SetThreadAffinityMask(GetCurrentThread(), 0);
    printf("affinity 0: %d error %lu\n", (int)zero, GetLastError());
    GROUP_AFFINITY tga;
    ok = GetThreadGroupAffinity(GetCurrentThread(), &tga);
    printf("thread group affinity: %d group %u all %d\n", ok, tga.Group,
           popcount(tga.Mask) == (int)ncpu);
    PROCESSOR_NUMBER ideal = {0, 0, 0}, prev;
    ok = SetThreadIdealProcessorEx(GetCurrentThread(), &ideal, &prev);
    PROCESSOR_NUMBER got = {9, 9, 9};
    BOOL ok2 = GetThreadIdealProcessorEx(GetCurrentThread(), &got);
    printf("ideal processor: set %d get %d group %u number %u\n", ok, ok2, got.Group,
           got.Number);

    /* ---- contexts ---- */
    DWORD64 features = GetEnabledXStateFeatures();
    printf("legacy features enabled: %d\n", (features & 3) == 3);
    DWORD clen = 0;
    CONTEXT *ctx = NULL;
    ok = InitializeContext(NULL, CONTEXT_FULL, &ctx, &clen);
    printf("InitializeContext size query: %d error %lu holds a CONTEXT %d\n", ok, GetLastError(),
           clen >= sizeof(CONTEXT));
    BYTE *cbuf = malloc(clen + 1);
    DWORD clen2 = clen;
    ok = InitializeContext(cbuf + 1, CONTEXT_FULL, &ctx, &clen2);
    printf("InitializeContext: %d aligned %d inside %d flags %#lx\n", ok,
           ((ULONG_PTR)ctx & 15) == 0, (BYTE *)ctx >= cbuf + 1 &&
           (BYTE *)(ctx + 1) <= cbuf + 1 + clen, ctx ? ctx->ContextFlags : 0);
    DWORD flen = 0;
    void *x87 = LocateXStateFeature(ctx, 0, &flen);
    printf("x87 at FltSave %d length %lu\n", x87 == &ctx->FltSave, flen);
    void *sse = LocateXStateFeature(ctx, 1, &flen);
    printf("sse at XmmRegisters %d length %lu\n", sse == &ctx->FltSave.XmmRegisters, flen);
    printf("avx in a plain context: %p\n", LocateXStateFeature(ctx, 2, &flen));
    ok = SetXStateFeaturesMask(ctx, 3);
    printf("set legacy mask: %d flags %#lx\n", ok, ctx->ContextFlags);
    printf("set avx mask on a plain context: %d\n", SetXStateFeaturesMask(ctx, 4));
    free(cbuf);

    /* ---- clocks, barriers, memory notifications ---- */
    ULONGLONG t1 = 0, t2 = 0;
    ok = QueryUnbiasedInterruptTime(&t1);
    FlushProcessWriteBuffers();
    BOOL ok3 = QueryUnbiasedInterruptTime(&t2);
    printf("unbiased interrupt time: %d %d nondecreasing %d\n", ok, ok3, t2 >= t1 && t1 > 0);
    HANDLE low = CreateMemoryResourceNotification(LowMemoryResourceNotification);
    BOOL state = 7;
    ok = QueryMemoryResourceNotification(low, &state);
    printf("low memory notification: handle %d query %d state is boolean %d\n", low != NULL,
           ok, state == 0 || state == 1);
    CloseHandle(low);
    SetLastError(0);
    HANDLE bad = CreateMemoryResourceNotification((MEMORY_RESOURCE_NOTIFICATION_TYPE)2);
    printf("notification type 2: %p error %lu\n", bad, GetLastError());

    /* ---- COM apartments ---- */
    APTTYPE t = 99;
    APTTYPEQUALIFIER q = 99;
    HRESULT hr = CoGetApartmentType(&t, &q);
    printf("before CoInitialize: %08lx type %d qualifier %d\n", hr, (int)t, (int)q);
    printf("CoInitializeEx MTA: %08lx\n", CoInitializeEx(NULL, COINIT_MULTITHREADED));
    hr = CoGetApartmentType(&t, &q);
    printf("in the MTA: %08lx type %d qualifier %d\n", hr, (int)t, (int)q);
    HANDLE th = CreateThread(NULL, 0, other_thread, NULL, 0, NULL);
    WaitForSingleObject(th, INFINITE);
    CloseHandle(th);
    CoUninitialize();
    printf("CoInitializeEx STA: %08lx\n", CoInitializeEx(NULL, COINIT_APARTMENTTHREADED));
    hr = CoGetApartmentType(&t, &q);
    printf("in the main STA: %08lx type %d qualifier %d\n", hr, (int)t, (int)q);
    CoUninitialize();
    printf("NULL arguments: %08lx\n", CoGetApartmentType(NULL, &q));

    /* ---- bcrypt FIPS mode ---- */
    BOOLEAN fips = 7;
    NTSTATUS st = BCryptGetFipsAlgorithmMode(&fips);
    printf("FIPS mode: %08lx %d; NULL: %08lx\n", st, fips, BCryptGetFipsAlgorithmMode(NULL));
    return 0;
}
