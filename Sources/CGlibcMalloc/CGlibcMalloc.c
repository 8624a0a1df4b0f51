#include "CGlibcMalloc.h"

#if defined(__linux__) && defined(__GLIBC__)
#include <stdlib.h>

struct cglibc_malloc_probe_result cglibc_malloc_probe(size_t size) {
    struct cglibc_malloc_probe_result result;
    result.before = mallinfo2();
    // volatile and the empty asm make the block escape, so the compiler cannot drop the
    // malloc/free pair.
    void *volatile block = malloc(size);
    __asm__ __volatile__("" : : "r"(block) : "memory");
    result.after = mallinfo2();
    result.allocated = block != NULL;
    free(block);
    return result;
}
#endif
