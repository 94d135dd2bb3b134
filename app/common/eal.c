/* SPDX-License-Identifier: BSD-3-Clause */
/* EAL arguments of the CLIs: split, default, clean-up of the runtime dir. */
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_log.h>

#include "common/eal.h"

/* The first two CPUs of the affinity mask; the same one twice if there
 * is only one. */
static void
pick_cpus(int *a, int *b)
{
	cpu_set_t set;
	int cpu, n = 0;

	*a = 0;
	*b = 0;
	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return;
	for (cpu = 0; cpu < CPU_SETSIZE && n < 2; cpu++) {
		if (!CPU_ISSET(cpu, &set))
			continue;
		if (n++ == 0)
			*a = *b = cpu;
		else
			*b = cpu;
	}
}

static void
default_args(struct cli_eal *e, char *prog, const char *name)
{
	static char *const fixed[] = {
		"--no-huge", "--no-pci", "-m", "256", "--vdev", "net_null0",
		"--log-level", "lib.eal:warning",
	};
	unsigned int i;
	int a, b, n = 0;

	pick_cpus(&a, &b);
	/* Two CPU numbers, a pid: both fit their buffers by far. */
	(void)snprintf(e->lcores, sizeof(e->lcores), "0@%d,1@%d", a, b);
	(void)snprintf(e->prefix, sizeof(e->prefix), "%s-%d", name,
		(int)getpid());
	e->def[n++] = prog;
	e->def[n++] = "--lcores";
	e->def[n++] = e->lcores;
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		e->def[n++] = fixed[i];
	e->def[n++] = "--file-prefix";
	e->def[n++] = e->prefix;
	e->def[n] = NULL;
	e->argc = n;
	e->argv = e->def;
	e->is_default = 1;
}

int
cli_eal_sep(int argc, char *const argv[])
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0)
			return i;
	return argc;
}

int
cli_eal_args(struct cli_eal *e, int argc, char **argv, const char *name)
{
	memset(e, 0, sizeof(*e));
	if (argc <= 1 && name != NULL) {
		default_args(e, argv[0], name);
	} else {
		e->argc = argc;
		e->argv = argv;
	}
	e->shown = calloc((size_t)e->argc + 1, sizeof(char *));
	if (e->shown == NULL)
		return -ENOMEM;
	memcpy(e->shown, e->argv, (size_t)e->argc * sizeof(char *));
	return 0;
}

void
cli_eal_free(struct cli_eal *e)
{
	free(e->shown);
	e->shown = NULL;
}

int
cli_eal_init(struct cli_eal *e)
{
	const char *dir;
	int saved, rc;

	rte_openlog_stream(stderr);
	/* Nothing of ours is pending: this only orders EAL's output. */
	(void)fflush(stdout);
	saved = dup(STDOUT_FILENO);
	if (saved >= 0 && dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
		close(saved);
		saved = -1;
	}
	rc = rte_eal_init(e->argc, e->argv);
	(void)fflush(stdout);
	if (saved >= 0) {
		if (dup2(saved, STDOUT_FILENO) < 0)
			rc = -1;
		close(saved);
	}
	if (rc < 0)
		return rc;
	dir = rte_eal_get_runtime_dir();
	/* A directory name that does not fit is not kept: removing a cut
	 * path could remove something else. */
	if (e->is_default && dir != NULL &&
	    snprintf(e->runtime_dir, sizeof(e->runtime_dir), "%s", dir) >=
	    (int)sizeof(e->runtime_dir))
		e->runtime_dir[0] = '\0';
	return rc;
}

void
cli_eal_cleanup(const struct cli_eal *e)
{
	char path[512];
	struct dirent *de;
	DIR *d;

	/* Nothing to do on failure: the process is about to exit. */
	(void)rte_eal_cleanup();
	if (!e->is_default || e->runtime_dir[0] == '\0' ||
	    strstr(e->runtime_dir, e->prefix) == NULL)
		return;
	d = opendir(e->runtime_dir);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		/* Never unlink a cut path: it names another file. */
		if (snprintf(path, sizeof(path), "%s/%s", e->runtime_dir,
				de->d_name) >= (int)sizeof(path))
			continue;
		unlink(path);
	}
	closedir(d);
	rmdir(e->runtime_dir);
}
