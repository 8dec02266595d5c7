/*
 * libFuzzer front end for a SharpFuzz-instrumented .NET harness (ConvGen's own driver).
 *
 * libFuzzer lives in this native process; the code under test runs in a .NET process that this
 * driver starts once and keeps running (persistent mode). They talk the way SharpFuzz's
 * Fuzzer.LibFuzzer.Run expects (SharpFuzz 2.x, POSIX side):
 *
 *   environment of the .NET process
 *     __LIBFUZZER_SHM_ID          id of a System V shared memory segment (shmget), which the
 *                                 harness attaches with shmat
 *     __LIBFUZZER_CONTROL_PIPE_ID file descriptor the harness reads from (driver -> harness)
 *     __LIBFUZZER_STATUS_PIPE_ID  file descriptor the harness writes to (harness -> driver)
 *
 *   shared memory layout
 *     [0, COVERAGE_MAP_SIZE)      the edge-hit map: SharpFuzz's instrumentation bumps one byte per
 *                                 (previous block, current block) pair, AFL style
 *     [COVERAGE_MAP_SIZE, ...)    the input bytes of the current run
 *
 *   messages, each a 32-bit integer in native byte order
 *     harness -> driver  once at start: 0 ("attached and ready")
 *     driver -> harness  per input: its length; the bytes are already in shared memory
 *     harness -> driver  per input: 0 when the action returned, non-zero when an exception escaped
 *                        it (the harness printed it to stderr and then exits)
 *
 * After each run the driver copies the edge-hit map into libFuzzer's "extra counters" section,
 * which libFuzzer reads as coverage feedback next to its own (clears it before each run, too).
 *
 * Failures become libFuzzer crashes by abort(), so libFuzzer saves the input as crash-<sha1>:
 * an exception escaping the harness, and the .NET process dying (stack overflow, FailFast, a
 * signal). Hangs are libFuzzer's -timeout (its alarm fires while we wait on the status pipe).
 * Memory: libFuzzer's -rss_limit_mb measures this process only, so fuzz/run.sh also caps the
 * .NET heap with DOTNET_GCHeapHardLimit; an input that needs more ends in OutOfMemoryException,
 * which escapes the harness and is a crash like any other.
 *
 * Usage (flags starting with "--" are ignored by libFuzzer, so they are ours):
 *   dotnet-fuzz-driver --harness=PATH/ConvGen.Fuzz.dll --reader=NAME [--dotnet=PATH] [libFuzzer flags] [corpus dirs]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* SharpFuzz's map size (its instrumentation indexes the map modulo this). */
#define COVERAGE_MAP_SIZE (1 << 16)
/* Largest input this driver can pass; fuzz/run.sh keeps -max_len at or below it. */
#define INPUT_CAPACITY (1 << 20)

/* libFuzzer finds this array through the linker's __start_/__stop_ symbols of the section. */
__attribute__((used, section("__libfuzzer_extra_counters")))
static uint8_t extra_counters[COVERAGE_MAP_SIZE];

static uint8_t *shared;   /* coverage map, then the input */
static int control_fd = -1;  /* we write input lengths here */
static int status_fd = -1;   /* we read run results here */
static pid_t harness_pid;

static void fail(const char *what)
{
    fprintf(stderr, "dotnet-fuzz-driver: %s: %s\n", what, errno ? strerror(errno) : "failed");
    exit(1);
}

/* Reads exactly one int; returns 0 on end of file (the harness is gone). */
static int read_int(int fd, int32_t *value)
{
    size_t got = 0;
    while (got < sizeof *value) {
        ssize_t n = read(fd, (char *)value + got, sizeof *value - got);
        if (n == 0)
            return 0;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return 0;
        }
        got += (size_t)n;
    }
    return 1;
}

static int write_int(int fd, int32_t value)
{
    size_t put = 0;
    while (put < sizeof value) {
        ssize_t n = write(fd, (const char *)&value + put, sizeof value - put);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return 0;
        }
        put += (size_t)n;
    }
    return 1;
}

/* The harness closed its pipe: say how it ended, then abort so libFuzzer records a crash. */
static void harness_died(void)
{
    int status = 0;
    if (waitpid(harness_pid, &status, 0) == harness_pid) {
        if (WIFSIGNALED(status))
            fprintf(stderr, "dotnet-fuzz-driver: the .NET harness was killed by signal %d (%s)\n",
                    WTERMSIG(status), strsignal(WTERMSIG(status)));
        else if (WIFEXITED(status))
            fprintf(stderr, "dotnet-fuzz-driver: the .NET harness exited with code %d\n", WEXITSTATUS(status));
    } else {
        fprintf(stderr, "dotnet-fuzz-driver: the .NET harness went away\n");
    }
    abort();
}

