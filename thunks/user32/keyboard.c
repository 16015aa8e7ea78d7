/* SPDX-License-Identifier: MIT */
/* The keyboard layout as user32 reports it: MapVirtualKeyW/A, MapVirtualKeyExW/A, VkKeyScanW/A
 * and VkKeyScanExW/A on the US layout (thunks/kbd_us.c), the only layout a terminal's bytes
 * are decoded with (kernel32's console input). libuv (Node.js) asks MapVirtualKeyW for
 * VK_RETURN's scan code when it cancels a console read. */
#include "thunks/kbd_us.h"
#include "thunks/user32/user32_private.h"

#define U32_MAPVK_VK_TO_VSC 0
#define U32_MAPVK_VSC_TO_VK 1
#define U32_MAPVK_VK_TO_CHAR 2
#define U32_MAPVK_VSC_TO_VK_EX 3
#define U32_MAPVK_VK_TO_VSC_EX 4

static UINT WINAPI MapVirtualKeyExW(UINT code, UINT type, void *layout)
{
    bool ext = false;
    switch (type) {
    case U32_MAPVK_VK_TO_VSC: return thk_kbd_vk_to_scan((uint16_t)code, &ext);
    case U32_MAPVK_VK_TO_VSC_EX: {
        uint16_t scan = thk_kbd_vk_to_scan((uint16_t)code, &ext);
        return scan && ext ? 0xe000u | scan : scan;
    }
    case U32_MAPVK_VSC_TO_VK:
    case U32_MAPVK_VSC_TO_VK_EX:
        ext = (code & 0xff00) == 0xe000;
        return thk_kbd_scan_to_vk((uint16_t)(code & 0xff), ext, type == U32_MAPVK_VSC_TO_VK_EX);
    case U32_MAPVK_VK_TO_CHAR: return thk_kbd_vk_to_char((uint16_t)code);
    default: return 0;
    }
}
THK_EXPORT(user32, MapVirtualKeyExW, 3);
THK_EXPORT_AS(user32, MapVirtualKeyExA, MapVirtualKeyExW, 3);

static UINT WINAPI MapVirtualKeyW(UINT code, UINT type) { return MapVirtualKeyExW(code, type, NULL); }
THK_EXPORT(user32, MapVirtualKeyW, 2);
THK_EXPORT_AS(user32, MapVirtualKeyA, MapVirtualKeyW, 2);

/* The key and shift state that type a character: low byte the virtual key, high byte 1 for
 * Shift, 2 for Ctrl; -1 (0xffff) when no key types it. */
static int16_t WINAPI VkKeyScanExW(WCHAR c, void *layout)
{
    uint16_t vk, scan;
    bool shift;
    if (c < 0x80 && thk_kbd_char_key((uint8_t)c, &vk, &scan, &shift))
        return (int16_t)(vk | (shift ? 0x100 : 0));
    switch (c) {
    case '\r': return 0x0d;
    case '\t': return 0x09;
    case 8: return 0x08;
    case 0x1b: return 0x1b;
    case '\n': return 0x20d; /* Ctrl+Enter */
    default: break;
    }
    if (c >= 1 && c <= 26)
        return (int16_t)(0x200 | ('A' + c - 1));
    return -1;
}
THK_EXPORT(user32, VkKeyScanExW, 2);

static int16_t WINAPI VkKeyScanW(WCHAR c) { return VkKeyScanExW(c, NULL); }
THK_EXPORT(user32, VkKeyScanW, 1);

static int16_t WINAPI VkKeyScanA(char c) { return VkKeyScanExW((uint8_t)c < 0x80 ? (uint8_t)c : 0xffff, NULL); }
THK_EXPORT(user32, VkKeyScanA, 1);

static int16_t WINAPI VkKeyScanExA(char c, void *layout) { return VkKeyScanA(c); }
THK_EXPORT(user32, VkKeyScanExA, 2);
