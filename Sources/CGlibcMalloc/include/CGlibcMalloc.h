// Exposes glibc's <malloc.h> (mallinfo2) to Swift; the Glibc module does not include it.
#ifndef CGLIBC_MALLOC_H
#define CGLIBC_MALLOC_H
#if defined(__linux__)
#include <malloc.h>
#endif
#endif