static const char *flag_value(int argc, char **argv, const char *name)
{
    size_t length = strlen(name);
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], name, length) == 0 && argv[i][length] == '=')
            return argv[i] + length + 1;
    return NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *harness = flag_value(*argc, *argv, "--harness");
    const char *reader = flag_value(*argc, *argv, "--reader");
    const char *dotnet = flag_value(*argc, *argv, "--dotnet");
    if (!dotnet)
        dotnet = "dotnet";
    if (!harness || !reader) {
        fprintf(stderr, "usage: %s --harness=PATH/ConvGen.Fuzz.dll --reader=NAME [--dotnet=PATH] [libFuzzer flags] [corpus dirs]\n", (*argv)[0]);
        exit(1);
    }

    int shm_id = shmget(IPC_PRIVATE, COVERAGE_MAP_SIZE + INPUT_CAPACITY, IPC_CREAT | IPC_EXCL | 0600);
    if (shm_id < 0)
        fail("shmget");
    shared = shmat(shm_id, NULL, 0);
    if (shared == (void *)-1)
        fail("shmat");

    int control[2], status[2];
    if (pipe2(control, O_CLOEXEC) != 0 || pipe2(status, O_CLOEXEC) != 0)
        fail("pipe2");

    pid_t parent = getpid();
    harness_pid = fork();
    if (harness_pid < 0)
        fail("fork");
    if (harness_pid == 0) {
        /* The .NET process must not outlive us: libFuzzer leaves by _Exit on a timeout, so no
           exit handler of ours would get to kill it. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(1);
        /* Keep our two pipe ends open across exec; everything else is close-on-exec. */
        fcntl(control[0], F_SETFD, 0);
        fcntl(status[1], F_SETFD, 0);
        /* libFuzzer reports on stderr; the harness's stdout goes there too, in order. */
        dup2(STDERR_FILENO, STDOUT_FILENO);
        char text[32];
        snprintf(text, sizeof text, "%d", shm_id);
        setenv("__LIBFUZZER_SHM_ID", text, 1);
        snprintf(text, sizeof text, "%d", control[0]);
        setenv("__LIBFUZZER_CONTROL_PIPE_ID", text, 1);
        snprintf(text, sizeof text, "%d", status[1]);
        setenv("__LIBFUZZER_STATUS_PIPE_ID", text, 1);
        execlp(dotnet, dotnet, harness, reader, (char *)NULL);
        fprintf(stderr, "dotnet-fuzz-driver: cannot start %s: %s\n", dotnet, strerror(errno));
        _exit(127);
    }
    close(control[0]);
    close(status[1]);
    control_fd = control[1];
    status_fd = status[0];
    /* A write to a harness that died must not kill us with SIGPIPE before we can report it. */
    signal(SIGPIPE, SIG_IGN);

    int32_t ready;
    if (!read_int(status_fd, &ready) || ready != 0) {
        fprintf(stderr, "dotnet-fuzz-driver: the .NET harness did not start (%s %s %s)\n", dotnet, harness, reader);
        harness_died();
    }
    /* Attached: the segment can go as soon as both of us detach, even if we are killed. */
    shmctl(shm_id, IPC_RMID, NULL);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > INPUT_CAPACITY) {
        fprintf(stderr, "dotnet-fuzz-driver: input of %zu bytes is over the %d-byte capacity; use -max_len=%d or less\n",
                size, INPUT_CAPACITY, INPUT_CAPACITY);
        exit(1);
    }
    memset(shared, 0, COVERAGE_MAP_SIZE);
    memcpy(shared + COVERAGE_MAP_SIZE, data, size);
    if (!write_int(control_fd, (int32_t)size))
        harness_died();
    int32_t result;
    if (!read_int(status_fd, &result))
        harness_died();
    memcpy(extra_counters, shared, COVERAGE_MAP_SIZE);
    if (result != 0) {
        fprintf(stderr, "dotnet-fuzz-driver: an exception escaped the harness (status %d; .NET stack trace above)\n", result);
        abort();
    }
    return 0;
}
