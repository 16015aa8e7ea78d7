/* oleaut_create_error_info: oleaut32's own error object, CreateErrorInfo. A NULL out pointer is
 * E_INVALIDARG. A new object describes nothing (GUID_NULL, NULL source, description and help
 * file, help context 0); what ICreateErrorInfo's setters store, IErrorInfo's getters give back as
 * new BSTRs (a NULL set clears). QueryInterface gives IErrorInfo and ICreateErrorInfo, the same
 * IUnknown from either, E_NOINTERFACE and NULL for IDispatch; a NULL getter output is
 * E_INVALIDARG. The object makes the round trip through SetErrorInfo/GetErrorInfo (the same
 * pointer, its reference handed over), and its last Release returns 0.
 * Microsoft's docs: CreateErrorInfo, ICreateErrorInfo, IErrorInfo. Wine 8.0 prints the same lines. */
#include <stdio.h>
#include <windows.h>
#include <oleauto.h>

static const GUID test_guid = {0x12345678, 0x9abc, 0xdef0, {1, 2, 3, 4, 5, 6, 7, 8}};

static void show(const char *what, BSTR b)
{
    if (!b)
        printf("%s: NULL\n", what);
    else
        printf("%s: \"%ls\" (%u chars)\n", what, b, SysStringLen(b));
    SysFreeString(b);
}

static void dump(IErrorInfo *ei)
{
    GUID g;
    BSTR b = (BSTR)0x1;
    DWORD ctx = 0xdeadbeef;
    HRESULT hr = ei->lpVtbl->GetGUID(ei, &g);
    printf("GetGUID: 0x%08lx, %s\n", (unsigned long)hr,
           IsEqualGUID(&g, &GUID_NULL)    ? "GUID_NULL"
           : IsEqualGUID(&g, &test_guid) ? "the GUID set"
                                         : "another GUID");
    hr = ei->lpVtbl->GetSource(ei, &b);
    printf("GetSource 0x%08lx, ", (unsigned long)hr);
    show("source", b);
    b = (BSTR)0x1;
    hr = ei->lpVtbl->GetDescription(ei, &b);
    printf("GetDescription 0x%08lx, ", (unsigned long)hr);
    show("description", b);
    b = (BSTR)0x1;
    hr = ei->lpVtbl->GetHelpFile(ei, &b);
    printf("GetHelpFile 0x%08lx, ", (unsigned long)hr);
    show("help file", b);
    hr = ei->lpVtbl->GetHelpContext(ei, &ctx);
    printf("GetHelpContext 0x%08lx, context %lu\n", (unsigned long)hr, ctx);
}

int main(void)
{
    printf("CreateErrorInfo(NULL): 0x%08lx\n", (unsigned long)CreateErrorInfo(NULL));
    ICreateErrorInfo *cei = NULL;
    HRESULT hr = CreateErrorInfo(&cei);
    printf("CreateErrorInfo: 0x%08lx, object %s\n", (unsigned long)hr, cei ? "yes" : "no");
    if (!cei)
        return 1;
    IErrorInfo *ei = NULL;
    hr = cei->lpVtbl->QueryInterface(cei, &IID_IErrorInfo, (void **)&ei);
    printf("QueryInterface(IErrorInfo): 0x%08lx, %s\n", (unsigned long)hr, ei ? "yes" : "no");
    if (!ei)
        return 1;
    printf("-- new object\n");
    dump(ei);

    IUnknown *u1 = NULL, *u2 = NULL;
    cei->lpVtbl->QueryInterface(cei, &IID_IUnknown, (void **)&u1);
    ei->lpVtbl->QueryInterface(ei, &IID_IUnknown, (void **)&u2);
    printf("IUnknown the same from both: %s\n", u1 && u1 == u2 ? "yes" : "no");
    if (u1)
        u1->lpVtbl->Release(u1);
    if (u2)
        u2->lpVtbl->Release(u2);
    ICreateErrorInfo *cei2 = NULL;
    hr = ei->lpVtbl->QueryInterface(ei, &IID_ICreateErrorInfo, (void **)&cei2);
    printf("IErrorInfo -> ICreateErrorInfo: 0x%08lx, the same: %s\n", (unsigned long)hr,
           cei2 == cei ? "yes" : "no");
    if (cei2)
        cei2->lpVtbl->Release(cei2);
    void *disp = (void *)0x1;
    hr = cei->lpVtbl->QueryInterface(cei, &IID_IDispatch, &disp);
    printf("QueryInterface(IDispatch): 0x%08lx, %s\n", (unsigned long)hr, disp ? "set" : "NULL");

    printf("-- set\n");
    printf("SetGUID 0x%08lx\n", (unsigned long)cei->lpVtbl->SetGUID(cei, &test_guid));
    printf("SetSource 0x%08lx\n", (unsigned long)cei->lpVtbl->SetSource(cei, L"ntrun.Test"));
    printf("SetDescription 0x%08lx\n",
           (unsigned long)cei->lpVtbl->SetDescription(cei, L"Something failed."));
    printf("SetHelpFile 0x%08lx\n", (unsigned long)cei->lpVtbl->SetHelpFile(cei, L"C:\\help.chm"));
    printf("SetHelpContext 0x%08lx\n", (unsigned long)cei->lpVtbl->SetHelpContext(cei, 4711));
    dump(ei);
    printf("-- description set again, source cleared\n");
    cei->lpVtbl->SetDescription(cei, L"Second.");
    cei->lpVtbl->SetSource(cei, NULL);
    dump(ei);
    printf("GetSource(NULL): 0x%08lx\n", (unsigned long)ei->lpVtbl->GetSource(ei, NULL));
    printf("GetHelpContext(NULL): 0x%08lx\n", (unsigned long)ei->lpVtbl->GetHelpContext(ei, NULL));

    printf("-- SetErrorInfo / GetErrorInfo\n");
    hr = SetErrorInfo(0, ei);
    printf("SetErrorInfo: 0x%08lx\n", (unsigned long)hr);
    ei->lpVtbl->Release(ei); /* the thread's reference keeps it */
    IErrorInfo *got = NULL;
    hr = GetErrorInfo(0, &got);
    printf("GetErrorInfo: 0x%08lx, the same object: %s\n", (unsigned long)hr,
           got == ei ? "yes" : "no");
    if (got) {
        BSTR d = NULL;
        got->lpVtbl->GetDescription(got, &d);
        show("its description", d);
    }
    IErrorInfo *again = (IErrorInfo *)0x1;
    hr = GetErrorInfo(0, &again);
    printf("GetErrorInfo again: 0x%08lx, %s\n", (unsigned long)hr, again ? "set" : "NULL");
    if (got)
        got->lpVtbl->Release(got);
    printf("last Release: %lu\n", cei->lpVtbl->Release(cei));
    return 0;
}
