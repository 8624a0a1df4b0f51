// Exposes glibc's <malloc.h> (mallinfo2) to Swift; the Glibc module does not include it.
#ifndef CGLIBC_MALLOC_H
#define CGLIBC_MALLOC_H
#if defined(__linux__)
#include <malloc.h>
#include <stddef.h>
#if defined(__GLIBC__)
/// mallinfo2() before and after an allocation, and whether malloc returned a block.
struct cglibc_malloc_probe_result {
    struct mallinfo2 before;
    struct mallinfo2 after;
    int allocated;
};

/// Takes a mallinfo2() snapshot, allocates `size` bytes with malloc, takes another, then frees
/// the block. If glibc's allocator served the allocation, `after` shows `size` more bytes in
/// use than `before`; if another allocator replaced it (AddressSanitizer, jemalloc, mimalloc),
/// glibc's figures do not move.
struct cglibc_malloc_probe_result cglibc_malloc_probe(size_t size);
#endif
#endif
#endif
