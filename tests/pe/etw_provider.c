/* ETW's provider side with no trace session (what Node.js does at start-up, and every program
 * with TraceLogging or mc.exe-generated events): EventRegister gives a nonzero handle, a second
 * registration of the same GUID another one, and never calls the enable callback; EventEnabled
 * and EventProviderEnabled say FALSE; EventWrite, EventWriteTransfer, EventWriteEx and
 * EventWriteString succeed writing nothing, also on the zero handle a failed EventRegister
 * leaves (Microsoft's EventUnregister remarks); EventSetInformation accepts the known classes
 * and answers ERROR_NOT_SUPPORTED for an unknown one, ERROR_INVALID_PARAMETER for a NULL
 * buffer with a length and for a handle that is not a registration; EventRegister without a
 * GUID or without a handle pointer is ERROR_INVALID_PARAMETER. Wine 8.0 prints the same where
 * it has more than stubs: its EventRegister gives every registration the same handle, its
 * EventSetInformation and EventRegister(NULL GUID) succeed whatever they get, and it has no
 * EventWriteEx. */
#include <windows.h>
#include <evntprov.h>
#include <stdio.h>

/* EVENT_INFO_CLASS as Windows 10's evntprov.h has it (mingw-w64's knows only the first) */
#define INFO_BINARY_TRACK ((EVENT_INFO_CLASS)0)  /* EventProviderBinaryTrackInfo */
#define INFO_SET_TRAITS ((EVENT_INFO_CLASS)2)    /* EventProviderSetTraits */

static int calls;
static void NTAPI on_enable(LPCGUID source, ULONG is_enabled, UCHAR level, ULONGLONG any,
                            ULONGLONG all, PEVENT_FILTER_DESCRIPTOR filter, PVOID ctx)
{
    calls++;
}

/* {9b1a1b2c-0d3e-4f50-8a61-7b8c9d0e1f20} */
static const GUID provider = {0x9b1a1b2c, 0x0d3e, 0x4f50, {0x8a, 0x61, 0x7b, 0x8c, 0x9d, 0x0e, 0x1f, 0x20}};

int main(void)
{
    REGHANDLE h = 0, h2 = 0;
    ULONG r = EventRegister(&provider, on_enable, (void *)0x1234, &h);
    printf("EventRegister: %lu, handle nonzero %d\n", r, h != 0);
    r = EventRegister(&provider, NULL, NULL, &h2);
    printf("again: %lu, another handle %d\n", r, h2 != 0 && h2 != h);
    printf("callback calls: %d\n", calls);

    EVENT_DESCRIPTOR d;
    EventDescCreate(&d, 1, 0, 0, 4 /* TRACE_LEVEL_INFORMATION */, 0, 0, 0x1);
    printf("EventEnabled: %d\n", EventEnabled(h, &d));
    printf("EventProviderEnabled: %d\n", EventProviderEnabled(h, 4, 0x1));

    EVENT_DATA_DESCRIPTOR data[2];
    int value = 42;
    EventDataDescCreate(&data[0], &value, sizeof value);
    EventDataDescCreate(&data[1], "text", 5);
    GUID activity = {1, 2, 3, {4, 5, 6, 7, 8, 9, 10, 11}};
    printf("EventWrite: %lu\n", EventWrite(h, &d, 2, data));
    printf("EventWriteTransfer: %lu\n", EventWriteTransfer(h, &d, &activity, NULL, 2, data));
    printf("EventWriteTransfer, no activity: %lu\n", EventWriteTransfer(h, &d, NULL, NULL, 0, NULL));
    printf("EventWriteEx: %lu\n", EventWriteEx(h, &d, 0, 0, NULL, NULL, 1, data));
    printf("EventWriteString: %lu\n", EventWriteString(h, 4, 0x1, L"hello"));
    printf("zero handle: EventWrite %lu, EventWriteTransfer %lu, EventUnregister %lu\n",
           EventWrite(0, &d, 0, NULL), EventWriteTransfer(0, &d, NULL, NULL, 0, NULL),
           EventUnregister(0));

    /* traits: a UINT16 size, the provider's name in UTF-8, then no trait */
    static const char traits[] = "\x0a\x00" "myprov\0";
    printf("EventSetInformation traits: %lu\n",
           EventSetInformation(h, INFO_SET_TRAITS, (void *)traits, 10));
    printf("EventSetInformation binary track: %lu\n",
           EventSetInformation(h, INFO_BINARY_TRACK, NULL, 0));
    printf("EventSetInformation NULL buffer with a length: %lu\n",
           EventSetInformation(h, INFO_SET_TRAITS, NULL, 10));
    printf("EventSetInformation unknown class: %lu\n",
           EventSetInformation(h, (EVENT_INFO_CLASS)77, NULL, 0));
    printf("EventSetInformation zero handle: %lu\n",
           EventSetInformation(0, INFO_SET_TRAITS, (void *)traits, 10));

    printf("EventUnregister: %lu %lu\n", EventUnregister(h), EventUnregister(h2));
    printf("callback calls: %d\n", calls);

    REGHANDLE z;
    printf("no GUID: %lu\n", EventRegister(NULL, NULL, NULL, &z));
    printf("no handle pointer: %lu\n", EventRegister(&provider, NULL, NULL, NULL));
    return 0;
}
