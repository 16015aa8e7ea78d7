/* SPDX-License-Identifier: MIT */
/* The US keyboard layout (KBDUS, scan code set 1) as user32's MapVirtualKey and kernel32's
 * console input records need it: one table, thunks/kbd_us.c. */
#ifndef NTRUN_THUNKS_KBD_US_H
#define NTRUN_THUNKS_KBD_US_H
#include <stdbool.h>
#include <stdint.h>

/* The key that types printable ASCII character c (0x20-0x7e): its virtual-key and scan codes,
 * and whether it takes Shift. False for any other character. */
bool thk_kbd_char_key(uint8_t c, uint16_t *vk, uint16_t *scan, bool *shift);
/* A virtual key's scan code (0: none); *extended: the key sends the E0 prefix. Left/right-neutral
 * keys (VK_SHIFT, VK_CONTROL, VK_MENU) give the left key's. */
uint16_t thk_kbd_vk_to_scan(uint16_t vk, bool *extended);
/* A scan code's virtual key (0: none); `extended`: it came with E0. `sided`: VK_LSHIFT...
 * instead of VK_SHIFT... */
uint16_t thk_kbd_scan_to_vk(uint16_t scan, bool extended, bool sided);
/* The character a virtual key types without modifiers (letters upper-case, as
 * MapVirtualKey(MAPVK_VK_TO_CHAR) gives them); 0: none. */
uint16_t thk_kbd_vk_to_char(uint16_t vk);

#endif
