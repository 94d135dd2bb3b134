/* SPDX-License-Identifier: BSD-3-Clause */
/* emit-gen EAL arguments: split, default, clean-up of the runtime dir. */
#include <dirent.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>

#include "gen_eal.h"

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
default_args(struct gen_eal *e, char *prog)
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
	(void)snprintf(e->prefix, sizeof(e->prefix), "emit-gen-%d",
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
gen_eal_args(int argc, char **argv, struct gen_eal *e, int *opt_argc,
		char ***opt_argv)
{
	int i, sep = -1;

	memset(e, 0, sizeof(*e));
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			sep = i;
			break;
		}
	if (sep < 0) {
		*opt_argc = argc - 1;
		*opt_argv = argv + 1;
	} else {
		*opt_argc = argc - sep - 1;
		*opt_argv = argv + sep + 1;
	}
	if (sep <= 1) {
		default_args(e, argv[0]);
	} else {
		e->argc = sep;
		e->argv = argv;
	}
	e->shown = calloc((size_t)e->argc + 1, sizeof(char *));
	if (e->shown == NULL)
		return -1;
	memcpy(e->shown, e->argv, (size_t)e->argc * sizeof(char *));
	return 0;
}

void
gen_eal_free(struct gen_eal *e)
{
	free(e->shown);
	e->shown = NULL;
}

void
gen_eal_started(struct gen_eal *e)
{
	const char *dir = rte_eal_get_runtime_dir();

	/* A directory name that does not fit is not kept: removing a cut
	 * path could remove something else. */
	if (e->is_default && dir != NULL &&
	    snprintf(e->runtime_dir, sizeof(e->runtime_dir), "%s", dir) >=
	    (int)sizeof(e->runtime_dir))
		e->runtime_dir[0] = '\0';
}

void
gen_eal_remove_runtime_dir(const struct gen_eal *e)
{
	char path[512];
	struct dirent *de;
	DIR *d;

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
