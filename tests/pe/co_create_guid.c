/* New GUIDs as .NET's Guid.NewGuid and COM programs make them: CoCreateGuid and rpcrt4's
 * UuidCreate give version 4 (random) UUIDs, the version nibble 4 in Data3 and the RFC 4122
 * variant (10 in the top bits of Data4[0]), a new one each call; CoCreateGuid(NULL) is
 * E_INVALIDARG; UuidCreateNil gives the nil UUID. */
#include <windows.h>
#include <objbase.h>
#include <rpc.h>
#include <stdio.h>
#include <string.h>

static int is_v4(const GUID *g)
{
    return (g->Data3 >> 12) == 4 && (g->Data4[0] & 0xc0) == 0x80;
}

int main(void)
{
    GUID a, b;
    memset(&a, 0xcc, sizeof a);
    memset(&b, 0xcc, sizeof b);
    HRESULT ha = CoCreateGuid(&a), hb = CoCreateGuid(&b);
    printf("CoCreateGuid: 0x%08lx 0x%08lx, version 4: %d %d, different: %d\n", (unsigned long)ha,
           (unsigned long)hb, is_v4(&a), is_v4(&b), memcmp(&a, &b, sizeof a) != 0);
    printf("CoCreateGuid(NULL): 0x%08lx\n", (unsigned long)CoCreateGuid(NULL));

    int v4 = 0, distinct = 1;
    GUID seen[64];
    for (int i = 0; i < 64; i++) {
        RPC_STATUS st = UuidCreate(&seen[i]);
        v4 += st == RPC_S_OK && is_v4(&seen[i]);
        for (int j = 0; j < i; j++)
            if (!memcmp(&seen[i], &seen[j], sizeof(GUID)))
                distinct = 0;
    }
    printf("UuidCreate x64: version 4: %d, all different: %d\n", v4, distinct);

    UUID nil;
    memset(&nil, 0xcc, sizeof nil);
    RPC_STATUS st = UuidCreateNil(&nil);
    static const UUID zero;
    printf("UuidCreateNil: %ld, nil: %d\n", (long)st, !memcmp(&nil, &zero, sizeof nil));
    return 0;
}
