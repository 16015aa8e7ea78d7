/* __chkstk, which MSVC's static runtime provides: clang calls it for frames over 4 KiB with
 * the frame size in %rax; it touches each page of the new frame in order (the guard page
 * grows the stack one page at a time) and must preserve every register but r10/r11. */
    .text
    .globl __chkstk
__chkstk:
    pushq %rcx
    pushq %rax
    cmpq $0x1000, %rax
    leaq 24(%rsp), %rcx
    jb 2f
1:  subq $0x1000, %rcx
    orq $0, (%rcx)
    subq $0x1000, %rax
    cmpq $0x1000, %rax
    ja 1b
2:  subq %rax, %rcx
    orq $0, (%rcx)
    popq %rax
    popq %rcx
    ret
