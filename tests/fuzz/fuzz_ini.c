/* fuzz_ini.c — libFuzzer target: the rules INI loader (config_load) on a
 * memfd holding the input.  Any input must load or give an error message,
 * never a crash, a hang or a leak. */
#include "input/config.h"
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz-rules", MFD_CLOEXEC);
    if (fd < 0) return 0;
    if (size && write(fd, data, size) != (ssize_t)size) { close(fd); return 0; }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    config c;
    config_defaults(&c);
    char err[1024] = "";
    int rc = config_load(&c, path, err, sizeof err);
    if (rc && !err[0]) __builtin_trap(); /* an error always says what */
    if (rc == 0) {
        /* the loaded values are usable */
        for (int ym = 202201; ym <= 202212; ym++) (void)config_deadline(&c, ym);
    }
    config_free(&c);
    close(fd);
    return 0;
}
