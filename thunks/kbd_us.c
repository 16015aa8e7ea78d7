/* SPDX-License-Identifier: MIT */
/* The US keyboard layout: virtual-key codes, scan codes (set 1, E0 for the extended keys) and
 * the characters of the keys, from Windows' KBDUS layout as its documentation lists the keys
 * ("Keyboard scan codes", "Virtual-Key Codes"). */
#include <stddef.h>
#include "thunks/kbd_us.h"

typedef struct {
    uint8_t vk, scan;
    char plain, shifted;
    bool extended;
} kbd_key;

static const kbd_key kbd_keys[] = {
    {0x1b, 0x01, 0x1b, 0x1b, false}, {'1', 0x02, '1', '!', false}, {'2', 0x03, '2', '@', false},
    {'3', 0x04, '3', '#', false},    {'4', 0x05, '4', '$', false}, {'5', 0x06, '5', '%', false},
    {'6', 0x07, '6', '^', false},    {'7', 0x08, '7', '&', false}, {'8', 0x09, '8', '*', false},
    {'9', 0x0a, '9', '(', false},    {'0', 0x0b, '0', ')', false}, {0xbd, 0x0c, '-', '_', false},
    {0xbb, 0x0d, '=', '+', false},   {0x08, 0x0e, 8, 8, false},    {0x09, 0x0f, '\t', '\t', false},
    {'Q', 0x10, 'q', 'Q', false},    {'W', 0x11, 'w', 'W', false}, {'E', 0x12, 'e', 'E', false},
    {'R', 0x13, 'r', 'R', false},    {'T', 0x14, 't', 'T', false}, {'Y', 0x15, 'y', 'Y', false},
    {'U', 0x16, 'u', 'U', false},    {'I', 0x17, 'i', 'I', false}, {'O', 0x18, 'o', 'O', false},
    {'P', 0x19, 'p', 'P', false},    {0xdb, 0x1a, '[', '{', false}, {0xdd, 0x1b, ']', '}', false},
    {0x0d, 0x1c, '\r', '\r', false}, {0xa2, 0x1d, 0, 0, false},    {'A', 0x1e, 'a', 'A', false},
    {'S', 0x1f, 's', 'S', false},    {'D', 0x20, 'd', 'D', false}, {'F', 0x21, 'f', 'F', false},
    {'G', 0x22, 'g', 'G', false},    {'H', 0x23, 'h', 'H', false}, {'J', 0x24, 'j', 'J', false},
    {'K', 0x25, 'k', 'K', false},    {'L', 0x26, 'l', 'L', false}, {0xba, 0x27, ';', ':', false},
    {0xde, 0x28, '\'', '"', false},  {0xc0, 0x29, '`', '~', false}, {0xa0, 0x2a, 0, 0, false},
    {0xdc, 0x2b, '\\', '|', false},  {'Z', 0x2c, 'z', 'Z', false}, {'X', 0x2d, 'x', 'X', false},
    {'C', 0x2e, 'c', 'C', false},    {'V', 0x2f, 'v', 'V', false}, {'B', 0x30, 'b', 'B', false},
    {'N', 0x31, 'n', 'N', false},    {'M', 0x32, 'm', 'M', false}, {0xbc, 0x33, ',', '<', false},
    {0xbe, 0x34, '.', '>', false},   {0xbf, 0x35, '/', '?', false}, {0xa1, 0x36, 0, 0, false},
    {0x6a, 0x37, '*', '*', false},   {0xa4, 0x38, 0, 0, false},    {0x20, 0x39, ' ', ' ', false},
    {0x14, 0x3a, 0, 0, false},       {0x70, 0x3b, 0, 0, false},    {0x71, 0x3c, 0, 0, false},
    {0x72, 0x3d, 0, 0, false},       {0x73, 0x3e, 0, 0, false},    {0x74, 0x3f, 0, 0, false},
    {0x75, 0x40, 0, 0, false},       {0x76, 0x41, 0, 0, false},    {0x77, 0x42, 0, 0, false},
    {0x78, 0x43, 0, 0, false},       {0x79, 0x44, 0, 0, false},    {0x90, 0x45, 0, 0, false},
    {0x91, 0x46, 0, 0, false},       {0x67, 0x47, '7', '7', false}, {0x68, 0x48, '8', '8', false},
    {0x69, 0x49, '9', '9', false},   {0x6d, 0x4a, '-', '-', false}, {0x64, 0x4b, '4', '4', false},
    {0x65, 0x4c, '5', '5', false},   {0x66, 0x4d, '6', '6', false}, {0x6b, 0x4e, '+', '+', false},
    {0x61, 0x4f, '1', '1', false},   {0x62, 0x50, '2', '2', false}, {0x63, 0x51, '3', '3', false},
    {0x60, 0x52, '0', '0', false},   {0x6e, 0x53, '.', '.', false}, {0x7a, 0x57, 0, 0, false},
    {0x7b, 0x58, 0, 0, false},
    /* the extended keys (E0 prefix) */
    {0xa3, 0x1d, 0, 0, true},        {0xa5, 0x38, 0, 0, true},     {0x6f, 0x35, '/', '/', true},
    {0x24, 0x47, 0, 0, true},        {0x26, 0x48, 0, 0, true},     {0x21, 0x49, 0, 0, true},
    {0x25, 0x4b, 0, 0, true},        {0x27, 0x4d, 0, 0, true},     {0x23, 0x4f, 0, 0, true},
    {0x28, 0x50, 0, 0, true},        {0x22, 0x51, 0, 0, true},     {0x2d, 0x52, 0, 0, true},
    {0x2e, 0x53, 0, 0, true},        {0x5b, 0x5b, 0, 0, true},     {0x5c, 0x5c, 0, 0, true},
    {0x5d, 0x5d, 0, 0, true},
};

