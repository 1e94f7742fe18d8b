#pragma once

namespace wharf {

// Called first thing in main(). A transfer moves megabytes through buffers that are freed
// and allocated again at once (Qt's socket buffers, OpenSSL's memory BIO): glibc's default
// rules return that memory to the kernel and take it back every time, which cost an FTPS
// upload ten times the CPU time curl spends. Keeping it costs at most the limit set here.
void tuneAllocatorForStreaming();

} // namespace wharf
