#ifndef CTAGBENCH_SHA256_H
#define CTAGBENCH_SHA256_H
// SHA-256 (FIPS 180-4): the processor's SHA extensions where it has them (none with TB_PORTABLE).
#include <stddef.h>
#include <stdint.h>

/// SHA-256 in progress: `tb_sha256_init`, `tb_sha256_update` any number of times, `tb_sha256_final`.
typedef struct { uint32_t state[8]; uint64_t length; uint8_t buffer[64]; size_t buffered; int portable; } tb_sha256;

/// Starts a SHA-256.
void tb_sha256_init(tb_sha256 *h);
/// Adds `n` bytes to the message.
void tb_sha256_update(tb_sha256 *h, const void *data, size_t n);
/// Writes the 32-byte digest (the hash is then spent).
void tb_sha256_final(tb_sha256 *h, uint8_t digest[32]);
/// The digest of `n` bytes.
void tb_sha256_digest(const void *data, size_t n, uint8_t digest[32]);
/// Whether the processor's SHA extensions are used.
int tb_sha256_hardware(void);
/// Starts a SHA-256 computed in portable C whatever the processor (tests compare the two).
void tb_sha256_init_portable(tb_sha256 *h);

#endif
