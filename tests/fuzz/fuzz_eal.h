/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EMIT_FUZZ_EAL_H
#define EMIT_FUZZ_EAL_H

/* EAL for the harnesses that need it (rte_malloc, telemetry): no
 * hugepages, no PCI, one lcore, a file prefix of this process. */

#include <stdbool.h>

/* Start EAL; with @p telemetry the socket is served. Exits the process
 * (a harness's set-up failure) if EAL does not start. At exit, EAL is
 * cleaned up and the runtime directory of the prefix removed. */
void fuzz_eal_init(const char *name, bool telemetry);

/* Report a broken invariant and abort: libFuzzer saves the input. */
#define FUZZ_CHECK(cond) do { \
		if (!(cond)) \
			fuzz_fail(__FILE__, __LINE__, #cond); \
	} while (0)

void fuzz_fail(const char *file, int line, const char *what)
	__attribute__((noreturn));

#endif /* EMIT_FUZZ_EAL_H */
