/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef CLI_EAL_H
#define CLI_EAL_H

/*
 * EAL start-up of the CLIs: "EAL options -- options" split at the first
 * "--", the EAL list kept as given for the reports, and for a CLI that
 * has one, the default set-up used when no EAL option is given: two
 * lcores on the first two CPUs the process may use (both on one CPU if
 * it has only one), --no-huge --no-pci, -m 256, one net_null port, file
 * prefix <name>-<pid>, whose runtime directory is removed at exit.
 */

#define CLI_EAL_ARGS_MAX 32

struct cli_eal {
	int argc;
	char **argv;            /* what rte_eal_init gets (it may permute) */
	char **shown;           /* copy of the list, for the report */
	char *def[CLI_EAL_ARGS_MAX + 1];
	int is_default;
	char lcores[64];
	char prefix[64];
	char runtime_dir[256];  /* removed at exit when is_default */
};

/* Index of the first "--" in @p argv (after the program name), or
 * @p argc if there is none. */
int cli_eal_sep(int argc, char *const argv[]);

/*
 * Use argv[0..argc-1] (program name first) as the EAL arguments, or,
 * when that is the program name alone and @p name is not NULL, the
 * default set-up with file prefix "<name>-<pid>". Returns 0, or -ENOMEM.
 */
int cli_eal_args(struct cli_eal *e, int argc, char **argv, const char *name);

/* Release what cli_eal_args allocated. */
void cli_eal_free(struct cli_eal *e);

/*
 * rte_eal_init with stdout kept for the reports (DPDK logs to stdout by
 * default and prints its usage text there: both go to stderr), then
 * remember the runtime directory to remove. Returns rte_eal_init's
 * result (rte_errno set on failure).
 */
int cli_eal_init(struct cli_eal *e);

/* rte_eal_cleanup, then remove the default file prefix's runtime
 * directory (its files are of no use once the process ends). */
void cli_eal_cleanup(const struct cli_eal *e);

#endif /* CLI_EAL_H */
