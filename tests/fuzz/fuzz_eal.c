/* SPDX-License-Identifier: BSD-3-Clause */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include "fuzz_eal.h"

static char runtime_dir[512];
static char prefix[64];

void
fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
	abort();
}

/* Remove the runtime directory of our prefix (its files, then it). */
static void
fuzz_eal_fini(void)
{
	char path[1024];
	struct dirent *de;
	DIR *d;

	rte_eal_cleanup();
	if (runtime_dir[0] == '\0' || strstr(runtime_dir, prefix) == NULL)
		return;
	d = opendir(runtime_dir);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", runtime_dir,
				de->d_name) < (int)sizeof(path))
			unlink(path);
	}
	closedir(d);
	rmdir(runtime_dir);
}

void
fuzz_eal_init(const char *name, bool telemetry)
{
	char *argv[16];
	int argc = 0;

	snprintf(prefix, sizeof(prefix), "emit-fuzz-%s-%d", name,
		(int)getpid());
	argv[argc++] = (char *)(uintptr_t)name;
	argv[argc++] = (char *)(uintptr_t)"-l";
	argv[argc++] = (char *)(uintptr_t)"0";
	argv[argc++] = (char *)(uintptr_t)"--no-huge";
	argv[argc++] = (char *)(uintptr_t)"--no-pci";
	argv[argc++] = (char *)(uintptr_t)"-m";
	argv[argc++] = (char *)(uintptr_t)"128";
	argv[argc++] = (char *)(uintptr_t)"--file-prefix";
	argv[argc++] = prefix;
	argv[argc++] = (char *)(uintptr_t)"--log-level";
	argv[argc++] = (char *)(uintptr_t)"*:error";
	if (!telemetry)
		argv[argc++] = (char *)(uintptr_t)"--no-telemetry";
	argv[argc] = NULL;
	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "%s: EAL init failed: %s\n", name,
			rte_strerror(rte_errno));
		exit(1);
	}
	snprintf(runtime_dir, sizeof(runtime_dir), "%s",
		rte_eal_get_runtime_dir());
	atexit(fuzz_eal_fini);
}
