/* Test-only stand-in for Windows' bcryptprimitives.dll, which Debian 12's Wine 8 lacks: the
 * Rust standard library calls its ProcessPrng for random bytes. Built by
 * crates/cli/tests/windows.rs into its temporary folder (never committed as a binary):
 *   x86_64-w64-mingw32-gcc -shared -o bcryptprimitives.dll bcryptprimitives.c \
 *     bcryptprimitives.def -ladvapi32
 * and placed beside the .exe files; a real Windows has its own and never loads this. */
#include <windows.h>
#include <ntsecapi.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) { return RtlGenRandom(data, (ULONG)len); }
