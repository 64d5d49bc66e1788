/* Runs a command and prints its peak resident set size in KiB (ru_maxrss) on stderr's last
 * line, for bench.py. Python cannot measure this itself: a child it starts (fork or
 * posix_spawn) inherits Python's own high-water mark, since Linux keeps the largest RSS a
 * process had across exec, and this small program is the parent instead.
 * Usage: peak_rss PROGRAM ARGS... ; exit status: the program's (125 if it could not run). */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: peak_rss PROGRAM ARGS...\n");
        return 125;
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 125;
    }
    if (pid == 0) {
        execvp(argv[1], argv + 1);
        perror(argv[1]);
        _exit(125);
    }
    int status;
    struct rusage usage;
    if (wait4(pid, &status, 0, &usage) < 0) {
        perror("wait4");
        return 125;
    }
    fprintf(stderr, "peak_rss_kib=%ld\n", usage.ru_maxrss);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 125;
}
