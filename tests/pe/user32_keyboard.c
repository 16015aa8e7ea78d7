/* user32's keyboard layout calls on the US layout: MapVirtualKeyW in its five modes
 * (virtual key to scan code, with the E0 prefix of extended keys in MAPVK_VK_TO_VSC_EX; scan
 * code to virtual key, left/right-neutral or not; virtual key to its unshifted character,
 * letters upper-case), MapVirtualKeyA, and VkKeyScanW/A (Shift in the high byte, -1 for a
 * character no key types). Windows' values from its "Keyboard scan codes" and MapVirtualKey
 * pages ("if the scan code is an extended scan code, the high byte of the returned value will
 * contain either 0xe0 or 0xe1"); Wine 8.0 prints the same but for that prefix (it gives VK_LEFT
 * and VK_DELETE their scan codes without E0). */
#include <stdio.h>
#include <windows.h>

int main(void)
{
    static const UINT vks[] = {VK_RETURN, VK_ESCAPE, 'A', '1', VK_SPACE, VK_OEM_1, VK_LEFT,
                               VK_DELETE, VK_F1, VK_F12, VK_SHIFT, VK_RCONTROL, VK_NUMPAD5};
    for (size_t i = 0; i < sizeof vks / sizeof vks[0]; i++)
        printf("vk %02x: scan %02x scan_ex %04x char %04x\n", vks[i],
               MapVirtualKeyW(vks[i], MAPVK_VK_TO_VSC), MapVirtualKeyW(vks[i], MAPVK_VK_TO_VSC_EX),
               MapVirtualKeyW(vks[i], MAPVK_VK_TO_CHAR));
    static const UINT scans[] = {0x1c, 0x1e, 0x2a, 0x36, 0x1d, 0xe01d, 0xe04b, 0x4b, 0x3b};
    for (size_t i = 0; i < sizeof scans / sizeof scans[0]; i++)
        printf("scan %04x: vk %02x vk_ex %02x\n", scans[i], MapVirtualKeyW(scans[i], MAPVK_VSC_TO_VK),
               MapVirtualKeyW(scans[i], MAPVK_VSC_TO_VK_EX));
    printf("MapVirtualKeyA(VK_RETURN): %02x\n", MapVirtualKeyA(VK_RETURN, MAPVK_VK_TO_VSC));
    static const WCHAR chars[] = {L'a', L'A', L'!', L'?', L'\r', L'\t', L' ', L'~', 0x00e9};
    for (size_t i = 0; i < sizeof chars / sizeof chars[0]; i++)
        printf("VkKeyScanW(%04x): %04x\n", chars[i], (unsigned)(USHORT)VkKeyScanW(chars[i]));
    printf("VkKeyScanA('z'): %04x\n", (unsigned)(USHORT)VkKeyScanA('z'));
    return 0;
}
