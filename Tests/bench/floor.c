// The floor of the bulk pass: only the file work tagbench's two processes cannot skip under the
// project's rules, with nothing parsed, validated, searched or encoded. A benchmark, not a test
// (Tests/bench/bench.py runs it; docs/performance.md).
//
//   floor run CORPUS SESSION SIZE   read every document into memory of its own, kept (a session
//                                   holds its texts), and SHA-256 each (the session records
//                                   them), on two threads; write SIZE bytes (copied from the
//                                   texts) to a temporary, hashed as written; fsync; rename it
//                                   over SESSION
//   floor export CORPUS SESSION OUT SIZE
//                                   read SESSION, then each document in turn, into one buffer
//                                   used again (nothing kept); write SIZE bytes (copied from the
//                                   texts) to OUT, hashed on another thread as written (an
//                                   export is not forced to disk)
//
// With FLOOR_KEEP set, the export reads the session and every document into memory of their
// own first, as tagbench's export does (it opens the whole session).
//
// Build: cc -O2 -pthread -I Sources/CTagbenchSHA256/include Tests/bench/floor.c
//        Sources/CTagbenchSHA256/sha256.c -o floor
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "CTagbenchSHA256.h"

typedef struct { char *path; unsigned char *bytes; size_t size; unsigned char sha[32]; } doc;

static doc *docs;
static size_t ndocs;

static void fail(const char *what) {
    perror(what);
    exit(1);
}

static int by_name(const void *a, const void *b) { return strcmp(((const doc *)a)->path, ((const doc *)b)->path); }

static void list(const char *corpus) {
    DIR *d = opendir(corpus);
    if (!d) fail(corpus);
    size_t cap = 4096;
    docs = calloc(cap, sizeof(doc));
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".txt") != 0) continue;
        if (ndocs == cap) docs = realloc(docs, (cap *= 2) * sizeof(doc));
        if (asprintf(&docs[ndocs].path, "%s/%s", corpus, e->d_name) < 0) exit(1);
        ndocs++;
    }
    closedir(d);
    if (ndocs == 0) fail(corpus);
    qsort(docs, ndocs, sizeof(doc), by_name);
}

// Reads the file at `path` into `buffer` (grown to fit when `*capacity` is short, or a new one
// when `buffer` is NULL); returns the buffer and its byte count in `*size`.
static unsigned char *read_file(const char *path, unsigned char *buffer, size_t *capacity, size_t *size) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) fail(path);
    if (buffer == NULL || *capacity < (size_t)st.st_size) {
        free(buffer);
        *capacity = st.st_size + 1;
        buffer = malloc(*capacity);
    }
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t r = read(fd, buffer + got, st.st_size - got);
        if (r <= 0) fail(path);
        got += r;
    }
    close(fd);
    *size = got;
    return buffer;
}

static int hash_docs;

static void *read_half(void *arg) {
    for (size_t i = (size_t)arg; i < ndocs; i += 2) {
        size_t capacity = 0;
        docs[i].bytes = read_file(docs[i].path, NULL, &capacity, &docs[i].size);
        if (hash_docs) tb_sha256_digest(docs[i].bytes, docs[i].size, docs[i].sha);
    }
    return NULL;
}

static void read_all(void) {
    pthread_t t;
    pthread_create(&t, NULL, read_half, (void *)1);
    read_half((void *)0);
    pthread_join(t, NULL);
}

// Where the written bytes are copied from: the kept texts, or each document read in turn into
// one buffer.
static int streamed;
static size_t next_doc, at;
static long loaded = -1;
static unsigned char *stream_buffer;
static size_t stream_capacity;

static const unsigned char *source(size_t *available) {
    for (;;) {
        if (streamed && loaded != (long)next_doc) {
            stream_buffer = read_file(docs[next_doc].path, stream_buffer, &stream_capacity, &docs[next_doc].size);
            loaded = (long)next_doc;
        }
        if (at < docs[next_doc].size) break;
        at = 0;
        next_doc = (next_doc + 1) % ndocs;
    }
    *available = docs[next_doc].size - at;
    return (streamed ? stream_buffer : docs[next_doc].bytes) + at;
}

// Two chunks in turn: one is filled and written while the other is hashed.
enum { CHUNK = 1 << 22 };
static unsigned char *chunks[2];
static size_t filled[2];
static sem_t full, empty;
static tb_sha256 hasher;

static void *hash_chunks(void *arg) {
    (void)arg;
    for (int k = 0;; k ^= 1) {
        sem_wait(&full);
        if (filled[k] == 0) return NULL;
        tb_sha256_update(&hasher, chunks[k], filled[k]);
        sem_post(&empty);
    }
}

static void write_copies(int fd, size_t size, int durable) {
    tb_sha256_init(&hasher);
    sem_init(&full, 0, 0);
    sem_init(&empty, 0, 2);
    chunks[0] = malloc(CHUNK);
    chunks[1] = malloc(CHUNK);
    pthread_t t;
    pthread_create(&t, NULL, hash_chunks, NULL);
    size_t written = 0;
    for (int k = 0; written < size; k ^= 1) {
        sem_wait(&empty);
        size_t n = 0, want = size - written < CHUNK ? size - written : CHUNK;
        while (n < want) {
            size_t available;
            const unsigned char *from = source(&available);
            size_t take = available < want - n ? available : want - n;
            memcpy(chunks[k] + n, from, take);
            n += take;
            at += take;
        }
        if (write(fd, chunks[k], n) != (ssize_t)n) fail("write");
        filled[k] = n;
        written += n;
        sem_post(&full);
    }
    sem_wait(&empty);
    sem_wait(&empty);
    filled[0] = filled[1] = 0;
    sem_post(&full);
    pthread_join(t, NULL);
    unsigned char digest[32];
    tb_sha256_final(&hasher, digest);
    if (durable && fsync(fd) != 0) fail("fsync");
    if (close(fd) != 0) fail("close");
}

int main(int argc, char **argv) {
    if (argc == 5 && strcmp(argv[1], "run") == 0) {
        list(argv[2]);
        hash_docs = 1;
        read_all();
        char *temp;
        if (asprintf(&temp, "%s.floor-tmp", argv[3]) < 0) return 1;
        int fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) fail(temp);
        write_copies(fd, strtoull(argv[4], NULL, 10), 1);
        if (rename(temp, argv[3]) != 0) fail("rename");
        return 0;
    }
    if (argc == 6 && strcmp(argv[1], "export") == 0) {
        list(argv[2]);
        size_t session_size, capacity = 0;
        if (getenv("FLOOR_KEEP")) {
            pthread_t t;
            pthread_create(&t, NULL, read_half, (void *)1);
            read_file(argv[3], NULL, &capacity, &session_size);
            read_half((void *)0);
            pthread_join(t, NULL);
        } else {
            // The session in pieces of 4 MB into one buffer, then the documents one by one.
            int fd = open(argv[3], O_RDONLY | O_CLOEXEC);
            if (fd < 0) fail(argv[3]);
            unsigned char *piece = malloc(CHUNK);
            while (read(fd, piece, CHUNK) > 0) {}
            close(fd);
            free(piece);
            streamed = 1;
        }
        unlink(argv[4]);
        int fd = open(argv[4], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) fail(argv[4]);
        write_copies(fd, strtoull(argv[5], NULL, 10), 0);
        return 0;
    }
    fprintf(stderr, "usage: floor run CORPUS SESSION SIZE | floor export CORPUS SESSION OUT SIZE\n");
    return 64;
}
