#include "core/AllocatorTuning.h"

#include <cstdlib> // defines __GLIBC__ on glibc

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace wharf {

void tuneAllocatorForStreaming()
{
#if defined(__GLIBC__)
    // Blocks up to 8 MiB come from the heap instead of their own mapping, and up to 32 MiB
    // of freed heap stays with the process. Setting either also stops glibc from moving
    // the thresholds on its own, which is what made them churn.
    mallopt(M_MMAP_THRESHOLD, 8 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 32 * 1024 * 1024);
#endif
}

} // namespace wharf
