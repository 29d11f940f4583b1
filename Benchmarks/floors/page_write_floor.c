/* Page-writing floor in C: creates COUNT files of BYTES bytes in total in one new folder, from THREADS threads,
 * each file with open(O_WRONLY|O_CREAT|O_TRUNC), one write and close, as Render's OutputFolder writes a report's
 * pages. Nothing is rendered: the time is what this machine's kernel and file system take to hold the report's
 * files (Benchmarks/run_bench.py runs it with the file count and bytes of the report `leanpulse run` just wrote).
 * build: cc -O2 -pthread page_write_floor.c -o /tmp/page_write_floor
 * usage: /tmp/page_write_floor FOLDER COUNT BYTES [THREADS]        (FOLDER must not exist) */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *folder;
static long count, threads;
static long long total;
static char *page;

static void *writer(void *arg) {
    long first = (long)arg;
    char path[4096];
    for (long i = first; i < count; i += threads) {
        /* Bytes spread evenly: the first total % count files are one byte longer. */
        size_t size = (size_t)(total / count + (i < total % count ? 1 : 0));
        snprintf(path, sizeof path, "%s/%ld.html", folder, i);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0) { perror(path); exit(1); }
        for (size_t done = 0; done < size;) {
            ssize_t n = write(fd, page + done, size - done);
            if (n < 0) { if (errno == EINTR) continue; perror(path); exit(1); }
            done += (size_t)n;
        }
        if (close(fd) != 0) { perror(path); exit(1); }
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 4 || argc > 5) { fprintf(stderr, "usage: %s FOLDER COUNT BYTES [THREADS]\n", argv[0]); return 2; }
    folder = argv[1];
    count = atol(argv[2]);
    total = atoll(argv[3]);
    threads = argc == 5 ? atol(argv[4]) : 2;
    if (count <= 0 || total < 0 || threads <= 0 || threads > 64) { fprintf(stderr, "bad arguments\n"); return 2; }
    if (mkdir(folder, 0755) != 0) { perror(folder); return 1; }
    size_t largest = (size_t)(total / count + 1);
    page = malloc(largest);
    if (!page) { perror("malloc"); return 1; }
    for (size_t i = 0; i < largest; i++) page[i] = "<p>page text</p>\n"[i % 17];
    pthread_t ids[64];
    for (long t = 0; t < threads; t++) pthread_create(&ids[t], NULL, writer, (void *)t);
    for (long t = 0; t < threads; t++) pthread_join(ids[t], NULL);
    printf("%ld files, %lld bytes\n", count, total);
    return 0;
}
