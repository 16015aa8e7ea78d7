/* comctl32's InitCommonControls and InitCommonControlsEx, which console programs call at
 * start-up through a library that imports comctl32 (Strawberry Perl's perl5xx.dll, under
 * ExifTool): InitCommonControls returns nothing; InitCommonControlsEx is TRUE for an
 * INITCOMMONCONTROLSEX of the right size (8) and FALSE for another size. */
#include <windows.h>
#include <commctrl.h>
#include <stdio.h>

int main(void)
{
    InitCommonControls();
    printf("InitCommonControls returned\n");
    INITCOMMONCONTROLSEX icc = {sizeof icc, ICC_WIN95_CLASSES};
    printf("InitCommonControlsEx(size 8, ICC_WIN95_CLASSES): %d\n", InitCommonControlsEx(&icc));
    icc.dwICC = ICC_STANDARD_CLASSES | ICC_LISTVIEW_CLASSES;
    printf("InitCommonControlsEx(size 8, standard and list view): %d\n",
           InitCommonControlsEx(&icc));
    icc.dwSize = 12;
    printf("InitCommonControlsEx(size 12): %d\n", InitCommonControlsEx(&icc));
    icc.dwSize = 0;
    printf("InitCommonControlsEx(size 0): %d\n", InitCommonControlsEx(&icc));
    return 0;
}
