/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef GEN_EAL_H
#define GEN_EAL_H

/*
 * EAL start-up of emit-gen: split "EAL options -- options", and with no
 * EAL options build the default: two lcores on the first two CPUs the
 * process may use (both on one CPU if it has only one), --no-huge
 * --no-pci, -m 256, one net_null port, file prefix emit-gen-<pid>.
 */

#define GEN_EAL_ARGS_MAX 32

struct gen_eal {
	int argc;
	char **argv;            /* what rte_eal_init gets (it may permute) */
	char **shown;           /* copy of the list, for the report */
	char *def[GEN_EAL_ARGS_MAX + 1];
	int is_default;
	char lcores[64];
	char prefix[64];
	char runtime_dir[256];  /* removed at exit when is_default */
};

/*
 * Split @p argv: EAL options are those before the first "--" (none if
 * there is no "--"); *opt_argc / *opt_argv receive the options after it
 * (or all arguments but the program name when there is no "--"). Fills
 * @p e with the EAL arguments to use, the default when there are none.
 * Returns 0, or -1 if out of memory.
 */
int gen_eal_args(int argc, char **argv, struct gen_eal *e, int *opt_argc,
		char ***opt_argv);

/* Release what gen_eal_args allocated. */
void gen_eal_free(struct gen_eal *e);

/* After rte_eal_init: remember the runtime directory to remove. */
void gen_eal_started(struct gen_eal *e);

/* After rte_eal_cleanup: remove the default file prefix's runtime
 * directory (its files are of no use once the process ends). */
void gen_eal_remove_runtime_dir(const struct gen_eal *e);

#endif /* GEN_EAL_H */