bool thk_kbd_char_key(uint8_t c, uint16_t *vk, uint16_t *scan, bool *shift)
{
    for (size_t i = 0; c >= 0x20 && c < 0x7f && i < sizeof kbd_keys / sizeof kbd_keys[0]; i++) {
        const kbd_key *k = &kbd_keys[i];
        if (k->extended || k->vk < 0x20 || (k->vk >= 0x60 && k->vk <= 0x6f))
            continue; /* not the main block's */
        if ((uint8_t)k->plain == c || (uint8_t)k->shifted == c) {
            *vk = k->vk;
            *scan = k->scan;
            *shift = (uint8_t)k->plain != c;
            return true;
        }
    }
    return false;
}

/* VK_SHIFT, VK_CONTROL, VK_MENU as their left keys */
static uint16_t kbd_unside(uint16_t vk)
{
    return vk == 0x10 ? 0xa0 : vk == 0x11 ? 0xa2 : vk == 0x12 ? 0xa4 : vk;
}

uint16_t thk_kbd_vk_to_scan(uint16_t vk, bool *extended)
{
    vk = kbd_unside(vk);
    for (size_t i = 0; i < sizeof kbd_keys / sizeof kbd_keys[0]; i++)
        if (kbd_keys[i].vk == vk) {
            *extended = kbd_keys[i].extended;
            return kbd_keys[i].scan;
        }
    *extended = false;
    return 0;
}

uint16_t thk_kbd_scan_to_vk(uint16_t scan, bool extended, bool sided)
{
    /* The keypad's keys without E0 are the navigation keys' (KBDUS maps them so; NumLock turns
     * them into digits only when keys are typed). */
    if (!extended && scan >= 0x47 && scan <= 0x53 && scan != 0x4a && scan != 0x4e) {
        if (scan == 0x4c)
            return 0x0c; /* VK_CLEAR */
        extended = true;
    }
    for (size_t i = 0; i < sizeof kbd_keys / sizeof kbd_keys[0]; i++) {
        const kbd_key *k = &kbd_keys[i];
        if (k->scan != scan || k->extended != extended)
            continue;
        if (!sided && k->vk >= 0xa0 && k->vk <= 0xa5)
            return (uint16_t)(0x10 + (k->vk - 0xa0) / 2);
        return k->vk;
    }
    return 0;
}

uint16_t thk_kbd_vk_to_char(uint16_t vk)
{
    for (size_t i = 0; i < sizeof kbd_keys / sizeof kbd_keys[0]; i++)
        if (kbd_keys[i].vk == vk && kbd_keys[i].plain) {
            char c = kbd_keys[i].plain;
            return (uint16_t)(c >= 'a' && c <= 'z' ? c - 32 : (uint8_t)c);
        }
    return 0;
}
