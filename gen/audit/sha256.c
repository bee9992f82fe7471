/* sha256.c — see sha256.h. */
#include "audit/sha256.h"
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static void to_hex(const unsigned char *md, unsigned n, char hex[SHA256_HEX])
{
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < n && i < 32; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[64] = 0;
}

void sha256_hex(const void *data, size_t n, char hex[SHA256_HEX])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    /* EVP_Digest fails only without memory: then abort, like xmalloc */
    if (!EVP_Digest(data, n, md, &len, EVP_sha256(), NULL)) {
        fputs("zhibu: SHA-256 failed (libcrypto)\n", stderr);
        abort();
    }
    to_hex(md, len, hex);
}

int sha256_file(const char *path, char hex[SHA256_HEX], long long *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        errno = EISDIR;
        return -1;
    }
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
        fputs("zhibu: SHA-256 failed (libcrypto)\n", stderr);
        abort();
    }
    static const size_t chunk = 1 << 16;
    unsigned char *buf = malloc(chunk);
    if (!buf) abort();
    long long total = 0;
    size_t got;
    while ((got = fread(buf, 1, chunk, f)) > 0) {
        EVP_DigestUpdate(ctx, buf, got);
        total += (long long)got;
    }
    int rc = ferror(f) ? -1 : 0;
    int saved = errno;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    EVP_DigestFinal_ex(ctx, md, &len);
    EVP_MD_CTX_free(ctx);
    free(buf);
    fclose(f);
    if (rc) {
        errno = saved ? saved : EIO;
        return -1;
    }
    to_hex(md, len, hex);
    if (size) *size = total;
    return 0;
}
